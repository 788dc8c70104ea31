"""Employees: add, list, reset PIN (admin)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from posapp.db.models import Employee
from posapp.domain.enums import Role
from posapp.errors import NotFoundError, ValidationError
from posapp.security.permissions import Permission
from posapp.security.pins import check_employee_pin, hash_pin
from posapp.services.dto import Actor, EmployeeDTO
from posapp.services.uow import UnitOfWork

_NUMBER = re.compile(r"^\d{3,8}$")


def employee_dto(e: Employee) -> EmployeeDTO:
    return EmployeeDTO(id=e.id, number=e.number, name=e.name, role=e.role, active=e.active,
                       locked_until=e.locked_until, failed_attempts=e.failed_attempts)


class EmployeeService:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    def add(self, actor: Actor, *, number: str, name: str, role: Role | str, pin: str) -> EmployeeDTO:
        number, name = number.strip(), " ".join(name.split())
        if not _NUMBER.match(number):
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
