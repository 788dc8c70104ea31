"""Fixed receipts for the golden files: literal values, independent of ``posapp.receipts.sample``.

Never edit a case: its canonical JSON, hash and PDFs are committed next to this file and stand for receipts an
earlier release printed. A new kind of receipt is a new case (and ``regenerate.py --only NAME``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from posapp.receipts.model import (
    ActivationSummary,
    FeeLine,
    ReceiptData,
    ReceiptLine,
    RestockingFee,
    ReturnPolicy,
    Signature,
    SummaryLine,
    TaxLine,
    Tender,
)

_ADDRESS = ("6290 Sunset Blvd, Suite 110", "Los Angeles, CA 90028")
_POLICY = ReturnPolicy(14, (RestockingFee("Opened devices", 5000), RestockingFee("Accessories", 0)),
                       "Devices must be returned with all accessories; refunds go to the original tenders.")
_CONSENT = ("I agree to receive this receipt and sign electronically. A paper copy is available on request.")
# Two strokes in pad coordinates (x, y downwards, t in ms), literal so no float library can change them.
_STROKES = (
    ((10.0, 60.0, 0.0), (22.5, 41.25, 16.0), (35.0, 30.5, 32.0), (47.75, 44.0, 48.0), (60.0, 62.5, 64.0),
     (72.25, 48.75, 80.0), (85.0, 35.0, 96.0), (97.5, 51.5, 112.0)),
    ((20.0, 95.0, 400.0), (60.0, 96.0, 430.0), (100.0, 97.0, 460.0), (140.0, 95.0, 490.0)),
)


def sale_card_cash() -> ReceiptData:
    """An accessory sale with a SIM, a discount, two taxes, a fee, paid by card and cash with change."""
    lines = (
        ReceiptLine("SIM-5G-TRIO", "5G SIM card", 1, 1000, 1000, serial="8901260882298765432", serial_kind="ICCID"),
        ReceiptLine("ACC-CASE-PX9", "Rugged case \u2013 Pixel 9", 2, 3999, 6998, discount_cents=1000),
        ReceiptLine("ACC-USBC-1M", "USB-C cable 1 m", 1, 1499, 1499),
    )
    taxes = (TaxLine("Sales tax 7.25%", "CA", 688), TaxLine("District tax 2.25%", "Los Angeles County", 213))
    fees = (FeeLine("Device connection charge", 3500, "carrier"),)
    total = 1000 + 6998 + 1499 + 688 + 213 + 3500  # 13898
    return ReceiptData(
        receipt_number="R0412-20261122-0003", store_name="Sunset & Vine Wireless", store_address=_ADDRESS,
        store_number="0412", terminal="T1", rep_id="E1042", rep_name="Dana K.",
        issued_at=datetime(2026, 11, 22, 17, 2, 31, 250000, tzinfo=UTC), store_tz="America/Los_Angeles",
        lines=lines, taxes=taxes, fees=fees,
        tenders=(Tender("card", 10000, "VISA", "1881", "A1B2C3"), Tender("cash", total - 10000 + 102)),
        change_due_cents=102, return_policy=_POLICY)


def refund() -> ReceiptData:
    """A refund of one discounted case back to the card, linked to the original receipt."""
    return ReceiptData(
        receipt_number="R0412-20261123-0002", original_receipt_number="R0412-20261122-0003",
        store_name="Sunset & Vine Wireless", store_address=_ADDRESS, store_number="0412", terminal="T2",
        rep_id="E2001", rep_name="Lee M.", issued_at=datetime(2026, 11, 23, 18, 0, tzinfo=UTC),
        store_tz="America/Los_Angeles",
        lines=(ReceiptLine("ACC-CASE-PX9", "Rugged case \u2013 Pixel 9", -1, 3999, -3499, discount_cents=500),),
        taxes=(TaxLine("Sales tax 7.25%", "CA", -254),),
        tenders=(Tender("card", -3753, "VISA", "1881", "R7Q2"),), return_policy=_POLICY)


def device_eip_signed() -> ReceiptData:
    """A financed device (EIP) with a trade-in, signed on the pad, a split card/cash payment."""
    lines = (
        ReceiptLine("DEV-PX9-128-BLK", "Pixel 9 128GB Obsidian", 1, 0, 0, serial="356938035643809",
                    serial_kind="IMEI", full_retail_cents=79999),
        ReceiptLine("ACC-CASE-PX9", "Rugged case \u2013 Pixel 9", 1, 3999, 3999),
    )
    taxes = (TaxLine("Sales tax 7.25%", "CA", 6090),)
    fees = (FeeLine("CA electronic waste fee", 600, "government"),
            FeeLine("Device connection charge", 3500, "carrier"))
    total = 3999 + 6090 + 600 + 3500  # 14189
    return ReceiptData(
        receipt_number="R0412-20261122-0007", store_name="Sunset & Vine Wireless", store_address=_ADDRESS,
        store_number="0412", terminal="T2", rep_id="E1042", rep_name="Dana K.",
        issued_at=datetime(2026, 11, 22, 21, 14, 5, tzinfo=UTC), store_tz="America/Los_Angeles",
        masked_account="\u2022\u2022\u2022\u2022\u20226789", lines=lines, taxes=taxes, fees=fees,
        tenders=(Tender("card", 10000, "MASTERCARD", "4444", "Z9Y8X7"), Tender("cash", total - 10000)),
        eip_summary=(SummaryLine("Pixel 9 financed over 24 months", 79999),
                     SummaryLine("Monthly installment", 3334, "First installment on your next bill.")),
        trade_in_summary=(SummaryLine("Pixel 6 (IMEI ...4417), grade B credit", 12500,
                                      "Applied as monthly bill credits over 24 months."),),
        return_policy=_POLICY,
        signature=Signature(_STROKES, _CONSENT, datetime(2026, 11, 22, 21, 13, 40, tzinfo=UTC)))


def activations_esim_eip() -> ReceiptData:
    """A new line on eSIM (pool number) and a financed upgrade on a physical SIM, paid, both pending."""
    lines = (
        ReceiptLine("DEV-IP15-128-BLK", "iPhone 15 128GB Black", 1, 5000, 5000, serial="354678120000018",
                    serial_kind="IMEI", full_retail_cents=79999),  # financed: the down payment is charged here
        ReceiptLine("ESIM-KIT", "eSIM activation kit", 1, 0, 0),
        ReceiptLine("DEV-PX9-128-BLK", "Pixel 9 128GB Obsidian", 1, 79999, 79999, serial="356938035643809",
                    serial_kind="IMEI"),
        ReceiptLine("SIM-5G-TRIO", "5G SIM card", 1, 1000, 1000, serial="8901260882298765432",
                    serial_kind="ICCID"),
        ReceiptLine("FEE-ACT", "Activation fee (2 lines)", 2, 3500, 7000),
    )
    taxes = (TaxLine("Sales tax 7.25%", "CA", 11672),)
    total = 5000 + 79999 + 1000 + 7000 + 11672  # 104671 (tax on the full retail of both devices)
    activations = (
        ActivationSummary("0412-T2-0031", 1, "0187", "Go5G Plus",
                          "Apple iPhone 15 128 GB", "354678120000018", "eSIM, code LPA:1$\u2022\u2022\u2022\u2022",
                          "Activation pending"),
        ActivationSummary("0412-T2-0031", 2, "0142",
                          "Essentials Unlimited + International calling (70+ countries)", "Google Pixel 9 128 GB",
                          "356938035643809", "ICCID ending 65432", "Activation pending"),
    )
    return ReceiptData(
        receipt_number="R0412-20261124-0011", store_name="Sunset & Vine Wireless", store_address=_ADDRESS,
        store_number="0412", terminal="T2", rep_id="E1042", rep_name="Dana K.",
        issued_at=datetime(2026, 11, 24, 19, 40, 12, tzinfo=UTC), store_tz="America/Los_Angeles",
        masked_account="\u2022\u2022\u2022\u20226789", lines=lines, taxes=taxes,
        tenders=(Tender("card", total, "VISA", "1881", "K4M2Q9"),),
        eip_summary=(SummaryLine("Device financing, IMEI ending 0018", None, "24 monthly payments of $31.25."),
                     SummaryLine("Financed amount", 74999), SummaryLine("Down payment", 5000),
                     SummaryLine("Monthly payment", 3125, "24 months")),
        return_policy=_POLICY, activations=activations)


CASES = {"sale_card_cash": sale_card_cash, "refund": refund, "device_eip_signed": device_eip_signed,
         "activations_esim_eip": activations_esim_eip}
FORMATS = ("thermal", "letter")
