"""Which account actions a visit may take: verification level × account role × account age (DOMAIN.md,
verification and account roles). Pure rules; services enforce them and the UI uses them to offer actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from posapp.domain.enums import MemberRole, VerificationLevel

RECENT_CHANGE = timedelta(days=30)


class AccountAction(StrEnum):
    VIEW_ACCOUNT = "view_account"
    ADD_NOTE = "add_note"
    CHANGE_ALERTS = "change_alerts"
    AUTOPAY_ENROL = "autopay_enrol"
    AUTOPAY_CANCEL = "autopay_cancel"
    ADD_PROTECTION = "add_protection"
    REMOVE_PROTECTION = "remove_protection"
    CHANGE_PLAN = "change_plan"
    SIM_CHANGE = "sim_change"
    PORT_OUT_PIN = "port_out_pin"
    CHANGE_PIN = "change_pin"
    ADD_LINE = "add_line"
    UPGRADE_FINANCED = "upgrade_financed"


STEP_UP_ACTIONS = frozenset({AccountAction.SIM_CHANGE, AccountAction.PORT_OUT_PIN, AccountAction.CHANGE_PIN,
                             AccountAction.ADD_LINE, AccountAction.UPGRADE_FINANCED})

_CHANGERS = frozenset({MemberRole.PRIMARY, MemberRole.AUTHORIZED, MemberRole.MASTER})
_VIEWERS = frozenset({MemberRole.PRIMARY, MemberRole.AUTHORIZED, MemberRole.STANDARD, MemberRole.RESTRICTED,
                      MemberRole.MASTER, MemberRole.VIEW})
_PRIMARY = frozenset({MemberRole.PRIMARY, MemberRole.MASTER})

ROLE_NEEDED: dict[AccountAction, frozenset[MemberRole]] = {
    AccountAction.VIEW_ACCOUNT: _VIEWERS,
    AccountAction.ADD_NOTE: frozenset(MemberRole),
    AccountAction.CHANGE_ALERTS: _CHANGERS | {MemberRole.STANDARD},
    AccountAction.AUTOPAY_ENROL: _CHANGERS,
    AccountAction.AUTOPAY_CANCEL: _CHANGERS,
    AccountAction.ADD_PROTECTION: _CHANGERS,
    AccountAction.REMOVE_PROTECTION: _PRIMARY,
    AccountAction.CHANGE_PLAN: _CHANGERS,
    AccountAction.SIM_CHANGE: _CHANGERS,
    AccountAction.PORT_OUT_PIN: _PRIMARY,
    AccountAction.CHANGE_PIN: _PRIMARY,
    AccountAction.ADD_LINE: _CHANGERS,
    AccountAction.UPGRADE_FINANCED: _CHANGERS,
}

ROLE_LABELS = {
    MemberRole.PRIMARY: "Primary Account Holder", MemberRole.AUTHORIZED: "Authorized User",
    MemberRole.STANDARD: "Standard", MemberRole.RESTRICTED: "Restricted", MemberRole.NO_ACCESS: "No Access",
    MemberRole.MASTER: "Master", MemberRole.VIEW: "View", MemberRole.NON_VIEW: "Non-view",
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""


def level_for(*, photo_id: bool, pin: bool, code: bool, pin_counts: bool) -> VerificationLevel:
    """Photo ID plus the account PIN or a one-time code verifies; all three is step-up. When ``pin_counts`` is
    False (account opened or address changed in the last 30 days) only the code completes verification."""
    second = code or (pin and pin_counts)
    if photo_id and code and pin:
        return VerificationLevel.STEP_UP
    if photo_id and second:
        return VerificationLevel.VERIFIED
    return VerificationLevel.NONE


def pin_counts(*, opened_at: datetime, address_changed_at: datetime | None, now: datetime) -> bool:
    recent = now - opened_at < RECENT_CHANGE or (
        address_changed_at is not None and now - address_changed_at < RECENT_CHANGE)
    return not recent


def decide(action: AccountAction, *, level: VerificationLevel, role: MemberRole) -> Decision:
    if role not in ROLE_NEEDED[action]:
        return Decision(False, f"A {ROLE_LABELS[role]} on this account cannot do this.")
    if action is AccountAction.ADD_NOTE:
        return Decision(True)
    if level is VerificationLevel.NONE:
        return Decision(False, "Verify the customer first (photo ID plus PIN or a one-time code).")
    if action in STEP_UP_ACTIONS and level is not VerificationLevel.STEP_UP:
        return Decision(False, "This needs step-up verification: photo ID, account PIN and a one-time code.")
    return Decision(True)


def decisions(*, level: VerificationLevel, role: MemberRole) -> dict[AccountAction, Decision]:
    return {a: decide(a, level=level, role=role) for a in AccountAction}
