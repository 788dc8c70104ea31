"""Plan changes through the real services: proration figures, next-cycle scheduling, refusals, apply_due."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from posapp.db.models import Account, AccountMember, AuditEvent, AutoPayEnrolment, Line, Visit
from posapp.db.models.activation import PlanChange
from posapp.domain.activation import PlanChangeStatus
from posapp.domain.enums import AutoPayMethod, MemberRole, VerificationLevel
from posapp.domain.proration import ChangeTiming
from posapp.errors import PermissionDenied, ValidationError
from posapp.services.customers import CustomerDraft
from posapp.services.plan_change import PlanChangeService
from posapp.services.plan_change_dto import cycle_bounds
from tests.helpers.accounts import ACCOUNT_PIN, MadeAccount
from tests.helpers.plans import TODAY, add_plans, on_plan_45_billed_on_the_1st


@pytest.fixture
def plans(services: Any, employees: Any, catalog: None) -> None:
    add_plans(services, employees)


@pytest.fixture
def svc(services: Any) -> PlanChangeService:
    return PlanChangeService(uow=services.uow, today=lambda: TODAY)


@pytest.fixture
def account(services: Any, employees: Any, plans: None, make_account: Callable[..., MadeAccount]) -> MadeAccount:
    return on_plan_45_billed_on_the_1st(services, employees, make_account(lines=2, financed=False))


def _visit(services: Any, employees: Any, acct: MadeAccount, *, verified: bool = True,
           customer_id: uuid.UUID | None = None) -> uuid.UUID:
    visit = services.verification.start_visit(employees.rep, account_id=acct.account_id,
                                              customer_id=customer_id or acct.customer_id)
    if verified:
        services.verification.record_photo_id(employees.rep, visit.id, id_type="drivers_license", matched=True)
        services.verification.check_pin(employees.rep, visit.id, ACCOUNT_PIN)
    return visit.id


def _counts(services: Any) -> tuple[int, int]:
    with services.uow.read() as s:
        changes = s.scalar(select(func.count()).select_from(PlanChange))
        refusals = s.scalar(select(func.count()).select_from(AuditEvent)
                            .where(AuditEvent.action == "account.action_refused"))
        return int(changes or 0), int(refusals or 0)


def _line(services: Any, line_id: uuid.UUID) -> tuple[str, list[str]]:
    with services.uow.read() as s:
        line = s.get(Line, line_id)
        assert line is not None
        return line.plan_code, json.loads(line.features)


def test_domain_example_45_to_60_on_day_10(services: Any, employees: Any, svc: PlanChangeService,
                                           account: MadeAccount) -> None:
    visit = _visit(services, employees, account)
    line_id = account.line_ids[0]
    p = svc.preview(employees.rep, visit, line_id, "PLAN-60", (), ChangeTiming.NOW)
    assert (p.cycle_start, p.cycle_day, p.next_cycle) == (date(2026, 11, 1), 10, date(2026, 12, 1))
    assert (p.credit_cents, p.charge_cents, p.net_cents) == (3000, 4000, 1000)
    assert _counts(services) == (0, 0)  # a preview writes nothing
    result = svc.apply(employees.rep, visit, line_id, "PLAN-60", (), ChangeTiming.NOW)
    assert result.status == "applied"
    assert _line(services, line_id) == ("PLAN-60", [])
    assert _line(services, account.line_ids[1]) == ("PLAN-45", [])
    with services.uow.read() as s:
        row = s.get(PlanChange, result.id)
        assert row is not None
        assert (row.status, row.timing, row.effective_on) == (PlanChangeStatus.APPLIED, ChangeTiming.NOW, TODAY)
        assert (row.old_plan_code, row.new_plan_code, row.credit_cents, row.charge_cents) == (
            "PLAN-45", "PLAN-60", 3000, 4000)
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "plan_change.applied")).one()
        text = json.dumps(audit.details) if isinstance(audit.details, dict) else str(audit.details)
    with services.uow.read() as s:
        full = s.get(Line, line_id)
        assert full is not None
        assert full.msisdn not in text and full.msisdn[-4:] in text and ACCOUNT_PIN not in text


def test_features_are_priced_and_validated(services: Any, employees: Any, svc: PlanChangeService,
                                           account: MadeAccount) -> None:
    visit = _visit(services, employees, account)
    line_id = account.line_ids[0]
    # Same plan, one feature added ($15 international calling): credit 0 of nothing changes on the plan part.
    p = svc.preview(employees.rep, visit, line_id, "PLAN-45", ["INTL-CALL"], ChangeTiming.NOW)
    assert (p.proration.old_monthly_cents, p.proration.new_monthly_cents) == (4500, 6000)
    assert (p.credit_cents, p.charge_cents) == (3000, 4000)
    for bad, why in (("NO-SUCH", "Unknown feature"), ("HOTSPOT-PRE", "cannot be added"),
                     ("BIZ-PRIORITY", "cannot be added"), ("PROTECT-LEG", "cannot be added")):
        with pytest.raises(ValidationError, match=why):
            svc.apply(employees.rep, visit, line_id, "PLAN-60", [bad], ChangeTiming.NOW)
    svc.apply(employees.rep, visit, line_id, "PLAN-45", ["INTL-CALL", "INTL-CALL"], ChangeTiming.NOW)
    assert _line(services, line_id) == ("PLAN-45", ["INTL-CALL"])
    choices = svc.choices(employees.rep, visit, line_id)
    assert choices.current_plan_code == "PLAN-45" and choices.current_features == ("INTL-CALL",)
    codes = [p.code for p in choices.plans]
    assert codes[0] == "PLAN-45" and "PLAN-60" in codes and "PLAN-OLD" not in codes and "PRE-15" not in codes


def test_next_cycle_is_scheduled_then_applied_when_due(services: Any, employees: Any, svc: PlanChangeService,
                                                       account: MadeAccount) -> None:
    visit = _visit(services, employees, account)
    line_id = account.line_ids[0]
    result = svc.apply(employees.rep, visit, line_id, "PLAN-60", ["HOTSPOT-20"], ChangeTiming.NEXT_CYCLE)
    assert result.status == "scheduled"
    assert (result.preview.credit_cents, result.preview.charge_cents) == (0, 0)
    assert result.preview.effective_on == date(2026, 12, 1)
    assert _line(services, line_id) == ("PLAN-45", [])  # nothing changes before the cycle
    assert svc.choices(employees.rep, visit, line_id).scheduled is not None
    assert svc.apply_due(employees.admin, date(2026, 11, 30)) == 0
    assert _line(services, line_id) == ("PLAN-45", [])
    assert svc.apply_due(employees.admin, date(2026, 12, 1)) == 1
    assert _line(services, line_id) == ("PLAN-60", ["HOTSPOT-20"])
    assert svc.apply_due(employees.admin, date(2026, 12, 2)) == 0  # applied once
    with services.uow.read() as s:
        row = s.get(PlanChange, result.id)
        assert row is not None and row.status is PlanChangeStatus.APPLIED


def test_cancel_a_scheduled_change_and_a_new_one_supersedes(services: Any, employees: Any,
                                                             svc: PlanChangeService, account: MadeAccount) -> None:
    visit = _visit(services, employees, account)
    line_id = account.line_ids[0]
    first = svc.apply(employees.rep, visit, line_id, "PLAN-60", [], ChangeTiming.NEXT_CYCLE)
    second = svc.apply(employees.rep, visit, line_id, "PLAN-45", ["INTL-CALL"], ChangeTiming.NEXT_CYCLE)
    with services.uow.read() as s:
        assert s.get(PlanChange, first.id).status is PlanChangeStatus.CANCELLED  # type: ignore[union-attr]
    svc.cancel(employees.rep, visit, second.id)
    with pytest.raises(ValidationError, match="only a scheduled one"):
        svc.cancel(employees.rep, visit, second.id)
    assert svc.apply_due(employees.admin, date(2026, 12, 1)) == 0
    assert _line(services, line_id) == ("PLAN-45", [])


@pytest.mark.parametrize(("plan", "features", "why"), [
    ("PLAN-45", [], "already has"),
    ("PLAN-OLD", [], "no longer sold"),
    ("PRE-15", [], "Prepaid and postpaid are not a plan change"),
    ("NOPE", [], "Unknown plan"),
])
def test_refusals_write_nothing(services: Any, employees: Any, svc: PlanChangeService, account: MadeAccount,
                                plan: str, features: list[str], why: str) -> None:
    visit = _visit(services, employees, account)
    with pytest.raises(ValidationError, match=why):
        svc.apply(employees.rep, visit, account.line_ids[0], plan, features, ChangeTiming.NOW)
    assert _counts(services) == (0, 0)
    assert _line(services, account.line_ids[0]) == ("PLAN-45", [])


def test_unverified_visit_is_refused_and_audited(services: Any, employees: Any, svc: PlanChangeService,
                                                 account: MadeAccount) -> None:
    visit = _visit(services, employees, account, verified=False)
    with pytest.raises(PermissionDenied, match="Verify the customer first"):
        svc.apply(employees.rep, visit, account.line_ids[0], "PLAN-60", [], ChangeTiming.NOW)
    with pytest.raises(PermissionDenied):
        svc.preview(employees.rep, visit, account.line_ids[0], "PLAN-60", [], ChangeTiming.NOW)
    assert _counts(services) == (0, 1)  # the refusal is kept, nothing else
    assert _line(services, account.line_ids[0]) == ("PLAN-45", [])


def test_a_standard_member_may_not_change_plans(services: Any, employees: Any, svc: PlanChangeService,
                                                account: MadeAccount) -> None:
    sam = services.customers.create(employees.rep, CustomerDraft(first_name="Sam", last_name="Lopez",
                                                                 phone="(206) 555-0199"), confirmed_new=True)
    with services.uow.write(employees.rep) as tx:
        tx.add(AccountMember(account_id=account.account_id, customer_id=sam.customer_id, role=MemberRole.STANDARD))
    visit = services.verification.start_visit(employees.rep, account_id=account.account_id,
                                              customer_id=sam.customer_id)
    with services.uow.write(employees.rep) as tx:  # verified as the standard member (photo ID + a code)
        row = tx.session.get(Visit, visit.id)
        assert row is not None
        row.level = VerificationLevel.VERIFIED
    with pytest.raises(PermissionDenied, match="Standard on this account cannot"):
        svc.apply(employees.rep, visit.id, account.line_ids[0], "PLAN-60", [], ChangeTiming.NOW)
    assert _counts(services) == (0, 1)


def test_autopay_effect_and_store_divisor(services: Any, employees: Any, svc: PlanChangeService,
                                          account: MadeAccount) -> None:
    with services.uow.write(employees.rep) as tx:
        tx.add(AutoPayEnrolment(account_id=account.account_id, method=AutoPayMethod.DEBIT, last4="4321",
                                enrolled_at=datetime(2026, 9, 15, tzinfo=UTC)))
    visit = _visit(services, employees, account)
    p = svc.preview(employees.rep, visit, account.line_ids[0], "PLAN-60", [], ChangeTiming.NOW)
    assert p.proration.autopay.applies and p.proration.autopay.discount_cents == 500
    assert p.proration.next_full_bill_cents == 5500
    result = svc.apply(employees.rep, visit, account.line_ids[0], "PLAN-60", [], ChangeTiming.NOW)
    with services.uow.read() as s:
        assert s.get(PlanChange, result.id).autopay_delta_cents == -500  # type: ignore[union-attr]


@pytest.mark.parametrize(("billing_day", "today", "start", "nxt"), [
    (1, date(2026, 11, 10), date(2026, 11, 1), date(2026, 12, 1)),
    (15, date(2026, 11, 10), date(2026, 10, 15), date(2026, 11, 15)),
    (15, date(2026, 11, 15), date(2026, 11, 15), date(2026, 12, 15)),
    (20, date(2026, 1, 5), date(2025, 12, 20), date(2026, 1, 20)),
    (20, date(2026, 12, 25), date(2026, 12, 20), date(2027, 1, 20)),
    (31, date(2026, 2, 28), date(2026, 2, 28), date(2026, 3, 31)),
    (31, date(2026, 3, 5), date(2026, 2, 28), date(2026, 3, 31)),
])
def test_cycle_bounds(billing_day: int, today: date, start: date, nxt: date) -> None:
    assert cycle_bounds(billing_day, today) == (start, nxt)


def test_an_account_without_bills_cycles_from_its_opening_day(services: Any, employees: Any, plans: None,
                                                              make_account: Callable[..., MadeAccount]) -> None:
    acct = make_account(financed=False, opened_days_ago=400)
    with services.uow.write(employees.rep) as tx:
        row = tx.session.get(Account, acct.account_id)
        assert row is not None
        row.opened_at = datetime(2025, 6, 4, 18, 0, tzinfo=UTC)
        line = tx.session.get(Line, acct.line_ids[0])
        assert line is not None
        line.plan_code = "PLAN-45"
    visit = _visit(services, employees, acct)
    p = PlanChangeService(uow=services.uow, today=lambda: TODAY).preview(
        employees.rep, visit, acct.line_ids[0], "PLAN-60", [], ChangeTiming.NOW)
    assert (p.cycle_start, p.cycle_day, p.next_cycle) == (date(2026, 11, 4), 7, date(2026, 12, 4))
