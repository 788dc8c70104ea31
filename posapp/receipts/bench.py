"""Receipt rendering speed: our full receipt (layout, vector barcode, QR, signature, embedded canonical JSON)
against a bare ReportLab canvas that makes the same Code128 (python-barcode image) and QR image (segno) and draws
them on one page — in the same run, interleaved, so both see the same machine state. Goal: ours ≤ 1.5× raw."""

from __future__ import annotations

import io
import time
from typing import Any

from barcode import Code128
from barcode.writer import ImageWriter
from PIL import Image
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from posapp.receipts.canonical import qr_payload
from posapp.receipts.model import ReceiptData
from posapp.receipts.render import FORMATS, Format, qr_image, render_pdf
from posapp.receipts.sample import sample_receipt
from posapp.stats import Comparison, compare, table

GOAL_RATIO = 1.5


def baseline_images(receipt: ReceiptData) -> tuple[Image.Image, Image.Image]:
    """The Code128 (python-barcode, 300 dpi image) and QR (segno) images of the receipt."""
    bar = Code128(receipt.receipt_number, writer=ImageWriter()).render({"write_text": False, "dpi": 300})
    return bar, qr_image(qr_payload(receipt))


def bare_canvas(receipt: ReceiptData, images: tuple[Image.Image, Image.Image] | None = None) -> bytes:
    """The baseline: barcode image + QR image drawn on an 80 mm page, nothing else. With ``images`` given the
    images are only drawn (not made), the stricter baseline."""
    bar, qr = images or baseline_images(receipt)
    out = io.BytesIO()
    kwargs: dict[str, Any] = {"pagesize": (80 * mm, 200 * mm), "invariant": 1}
    c = Canvas(out, **kwargs)
    c.drawImage(ImageReader(bar), 4 * mm, 150 * mm, 72 * mm, 15 * mm)
    c.drawImage(ImageReader(qr), 27 * mm, 110 * mm, 26 * mm, 26 * mm)
    c.showPage()
    c.save()
    return out.getvalue()


def run(n: int = 200, fmt: Format = "thermal", receipt: ReceiptData | None = None, *,
        prebuilt_images: bool = False) -> Comparison:
    """Time ``n`` renders of each (after a warm-up); milliseconds. ``prebuilt_images``: the baseline draws images
    made once up front (it then times only ReportLab), while ours still makes its barcode and QR every time."""
    r = receipt or sample_receipt()
    images = baseline_images(r) if prebuilt_images else None
    for _ in range(3):
        render_pdf(r, fmt)
        bare_canvas(r, images)
    ours: list[float] = []
    raw: list[float] = []
    for _ in range(n):
        t0 = time.perf_counter()
        render_pdf(r, fmt)
        t1 = time.perf_counter()
        bare_canvas(r, images)
        t2 = time.perf_counter()
        ours.append((t1 - t0) * 1000)
        raw.append((t2 - t1) * 1000)
    return compare(f"receipt {fmt}" + (" vs draw-only" if prebuilt_images else ""), ours, raw)


if __name__ == "__main__":  # pragma: no cover - manual use: python -m posapp.receipts.bench
    rows = [run(200, f, prebuilt_images=p) for f in FORMATS for p in (False, True)]
    print(table(rows))
    print(f"goal: ratio <= {GOAL_RATIO}")
