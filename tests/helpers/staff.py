"""The employees the ``employees`` fixture creates (the same numbers and PINs as the demo data)."""

from __future__ import annotations

from dataclasses import dataclass

from posapp.domain.enums import Role
from posapp.services.dto import Actor


@dataclass(frozen=True)
class StaffMember:
    number: str
    pin: str
    name: str
    role: Role


REP = StaffMember(number="1001", pin="2580", name="Riley Rep", role=Role.REP)
MANAGER = StaffMember(number="2001", pin="3691", name="Morgan Manager", role=Role.MANAGER)
ADMIN = StaffMember(number="9001", pin="4826", name="Alex Admin", role=Role.ADMIN)
ALL = (REP, MANAGER, ADMIN)


@dataclass(frozen=True)
class Staff:
    """Signed-in actors, one per role."""

    rep: Actor
    manager: Actor
    admin: Actor

    def of(self, role: Role | str) -> Actor:
        return {Role.REP: self.rep, Role.MANAGER: self.manager, Role.ADMIN: self.admin}[Role(role)]
