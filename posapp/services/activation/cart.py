"""Putting a finished draft into the register's open sale, through the cart's own functions.

Per line: the store device (reserved exactly as the register reserves a scanned device; a financed device is
charged its down payment only, its full retail price kept on the line for the tax base and the receipt), the SIM
kit or the eSIM profile, and the activation fee (prices and tax categories from
``resources/data/activation_items.json``). The order is then ``pending_payment`` until the sale completes
(:mod:`.paid`); taking its lines out or voiding the sale returns it to draft (:mod:`.sale_hooks`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import cache

from sqlalchemy.orm import Session

from posapp.db.models import Activation, ActivationLine, Line, Sale
from posapp.domain.activation import ActivationKind, ActivationStatus, LineActivationStatus, NumberSource, SimKind
from posapp.domain.register import TenderState
from posapp.domain.tax import Category
from posapp.errors import ValidationError
from posapp.paths import resources_dir
from posapp.services.activation import pool
from posapp.services.activation.dto import ActivationDTO
from posapp.services.activation.editing import editing
from posapp.services.activation.views import activation_dto, lines_of, model_name, port_of, quote
from posapp.services.dto import Actor
from posapp.services.register.cart import add_sale_line, reserve_device
from posapp.services.register.common import open_sale, tenders_of
from posapp.services.uow import Tx, UnitOfWork

ITEMS_FILE = "data/activation_items.json"


@dataclass(frozen=True)
class Item:
    sku: str
    description: str
    category: Category
    price_cents: int
    kinds: frozenset[ActivationKind]


@cache
def items() -> dict[str, Item]:
    with open(resources_dir() / ITEMS_FILE, encoding="utf-8") as fh:
        raw = json.load(fh)["items"]
    return {k: Item(sku=v["sku"], description=v["description"], category=Category(v["category"]),
                    price_cents=int(v["price_cents"]),
                    kinds=frozenset(ActivationKind(x) for x in v.get("kinds", list(ActivationKind))))
            for k, v in raw.items()}


def missing(s: Session, act: Activation, line: ActivationLine) -> list[str]:
    """What the line still needs before it can go into the cart."""
    out = []
    n = f"Line {line.line_no}"
    if not line.msisdn:
        out.append(f"{n}: pick a number or enter a port-in.")
    elif line.number_source is NumberSource.POOL and pool.held_by(s, line) is None:
        out.append(f"{n}: its number is no longer reserved; pick a number again.")
    elif line.number_source is NumberSource.PORT_IN:
        port = port_of(s, line)
        if port is None or not port.pin_held:
            out.append(f"{n}: enter the port-in details again (the transfer PIN is missing).")
    if not line.plan_code:
        out.append(f"{n}: choose a plan.")
    if line.sim_kind is None:
        out.append(f"{n}: scan a SIM or set up an eSIM.")
    if act.kind is not ActivationKind.SIM_CHANGE and not line.imei:
        out.append(f"{n}: scan the device.")
    return out


def _new_sim(s: Session, line: ActivationLine) -> bool:
    """False when an upgrade keeps the line's SIM (nothing to sell)."""
    existing = s.get(Line, line.line_id) if line.line_id else None
    return existing is None or (line.iccid, line.eid) != (existing.iccid, existing.eid)


def _device(tx: Tx, sale: Sale, line: ActivationLine) -> None:
    assert line.imei is not None
    dev, model = reserve_device(tx, sale, line.imei)
    if dev.id != line.inventory_id:
        raise ValidationError(f"Line {line.line_no}: the device does not match the stock record; scan it again.")
    price, what = model.retail_cents, model_name(model)
    if line.financed and line.eip_months:
        q = quote(model.retail_cents, line.down_payment_cents, line.eip_months)
        price = q.down_payment_cents
        what = f"{what}, down payment (EIP {q.months} months)"
    add_sale_line(tx, sale, category=Category.DEVICE, sku=model.code, description=what[:120], imei=line.imei,
                  inventory_id=dev.id, qty=1, unit_price_cents=price, full_retail_cents=model.retail_cents,
                  activation_line_id=line.id)


def _item(tx: Tx, sale: Sale, line: ActivationLine, item: Item, suffix: str) -> None:
    add_sale_line(tx, sale, category=item.category, sku=item.sku, description=f"{item.description}{suffix}"[:120],
                  qty=1, unit_price_cents=item.price_cents, full_retail_cents=item.price_cents,
                  activation_line_id=line.id)


def _attach(tx: Tx, sale: Sale, act: Activation) -> None:
    if any(t.state is not TenderState.DECLINED for t in tenders_of(tx.session, sale.id)):
        raise ValidationError("Payment has started; the cart can no longer change.")
    if sale.account_id not in (None, act.account_id):
        raise ValidationError("This sale is for another account; use a separate sale.")
    if sale.account_id is None:
        sale.account_id, sale.customer_id = act.account_id, sale.customer_id or act.customer_id
        tx.changed(sale, fields={"account_id": str(act.account_id),
                                 "customer_id": str(sale.customer_id) if sale.customer_id else None})


def to_cart(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, sale_id: uuid.UUID) -> ActivationDTO:
    with editing(uow, actor, activation_id) as (tx, act):
        sale = open_sale(tx.session, sale_id)
        _attach(tx, sale, act)
        lines = lines_of(tx.session, act)
        problems = [p for line in lines for p in missing(tx.session, act, line)]
        if problems:
            raise ValidationError(" ".join(problems))
        catalog = items()
        for line in lines:
            number = f", line …{line.msisdn[-4:]}" if line.msisdn else ""
            if line.inventory_id is not None:
                _device(tx, sale, line)
            if _new_sim(tx.session, line):
                if line.sim_kind is SimKind.ESIM:
                    _item(tx, sale, line, catalog["esim"], number)
                else:
                    assert line.iccid is not None
                    _item(tx, sale, line, catalog["sim_kit"], f" (ICCID …{line.iccid[-5:]}){number}")
            fee = catalog["activation_fee"]
            if act.kind in fee.kinds:
                _item(tx, sale, line, fee, number)
            line.status = LineActivationStatus.PENDING_PAYMENT
            tx.changed(line, fields={"status": line.status.value})
        act.status, act.sale_id = ActivationStatus.PENDING_PAYMENT, sale.id
        tx.changed(act, fields={"status": act.status.value, "sale_id": str(sale.id)})
        tx.audit("activation.to_cart", entity="activation", entity_id=str(act.id),
                 details={"number": act.number, "sale": str(sale.id), "lines": len(lines)})
        return activation_dto(tx.session, act)
