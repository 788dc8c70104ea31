"""A realistic sample receipt (device on EIP with trade-in, accessory, split card/cash, signature) for the
benchmark, the screenshots and the tests. Clearly sample data: the store and people are made up."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from posapp.receipts.model import (
    FeeLine,
    Point,
    ReceiptData,
    ReceiptLine,
    RestockingFee,
    ReturnPolicy,
    Signature,
    SummaryLine,
    TaxLine,
    Tender,
)

CONSENT = ("I agree to receive this receipt and sign electronically. A paper copy is available on request. "
           "I can withdraw consent at any time by telling a store employee; consent covers this transaction only.")


def sample_strokes() -> tuple[tuple[Point, ...], ...]:
    """A cursive-looking scribble and an underline, in pad coordinates (y downwards), t in ms."""
    first = tuple((10 + i * 4.0, 60 - 25 * math.sin(i / 3.0) * math.exp(-i / 60), i * 8.0) for i in range(70))
    loop = tuple((150 + 18 * math.cos(a / 5), 50 + 18 * math.sin(a / 5), 600 + a * 8.0) for a in range(0, 32))
    under = tuple((20 + i * 10.0, 95.0 + (i % 3), 900 + i * 6.0) for i in range(22))
    return (first, loop, under)


def sample_receipt(*, receipt_number: str = "R0412-20261122-0007", signed: bool = True,
                   last4: str = "1111") -> ReceiptData:
    lines = (
        ReceiptLine(sku="DEV-PX9-128-BLK", description="Pixel 9 128GB Obsidian", qty=1, unit_price_cents=0,
                    discount_cents=0, line_total_cents=0, serial="356938035643809", serial_kind="IMEI",
                    full_retail_cents=79999),
        ReceiptLine(sku="SIM-5G-TRIO", description="5G SIM card", qty=1, unit_price_cents=1000, discount_cents=0,
                    line_total_cents=1000, serial="8901260882298765432", serial_kind="ICCID"),
        ReceiptLine(sku="ACC-CASE-PX9", description="Rugged case \u2013 Pixel 9", qty=2, unit_price_cents=3999,
                    discount_cents=1000, line_total_cents=6998),
    )
    taxes = (TaxLine("Sales tax 7.25%", "CA", 6597), TaxLine("District tax 2.25%", "Los Angeles County", 2047))
    fees = (FeeLine("CA electronic waste fee", 600, "government"),
            FeeLine("Device connection charge", 3500, "carrier"))
    total = 1000 + 6998 + 6597 + 2047 + 600 + 3500
    return ReceiptData(
        receipt_number=receipt_number, store_name="Sunset & Vine Wireless", store_address=(
            "6290 Sunset Blvd, Suite 110", "Los Angeles, CA 90028"), store_number="0412", terminal="T2",
        rep_id="E1042", rep_name="Dana K.", issued_at=datetime(2026, 11, 22, 21, 14, 5, tzinfo=UTC),
        store_tz="America/Los_Angeles", masked_account="\u2022\u2022\u2022\u2022\u20226789", lines=lines,
        taxes=taxes, fees=fees,
        tenders=(Tender("card", 15000, "VISA", last4, "A1B2C3"), Tender("cash", total - 15000 + 258)),
        change_due_cents=258,
        eip_summary=(SummaryLine("Pixel 9 financed over 24 months", 79999),
                     SummaryLine("Monthly installment", 3334, "First installment on your next bill.")),
        trade_in_summary=(SummaryLine("Pixel 6 (IMEI ...4417), grade B credit", 12500,
                                      "Applied as monthly bill credits over 24 months."),),
        return_policy=ReturnPolicy(14, (RestockingFee("Opened devices", 5000), RestockingFee("Accessories", 0)),
                                   "Devices must be returned with all accessories; refunds go to the original "
                                   "tenders."),
        signature=Signature(sample_strokes(), CONSENT, datetime(2026, 11, 22, 21, 13, 40, tzinfo=UTC))
        if signed else None,
    )
