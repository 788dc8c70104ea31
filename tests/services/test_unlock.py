"""UnlockService on a real SQLite database: the facts read from the line, its device, financing and bills."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from posapp.db.models import Account, Bill, Device, FinancingAgreement, Line, Plan
from posapp.domain.enums import AccountStatus, BillStatus, DeviceStatus, FinancingStatus, PlanKind
from posapp.domain.unlock import UnlockVerdict
from posapp.errors import NotFoundError, ValidationError
from posapp.services.unlock import UnlockService
from tests.helpers.accounts import MadeAccount

NUMBER = "(206) 555-0142"


def failed(verdict: UnlockVerdict) -> list[str]:
    return [c.name for c in verdict.failed]


def edit(services: Any, actor: Any, account: MadeAccount, change: Callable[[Any, Device, Line], None]) -> None:
    with services.uow.write(actor) as tx:
        device = tx.session.scalars(select(Device).where(Device.imei == account.imeis[0])).one()
        line = tx.session.get(Line, account.line_ids[0])
        change(tx, device, line)


def bought_days_ago(days: int) -> Callable[[Any, Device, Line], None]:
    def change(tx: Any, device: Device, line: Line) -> None:
        device.purchased_at = tx.now - timedelta(days=days)
    return change


def pay_off(tx: Any, device: Device, line: Line) -> None:
    for fa in tx.session.scalars(select(FinancingAgreement).where(FinancingAgreement.device_id == device.id)):
        fa.balance_cents, fa.status = 0, FinancingStatus.PAID_OFF


@pytest.fixture
def svc(services: Any) -> UnlockService:
    return UnlockService(uow=services.uow)


@pytest.fixture
def eligible(services: Any, employees: Any, make_account: Callable[..., MadeAccount]) -> MadeAccount:
    account = make_account()
    edit(services, employees.admin, account, bought_days_ago(100))
    edit(services, employees.admin, account, pay_off)
    return account


def test_a_new_financed_device_fails_days_and_financing(services: Any, employees: Any, svc: UnlockService,
                                                        make_account: Callable[..., MadeAccount]) -> None:
    make_account()  # device bought today on a line active 200 days, $420.00 still financed
    verdict = svc.check(employees.rep, NUMBER)
    assert not verdict.eligible
    assert failed(verdict) == ["days_active", "financing_paid"]
    whys = {c.name: c.why for c in verdict.conditions}
    assert whys["days_active"] == "Active on this line 0 of 40 days; 40 days to go"
    assert whys["financing_paid"] == "Financing balance $420.00 must be paid in full"


def test_paid_off_device_on_the_line_long_enough_is_eligible(employees: Any, svc: UnlockService,
                                                             eligible: MadeAccount) -> None:
    verdict = svc.check(employees.rep, "+1 206 555 0142")
    assert verdict.eligible, verdict.failed
    facts = svc.facts(employees.rep, NUMBER)
    assert (facts.days_active, facts.financing_balance_cents, facts.unlocks_last_12_months) == (100, 0, 0)


def test_days_count_from_the_line_when_it_was_activated_after_the_purchase(
        services: Any, employees: Any, svc: UnlockService, eligible: MadeAccount) -> None:
    edit(services, employees.admin, eligible, bought_days_ago(300))  # line activated 200 days ago
    assert svc.facts(employees.rep, NUMBER).days_active == 200


def test_device_status_and_not_sold_by_carrier(services: Any, employees: Any, svc: UnlockService,
                                               eligible: MadeAccount) -> None:
    def lost(tx: Any, device: Device, line: Line) -> None:
        device.status = DeviceStatus.STOLEN
    edit(services, employees.admin, eligible, lost)
    assert failed(svc.check(employees.rep, NUMBER)) == ["not_lost_stolen_blocked"]

    def byod(tx: Any, device: Device, line: Line) -> None:
        device.status, device.sold_by_carrier = DeviceStatus.IN_USE, False
    edit(services, employees.admin, eligible, byod)
    assert failed(svc.check(employees.rep, NUMBER)) == ["sold_by_carrier"]


def test_good_standing_from_bills_and_account_status(services: Any, employees: Any, svc: UnlockService,
                                                     eligible: MadeAccount) -> None:
    today = datetime.now(UTC).date()

    def bill(due: date, status: BillStatus) -> Callable[[Any, Device, Line], None]:
        def change(tx: Any, device: Device, line: Line) -> None:
            tx.add(Bill(account_id=eligible.account_id, period_start=due - timedelta(days=40),
                        period_end=due - timedelta(days=10), due_date=due, amount_cents=6000, status=status))
        return change
    edit(services, employees.admin, eligible, bill(today + timedelta(days=10), BillStatus.OPEN))  # not yet due
    assert svc.check(employees.rep, NUMBER).eligible
    past = today - timedelta(days=5)
    edit(services, employees.admin, eligible, bill(past, BillStatus.PARTIAL))
    verdict = svc.check(employees.rep, NUMBER)
    assert failed(verdict) == ["good_standing"]
    assert verdict.failed[0].why == f"Account not in good standing: bill due {past.isoformat()} is overdue"

    def settle(tx: Any, device: Device, line: Line) -> None:
        for b in tx.session.scalars(select(Bill).where(Bill.account_id == eligible.account_id)):
            b.status = BillStatus.PAID
        acct = tx.session.get(Account, eligible.account_id)
        acct.status = AccountStatus.SUSPENDED
    edit(services, employees.admin, eligible, settle)
    verdict = svc.check(employees.rep, NUMBER)
    assert failed(verdict) == ["good_standing"]
    assert verdict.failed[0].why == "Account not in good standing: account suspended"


def test_prepaid_line(services: Any, employees: Any, svc: UnlockService, eligible: MadeAccount) -> None:
    def prepaid(tx: Any, device: Device, line: Line) -> None:
        tx.session.add(Plan(code="PRE-40", name="Prepaid 40", kind=PlanKind.PREPAID, monthly_cents=4000,
                            data_gb=None, hotspot_gb=5, active=True))
        tx.session.flush()
        line.plan_code = "PRE-40"
    edit(services, employees.admin, eligible, prepaid)
    verdict = svc.check(employees.rep, NUMBER)
    assert [c.name for c in verdict.conditions] == ["used_on_line", "not_lost_stolen_blocked", "days_active",
                                                    "unlocks_per_year"]
    assert failed(verdict) == ["days_active"]
    assert verdict.failed[0].why == "Active on this line 100 of 365 days; 265 days to go"
    assert svc.check(employees.rep, NUMBER, military=True).eligible


def test_no_device_on_the_line(services: Any, employees: Any, svc: UnlockService, eligible: MadeAccount) -> None:
    def detach(tx: Any, device: Device, line: Line) -> None:
        device.line_id = None
    edit(services, employees.admin, eligible, detach)
    assert failed(svc.check(employees.rep, NUMBER)) == ["sold_by_carrier", "days_active"]


def test_settings_change_the_day_count(services: Any, employees: Any, svc: UnlockService,
                                       eligible: MadeAccount) -> None:
    services.settings.update(employees.admin, {"unlock_postpaid_days": "120"})
    verdict = svc.check(employees.rep, NUMBER)
    assert failed(verdict) == ["days_active"]
    assert verdict.failed[0].why == "Active on this line 100 of 120 days; 20 days to go"


def test_unknown_and_invalid_numbers(employees: Any, svc: UnlockService, eligible: MadeAccount) -> None:
    with pytest.raises(NotFoundError, match="No line has the number"):
        svc.check(employees.rep, "(206) 555-0199")
    with pytest.raises(ValidationError, match="not a phone number"):
        svc.check(employees.rep, "hello")
