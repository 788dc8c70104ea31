"""Customers, accounts and everything hanging off an account."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from posapp.db.models.base import Base, Syncable, str_enum, uuid_pk
from posapp.domain.enums import (
    AccountKind,
    AccountStatus,
    AutoPayMethod,
    BillStatus,
    DeviceStatus,
    FinancingStatus,
    LineStatus,
    MemberRole,
    PaymentMethod,
)


class Customer(Syncable, Base):
    """A person. Mutable profile: synced per field, last writer wins by HLC (guide §4)."""

    __tablename__ = "customer"
    id: Mapped[uuid.UUID] = uuid_pk()
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(120), index=True)
    phone_e164: Mapped[str | None] = mapped_column(String(16), index=True)
    phone_digits: Mapped[str | None] = mapped_column(String(15), index=True)  # national digits, prefix search
    address_line1: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str | None] = mapped_column(String(60))
    state: Mapped[str | None] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    address_changed_at: Mapped[datetime | None]


class Account(Syncable, Base):
    __tablename__ = "account"
    id: Mapped[uuid.UUID] = uuid_pk()
    account_number: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[AccountKind] = mapped_column(str_enum(AccountKind))
    business_name: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[AccountStatus] = mapped_column(str_enum(AccountStatus))
    pin_hash: Mapped[bytes | None] = mapped_column(LargeBinary(64))
    pin_salt: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    pin_params: Mapped[str | None] = mapped_column(String(40))  # None: posapp.security.pins.DEFAULT_PARAMS
    balance_cents: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime]
    failed_verifications: Mapped[int] = mapped_column(Integer, default=0)
    verification_locked_until: Mapped[datetime | None]


class AccountMember(Syncable, Base):
    __tablename__ = "account_member"
    __table_args__ = (Index("ix_account_member_customer", "customer_id"),)
    id: Mapped[uuid.UUID] = uuid_pk()
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole))


class Line(Syncable, Base):
    __tablename__ = "line"
    id: Mapped[uuid.UUID] = uuid_pk()
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    msisdn: Mapped[str] = mapped_column(String(16), unique=True)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plan.code"))
    status: Mapped[LineStatus] = mapped_column(str_enum(LineStatus))
    sim_protection: Mapped[bool] = mapped_column(Boolean, default=False)
    port_out_protection: Mapped[bool] = mapped_column(Boolean, default=False)
    iccid: Mapped[str | None] = mapped_column(String(22), index=True)
    eid: Mapped[str | None] = mapped_column(String(32))
    features: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")  # JSON list of feature codes
    activated_at: Mapped[datetime | None]


class Device(Syncable, Base):
    __tablename__ = "device"
    id: Mapped[uuid.UUID] = uuid_pk()
    imei: Mapped[str] = mapped_column(String(15), unique=True)
    imei2: Mapped[str | None] = mapped_column(String(15))
    model_code: Mapped[str] = mapped_column(ForeignKey("device_model.code"))
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("account.id"), index=True)
    line_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("line.id"), index=True)
    status: Mapped[DeviceStatus] = mapped_column(str_enum(DeviceStatus))
    sold_by_carrier: Mapped[bool] = mapped_column(Boolean, default=True)
    purchased_at: Mapped[datetime | None]
    warranty_end: Mapped[date | None] = mapped_column(Date)


class FinancingAgreement(Syncable, Base):
    """Equipment installment plan (EIP)."""

    __tablename__ = "financing_agreement"
    id: Mapped[uuid.UUID] = uuid_pk()
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), index=True)
    financed_cents: Mapped[int] = mapped_column(Integer)
    down_payment_cents: Mapped[int] = mapped_column(Integer)
    months: Mapped[int] = mapped_column(Integer)
    monthly_cents: Mapped[int] = mapped_column(Integer)
    balance_cents: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    status: Mapped[FinancingStatus] = mapped_column(str_enum(FinancingStatus))


class Bill(Syncable, Base):
    __tablename__ = "bill"
    id: Mapped[uuid.UUID] = uuid_pk()
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[BillStatus] = mapped_column(str_enum(BillStatus))


class BillPayment(Syncable, Base):
    """Append-only money event."""

    __tablename__ = "bill_payment"
    id: Mapped[uuid.UUID] = uuid_pk()
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    bill_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bill.id"))
    amount_cents: Mapped[int] = mapped_column(Integer)
    paid_at: Mapped[datetime]
    method: Mapped[PaymentMethod] = mapped_column(str_enum(PaymentMethod))
    reference: Mapped[str | None] = mapped_column(String(40))


class AutoPayEnrolment(Syncable, Base):
    __tablename__ = "autopay_enrolment"
    id: Mapped[uuid.UUID] = uuid_pk()
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    method: Mapped[AutoPayMethod] = mapped_column(str_enum(AutoPayMethod))
    last4: Mapped[str] = mapped_column(String(4))
    enrolled_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
