"""Employee sign-in, lockout, screen unlock and the manager-override step (guide §5)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from posapp.db.models import Employee
from posapp.domain.enums import Role
from posapp.errors import AuthenticationError, LockedOut, PermissionDenied, ValidationError
from posapp.security.permissions import Permission, allowed
from posapp.security.pins import hash_pin, verify_pin
from posapp.services.dto import Actor, Override
from posapp.services.uow import UnitOfWork

_DUMMY_HASH, _DUMMY_SALT, _DUMMY_PARAMS = hash_pin("000000", salt=b"posapp-dummy-salt")
GENERIC_FAILURE = "Employee number or PIN is not right."
log = logging.getLogger(__name__)


def actor_of(e: Employee) -> Actor:
    return Actor(employee_id=e.id, number=e.number, name=e.name, role=e.role)


class AuthService:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    def _check_pin(self, number: str, pin: str, *, action: str) -> Employee:
        """Verify number + PIN in one write transaction that also counts failures and audits the attempt."""
        number = number.strip()
        if not number or not pin:
            raise ValidationError("Enter the employee number and PIN.")
        settings = self._uow.core.settings
        anonymous = Actor(employee_id=None, number=number[:10] or "?", name="unknown", role=Role.REP)
        failure: AuthenticationError | None = None
        with self._uow.write(anonymous) as tx:
            emp = tx.session.scalar(select(Employee).where(Employee.number == number))
            if emp is None or not emp.active:
                verify_pin(pin, pin_hash=_DUMMY_HASH, salt=_DUMMY_SALT, params=_DUMMY_PARAMS)  # same timing
                tx.audit(f"{action}.failed", entity="employee", entity_id=number[:20],
                         details={"reason": "unknown or inactive employee"})
                failure = AuthenticationError(GENERIC_FAILURE)
            elif emp.locked_until is not None and emp.locked_until > tx.now:
                tx.actor = actor_of(emp)
                tx.audit(f"{action}.refused", entity="employee", entity_id=str(emp.id),
                         details={"reason": "locked out", "until": emp.locked_until.isoformat()})
                failure = LockedOut(_locked_message(emp.locked_until, settings.store_timezone))
            elif not verify_pin(pin, pin_hash=emp.pin_hash, salt=emp.pin_salt, params=emp.pin_params):
                tx.actor = actor_of(emp)
                emp.failed_attempts += 1
                details: dict[str, object] = {"attempt": emp.failed_attempts}
                if emp.failed_attempts >= settings.max_pin_failures:
                    emp.locked_until = tx.now + timedelta(minutes=settings.lockout_minutes)
                    emp.failed_attempts = 0
                    details["locked_until"] = emp.locked_until.isoformat()
                    failure = LockedOut(_locked_message(emp.locked_until, settings.store_timezone))
                else:
                    left = settings.max_pin_failures - emp.failed_attempts
                    failure = AuthenticationError(f"{GENERIC_FAILURE} {left} more tries before lockout.")
                tx.changed(emp, fields={"failed_attempts": emp.failed_attempts,
                                        "locked_until": emp.locked_until})
                tx.audit(f"{action}.failed", entity="employee", entity_id=str(emp.id), details=details)
            else:
                tx.actor = actor_of(emp)
                if emp.failed_attempts or emp.locked_until:
                    emp.failed_attempts = 0
                    emp.locked_until = None
                    tx.changed(emp, fields={"failed_attempts": 0, "locked_until": None})
                tx.audit(action, entity="employee", entity_id=str(emp.id))
        if failure is not None:
            log.warning("%s refused for employee #%s: %s", action, number[:10], type(failure).__name__)
            raise failure
        assert emp is not None
        log.info("%s: employee #%s (%s)", action, emp.number, emp.role.value)
        return emp

    def sign_in(self, number: str, pin: str) -> Actor:
        return actor_of(self._check_pin(number, pin, action="auth.sign_in"))

    def unlock(self, actor: Actor, pin: str) -> Actor:
        """Unlock the idle-locked screen: only the signed-in employee's own PIN."""
        return actor_of(self._check_pin(actor.number, pin, action="auth.unlock"))

    def sign_out(self, actor: Actor) -> None:
        with self._uow.write(actor) as tx:
            tx.audit("auth.sign_out", entity="employee", entity_id=str(actor.employee_id))

    def manager_override(self, actor: Actor, *, manager_number: str, manager_pin: str,
                         permission: Permission, reason: str) -> Override:
        """A manager approves ``permission`` inside ``actor``'s action. Audited either way."""
        reason = reason.strip()
        if not reason:
            raise ValidationError("Give a reason for the override.")
        if manager_number.strip() == actor.number:
            raise PermissionDenied("A manager cannot approve their own action.", permission=permission.value)
        manager = self._check_pin(manager_number, manager_pin, action="override.manager_pin")
        ok = allowed(manager.role, Permission.MANAGER_OVERRIDE) and allowed(manager.role, permission)
        granted_at = datetime.now(UTC)
        with self._uow.write(actor) as tx:
            tx.audit("override.granted" if ok else "override.refused", entity="permission",
                     entity_id=permission.value,
                     details={"manager": manager.number, "reason": reason[:200]})
        if not ok:
            raise PermissionDenied(f"Employee #{manager.number} cannot approve {permission.value}.",
                                   permission=permission.value)
        token = self._uow.sign_override(str(manager.id), permission.value, granted_at)
        return Override(manager_id=manager.id, manager_number=manager.number, manager_name=manager.name,
                        permission=permission.value, reason=reason, granted_at=granted_at, token=token)


def _locked_message(until: datetime, tz: str) -> str:
    from zoneinfo import ZoneInfo

    local = until.astimezone(ZoneInfo(tz))
    return f"Too many wrong PINs. This employee is locked until {local:%H:%M}; a manager can reset the PIN."
