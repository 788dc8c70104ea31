"""``posapp-admin simulate sales``: realistic counter activity through the real register services — cash, card
(including the simulator's declines and timeouts, settled by re-query), split tenders and refunds."""

from __future__ import annotations

import contextlib
import random
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from posapp.db.models import Employee, InventoryDevice
from posapp.demo.catalog import load_models, model_rows
from posapp.demo.signature import sign_if_required
from posapp.domain.enums import Role
from posapp.domain.identifiers import imei_from_parts
from posapp.domain.register import InventoryStatus
from posapp.domain.tax import Category
from posapp.errors import ValidationError
from posapp.services.dto import SYSTEM_ACTOR, Actor
from posapp.services.employees import block_number
from posapp.services.registry import Services

SIM_REP, SIM_MANAGER = "8001", "8002"     # a private data folder's simulator staff (bench commit)


def sim_numbers(terminal_id: str) -> tuple[str, str]:
    """The simulator's rep and manager on this terminal: numbers of the terminal's own block (``<block>801``,
    ``<block>802``), so two terminals of a store that both simulate sales never create the same number."""
    return block_number(terminal_id, 801), block_number(terminal_id, 802)


def sim_rep(services: Services) -> Actor:
    """The simulator's rep on this terminal (created on first use)."""
    return _actor(services, sim_numbers(services.core.settings.terminal_id)[0], "Sim Rep", Role.REP)


@dataclass(frozen=True)
class SimReport:
    sales: int
    refunds: int
    counts: dict[str, int]
    total_cents: int
    refunded_cents: int


def _actor(services: Services, number: str, name: str, role: Role) -> Actor:
    """The simulation's employees (added once with a random PIN nobody knows)."""
    with services.uow.read() as session:
        row = session.scalar(select(Employee).where(Employee.number == number))
    if row is None:
        services.employees.add(SYSTEM_ACTOR, number=number, name=name, role=role,
                               pin=str(100_000 + secrets.randbelow(900_000)) + "9")
        with services.uow.read() as session:
            row = session.scalar(select(Employee).where(Employee.number == number))
    assert row is not None
    return Actor(employee_id=row.id, number=row.number, name=row.name, role=row.role)


def _restock(services: Services, rep: Actor, rng: random.Random) -> list[str]:
    models = [m for m in load_models() if m.category == "phone"]
    services.register.stock.ensure_catalog(SYSTEM_ACTOR, model_rows(tuple(load_models())))
    with services.uow.read() as session:
        have = session.scalar(select(func.count()).select_from(InventoryDevice)
                              .where(InventoryDevice.status == InventoryStatus.IN_STOCK)) or 0
        taken = set(session.scalars(select(InventoryDevice.imei)))
    if have < 20:
        new: list[tuple[str, str]] = []
        while len(new) < 50:
            m = rng.choice(models)
            imei = imei_from_parts(m.tac, rng.randrange(1_000_000))
            if imei not in taken:
                taken.add(imei)
                new.append((imei, m.code))
        services.register.stock.receive_devices(rep, new)
    with services.uow.read() as session:
        return list(session.scalars(select(InventoryDevice.imei)
                                    .where(InventoryDevice.status == InventoryStatus.IN_STOCK)))


def simulate(services: Services, *, count: int, seed: int,
             progress: Callable[[int], None] | None = None) -> SimReport:
    rng = random.Random(seed)
    rep = sim_rep(services)
    manager = _actor(services, sim_numbers(services.core.settings.terminal_id)[1], "Sim Manager", Role.MANAGER)
    stock = _restock(services, rep, rng)
    with contextlib.suppress(ValidationError):  # already open: keep using it
        services.register.drawer.open_session(rep, float_cents=20_000)
    upcs = [a["upc"] for a in services.register.data.accessories]
    cart, tenders = services.register.cart, services.register.tenders
    counts: Counter[str] = Counter()
    receipts: list[str] = []
    total = refunded = 0
    for i in range(count):
        sale = cart.open(rep)
        for _ in range(rng.randint(1, 3)):
            view = cart.add_accessory(rep, sale.id, rng.choice(upcs), qty=rng.choice((1, 1, 1, 2)))
        if stock and rng.random() < 0.3:
            view = cart.add_device(rep, sale.id, stock.pop())
        if rng.random() < 0.3:
            view = cart.add_item(rep, sale.id, sku="BILLPAY", description="Bill payment", category=Category.SERVICE,
                                 price_cents=rng.randrange(2_000, 25_000))
        due = view.due_cents
        style = rng.choices(("cash", "card", "split"), weights=(4, 4, 2))[0]
        counts[style] += 1
        cash = due if style == "cash" else (rng.randrange(1, due) if style == "split" and due > 1 else 0)
        if cash:
            tendered = -(-cash // 2000) * 2000 if rng.random() < 0.7 else cash
            tenders.pay_cash(rep, sale.id, amount_cents=cash, tendered_cents=tendered)
        left = due - cash
        while left > 0:
            t = tenders.pay_card(rep, sale.id, amount_cents=left)
            counts[f"card_{t.state}"] += 1
            if t.state == "unknown":
                t = tenders.requery(rep, t.id)
                counts[f"requery_{t.state}"] += 1
            if t.state == "declined":  # the customer pays the rest in cash
                tenders.pay_cash(rep, sale.id, amount_cents=left, tendered_cents=left)
                counts["cash_after_decline"] += 1
                break
            left -= t.amount_cents
        if sign_if_required(services, rep, sale.id, rng):
            counts["signed"] += 1
        done = tenders.complete(rep, sale.id)
        assert done.receipt_no is not None
        receipts.append(done.receipt_no)
        total += done.due_cents
        if rng.random() < 0.1 and receipts:
            try:
                r = services.register.refunds.refund(manager, rng.choice(receipts), {1: 1},
                                                     reason="simulated return")
            except ValidationError:  # that line was already returned
                counts["refund_refused"] += 1
            else:
                counts["refunds"] += 1
                refunded += r.due_cents
        if progress:
            progress(i + 1)
    return SimReport(sales=count, refunds=counts["refunds"], counts=dict(counts), total_cents=total,
                     refunded_cents=refunded)
