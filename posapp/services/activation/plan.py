"""A line's plan and features, and how its store device is paid: in full or financed on EIP (down payment, 24
months by default; only a store device can be financed)."""

from __future__ import annotations

import json
import uuid

from sqlalchemy.orm import Session

from posapp.db.models import ActivationLine, DeviceModel, Plan
from posapp.domain.activation import DeviceSource, NumberSource
from posapp.errors import ValidationError
from posapp.services.activation.dto import ActivationDTO, EipQuote, EipTerms
from posapp.services.activation.editing import editing
from posapp.services.activation.views import activation_dto, get_activation, line_of, quote
from posapp.services.dto import Actor
from posapp.services.uow import UnitOfWork

MAX_FEATURE = 30


def clean_features(features: tuple[str, ...]) -> list[str]:
    """Feature codes as given (a features catalog comes later: any non-empty code is accepted for now)."""
    out: list[str] = []
    for f in features:
        code = f.strip().upper()
        if not code or len(code) > MAX_FEATURE:
            raise ValidationError(f"A feature code is 1 to {MAX_FEATURE} characters.")
        if code not in out:
            out.append(code)
    return out


def set_plan(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, line_no: int, *, plan_code: str,
             features: tuple[str, ...] = ()) -> ActivationDTO:
    codes = clean_features(features)
    with editing(uow, actor, activation_id) as (tx, act):
        line = line_of(tx.session, act, line_no)
        if line.number_source is NumberSource.EXISTING:
            raise ValidationError("This line keeps its plan; change it from the account view (Change plan).")
        plan = tx.session.get(Plan, plan_code.strip())
        if plan is None or not plan.active:
            raise ValidationError(f"No plan {plan_code!r} is sold now.")
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
