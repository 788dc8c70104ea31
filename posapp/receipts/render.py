"""Receipt PDFs with ReportLab: an 80 mm thermal roll (72 mm printable, as tall as the content) or US Letter.

Text uses the PDF standard fonts (Helvetica, WinAnsi: "•", "–" and accented Latin letters are fine; anything else
is shown as "?", see :func:`posapp.receipts.layout.safe_text`). That keeps the drawn text readable back from the
PDF by :mod:`posapp.receipts.pdfread` without a font engine, which is what verification needs. The Code128
barcode is drawn as vector bars from python-barcode's module pattern; the QR code (segno) is an 8-bit grey image,
several pixels per module so it stays crisp when rasterised. The canonical receipt JSON is embedded in the PDF
Info dictionary (``/Keywords``, see :data:`EMBED_PREFIX`). Only the last 4 digits of a card ever reach this module
(the model refuses more).
"""

from __future__ import annotations

import base64
import io
import zlib
from pathlib import Path
from typing import Any, Literal

import barcode
import segno
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch, mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from posapp.receipts.canonical import canonical_json
from posapp.receipts.layout import Block, Codes, Para, Row, Rule, SignatureBlock, build_blocks
from posapp.receipts.model import ReceiptData, Signature

Format = Literal["thermal", "letter"]
FORMATS: tuple[Format, ...] = ("thermal", "letter")
EMBED_PREFIX = "posapp-receipt:v1:"
QR_PIXELS_PER_MODULE = 4
QR_MASK = 2

FONT = "Helvetica"
BOLD = "Helvetica-Bold"


class _Style:
    def __init__(self, fmt: Format) -> None:
        self.thermal = fmt == "thermal"
        if self.thermal:
            self.page_w = 80 * mm
            self.margin = 4 * mm
            self.top = 5 * mm
            self.size = 8.0
            self.small = 6.8
            self.title = 12.0
            self.total = 10.0
        else:
            self.page_w, self.page_h = letter
            self.margin = 1.5 * inch
            self.top = 0.5 * inch
            self.size = 8.6
            self.small = 7.4
            self.title = 14.0
            self.total = 11.0
        self.width = self.page_w - 2 * self.margin
        self.indent = self.size


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else [""]


def _fit(text: str, font: str, size: float, max_w: float | None) -> float:
    """The font size at which ``text`` fits ``max_w`` (never above ``size``, never below 3 pt)."""
    if max_w is None or not text:
        return size
    width = stringWidth(text, font, size)
    return size if width <= max_w else max(3.0, size * max_w / width)


def barcode_modules(value: str) -> str:
    """The Code128 module pattern ("1" = bar) of ``value``."""
    code = barcode.get_barcode_class("code128")(value)
    pattern: str = code.build()[0]
    return pattern


def qr_image(payload: str) -> Image.Image:
    """The QR code as a grey image, :data:`QR_PIXELS_PER_MODULE` pixels per module, 4-module quiet zone.

    The mask is fixed (:data:`QR_MASK`) instead of chosen by segno's penalty search: any mask is a valid QR code
    every reader decodes, the search costs ~3 ms a receipt, and a fixed one keeps the image reproducible."""
    qr = segno.make(payload, error="m", micro=False, mask=QR_MASK)
    border = 4
    size = len(qr.matrix) + 2 * border
    img = Image.new("L", (size, size), 255)
    img.putdata([0 if (0 <= r - border < len(qr.matrix) and 0 <= c - border < len(qr.matrix)
                       and qr.matrix[r - border][c - border]) else 255
                 for r in range(size) for c in range(size)])
    return img.resize((size * QR_PIXELS_PER_MODULE, size * QR_PIXELS_PER_MODULE), Image.Resampling.NEAREST)


