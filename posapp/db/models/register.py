"""Register: accessory catalog, serialized device stock, sales, tenders, refunds and the cash drawer.

Money rows are append-only once a sale is completed (guide §4): a refund is a new sale pointing at the original
(``original_sale_id``), never an edit. An open sale is the cart; completing it freezes its lines and totals.
Card tenders hold the terminal's token, brand, last 4 and auth code only — never a card number or CVV.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from posapp.db.models.base import Base, Syncable, str_enum, uuid_pk
from posapp.domain.register import (
    DrawerEventKind,
    DrawerStatus,
    ForwardResult,
    InventoryStatus,
    SaleKind,
    SaleStatus,
    TenderKind,
    TenderState,
)
from posapp.domain.tax import Category


class Accessory(Base):
    """Head-office accessory catalog, scanned by UPC."""

    __tablename__ = "accessory"
    upc: Mapped[str] = mapped_column(String(14), primary_key=True)
    sku: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    price_cents: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class InventoryDevice(Syncable, Base):
    """One serialized device in this store's stock. Reserved by at most one open sale (cart) at a time."""

    __tablename__ = "inventory_device"
    id: Mapped[uuid.UUID] = uuid_pk()
    imei: Mapped[str] = mapped_column(String(15), unique=True)
    model_code: Mapped[str] = mapped_column(ForeignKey("device_model.code"))
    status: Mapped[InventoryStatus] = mapped_column(str_enum(InventoryStatus), index=True)
    reserved_by_sale_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sale.id"), index=True)


class Sale(Syncable, Base):
    __tablename__ = "sale"
    __table_args__ = (
        CheckConstraint("(kind = 'refund') = (original_sale_id IS NOT NULL)", name="refund_has_original"),
        CheckConstraint("status != 'completed' OR receipt_no IS NOT NULL", name="completed_has_receipt"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    receipt_no: Mapped[str | None] = mapped_column(String(30), unique=True)
    kind: Mapped[SaleKind] = mapped_column(str_enum(SaleKind))
    status: Mapped[SaleStatus] = mapped_column(str_enum(SaleStatus), index=True)
    original_sale_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sale.id"), index=True)
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employee.id"))
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("account.id"))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))
    jurisdiction: Mapped[str] = mapped_column(String(30))
    subtotal_cents: Mapped[int] = mapped_column(Integer, default=0)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    tax_cents: Mapped[int] = mapped_column(Integer, default=0)
    fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    restocking_cents: Mapped[int] = mapped_column(Integer, default=0)
    total_cents: Mapped[int] = mapped_column(Integer, default=0)  # positive for both sales and refunds
    completed_at: Mapped[datetime | None]
    # Completed in training mode (frozen at completion): its receipt says TRAINING, on every reprint too.
    training: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SaleLine(Syncable, Base):
    __tablename__ = "sale_line"
    __table_args__ = (UniqueConstraint("sale_id", "line_no"),
                      CheckConstraint("qty > 0", name="qty_positive"),
                      CheckConstraint("discount_cents >= 0", name="discount_not_negative"))
    id: Mapped[uuid.UUID] = uuid_pk()
    sale_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sale.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    category: Mapped[Category] = mapped_column(str_enum(Category))
    sku: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(120))
    upc: Mapped[str | None] = mapped_column(String(14))
    imei: Mapped[str | None] = mapped_column(String(15))
    inventory_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inventory_device.id"))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    full_retail_cents: Mapped[int | None] = mapped_column(Integer)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    price_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    original_line_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sale_line.id"), index=True)
    restocking_fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)  # taken out of the cart before completion
    # the activation line this cart line was put in for (device, SIM kit / eSIM, activation fee)
    activation_line_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activation_line.id"), index=True)


class SaleTaxLine(Syncable, Base):
    """A tax, government fee or carrier surcharge line of a completed sale, as printed."""

    __tablename__ = "sale_tax_line"
    id: Mapped[uuid.UUID] = uuid_pk()
    sale_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sale.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # tax | government_fee | carrier_surcharge
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(120))
    base_cents: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)


class Tender(Syncable, Base):
    __tablename__ = "tender"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),
                      CheckConstraint("card_last4 IS NULL OR length(card_last4) = 4", name="last4_only"))
    id: Mapped[uuid.UUID] = uuid_pk()
    sale_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sale.id"), index=True)
    kind: Mapped[TenderKind] = mapped_column(str_enum(TenderKind))
    state: Mapped[TenderState] = mapped_column(str_enum(TenderState))
    amount_cents: Mapped[int] = mapped_column(Integer)
    tendered_cents: Mapped[int | None] = mapped_column(Integer)  # cash handed over
    change_cents: Mapped[int | None] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(40), unique=True)
    card_token: Mapped[str | None] = mapped_column(String(64))
    card_brand: Mapped[str | None] = mapped_column(String(20))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    auth_code: Mapped[str | None] = mapped_column(String(12))
    decline_reason: Mapped[str | None] = mapped_column(String(80))
    original_tender_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tender.id"))
    resolved_at: Mapped[datetime | None]
    # Offline (store-and-forward) card payment taken while the store link was down: approved by the terminal
    # alone, to be forwarded to the processor by ``forward_by``. The outcome is an OfflineForward row.
    offline: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    forward_by: Mapped[datetime | None]


