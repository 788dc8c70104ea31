"""Helpers of the sync tests: terminals (real data folders) and the invariants checked after every schedule."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter
from pathlib import Path

from posapp.central.store import CentralStore
from posapp.db.migrate import upgrade_database
from posapp.db.session import Database
from posapp.errors import ValidationError
from posapp.paths import DataPaths
from posapp.services.core import Core
from posapp.services.registry import Services
from posapp.sync.engine import SyncEngine
from posapp.sync.protocol import Transport

# money and event entities whose every row must exist exactly once at the centre
MONEY = ("sale", "sale_line", "sale_tax_line", "tender", "drawer_session", "drawer_event", "bill_payment")


def open_terminal(root: Path, store_id: str, terminal_id: str, **settings: object) -> Services:
    """A terminal's data folder initialised like ``posapp-admin init``, with its store and terminal ids set."""
    paths = DataPaths.resolve(root)
    paths.ensure()
    if not paths.database.exists():
        upgrade_database(paths.database, backups=paths.backups)
        values = {"store_id": store_id, "terminal_id": terminal_id, **settings}
        with sqlite3.connect(paths.database) as con:
            con.executemany("INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?)",
                            [(k, json.dumps(v), "2026-01-01 00:00:00.000000") for k, v in values.items()])
        con.close()
    return Services.open(paths)


def engine(services: Services | Core, transport: Transport, **kw: int) -> SyncEngine:
    return SyncEngine(services if isinstance(services, Core) else services.core, transport, **kw)


def local_rows(core: Core, entity: str) -> dict[str, dict[str, object]]:
    with sqlite3.connect(core.paths.database) as con:
        con.row_factory = sqlite3.Row
        out = {str(r["id"]): dict(r) for r in con.execute(f"SELECT * FROM {entity}")}
    con.close()
    return out


def pending(core: Core) -> int:
    with sqlite3.connect(core.paths.database) as con:
        n = int(con.execute("SELECT count(*) FROM sync_outbox WHERE acked_at IS NULL").fetchone()[0])
    con.close()
    return n


def outbox_ids(core: Core, entity: str) -> Counter[str]:
    """Inserts of ``entity`` this terminal wrote to its outbox (ids; a Counter so doubles show)."""
    with sqlite3.connect(core.paths.database) as con:
        ids = [r[0] for r in con.execute("SELECT entity_id FROM sync_outbox WHERE entity = ? AND op = 'insert'",
                                         (entity,))]
    con.close()
    return Counter(ids)


def completed_total(core: Core) -> int:
    """Net of this terminal's own completed sales less refunds, in cents."""
    s = core.settings
    with sqlite3.connect(core.paths.database) as con:
        v = con.execute("SELECT coalesce(sum(CASE kind WHEN 'refund' THEN -total_cents ELSE total_cents END), 0) "
                        "FROM sale WHERE status = 'completed' AND origin_terminal_id = ?",
                        (s.terminal_id,)).fetchone()[0]
    con.close()
    return int(v)


def central_total(central: CentralStore, store_id: str) -> int:
    return sum(int(d.get("total_cents") or 0) * (-1 if d.get("kind") == "refund" else 1)
               for d in central.rows(store_id, "sale").values() if d.get("status") == "completed")


def check_invariants(central: CentralStore, terminals: list[Core]) -> None:
    """Every money event exactly once at the centre, the central ledger = the terminals' accepted changes (no
    change lost, none doubled), every outbox drained, per-store totals at the centre = the sum of the terminals'."""
    by_store: dict[str, list[Core]] = {}
    for t in terminals:
        by_store.setdefault(t.settings.store_id, []).append(t)
    for store_id, group in by_store.items():
        made: dict[str, Counter[str]] = {e: Counter() for e in MONEY}
        accepted = total = 0
        for t in group:
            with sqlite3.connect(t.paths.database) as con:
                assert con.execute("SELECT count(*) FROM sync_outbox WHERE acked_at IS NULL").fetchone()[0] == 0, \
                    f"{store_id}/{t.settings.terminal_id}: outbox not drained"
                for entity, entity_id in con.execute(
                        "SELECT entity, entity_id FROM sync_outbox WHERE op = 'insert' AND entity IN "
                        f"({','.join('?' * len(MONEY))})", MONEY):
                    made[entity][entity_id] += 1
                accepted += con.execute("SELECT count(*) FROM sync_outbox WHERE ack_status != 'rejected'"
                                        ).fetchone()[0]
                total += con.execute(
                    "SELECT coalesce(sum(CASE kind WHEN 'refund' THEN -total_cents ELSE total_cents END), 0) "
                    "FROM sale WHERE status = 'completed' AND origin_terminal_id = ?",
                    (t.settings.terminal_id,)).fetchone()[0]
            con.close()
        for entity in MONEY:
            at_centre = central.rows(store_id, entity)
            assert set(made[entity]) == set(at_centre), f"{store_id}/{entity}: centre and terminals differ"
            assert all(n == 1 for n in made[entity].values()), f"{store_id}/{entity}: an insert written twice"
        ledger = central.change_count(store_id)
        assert ledger == accepted, f"{store_id}: {ledger} changes in the central ledger, terminals sent {accepted}"
        assert central_total(central, store_id) == total, f"{store_id}: totals differ"


# -- cheap copies of prepared terminals (the >= 1,000 fault schedules) ---------------------------------------------

def light_core(root: Path, db: Database | None = None) -> Core:
    """A Core on an already migrated data folder, without the migration check (a copy of a prepared terminal);
    ``db``: an already open Database on its file to use instead of opening one."""
    import threading

    from sqlalchemy import select

    from posapp.config import settings_from_values
    from posapp.db.migrate import MigrationResult
    from posapp.db.models import Setting
    from posapp.events import EventBus
    from posapp.sync.hlc import HybridLogicalClock, Stamp
    from posapp.sync.outbox import last_hlc

    paths = DataPaths.resolve(root)
    db = db or Database.open(paths.database)
    with db.read_sessions() as s:
        values = {row.key: json.loads(row.value) for row in s.scalars(select(Setting))}
        last = last_hlc(s)
    settings = settings_from_values(values)
    clock = HybridLogicalClock(f"{settings.store_id}-{settings.terminal_id}", last=Stamp.parse(last) if last else None)
    migration = MigrationResult(path=paths.database, created=False, from_revision=None, to_revision="", backup=None)
    return Core(paths=paths, db=db, clock=clock, events=EventBus(), migration=migration, _settings=settings,
                _lock=threading.Lock())


def copy_sqlite(src: Path, dst: Path) -> None:
    """A consistent copy of a SQLite database (the online backup API: WAL content included)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()


def sign_and_complete_cash(services: Services, imei: str) -> str:
    """Sell the device ``imei`` for cash on this terminal (signed on the simulated pad); the receipt number."""
    import random as _random

    from posapp.demo.sales import sim_rep
    from posapp.demo.signature import sign_if_required

    rep = sim_rep(services)
    with contextlib.suppress(ValidationError):
        services.register.drawer.open_session(rep, float_cents=20_000)
    cart, tenders = services.register.cart, services.register.tenders
    sale = cart.open(rep)
    view = cart.add_device(rep, sale.id, imei)
    tenders.pay_cash(rep, sale.id, amount_cents=view.due_cents, tendered_cents=view.due_cents)
    sign_if_required(services, rep, sale.id, _random.Random(1))
    done = tenders.complete(rep, sale.id)
    assert done.receipt_no is not None
    return done.receipt_no
