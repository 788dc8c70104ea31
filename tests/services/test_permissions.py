"""The permission matrix, and every guarded service refusing a role that lacks the permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from posapp.db.models import AuditEvent, Employee, Setting
from posapp.domain.enums import Role
from posapp.errors import PermissionDenied
from posapp.security.permissions import MATRIX, Permission, allowed

# (name, permission, call) for every service method that is guarded by a permission.
GUARDED: list[tuple[str, Permission, Callable[[Any, Any], object]]] = [
    ("employees.add", Permission.EMPLOYEE_MANAGE,
     lambda s, a: s.employees.add(a, number="4321", name="New Person", role="rep", pin="2468")),
    ("employees.list", Permission.EMPLOYEE_MANAGE, lambda s, a: s.employees.list(a)),
    ("employees.reset_pin", Permission.EMPLOYEE_MANAGE,
     lambda s, a: s.employees.reset_pin(a, number="1001", pin="8642")),
    ("settings.update", Permission.SETTINGS_EDIT, lambda s, a: s.settings.update(a, {"idle_lock_minutes": 9})),
]


def test_matrix_covers_every_role_and_permission_names_are_unique() -> None:
    assert set(MATRIX) == set(Role)
    assert len({p.value for p in Permission}) == len(Permission)
    assert allowed(Role.MANAGER, Permission.MANAGER_OVERRIDE)
    assert not allowed(Role.REP, Permission.MANAGER_OVERRIDE)
    assert MATRIX[Role.REP] < MATRIX[Role.MANAGER], "a manager can do everything a rep can"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "permission", "call"), GUARDED, ids=[g[0] for g in GUARDED])
def test_guarded_service_follows_the_matrix(services: Any, employees: Any, role: Role, name: str,
                                            permission: Permission, call: Callable[[Any, Any], object]) -> None:
    actor = {Role.REP: employees.rep, Role.MANAGER: employees.manager, Role.ADMIN: employees.admin}[role]

    def snapshot() -> tuple[int, int]:
        with services.uow.read() as s:
            return (s.scalar(select(func.count()).select_from(Employee)) or 0,
                    s.scalar(select(func.count()).select_from(Setting)) or 0)

    before = snapshot()
    if allowed(role, permission):
        call(services, actor)
    else:
        with pytest.raises(PermissionDenied):
            call(services, actor)
        assert snapshot() == before, "nothing is written when the permission is missing"
        with services.uow.read() as s:
            last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert last is not None and last.action == "permission.denied" and last.entity_id == permission.value


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_uow_check_matches_the_matrix_for_every_pair(services: Any, employees: Any, role: Role,
                                                     permission: Permission) -> None:
    actor = {Role.REP: employees.rep, Role.MANAGER: employees.manager, Role.ADMIN: employees.admin}[role]
    if permission in MATRIX[role]:
        services.uow.check(actor, permission)
    else:
        with pytest.raises(PermissionDenied):
            services.uow.check(actor, permission)
