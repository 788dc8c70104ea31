"""Roles and the one permission matrix, checked by services (guide §5)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from posapp.domain.enums import Role
from posapp.errors import PermissionDenied


class Permission(StrEnum):
    CUSTOMER_LOOKUP = "customer.lookup"
    CUSTOMER_EDIT = "customer.edit"
    CUSTOMER_VERIFY = "customer.verify"
    CASE_WRITE = "case.write"
    SALE = "register.sale"
    REFUND = "register.refund"
    LARGE_DISCOUNT = "register.large_discount"
    PRICE_OVERRIDE = "register.price_override"
    NO_SALE = "register.no_sale"
    DRAWER_CLOSE = "drawer.close"
    OFFLINE_CARD = "register.offline_card"        # take a card payment while the store link is down
    STORE_CREDIT_ISSUE = "register.store_credit_issue"
    ACTIVATION = "activation.submit"
    TRADE_IN = "tradein.accept"
    QUEUE_SERVE = "queue.serve"
    QUEUE_MANAGE = "queue.manage"
    REPORTS = "reports.view"
    MANAGER_OVERRIDE = "manager.override"
    EMPLOYEE_MANAGE = "employee.manage"
    SETTINGS_EDIT = "settings.edit"
    AUDIT_VERIFY = "audit.verify"
    SYNC_ADMIN = "sync.admin"


_REP = frozenset({
    Permission.CUSTOMER_LOOKUP, Permission.CUSTOMER_EDIT, Permission.CUSTOMER_VERIFY, Permission.CASE_WRITE,
    Permission.SALE, Permission.ACTIVATION, Permission.TRADE_IN, Permission.QUEUE_SERVE,
})
_MANAGER = _REP | {
    Permission.REFUND, Permission.LARGE_DISCOUNT, Permission.PRICE_OVERRIDE, Permission.NO_SALE,
    Permission.DRAWER_CLOSE, Permission.OFFLINE_CARD, Permission.STORE_CREDIT_ISSUE, Permission.QUEUE_MANAGE,
    Permission.REPORTS, Permission.MANAGER_OVERRIDE,
    Permission.AUDIT_VERIFY,
}
_ADMIN = frozenset({
    Permission.CUSTOMER_LOOKUP, Permission.REPORTS, Permission.EMPLOYEE_MANAGE, Permission.SETTINGS_EDIT,
    Permission.AUDIT_VERIFY, Permission.SYNC_ADMIN,
})

MATRIX: Mapping[Role, frozenset[Permission]] = {
    Role.REP: frozenset(_REP),
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: _ADMIN,
}


def allowed(role: Role, permission: Permission) -> bool:
    return permission in MATRIX[role]


def require(role: Role, permission: Permission) -> None:
    if not allowed(role, permission):
        raise PermissionDenied(f"A {role.value} may not do this ({permission.value}).", permission=permission.value)
