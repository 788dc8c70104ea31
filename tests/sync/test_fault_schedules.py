"""Push/pull under injected faults: >= 1,000 seeded schedules against the real (SQLite) central store.

Three prepared terminals (two of store SA, one of store SB) with real register activity (``simulate sales``:
cash, card, split, declines, re-queries, refunds; the second SA terminal sells from the stock it pulled) and
unsynced outboxes are copied for every schedule. Each schedule draws its own fault mix (dropped requests, lost
responses after the central commit, duplicates, held-back batches delivered late and out of order, outages),
batch and page sizes, and the order in which terminals sync. After every schedule: each money event exists
exactly once at the centre, the central ledger holds exactly the terminals' changes, every outbox is drained,
per-store totals at the centre equal the sum of the terminals', and every terminal's convergence check passes.
A failing schedule names its seed; ``POSAPP_SYNC_SCHEDULES`` changes how many run.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from posapp.central.store import CentralStore
from posapp.central.transport import InProcessTransport
from posapp.demo.sales import simulate
from posapp.sync.engine import SyncEngine
from posapp.sync.faults import FaultSchedule, FaultyTransport
from posapp.sync.protocol import TransportError
from tests.sync.terminals import check_invariants, copy_sqlite, light_core, open_terminal, pending

SCHEDULES = int(os.environ.get("POSAPP_SYNC_SCHEDULES", "1000"))
CHUNK = 100
TERMINALS = (("A1", "SA", "T1"), ("A2", "SA", "T2"), ("B1", "SB", "T1"))


@dataclass(frozen=True)
class Prepared:
    root: Path

    def central_url(self, root: Path) -> str:
        return f"sqlite+pysqlite:///{root / 'central.sqlite'}"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """SA/T1 and SB/T1 received stock, sold and synced; SA/T2 registered (pulled staff and stock); then a sale on
    each terminal (SA/T2 sells from the stock it pulled), none of it synced."""
    root = tmp_path_factory.mktemp("prepared")
    central = CentralStore.open(Prepared(root).central_url(root), create=True)
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
    return Prepared(root)


def run_schedule(prepared: Prepared, seed: int, work: Path) -> dict[str, int]:
    rng = random.Random(seed)
    copy_sqlite(prepared.root / "central.sqlite", work / "central.sqlite")
    for name, _, _ in TERMINALS:
        copy_sqlite(prepared.root / name / "posapp.sqlite3", work / name / "posapp.sqlite3")
    central = CentralStore.open(prepared.central_url(work))
    faulty = FaultyTransport(InProcessTransport(central), rng, FaultSchedule.from_seed(seed))
    cores = [light_core(work / name) for name, _, _ in TERMINALS]
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
            pytest.fail(f"seed {seed}: not drained after 500 attempts ({faulty.stats})")
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


@pytest.mark.slow
@pytest.mark.parametrize("first", range(0, SCHEDULES, CHUNK))
def test_fault_schedules(prepared: Prepared, first: int, tmp_path: Path) -> None:
    totals: dict[str, int] = {}
    for seed in range(first, min(first + CHUNK, SCHEDULES)):
        work = tmp_path / str(seed)
        try:
            stats = run_schedule(prepared, seed, work)
        except AssertionError as exc:
            raise AssertionError(f"fault schedule seed {seed} failed: {exc}") from exc
        for k, v in stats.items():
            totals[k] = totals.get(k, 0) + v
        shutil.rmtree(work, ignore_errors=True)
    # the schedules really injected every kind of fault
    for kind in ("drop_request", "drop_response", "duplicate", "delay", "late_delivery", "outage"):
        assert totals.get(kind, 0) > 0, (kind, totals)
