"""Unlock eligibility of a line (issue 12, first slice; read-only): the facts from the database, the verdict from
:func:`posapp.domain.unlock.check_unlock` with the store's settings.

How each fact is read:

- plan kind: the line's plan (``plan.kind``).
- the device: the device whose ``line_id`` is the line (the newest bought if several); no device -> unknown
  device (not sold by the carrier, not used on the line, days active 0).
- lost/stolen/blocked: the device's status.
- good standing: the account's status is ``active`` (not suspended or closed) and no bill is overdue (status
  ``overdue``, or ``open``/``partial`` with its due date before the store's today). The account's running balance
  alone is not a failure: a bill not yet due is normal.
- days active: whole days since the later of the line's ``activated_at`` and the device's ``purchased_at`` (the
  device cannot have been on the line before it was bought; the models keep no separate "device attached" time).
- financing balance: the sum of the ``balance_cents`` of the device's agreements not paid off.
- unlocks in the last 12 months: 0 until unlock requests are recorded (a later slice of issue 12).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.config import Settings
from posapp.db.models import Account, Bill, Device, FinancingAgreement, Line, Plan
from posapp.domain.enums import AccountStatus, BillStatus, DeviceStatus, FinancingStatus, PlanKind
from posapp.domain.identifiers import normalize_phone
from posapp.domain.unlock import UnlockFacts, UnlockPolicy, UnlockVerdict, check_unlock
from posapp.errors import NotFoundError
from posapp.security.permissions import Permission
from posapp.services.dto import Actor
from posapp.services.uow import UnitOfWork

_REPORTED = {DeviceStatus.LOST, DeviceStatus.STOLEN, DeviceStatus.BLOCKED}


def unlock_policy(settings: Settings) -> UnlockPolicy:
    return UnlockPolicy(postpaid_days=settings.unlock_postpaid_days, prepaid_days=settings.unlock_prepaid_days,
                        prepaid_max_per_year=settings.unlock_prepaid_max_per_year)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _standing(s: Session, account: Account, today: date) -> tuple[bool, str]:
    if account.status is not AccountStatus.ACTIVE:
        return False, f"account {account.status.value}"
    bills = s.scalars(select(Bill).where(Bill.account_id == account.id).order_by(Bill.due_date)).all()
    for bill in bills:
        late = bill.status in (BillStatus.OPEN, BillStatus.PARTIAL) and bill.due_date < today
        if bill.status is BillStatus.OVERDUE or late:
            return False, f"bill due {bill.due_date.isoformat()} is overdue"
    return True, ""


def _device(s: Session, line: Line) -> Device | None:
    rows = s.scalars(select(Device).where(Device.line_id == line.id)).all()
    floor = datetime.min.replace(tzinfo=UTC)
    return max(rows, key=lambda d: _aware(d.purchased_at) if d.purchased_at else floor, default=None)


def _financing_cents(s: Session, device: Device) -> int:
    rows = s.scalars(select(FinancingAgreement).where(FinancingAgreement.device_id == device.id)).all()
    return sum(max(r.balance_cents, 0) for r in rows if r.status is not FinancingStatus.PAID_OFF)


def _days_active(line: Line, device: Device | None, now: datetime) -> int:
    starts = [_aware(at) for at in (line.activated_at, device.purchased_at if device else None) if at is not None]
    if device is None or not starts:
        return 0
    return max((now - max(starts)).days, 0)


class UnlockService:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    def facts(self, actor: Actor, number: str, *, military: bool = False,
              now: datetime | None = None) -> UnlockFacts:
        """The facts of the line with this phone number (any format); NotFoundError for an unknown number."""
        self._uow.check(actor, Permission.CUSTOMER_LOOKUP)
        msisdn = normalize_phone(number)
        now = now or datetime.now(UTC)
        today = now.astimezone(ZoneInfo(self._uow.core.settings.store_timezone)).date()
        with self._uow.read() as s:
            line = s.scalars(select(Line).where(Line.msisdn == msisdn)).first()
            if line is None:
                raise NotFoundError(f"No line has the number {number}.")
            plan = s.get(Plan, line.plan_code)
            account = s.get(Account, line.account_id)
            assert plan is not None and account is not None
            device = _device(s, line)
            good, detail = _standing(s, account, today)
            return UnlockFacts(
                plan_kind=PlanKind(plan.kind), sold_by_carrier=bool(device and device.sold_by_carrier),
                reported_lost_stolen_blocked=bool(device and device.status in _REPORTED), good_standing=good,
                days_active=_days_active(line, device, now),
                financing_balance_cents=_financing_cents(s, device) if device else 0,
                used_on_line=device is not None, unlocks_last_12_months=0, military=military,
                standing_detail=detail)

    def check(self, actor: Actor, number: str, *, military: bool = False,
              now: datetime | None = None) -> UnlockVerdict:
        facts = self.facts(actor, number, military=military, now=now)
        return check_unlock(facts, unlock_policy(self._uow.core.settings))
