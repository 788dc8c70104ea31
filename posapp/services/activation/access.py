"""Who may build an activation: the visit's verification and the customer's account role (DOMAIN.md,
verification and account roles), enforced here whatever the page offers.

* Add a line / BYOD on an account with lines: ADD_LINE (step-up). SIM change: SIM_CHANGE (step-up). Upgrade:
  UPGRADE_FINANCED (step-up) when the account has an active financing agreement, else CHANGE_PLAN (verified).
* A new account (the customer was just created by Lookup's new-customer flow, so it has no lines to send a
  one-time code to, and a PIN does not count in its first 30 days): the visit's matched photo ID suffices, for
  a role that may add lines. Step-up also does.

A refusal is audited in a transaction of its own (so it is kept) and nothing else is written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db.models import Account, AccountMember, FinancingAgreement, Line, Visit
from posapp.domain.account_rules import RECENT_CHANGE, ROLE_LABELS, ROLE_NEEDED, AccountAction, Decision, decide
from posapp.domain.activation import ActivationKind
from posapp.domain.enums import FinancingStatus, LineStatus, MemberRole, VerificationLevel
from posapp.errors import NotFoundError, PermissionDenied, ValidationError
from posapp.services.dto import Actor
from posapp.services.uow import UnitOfWork

_NEW_LINE_KINDS = frozenset({ActivationKind.NEW_ACCOUNT, ActivationKind.ADD_LINE, ActivationKind.BYOD})


@dataclass(frozen=True)
class Judgement:
    visit: Visit
    account: Account
    role: MemberRole
    action: AccountAction
    decision: Decision


def has_lines(s: Session, account_id: uuid.UUID) -> bool:
    return s.scalar(select(Line.id).where(Line.account_id == account_id).limit(1)) is not None


def _financed(s: Session, account_id: uuid.UUID) -> bool:
    return s.scalar(select(FinancingAgreement.id).where(FinancingAgreement.account_id == account_id,
                                                        FinancingAgreement.status == FinancingStatus.ACTIVE)
                    .limit(1)) is not None


def _new_account(visit: Visit, acct: Account, role: MemberRole, now: datetime) -> Decision:
    if role not in ROLE_NEEDED[AccountAction.ADD_LINE]:
        return Decision(False, f"A {ROLE_LABELS[role]} on this account cannot do this.")
    if visit.level is VerificationLevel.STEP_UP:
        return Decision(True)
    if visit.photo_id_at is None:
        return Decision(False, "Check the customer's photo ID first.")
    if now - acct.opened_at >= RECENT_CHANGE:
        return Decision(False, "This needs step-up verification: photo ID, account PIN and a one-time code.")
    return Decision(True)


def judge(s: Session, visit_id: uuid.UUID, kind: ActivationKind, now: datetime) -> Judgement:
    """What the visit may do for an activation of ``kind``. Raises for an unknown or ended visit."""
    visit = s.get(Visit, visit_id)
    if visit is None:
        raise NotFoundError("No such visit.")
    if visit.ended_at is not None:
        raise ValidationError("This visit has ended.")
    acct = s.get(Account, visit.account_id)
    role = s.scalar(select(AccountMember.role).where(AccountMember.account_id == visit.account_id,
                                                     AccountMember.customer_id == visit.customer_id))
    assert acct is not None and role is not None
    if kind in _NEW_LINE_KINDS:
        if not has_lines(s, acct.id):
            return Judgement(visit, acct, role, AccountAction.ADD_LINE, _new_account(visit, acct, role, now))
        action = AccountAction.ADD_LINE
    elif kind is ActivationKind.SIM_CHANGE:
        action = AccountAction.SIM_CHANGE
    else:
        action = AccountAction.UPGRADE_FINANCED if _financed(s, acct.id) else AccountAction.CHANGE_PLAN
    return Judgement(visit, acct, role, action, decide(action, level=visit.level, role=role))


def gate(uow: UnitOfWork, actor: Actor, visit_id: uuid.UUID, kind: ActivationKind) -> Judgement:
    """Refuse (audited, kept) unless the visit may build an activation of ``kind``."""
    with uow.read() as s:
        j = judge(s, visit_id, kind, _now())
    if not j.decision.allowed:
        with uow.write(actor) as tx:
            tx.audit("activation.refused", entity="account", entity_id=str(j.account.id),
                     details={"kind": kind.value, "action": j.action.value, "level": j.visit.level.value,
                              "role": j.role.value})
        raise PermissionDenied(j.decision.reason, permission=j.action.value)
    return j


def recheck(s: Session, visit_id: uuid.UUID, kind: ActivationKind, now: datetime) -> Judgement:
    """The same decision inside the write (the visit may have ended meanwhile); refuses without an audit."""
    j = judge(s, visit_id, kind, now)
    if not j.decision.allowed:
        raise PermissionDenied(j.decision.reason, permission=j.action.value)
    return j


def active_line(s: Session, account_id: uuid.UUID, line_id: uuid.UUID | None) -> Line:
    if line_id is None:
        raise ValidationError("Choose the line (an upgrade or a SIM change is for an existing line).")
    line = s.get(Line, line_id)
    if line is None or line.account_id != account_id:
        raise ValidationError("That line is not on this account.")
    if line.status is not LineStatus.ACTIVE:
        raise ValidationError(f"That line is {line.status.value}; only an active line can be changed.")
    return line


def _now() -> datetime:
    return datetime.now(UTC)
