"""A tiny, pure-Python reader for the PDFs :mod:`posapp.receipts.render` writes — not a general PDF parser.

It understands exactly what ReportLab produces for a receipt: uncompressed object headers, streams filtered with
``/FlateDecode`` and/or ``/ASCII85Decode`` with a direct ``/Length``, text drawn with ``Tj`` from WinAnsi standard
fonts, 8-bit ``/DeviceGray`` images and the Info dictionary's literal strings. A PDF re-saved by another tool
(object streams, cross-reference streams, indirect lengths, re-encoded fonts) is reported as unreadable rather
than guessed at.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_TJ = re.compile(rb"\((?P<s>(?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


class PdfReadError(ValueError):
    """The file is not a PDF this reader understands."""


@dataclass(frozen=True)
class Stream:
    header: bytes
    data: bytes  # decoded


@dataclass(frozen=True)
class GrayImage:
    width: int
    height: int
    pixels: bytes


def _unescape(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        ch = raw[i:i + 1]
        if ch != b"\\":
            out += ch
            i += 1
            continue
        nxt = raw[i + 1:i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        elif nxt in (b"\n", b"\r"):
            i += 2
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _decode(header: bytes, data: bytes) -> bytes:
    filters = re.findall(rb"/(ASCII85Decode|FlateDecode|DCTDecode|LZWDecode|RunLengthDecode)", header)
    for f in filters:
        if f == b"ASCII85Decode":
            text = data.strip()
            if text.startswith(b"<~"):
                text = text[2:]
            if not text.endswith(b"~>"):
                text += b"~>"
            data = base64.a85decode(b"<~" + text, adobe=True)
        elif f == b"FlateDecode":
            data = zlib.decompress(data)
        else:
            raise PdfReadError(f"unsupported stream filter {f.decode()}")
    return data


def streams(pdf: bytes) -> list[Stream]:
    out: list[Stream] = []
    for m in _STREAM.finditer(pdf):
        start = pdf.rfind(b" obj", 0, m.start())
        if start < 0:
            raise PdfReadError("a stream without an object header")
        header = pdf[start:m.start()]
        length = _LENGTH.search(header)
        if length is None:
            raise PdfReadError("a stream without a direct /Length")
        raw = pdf[m.end():m.end() + int(length.group(1))]
        try:
            out.append(Stream(header, _decode(header, raw)))
        except (ValueError, zlib.error) as exc:
            raise PdfReadError(f"a stream cannot be decoded: {exc}") from None
    return out


def page_text(pdf: bytes) -> list[str]:
    """Every string drawn with ``Tj`` in the content streams, in drawing order (WinAnsi ~ cp1252)."""
    texts: list[str] = []
    for s in streams(pdf):
        if b"/Subtype /Image" in s.header or b"BT" not in s.data:
            continue
        for m in _TJ.finditer(s.data):
            # ReportLab's WinAnsi puts the bullet at 0x7F (the PDF spec allows it there as well as at 0x95).
            texts.append(_unescape(m.group("s")).decode("cp1252", errors="replace").replace("\x7f", "\u2022"))
    return texts


def gray_images(pdf: bytes) -> list[GrayImage]:
    out: list[GrayImage] = []
    for s in streams(pdf):
        h = s.header
        if b"/Subtype /Image" not in h or b"/DeviceGray" not in h or b"/BitsPerComponent 8" not in h:
            continue
        w = re.search(rb"/Width\s+(\d+)", h)
        ht = re.search(rb"/Height\s+(\d+)", h)
        if w and ht:
            out.append(GrayImage(int(w.group(1)), int(ht.group(1)), s.data))
    return out


def info_string(pdf: bytes, key: str) -> str | None:
    """A literal string of the (last) Info dictionary, e.g. ``info_string(pdf, "Keywords")``."""
    found = list(re.finditer(rb"/" + re.escape(key.encode("ascii")) + rb"\s*\((?P<s>(?:\\.|[^\\)])*)\)", pdf, re.S))
    if not found:
        return None
    return _unescape(found[-1].group("s")).decode("latin-1")
