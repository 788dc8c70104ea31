"""Verification before private data: each method, expiry, lockout, masking, and role/level-gated actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from posapp.db.models import AuditEvent, OneTimeCode
from posapp.domain.account_rules import AccountAction
from posapp.errors import PermissionDenied, ValidationError
from posapp.services.verification import VerificationLocked


@pytest.fixture
def acct(make_account: Callable[..., Any]) -> Any:
    return make_account("Ana", "Lopez", "(206) 555-0142", lines=2, pin="739251")


@pytest.fixture
def visit(services: Any, employees: Any, acct: Any) -> Any:
    return services.verification.start_visit(employees.rep, account_id=acct.account_id,
                                              customer_id=acct.customer_id)


def _code_from_simulator(services: Any, sent: Any) -> str:
    controls = services.sms.test_controls()
    assert controls is not None and sent.message_id is not None
    text = controls.message_text(sent.message_id)
    import re

    found = re.search(r"\b(\d{6})\b", text or "")
    assert found is not None
    return found.group(1)


def test_unverified_screen_is_masked(services: Any, employees: Any, acct: Any, visit: Any) -> None:
    screen = services.accounts.screen(employees.rep, visit.id)
    assert screen.details is None and screen.level == "none"
    text = repr(screen.masked)
    assert "Ana Lopez" in text and acct.account_number not in text and "2065550142" not in text
    assert all(ln.masked_msisdn.startswith("•••") for ln in screen.masked.lines)
    assert not screen.actions[AccountAction.VIEW_ACCOUNT].allowed
    assert visit.case_number.startswith("S001-T01-")


def test_photo_id_plus_pin_verifies_and_shows_the_account(services: Any, employees: Any, acct: Any,
                                                          visit: Any) -> None:
    v = services.verification.record_photo_id(employees.rep, visit.id, id_type="drivers_license", matched=True)
    assert v.level.value == "none", "photo ID alone is not enough"
    v = services.verification.check_pin(employees.rep, visit.id, "739251")
    assert v.level.value == "verified"
    screen = services.accounts.screen(employees.rep, visit.id)
    assert screen.details is not None
    assert {ln.msisdn for ln in screen.details.lines} == set(acct.msisdns)
    assert screen.details.devices[0].eip_months_left == 14 and screen.details.devices[0].upgrade_eligible is False
    assert screen.details.cases and screen.details.cases[0].case_number == visit.case_number
    with services.uow.read() as s:
        details = " ".join(s.scalars(select(AuditEvent.details)))
    assert "739251" not in details and "drivers_license" in details


def test_one_time_code_by_sms_simulator(services: Any, employees: Any, acct: Any, visit: Any) -> None:
    services.verification.record_photo_id(employees.rep, visit.id, id_type="passport", matched=True)
    sent = services.verification.send_code(employees.rep, visit.id, line_id=acct.line_ids[0])
    assert "SIMULATOR" in sent.gateway_label and sent.masked_msisdn.endswith("0142")
    code = _code_from_simulator(services, sent)
    with services.uow.read() as s:
        stored = s.scalars(select(OneTimeCode)).one()
        assert code.encode() not in stored.code_hash + stored.code_salt
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(ValidationError, match="wrong code"):
        services.verification.check_code(employees.rep, visit.id, wrong)
    v = services.verification.check_code(employees.rep, visit.id, code)
    assert v.level.value == "verified" and v.code_verified
    v = services.verification.check_pin(employees.rep, visit.id, "739251")
    assert v.level.value == "step_up"


def test_code_expires_after_30_minutes(services: Any, employees: Any, acct: Any, visit: Any) -> None:
    sent = services.verification.send_code(employees.rep, visit.id, line_id=acct.line_ids[1])
    code = _code_from_simulator(services, sent)
    with services.uow.write(employees.rep) as tx:
        tx.session.execute(update(OneTimeCode).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    with pytest.raises(ValidationError, match="expired"):
        services.verification.check_code(employees.rep, visit.id, code)
    assert not services.verification.get(visit.id).code_verified


def test_failures_lock_verification_and_every_attempt_is_audited(services: Any, employees: Any, acct: Any,
                                                                  visit: Any) -> None:
    for _ in range(4):
        with pytest.raises(ValidationError, match="tries left"):
            services.verification.check_pin(employees.rep, visit.id, "111222")
    with pytest.raises(VerificationLocked):
        services.verification.check_pin(employees.rep, visit.id, "111223")
    with pytest.raises(VerificationLocked):  # the right PIN is refused while locked
        services.verification.check_pin(employees.rep, visit.id, "739251")
    with pytest.raises(VerificationLocked):
        services.verification.send_code(employees.rep, visit.id, line_id=acct.line_ids[0])
    with services.uow.read() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("verify.%"))))
    assert actions.count("verify.account_pin.failed") == 5 and "verify.account_pin.refused" in actions


def test_recent_account_needs_the_code_not_the_pin(services: Any, employees: Any,
                                                   make_account: Callable[..., Any]) -> None:
    new = make_account("Cy", "Newman", "(503) 555-0177", opened_days_ago=3, pin="739251")
    v = services.verification.start_visit(employees.rep, account_id=new.account_id, customer_id=new.customer_id)
    assert not v.pin_counts
    services.verification.record_photo_id(employees.rep, v.id, id_type="state_id", matched=True)
    v = services.verification.check_pin(employees.rep, v.id, "739251")
    assert v.level.value == "none"
    assert services.accounts.screen(employees.rep, v.id).masked.code_by_text_only


def test_actions_are_refused_by_the_service_until_allowed(services: Any, employees: Any, acct: Any,
                                                          visit: Any) -> None:
    with pytest.raises(PermissionDenied, match="Verify"):
        services.accounts.enrol_autopay(employees.rep, visit.id, method="debit", last4="4242")
    services.verification.record_photo_id(employees.rep, visit.id, id_type="passport", matched=True)
    services.verification.check_pin(employees.rep, visit.id, "739251")
    ap = services.accounts.enrol_autopay(employees.rep, visit.id, method="debit", last4="4242")
    assert ap.enrolled and ap.discount_cents == 1000
    ap = services.accounts.enrol_autopay(employees.rep, visit.id, method="credit", last4="4242")
    assert ap.discount_cents == 0, "credit cards do not get the AutoPay discount"
    assert services.accounts.set_alert(employees.rep, visit.id, kind="plan_usage", enabled=True).enabled
    line = services.accounts.set_protection(employees.rep, visit.id, line_id=acct.line_ids[0], which="sim",
                                            on=True)
    assert line.sim_protection
    services.verification.end_visit(employees.rep, visit.id)
    with pytest.raises(ValidationError, match="ended"):
        services.accounts.cancel_autopay(employees.rep, visit.id)
    assert services.accounts.screen(employees.rep, visit.id).details is None


def test_member_role_limits_actions(services: Any, employees: Any, acct: Any) -> None:
    from posapp.db.models import AccountMember
    from posapp.services.customers import CustomerDraft

    other = services.customers.create(employees.rep, CustomerDraft(first_name="Kid", last_name="Lopez",
                                                                   phone="(206) 555-0143"), confirmed_new=True)
    with services.uow.write(employees.rep) as tx:
        from posapp.domain.enums import MemberRole

        tx.add(AccountMember(account_id=acct.account_id, customer_id=other.customer_id, role=MemberRole.RESTRICTED))
    v = services.verification.start_visit(employees.rep, account_id=acct.account_id, customer_id=other.customer_id)
    services.verification.record_photo_id(employees.rep, v.id, id_type="passport", matched=True)
    sent = services.verification.send_code(employees.rep, v.id, line_id=acct.line_ids[0])
    services.verification.check_code(employees.rep, v.id, _code_from_simulator(services, sent))
    screen = services.accounts.screen(employees.rep, v.id)
    assert screen.details is not None
    assert not screen.actions[AccountAction.AUTOPAY_ENROL].allowed
    with pytest.raises(PermissionDenied, match="Restricted"):
        services.accounts.enrol_autopay(employees.rep, v.id, method="bank", last4="1234")
    with pytest.raises(PermissionDenied):
        services.accounts.set_protection(employees.rep, v.id, line_id=acct.line_ids[0], which="sim", on=False)


def test_notes_are_append_only_and_refuse_secrets(services: Any, employees: Any, visit: Any) -> None:
    import sqlite3

    from posapp.db.models import Visit

    with services.uow.read() as s:
        case_id = s.get(Visit, visit.id).interaction_id
    note = services.interactions.add_note(employees.rep, case_id, "Customer asked about international roaming.")
    for bad in ("card 4111 1111 1111 1111", "PIN is 739251", "code LPA:1$smdp.io$ABC"):
        with pytest.raises(ValidationError, match="never"):
            services.interactions.add_note(employees.rep, case_id, bad)
    con = sqlite3.connect(services.core.paths.database)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE interaction_note SET text = 'x' WHERE id = ?", (note.id.hex,))
    con.close()
    with pytest.raises(ValidationError, match="reason"):
        services.interactions.close(employees.rep, case_id, disposition="escalated")
    services.interactions.close(employees.rep, case_id, disposition="resolved")
    with pytest.raises(ValidationError, match="closed"):
        services.interactions.add_note(employees.rep, case_id, "late note")
