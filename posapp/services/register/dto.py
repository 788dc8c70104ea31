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
    offline: bool = False
    forward_by: datetime | None = None
    offline_state: str | None = None   # pending_forward | forwarded | offline_declined (None: not offline)
    offline_status: str | None = None  # e.g. "offline — forward by 14:05" (store time)


@dataclass(frozen=True)
class CardAttempt:
    """A card tender committed as pending and not yet answered: what the terminal is asked under (its key)."""

    tender_id: uuid.UUID
    idempotency_key: str
    amount_cents: int
    offline: bool = False


@dataclass(frozen=True)
class CardRefundAttempt:
    """One refund to a card, committed as a pending tender of the refund: the terminal refunds to ``token``."""

    tender_id: uuid.UUID
    idempotency_key: str
    token: str
    amount_cents: int


@dataclass(frozen=True)
class RefundAttempt:
    """A refund committed as an open sale with its tenders; ``card`` are the refunds the terminal still makes."""

    refund_id: uuid.UUID
    receipt_no: str
    card: tuple[CardRefundAttempt, ...]


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


@dataclass(frozen=True)
class SignatureDTO:
    """The customer's current signature of a sale (strokes normalised 0..1, y down; t in ms)."""

    id: uuid.UUID
    sale_id: uuid.UUID
    strokes: tuple[tuple[tuple[float, float, int], ...], ...]
    pad_aspect: float
    consent_text: str
    consented_at: datetime
    signed_at: datetime
    amount_cents: int
    has_png: bool
    supersedes_id: uuid.UUID | None


@dataclass(frozen=True)
class SignatureStatus:
    """Whether a sale needs a signature, why, and whether the current one is valid for it."""

    sale_id: uuid.UUID
    required: bool
    reasons: tuple[str, ...]
    signed: bool            # a signature exists for the amount now due
    stale: bool             # a signature exists but for another amount (the sale changed): sign again


@dataclass(frozen=True)
class ForwardReport:
    """What :meth:`TenderService.forward_offline` did: settled, declined (flagged for the manager) and those the
    processor could not be reached for (still to forward)."""

    settled: tuple[TenderDTO, ...]
    declined: tuple[TenderDTO, ...]
    still_pending: tuple[TenderDTO, ...]


@dataclass(frozen=True)
class StoreCreditEntryDTO:
    id: uuid.UUID
    customer_id: uuid.UUID | None
    account_id: uuid.UUID | None
    amount_cents: int
    reason: str
    sale_id: uuid.UUID | None
    tender_id: uuid.UUID | None
    created_at: datetime


@dataclass(frozen=True)
class AmountDue:
    """An account's amount due, shown only to a verified customer (``amount_cents`` None otherwise)."""

    account_last4: str
    amount_cents: int | None
    message: str
