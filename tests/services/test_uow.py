"""The unit of work: the change, its audit event and its outbox entries commit together or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from posapp.db.models import AuditEvent, Employee, OutboxEntry
from posapp.events import DataChanged, Event


def _counts(services: Any) -> tuple[int, int, int]:
    with services.uow.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                     for m in (Employee, AuditEvent, OutboxEntry))


def test_add_writes_row_audit_and_outbox_in_one_transaction(services: Any, employees: Any) -> None:
    seen: list[Event] = []
    services.core.events.subscribe(seen.append)
    e0, a0, o0 = _counts(services)
    dto = services.employees.add(employees.admin, number="5555", name="Pat Doe", role="rep", pin="2468")
    e1, a1, o1 = _counts(services)
    assert (e1 - e0, a1 - a0) == (1, 1)
    assert o1 - o0 == 2, "one outbox entry for the employee, one for its audit event"
    with services.uow.read() as s:
        row = s.get(Employee, dto.id)
        assert row is not None and row.store_id == "S001" and row.origin_terminal_id == "T01"
        entries = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq.desc()).limit(2)).all()
        assert {e.entity for e in entries} == {"employee", "audit_event"}
        assert row.updated_hlc in {e.hlc for e in entries}
    assert any(isinstance(ev, DataChanged) and "employee" in ev.entities for ev in seen)


def test_failure_inside_the_transaction_leaves_nothing(services: Any, employees: Any) -> None:
    before = _counts(services)
    seen: list[Event] = []
    services.core.events.subscribe(seen.append)
    with pytest.raises(RuntimeError), services.uow.write(employees.admin) as tx:
        tx.audit("test.half", entity="x", entity_id="1")
        raise RuntimeError("crash after the audit entry")
    assert _counts(services) == before
    assert seen == [], "no change notification for a rolled-back transaction"


def test_duplicate_employee_number_is_rejected_cleanly(services: Any, employees: Any) -> None:
    from posapp.errors import ValidationError

    before = _counts(services)
    with pytest.raises(ValidationError, match="already taken"):
        services.employees.add(employees.admin, number="1001", name="Dup", role="rep", pin="2468")
    assert _counts(services) == before


def test_a_refusal_audit_is_kept_when_the_transaction_rolls_back(services: Any, employees: Any) -> None:
    """``Tx.audit_refusal`` survives the rollback its raise causes; the work before it does not."""
    e0, a0, _ = _counts(services)
    with pytest.raises(PermissionError), services.uow.write(employees.rep) as tx:
        tx.audit("employee.probe", entity="employee", entity_id="x")  # rolled back with the rest
        tx.audit_refusal("thing.refused", entity="thing", entity_id="42", details={"why": "test"})
        raise PermissionError("refused")
    e1, a1, _ = _counts(services)
    assert (e1 - e0, a1 - a0) == (0, 1)
    with services.uow.read() as s:
        kept = s.scalars(select(AuditEvent).where(AuditEvent.action == "thing.refused")).all()
        assert len(kept) == 1 and kept[0].entity_id == "42"
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "employee.probe")) == 0


def test_an_account_action_refused_for_an_unverified_visit_is_audited(services: Any, employees: Any,
                                                                       make_account: Any) -> None:
    """Was rolled back with the refused transaction (AccountService._allowed audited inside it)."""
    from posapp.errors import PermissionDenied

    acct = make_account()
    visit = services.verification.start_visit(employees.rep, account_id=acct.account_id,
                                              customer_id=acct.customer_id)
    with pytest.raises(PermissionDenied):
        services.accounts.set_alert(employees.rep, visit.id, kind="plan_usage", enabled=True)
    with services.uow.read() as s:
        refusals = s.scalars(select(AuditEvent).where(AuditEvent.action == "account.action_refused")).all()
        assert len(refusals) == 1