class _Drawer:
    """Lays blocks out top-down. With ``canvas=None`` it only measures (the thermal page height)."""

    def __init__(self, st: _Style, canvas: Canvas | None, y: float) -> None:
        self.st, self.c, self.y = st, canvas, y
        self.banner_drawn = False
        self.signature_box: tuple[float, float, float, float] | None = None  # x, bottom y, w, h

    def _need(self, h: float) -> None:
        if self.c is not None and not self.st.thermal and self.y - h < 0.45 * inch:
            self.c.showPage()
            self.y = self.st.page_h - self.st.top

    def text_line(self, text: str, font: str, size: float, x: float, align: str = "left",
                  max_w: float | None = None) -> None:
        """One line of text; a single word too wide for ``max_w`` is drawn smaller, never split or clipped."""
        lead = size * 1.3
        self._need(lead)
        self.y -= lead
        if self.c is not None and text:
            self.c.setFont(font, _fit(text, font, size, max_w))
            baseline = self.y + size * 0.3
            if align == "center":
                self.c.drawCentredString(x, baseline, text)
            elif align == "right":
                self.c.drawRightString(x, baseline, text)
            else:
                self.c.drawString(x, baseline, text)

    def banner(self, text: str) -> None:
        """The training label. Thermal: framed by heavy rules in the flow. Letter: in the top margin of the first
        page, then in the bottom margin of the last, so it never pushes the receipt onto another page."""
        st = self.st
        if st.thermal:
            self.block(Rule(heavy=True))
            for line in _wrap(text, BOLD, st.title, st.width):
                self.text_line(line, BOLD, st.title, st.margin + st.width / 2, "center", st.width)
            self.block(Rule(heavy=True))
            return
        baseline = st.page_h - 0.32 * inch if not self.banner_drawn else 0.2 * inch
        self.banner_drawn = True
        if self.c is not None:
            self.c.setFont(BOLD, st.total)
            self.c.drawCentredString(st.margin + st.width / 2, baseline, text)
            self.c.setLineWidth(1.0)
            self.c.line(st.margin, baseline - 4, st.margin + st.width, baseline - 4)
            self.c.line(st.margin, baseline + st.total + 1, st.margin + st.width, baseline + st.total + 1)

    def block(self, b: Block) -> None:
        st = self.st
        left = st.margin
        if isinstance(b, Para) and b.style == "banner":
            self.banner(b.text)
        elif isinstance(b, Para):
            font = BOLD if b.style in ("title", "heading") else FONT
            size = {"title": st.title, "small": st.small}.get(b.style, st.size)
            center = b.style in ("title", "center")
            for line in _wrap(b.text, font, size, st.width):
                self.text_line(line, font, size, left + st.width / 2 if center else left,
                               "center" if center else "left", st.width)
        elif isinstance(b, Row):
            font = BOLD if b.style in ("bold", "total") else FONT
            size = {"total": st.total, "small": st.small}.get(b.style, st.size)
            x = left + b.indent * st.indent
            right_size = _fit(b.right, font, size, st.width * 0.6)
            right_w = stringWidth(b.right, font, right_size) + (size if b.right else 0)
            left_w = st.width - (x - left) - right_w
            for i, line in enumerate(_wrap(b.left, font, size, left_w)):
                self.text_line(line, font, size, x, max_w=left_w)
                if i == 0 and b.right and self.c is not None:
                    self.c.setFont(font, right_size)
                    self.c.drawRightString(left + st.width, self.y + size * 0.3, b.right)
        elif isinstance(b, Rule):
            self._need(st.size)
            self.y -= st.size * 0.5
            if self.c is not None:
                self.c.setLineWidth(1.0 if b.heavy else 0.4)
                self.c.setDash(1, 1.5) if st.thermal else self.c.setDash()
                self.c.line(left, self.y, left + st.width, self.y)
                self.c.setDash()
            self.y -= st.size * 0.4
        elif isinstance(b, SignatureBlock):
            self._signature(b)
        else:
            self._codes(b)

    def _signature(self, b: SignatureBlock) -> None:
        st = self.st
        box_w = st.width if st.thermal else 3.5 * inch
        box_h = 20 * mm if st.thermal else 0.9 * inch
        self.text_line("Customer signature", FONT, st.small, st.margin)
        self._need(box_h + st.size)
        self.y -= box_h
        self.signature_box = (st.margin, self.y, box_w, box_h)
        if self.c is not None:
            draw_signature(self.c, b.signature, st.margin, self.y, box_w, box_h)
        self.y -= 2
        for text in b.caption:
            for line in _wrap(text, FONT, st.small, st.width):
                self.text_line(line, FONT, st.small, st.margin, max_w=st.width)

    def _codes(self, b: Codes) -> None:
        st = self.st
        pattern = barcode_modules(b.receipt_number)
        bar_h = 12 * mm if st.thermal else 0.6 * inch
        qr_side = 26 * mm if st.thermal else 1.1 * inch
        module = min(0.33 * mm, (st.width if st.thermal else st.width - qr_side - 0.3 * inch) / (len(pattern) + 20))
        bar_w = module * len(pattern)
        total_h = bar_h + st.size * 1.6 + (qr_side + 2 * mm if st.thermal else 0)
        self._need(max(total_h, qr_side))
        top = self.y - 2 * mm
        bar_x = st.margin + (st.width - bar_w) / 2 if st.thermal else st.margin
        c = self.c
        if c is not None:
            c.setFillGray(0)
            path = c.beginPath()
            i = 0
            while i < len(pattern):
                if pattern[i] == "1":
                    j = i
                    while j < len(pattern) and pattern[j] == "1":
                        j += 1
                    path.rect(bar_x + i * module, top - bar_h, (j - i) * module, bar_h)
                    i = j
                else:
                    i += 1
            c.drawPath(path, stroke=0, fill=1)
            c.setFont(FONT, st.size)
            c.drawCentredString(bar_x + bar_w / 2, top - bar_h - st.size * 1.2, b.receipt_number)
            qr_x = st.margin + (st.width - qr_side) / 2 if st.thermal else st.margin + st.width - qr_side
            qr_y = top - bar_h - st.size * 1.6 - qr_side if st.thermal else top - qr_side
            c.drawImage(ImageReader(qr_image(b.qr_payload)), qr_x, qr_y, qr_side, qr_side)
        self.y = top - (total_h if st.thermal else max(bar_h + st.size * 1.6, qr_side)) - 1 * mm


