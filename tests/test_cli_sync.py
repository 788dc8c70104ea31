"""posapp-admin sync / sync status / sync verify / terminal register, against real central stores; and kill -9 of a
running ``posapp-admin sync`` at random points, repeated: afterwards the outbox drains and every change is at the
centre exactly once."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from posapp.central.schema import default_url
from posapp.central.store import CentralStore
from posapp.cli import main
from posapp.demo.sales import simulate
from posapp.paths import DataPaths
from tests.helpers.fixtures import SecretScope
from tests.helpers.scale import scaled
from tests.sync.terminals import check_invariants, open_terminal


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _sell(root: Path, store: str, terminal: str, count: int, seed: int, **settings: object) -> None:
    services = open_terminal(root, store, terminal, **settings)
    try:
        simulate(services, count=count, seed=seed)
    finally:
        services.close()


def test_sync_status_verify_register_and_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t1, t2 = tmp_path / "t1", tmp_path / "t2"
    _sell(t1, "S001", "T01", 3, seed=1)
    code, out, _ = run(capsys, "sync", "status", "--json", "--data-dir", str(t1))
    before = json.loads(out)
    assert code == 0 and before["online"] is None and before["unsynced"] > 0
    assert before["oldest_unsynced_age_seconds"] >= 0 and before["last_success_at"] is None

    code, out, _ = run(capsys, "sync", "--once", "--json", "--batch-size", "7", "--data-dir", str(t1))
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["pushed"] == before["unsynced"] and report["pending"] == 0
    code, out, _ = run(capsys, "sync", "--once", "--data-dir", str(t1))
    assert code == 0 and "pushed 0," in out and "duplicate 0" in out
    code, out, _ = run(capsys, "sync", "status", "--json", "--data-dir", str(t1))
    after = json.loads(out)
    assert after["online"] is True and after["unsynced"] == 0 and after["oldest_unsynced_age_seconds"] is None
    assert after["last_success_at"] and after["cursor"].startswith("v1:")
    code, out, _ = run(capsys, "sync", "verify", "--data-dir", str(t1))
    assert code == 0 and "In agreement" in out

    # a second terminal of the store joins through the central store's URL: initial fill, then a first sync
    central_url = default_url(t1)
    code, out, err = run(capsys, "init", "--data-dir", str(t2))
    code, out, err = run(capsys, "terminal", "register", "--store", "S001", "--terminal", "T02", "--central",
                         central_url, "--data-dir", str(t2))
    assert code == 0, err
    assert "Registered as store S001, terminal T02" in out and "pulled" in err
    with sqlite3.connect(t2 / "posapp.sqlite3") as con:
        sales = con.execute("SELECT count(*) FROM sale WHERE origin_terminal_id = 'T01'").fetchone()[0]
    assert sales == 3
    code, out, _ = run(capsys, "sync", "verify", "--data-dir", str(t2))
    assert code == 0

    # lose rows locally (a restored old copy, a bad disk): verify names the entity, the next sync rebuilds it
    with sqlite3.connect(t2 / "posapp.sqlite3") as con:
        con.execute("DELETE FROM inventory_device WHERE rowid IN (SELECT rowid FROM inventory_device LIMIT 3)")
    con.close()
    code, out, err = run(capsys, "sync", "verify", "--data-dir", str(t2))
    assert code == 1 and "inventory_device" in out and "inventory_device" in err
    code, out, _ = run(capsys, "sync", "--once", "--json", "--data-dir", str(t2))
    report = json.loads(out)
    assert code == 0 and report["rebuilt"] == ["inventory_device"] and report["diverged"] == []
    code, out, _ = run(capsys, "sync", "verify", "--data-dir", str(t2))
    assert code == 0

    # a terminal already syncing under one identity is not silently moved to another store
    code, _, err = run(capsys, "terminal", "register", "--store", "S002", "--terminal", "T02", "--data-dir", str(t2))
    assert code == 1 and "keeps its identity" in err


def test_a_new_terminal_registered_to_another_store_keeps_its_set_up_events_local(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``init`` records audit events under the default store S001; registering to S002 must not send them (the
    centre refuses another store's rows) nor list them as problems: they stay in the local audit log."""
    root = tmp_path / "t"
    code, _, err = run(capsys, "init", "--data-dir", str(root))
    assert code == 0, err
    with sqlite3.connect(root / "posapp.sqlite3") as con:
        before = con.execute("SELECT count(*) FROM sync_outbox WHERE acked_at IS NULL AND "
                             "json_extract(payload, '$.store_id') = 'S001'").fetchone()[0]
    con.close()
    assert before >= 1
    code, out, err = run(capsys, "terminal", "register", "--store", "S002", "--terminal", "T01", "--json",
                         "--data-dir", str(root))
    data = json.loads(out)
    assert code == 0, err
    assert data["ok"] and data["kept_local"] >= before
    code, out, _ = run(capsys, "sync", "status", "--json", "--data-dir", str(root))
    st = json.loads(out)
    assert st["problems"] == 0 and st["unsynced"] == 0 and st["online"] is True
    with sqlite3.connect(root / "posapp.sqlite3") as con:
        statuses = dict(con.execute("SELECT json_extract(payload, '$.store_id'), group_concat(DISTINCT ack_status) "
                                    "FROM sync_outbox WHERE json_extract(payload, '$.store_id') IS NOT NULL "
                                    "GROUP BY 1").fetchall())
        kept_audit = con.execute("SELECT count(*) FROM audit_event WHERE action = 'sync.kept_local' AND "
                                 "store_id = 'S002'").fetchone()[0]
        local_s001 = con.execute("SELECT count(*) FROM audit_event WHERE store_id = 'S001'").fetchone()[0]
    con.close()
    assert statuses["S001"] == "local_only" and "local_only" not in statuses["S002"]
    assert kept_audit == 1 and local_s001 >= before  # still in this terminal's audit log
    central = CentralStore.open(default_url(root))
    try:
        assert central.change_count("S001") == 0 and central.change_count("S002") > 0
    finally:
        central.close()
    code, out, _ = run(capsys, "sync", "verify", "--data-dir", str(root))
    assert code == 0, out


