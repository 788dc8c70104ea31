"""The terminal sync engine against the real central store (SQLite in-process): per-field LWW with the pending-change
guard, clock skew of +-24 h, initial fill with progress and resume, several terminals of two stores with sales
running while they sync, cross-store IMEI conflicts flagged, the status snapshot, and rejected changes kept."""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from posapp.central.store import CentralStore
from posapp.central.transport import InProcessTransport
from posapp.db.models import Customer
from posapp.demo.sales import sim_rep, simulate
from posapp.services.customers import CustomerDraft
from posapp.services.dto import Actor
from posapp.services.registry import Services
from posapp.sync.engine import SyncEngine, SyncReport
from posapp.sync.hlc import HybridLogicalClock, Stamp
from tests.sync.terminals import check_invariants, open_terminal, pending, sign_and_complete_cash

DAY_MS = 24 * 3600 * 1000


@pytest.fixture
def central(tmp_path: Path) -> Iterator[CentralStore]:
    store = CentralStore.open(f"sqlite+pysqlite:///{tmp_path / 'central.sqlite'}", create=True)
    try:
        yield store
    finally:
        store.close()


def _rep(services: Services) -> Actor:
    return sim_rep(services)


def _new_customer(services: Services, phone: str) -> uuid.UUID:
    created = services.customers.create(_rep(services), CustomerDraft(first_name="Dana", last_name="Lee", phone=phone,
                                                                    email="dana@example.com"), confirmed_new=True)
    return created.customer_id


def _edit(services: Services, customer_id: uuid.UUID, **fields: str) -> None:
    """A profile edit through the unit of work (the same capture path the services use)."""
    with services.uow.write(_rep(services)) as tx:
        row = tx.session.get(Customer, customer_id)
        assert row is not None
        for k, v in fields.items():
            setattr(row, k, v)
        tx.changed(row, fields=fields)


def _customer(services: Services, customer_id: uuid.UUID) -> Customer:
    with services.uow.read() as s:
        row = s.get(Customer, customer_id)
    assert row is not None
    return row


def test_pull_keeps_a_newer_pending_local_field_and_lww_converges(tmp_path: Path, central: CentralStore) -> None:
    transport = InProcessTransport(central)
    t1, t2 = open_terminal(tmp_path / "t1", "SA", "T1"), open_terminal(tmp_path / "t2", "SA", "T2")
    try:
        e1, e2 = SyncEngine(t1.core, transport), SyncEngine(t2.core, transport)
        cid = _new_customer(t1, "+12065550101")
        assert e1.run_once().ok and e2.run_once().ok
        assert _customer(t2, cid).email == "dana@example.com"
        _edit(t1, cid, email="old@example.com", city="Tacoma")      # T1 first
        assert e1.run_once().ok
        _edit(t2, cid, email="new@example.com")                      # T2 later, not yet pushed
        pulled = e2.pull()                                           # pull only: T2's change is still pending
        assert pulled.guarded_fields >= 1
        row = _customer(t2, cid)
        assert row.email == "new@example.com" and row.city == "Tacoma"   # newer pending field kept, other applied
        assert e2.run_once().ok and e1.run_once().ok
        for t in (t1, t2):
            row = _customer(t, cid)
            assert (row.email, row.city) == ("new@example.com", "Tacoma")
        assert central.rows("SA", "customer")[str(cid)]["email"] == "new@example.com"
    finally:
        t1.close()
        t2.close()


