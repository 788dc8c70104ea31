"""What a receipt says, independent of the database: frozen dataclasses the register maps a sale into.

Validation happens here, once, so the renderer can trust its input: a card tender carries exactly the last four
digits (FACTA: never more, no expiry date — there is no field for one), line totals add up, and the tenders cover
the total. Amounts are integer cents (``posapp.domain.money``); a refund has negative amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from posapp.errors import ValidationError

TRAINING_TEXT = "TRAINING \u2014 not a receipt for payment"

_LAST4 = re.compile(r"[0-9]{4}")
_AUTH = re.compile(r"[A-Za-z0-9]{1,8}")
_DIGIT_RUN = re.compile(r"[0-9]{5,}")
_SIM_DIGITS = re.compile(r"[0-9]{6,}")

TENDER_KINDS = ("cash", "card", "store_credit", "offline_card")
FEE_KINDS = ("government", "carrier")


def _no_long_digit_run(value: str, what: str) -> None:
    compact = re.sub(r"[\s-]", "", value)
    if _DIGIT_RUN.search(compact):
        raise ValidationError(f"{what} may show at most 4 digits.")


@dataclass(frozen=True)
class ReceiptLine:
    sku: str
    description: str
    qty: int
    unit_price_cents: int
    line_total_cents: int
    discount_cents: int = 0
    serial: str | None = None  # IMEI or ICCID of a serialized device / SIM
    serial_kind: str = "IMEI"
    full_retail_cents: int | None = None  # shown where the tax base differs from the price

    def __post_init__(self) -> None:
        if self.qty == 0:
            raise ValidationError("A receipt line needs a quantity.")
        if self.discount_cents < 0:
            raise ValidationError("A discount is a positive amount taken off.")
        expected = self.qty * self.unit_price_cents - (self.discount_cents if self.qty > 0 else -self.discount_cents)
        if self.line_total_cents != expected:
            raise ValidationError(f"Line {self.sku}: total {self.line_total_cents} != qty x price - discount "
                                  f"({expected}).")
        if self.serial_kind not in ("IMEI", "ICCID"):
            raise ValidationError("A serial is an IMEI or an ICCID.")


@dataclass(frozen=True)
class TaxLine:
    label: str  # e.g. "CA state sales tax 7.25%"
    jurisdiction: str  # e.g. "CA", "Los Angeles County"
    cents: int


@dataclass(frozen=True)
class FeeLine:
    label: str
    cents: int
    kind: str = "government"  # "government" (e.g. 911, CA e-waste) or "carrier" (carrier surcharges)

    def __post_init__(self) -> None:
        if self.kind not in FEE_KINDS:
            raise ValidationError(f"Fee kind must be one of {', '.join(FEE_KINDS)}.")


@dataclass(frozen=True)
class Tender:
    kind: str
    amount_cents: int
    card_brand: str | None = None
    last4: str | None = None
    auth_code: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in TENDER_KINDS:
            raise ValidationError(f"Tender kind must be one of {', '.join(TENDER_KINDS)}.")
        is_card = self.kind in ("card", "offline_card")
        if is_card:
            if self.last4 is None or not _LAST4.fullmatch(self.last4):
                raise ValidationError("A card tender carries exactly the last 4 digits of the card, nothing more.")
            if not self.card_brand or any(ch.isdigit() for ch in self.card_brand):
                raise ValidationError("A card tender needs a card brand (no digits).")
            if self.auth_code is not None and not _AUTH.fullmatch(self.auth_code):
                raise ValidationError("An auth code is 1-8 letters or digits.")
        elif self.last4 is not None or self.auth_code is not None or self.card_brand is not None:
            raise ValidationError("Only a card tender carries a brand, last 4 or auth code.")


@dataclass(frozen=True)
class SummaryLine:
    """A line of the EIP or trade-in summary: a label, an optional amount and optional detail text."""

    label: str
    amount_cents: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class RestockingFee:
    category: str  # e.g. "Devices (opened)"
    fee_cents: int


@dataclass(frozen=True)
class ReturnPolicy:
    days: int = 14
    restocking_fees: tuple[RestockingFee, ...] = ()
    text: str = ""

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValidationError("The return window cannot be negative.")


@dataclass(frozen=True)
class ActivationSummary:
    """One activation line as the receipt shows it: the number's last 4 digits only, the plan, the device
    and IMEI, the SIM (ICCID last 5 only) or eSIM (its code only ever in masked form), and the status as printed
    ("Activation pending" until the carrier confirms the line)."""

    activation_number: str
    line_no: int
    number_last4: str | None  # None: no number yet (printed "number to follow")
    plan: str
    device: str
    imei: str | None
    sim: str  # e.g. "ICCID ending 54321", "eSIM" or "eSIM, code LPA:1$••••" (the masked code only)
    status: str

    def __post_init__(self) -> None:
        if self.number_last4 is not None and not _LAST4.fullmatch(self.number_last4):
            raise ValidationError("A line's number is shown by its last 4 digits only.")
        if self.imei is not None and not (self.imei.isdigit() and len(self.imei) == 15):
            raise ValidationError("An activation's IMEI is 15 digits.")
        if _SIM_DIGITS.search(re.sub(r"[\s-]", "", self.sim)):
            raise ValidationError("A SIM on a receipt shows at most the last 5 digits of its ICCID.")
        if not self.status.strip() or not self.plan.strip():
            raise ValidationError("An activation line needs its plan and status.")
        if self.line_no < 1:
            raise ValidationError("Activation lines are numbered from 1.")


Point = tuple[float, float, float]  # x, y (pad units, y downwards as captured), t (ms since the first point)


@dataclass(frozen=True)
class Signature:
    strokes: tuple[tuple[Point, ...], ...]
    consent_text: str
    signed_at: datetime

    def __post_init__(self) -> None:
        if not any(self.strokes):
            raise ValidationError("A signature needs at least one stroke.")
        if not self.consent_text.strip():
            raise ValidationError("A signature is recorded with the consent text the customer accepted.")
        _require_utc(self.signed_at, "signed_at")


def _require_utc(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() != timedelta(0):
        raise ValidationError(f"{what} must be an aware UTC datetime.")


@dataclass(frozen=True)
class ReceiptData:
    receipt_number: str
    store_name: str
    store_address: tuple[str, ...]
    store_number: str
    terminal: str
    rep_id: str
    rep_name: str
    issued_at: datetime  # aware, UTC
    store_tz: str  # IANA name, e.g. "America/Los_Angeles"
    lines: tuple[ReceiptLine, ...]
    tenders: tuple[Tender, ...]
    taxes: tuple[TaxLine, ...] = ()
    fees: tuple[FeeLine, ...] = ()
    change_due_cents: int = 0
    masked_account: str | None = None
    eip_summary: tuple[SummaryLine, ...] = ()
    trade_in_summary: tuple[SummaryLine, ...] = ()
    return_policy: ReturnPolicy = field(default_factory=ReturnPolicy)
    signature: Signature | None = None
    original_receipt_number: str | None = None  # set on a refund
    training: bool = False  # completed in training mode: "TRAINING — not a receipt for payment", top and bottom
    activations: tuple[ActivationSummary, ...] = ()  # the sale's activation lines (empty: no section at all)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9-]{1,40}", self.receipt_number):
            raise ValidationError("A receipt number is 1-40 letters, digits or dashes.")
        _require_utc(self.issued_at, "issued_at")
        try:
            ZoneInfo(self.store_tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(f"Unknown time zone {self.store_tz!r}.") from None
        if not self.lines:
            raise ValidationError("A receipt has at least one line.")
        if self.masked_account is not None:
            _no_long_digit_run(self.masked_account, "A masked account number")
        if self.change_due_cents < 0:
            raise ValidationError("Change due cannot be negative.")
        paid = sum(t.amount_cents for t in self.tenders) - self.change_due_cents
        if paid != self.total_cents:
            raise ValidationError(f"Tenders minus change ({paid}) do not equal the total ({self.total_cents}).")

    @property
    def is_refund(self) -> bool:
        return self.original_receipt_number is not None

    @property
    def subtotal_cents(self) -> int:
        return sum(line.line_total_cents for line in self.lines)

    @property
    def tax_cents(self) -> int:
        return sum(t.cents for t in self.taxes)

    @property
    def fee_cents(self) -> int:
        return sum(f.cents for f in self.fees)

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.tax_cents + self.fee_cents

    @property
    def local_issued_at(self) -> datetime:
        return self.issued_at.astimezone(ZoneInfo(self.store_tz))
