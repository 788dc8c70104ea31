"""What a line's ACTIVE answer changes in the customer's records (inside the answer's transaction).

New line (pool number or port-in): a ``Line`` on the account, the device on it (when an IMEI is given), the pool
number ASSIGNED or the port COMPLETED. Upgrade: the new device on the line, the old one off it. SIM change: the
line's ICCID / EID replaced. A completed port and a SIM change give the customer a text (sent after the commit).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from posapp.db.models import Account, Activation, ActivationLine, Device, Line, PoolNumber, PortIn
from posapp.domain.activation import DeviceSource, NumberSource, PoolStatus, PortStatus, RequestAction, SimKind
from posapp.domain.enums import DeviceStatus, LineStatus
from posapp.services.activation.work import Notice
from posapp.services.uow import Tx


class RecordsProblem(Exception):
    """The carrier activated the line but this terminal cannot attach it (a person must look at it)."""


def apply_active(tx: Tx, al: ActivationLine, activation: Activation, action: RequestAction,
                 payload: Mapping[str, Any]) -> Notice | None:
    if action in (RequestAction.ACTIVATE, RequestAction.PORT_IN):
        return _new_line(tx, al, activation, payload)
    line = _existing_line(tx, al, payload)
    if action is RequestAction.UPGRADE:
        _upgrade(tx, al, line)
        return None
    _replace_sim(tx, al, line)
    return Notice(line.msisdn, f"{tx.settings.store_name}: the SIM for your line ending {line.msisdn[-4:]} was "
                               f"changed on {tx.now:%b %d, %Y}. If you did not ask for this, call us right away.")


def _account_id(tx: Tx, activation: Activation, payload: Mapping[str, Any]) -> uuid.UUID:
    if activation.account_id is not None:
        return activation.account_id
    number = payload.get("account_number")
    account_id = tx.session.scalar(select(Account.id).where(Account.account_number == number)) if number else None
    if account_id is None:
        raise RecordsProblem("The carrier activated the line, but its account is not on this terminal.")
    return account_id


def _new_line(tx: Tx, al: ActivationLine, activation: Activation, payload: Mapping[str, Any]) -> Notice | None:
    account_id = _account_id(tx, activation, payload)
    msisdn = al.msisdn or str(payload["msisdn"])
    line = tx.session.get(Line, al.line_id) if al.line_id else None
    line = line or tx.session.scalar(select(Line).where(Line.msisdn == msisdn))
    fields = {"account_id": account_id, "msisdn": msisdn, "plan_code": al.plan_code or str(payload["plan_code"]),
              "status": LineStatus.ACTIVE, "iccid": al.iccid, "eid": al.eid, "features": al.features or "[]",
              "activated_at": tx.now}
    if line is None:
        line = Line(sim_protection=False, port_out_protection=False, **fields)
        tx.add(line)
    else:
        for key, value in fields.items():
            setattr(line, key, value)
        tx.changed(line)
    al.line_id = line.id
    _place_device(tx, al, account_id, line.id)
    if al.number_source is NumberSource.POOL:
        _assign_pool_number(tx, msisdn)
    if al.number_source is NumberSource.PORT_IN or payload.get("port_in_id"):
        return _complete_port(tx, al, msisdn)
    return None


def _place_device(tx: Tx, al: ActivationLine, account_id: uuid.UUID, line_id: uuid.UUID) -> None:
    if not al.imei or not al.model_code:
        return
    device = tx.session.scalar(select(Device).where(Device.imei == al.imei))
    store = al.device_source is DeviceSource.STORE
    if device is None:
        tx.add(Device(imei=al.imei, imei2=al.imei2, model_code=al.model_code, account_id=account_id, line_id=line_id,
                      status=DeviceStatus.IN_USE, sold_by_carrier=store, purchased_at=tx.now if store else None,
                      warranty_end=None))
        return
    device.account_id, device.line_id, device.status = account_id, line_id, DeviceStatus.IN_USE
    device.imei2 = al.imei2 or device.imei2
    tx.changed(device)


def _assign_pool_number(tx: Tx, msisdn: str) -> None:
    pool = tx.session.scalar(select(PoolNumber).where(PoolNumber.msisdn == msisdn))
    if pool is not None and pool.status is not PoolStatus.ASSIGNED:
        pool.status = PoolStatus.ASSIGNED
        tx.changed(pool)


def _complete_port(tx: Tx, al: ActivationLine, msisdn: str) -> Notice | None:
    port = tx.session.scalar(select(PortIn).where(PortIn.activation_line_id == al.id))
    if port is None:
        return None
    port.status, port.completed_at, port.reason_code, port.reason = PortStatus.COMPLETED, tx.now, None, None
    tx.changed(port)
    return Notice(msisdn, f"{tx.settings.store_name}: your number ending {msisdn[-4:]} has moved to us and is "
                          f"active. Your service with {port.old_carrier} has ended.")


def _existing_line(tx: Tx, al: ActivationLine, payload: Mapping[str, Any]) -> Line:
    line_id = al.line_id or (uuid.UUID(str(payload["line_id"])) if payload.get("line_id") else None)
    line = tx.session.get(Line, line_id) if line_id else None
    if line is None:
        raise RecordsProblem("The carrier changed the line, but the line is not on this terminal.")
    al.line_id = line.id
    return line


def _upgrade(tx: Tx, al: ActivationLine, line: Line) -> None:
    for old in tx.session.scalars(select(Device).where(Device.line_id == line.id, Device.imei != al.imei)):
        old.line_id = None
        tx.changed(old)
    _place_device(tx, al, line.account_id, line.id)
    if al.iccid or al.eid:
        _replace_sim(tx, al, line)


def _replace_sim(tx: Tx, al: ActivationLine, line: Line) -> None:
    line.iccid = al.iccid
    line.eid = al.eid if al.sim_kind is SimKind.ESIM else None
    tx.changed(line)
