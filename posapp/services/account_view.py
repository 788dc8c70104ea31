"""DTOs of the account view. The masked view is all an unverified visit ever receives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from posapp.domain.account_rules import AccountAction, Decision
from posapp.services.interactions import CaseDTO


@dataclass(frozen=True)
class MaskedLine:
    line_id: uuid.UUID
    masked_msisdn: str
    active: bool


@dataclass(frozen=True)
class MaskedAccount:
    """What the rep sees before verification: names and masked numbers, nothing else."""

    account_id: uuid.UUID
    customer_name: str
    business_name: str | None
    account_kind: str
    masked_account_number: str
    member_role: str
    lines: tuple[MaskedLine, ...]
    code_by_text_only: bool


@dataclass(frozen=True)
class LineView:
    id: uuid.UUID
    msisdn: str
    plan_code: str
    plan_name: str
    monthly_cents: int
    status: str
    sim_protection: bool
    port_out_protection: bool


@dataclass(frozen=True)
class DeviceView:
    id: uuid.UUID
    imei: str
    tac: str
    model: str
    status: str
    line_msisdn: str | None
    warranty_end: date | None
    eip_balance_cents: int | None
    eip_months_left: int | None
    upgrade_eligible: bool


@dataclass(frozen=True)
class BillView:
    id: uuid.UUID
    period_start: date
    period_end: date
    due_date: date
    amount_cents: int
    status: str


@dataclass(frozen=True)
class PaymentView:
    paid_at: datetime
    amount_cents: int
    method: str


@dataclass(frozen=True)
class MemberView:
    customer_id: uuid.UUID
    name: str
    role: str


@dataclass(frozen=True)
class AlertView:
    kind: str
    line_id: uuid.UUID | None
    enabled: bool


@dataclass(frozen=True)
class AutoPayView:
    enrolled: bool
    method: str | None
    last4: str | None
    discount_cents: int
    since: datetime | None


@dataclass(frozen=True)
class AccountDetails:
    """The full view, only for a verified visit whose customer's role may view the account."""

    account_id: uuid.UUID
    account_number: str
    account_kind: str
    business_name: str | None
    status: str
    customer_name: str
    member_role: str
    balance_cents: int
    autopay: AutoPayView
    lines: tuple[LineView, ...]
    devices: tuple[DeviceView, ...]
    bills: tuple[BillView, ...]
    payments: tuple[PaymentView, ...]
    members: tuple[MemberView, ...]
    alerts: tuple[AlertView, ...]
    cases: tuple[CaseDTO, ...]


@dataclass(frozen=True)
class AccountScreen:
    masked: MaskedAccount
    details: AccountDetails | None  # None until verified (or when the customer's role may not view)
    level: str
    actions: dict[AccountAction, Decision]
