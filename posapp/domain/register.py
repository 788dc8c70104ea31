"""Register rules without I/O: states, the tender state machine, change due, drawer counts, the return window."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum

from posapp.errors import ValidationError


class SaleKind(StrEnum):
    SALE = "sale"
    REFUND = "refund"


class SaleStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    VOIDED = "voided"


class InventoryStatus(StrEnum):
    IN_STOCK = "in_stock"
    RESERVED = "reserved"
    SOLD = "sold"


class TenderKind(StrEnum):
    CASH = "cash"
    CARD = "card"
    STORE_CREDIT = "store_credit"


class TenderState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    UNKNOWN = "unknown"   # the terminal timed out: ask it again, never charge again


class ForwardResult(StrEnum):
    """What forwarding an offline card payment to the processor gave."""

    SETTLED = "settled"
    DECLINED = "declined"


class DrawerStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class DrawerEventKind(StrEnum):
    PAID_IN = "paid_in"
    PAID_OUT = "paid_out"
    NO_SALE = "no_sale"
    CASH_SALE = "cash_sale"
    CASH_REFUND = "cash_refund"


TRANSITIONS: Mapping[TenderState, frozenset[TenderState]] = {
    TenderState.PENDING: frozenset({TenderState.APPROVED, TenderState.DECLINED, TenderState.UNKNOWN}),
    TenderState.UNKNOWN: frozenset({TenderState.APPROVED, TenderState.DECLINED}),
    TenderState.APPROVED: frozenset(),
    TenderState.DECLINED: frozenset(),
}


def next_state(current: TenderState, new: TenderState) -> TenderState:
    """Validate a tender state change; approved and declined are final."""
    if new not in TRANSITIONS[current]:
        raise ValidationError(f"a tender cannot go from {current.value} to {new.value}")
    return new


def change_due(amount_cents: int, tendered_cents: int) -> int:
    if tendered_cents < amount_cents:
        raise ValidationError("the cash tendered is less than the amount")
    return tendered_cents - amount_cents


# US notes and coins, in cents, as counted at drawer close.
DENOMINATIONS: tuple[int, ...] = (10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 25, 10, 5, 1)


def counted_total(counts: Mapping[int, int]) -> int:
    """Sum of a denomination count ``{cents_value: pieces}``; unknown denominations or negatives are rejected."""
    total = 0
    for value, pieces in counts.items():
        if value not in DENOMINATIONS:
            raise ValidationError(f"{value} cents is not a US note or coin")
        if pieces < 0:
            raise ValidationError("a count cannot be negative")
        total += value * pieces
    return total


def within_return_window(sold_at: datetime, now: datetime, days: int) -> bool:
    return now - sold_at <= timedelta(days=days)
