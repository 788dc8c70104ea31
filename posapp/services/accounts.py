"""The account view and the account changes a verified visit may make (AutoPay, alerts, protections).

Every method takes the visit: the visit's verification level and the customer's account role decide what is
returned and what is allowed, here in the service, whatever the UI offers.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db.models import (
    Account,
    AccountMember,
    AlertSetting,
    AutoPayEnrolment,
    Bill,
    BillPayment,
    Customer,
    Device,
    DeviceModel,
    FinancingAgreement,
    Line,
    Plan,
    Visit,
)
from posapp.domain.account_rules import ROLE_LABELS, AccountAction, decide, decisions, pin_counts
from posapp.domain.enums import AlertKind, AutoPayMethod, LineStatus, MemberRole, VerificationLevel
from posapp.domain.financing import autopay_discount_cents, eip_status
from posapp.errors import NotFoundError, PermissionDenied, ValidationError
from posapp.security.permissions import Permission
from posapp.services.account_view import (
    AccountDetails,
    AccountScreen,
    AlertView,
    AutoPayView,
    BillView,
    DeviceView,
    LineView,
    MaskedAccount,
    MaskedLine,
    MemberView,
    PaymentView,
)
from posapp.services.dto import Actor
from posapp.services.interactions import InteractionService
from posapp.services.lookup import mask_account
from posapp.services.uow import Tx, UnitOfWork


def _name(c: Customer) -> str:
    return f"{c.first_name} {c.last_name}"


class AccountService:
    def __init__(self, *, uow: UnitOfWork, interactions: InteractionService) -> None:
        self._uow = uow
        self._interactions = interactions

    # -- reading ----------------------------------------------------------------------------------------
    def screen(self, actor: Actor, visit_id: uuid.UUID) -> AccountScreen:
        self._uow.check(actor, Permission.CUSTOMER_LOOKUP)
        with self._uow.read() as s:
            visit, acct, cust, role = _context(s, visit_id)
            lines = s.scalars(select(Line).where(Line.account_id == acct.id).order_by(Line.msisdn)).all()
            masked = MaskedAccount(
                account_id=acct.id, customer_name=_name(cust), business_name=acct.business_name,
                account_kind=acct.kind.value, masked_account_number=mask_account(acct.account_number),
                member_role=ROLE_LABELS[role],
                lines=tuple(MaskedLine(ln.id, f"•••-•••-{ln.msisdn[-4:]}", ln.status is LineStatus.ACTIVE)
                            for ln in lines),
                code_by_text_only=not pin_counts(opened_at=acct.opened_at,
                                                 address_changed_at=cust.address_changed_at,
                                                 now=datetime.now(UTC)))
            level = visit.level if visit.ended_at is None else VerificationLevel.NONE
            actions = decisions(level=level, role=role)
            details = None
            if actions[AccountAction.VIEW_ACCOUNT].allowed:
                details = self._details(s, acct, cust, role, list(lines))
        if details is not None:
            details = replace(details, cases=tuple(self._interactions.recent(acct.id, limit=10)))
        return AccountScreen(masked=masked, details=details, level=level.value, actions=actions)

    def _details(self, s: Session, acct: Account, cust: Customer, role: MemberRole,
                 lines: list[Line]) -> AccountDetails:
        plans = {p.code: p for p in s.scalars(select(Plan))}
        devices = s.scalars(select(Device).where(Device.account_id == acct.id)).all()
        models = {m.code: m for m in s.scalars(select(DeviceModel).where(
            DeviceModel.code.in_({d.model_code for d in devices})))} if devices else {}
        eips = {f.device_id: f for f in s.scalars(select(FinancingAgreement).where(
            FinancingAgreement.account_id == acct.id))}
        msisdn = {ln.id: ln.msisdn for ln in lines}
        device_views = []
        for d in devices:
            m = models.get(d.model_code)
            f = eips.get(d.id)
            st = eip_status(financed_cents=f.financed_cents, balance_cents=f.balance_cents,
                            monthly_cents=f.monthly_cents) if f else None
            device_views.append(DeviceView(
                id=d.id, imei=d.imei, tac=d.imei[:8],
                model=f"{m.make} {m.model} {m.storage_gb} GB" if m else d.model_code,
                status=d.status.value, line_msisdn=msisdn.get(d.line_id) if d.line_id else None,
                warranty_end=d.warranty_end, eip_balance_cents=st.balance_cents if st else None,
                eip_months_left=st.months_left if st else None,
                upgrade_eligible=st.upgrade_eligible if st else True))
        bills = s.scalars(select(Bill).where(Bill.account_id == acct.id).order_by(Bill.due_date.desc()).limit(12))
        pays = s.scalars(select(BillPayment).where(BillPayment.account_id == acct.id)
                         .order_by(BillPayment.paid_at.desc()).limit(12))
        members = s.execute(select(AccountMember.role, Customer)
                            .join(Customer, Customer.id == AccountMember.customer_id)
                            .where(AccountMember.account_id == acct.id)).all()
        alerts = s.scalars(select(AlertSetting).where(AlertSetting.account_id == acct.id)).all()
        active = sum(1 for ln in lines if ln.status is LineStatus.ACTIVE)
        return AccountDetails(
            account_id=acct.id, account_number=acct.account_number, account_kind=acct.kind.value,
            business_name=acct.business_name, status=acct.status.value, customer_name=_name(cust),
            member_role=ROLE_LABELS[role], balance_cents=acct.balance_cents,
            autopay=_autopay_view(s, acct.id, active),
            lines=tuple(LineView(ln.id, ln.msisdn, ln.plan_code, plans[ln.plan_code].name if ln.plan_code in plans
                                 else ln.plan_code, plans[ln.plan_code].monthly_cents if ln.plan_code in plans else 0,
                                 ln.status.value, ln.sim_protection, ln.port_out_protection) for ln in lines),
            devices=tuple(device_views),
            bills=tuple(BillView(b.id, b.period_start, b.period_end, b.due_date, b.amount_cents, b.status.value)
                        for b in bills),
            payments=tuple(PaymentView(p.paid_at, p.amount_cents, p.method.value) for p in pays),
            members=tuple(sorted((MemberView(c.id, _name(c), ROLE_LABELS[r]) for r, c in members),
                                 key=lambda m: (m.role != ROLE_LABELS[MemberRole.PRIMARY], m.name))),
            alerts=tuple(AlertView(a.kind.value, a.line_id, a.enabled) for a in alerts),
            cases=())

    # -- changes ----------------------------------------------------------------------------------------
    def enrol_autopay(self, actor: Actor, visit_id: uuid.UUID, *, method: AutoPayMethod | str,
                      last4: str) -> AutoPayView:
        try:
            method = AutoPayMethod(method)
        except ValueError:
            raise ValidationError("Choose bank account, debit card or credit card.") from None
        if not (last4.isdigit() and len(last4) == 4):
            raise ValidationError("Give the last 4 digits of the account or card (never the full number).")
        with self._uow.write(actor, Permission.CUSTOMER_EDIT) as tx:
            acct = self._allowed(tx, visit_id, AccountAction.AUTOPAY_ENROL)
            for old in tx.session.scalars(select(AutoPayEnrolment).where(
                    AutoPayEnrolment.account_id == acct.id, AutoPayEnrolment.ended_at.is_(None))):
                old.ended_at = tx.now
                tx.changed(old, fields={"ended_at": tx.now})
            tx.add(AutoPayEnrolment(account_id=acct.id, method=method, last4=last4, enrolled_at=tx.now))
            tx.audit("autopay.enrol", entity="account", entity_id=str(acct.id), details={"method": method.value})
            return _autopay_view(tx.session, acct.id, _active_lines(tx.session, acct.id))

    def cancel_autopay(self, actor: Actor, visit_id: uuid.UUID) -> AutoPayView:
        with self._uow.write(actor, Permission.CUSTOMER_EDIT) as tx:
            acct = self._allowed(tx, visit_id, AccountAction.AUTOPAY_CANCEL)
            current = tx.session.scalars(select(AutoPayEnrolment).where(
                AutoPayEnrolment.account_id == acct.id, AutoPayEnrolment.ended_at.is_(None))).all()
            if not current:
                raise ValidationError("The account is not enrolled in AutoPay.")
            for row in current:
                row.ended_at = tx.now
                tx.changed(row, fields={"ended_at": tx.now})
            tx.audit("autopay.cancel", entity="account", entity_id=str(acct.id))
            return _autopay_view(tx.session, acct.id, _active_lines(tx.session, acct.id))

    def set_alert(self, actor: Actor, visit_id: uuid.UUID, *, kind: AlertKind | str, enabled: bool,
                  line_id: uuid.UUID | None = None) -> AlertView:
        try:
            kind = AlertKind(kind)
        except ValueError:
            raise ValidationError(f"Unknown alert {kind!r}.") from None
        with self._uow.write(actor, Permission.CUSTOMER_EDIT) as tx:
            acct = self._allowed(tx, visit_id, AccountAction.CHANGE_ALERTS)
            if line_id is not None:
                line = tx.session.get(Line, line_id)
                if line is None or line.account_id != acct.id:
                    raise ValidationError("That line is not on this account.")
            row = tx.session.scalar(select(AlertSetting).where(
                AlertSetting.account_id == acct.id, AlertSetting.kind == kind,
                AlertSetting.line_id.is_(None) if line_id is None else AlertSetting.line_id == line_id))
            if row is None:
                row = AlertSetting(account_id=acct.id, line_id=line_id, kind=kind, enabled=enabled)
                tx.add(row)
            else:
                row.enabled = enabled
                tx.changed(row, fields={"enabled": enabled})
            tx.audit("alerts.set", entity="account", entity_id=str(acct.id),
                     details={"kind": kind.value, "enabled": enabled})
            return AlertView(kind.value, line_id, enabled)

    def set_protection(self, actor: Actor, visit_id: uuid.UUID, *, line_id: uuid.UUID, which: str,
                       on: bool) -> LineView:
        if which not in ("sim", "port_out"):
            raise ValidationError("Choose SIM protection or port-out protection.")
        action = AccountAction.ADD_PROTECTION if on else AccountAction.REMOVE_PROTECTION
        with self._uow.write(actor, Permission.CUSTOMER_EDIT) as tx:
            acct = self._allowed(tx, visit_id, action)
            line = tx.session.get(Line, line_id)
            if line is None or line.account_id != acct.id:
                raise ValidationError("That line is not on this account.")
            field = "sim_protection" if which == "sim" else "port_out_protection"
            setattr(line, field, on)
            tx.changed(line, fields={field: on})
            tx.audit(f"protection.{which}.{'on' if on else 'off'}", entity="line", entity_id=str(line.id),
                     details={"line": line.msisdn[-4:]})
            plan = tx.session.get(Plan, line.plan_code)
            return LineView(line.id, line.msisdn, line.plan_code, plan.name if plan else line.plan_code,
                            plan.monthly_cents if plan else 0, line.status.value, line.sim_protection,
                            line.port_out_protection)

    def _allowed(self, tx: Tx, visit_id: uuid.UUID, action: AccountAction) -> Account:
        visit, acct, _, role = _context(tx.session, visit_id)
        if visit.ended_at is not None:
            raise ValidationError("This visit has ended.")
        decision = decide(action, level=visit.level, role=role)
        if not decision.allowed:
            tx.audit_refusal("account.action_refused", entity="account", entity_id=str(acct.id),
                               details={"action": action.value, "level": visit.level.value, "role": role.value})
            raise PermissionDenied(decision.reason, permission=action.value)
        return acct


def _context(s: Session, visit_id: uuid.UUID) -> tuple[Visit, Account, Customer, MemberRole]:
    visit = s.get(Visit, visit_id)
    if visit is None:
        raise NotFoundError("No such visit.")
    acct = s.get(Account, visit.account_id)
    cust = s.get(Customer, visit.customer_id)
    role = s.scalar(select(AccountMember.role).where(AccountMember.account_id == visit.account_id,
                                                     AccountMember.customer_id == visit.customer_id))
    assert acct is not None and cust is not None and role is not None
    return visit, acct, cust, role


def _active_lines(s: Session, account_id: uuid.UUID) -> int:
    return len(s.scalars(select(Line.id).where(Line.account_id == account_id,
                                               Line.status == LineStatus.ACTIVE)).all())


def _autopay_view(s: Session, account_id: uuid.UUID, active_lines: int) -> AutoPayView:
    row = s.scalars(select(AutoPayEnrolment).where(AutoPayEnrolment.account_id == account_id,
                                                   AutoPayEnrolment.ended_at.is_(None))
                    .order_by(AutoPayEnrolment.enrolled_at.desc())).first()
    if row is None:
        return AutoPayView(False, None, None, 0, None)
    return AutoPayView(True, row.method.value, row.last4, autopay_discount_cents(row.method, active_lines),
                       row.enrolled_at)
