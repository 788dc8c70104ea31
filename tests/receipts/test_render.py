"""Receipt PDFs read back with poppler and zbar: totals, last 4 only, barcode, QR hash, signature pixels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from posapp.domain.money import format_cents
from posapp.receipts.canonical import canonical_sha256
from posapp.receipts.model import ReceiptData
from posapp.receipts.render import render_pdf, signature_box
from posapp.receipts.sample import sample_receipt
from tests.receipts.conftest import TEST_PAN
from tests.receipts.tools import page_png, pdftotext, zbar_symbols

FORMATS = ("thermal", "letter")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_shows_totals_and_receipt_number(fmt: str, pdfs: dict[str, Path], receipt: ReceiptData) -> None:
    text = pdftotext(pdfs[fmt])
    assert receipt.receipt_number in text
    total_line = next(line for line in text.splitlines() if line.strip().startswith("TOTAL"))
    assert format_cents(receipt.total_cents) in total_line
    for amount in (receipt.subtotal_cents, *(t.cents for t in receipt.taxes), *(f.cents for f in receipt.fees),
                   *(t.amount_cents for t in receipt.tenders), receipt.change_due_cents):
        assert format_cents(amount) in text
    for t in receipt.taxes:
        assert t.jurisdiction in text
    assert "Government fees" in text and "Carrier surcharges" in text
    assert "Auth code A1B2C3" in text
    assert "within 14 days" in text and "Restocking fees" in text
    assert "Signed electronically" in text and "paper copy" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_the_last_four_card_digits(fmt: str, pdfs: dict[str, Path]) -> None:
    text = pdftotext(pdfs[fmt])
    assert f"\u2022\u2022\u2022\u2022{TEST_PAN[-4:]}" in text
    compact = re.sub(r"[\s\-\u2022.]", "", text)
    for n in range(5, len(TEST_PAN) + 1):  # no run of 5+ PAN digits, anywhere, even with separators dropped
        for i in range(len(TEST_PAN) - n + 1):
            assert TEST_PAN[i:i + n] not in compact, TEST_PAN[i:i + n]
    for run in re.findall(r"\d{13,19}", text):  # IMEI/ICCID are allowed; nothing card-like besides them
        assert run in ("356938035643809", "8901260882298765432") or not _luhn_ok(run), run
    raw = pdfs[fmt].read_bytes()
    assert TEST_PAN.encode() not in raw


@pytest.mark.parametrize("fmt", FORMATS)
def test_barcode_and_qr_decode_at_300_dpi(fmt: str, pdfs: dict[str, Path], receipt: ReceiptData,
                                           tmp_path: Path) -> None:
    png = page_png(pdfs[fmt], tmp_path / fmt, dpi=300)
    symbols = zbar_symbols(png)
    assert f"CODE-128:{receipt.receipt_number}" in symbols, symbols
    qr = [s.removeprefix("QR-Code:") for s in symbols if s.startswith("QR-Code:")]
    assert qr == [f"POSAPP-RCPT:1:{receipt.receipt_number}:{canonical_sha256(receipt)}"]


def test_thermal_page_is_80_mm_and_grows_with_content(tmp_path: Path) -> None:
    short = render_pdf(sample_receipt(signed=False), "thermal")
    long = render_pdf(sample_receipt(), "thermal")
    box = [re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", pdf) for pdf in (short, long)]
    assert box[0] and box[1]
    assert abs(float(box[0].group(1)) - 80 / 25.4 * 72) < 0.01
    assert float(box[1].group(2)) > float(box[0].group(2))
    letter = render_pdf(sample_receipt(), "letter", tmp_path / "l.pdf")
    assert b"/MediaBox [ 0 0 612 792 ]" in letter and (tmp_path / "l.pdf").read_bytes() == letter


@pytest.mark.parametrize("fmt", FORMATS)
def test_signature_strokes_are_drawn_in_the_box(fmt: str, pdfs: dict[str, Path], receipt: ReceiptData,
                                                 tmp_path: Path) -> None:
    where = signature_box(receipt, fmt)  # type: ignore[arg-type]
    assert where is not None
    assert signature_box(sample_receipt(signed=False), fmt) is None  # type: ignore[arg-type]
    dpi = 100
    png = page_png(pdfs[fmt], tmp_path / f"sig-{fmt}", dpi=dpi)
    x, top, w, h = (v * dpi / 72 for v in where)
    with Image.open(png) as img:
        inner = img.convert("L").crop((int(x) + 4, int(top) + 4, int(x + w) - 4, int(top + h) - 4))
        dark = inner.histogram()[:80]
    dark_pixels = sum(dark)
    assert dark_pixels > 150, dark_pixels


def test_unsupported_characters_do_not_break_rendering() -> None:
    import dataclasses

    r = dataclasses.replace(sample_receipt(), store_name="Café 東京 Wireless")
    text = render_pdf(r, "thermal")
    assert text.startswith(b"%PDF")


def test_safe_text_keeps_what_the_fonts_show() -> None:
    from posapp.receipts.layout import safe_text

    assert safe_text("Nguyễn Thị Ánh") == "Nguyen Thi Ánh"
    assert safe_text("Café  \u2013 \u2022 ½") == "Café \u2013 \u2022 ½"
    assert safe_text("東京\x00a\tb\nc") == "?? a b c"


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_card_number_anywhere_in_the_file(fmt: str, pdfs: dict[str, Path]) -> None:
    """Decoded streams, Info strings and the embedded canonical JSON: no PAN, no Luhn-valid run but IMEI/ICCID."""
    import base64
    import zlib

    from posapp.receipts.pdfread import info_string, streams
    from posapp.receipts.render import EMBED_PREFIX

    raw = pdfs[fmt].read_bytes()
    keywords = info_string(raw, "Keywords")
    assert keywords and keywords.startswith(EMBED_PREFIX)
    parts = [raw, zlib.decompress(base64.b64decode(keywords[len(EMBED_PREFIX):])),
             *(s.data for s in streams(raw))]
    for blob in parts:
        text = blob.decode("latin-1")
        assert TEST_PAN not in text
        for run in re.findall(r"(?<!\d)\d{13,19}(?!\d)", text):
            assert run in ("356938035643809", "8901260882298765432") or not _luhn_ok(run), run