@pytest.mark.parametrize("skew_days", [1, -1])
def test_clock_skew_of_a_day_does_not_beat_a_later_causal_edit(tmp_path: Path, central: CentralStore,
                                                                skew_days: int) -> None:
    """One terminal's clock is a day off. Its edit, synced, then edited again on the other terminal after that
    terminal synced (saw it): the later edit wins everywhere, whichever way the clock is off; HLCs stay ordered."""
    transport = InProcessTransport(central)
    t1, t2 = open_terminal(tmp_path / "t1", "SA", "T1"), open_terminal(tmp_path / "t2", "SA", "T2")
    try:
        t1.core.clock = HybridLogicalClock("SA-T1", wall_ms=lambda: time.time_ns() // 1_000_000 + skew_days * DAY_MS)
        e1, e2 = SyncEngine(t1.core, transport), SyncEngine(t2.core, transport)
        cid = _new_customer(t1, "+12065550102")
        _edit(t1, cid, email="skewed@example.com")
        assert e1.run_once().ok and e2.run_once().ok
        assert _customer(t2, cid).email == "skewed@example.com"
        _edit(t2, cid, email="later@example.com")
        assert e2.run_once().ok and e1.run_once().ok
        for t in (t1, t2):
            assert _customer(t, cid).email == "later@example.com"
        # after observing the skewed stamps, T2's clock is past them (when T1 runs ahead)
        if skew_days > 0:
            assert Stamp.parse(str(t2.core.clock.now())).ms > time.time_ns() // 1_000_000 + DAY_MS // 2
        assert e1.verify().ok and e2.verify().ok
    finally:
        t1.close()
        t2.close()


def test_initial_fill_reports_progress_and_resumes_after_an_interruption(tmp_path: Path,
                                                                         central: CentralStore) -> None:
    transport = InProcessTransport(central)
    t1 = open_terminal(tmp_path / "t1", "SA", "T1")
    try:
        simulate(t1, count=6, seed=21)
        assert SyncEngine(t1.core, transport).run_once().ok
    finally:
        t1.close()
    t2 = open_terminal(tmp_path / "t2", "SA", "T2")
    try:
        engine = SyncEngine(t2.core, transport, page_size=20)
        seen: list[tuple[int, int]] = []

        class Cut(Exception):
            pass

        def progress(done: int, remaining: int) -> None:
            seen.append((done, remaining))
            if len(seen) == 3:
                raise Cut                      # the power goes after the third page was committed

        with pytest.raises(Cut):
            engine.initial_fill(progress=progress)
        cursor = engine.cursor()
        assert cursor and seen[0][1] > seen[2][1] > 0
        with sqlite3.connect(t2.core.paths.database) as con:
            have = con.execute("SELECT count(*) FROM inventory_device").fetchone()[0] + \
                con.execute("SELECT count(*) FROM sale").fetchone()[0]
        con.close()
        assert have > 0
        rest: list[tuple[int, int]] = []
        filled = engine.initial_fill(progress=lambda d, r: rest.append((d, r)))
        assert rest[-1][1] == 0 and filled.applied > 0 and engine.cursor() != cursor
        assert engine.verify().ok
        assert engine.run_once().pulled == 0          # nothing was left behind
    finally:
        t2.close()


def test_terminals_of_two_stores_sync_while_selling(tmp_path: Path, central: CentralStore) -> None:
    """Three terminals in store SA (the second and third join by an initial fill and sell from the stock they
    pulled) and two in SB; every terminal keeps selling on a thread while syncs run in random order."""
    transport = InProcessTransport(central)
    rng = random.Random(3)
    names = [("SA", "T1"), ("SA", "T2"), ("SA", "T3"), ("SB", "T1"), ("SB", "T2")]
    terms = {n: open_terminal(tmp_path / f"{n[0]}{n[1]}", *n) for n in names}
    engines = {n: SyncEngine(t.core, transport, batch_size=17, page_size=40) for n, t in terms.items()}
    try:
        for first in (("SA", "T1"), ("SB", "T1")):          # the first terminal of each store receives stock
            simulate(terms[first], count=1, seed=hash(first) % 1000)
            assert engines[first].run_once().ok
        for n in names:
            assert engines[n].run_once().ok                  # the others join: staff and stock pulled
        errors: list[BaseException] = []

        def sell(n: tuple[str, str], seed: int) -> None:
            try:
                simulate(terms[n], count=3, seed=seed)
            except BaseException as exc:  # reported by the test thread
                errors.append(exc)

        threads = [threading.Thread(target=sell, args=(n, 50 + i)) for i, n in enumerate(names)]
        for th in threads:
            th.start()
        while any(th.is_alive() for th in threads):
            n = rng.choice(names)
            report = engines[n].run_once()
            assert report.ok, (n, report)
        for th in threads:
            th.join()
        assert not errors, errors
        for _ in range(2):
            for n in names:
                assert engines[n].run_once().ok
        check_invariants(central, [t.core for t in terms.values()])
        for e in engines.values():
            assert e.verify().ok
    finally:
        for e in engines.values():
            e.close()
        for t in terms.values():
            t.close()


def test_an_imei_sold_in_two_stores_is_kept_and_flagged_and_status_shows_it(tmp_path: Path,
                                                                            central: CentralStore) -> None:
    transport = InProcessTransport(central)
    a, b = open_terminal(tmp_path / "a", "SA", "T1"), open_terminal(tmp_path / "b", "SB", "T1")
    try:
        simulate(a, count=1, seed=9)                          # receives stock
        simulate(b, count=1, seed=10)
        with sqlite3.connect(a.core.paths.database) as con:
            imei, model = con.execute("SELECT imei, model_code FROM inventory_device WHERE status = 'in_stock' "
                                      "LIMIT 1").fetchone()
        con.close()
        sign_and_complete_cash(a, imei)
        b.register.stock.receive_devices(_rep(b), [(imei, model)])    # the same IMEI turns up in store SB
        sign_and_complete_cash(b, imei)
        ea, eb = SyncEngine(a.core, transport), SyncEngine(b.core, transport)
        assert ea.run_once().ok
        report = eb.run_once()
        assert report.ok and report.conflicts >= 1 and report.new_conflicts >= 1
        status = b.sync.status()
        assert "uniqueness" in {c.kind for c in status.conflicts}
        assert any(imei in c.detail or c.entity == "sale_line" for c in status.conflicts)
        assert status.online is True and status.unsynced == 0 and status.last_success_at is not None
        assert status.recent_runs[0].ok and status.recent_runs[0].pushed == report.pushed
        check_invariants(central, [a.core, b.core])            # both sales kept
    finally:
        a.close()
        b.close()


def test_rejected_change_is_kept_with_its_reason_and_not_resent(tmp_path: Path, central: CentralStore) -> None:
    transport = InProcessTransport(central)
    t = open_terminal(tmp_path / "t", "SA", "T1")
    try:
        cid = _new_customer(t, "+12065550103")
        with sqlite3.connect(t.core.paths.database) as con:     # a change naming another store (a bug, a tamper)
            row = con.execute("SELECT seq, payload FROM sync_outbox WHERE entity = 'customer'").fetchone()
            payload = json.loads(row[1])
            payload["store_id"] = "SB"
            con.execute("UPDATE sync_outbox SET payload = ? WHERE seq = ?", (json.dumps(payload), row[0]))
        con.close()
        engine = SyncEngine(t.core, transport)
        report = engine.run_once()
        assert report.rejected == 1 and pending(t.core) == 0
        problems = t.sync.status().problems
        assert [(p.direction, p.entity, p.entity_id) for p in problems] == [("push", "customer", str(cid))]
        assert problems[0].reason
        again = engine.run_once()
        assert again.rejected == 0 and again.pushed == 0 and again.duplicates == 0
    finally:
        t.close()


def test_two_runs_at_once_on_one_terminal_are_safe(tmp_path: Path, central: CentralStore) -> None:
    """The UI's worker and a `posapp-admin sync` at the same moment: both finish, nothing is sent twice."""
    transport = InProcessTransport(central)
    t = open_terminal(tmp_path / "t", "SA", "T1")
    try:
        simulate(t, count=4, seed=31)
        backlog = pending(t.core)
        engines = [SyncEngine(t.core, transport, batch_size=5, page_size=9) for _ in range(2)]
        reports: list[SyncReport] = []
        errors: list[BaseException] = []

        def go(e: SyncEngine) -> None:
            try:
                reports.append(e.run_once())
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=go, args=(e,)) for e in engines]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not errors, errors
        assert sum(r.pushed for r in reports) == backlog
        assert sum(r.duplicates for r in reports) == 0
        check_invariants(central, [t.core])
    finally:
        t.close()


