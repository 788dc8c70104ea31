"""Loading activation rows and reading them into the DTOs of :mod:`.dto` (masked where the DTO says so)."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db.models import Account, Activation, ActivationLine, DeviceModel, Plan, PortIn
from posapp.domain.activation import ActivationStatus, LineActivationStatus, PortStatus
from posapp.domain.financing import installments
from posapp.errors import NotFoundError, ValidationError
from posapp.services.activation.dto import ActivationDTO, EipQuote, LineDTO, PortInDTO

PORT_WARNING = "Keep your old service active until the transfer completes."


def get_activation(s: Session, activation_id: uuid.UUID) -> Activation:
    act = s.get(Activation, activation_id)
    if act is None:
        raise NotFoundError("No such activation.")
    return act


def lines_of(s: Session, act: Activation, *, with_cancelled: bool = False) -> list[ActivationLine]:
    q = select(ActivationLine).where(ActivationLine.activation_id == act.id)
    if not with_cancelled:
        q = q.where(ActivationLine.status != LineActivationStatus.CANCELLED)
    return list(s.scalars(q.order_by(ActivationLine.line_no)))


def line_of(s: Session, act: Activation, line_no: int) -> ActivationLine:
    line = next((x for x in lines_of(s, act) if x.line_no == line_no), None)
    if line is None:
        raise NotFoundError(f"No line {line_no} in activation {act.number}.")
    return line


def port_of(s: Session, line: ActivationLine) -> PortIn | None:
    return s.scalar(select(PortIn).where(PortIn.activation_line_id == line.id))


def features_of(line: ActivationLine) -> tuple[str, ...]:
    return tuple(str(x) for x in json.loads(line.features or "[]"))


def quote(retail_cents: int, down_payment_cents: int, months: int) -> EipQuote:
    try:
        q = installments(retail_cents=retail_cents, down_payment_cents=down_payment_cents, months=months)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    return EipQuote(retail_cents=retail_cents, down_payment_cents=down_payment_cents,
                    financed_cents=q.financed_cents, months=months, monthly_cents=q.monthly_cents,
                    last_month_cents=q.last_month_cents)


def model_name(m: DeviceModel) -> str:
    return f"{m.make} {m.model} {m.storage_gb} GB"


def _port_dto(p: PortIn) -> PortInDTO:
    return PortInDTO(msisdn=p.msisdn, old_carrier=p.old_carrier, old_account_masked="••••" + p.old_account_number[-4:],
                     name=p.name, billing_zip=p.billing_zip, prepaid=p.prepaid, desired_date=p.desired_date,
                     status=p.status, reason_code=p.reason_code, reason=p.reason, attempt=p.attempt,
                     pin_held=p.pin_held)


def line_dto(s: Session, line: ActivationLine) -> LineDTO:
    plan = s.get(Plan, line.plan_code) if line.plan_code else None
    model = s.get(DeviceModel, line.model_code) if line.model_code else None
    port = port_of(s, line)
    eip = None
    if line.financed and model is not None and line.eip_months:
        eip = quote(model.retail_cents, line.down_payment_cents, line.eip_months)
    return LineDTO(
        id=line.id, line_no=line.line_no, status=line.status, reason=line.reason, line_id=line.line_id,
        number_source=line.number_source, msisdn=line.msisdn, plan_code=line.plan_code,
        plan_name=plan.name if plan else None, features=features_of(line), device_source=line.device_source,
        imei=line.imei, model_name=model_name(model) if model else None, sim_kind=line.sim_kind, iccid=line.iccid,
        eid=line.eid, esim_code_masked=line.esim_code_masked, financed=line.financed, eip=eip,
        port_in=_port_dto(port) if port is not None and port.status is not PortStatus.CANCELLED else None,
        activated_at=line.activated_at)


def activation_dto(s: Session, act: Activation, warnings: tuple[str, ...] = ()) -> ActivationDTO:
    lines = lines_of(s, act, with_cancelled=act.status is ActivationStatus.CANCELLED)
    dtos = tuple(line_dto(s, x) for x in lines)
    extra = list(warnings)
    if any(d.port_in is not None and d.port_in.status is not PortStatus.COMPLETED for d in dtos):
        extra.append(PORT_WARNING)
    acct = s.get(Account, act.account_id) if act.account_id else None
    return ActivationDTO(id=act.id, number=act.number, kind=act.kind, status=act.status, visit_id=act.visit_id,
                         account_id=act.account_id, account_number=acct.account_number if acct else None,
                         sale_id=act.sale_id, training=act.training, lines=dtos, created_at=act.created_at,
                         warnings=tuple(dict.fromkeys(extra)))