class DrawerSession(Syncable, Base):
    __tablename__ = "drawer_session"
    id: Mapped[uuid.UUID] = uuid_pk()
    status: Mapped[DrawerStatus] = mapped_column(str_enum(DrawerStatus), index=True)
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("employee.id"))
    float_cents: Mapped[int] = mapped_column(Integer)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employee.id"))
    closed_at: Mapped[datetime | None]
    expected_cents: Mapped[int | None] = mapped_column(Integer)
    counted_cents: Mapped[int | None] = mapped_column(Integer)
    counts_json: Mapped[str | None] = mapped_column(Text)  # {"cents value": pieces}
    variance_cents: Mapped[int | None] = mapped_column(Integer)
    variance_reason: Mapped[str | None] = mapped_column(String(200))


class DrawerEvent(Syncable, Base):
    """Append-only cash movements and openings of the drawer."""

    __tablename__ = "drawer_event"
    id: Mapped[uuid.UUID] = uuid_pk()
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drawer_session.id"), index=True)
    kind: Mapped[DrawerEventKind] = mapped_column(str_enum(DrawerEventKind))
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)  # signed: into the drawer positive
    reason: Mapped[str | None] = mapped_column(String(200))
    sale_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sale.id"))
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employee.id"))


class SaleSignature(Syncable, Base):
    """The customer's on-screen signature for a sale, with the ESIGN consent they accepted (append-only).

    ``strokes_json`` is a JSON list of strokes, each a list of ``[x, y, t_ms]`` (x, y normalised 0..1, y down).
    Signing again before the sale completes adds a new row that ``supersedes_id`` the previous one; the current
    signature of a sale is the one no other row supersedes. Rows are never updated or deleted (triggers).
    """

    __tablename__ = "sale_signature"
    id: Mapped[uuid.UUID] = uuid_pk()
    sale_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sale.id"), index=True)
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sale_signature.id"), unique=True)
    strokes_json: Mapped[str] = mapped_column(Text)
    pad_aspect: Mapped[float] = mapped_column(Float)  # pad width / height, to draw the strokes undistorted
    amount_cents: Mapped[int] = mapped_column(Integer)  # the amount due the customer signed for
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime]
    signed_at: Mapped[datetime]
    png: Mapped[bytes | None] = mapped_column(LargeBinary)
    employee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employee.id"))


class OfflineForward(Syncable, Base):
    """The outcome of forwarding one offline card tender (append-only; at most one per tender).

    ``declined``: the processor refused the payment after the sale was completed. The sale stays completed and
    the tender stays as it was; the manager sees the tender flagged ``offline_declined`` and collects the money.
    """

    __tablename__ = "offline_forward"
    id: Mapped[uuid.UUID] = uuid_pk()
    tender_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tender.id"), unique=True)
    result: Mapped[ForwardResult] = mapped_column(str_enum(ForwardResult))
    auth_code: Mapped[str | None] = mapped_column(String(12))
    decline_reason: Mapped[str | None] = mapped_column(String(80))
    forwarded_at: Mapped[datetime]
    employee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employee.id"))


class StoreCreditEntry(Syncable, Base):
    """One movement of a customer's (or an account's) store credit; the balance is the sum (append-only).

    Positive: credit issued (trade-in, goodwill, a refund of a store-credit tender). Negative: credit spent by a
    ``store_credit`` tender (``tender_id``)."""

    __tablename__ = "store_credit_entry"
    __table_args__ = (
        CheckConstraint("(customer_id IS NULL) != (account_id IS NULL)", name="one_holder"),
        CheckConstraint("amount_cents != 0", name="amount_not_zero"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"), index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("account.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    sale_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sale.id"), index=True)
    tender_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tender.id"), index=True)
    employee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employee.id"))


class SaleEipSnapshot(Syncable, Base):
    """Device financing (EIP) as it stood when a sale completed, for the receipt's EIP summary (append-only):
    written for an extra EIP payment and for a device sold that is on an active agreement."""

    __tablename__ = "sale_eip_snapshot"
    id: Mapped[uuid.UUID] = uuid_pk()
    sale_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sale.id"), index=True)
    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("financing_agreement.id"))
    imei_last4: Mapped[str] = mapped_column(String(4))
    payment_cents: Mapped[int] = mapped_column(Integer)
    balance_before_cents: Mapped[int] = mapped_column(Integer)
    balance_after_cents: Mapped[int] = mapped_column(Integer)
    monthly_cents: Mapped[int] = mapped_column(Integer)
    months_left_before: Mapped[int] = mapped_column(Integer)
    months_left_after: Mapped[int] = mapped_column(Integer)
