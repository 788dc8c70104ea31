"""A line's plan and features, and how its store device is paid: in full or financed on EIP (down payment, 24
months by default; only a store device can be financed)."""

from __future__ import annotations

import json
import uuid
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.catalog import FeatureInfo, PlanInfo, load_features, load_plans
from posapp.db.models import ActivationLine, DeviceModel, Plan
from posapp.domain.activation import DeviceSource, NumberSource
from posapp.errors import ValidationError
from posapp.services.activation.dto import ActivationDTO, EipQuote, EipTerms, FeatureOption, PlanOption
from posapp.services.activation.editing import editing
from posapp.services.activation.views import activation_dto, get_activation, line_of, quote
from posapp.services.dto import Actor
from posapp.services.uow import UnitOfWork


@cache
def _catalog() -> tuple[dict[str, PlanInfo], tuple[FeatureInfo, ...]]:
    return {p.code: p for p in load_plans()}, load_features()


def allowed_features(plan: Plan) -> tuple[FeatureInfo, ...]:
    """The features a line on ``plan`` may add. Its segment comes from the catalog file; a plan the file does not
    describe counts as a consumer plan (postpaid) or a prepaid one, by its kind."""
    plans, features = _catalog()
    info = plans.get(plan.code) or PlanInfo(
        code=plan.code, name=plan.name, kind=plan.kind.value, segment="prepaid" if plan.kind.value == "prepaid"
        else "consumer", monthly_cents=plan.monthly_cents, data_gb=plan.data_gb, hotspot_gb=plan.hotspot_gb,
        active=plan.active)
    return tuple(f for f in features if f.allowed_on(info))


def clean_features(plan: Plan, features: tuple[str, ...]) -> list[str]:
    """The feature codes, each one the features catalog allows on the plan; duplicates dropped."""
    allowed = {f.code: f for f in allowed_features(plan)}
    out: list[str] = []
    for f in features:
        code = f.strip().upper()
        if code not in allowed:
            raise ValidationError(f"The feature {code or '(empty)'!r} cannot be added to plan {plan.code}.")
        if code not in out:
            out.append(code)
    return out


def sold_plans(uow: UnitOfWork) -> tuple[PlanOption, ...]:
    with uow.read() as s:
        rows = s.scalars(select(Plan).where(Plan.active.is_(True)).order_by(Plan.monthly_cents, Plan.code)).all()
        return tuple(PlanOption(p.code, p.name, p.monthly_cents,
                                tuple(FeatureOption(f.code, f.name, f.monthly_cents)
                                      for f in allowed_features(p)))
                     for p in rows)


def set_plan(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, line_no: int, *, plan_code: str,
             features: tuple[str, ...] = ()) -> ActivationDTO:
    with editing(uow, actor, activation_id) as (tx, act):
        line = line_of(tx.session, act, line_no)
        if line.number_source is NumberSource.EXISTING:
            raise ValidationError("This line keeps its plan; change it from the account view (Change plan).")
        plan = tx.session.get(Plan, plan_code.strip())
        if plan is None or not plan.active:
            raise ValidationError(f"No plan {plan_code!r} is sold now.")
        codes = clean_features(plan, features)
        line.plan_code, line.features = plan.code, json.dumps(codes)
        tx.changed(line, fields={"plan_code": plan.code, "features": line.features})
        tx.audit("activation.set_plan", entity="activation", entity_id=str(act.id),
                 details={"line": line_no, "plan": plan.code, "features": codes})
        return activation_dto(tx.session, act)


def _retail(s: Session, line: ActivationLine) -> int:
    if line.device_source is not DeviceSource.STORE or line.inventory_id is None or line.model_code is None:
        raise ValidationError("Only a device bought here can be financed; scan a store device first.")
    model = s.get(DeviceModel, line.model_code)
    assert model is not None
    return model.retail_cents


def quote_eip(uow: UnitOfWork, activation_id: uuid.UUID, line_no: int, terms: EipTerms) -> EipQuote:
    with uow.read() as s:
        line = line_of(s, get_activation(s, activation_id), line_no)
        return quote(_retail(s, line), terms.down_payment_cents, terms.months)


def set_financing(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, line_no: int,
                  terms: EipTerms | None) -> ActivationDTO:
    with editing(uow, actor, activation_id) as (tx, act):
        line = line_of(tx.session, act, line_no)
        if terms is None:
            line.financed, line.down_payment_cents, line.eip_months = False, 0, None
        else:
            q = quote(_retail(tx.session, line), terms.down_payment_cents, terms.months)
            line.financed, line.down_payment_cents, line.eip_months = True, q.down_payment_cents, q.months
        tx.changed(line, fields={"financed": line.financed, "down_payment_cents": line.down_payment_cents,
                                 "eip_months": line.eip_months})
        tx.audit("activation.set_financing", entity="activation", entity_id=str(act.id),
                 details={"line": line_no, "financed": line.financed, "down": line.down_payment_cents,
                          "months": line.eip_months})
        return activation_dto(tx.session, act)
