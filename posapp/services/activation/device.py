"""The device of a line: identified by IMEI (model by TAC from the catalog, this store's stock, the block list),
then recorded on the line. :func:`check_device` is a *device* step (it asks the block list adapter; it only reads
the catalog in a short read session and writes nothing)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.adapters.block_list import BlockList, BlockResult
from posapp.db.models import ActivationLine, DeviceModel, InventoryDevice
from posapp.domain.activation import ActivationKind, DeviceSource, SimKind
from posapp.domain.identifiers import normalize_imei, tac_of
from posapp.domain.register import InventoryStatus
from posapp.errors import ValidationError
from posapp.services.activation.dto import ActivationDTO, DeviceCheck
from posapp.services.activation.editing import editing
from posapp.services.activation.views import activation_dto, line_of, lines_of, model_name
from posapp.services.dto import Actor
from posapp.services.uow import UnitOfWork


def _block(block_list: BlockList, imeis: list[str]) -> BlockResult:
    if not block_list.configured:
        return BlockResult("unknown", f"{block_list.label}; a device cannot be checked")
    results = [block_list.check(i) for i in imeis]
    return next((r for r in results if r.status == "blocked"), None) or \
        next((r for r in results if r.status == "unknown"), None) or BlockResult("clear")


def check_device(uow: UnitOfWork, block_list: BlockList, imei_text: str, *,
                 imei2_text: str | None = None) -> DeviceCheck:
    imei = normalize_imei(imei_text)
    imei2 = normalize_imei(imei2_text) if imei2_text and imei2_text.strip() else None
    if imei2 == imei:
        raise ValidationError("The second IMEI is the same as the first.")
    tac = tac_of(imei)
    with uow.read() as s:
        model = s.scalar(select(DeviceModel).where(DeviceModel.tac == tac).order_by(DeviceModel.code).limit(1))
        stock = s.scalar(select(InventoryDevice).where(InventoryDevice.imei == imei))
        if stock is not None and model is None:
            model = s.get(DeviceModel, stock.model_code)
        stock_status = stock.status if stock is not None else None
        stock_id = stock.id if stock is not None else None
    problems: list[str] = []
    if model is None:
        problems.append(f"Unknown device (TAC {tac}): it is not in the carrier's catalog, so it cannot be activated "
                        "on this network.")
    if stock_status is not None and stock_status is not InventoryStatus.IN_STOCK:
        problems.append(f"This store device is {stock_status.value.replace('_', ' ')}; it cannot be sold again.")
    block = _block(block_list, [imei] + ([imei2] if imei2 else []))
    if block.status == "blocked":
        problems.append(f"This device is on the block list ({block.reason}); it cannot be activated.")
    elif block.status == "unknown":
        problems.append(f"The block list could not be checked ({block.reason}); try again.")
    return DeviceCheck(imei=imei, imei2=imei2, tac=tac, model_code=model.code if model else None,
                       model_name=model_name(model) if model else f"Unknown device (TAC {tac})",
                       esim_capable=bool(model and model.esim_capable), compatible=model is not None,
                       block_result=block.status, problems=tuple(problems),
                       inventory_id=stock_id if stock_status is InventoryStatus.IN_STOCK else None,
                       retail_cents=model.retail_cents if model and stock_id else 0)


def set_device(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, line_no: int,
               check: DeviceCheck) -> ActivationDTO:
    if check.problems:
        raise ValidationError(" ".join(check.problems))
    if check.block_result != "clear" or not check.compatible or check.model_code is None:
        raise ValidationError("Check the device first (catalog and block list).")
    imei = normalize_imei(check.imei)
    with editing(uow, actor, activation_id) as (tx, act):
        if act.kind is ActivationKind.SIM_CHANGE:
            raise ValidationError("A SIM change keeps the line's device; start an upgrade for a new device.")
        store = _store_device(tx.session, imei, check)
        if act.kind is ActivationKind.BYOD and store is not None:
            raise ValidationError("Bring your own device is for the customer's own phone; this is store stock "
                                  "(use Add a line).")
        line = line_of(tx.session, act, line_no)
        if any(x.imei == imei and x.id != line.id for x in lines_of(tx.session, act)):
            raise ValidationError("This device is already on another line of the order.")
        if line.sim_kind is SimKind.ESIM and not check.esim_capable:
            raise ValidationError("This device cannot take an eSIM; choose a physical SIM first.")
        _record(line, imei, check, store, tx.now)
        if store is None and line.financed:
            line.financed, line.down_payment_cents, line.eip_months = False, 0, None
        tx.changed(line)
        tx.audit("activation.set_device", entity="activation", entity_id=str(act.id),
                 details={"line": line_no, "tac": check.tac, "source": line.device_source.value
                          if line.device_source else None, "block": check.block_result})
        return activation_dto(tx.session, act)


def _store_device(s: Session, imei: str, check: DeviceCheck) -> InventoryDevice | None:
    row = s.scalar(select(InventoryDevice).where(InventoryDevice.imei == imei))
    if row is None:
        if check.inventory_id is not None:
            raise ValidationError("That device is no longer in this store's stock; scan it again.")
        return None
    if row.status is not InventoryStatus.IN_STOCK:
        raise ValidationError(f"This store device is {row.status.value.replace('_', ' ')}; it cannot be sold.")
    if row.model_code != check.model_code:
        raise ValidationError("The device check does not match the stock record; scan the device again.")
    return row


def _record(line: ActivationLine, imei: str, check: DeviceCheck, store: InventoryDevice | None,
            now: datetime) -> None:
    line.device_source = DeviceSource.STORE if store is not None else DeviceSource.OWN
    line.imei, line.imei2, line.model_code = imei, check.imei2, check.model_code
    line.inventory_id = store.id if store is not None else None
    line.block_result, line.block_checked_at = check.block_result, now