def test_offline_sync_fails_cleanly_and_status_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "t"
    # nothing listens on port 1: the central store is unreachable
    _sell(root, "S001", "T01", 1, seed=3, central_url="postgresql+psycopg://posapp@127.0.0.1:1/central")
    code, out, err = run(capsys, "sync", "--once", "--data-dir", str(root))
    assert code == 1 and "not reachable" in err and err.count("\n") == 1
    code, out, _ = run(capsys, "sync", "status", "--json", "--data-dir", str(root))
    st = json.loads(out)
    assert st["online"] is False and st["unsynced"] > 0 and st["last_error"].startswith("offline")
    code, out, err = run(capsys, "sync", "verify", "--data-dir", str(root))
    assert code == 1 and "not reachable" in err


def test_bad_batch_size_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "sync", "--once", "--batch-size", "0", "--data-dir", str(tmp_path))
    assert code == 1 and "batch size" in err


def _pending(db: Path) -> int:
    with sqlite3.connect(db) as con:
        n = int(con.execute("SELECT count(*) FROM sync_outbox WHERE acked_at IS NULL").fetchone()[0])
    con.close()
    return n


@pytest.mark.slow
@pytest.mark.soak
def test_kill_9_during_sync_at_random_points_then_exactly_once(tmp_path: Path) -> None:
    """Sales keep coming while ``posapp-admin sync`` is killed with SIGKILL at random moments (mid-push: after a
    random share of the backlog was acknowledged; or later: in a pulled page, the convergence check, inside the
    embedded central store's commit...). Then one clean run: drained, every change at the centre exactly once."""
    rng = random.Random(5)
    root = tmp_path / "t1"
    db = root / "posapp.sqlite3"
    services = open_terminal(root, "S001", "T01")
    try:
        simulate(services, count=20, seed=7)
        exe = [sys.executable, "-m", "posapp.cli", "--data-dir", str(root), "sync", "--once", "--batch-size", "1",
               "--page-size", "3"]
        killed_push = killed_later = 0
        for round_ in range(scaled(8)):
            backlog = _pending(db)
            target = int(backlog * rng.uniform(0.1, 0.9)) if rng.random() < 0.7 else 0
            proc = subprocess.Popen(exe, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while proc.poll() is None and _pending(db) > target:
                time.sleep(0.005)
            if target == 0:
                time.sleep(rng.uniform(0.0, 0.4))      # into the pull / convergence check
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                if target:
                    killed_push += 1
                else:
                    killed_later += 1
            proc.wait(timeout=60)
            simulate(services, count=2, seed=100 + round_)     # the counter keeps selling in between
        assert killed_push >= 3 and killed_push + killed_later >= 5, (killed_push, killed_later)
        done = subprocess.run(exe, capture_output=True, text=True, timeout=180, check=False)
        assert done.returncode == 0, done.stderr
    finally:
        services.close()
    central = CentralStore.open(default_url(DataPaths.resolve(root).root))
    terminal = open_terminal(root, "S001", "T01")
    try:
        check_invariants(central, [terminal.core])
        assert terminal.sync.verify().ok
    finally:
        terminal.close()
        central.close()


def test_terminal_on_postgresql_as_its_store_role(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   postgres_url: str, secret_service: SecretScope) -> None:
    """Head office creates the central store, a store login (RLS role, password in the keyring) and the catalog;
    the terminal registers with the store role's URL (no password anywhere on disk), fills, sells and syncs."""
    from sqlalchemy import create_engine, make_url

    from posapp.central.admin import STORE_SCOPE, STORE_SECRET, store_role_name
    from posapp.security.secrets import delete_secret

    store = secret_service.store_id.upper()               # store ids are capitals and digits
    db = f"term_{secret_service.store_id.lower()}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {db}")
    admin.dispose()
    url = make_url(postgres_url).set(database=db)
    head_office = url.render_as_string(hide_password=False)
    try:
        assert run(capsys, "central", "init", "--url", head_office)[0] == 0
        assert run(capsys, "central", "add-store", "--url", head_office, "--store", store)[0] == 0
        assert run(capsys, "central", "load-catalog", "--url", head_office)[0] == 0
        store_url = url.set(username=store_role_name(store)).render_as_string(hide_password=False)
        root = tmp_path / "t"
        assert run(capsys, "init", "--data-dir", str(root))[0] == 0
        code, out, err = run(capsys, "terminal", "register", "--store", store, "--terminal", "T01", "--central",
                             store_url, "--data-dir", str(root))
        assert code == 0, err
        with sqlite3.connect(root / "posapp.sqlite3") as con:
            plans = con.execute("SELECT count(*) FROM plan").fetchone()[0]
        con.close()
        assert plans > 0                                   # the chain's catalog came down with the initial fill
        services = open_terminal(root, store, "T01")
        try:
            simulate(services, count=2, seed=8)
        finally:
            services.close()
        code, out, err = run(capsys, "sync", "--once", "--json", "--data-dir", str(root))
        report = json.loads(out)
        assert code == 0 and report["pushed"] > 0 and report["rejected"] == 0 and report["pending"] == 0, err
        assert run(capsys, "sync", "verify", "--data-dir", str(root))[0] == 0
    finally:
        delete_secret(store, STORE_SCOPE, STORE_SECRET)
        admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        admin.dispose()


def test_bench_sync_storm_drains_every_terminal_exactly_once(tmp_path: Path, postgres_url: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "bench"), "bench", "sync-storm", "--url", postgres_url,
                       "--terminals", "3", "--stores", "2", "--sales", "2", "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["ok"] is True
    assert report["duplicates"] == 0 and report["pending_after"] == 0 and report["failures"] == 0
    assert report["ledger"] == report["expected_ledger"] > 0
