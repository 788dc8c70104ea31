"""Employees: add, list, reset PIN, renumber (admin).

Employee numbers are unique on a terminal, and every terminal of a store holds every employee of the store. Two
terminals that each create number 8001 before they sync collide (the second row is held back by sync and flagged
for a manager, see :mod:`posapp.sync.held`), so numbers not typed in come from a **per-terminal block**:
:func:`terminal_block` (101 for T01, 102 for T02, ...; a terminal id without digits gets one from a hash) and
:func:`allocate_number` gives ``<block><001..799>`` — six digits, so it never meets the demo's four-digit numbers
(1001, 2001, 9001) nor another terminal's block. ``<block>801`` / ``<block>802`` are the simulator's staff
(``posapp-admin simulate sales``). :meth:`EmployeeService.renumber` resolves a collision.
"""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db.models import Employee
from posapp.domain.enums import Role
from posapp.errors import NotFoundError, ValidationError
from posapp.security.permissions import Permission
from posapp.security.pins import check_employee_pin, hash_pin
from posapp.services.dto import Actor, EmployeeDTO
from posapp.services.uow import UnitOfWork

_NUMBER = re.compile(r"^\d{3,8}$")
ALLOCATED = range(1, 800)          # sequence numbers inside a terminal's block for `employee add` without a number


def terminal_block(terminal_id: str) -> int:
    """The terminal's three-digit block of employee numbers (100-999): 100 + the number in its id when that is
    1-899 (T01 -> 101), else 100 + a stable hash of the id."""
    digits = "".join(ch for ch in terminal_id if ch.isdigit())
    n = int(digits) if digits else 0
    return 100 + n if 1 <= n <= 899 else 100 + zlib.crc32(terminal_id.encode()) % 900


def block_number(terminal_id: str, seq: int) -> str:
    return f"{terminal_block(terminal_id)}{seq:03d}"


def employee_dto(e: Employee) -> EmployeeDTO:
    return EmployeeDTO(id=e.id, number=e.number, name=e.name, role=e.role, active=e.active,
                       locked_until=e.locked_until, failed_attempts=e.failed_attempts)


class EmployeeService:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    def add(self, actor: Actor, *, number: str | None = None, name: str, role: Role | str,
            pin: str) -> EmployeeDTO:
        """Add an employee; without a number, the next free one of this terminal's block (:func:`terminal_block`)."""
        number, name = (number or "").strip(), " ".join(name.split())
        if number and not _NUMBER.match(number):
            raise ValidationError("The employee number must be 3 to 8 digits.")
        if not 2 <= len(name) <= 120:
            raise ValidationError("Give the employee's name (2 to 120 characters).")
        try:
            role = Role(role)
        except ValueError:
            raise ValidationError(f"Unknown role {role!r}; use rep, manager or admin.") from None
        check_employee_pin(pin)
        digest, salt, params = hash_pin(pin)
        with self._uow.write(actor, Permission.EMPLOYEE_MANAGE) as tx:
            number = number or self._allocate(tx.session)
            if tx.session.scalar(select(Employee.id).where(Employee.number == number)) is not None:
                raise ValidationError(f"Employee number {number} is already taken.")
            emp = Employee(number=number, name=name, role=role, pin_hash=digest, pin_salt=salt, pin_params=params,
                           failed_attempts=0, locked_until=None, active=True, pin_changed_at=datetime.now(UTC))
            tx.add(emp)
            tx.audit("employee.add", entity="employee", entity_id=str(emp.id),
                     details={"number": number, "role": role.value})
            return employee_dto(emp)

    def list(self, actor: Actor) -> list[EmployeeDTO]:
        self._uow.check(actor, Permission.EMPLOYEE_MANAGE)
        with self._uow.read() as s:
            return [employee_dto(e) for e in s.scalars(select(Employee).order_by(Employee.number))]

    def reset_pin(self, actor: Actor, *, number: str, pin: str) -> EmployeeDTO:
        """Set a new PIN and clear any lockout."""
        check_employee_pin(pin)
        digest, salt, params = hash_pin(pin)
        with self._uow.write(actor, Permission.EMPLOYEE_MANAGE) as tx:
            emp = tx.session.scalar(select(Employee).where(Employee.number == number.strip()))
            if emp is None:
                raise NotFoundError(f"No employee with number {number}.")
            emp.pin_hash, emp.pin_salt, emp.pin_params = digest, salt, params
            emp.failed_attempts, emp.locked_until, emp.pin_changed_at = 0, None, tx.now
            tx.changed(emp, fields={"pin_hash": digest.hex(), "pin_salt": salt.hex(), "pin_params": params,
                                    "failed_attempts": 0, "locked_until": None})
            tx.audit("employee.reset_pin", entity="employee", entity_id=str(emp.id), details={"number": emp.number})
            return employee_dto(emp)

    def renumber(self, actor: Actor, *, old: str, new: str) -> EmployeeDTO:
        """Give the employee number ``old`` the number ``new`` (e.g. to resolve two terminals' collision on one
        number); audited, and synced as an ordinary change of the employee."""
        old, new = old.strip(), new.strip()
        if not _NUMBER.match(new):
            raise ValidationError("The employee number must be 3 to 8 digits.")
        with self._uow.write(actor, Permission.EMPLOYEE_MANAGE) as tx:
            emp = tx.session.scalar(select(Employee).where(Employee.number == old))
            if emp is None:
                raise NotFoundError(f"No employee with number {old} on this terminal.")
            if new == old:
                return employee_dto(emp)
            if tx.session.scalar(select(Employee.id).where(Employee.number == new)) is not None:
                raise ValidationError(f"Employee number {new} is already taken.")
            emp.number = new
            tx.changed(emp, fields={"number": new})
            tx.audit("employee.renumber", entity="employee", entity_id=str(emp.id),
                     details={"from": old, "to": new})
            return employee_dto(emp)

    def _allocate(self, session: Session) -> str:
        terminal = self._uow.core.settings.terminal_id
        block = str(terminal_block(terminal))
        taken = set(session.scalars(select(Employee.number).where(Employee.number.like(block + "___"))))
        for seq in ALLOCATED:
            if (number := block_number(terminal, seq)) not in taken:
                return number
        raise ValidationError(f"Every employee number of this terminal's block ({block}001-{block}799) is taken; "
                              "give a number.")
