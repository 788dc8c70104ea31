"""Sign-in, lockout, unlock and the manager-override step, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from posapp.db.models import AuditEvent, Employee
from posapp.errors import AuthenticationError, LockedOut, PermissionDenied, ValidationError
from posapp.security.permissions import Permission
from posapp.services.dto import Override


def _actions(services: Any) -> list[str]:
    with services.uow.read() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_sign_in_returns_the_actor_and_is_audited(services: Any, employees: Any) -> None:
    actor = services.auth.sign_in("1001", "2580")
    assert actor.number == "1001" and actor.role.value == "rep"
    assert _actions(services)[-1] == "auth.sign_in"


def test_wrong_pin_and_unknown_number_give_the_same_message(services: Any, employees: Any) -> None:
    with pytest.raises(AuthenticationError) as wrong:
        services.auth.sign_in("1001", "9999")
    with pytest.raises(AuthenticationError) as unknown:
        services.auth.sign_in("5555", "9999")
    assert str(unknown.value).split(".")[0] == str(wrong.value).split(".")[0]
    assert _actions(services)[-2:] == ["auth.sign_in.failed", "auth.sign_in.failed"]


def test_empty_input_is_rejected_without_touching_the_database(services: Any, employees: Any) -> None:
    before = _actions(services)
    with pytest.raises(ValidationError):
        services.auth.sign_in(" ", "")
    assert _actions(services) == before


def test_lockout_after_max_failures_then_reset_by_pin_reset(services: Any, employees: Any) -> None:
    limit = services.settings.current().max_pin_failures
    for _ in range(limit - 1):
        with pytest.raises(AuthenticationError) as info:
            services.auth.sign_in("1001", "1357")
        assert not isinstance(info.value, LockedOut)
    with pytest.raises(LockedOut):
        services.auth.sign_in("1001", "1357")
    with pytest.raises(LockedOut):  # even the right PIN is refused while locked
        services.auth.sign_in("1001", "2580")
    services.employees.reset_pin(employees.admin, number="1001", pin="8642")
    assert services.auth.sign_in("1001", "8642").number == "1001"


def test_lockout_expires(services: Any, employees: Any) -> None:
    for _ in range(services.settings.current().max_pin_failures):
        with pytest.raises(AuthenticationError):
            services.auth.sign_in("1001", "1357")
    with services.uow.write(employees.admin) as tx:  # time passes: move the lock into the past
        tx.session.execute(update(Employee).where(Employee.number == "1001")
                           .values(locked_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert services.auth.sign_in("1001", "2580").number == "1001"
    with services.uow.read() as s:
        emp = s.scalar(select(Employee).where(Employee.number == "1001"))
        assert emp is not None and emp.failed_attempts == 0 and emp.locked_until is None


def test_unlock_accepts_only_the_signed_in_employees_pin(services: Any, employees: Any) -> None:
    assert services.auth.unlock(employees.rep, "2580") == employees.rep
    with pytest.raises(AuthenticationError):
        services.auth.unlock(employees.rep, "3691")  # the manager's PIN does not unlock the rep's screen


def test_manager_override_grants_a_permission_once_and_is_audited(services: Any, employees: Any) -> None:
    override = services.auth.manager_override(employees.rep, manager_number="2001", manager_pin="3691",
                                              permission=Permission.REFUND, reason="receipt lost, ID checked")
    assert isinstance(override, Override) and override.manager_number == "2001"
    services.uow.check(employees.rep, Permission.REFUND, override)  # allowed with the override
    with pytest.raises(PermissionDenied):
        services.uow.check(employees.rep, Permission.NO_SALE, override)  # bound to one permission
    with services.uow.write(employees.rep, Permission.REFUND, override=override) as tx:
        tx.audit("test.refund", entity="sale", entity_id="x")
    with services.uow.read() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert last is not None and last.override_by == override.manager_id
    assert "override.granted" in _actions(services)


def test_override_cannot_be_forged_or_reused_late(services: Any, employees: Any) -> None:
    good = services.auth.manager_override(employees.rep, manager_number="2001", manager_pin="3691",
                                          permission=Permission.REFUND, reason="ok")
    forged = Override(**{**good.__dict__, "permission": Permission.NO_SALE.value})
    with pytest.raises(PermissionDenied):
        services.uow.check(employees.rep, Permission.NO_SALE, forged)
    stale = Override(**{**good.__dict__, "granted_at": good.granted_at - timedelta(minutes=5)})
    with pytest.raises(PermissionDenied):
        services.uow.check(employees.rep, Permission.REFUND, stale)


def test_override_refused_for_a_rep_a_wrong_pin_or_oneself(services: Any, employees: Any) -> None:
    services.employees.add(employees.admin, number="1002", name="Second Rep", role="rep", pin="1470")
    with pytest.raises(PermissionDenied):
        services.auth.manager_override(employees.rep, manager_number="1002", manager_pin="1470",
                                       permission=Permission.REFUND, reason="x")
    with pytest.raises(AuthenticationError):
        services.auth.manager_override(employees.rep, manager_number="2001", manager_pin="0000",
                                       permission=Permission.REFUND, reason="x")
    with pytest.raises(PermissionDenied):
        services.auth.manager_override(employees.manager, manager_number="2001", manager_pin="3691",
                                       permission=Permission.REFUND, reason="x")
    with pytest.raises(ValidationError):
        services.auth.manager_override(employees.rep, manager_number="2001", manager_pin="3691",
                                       permission=Permission.REFUND, reason="  ")
    assert "override.refused" in _actions(services)
