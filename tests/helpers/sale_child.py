"""Child process for the kill -9 test: commits whole sales in a loop until it is killed.

Run as ``python -m tests.helpers.sale_child DATA_DIR SEED``; prints ``ready`` once set up.
"""

from __future__ import annotations

import contextlib
import random
import sys
from pathlib import Path

from sqlalchemy import func, select

from posapp.db.models import InventoryDevice
from posapp.demo.catalog import load_models
from posapp.domain.identifiers import imei_from_parts
from posapp.domain.register import InventoryStatus
from posapp.domain.tax import Category
from posapp.errors import AuthenticationError, ValidationError
from posapp.paths import DataPaths
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff


def main(data_dir: str, seed: int) -> None:
    rng = random.Random(seed)
    services = Services.open(DataPaths.resolve(Path(data_dir)))
    try:
        rep = services.auth.sign_in(staff.REP.number, staff.REP.pin)
    except AuthenticationError:  # first run: add the staff
        for m in staff.ALL:
            services.employees.add(SYSTEM_ACTOR, number=m.number, name=m.name, role=m.role, pin=m.pin)
        rep = services.auth.sign_in(staff.REP.number, staff.REP.pin)
    with services.uow.read() as session:
        in_stock = session.scalar(select(func.count()).select_from(InventoryDevice)
                                  .where(InventoryDevice.status == InventoryStatus.IN_STOCK)) or 0
    if in_stock < 50:
        reg.stock(services, rep, devices=0)
        phone = next(m for m in load_models() if m.category == "phone")
        base = rng.randrange(0, 900_000)
        services.register.stock.receive_devices(
            rep, [(imei_from_parts(phone.tac, base + i), phone.code) for i in range(200)])
    with contextlib.suppress(ValidationError):  # still open from an earlier (killed) run
        services.register.drawer.open_session(rep, float_cents=20_000)
    with services.uow.read() as session:
        imeis = list(session.scalars(select(InventoryDevice.imei)
                                     .where(InventoryDevice.status == InventoryStatus.IN_STOCK)))
    print("ready", flush=True)
    cart, tenders = services.register.cart, services.register.tenders
    while True:
        sale = cart.open(rep)
        cart.add_accessory(rep, sale.id, reg.CASE_UPC, qty=rng.randint(1, 3))
        if imeis and rng.random() < 0.5:
            cart.add_device(rep, sale.id, imeis.pop())
        view = cart.add_item(rep, sale.id, sku="BILL", description="Bill payment", category=Category.SERVICE,
                             price_cents=rng.randint(1_000, 20_000))
        cash = rng.randint(0, view.due_cents)
        card = view.due_cents - cash
        if card % 100 in (13, 57, 58):
            cash, card = view.due_cents, 0
        if cash:
            tenders.pay_cash(rep, sale.id, amount_cents=cash, tendered_cents=cash + rng.randint(0, 500))
        if card:
            tenders.pay_card(rep, sale.id, amount_cents=card)
        reg.complete(services, rep, sale.id)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
