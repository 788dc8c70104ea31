"""Paid activations written straight with the models and ``queue_line`` (the activation service is built
elsewhere): an activation QUEUED with one line and its provisioning request in the outbound queue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from posapp.db.models import Activation, ActivationLine, PoolNumber, PortIn
from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    DeviceSource,
    LineActivationStatus,
    NumberSource,
    PoolStatus,
    PortStatus,
    RequestAction,
    SimKind,
)
from posapp.domain.identifiers import luhn_check_digit
from posapp.services.activation.requests import PortDetails, ProvisioningPayload, queue_line
from posapp.services.dto import Actor

MODEL = "APL-IP15-128"  # in the ``catalog`` fixture
PLAN = "UNL-PLUS"


def imei(n: int) -> str:
    body = f"3546781299{n:04d}"
    return body + luhn_check_digit(body)


def iccid(n: int) -> str:
    body = f"890141032199{n:07d}"
    return body + luhn_check_digit(body)


EID = "89049032123451234512345678901235"


@dataclass(frozen=True)
class Built:
    activation_id: uuid.UUID
    activation_number: str
    line_id: uuid.UUID  # the activation_line
    request_id: uuid.UUID
    port_in_id: uuid.UUID | None
    msisdn: str


_seq = iter(range(1, 1_000_000))


def queued_line(services: Any, actor: Actor, *, account_id: uuid.UUID, account_number: str,
                action: RequestAction = RequestAction.ACTIVATE, msisdn: str = "+12065550171",
                sim_kind: SimKind = SimKind.PHYSICAL, device_imei: str | None = None,
                device_source: DeviceSource = DeviceSource.STORE, existing_line_id: uuid.UUID | None = None,
                port: PortDetails | None = None, features: str = '["HOTSPOT"]', n: int | None = None,
                into: Built | None = None, pool: bool = True) -> Built:
    """``into``: a further line of that activation; ``pool=False``: no pool row (the number is in one already)."""
    n = n if n is not None else next(_seq)
    kind = {RequestAction.ACTIVATE: ActivationKind.ADD_LINE, RequestAction.PORT_IN: ActivationKind.ADD_LINE,
            RequestAction.UPGRADE: ActivationKind.UPGRADE, RequestAction.SIM_CHANGE: ActivationKind.SIM_CHANGE}[action]
    source = {RequestAction.ACTIVATE: NumberSource.POOL, RequestAction.PORT_IN: NumberSource.PORT_IN}.get(
        action, NumberSource.EXISTING)
    with services.uow.write(actor) as tx:
        act = tx.session.get(Activation, into.activation_id) if into else None
        line_no = 1 + sum(1 for _ in tx.session.scalars(
            select(ActivationLine.id).where(ActivationLine.activation_id == act.id))) if act else 1
        if act is None:
            act = Activation(number=f"S001-T01-{n:06d}", kind=kind, status=ActivationStatus.QUEUED,
                             account_id=account_id, employee_id=actor.employee_id, training=True, paid_at=tx.now)
            tx.add(act)
        esim = sim_kind is SimKind.ESIM
        line = ActivationLine(activation_id=act.id, line_no=line_no, status=LineActivationStatus.PENDING_PAYMENT,
                              line_id=existing_line_id, number_source=source, msisdn=msisdn, plan_code=PLAN,
                              features=features, device_source=device_source if device_imei else DeviceSource.KEEP,
                              imei=device_imei, model_code=MODEL if device_imei else None, sim_kind=sim_kind,
                              iccid=None if esim else iccid(n), eid=EID if esim else None)
        tx.add(line)
        payload: ProvisioningPayload = {"activation": act.number, "kind": kind.value, "line_no": line_no,
                                        "account_number": account_number, "msisdn": msisdn, "plan_code": PLAN,
                                        "features": ["HOTSPOT"], "sim_kind": sim_kind.value}
        if line.iccid:
            payload["iccid"] = line.iccid
        if line.eid:
            payload["eid"] = line.eid
        if device_imei:
            payload["imei"] = device_imei
        if existing_line_id:
            payload["line_id"] = str(existing_line_id)
        port_id = None
        if source is NumberSource.POOL and pool:
            tx.add(PoolNumber(msisdn=msisdn, status=PoolStatus.RESERVED, reserved_by_line_id=line.id,
                              reserved_at=tx.now))
        if port is not None:
            p = PortIn(activation_line_id=line.id, msisdn=msisdn, old_carrier=port["old_carrier"],
                       old_account_number=port["old_account_number"], pin_held=True, name=port["name"],
                       billing_zip=port["billing_zip"], prepaid=False, desired_date=date.today(),
                       status=PortStatus.DRAFT, attempt=1)
            tx.add(p)
            port_id = p.id
            payload["port_in_id"], payload["port"] = str(p.id), port
        request = queue_line(tx, line, action, payload)
        return Built(act.id, act.number, line.id, request.id, port_id, msisdn)


def port_details(old_carrier: str = "Evergreen Mobile", account: str = "EM44710921", name: str = "Dana Whitfield",
                 zip_code: str = "98103") -> PortDetails:
    return {"old_carrier": old_carrier, "old_account_number": account, "name": name, "billing_zip": zip_code,
            "prepaid": False, "desired_date": None}
