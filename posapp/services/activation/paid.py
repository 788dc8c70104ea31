"""Pending until paid: inside the transaction that completes a sale, each of its activations is queued for the
carrier — all or nothing, so a paid line is queued exactly when the money is recorded.

Per line: its pool number must still be reserved for it, its store device still reserved for this sale (and a
customer's own device not active on a line here meanwhile); a financed store device gets its device record and
:class:`FinancingAgreement` (the account view and the receipt's EIP summary read them); then
:func:`.requests.queue_line` writes the request (ACTIVATE, PORT_IN, UPGRADE or SIM_CHANGE). Any failure raises
:class:`ValidationError` and the whole sale stays open.
"""

from __future__ import annotations

from sqlalchemy import select

from posapp.db.models import (
    Activation,
    ActivationLine,
    Device,
    DeviceModel,
    FinancingAgreement,
    InventoryDevice,
    PoolNumber,
    Sale,
)
from posapp.domain.activation import ActivationStatus, DeviceSource, NumberSource, PoolStatus, RequestAction
from posapp.domain.enums import DeviceStatus, FinancingStatus
from posapp.errors import ValidationError
from posapp.services.activation.payload import action_for, payload_for
from posapp.services.activation.pool import display
from posapp.services.activation.requests import queue_line
from posapp.services.activation.views import lines_of, port_of, quote
from posapp.services.uow import Tx


def on_sale_completed(tx: Tx, sale: Sale) -> None:
    """Queue every pending activation of ``sale`` (called by ``finish_sale``)."""
    acts = tx.session.scalars(select(Activation).where(Activation.sale_id == sale.id,
                                                       Activation.status == ActivationStatus.PENDING_PAYMENT)
                              .order_by(Activation.number)).all()
    for act in acts:
        for line in lines_of(tx.session, act):
            _check(tx, act, sale, line)
            if line.financed:
                _finance(tx, act, line)
            action = action_for(act, line)
            if action is RequestAction.PORT_IN:
                port = port_of(tx.session, line)
                assert port is not None
                port.attempt = 1
                tx.changed(port, fields={"attempt": 1})
            queue_line(tx, line, action, payload_for(tx.session, act, line))
        act.status, act.paid_at = ActivationStatus.QUEUED, tx.now
        tx.changed(act, fields={"status": act.status.value, "paid_at": tx.now.isoformat()})
        tx.audit("activation.paid", entity="activation", entity_id=str(act.id),
                 details={"number": act.number, "receipt": sale.receipt_no})


def _check(tx: Tx, act: Activation, sale: Sale, line: ActivationLine) -> None:
    where = f"Activation {act.number}, line {line.line_no}"
    if line.number_source is NumberSource.POOL:
        row = tx.session.scalar(select(PoolNumber).where(PoolNumber.msisdn == line.msisdn))
        if row is None or row.status is not PoolStatus.RESERVED or row.reserved_by_line_id != line.id:
            shown = display(line.msisdn) if line.msisdn else "its number"
            raise ValidationError(f"{where}: {shown} is no longer reserved for it (given to another line); take "
                                  "the order out of the sale and pick another number.")
    if line.device_source is DeviceSource.STORE:
        dev = tx.session.get(InventoryDevice, line.inventory_id) if line.inventory_id else None
        if dev is None or dev.reserved_by_sale_id != sale.id:
            raise ValidationError(f"{where}: its device is no longer reserved for this sale (sold meanwhile?).")
    elif line.device_source is DeviceSource.OWN and line.imei:
        taken = tx.session.scalar(select(Device.id).where(Device.imei == line.imei,
                                                          Device.status == DeviceStatus.IN_USE).limit(1))
        if taken is not None:
            raise ValidationError(f"{where}: this device is already active on a line.")


def _finance(tx: Tx, act: Activation, line: ActivationLine) -> None:
    """The device record and its EIP agreement (balance = the amount financed, first of ``months`` installments
    due with the next bill). The device is ``reserved`` for the customer until the carrier activates the line."""
    assert line.imei and line.model_code and line.eip_months and act.account_id
    model = tx.session.get(DeviceModel, line.model_code)
    assert model is not None
    q = quote(model.retail_cents, line.down_payment_cents, line.eip_months)
    device = tx.session.scalar(select(Device).where(Device.imei == line.imei))
    if device is None:
        device = Device(imei=line.imei, imei2=line.imei2, model_code=line.model_code, account_id=act.account_id,
                        line_id=line.line_id, status=DeviceStatus.RESERVED, sold_by_carrier=True,
                        purchased_at=tx.now, warranty_end=None)
        tx.add(device)
    agreement = FinancingAgreement(account_id=act.account_id, device_id=device.id, financed_cents=q.financed_cents,
                                   down_payment_cents=q.down_payment_cents, months=q.months,
                                   monthly_cents=q.monthly_cents, balance_cents=q.financed_cents,
                                   start_date=tx.now.date(), status=FinancingStatus.ACTIVE)
    tx.add(agreement)
    line.agreement_id = agreement.id
    tx.changed(line, fields={"agreement_id": str(agreement.id)})
    tx.audit("activation.financed", entity="financing_agreement", entity_id=str(agreement.id),
             details={"activation": act.number, "line": line.line_no, "tac": line.imei[:8],
                      "financed": q.financed_cents, "months": q.months})
