"""The number of a new line: a pool number (reserved) or a port-in from another carrier. The transfer PIN goes to
the OS keyring (keyed by the port-in's id), never to the database, the outbox, the audit or a log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db.models import Activation, ActivationLine, Line, PoolNumber, PortIn
from posapp.domain.activation import OPEN_LINE_STATUSES, LineActivationStatus, NumberSource, PortStatus, RequestAction
from posapp.domain.identifiers import normalize_phone
from posapp.errors import NotFoundError, ValidationError
from posapp.security.permissions import Permission
from posapp.security.transfer_pins import hold_transfer_pin
from posapp.services.activation import pool
from posapp.services.activation.dto import ActivationDTO, PortInForm
from posapp.services.activation.editing import editing
from posapp.services.activation.lines import cancel_port
from posapp.services.activation.payload import payload_for
from posapp.services.activation.requests import queue_line
from posapp.services.activation.views import activation_dto, line_of, port_of
from posapp.services.dto import Actor
from posapp.services.uow import Tx, UnitOfWork


def _new_number_line(line: ActivationLine) -> None:
    if line.number_source is NumberSource.EXISTING:
        raise ValidationError("This line keeps its own number.")


def pick_number(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, line_no: int,
                msisdn: str) -> ActivationDTO:
    with editing(uow, actor, activation_id) as (tx, act):
        line = line_of(tx.session, act, line_no)
        _new_number_line(line)
        row = pool.reserve(tx, msisdn, line)
        port = port_of(tx.session, line)
        if port is not None and port.status is not PortStatus.CANCELLED:
            cancel_port(tx, port)
        line.number_source, line.msisdn = NumberSource.POOL, row.msisdn
        tx.changed(line, fields={"number_source": line.number_source.value, "msisdn": line.msisdn})
        tx.audit("activation.pick_number", entity="activation", entity_id=str(act.id),
                 details={"line": line_no, "number": row.msisdn[-4:]})
        return activation_dto(tx.session, act)


@dataclass(frozen=True)
class CleanPort:
    msisdn: str
    old_carrier: str
    old_account_number: str
    transfer_pin: str
    name: str
    billing_zip: str


def clean_port(form: PortInForm) -> CleanPort:
    msisdn = normalize_phone(form.msisdn)
    carrier, account, name = form.old_carrier.strip(), form.old_account_number.strip(), " ".join(form.name.split())
    pin, zip_ = form.transfer_pin.strip(), form.billing_zip.strip()
    if not carrier:
        raise ValidationError("Give the old carrier.")
    if not account or len(account) > 30 or not account.replace("-", "").isalnum():
        raise ValidationError("Give the account number at the old carrier (letters and digits, up to 30).")
    if not pin.isdigit() or not 4 <= len(pin) <= 15:
        raise ValidationError("The transfer PIN is 4 to 15 digits (the old carrier gives it).")
    if not name or len(name) > 120:
        raise ValidationError("Give the name exactly as at the old carrier.")
    digits = zip_.replace("-", "")
    if not digits.isdigit() or len(digits) not in (5, 9):
        raise ValidationError("Give the billing ZIP code as at the old carrier (5 or 9 digits).")
    return CleanPort(msisdn, carrier[:60], account, pin, name, zip_)


def _portable(s: Session, msisdn: str, line: ActivationLine) -> None:
    if s.scalar(select(Line.id).where(Line.msisdn == msisdn).limit(1)) is not None:
        raise ValidationError("That number is already a line with us; nothing to port.")
    if s.scalar(select(PoolNumber.id).where(PoolNumber.msisdn == msisdn).limit(1)) is not None:
        raise ValidationError("That number is in this store's own number pool; pick it instead of porting it.")
    other = s.scalar(select(ActivationLine.id).where(ActivationLine.msisdn == msisdn, ActivationLine.id != line.id,
                                                     ActivationLine.status.in_(OPEN_LINE_STATUSES)).limit(1))
    if other is not None:
        raise ValidationError("That number is already on another open activation.")


def _write_port(tx: Tx, line: ActivationLine, c: CleanPort, form: PortInForm) -> PortIn:
    port = port_of(tx.session, line)
    fields = dict(msisdn=c.msisdn, old_carrier=c.old_carrier, old_account_number=c.old_account_number, name=c.name,
                  billing_zip=c.billing_zip, prepaid=form.prepaid, desired_date=form.desired_date)
    if port is None:
        port = PortIn(activation_line_id=line.id, status=PortStatus.DRAFT, attempt=0, pin_held=False, **fields)
        tx.add(port)
    else:
        for k, v in fields.items():
            setattr(port, k, v)
        port.status, port.reason_code, port.reason = PortStatus.DRAFT, None, None
    hold_transfer_pin(tx.settings.store_id, tx.settings.terminal_id, port.id, c.transfer_pin)
    port.pin_held = True
    tx.changed(port)
    return port


def set_port_in(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, line_no: int,
                form: PortInForm) -> ActivationDTO:
    c = clean_port(form)
    with editing(uow, actor, activation_id) as (tx, act):
        line = line_of(tx.session, act, line_no)
        _new_number_line(line)
        _portable(tx.session, c.msisdn, line)
        pool.release(tx, line)
        port = _write_port(tx, line, c, form)
        line.number_source, line.msisdn = NumberSource.PORT_IN, c.msisdn
        tx.changed(line, fields={"number_source": line.number_source.value, "msisdn": line.msisdn})
        tx.audit("activation.set_port_in", entity="activation", entity_id=str(act.id),
                 details={"line": line_no, "number": c.msisdn[-4:], "port_in": str(port.id),
                          "carrier": c.old_carrier, "pin_held": True})
        return activation_dto(tx.session, act)


def resubmit_port_in(uow: UnitOfWork, actor: Actor, activation_line_id: uuid.UUID,
                     form: PortInForm) -> ActivationDTO:
    """Only for a rejected port after payment: fix the details (new PIN to the keyring), attempt + 1, and queue a
    new request (new request id)."""
    c = clean_port(form)
    with uow.write(actor, Permission.ACTIVATION) as tx:
        line = tx.session.get(ActivationLine, activation_line_id)
        port = port_of(tx.session, line) if line is not None else None
        if line is None or port is None:
            raise NotFoundError("No port-in on that activation line.")
        if port.status is not PortStatus.REJECTED and line.status is not LineActivationStatus.REJECTED:
            raise ValidationError("Only a port-in the carrier rejected can be fixed and sent again.")
        act = tx.session.get(Activation, line.activation_id)
        assert act is not None
        _portable(tx.session, c.msisdn, line)
        port = _write_port(tx, line, c, form)
        port.attempt += 1
        tx.changed(port, fields={"attempt": port.attempt})
        line.msisdn, line.reason = c.msisdn, None
        request = queue_line(tx, line, RequestAction.PORT_IN, payload_for(tx.session, act, line))
        tx.audit("activation.resubmit_port_in", entity="activation", entity_id=str(act.id),
                 details={"line": line.line_no, "number": c.msisdn[-4:], "attempt": port.attempt,
                          "request": str(request.id)})
        return activation_dto(tx.session, act)
