"""Push/pull under injected faults: >= 1,000 seeded schedules against the real (SQLite) central store.

Three prepared terminals (two of store SA, one of store SB) with real register activity (``simulate sales``:
cash, card, split, declines, re-queries, refunds; the second SA terminal sells from the stock it pulled) and
unsynced outboxes are copied for every schedule. Each schedule draws its own fault mix (dropped requests, lost
responses after the central commit, duplicates, held-back batches delivered late and out of order, outages),
batch and page sizes, and the order in which terminals sync. After every schedule: each money event exists
exactly once at the centre, the central ledger holds exactly the terminals' changes, every outbox is drained,
per-store totals at the centre equal the sum of the terminals', and every terminal's convergence check passes.
A failing schedule names its seed. How many run: 1,000 on SQLite and 20 on PostgreSQL, times ``POSAPP_TEST_SCALE``
(tests/helpers/scale.py; ``make soak`` runs 10,000 and 200).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url

from posapp.central.schema import make_engines
from posapp.central.store import CentralStore
from posapp.central.transport import InProcessTransport
from posapp.db.session import Database
from posapp.demo.sales import simulate
from posapp.sync.engine import SyncEngine
from posapp.sync.faults import FaultSchedule, FaultyTransport
from posapp.sync.hlc import HybridLogicalClock
from posapp.sync.protocol import TransportError
from tests.helpers.scale import scaled
from tests.sync.terminals import check_invariants, copy_sqlite, light_core, open_terminal, pending

SCHEDULES = scaled(1000)
CHUNK = 100
DAY_MS = 24 * 3600 * 1000
TERMINALS = (("A1", "SA", "T1"), ("A2", "SA", "T2"), ("B1", "SB", "T1"))


@dataclass(frozen=True)
class Prepared:
    root: Path
    pg_url: str | None = None          # PostgreSQL server URL (the template database is "sync_tpl")

    def central_url(self, work: Path, seed: int | None = None) -> str:
        if self.pg_url is None:
            return f"sqlite+pysqlite:///{work / 'central.sqlite'}"
        return str(make_url(self.pg_url).set(database="sync_tpl" if seed is None else f"sync_s{seed}"))

    def fresh_central(self, work: Path, seed: int) -> str:
        """A copy of the prepared central store for one schedule: a file copy, or CREATE DATABASE ... TEMPLATE."""
        if self.pg_url is None:
            copy_sqlite(self.root / "central.sqlite", work / "central.sqlite")
        else:
            admin = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS sync_s{seed}")
                    conn.exec_driver_sql(f"CREATE DATABASE sync_s{seed} TEMPLATE sync_tpl")
            finally:
                admin.dispose()
        return self.central_url(work, seed)

    def drop(self, seed: int) -> None:
        if self.pg_url is not None:
            admin = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS sync_s{seed}")
            finally:
                admin.dispose()


def prepare(root: Path, pg_url: str | None = None) -> Prepared:
    """SA/T1 and SB/T1 received stock, sold and synced; SA/T2 registered (pulled staff and stock); then a sale on
    each terminal (SA/T2 sells from the stock it pulled), none of it synced."""
    prepared = Prepared(root, pg_url)
    if pg_url is not None:
        admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql("DROP DATABASE IF EXISTS sync_tpl")
            conn.exec_driver_sql("CREATE DATABASE sync_tpl")
        admin.dispose()
    central = CentralStore.open(prepared.central_url(root), create=True)
    transport = InProcessTransport(central)
    terminals = {name: open_terminal(root / name, store, term) for name, store, term in TERMINALS}
    try:
        simulate(terminals["A1"], count=1, seed=11)
        simulate(terminals["B1"], count=1, seed=14)
        assert SyncEngine(terminals["A1"].core, transport).run_once().ok
        assert SyncEngine(terminals["B1"].core, transport).run_once().ok
        assert SyncEngine(terminals["A2"].core, transport).run_once().ok
        simulate(terminals["A2"], count=1, seed=12)
        simulate(terminals["A1"], count=1, seed=13)
        simulate(terminals["B1"], count=1, seed=15)
        assert all(pending(t.core) > 0 for t in terminals.values())
    finally:
        for t in terminals.values():
            t.close()
        central.close()
    return prepared


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    return prepare(tmp_path_factory.mktemp("prepared"))


@pytest.fixture(scope="module")
def prepared_pg(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Prepared:
    return prepare(tmp_path_factory.mktemp("prepared-pg"), postgres_url)


# The SQLAlchemy engines of the files a process refills for schedule after schedule (same paths, see _one): an
# engine compiles each SQL statement once, and fresh engines per schedule spent ~30 % of a schedule compiling.
# Every schedule still starts on fresh copies of the prepared files, with no connection open (all disposed).
_DATABASES: dict[Path, Database] = {}
_CENTRAL_ENGINES: dict[str, tuple[Engine, Engine]] = {}


def _database(path: Path) -> Database:
    if path not in _DATABASES:
        _DATABASES[path] = Database.open(path)
    return _DATABASES[path]


def _central(url: str) -> CentralStore:
    if not url.startswith("sqlite"):
        return CentralStore.open(url)      # PostgreSQL: a new database per schedule
    if url not in _CENTRAL_ENGINES:
        _CENTRAL_ENGINES[url] = make_engines(url)
    write, read = _CENTRAL_ENGINES[url]
    return CentralStore(write, read, url=url)


def run_schedule(prepared: Prepared, seed: int, work: Path) -> dict[str, int]:
    rng = random.Random(seed)
    url = prepared.fresh_central(work, seed)
    for name, _, _ in TERMINALS:
        copy_sqlite(prepared.root / name / "posapp.sqlite3", work / name / "posapp.sqlite3")
    central = _central(url)
    faulty = FaultyTransport(InProcessTransport(central), rng, FaultSchedule.from_seed(seed))
    cores = [light_core(work / name, _database(work / name / "posapp.sqlite3")) for name, _, _ in TERMINALS]
    skewed, skew_ms = rng.randrange(len(cores)), rng.choice((-DAY_MS, 0, DAY_MS))   # one clock a day off
    if skew_ms:
        c = cores[skewed]
        c.clock = HybridLogicalClock(f"{c.settings.store_id}-{c.settings.terminal_id}",
                                     wall_ms=lambda: time.time_ns() // 1_000_000 + skew_ms, last=c.clock.now())
    engines = [SyncEngine(c, faulty, batch_size=rng.randint(1, 25), page_size=rng.randint(2, 60)) for c in cores]
    try:
        synced: set[int] = set()
        for _ in range(500):
            busy = [j for j, c in enumerate(cores) if j not in synced or pending(c)]
            i = rng.choice(busy) if busy and rng.random() < 0.9 else rng.randrange(len(engines))
            try:
                report = engines[i].run_once()
            except TransportError:
                continue
            assert report.ok, (seed, report)
            synced.add(i)
            if len(synced) == len(engines) and all(pending(c) == 0 for c in cores):
                break
        else:
            raise AssertionError(f"seed {seed}: not drained after 500 attempts ({faulty.stats})")
        faulty.release()   # held-back batches arrive late, after everything was acknowledged: must change nothing
        check_invariants(central, cores)
        faulty.enabled = False
        for e in engines:
            check = e.verify()
            assert check.ok, (seed, check)
        return dict(faulty.stats)
    finally:
        for e in engines:
            e.close()
        for c in cores:
            c.close()
        central.close()
        prepared.drop(seed)


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """Where the copies go: RAM (/dev/shm) when there is one — the schedules commit thousands of small
    transactions and the invariants, not the disk's fsync, are under test; tmp_path otherwise."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    path = Path(tempfile.mkdtemp(prefix="posapp-sync-", dir=shm))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _one(prepared: Prepared, seed: int, scratch: Path) -> dict[str, int]:
    """One schedule (also the unit of work of a worker process), in this process's folder: refilled from the
    prepared files by every schedule, so the process's engines on those files are reused (see _database)."""
    try:
        return run_schedule(prepared, seed, scratch / f"p{os.getpid()}")
    except AssertionError as exc:
        raise AssertionError(f"fault schedule seed {seed} failed: {exc}") from exc


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for the schedules (they are independent): POSAPP_SYNC_WORKERS, default min(4, CPUs)."""
    workers = int(os.environ.get("POSAPP_SYNC_WORKERS", str(min(4, os.cpu_count() or 1))))
    if workers <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as executor:
        yield executor


@pytest.mark.slow
@pytest.mark.soak
@pytest.mark.parametrize("first", range(0, SCHEDULES, CHUNK))
def test_fault_schedules(prepared: Prepared, first: int, scratch: Path, pool: ProcessPoolExecutor | None) -> None:
    seeds = range(first, min(first + CHUNK, SCHEDULES))
    if pool is None:
        results = [_one(prepared, seed, scratch) for seed in seeds]
    else:
        results = list(pool.map(_one, [prepared] * len(seeds), seeds, [scratch] * len(seeds)))
    totals: dict[str, int] = {}
    for stats in results:
        for k, v in stats.items():
            totals[k] = totals.get(k, 0) + v
    # the schedules really injected every kind of fault
    for kind in ("drop_request", "drop_response", "duplicate", "delay", "late_delivery", "outage"):
        assert totals.get(kind, 0) > 0, (kind, totals)


PG_SCHEDULES = scaled(20)


@pytest.mark.slow
@pytest.mark.soak
def test_fault_schedules_on_postgresql(prepared_pg: Prepared, scratch: Path) -> None:
    """The same schedules against a PostgreSQL central store (a fresh database from a template per schedule)."""
    totals: dict[str, int] = {}
    for seed in range(PG_SCHEDULES):
        try:
            stats = run_schedule(prepared_pg, seed, scratch / str(seed))
        except AssertionError as exc:
            raise AssertionError(f"PostgreSQL fault schedule seed {seed} failed: {exc}") from exc
        for k, v in stats.items():
            totals[k] = totals.get(k, 0) + v
    assert totals.get("drop_response", 0) > 0 and totals.get("late_delivery", 0) > 0, totals
