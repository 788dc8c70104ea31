"""Plan changes on a line (DOMAIN.md "Plans, AutoPay, tax"): preview the proration, apply now or at the next cycle.

Checked here, whatever the UI offers: the visit must be verified and the customer's role must allow
``CHANGE_PLAN`` (:func:`posapp.domain.account_rules.decide`); a refusal is audited in its own transaction, so it is
kept while nothing else is written. The new plan must be active and of the line's segment (consumer, business or
prepaid: prepaid <-> postpaid is a new line, not a plan change); features come from the features catalog
(:func:`posapp.catalog.load_features`) and must be allowed on the new plan (a feature the line already has may be
kept after it was retired). The same plan with the same features is refused.

The figures are :func:`posapp.domain.proration.preview_plan_change` with the store's settings (divisor, AutoPay
per-line discount and line limit) and the line's cycle day (see :mod:`posapp.services.plan_change_dto`). AutoPay is
counted for this line alone (one line, if it is within the account's line limit) and counts as completed a full
cycle when the enrolment began on or before the current cycle's first day; ``PlanChange.autopay_delta_cents`` keeps
that per-line monthly discount as a negative amount.

NOW updates ``line.plan_code`` / ``line.features`` and appends an APPLIED ``PlanChange`` with the credit and
charge. NEXT_CYCLE appends a SCHEDULED one ``effective_on`` the next cycle's first day; :meth:`apply_due` applies
due ones (those scheduled at this terminal: a plan change is an event row, updated only by its origin terminal),
:meth:`cancel` cancels one. A new change cancels a line's earlier scheduled one. Audit details carry plan and
feature codes, the timing, the amounts and the line's last 4 digits: nothing private.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.catalog import FeatureInfo, PlanInfo, load_features, load_plans
from posapp.db.models import Account, AutoPayEnrolment, Bill, Line, Plan
from posapp.db.models.activation import PlanChange
from posapp.domain.account_rules import AccountAction, decide
from posapp.domain.activation import PlanChangeStatus
from posapp.domain.enums import LineStatus, PlanKind
from posapp.domain.proration import AutoPayFacts, ChangeTiming, PlanPrice, cycle_day, preview_plan_change
from posapp.errors import NotFoundError, PermissionDenied, ValidationError
from posapp.security.permissions import Permission
from posapp.services.accounts import _context
from posapp.services.dto import Actor
from posapp.services.plan_change_dto import (
    FeatureOption,
    PlanChangeChoices,
    PlanChangePreview,
    PlanChangeResult,
    PlanOption,
    ScheduledChange,
    cycle_bounds,
)
from posapp.services.uow import Tx, UnitOfWork


def _features_of(text: str | None) -> tuple[str, ...]:
    return tuple(sorted(set(json.loads(text or "[]"))))


class PlanChangeService:
    def __init__(self, *, uow: UnitOfWork, today: Callable[[], date] | None = None,
                 features: tuple[FeatureInfo, ...] | None = None) -> None:
        self._uow = uow
        self._today = today or self._store_today
        self._features = {f.code: f for f in (features if features is not None else load_features())}
        self._catalog = {p.code: p for p in load_plans()}

    def _store_today(self) -> date:
        return datetime.now(ZoneInfo(self._uow.core.settings.store_timezone)).date()

    # -- reading ----------------------------------------------------------------------------------------
    def choices(self, actor: Actor, visit_id: uuid.UUID, line_id: uuid.UUID) -> PlanChangeChoices:
        self._uow.check(actor, Permission.CUSTOMER_LOOKUP)
        with self._uow.read() as s:
            acct, line = self._line(s, visit_id, line_id, audit=False)
            current = self._plan(s, line.plan_code)
            segment = self._segment(current, acct)
            plans = [p for p in s.scalars(select(Plan).order_by(Plan.monthly_cents, Plan.code))
                     if (p.active or p.code == current.code) and self._segment(p, acct) == segment]
            plans.sort(key=lambda p: p.code != current.code)
            start, nxt = cycle_bounds(self._billing_day(s, acct), self._today())
            return PlanChangeChoices(
                line_id=line.id, line_last4=line.msisdn[-4:], current_plan_code=current.code,
                current_features=_features_of(line.features),
                plans=tuple(PlanOption(p.code, p.name, p.monthly_cents, segment, self._options(p, acct))
                            for p in plans),
                cycle_start=start, next_cycle=nxt, scheduled=self._scheduled_view(s, line.id))

    def preview(self, actor: Actor, visit_id: uuid.UUID, line_id: uuid.UUID, new_plan_code: str,
                features: tuple[str, ...] | list[str], timing: ChangeTiming | str) -> PlanChangePreview:
        self._uow.check(actor, Permission.CUSTOMER_LOOKUP)
        with self._uow.read() as s:
            acct, line = self._line(s, visit_id, line_id, audit=False)
            return self._preview(s, acct, line, new_plan_code, features, ChangeTiming(timing))

    # -- changes ----------------------------------------------------------------------------------------
    def apply(self, actor: Actor, visit_id: uuid.UUID, line_id: uuid.UUID, new_plan_code: str,
              features: tuple[str, ...] | list[str], timing: ChangeTiming | str) -> PlanChangeResult:
        timing = ChangeTiming(timing)
        self._refuse_unless_allowed(actor, visit_id)
        with self._uow.write(actor, Permission.CUSTOMER_EDIT) as tx:
            acct, line = self._line(tx.session, visit_id, line_id, audit=True)
            p = self._preview(tx.session, acct, line, new_plan_code, features, timing)
            for old in self._scheduled_rows(tx.session, line.id):
                self._set_status(tx, old, PlanChangeStatus.CANCELLED, "plan_change.superseded", line)
            status = PlanChangeStatus.APPLIED if timing is ChangeTiming.NOW else PlanChangeStatus.SCHEDULED
            row = PlanChange(
                line_id=line.id, account_id=acct.id, visit_id=visit_id, employee_id=actor.employee_id,
                old_plan_code=p.old_plan_code, new_plan_code=p.new_plan_code,
                old_features=json.dumps(list(p.old_features)), new_features=json.dumps(list(p.new_features)),
                timing=timing, effective_on=p.effective_on, credit_cents=p.credit_cents,
                charge_cents=p.charge_cents, autopay_delta_cents=-p.proration.autopay.discount_cents, status=status)
            tx.add(row)
            if status is PlanChangeStatus.APPLIED:
                self._switch(tx, line, p.new_plan_code, p.new_features)
            tx.audit(f"plan_change.{status.value}", entity="line", entity_id=str(line.id),
                     details={"line": line.msisdn[-4:], "old_plan": p.old_plan_code, "new_plan": p.new_plan_code,
                              "features": list(p.new_features), "timing": timing.value,
                              "effective_on": p.effective_on.isoformat(), "credit_cents": p.credit_cents,
                              "charge_cents": p.charge_cents})
            return PlanChangeResult(row.id, status.value, p)

    def cancel(self, actor: Actor, visit_id: uuid.UUID, change_id: uuid.UUID) -> None:
        """Cancel a scheduled change (of a line on the visit's account)."""
        self._refuse_unless_allowed(actor, visit_id)
        with self._uow.write(actor, Permission.CUSTOMER_EDIT) as tx:
            _, acct, _, _ = _context(tx.session, visit_id)
            row = tx.session.get(PlanChange, change_id)
            if row is None or row.account_id != acct.id:
                raise NotFoundError("No such plan change on this account.")
            if row.status is not PlanChangeStatus.SCHEDULED:
                raise ValidationError(f"This plan change is {row.status.value}; only a scheduled one can be "
                                      "cancelled.")
            line = tx.session.get(Line, row.line_id)
            assert line is not None
            self._set_status(tx, row, PlanChangeStatus.CANCELLED, "plan_change.cancelled", line)

    def apply_due(self, actor: Actor, today: date | None = None) -> int:
        """Apply the scheduled changes (made at this terminal) due on or before ``today``; returns how many."""
        day = today or self._today()
        with self._uow.write(actor) as tx:
            rows = tx.session.scalars(select(PlanChange).where(
                PlanChange.status == PlanChangeStatus.SCHEDULED, PlanChange.effective_on <= day,
                PlanChange.origin_terminal_id == tx.settings.terminal_id).order_by(PlanChange.effective_on)).all()
            for row in rows:
                line = tx.session.get(Line, row.line_id)
                assert line is not None
                self._switch(tx, line, row.new_plan_code, _features_of(row.new_features))
                self._set_status(tx, row, PlanChangeStatus.APPLIED, "plan_change.applied_due", line)
            return len(rows)

    # -- helpers ----------------------------------------------------------------------------------------
    def _refuse_unless_allowed(self, actor: Actor, visit_id: uuid.UUID) -> None:
        with self._uow.read() as s:
            visit, acct, _, role = _context(s, visit_id)
            if visit.ended_at is not None:
                raise ValidationError("This visit has ended.")
            decision = decide(AccountAction.CHANGE_PLAN, level=visit.level, role=role)
            level = visit.level.value
        if decision.allowed:
            return
        with self._uow.write(actor) as tx:
            tx.audit("account.action_refused", entity="account", entity_id=str(acct.id),
                     details={"action": AccountAction.CHANGE_PLAN.value, "level": level, "role": role.value})
        raise PermissionDenied(decision.reason, permission=AccountAction.CHANGE_PLAN.value)

    def _line(self, s: Session, visit_id: uuid.UUID, line_id: uuid.UUID, *, audit: bool) -> tuple[Account, Line]:
        visit, acct, _, role = _context(s, visit_id)
        if not audit:
            decision = decide(AccountAction.VIEW_ACCOUNT, level=visit.level, role=role)
            if visit.ended_at is not None or not decision.allowed:
                raise PermissionDenied(decision.reason or "This visit has ended.",
                                       permission=AccountAction.VIEW_ACCOUNT.value)
        line = s.get(Line, line_id)
        if line is None or line.account_id != acct.id:
            raise ValidationError("That line is not on this account.")
        if line.status is not LineStatus.ACTIVE:
            raise ValidationError(f"The line ending {line.msisdn[-4:]} is {line.status.value}; only an active "
                                  "line can change plans.")
        return acct, line

    def _preview(self, s: Session, acct: Account, line: Line, new_code: str, features: tuple[str, ...] | list[str],
                 timing: ChangeTiming) -> PlanChangePreview:
        old, new = self._plan(s, line.plan_code), self._plan(s, new_code)
        old_features, new_features = _features_of(line.features), tuple(sorted(set(features)))
        self._check_target(acct, line, old, new, old_features, new_features)
        start, nxt = cycle_bounds(self._billing_day(s, acct), self._today())
        day = cycle_day(start, self._today())
        cfg = self._uow.core.settings
        proration = preview_plan_change(
            old=self._price(old, old_features), new=self._price(new, new_features), day=day, timing=timing,
            autopay=self._autopay(s, acct, line, start), divisor=cfg.proration_divisor_days,
            autopay_per_line_cents=cfg.autopay_discount_cents, autopay_max_lines=cfg.autopay_max_lines)
        return PlanChangePreview(
            line_id=line.id, old_plan_code=old.code, old_plan_name=old.name, old_features=old_features,
            new_plan_code=new.code, new_plan_name=new.name, new_features=new_features, timing=timing,
            cycle_start=start, cycle_day=day, next_cycle=nxt,
            effective_on=self._today() if timing is ChangeTiming.NOW else nxt, proration=proration)

    def _check_target(self, acct: Account, line: Line, old: Plan, new: Plan, old_features: tuple[str, ...],
                      new_features: tuple[str, ...]) -> None:
        if not new.active:
            raise ValidationError(f"{new.name} is no longer sold; choose an active plan.")
        if self._segment(new, acct) != self._segment(old, acct):
            if PlanKind.PREPAID in (new.kind, old.kind) and new.kind != old.kind:
                raise ValidationError("Prepaid and postpaid are not a plan change: open a new line instead.")
            raise ValidationError(f"{new.name} is a {self._segment(new, acct)} plan; this line's plans are "
                                  f"{self._segment(old, acct)} plans.")
        for code in new_features:
            info = self._features.get(code)
            if info is None:
                raise ValidationError(f"Unknown feature {code!r}.")
            kept = code in old_features
            if not (info.allowed_on(self._info(new, acct)) or (kept and not info.active)):
                raise ValidationError(f"{info.name} cannot be added to {new.name}.")
        if new.code == old.code and new_features == old_features:
            raise ValidationError(f"The line ending {line.msisdn[-4:]} already has {new.name} with these features.")

    def _options(self, plan: Plan, acct: Account) -> tuple[FeatureOption, ...]:
        info = self._info(plan, acct)
        return tuple(FeatureOption(f.code, f.name, f.monthly_cents) for f in self._features.values()
                     if f.allowed_on(info))

    def _info(self, plan: Plan, acct: Account) -> PlanInfo:
        return PlanInfo(code=plan.code, name=plan.name, kind=plan.kind.value, segment=self._segment(plan, acct),
                        monthly_cents=plan.monthly_cents, data_gb=plan.data_gb, hotspot_gb=plan.hotspot_gb,
                        active=plan.active)

    def _segment(self, plan: Plan, acct: Account) -> str:
        """The catalog's segment for a catalog plan; else prepaid for a prepaid plan, or the account's kind."""
        known = self._catalog.get(plan.code)
        if known is not None:
            return known.segment
        return "prepaid" if plan.kind is PlanKind.PREPAID else acct.kind.value

    def _price(self, plan: Plan, features: tuple[str, ...]) -> PlanPrice:
        cents = tuple(self._features[c].monthly_cents for c in features if c in self._features)
        return PlanPrice(plan.name, plan.monthly_cents, cents)

    @staticmethod
    def _plan(s: Session, code: str) -> Plan:
        plan = s.get(Plan, code)
        if plan is None:
            raise ValidationError(f"Unknown plan {code!r}.")
        return plan

    def _billing_day(self, s: Session, acct: Account) -> int:
        start = s.scalar(select(Bill.period_start).where(Bill.account_id == acct.id)
                         .order_by(Bill.period_start.desc()).limit(1))
        if start is not None:
            return start.day
        return acct.opened_at.astimezone(ZoneInfo(self._uow.core.settings.store_timezone)).day

    def _autopay(self, s: Session, acct: Account, line: Line, cycle_start: date) -> AutoPayFacts:
        row = s.scalars(select(AutoPayEnrolment).where(AutoPayEnrolment.account_id == acct.id,
                                                       AutoPayEnrolment.ended_at.is_(None))
                        .order_by(AutoPayEnrolment.enrolled_at.desc())).first()
        if row is None:
            return AutoPayFacts(method=None, lines=0, full_cycle_completed=False)
        active = s.scalars(select(Line.id).where(Line.account_id == acct.id, Line.status == LineStatus.ACTIVE)
                           .order_by(Line.activated_at, Line.msisdn)).all()
        counted = line.id in active[:self._uow.core.settings.autopay_max_lines]
        enrolled = row.enrolled_at.astimezone(ZoneInfo(self._uow.core.settings.store_timezone)).date()
        return AutoPayFacts(method=row.method, lines=1 if counted else 0,
                            full_cycle_completed=enrolled <= cycle_start)

    @staticmethod
    def _scheduled_rows(s: Session, line_id: uuid.UUID) -> list[PlanChange]:
        return list(s.scalars(select(PlanChange).where(PlanChange.line_id == line_id,
                                                       PlanChange.status == PlanChangeStatus.SCHEDULED)))

    def _scheduled_view(self, s: Session, line_id: uuid.UUID) -> ScheduledChange | None:
        rows = self._scheduled_rows(s, line_id)
        if not rows:
            return None
        row = rows[0]
        return ScheduledChange(row.id, row.new_plan_code, self._plan(s, row.new_plan_code).name,
                               _features_of(row.new_features), row.effective_on)

    @staticmethod
    def _switch(tx: Tx, line: Line, plan_code: str, features: tuple[str, ...]) -> None:
        line.plan_code = plan_code
        line.features = json.dumps(list(features))
        tx.changed(line, fields={"plan_code": plan_code, "features": line.features})

    @staticmethod
    def _set_status(tx: Tx, row: PlanChange, status: PlanChangeStatus, action: str, line: Line) -> None:
        row.status = status
        tx.changed(row, fields={"status": status.value})
        tx.audit(action, entity="line", entity_id=str(line.id),
                 details={"line": line.msisdn[-4:], "plan_change": str(row.id), "new_plan": row.new_plan_code,
                          "effective_on": row.effective_on.isoformat()})
