"""The order itself: start a draft for a visit, add and remove lines, cancel."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from posapp.db.models import (
    Activation,
    ActivationLine,
    Device,
    FinancingAgreement,
    Interaction,
    Line,
    PortIn,
    Sale,
    SaleLine,
)
from posapp.domain.activation import (
    OPEN_LINE_STATUSES,
    ActivationKind,
    ActivationStatus,
    DeviceSource,
    LineActivationStatus,
    NumberSource,
    PortStatus,
    SimKind,
)
from posapp.domain.enums import FinancingStatus
from posapp.domain.financing import eip_status
from posapp.domain.register import SaleStatus, TenderState
from posapp.errors import ValidationError
from posapp.security.permissions import Permission
from posapp.security.transfer_pins import drop_transfer_pin
from posapp.services.activation import pool
from posapp.services.activation.access import active_line, gate, has_lines, recheck
from posapp.services.activation.dto import ActivationDTO
from posapp.services.activation.editing import editing
from posapp.services.activation.views import activation_dto, lines_of, port_of
from posapp.services.dto import Actor
from posapp.services.numbers import next_number
from posapp.services.register.cart import release_devices
from posapp.services.register.common import tenders_of
from posapp.services.uow import Tx, UnitOfWork

MULTI_LINE_KINDS = frozenset({ActivationKind.NEW_ACCOUNT, ActivationKind.ADD_LINE, ActivationKind.BYOD})
MAX_LINES = 10


def start(uow: UnitOfWork, actor: Actor, *, kind: ActivationKind, visit_id: uuid.UUID,
          line_id: uuid.UUID | None) -> ActivationDTO:
    kind = ActivationKind(kind)
    uow.check(actor, Permission.ACTIVATION)
    gate(uow, actor, visit_id, kind)
    with uow.write(actor) as tx:
        j = recheck(tx.session, visit_id, kind, tx.now)
        acct = j.account
        if kind is ActivationKind.NEW_ACCOUNT and has_lines(tx.session, acct.id):
            raise ValidationError("This account already has lines; use Add a line.")
        existing = None
        if kind in (ActivationKind.UPGRADE, ActivationKind.SIM_CHANGE):
            existing = active_line(tx.session, acct.id, line_id)
            _no_open_order(tx, existing)
            if kind is ActivationKind.SIM_CHANGE and existing.sim_protection:
                raise ValidationError("SIM Protection is on for this line: the primary account holder must "
                                      "remove it before the SIM can be changed.")
        s = tx.settings
        case = tx.session.get(Interaction, j.visit.interaction_id) if j.visit.interaction_id else None
        act = Activation(number=next_number(tx.session, name="activation", store_id=s.store_id,
                                            terminal_id=s.terminal_id, column=Activation.number,
                                            lead="ACT-"),
                         kind=kind, status=ActivationStatus.DRAFT, visit_id=visit_id, account_id=acct.id,
                         customer_id=j.visit.customer_id, employee_id=actor.employee_id,
                         case_number=case.case_number if case else None, training=s.training_mode)
        tx.add(act)
        new_line(tx, act, 1, existing)
        tx.audit("activation.start", entity="activation", entity_id=str(act.id),
                 details={"number": act.number, "kind": kind.value,
                          "line": existing.msisdn[-4:] if existing else None})
        warn = upgrade_warning(tx, existing) if kind is ActivationKind.UPGRADE and existing else None
        return activation_dto(tx.session, act, (warn,) if warn else ())


def upgrade_warning(tx: Tx, line: Line) -> str | None:
    """The line's financed device is not upgrade-eligible yet (under half paid): say what is still owed."""
    row = tx.session.execute(select(Device.imei, FinancingAgreement).join(
        FinancingAgreement, FinancingAgreement.device_id == Device.id).where(
        Device.line_id == line.id, FinancingAgreement.status == FinancingStatus.ACTIVE)).first()
    if row is None:
        return None
    imei, f = row
    st = eip_status(financed_cents=f.financed_cents, balance_cents=f.balance_cents, monthly_cents=f.monthly_cents)
    if st.upgrade_eligible:
        return None
    return (f"The device ending {imei[-4:]} is not upgrade-eligible yet (less than half paid); its financing "
            f"balance of ${st.balance_cents // 100}.{st.balance_cents % 100:02d} stays due.")


def _no_open_order(tx: Tx, line: Line) -> None:
    busy = tx.session.scalar(select(Activation.number)
                             .join(ActivationLine, ActivationLine.activation_id == Activation.id)
                             .where(ActivationLine.line_id == line.id,
                                    ActivationLine.status.in_(OPEN_LINE_STATUSES)).limit(1))
    if busy is not None:
        raise ValidationError(f"Activation {busy} is still open for this line; finish or cancel it first.")


