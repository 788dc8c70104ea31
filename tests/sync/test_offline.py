"""A terminal offline for a simulated 72 hours with thousands of sales syncs cleanly when the link returns."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from posapp.central.store import CentralStore
from posapp.central.transport import InProcessTransport
from posapp.demo.sales import simulate
from posapp.sync.engine import SyncEngine
from posapp.sync.hlc import HybridLogicalClock, Stamp
from tests.sync.terminals import check_invariants, open_terminal, pending

HOURS_72_MS = 72 * 3600 * 1000
SALES = 2000


@pytest.mark.slow
def test_72_hours_offline_with_thousands_of_sales(tmp_path: Path) -> None:
    central = CentralStore.open(f"sqlite+pysqlite:///{tmp_path / 'central.sqlite'}", create=True)
    transport = InProcessTransport(central)
    away, online = open_terminal(tmp_path / "t1", "SA", "T1"), open_terminal(tmp_path / "t2", "SA", "T2")
    try:
        simulate(away, count=1, seed=1)                       # stock and staff, shared with the other terminal
        e_away, e_online = SyncEngine(away.core, transport), SyncEngine(online.core, transport)
        assert e_away.run_once().ok and e_online.run_once().ok
        # the link goes down; the terminal's (simulated) clock runs through 72 hours while it sells
        start_ms = time.time_ns() // 1_000_000 - HOURS_72_MS
        sim = {"ms": start_ms}
        away.core.clock = HybridLogicalClock("SA-T1", wall_ms=lambda: sim["ms"], last=Stamp(start_ms, 0, "SA-T1"))

        def tick(done: int) -> None:
            sim["ms"] = start_ms + HOURS_72_MS * done // SALES
            if done % 400 == 0:                               # meanwhile the other counter sells and syncs
                simulate(online, count=2, seed=done)
                assert e_online.run_once().ok

        report = simulate(away, count=SALES, seed=2, progress=tick)
        assert report.sales == SALES
        backlog = pending(away.core)
        with sqlite3.connect(away.core.paths.database) as con:
            first, last = con.execute("SELECT min(hlc), max(hlc) FROM sync_outbox WHERE acked_at IS NULL").fetchone()
        con.close()
        assert Stamp.parse(last).ms - Stamp.parse(first).ms >= HOURS_72_MS * 0.99
        assert backlog > 10 * SALES
        # the link returns
        t0 = time.perf_counter()
        result = e_away.run_once()
        seconds = time.perf_counter() - t0
        assert result.ok and result.pushed == backlog and result.duplicates == 0 and result.pending == 0
        assert e_online.run_once().ok and e_away.run_once().ok
        check_invariants(central, [away.core, online.core])
        assert e_away.verify().ok and e_online.verify().ok
        print(f"\n72 h offline: {SALES} sales, {backlog} changes pushed and synced in {seconds:.1f} s")
    finally:
        away.close()
        online.close()
        central.close()
