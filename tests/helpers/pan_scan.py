"""Find anything that looks like a card number (PAN) in a data directory: every file, as stored and decoded.

A PAN here is any Luhn-valid run of 13-19 digits (also written in groups of 4 with spaces or dashes, or Amex's
4-6-5) that is not part of a hex id: hex tokens (UUID hex, SHA-256 hashes, tokens with a-f letters, 32+ hex
characters), dashed UUIDs and sync clock stamps (``<ms:013d>.<counter:05d>.<node>``, 13 digits of epoch
milliseconds) are masked first; digits after a decimal point are a fraction, not a card. The scan
reads each file raw (SQLite pages, WAL, logs, CSV) and decoded where posapp compresses: PDF Flate streams and the
receipt's embedded zlib+base64 content, gzip and zip files. Known device serials that are Luhn-valid by design
(IMEIs, ICCIDs) are passed in ``allowed``. Findings carry the first 6 and last 4 digits only, never the PAN.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

_UUID = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HLC = re.compile(rb"(?<![0-9])[0-9]{13}\.[0-9]{5}\.")  # posapp.sync.hlc stamps: "<ms:013d>.<counter:05d>.<node>"
_HEX_TOKEN = re.compile(rb"[0-9a-fA-F]+")
_HEX_LETTER = re.compile(rb"[a-fA-F]")
_PLAIN = re.compile(rb"(?<![0-9])(?<![0-9]\.)[0-9]{13,19}(?![0-9])")
_GROUPED = re.compile(
    rb"(?<![0-9])(?<![0-9][ -])(?<![0-9]\.)"
    rb"(?:[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{1,7}"  # 4-4-4-1..7
    rb"|[0-9]{4}([ -])[0-9]{6}\2[0-9]{4,5})"  # Amex 4-6-5, Diners 4-6-4
    rb"(?![0-9])(?![ -][0-9])")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_EMBED = re.compile(rb"posapp-receipt:v[0-9]+:([A-Za-z0-9+/=]+)")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask_hex_ids(data: bytes) -> bytes:
    data = _UUID.sub(lambda m: b"x" * len(m.group()), data)
    data = _HLC.sub(lambda m: b"x" * len(m.group()), data)

    def hex_id(m: re.Match[bytes]) -> bytes:
        token = m.group()
        return b"x" * len(token) if _HEX_LETTER.search(token) or len(token) >= 32 else token

    return _HEX_TOKEN.sub(hex_id, data)


def pans_in(data: bytes) -> list[str]:
    """The Luhn-valid 13-19 digit runs in ``data`` that are not part of a hex id (full digits: keep them in the
    test; report them with :func:`masked`)."""
    found = []
    plain = _mask_hex_ids(data)
    for m in (*_PLAIN.finditer(plain), *_GROUPED.finditer(plain)):
        digits = re.sub(rb"[ -]", b"", m.group()).decode("ascii")
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            found.append(digits)
    return found


def masked(pan: str) -> str:
    return f"{pan[:6]}{'*' * (len(pan) - 10)}{pan[-4:]}"


def _inflate(raw: bytes) -> bytes | None:
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return None


def decoded_views(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """(what, bytes) for the file as stored and every layer posapp or a backup tool may have compressed."""
    yield "raw", data
    if data.startswith(b"%PDF"):
        for i, m in enumerate(_PDF_STREAM.finditer(data)):
            inflated = _inflate(m.group(1))
            if inflated is not None:
                yield f"pdf stream {i}", inflated
        for m in _EMBED.finditer(data):
            try:
                inflated = _inflate(base64.b64decode(m.group(1), validate=True))
            except binascii.Error:
                inflated = None
            if inflated is not None:
                yield "embedded receipt", inflated
    elif data.startswith(b"\x1f\x8b"):
        yield "gzip", gzip.decompress(data)
    elif data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for member in z.namelist():
                yield from ((f"zip {member} {what}", view) for what, view in decoded_views(member, z.read(member)))


@dataclass(frozen=True)
class Finding:
    path: Path
    where: str  # "raw", "pdf stream 3", ...
    pan_masked: str

    def __str__(self) -> str:
        return f"{self.path} ({self.where}): {self.pan_masked}"


def scan_files(paths: Iterable[Path], *, allowed: Iterable[str] = ()) -> list[Finding]:
    allow = set(allowed)
    findings = []
    for path in paths:
        for where, view in decoded_views(path.name, path.read_bytes()):
            findings += [Finding(path, where, masked(p)) for p in pans_in(view) if p not in allow]
    return findings


def scan_dir(root: Path, *, allowed: Iterable[str] = ()) -> list[Finding]:
    """Every file under ``root`` (database, WAL, logs, receipts, backups, anything else)."""
    return scan_files(sorted(p for p in root.rglob("*") if p.is_file()), allowed=allowed)
