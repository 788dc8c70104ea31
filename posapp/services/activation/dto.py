"""What the activation services return and take. Plain frozen data: no ORM rows, no secrets.

The F4 page's state object (:mod:`posapp.workflows.activation`) and the account view build on these names. An
eSIM activation code never appears here: :attr:`LineDTO.esim_code_masked` is its masked form, and the code itself
reaches the customer window only through :class:`posapp.events.EsimCodeReady` (an in-memory event).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    DeviceSource,
    LineActivationStatus,
    NumberSource,
    PortStatus,
    SimKind,
)


@dataclass(frozen=True)
class DeviceCheck:
    """A device identified for a line: a store device from stock, or the customer's own (BYOD)."""

    imei: str
    imei2: str | None
    tac: str
    model_code: str | None  # None: the TAC is not in the catalog
    model_name: str  # "Apple iPhone 15 128 GB" or "Unknown device (TAC 35332011)"
    esim_capable: bool
    compatible: bool
    block_result: str  # "clear", "blocked" or "unknown" (block list not reachable: the rep may not proceed)
    problems: tuple[str, ...] = ()  # each reason the device cannot be used, in plain words
    inventory_id: uuid.UUID | None = None  # set for a store device
    retail_cents: int = 0


@dataclass(frozen=True)
class PortInDTO:
    msisdn: str
    old_carrier: str
    old_account_masked: str  # last 4 only
    name: str
    billing_zip: str
    prepaid: bool
    desired_date: date | None
    status: PortStatus
    reason_code: str | None
    reason: str | None
    attempt: int
    pin_held: bool


@dataclass(frozen=True)
class PortInForm:
    """What the rep types for a port-in. ``transfer_pin`` goes to the OS keyring, never to the database."""

    msisdn: str
    old_carrier: str
    old_account_number: str
    transfer_pin: str
    name: str
    billing_zip: str
    prepaid: bool = False
    desired_date: date | None = None


@dataclass(frozen=True)
class EipTerms:
    down_payment_cents: int
    months: int = 24


@dataclass(frozen=True)
class EipQuote:
    retail_cents: int
    down_payment_cents: int
    financed_cents: int
    months: int
    monthly_cents: int
    last_month_cents: int


@dataclass(frozen=True)
class LineDTO:
    id: uuid.UUID
    line_no: int
    status: LineActivationStatus
    reason: str | None
    line_id: uuid.UUID | None
    number_source: NumberSource | None
    msisdn: str | None
    plan_code: str | None
    plan_name: str | None
    features: tuple[str, ...]
    device_source: DeviceSource | None
    imei: str | None
    model_name: str | None
    sim_kind: SimKind | None
    iccid: str | None
    eid: str | None
    esim_code_masked: str | None
    financed: bool
    eip: EipQuote | None
    port_in: PortInDTO | None
    activated_at: datetime | None


@dataclass(frozen=True)
class ActivationDTO:
    id: uuid.UUID
    number: str
    kind: ActivationKind
    status: ActivationStatus
    visit_id: uuid.UUID | None
    account_id: uuid.UUID | None
    account_number: str | None
    sale_id: uuid.UUID | None
    training: bool
    lines: tuple[LineDTO, ...]
    created_at: datetime
    warnings: tuple[str, ...] = ()  # e.g. "Keep your old service active until the transfer completes."


@dataclass(frozen=True)
class FeatureOption:
    code: str
    name: str
    monthly_cents: int


@dataclass(frozen=True)
class PlanOption:
    """A plan this store sells, with the features a line on it may add (the features catalog)."""

    code: str
    name: str
    monthly_cents: int
    features: tuple[FeatureOption, ...] = ()


@dataclass(frozen=True)
class PoolNumberDTO:
    msisdn: str
    display: str  # "(206) 555-0142"
