"""A refund receipt: negative amounts, linked to the original, verifies like any other."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from posapp.receipts.model import ReceiptData, ReceiptLine, TaxLine, Tender
from posapp.receipts.render import render_pdf
from posapp.receipts.verify import verify_pdf
from tests.receipts.tools import pdftotext


def refund() -> ReceiptData:
    return ReceiptData(
        receipt_number="R0412-20261123-0002", original_receipt_number="R0412-20261122-0007",
        store_name="Sunset & Vine Wireless", store_address=("6290 Sunset Blvd",), store_number="0412",
        terminal="T1", rep_id="E2001", rep_name="Lee M.", issued_at=datetime(2026, 11, 23, 18, 0, tzinfo=UTC),
        store_tz="America/Los_Angeles",
        lines=(ReceiptLine("ACC-CASE-PX9", "Rugged case - Pixel 9", -1, 3999, -3499, discount_cents=500),),
        taxes=(TaxLine("Sales tax 7.25%", "CA", -254),),
        tenders=(Tender("card", -3753, "MASTERCARD", "4444", "R7Q2"),),
    )


def test_refund_receipt_renders_and_verifies(tmp_path: Path) -> None:
    r = refund()
    assert r.total_cents == -3753
    pdf = tmp_path / "refund.pdf"
    render_pdf(r, "thermal", pdf)
    text = pdftotext(pdf)
    assert "REFUND of receipt R0412-20261122-0007" in text
    total_line = next(line for line in text.splitlines() if "REFUND TOTAL" in line)
    assert "-$37.53" in total_line
    assert "\u2022\u2022\u2022\u20224444" in text and "-$2.54" in text
    assert verify_pdf(pdf).ok