def new_line(tx: Tx, act: Activation, line_no: int, existing: Line | None = None) -> ActivationLine:
    line = ActivationLine(activation_id=act.id, line_no=line_no, status=LineActivationStatus.DRAFT, features="[]",
                          financed=False, down_payment_cents=0)
    if existing is not None:
        line.line_id, line.number_source, line.msisdn = existing.id, NumberSource.EXISTING, existing.msisdn
        line.plan_code, line.features = existing.plan_code, existing.features or "[]"
        if act.kind is ActivationKind.SIM_CHANGE:
            line.device_source = DeviceSource.KEEP
        elif existing.iccid or existing.eid:  # an upgrade keeps the line's SIM unless a new one is set
            line.sim_kind = SimKind.ESIM if existing.eid and not existing.iccid else SimKind.PHYSICAL
            line.iccid, line.eid = existing.iccid, existing.eid if line.sim_kind is SimKind.ESIM else None
    tx.add(line)
    return line


def add_line(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID) -> ActivationDTO:
    with editing(uow, actor, activation_id) as (tx, act):
        if act.kind not in MULTI_LINE_KINDS:
            raise ValidationError("An upgrade or a SIM change is for one line; start another order for another.")
        if len(lines_of(tx.session, act)) >= MAX_LINES:
            raise ValidationError(f"An order has at most {MAX_LINES} lines.")
        top = tx.session.scalar(select(func.max(ActivationLine.line_no))
                                .where(ActivationLine.activation_id == act.id)) or 0
        line = new_line(tx, act, top + 1)
        tx.audit("activation.add_line", entity="activation", entity_id=str(act.id), details={"line": line.line_no})
        return activation_dto(tx.session, act)


def remove_line(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, line_no: int) -> ActivationDTO:
    with editing(uow, actor, activation_id) as (tx, act):
        lines = lines_of(tx.session, act)
        line = next((x for x in lines if x.line_no == line_no), None)
        if line is None:
            raise ValidationError(f"No line {line_no} in activation {act.number}.")
        if len(lines) == 1:
            raise ValidationError("This is the order's only line; cancel the order instead.")
        drop_line(tx, line)
        tx.audit("activation.remove_line", entity="activation", entity_id=str(act.id), details={"line": line_no})
        return activation_dto(tx.session, act)


def drop_line(tx: Tx, line: ActivationLine) -> None:
    """Cancel one line: its pool number back to the pool, its port-in cancelled and its transfer PIN dropped."""
    pool.release(tx, line)
    port = port_of(tx.session, line)
    if port is not None and port.status is not PortStatus.CANCELLED:
        cancel_port(tx, port)
    line.status = LineActivationStatus.CANCELLED
    tx.changed(line, fields={"status": line.status.value})


def cancel_port(tx: Tx, port: PortIn) -> None:
    if port.pin_held:
        drop_transfer_pin(tx.settings.store_id, tx.settings.terminal_id, port.id)
        port.pin_held = False
    port.status = PortStatus.CANCELLED
    tx.changed(port, fields={"status": port.status.value, "pin_held": False})


def cancel(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, *, reason: str) -> ActivationDTO:
    if not reason.strip():
        raise ValidationError("Give a reason for cancelling the order.")
    allowed = frozenset({ActivationStatus.DRAFT, ActivationStatus.PENDING_PAYMENT})
    with editing(uow, actor, activation_id, allowed=allowed, need_visit=False) as (tx, act):
        if act.sale_id is not None:
            _out_of_cart(tx, act)
        for line in lines_of(tx.session, act):
            drop_line(tx, line)
        act.status, act.sale_id = ActivationStatus.CANCELLED, None
        tx.changed(act, fields={"status": act.status.value, "sale_id": None})
        tx.audit("activation.cancel", entity="activation", entity_id=str(act.id),
                 details={"number": act.number, "reason": reason.strip()[:200]})
        return activation_dto(tx.session, act)


def _out_of_cart(tx: Tx, act: Activation) -> None:
    sale = tx.session.get(Sale, act.sale_id)
    if sale is None or sale.status is not SaleStatus.OPEN:
        return
    if any(t.state is not TenderState.DECLINED for t in tenders_of(tx.session, sale.id)):
        raise ValidationError("Payment has started on the sale; finish or void the sale first.")
    ids = [x.id for x in lines_of(tx.session, act)]
    rows = list(tx.session.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id, SaleLine.removed.is_(False),
                                                          SaleLine.activation_line_id.in_(ids))))
    for row in rows:
        row.removed = True
        tx.changed(row, fields={"removed": True})
    release_devices(tx, rows)
