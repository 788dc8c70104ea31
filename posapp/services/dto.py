"""Frozen DTOs returned by services. Never live ORM objects."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from posapp.domain.enums import Role


@dataclass(frozen=True)
class Actor:
    """Who is acting. ``employee_id`` is None for the admin CLI's system actor."""

    employee_id: uuid.UUID | None
    number: str
    name: str
    role: Role

    @property
    def label(self) -> str:
        return f"{self.name} (#{self.number})"


SYSTEM_ACTOR = Actor(employee_id=None, number="CLI", name="posapp-admin", role=Role.ADMIN)


@dataclass(frozen=True)
class EmployeeDTO:
    id: uuid.UUID
    number: str
    name: str
    role: Role
    active: bool
    locked_until: datetime | None
    failed_attempts: int


@dataclass(frozen=True)
class Override:
    """A manager's approval inside another employee's action; made only by AuthService.manager_override."""

    manager_id: uuid.UUID
    manager_number: str
    manager_name: str
    permission: str
    reason: str
    granted_at: datetime
    token: str


@dataclass(frozen=True)
class TerminalInfo:
    store_id: str
    store_name: str
    terminal_id: str
    unsynced_changes: int
    online: bool
    central_label: str
