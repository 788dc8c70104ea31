"""Activations, port-ins, the store's number pool, the carrier's outbound queue and plan changes (DOMAIN.md,
activation and port-in; plans).

Secrets never land here: a port-in's transfer PIN lives in the OS keyring until the carrier accepted the port
(``port_in.pin_held`` says whether one is held), and an eSIM activation code is only ever in memory on its way to
the customer window — the line keeps its masked form (``esim_code_masked``) and nothing else.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from posapp.db.models.base import Base, Syncable, str_enum, uuid_pk
from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    DeviceSource,
    LineActivationStatus,
    NumberSource,
    PlanChangeStatus,
    PoolStatus,
    PortStatus,
    ProvisioningEventKind,
    RequestAction,
    RequestStatus,
    SimKind,
)
from posapp.domain.proration import ChangeTiming


class Activation(Syncable, Base):
    """One activation order at the counter. Pending until its sale (``sale_id``) is completed."""

    __tablename__ = "activation"
    id: Mapped[uuid.UUID] = uuid_pk()
    number: Mapped[str] = mapped_column(String(30), unique=True)  # STORE-TERMINAL-SEQ, shown and printed
    kind: Mapped[ActivationKind] = mapped_column(str_enum(ActivationKind))
    status: Mapped[ActivationStatus] = mapped_column(str_enum(ActivationStatus), index=True)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"), index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("account.id"), index=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employee.id"))
    sale_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sale.id"), index=True)
    case_number: Mapped[str | None] = mapped_column(String(30))
    training: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    paid_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]


class ActivationLine(Syncable, Base):
    """One line of an activation: the number, the device, the SIM or eSIM, the plan and how the device is paid."""

    __tablename__ = "activation_line"
    __table_args__ = (UniqueConstraint("activation_id", "line_no"),)
    id: Mapped[uuid.UUID] = uuid_pk()
    activation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activation.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[LineActivationStatus] = mapped_column(str_enum(LineActivationStatus), index=True)
    reason: Mapped[str | None] = mapped_column(String(200))  # why failed / on hold / rejected, in plain words
    line_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("line.id"), index=True)  # existing or created
    number_source: Mapped[NumberSource | None] = mapped_column(str_enum(NumberSource))
    msisdn: Mapped[str | None] = mapped_column(String(16), index=True)  # E.164
    plan_code: Mapped[str | None] = mapped_column(ForeignKey("plan.code"))
    features: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of feature codes
    device_source: Mapped[DeviceSource | None] = mapped_column(str_enum(DeviceSource))
    imei: Mapped[str | None] = mapped_column(String(15), index=True)
    imei2: Mapped[str | None] = mapped_column(String(15))
    model_code: Mapped[str | None] = mapped_column(ForeignKey("device_model.code"))
    inventory_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inventory_device.id"))
    block_checked_at: Mapped[datetime | None]
    block_result: Mapped[str | None] = mapped_column(String(20))  # clear / blocked / unknown
    sim_kind: Mapped[SimKind | None] = mapped_column(str_enum(SimKind))
    iccid: Mapped[str | None] = mapped_column(String(22))
    eid: Mapped[str | None] = mapped_column(String(32))
    esim_code_masked: Mapped[str | None] = mapped_column(String(120))  # never the code itself
    financed: Mapped[bool] = mapped_column(Boolean, default=False)
    down_payment_cents: Mapped[int] = mapped_column(Integer, default=0)
    eip_months: Mapped[int | None] = mapped_column(Integer)
    agreement_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("financing_agreement.id"))
    activated_at: Mapped[datetime | None]


class PortIn(Syncable, Base):
    """A number transfer from another carrier for one activation line. ``attempt`` counts (re)submissions."""

    __tablename__ = "port_in"
    id: Mapped[uuid.UUID] = uuid_pk()
    activation_line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activation_line.id"), unique=True)
    msisdn: Mapped[str] = mapped_column(String(16), index=True)
    old_carrier: Mapped[str] = mapped_column(String(60))
    old_account_number: Mapped[str] = mapped_column(String(30))
    pin_held: Mapped[bool] = mapped_column(Boolean, default=False)  # the transfer PIN is in the keyring
    name: Mapped[str] = mapped_column(String(120))  # as at the old carrier
    billing_zip: Mapped[str] = mapped_column(String(10))
    prepaid: Mapped[bool] = mapped_column(Boolean, default=False)
    desired_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[PortStatus] = mapped_column(str_enum(PortStatus), index=True)
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(200))
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]


class PoolNumber(Syncable, Base):
    """A phone number head office assigned to this store. Picked = reserved for one activation line."""

    __tablename__ = "pool_number"
    id: Mapped[uuid.UUID] = uuid_pk()
    msisdn: Mapped[str] = mapped_column(String(16), unique=True)  # E.164
    status: Mapped[PoolStatus] = mapped_column(str_enum(PoolStatus), index=True)
    reserved_by_line_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activation_line.id"))
    reserved_at: Mapped[datetime | None]


class ProvisioningRequest(Base):
    """The durable outbound queue to the carrier (local to this terminal; answers sync as events).

    ``id`` is the idempotency key the carrier sees: a retry sends the same id, so it never activates twice.
    ``payload`` is canonical JSON without secrets (the transfer PIN is read from the keyring when sending).
    """

    __tablename__ = "provisioning_request"
    id: Mapped[uuid.UUID] = uuid_pk()
    activation_line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activation_line.id"), index=True)
    action: Mapped[RequestAction] = mapped_column(str_enum(RequestAction))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(200))
    carrier_ref: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


class ProvisioningEvent(Syncable, Base):
    """One step of a line's provisioning (append-only): queued, submitted, the carrier's answers, retries."""

    __tablename__ = "provisioning_event"
    id: Mapped[uuid.UUID] = uuid_pk()
    activation_line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activation_line.id"), index=True)
    request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("provisioning_request.id"))
    kind: Mapped[ProvisioningEventKind] = mapped_column(str_enum(ProvisioningEventKind))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime]


class PlanChange(Syncable, Base):
    """A line's plan change (append-only): applied now with its proration, or scheduled for the next cycle."""

    __tablename__ = "plan_change"
    id: Mapped[uuid.UUID] = uuid_pk()
    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("line.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"))
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employee.id"))
    old_plan_code: Mapped[str] = mapped_column(ForeignKey("plan.code"))
    new_plan_code: Mapped[str] = mapped_column(ForeignKey("plan.code"))
    old_features: Mapped[str] = mapped_column(Text, default="[]")
    new_features: Mapped[str] = mapped_column(Text, default="[]")
    timing: Mapped[ChangeTiming] = mapped_column(str_enum(ChangeTiming))
    effective_on: Mapped[date] = mapped_column(Date)
    credit_cents: Mapped[int] = mapped_column(Integer, default=0)
    charge_cents: Mapped[int] = mapped_column(Integer, default=0)
    autopay_delta_cents: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[PlanChangeStatus] = mapped_column(str_enum(PlanChangeStatus))
