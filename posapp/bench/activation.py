"""``posapp-admin bench activation``: an activation through the services, start to queued, and the provisioning
queue's work per request, each against the same number of bare write transactions on the same SQLite file.

*Ours, activation*: a new account's line — ``ActivationService.start``, the pool number, the store device checked
and set, a physical SIM, the plan, into a register sale, paid in cash, the sale completed (which queues its
provisioning request). The customer and the verified visit are made beforehand, untimed. *Ours, queue*: for
each queued request the real ``ProvisioningService`` steps against a carrier simulator that answers at once —
send, record the acknowledgement, poll and record "in progress", poll and record "active" (the line, the
device, the pool number). *Raw*: a bare sqlite3 connection (WAL, synchronous=FULL, as the app's) on the same
database file committing the same number of write transactions as ours did — each one small insert — into a
scratch table dropped afterwards: the floor set by the disk's syncs, whatever the services do inside.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from posapp.adapters.provisioning import SimulatedCarrier
from posapp.demo.activation_setup import (
    Identifiers,
    SimCustomer,
    ensure_catalog,
    in_stock,
    new_customer,
    require_training,
    restock,
    seed_pool,
    sold_plans,
    verified_visit,
)
from posapp.demo.sales import sim_rep
from posapp.demo.signature import sign_if_required
from posapp.domain.activation import ActivationKind, SimKind
from posapp.errors import ValidationError
from posapp.services.activation.pins import KeyringTransferPins
from posapp.services.activation.queue import ProvisioningService
from posapp.services.activation.work import SendWork
from posapp.services.dto import SYSTEM_ACTOR, Actor
from posapp.services.registry import Services
from posapp.stats import Comparison, compare


@dataclass(frozen=True)
class ActivationBench:
    activation: Comparison
    queue: Comparison
    requests: int
    tx_per_activation: float
    tx_per_request: float


class Commits:
    """Counts the write engine's commits (one per write transaction)."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.n = engine, 0

    def _count(self, _conn: Any) -> None:
        self.n += 1

    @contextlib.contextmanager
    def counting(self) -> Iterator[Commits]:
        event.listen(self.engine, "commit", self._count)
        try:
            yield self
        finally:
            event.remove(self.engine, "commit", self._count)


def _timed(fn: Callable[[], object], commits: Commits) -> tuple[float, int]:
    before = commits.n
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000, commits.n - before


@dataclass
class _Desk:
    services: Services
    rep: Actor
    rng: random.Random
    ids: Identifiers
    plans: tuple[str, ...]
    stock: list[str]

    def activate(self, visit_id: uuid.UUID) -> None:
        svc, reg, rep = self.services.activation, self.services.register, self.rep
        act = svc.start(rep, kind=ActivationKind.NEW_ACCOUNT, visit_id=visit_id)
        svc.pick_number(rep, act.id, 1, svc.pool_numbers(limit=1)[0].msisdn)
        svc.set_device(rep, act.id, 1, svc.check_device(self.stock.pop(0)))
        svc.set_sim(rep, act.id, 1, kind=SimKind.PHYSICAL, iccid=self.ids.iccid())
        svc.set_plan(rep, act.id, 1, plan_code=self.rng.choice(self.plans))
        sale = reg.cart.open(rep)
        svc.to_cart(rep, act.id, sale.id)
        due = reg.cart.view(sale.id).remaining_cents
        reg.tenders.pay_cash(rep, sale.id, amount_cents=due, tendered_cents=due)
        sign_if_required(self.services, rep, sale.id, self.rng)
        reg.tenders.complete(rep, sale.id)


def _prepare(services: Services, orders: int) -> tuple[_Desk, list[uuid.UUID]]:
    require_training(services)
    rng = random.Random(1)
    rep = sim_rep(services)
    with contextlib.suppress(ValidationError):
        services.register.drawer.open_session(rep, float_cents=20_000)
    phones = ensure_catalog(services)
    ids = Identifiers.load(services, rng)
    restock(services, rep, ids, phones, need=orders)
    if seed_pool(services, SYSTEM_ACTOR, orders) < orders:
        raise ValidationError("Not enough numbers in the simulated pool range; use fewer orders.")
    people: list[SimCustomer] = [new_customer(services, rep, rng, i) for i in range(orders)]
    visits = [verified_visit(services, rep, who, line_id=None) for who in people]
    return _Desk(services, rep, rng, ids, sold_plans(), in_stock(services)), visits


def _one_request(queue: ProvisioningService, work: SendWork) -> None:
    queue.record_sent(work, queue.send(work))
    for _ in range(2):  # in progress, then active
        queue.notify(queue.record_answers(queue.poll([work.request_id]).answers).notices)


class RawTx:
    """Bare write transactions (one small insert each) on the database file, into a scratch table."""

    def __init__(self, db: Path) -> None:
        self.con = sqlite3.connect(db, isolation_level=None)
        self.con.execute("PRAGMA synchronous=FULL")
        self.con.execute("CREATE TABLE IF NOT EXISTS bench_raw_tx (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")

    def time(self, n: int) -> float:
        start = time.perf_counter()
        for _ in range(n):
            self.con.execute("BEGIN IMMEDIATE")
            self.con.execute("INSERT INTO bench_raw_tx (payload) VALUES (?)", (uuid.uuid4().hex,))
            self.con.execute("COMMIT")
        return (time.perf_counter() - start) * 1000

    def close(self) -> None:
        self.con.execute("DROP TABLE bench_raw_tx")
        self.con.close()


def _interleaved(steps: list[Callable[[], object]], commits: Commits, raw: RawTx) -> tuple[list[float], list[float],
                                                                                            int]:
    """Each step timed, then at once the same number of bare write transactions (same load, same WAL)."""
    ours, bare, total = [], [], 0
    for step in steps:
        ms, n = _timed(step, commits)
        ours.append(ms)
        bare.append(raw.time(n))
        total += n
    return ours, bare, total


def run(services: Services, *, orders: int) -> ActivationBench:
    desk, visits = _prepare(services, orders)
    commits = Commits(services.core.db.write_engine)
    s = services.core.settings
    queue = ProvisioningService(uow=services.uow, carrier=SimulatedCarrier(delay_s=0.0), sms=services.sms,
                                pins=KeyringTransferPins(ids=lambda: (s.store_id, s.terminal_id)))
    raw = RawTx(services.core.paths.database)
    try:
        with commits.counting():
            acts = _interleaved([partial(desk.activate, v) for v in visits], commits, raw)
            work = queue.due(limit=orders * 2).send
            reqs = _interleaved([partial(_one_request, queue, w) for w in work], commits, raw)
    finally:
        raw.close()
    return ActivationBench(
        activation=compare("activation", acts[0], acts[1]), queue=compare("queue, per request", reqs[0], reqs[1]),
        requests=len(work), tx_per_activation=acts[2] / max(len(visits), 1),
        tx_per_request=reqs[2] / max(len(work), 1))