def test_old_acknowledged_outbox_rows_are_pruned_but_not_pending_rejected_or_newest(
        tmp_path: Path, central: CentralStore) -> None:
    from datetime import UTC, datetime, timedelta

    transport = InProcessTransport(central)
    t = open_terminal(tmp_path / "t", "SA", "T1")
    try:
        simulate(t, count=2, seed=41)
        engine = SyncEngine(t.core, transport)
        assert engine.run_once().ok
        db = t.core.paths.database
        with sqlite3.connect(db) as con:
            con.execute("UPDATE sync_outbox SET ack_status = 'rejected' WHERE seq = (SELECT min(seq) FROM sync_outbox)")
            con.execute("UPDATE sync_outbox SET acked_at = datetime('now', '-40 days')")
            acked, newest = con.execute("SELECT count(*), max(hlc) FROM sync_outbox").fetchone()
        con.close()
        day = datetime.now(UTC) + timedelta(days=2)                # the next day's prune
        assert engine.prune_outbox(now=day) == acked - 2           # all but the rejected one and the newest
        with sqlite3.connect(db) as con:
            kept = sorted((r[0], r[1] == newest) for r in con.execute("SELECT ack_status, hlc FROM sync_outbox"))
        con.close()
        assert kept == [("applied", True), ("rejected", False)]
        assert engine.prune_outbox(now=day + timedelta(hours=1)) == 0      # at most once a day
        simulate(t, count=1, seed=42)                               # new changes, not yet sent
        waiting = pending(t.core)
        assert engine.prune_outbox(now=day + timedelta(days=1)) == 1       # the old newest goes, pending stays
        assert pending(t.core) == waiting
        report = engine.run_once()
        assert report.ok and report.pushed == waiting and engine.verify().ok
    finally:
        t.close()
