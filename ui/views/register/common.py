"""What the register shows of a sale, worked out once for the rep's page and the customer's window (no Qt)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from posapp.domain.money import format_cents

if TYPE_CHECKING:
    from posapp.services.register.dto import SaleDTO, TenderDTO

RECEIPT_RE = re.compile(r"^[A-Z0-9]{2,12}-[A-Z0-9]{1,12}-\d{4,8}$")
TENDER_NAMES = {"cash": "Cash", "card": "Card", "store_credit": "Store credit", "offline_card": "Card (offline)"}


def money(cents: int) -> str:
    return format_cents(cents)


def parse_money(text: str) -> int | None:
    """``"12.5"``, ``"$1,234.56"``, ``"20"`` -> cents; None if it is not an amount."""
    t = text.strip().replace("$", "").replace(",", "")
    if not t or not re.fullmatch(r"\d{1,7}(\.\d{0,2})?", t):
        return None
    whole, _, frac = t.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def looks_like_receipt(text: str) -> bool:
    return bool(RECEIPT_RE.match(text.strip().upper()))


@dataclass(frozen=True)
class Row:
    label: str
    cents: int
    role: str  # subtotal | discount | tax | fee | total | paid | pending | due


def total_rows(sale: SaleDTO) -> list[Row]:
    """The totals block, top to bottom: subtotal, discounts, each tax / fee / surcharge, total, paid, due."""
    t = sale.totals
    rows = [Row("Subtotal", t.subtotal_cents, "subtotal")]
    if t.discount_cents:
        rows.append(Row("Discounts", -t.discount_cents, "discount"))
    rows.extend(Row(x.label, x.amount_cents, "tax") for x in t.tax_lines)
    rows.extend(Row(f"{x.label} \u00d7 {x.qty}" if x.qty > 1 else x.label, x.amount_cents, "fee")
                for x in t.fee_lines)
    if sale.restocking_cents:
        rows.append(Row("Restocking fee", -sale.restocking_cents, "fee"))
    refund = sale.kind == "refund"
    rows.append(Row("Refund total" if refund else "Total", sale.due_cents, "total"))
    if sale.paid_cents:
        rows.append(Row("Refunded" if refund else "Paid", sale.paid_cents, "paid"))
    if sale.open_tender_cents:
        rows.append(Row("Waiting for the terminal", sale.open_tender_cents, "pending"))
    return rows


def tender_text(t: TenderDTO) -> str:
    name = TENDER_NAMES.get(t.kind, t.kind.replace("_", " ").title())
    if t.kind in ("card", "offline_card"):
        brand = t.card_brand or "Card"
        name = f"{brand} \u2022\u2022\u2022\u2022 {t.card_last4}" if t.card_last4 else name
    state = {"approved": "", "pending": " \u2014 pending", "unknown": " \u2014 unknown",
             "declined": " \u2014 declined"}.get(t.state, f" \u2014 {t.state}")
    extra = ""
    if t.kind == "cash" and t.tendered_cents is not None and t.change_cents:
        extra = f" (tendered {money(t.tendered_cents)}, change {money(t.change_cents)})"
    return f"{name}{state}{extra}"


def line_ref(sku: str, imei: str | None) -> str:
    return f"IMEI {imei}" if imei else sku
