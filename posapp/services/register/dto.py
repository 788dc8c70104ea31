"""Frozen results of register calls."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from posapp.domain.cart import Totals


@dataclass(frozen=True)
class LineDTO:
    line_no: int
    category: str
    sku: str
    description: str
    imei: str | None
    qty: int
    unit_price_cents: int
    full_retail_cents: int | None
    discount_cents: int
    net_cents: int
    price_overridden: bool
    restocking_fee_cents: int


@dataclass(frozen=True)
class TenderDTO:
    id: uuid.UUID
    kind: str
    state: str
    amount_cents: int
    tendered_cents: int | None
    change_cents: int | None
    idempotency_key: str
    card_brand: str | None
    card_last4: str | None
    auth_code: str | None
    decline_reason: str | None


@dataclass(frozen=True)
class SaleDTO:
    id: uuid.UUID
    kind: str
    status: str
    receipt_no: str | None
    original_sale_id: uuid.UUID | None
    lines: tuple[LineDTO, ...]
    totals: Totals
    restocking_cents: int
    due_cents: int           # what the customer pays (a refund: what they get back)
    tenders: tuple[TenderDTO, ...]
    paid_cents: int          # approved tenders
    open_tender_cents: int   # pending or unknown: not yet money, not yet free
    remaining_cents: int
    completed_at: datetime | None


@dataclass(frozen=True)
class DrawerDTO:
    id: uuid.UUID
    status: str
    float_cents: int
    expected_cents: int
    counted_cents: int | None
    variance_cents: int | None
    variance_reason: str | None