def draw_signature(c: Canvas, sig: Signature, x: float, y: float, w: float, h: float) -> None:
    """The strokes scaled (aspect kept) into the box at (x, y) bottom-left; pad y grows downwards."""
    c.setStrokeGray(0.55)
    c.setLineWidth(0.5)
    c.rect(x, y, w, h, stroke=1, fill=0)
    c.line(x + 4, y + h * 0.22, x + w - 4, y + h * 0.22)
    points = [p for stroke in sig.strokes for p in stroke]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    pad = max(6.0, min(w, h) * 0.1)
    span_x, span_y = max(max_x - min_x, 1e-9), max(max_y - min_y, 1e-9)
    scale = min((w - 2 * pad) / span_x, (h - 2 * pad) / span_y)
    off_x = x + pad + ((w - 2 * pad) - span_x * scale) / 2
    off_y = y + pad + ((h - 2 * pad) - span_y * scale) / 2
    c.setStrokeGray(0)
    c.setLineWidth(1.3)
    c.setLineCap(1)
    c.setLineJoin(1)
    for stroke in sig.strokes:
        if not stroke:
            continue
        pts = [(off_x + (px - min_x) * scale, off_y + (max_y - py) * scale) for px, py, _t in stroke]
        path = c.beginPath()
        path.moveTo(*pts[0])
        for px, py in pts[1:] or [(pts[0][0] + 0.5, pts[0][1])]:
            path.lineTo(px, py)
        c.drawPath(path, stroke=1, fill=0)


def signature_box(receipt: ReceiptData, fmt: Format = "thermal") -> tuple[float, float, float, float] | None:
    """Where the signature box lands on page 1: (x, distance from the page top, width, height) in points."""
    st = _Style(fmt)
    probe = _Drawer(st, None, 0.0)
    for b in build_blocks(receipt):
        probe.block(b)
    if probe.signature_box is None:
        return None
    x, bottom, w, h = probe.signature_box
    return x, st.top - (bottom + h), w, h


def render_pdf(receipt: ReceiptData, fmt: Format = "thermal", path: Path | str | None = None, *,
               compress: bool = True) -> bytes:
    """Render the receipt; write it to ``path`` when given. Returns the PDF bytes either way.

    ``compress=False`` leaves the page content readable in the file (tests edit it to simulate tampering)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    st = _Style(fmt)
    blocks = build_blocks(receipt)
    if st.thermal:
        probe = _Drawer(st, None, 0.0)
        for b in blocks:
            probe.block(b)
        st.page_h = -probe.y + st.top + 5 * mm
    out = io.BytesIO()
    kwargs: dict[str, Any] = {"pagesize": (st.page_w, st.page_h), "invariant": 1, "pageCompression": int(compress)}
    c = Canvas(out, **kwargs)
    c.setTitle(f"{'TRAINING ' if receipt.training else ''}Receipt {receipt.receipt_number}")
    c.setAuthor(receipt.store_name)  # ReportLab writes non-ASCII metadata as UTF-16, so the em dash survives
    c.setSubject("posapp receipt")
    c.setCreator("posapp")
    c.setKeywords(EMBED_PREFIX + base64.b64encode(zlib.compress(canonical_json(receipt), 9)).decode("ascii"))
    drawer = _Drawer(st, c, st.page_h - st.top)
    for b in blocks:
        drawer.block(b)
    c.showPage()
    c.save()
    data = out.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
