"""Publishing the demo to the central store (posapp.demo.publish, ``posapp-admin demo``): a terminal loaded with the
demo then synced converges with no rebuild; a second terminal of the store gets the demo rows by its initial fill,
byte for byte; nothing is doubled; a failed or interrupted publish is finished by running ``demo`` again."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select, text

from posapp.central import CentralStore, init_central
from posapp.central.schema import default_url
from posapp.central.seed import store_row_count
from posapp.cli import main
from posapp.db.models import Base
from posapp.demo import publish
from posapp.demo.publish import PENDING, PUBLISHED, marker, publish_demo, rows_sql
from posapp.demo.schema import TABLES
from posapp.paths import DataPaths
from posapp.services.registry import Services
from posapp.sync.engine import CURSOR_KEY
from posapp.sync.outbox import row_payload
from tests.helpers.templates import Templates
from tests.sync.terminals import open_terminal

CUSTOMERS = 300


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _rows(db: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        rows = con.execute(f"SELECT * FROM {table} WHERE origin_terminal_id = 'HQ' ORDER BY id").fetchall()
    con.close()
    return rows


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as con:
        n = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    con.close()
    return n


@pytest.fixture
def loaded(tmp_path: Path, templates: Templates) -> Iterator[Services]:
    """A terminal with the demo loaded (a copy of the session's demo template, loaded once)."""
    demo = templates.demo(customers=CUSTOMERS, seed=5, history_share=0.5)
    services = Services.open(templates.install(demo, DataPaths.resolve(tmp_path / "t1")))
    try:
        yield services
    finally:
        services.close()


def test_rows_are_sent_as_the_outbox_would_send_them(loaded: Services) -> None:
    """The JSON built by SQLite for each demo row equals row_payload() of the row read through the ORM."""
    store = loaded.core.settings.store_id
    with loaded.core.db.read_engine.connect() as conn:
        for table in TABLES:
            sent = {r[1]: json.loads(r[2]) for r in conn.exec_driver_sql(rows_sql(table), (store,))}
            assert sent, table
            model = next(m.class_ for m in Base.registry.mappers if m.local_table.name == table)
            with loaded.uow.read() as s:
                orm = {str(o.id): row_payload(o) for o in s.scalars(select(model))}
            assert sent == orm, table


def test_demo_then_sync_converges_and_a_second_terminal_fills(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    t1, t2 = tmp_path / "t1", tmp_path / "t2"
    assert run(capsys, "init", "--data-dir", str(t1))[0] == 0
    code, out, err = run(capsys, "demo", "--customers", str(CUSTOMERS), "--seed", "2", "--json", "--data-dir", str(t1))
    assert code == 0, err
    demo = json.loads(out)
    rows = sum(demo["counts"].values())
    assert demo["central"]["rows"] == rows == demo["central"]["inserted"] and demo["central"]["cursor_moved"]
    assert demo["central"]["catalog"]["plan"] > 0

    code, out, err = run(capsys, "sync", "--once", "--json", "--data-dir", str(t1))
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["rebuilt"] == [] and report["diverged"] == [], err
    assert report["pulled"] < 200            # catalog + the demo employees, not the demo rows again
    assert _count(t1 / "posapp.sqlite3", "customer") == CUSTOMERS
    assert run(capsys, "sync", "verify", "--data-dir", str(t1))[0] == 0

    # a second terminal of the same store, same central store: the demo arrives by initial fill
    assert run(capsys, "init", "--data-dir", str(t2))[0] == 0
    code, out, err = run(capsys, "terminal", "register", "--store", "S001", "--terminal", "T02", "--central",
                         default_url(t1), "--data-dir", str(t2))
    assert code == 0, err
    for table in TABLES:
        assert _rows(t2 / "posapp.sqlite3", table) == _rows(t1 / "posapp.sqlite3", table), table
    assert run(capsys, "sync", "verify", "--data-dir", str(t2))[0] == 0
    code, out, _ = run(capsys, "sync", "--once", "--json", "--data-dir", str(t1))
    assert code == 0 and json.loads(out)["rebuilt"] == []
    central = CentralStore.open(default_url(t1))
    try:
        assert store_row_count(central, "S001", origin="HQ") == rows       # once each
    finally:
        central.close()


def test_no_central_then_demo_again_publishes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t1 = tmp_path / "t1"
    assert run(capsys, "central", "init", "--data-dir", str(t1))[0] == 0
    code, out, _ = run(capsys, "demo", "--customers", "120", "--no-central", "--data-dir", str(t1))
    assert code == 0 and "Not published to the central store" in out
    code, out, _ = run(capsys, "sync", "verify", "--data-dir", str(t1))
    assert code == 1 and "customer" in out
    # the demo is loaded: `demo` again only publishes it, here to an explicitly named central store
    code, out, err = run(capsys, "demo", "--customers", "120", "--central", default_url(t1), "--data-dir", str(t1))
    assert code == 0 and "Published to the central store" in out, err
    code, out, _ = run(capsys, "sync", "--once", "--json", "--data-dir", str(t1))
    assert code == 0 and json.loads(out)["rebuilt"] == []
    # published: a third `demo` is refused as before, unless a central store is named (publishing again is a no-op)
    code, _, err = run(capsys, "demo", "--customers", "120", "--data-dir", str(t1))
    assert code == 1 and "already" in err
    code, out, err = run(capsys, "demo", "--customers", "120", "--central", "embedded", "--json", "--data-dir", str(t1))
    published = json.loads(out)["central"]
    assert code == 0 and published["inserted"] == 0 and published["existing"] == published["rows"] > 0, err
    code, out, _ = run(capsys, "sync", "--once", "--json", "--data-dir", str(t1))
    assert code == 0 and json.loads(out)["rebuilt"] == []


def test_a_failed_publish_leaves_the_central_store_untouched(loaded: Services, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    core = loaded.core
    real = publish.demo_rows

    def failing(conn: object, store_id: str, **kw: int) -> Iterator[list[publish.SeedRow]]:
        source = real(conn, store_id, batch=100)  # type: ignore[arg-type]
        yield next(source)
        yield next(source)
        raise OSError("disk unplugged")

    central = CentralStore.open(default_url(core.paths.root), create=True)
    try:
        monkeypatch.setattr(publish, "demo_rows", failing)
        with pytest.raises(OSError):
            publish_demo(core, central)
        assert store_row_count(central, "S001") == 0
        assert marker(core)["state"] == PENDING            # type: ignore[index]
        assert loaded.sync.cursor() == ""
        monkeypatch.undo()
        done = publish_demo(core, central)
        assert done.inserted == done.rows > 0 and done.existing == 0 and done.cursor_moved
        assert marker(core)["state"] == PUBLISHED          # type: ignore[index]
    finally:
        central.close()
    report = loaded.sync.run_now(trigger="test")
    assert report.ok and report.rebuilt == ()


def test_a_crash_after_the_central_commit_only_costs_the_cursor_jump(loaded: Services) -> None:
    core = loaded.core
    central = CentralStore.open(default_url(core.paths.root), create=True)
    try:
        first = publish_demo(core, central)
        # the local step after the central commit never happened: marker pending, cursor as before
        with core.db.write_engine.connect() as conn, conn.begin():
            conn.exec_driver_sql("UPDATE sync_state SET value = ? WHERE key = ?",
                                 (json.dumps({"state": PENDING, "store_id": "S001"}), publish.MARKER_KEY))
            conn.exec_driver_sql("DELETE FROM sync_state WHERE key = ?", (CURSOR_KEY,))
        again = publish_demo(core, central)
        assert (again.inserted, again.existing) == (0, first.rows) and not again.cursor_moved
        assert store_row_count(central, "S001") == first.rows
    finally:
        central.close()
    customers = _count(core.paths.database, "customer")
    report = loaded.sync.run_now(trigger="test")
    assert report.ok and report.rebuilt == () and report.pulled >= first.rows      # applied as no-ops
    assert _count(core.paths.database, "customer") == customers
    assert loaded.sync.verify().ok


def test_a_demo_loaded_before_publishing_existed_is_published(loaded: Services) -> None:
    core = loaded.core
    with core.db.write_engine.connect() as conn, conn.begin():       # as an older posapp left it: no marker
        conn.exec_driver_sql("DELETE FROM sync_state WHERE key = ?", (publish.MARKER_KEY,))
    assert marker(core) == {"state": PENDING}
    central = CentralStore.open(default_url(core.paths.root), create=True)
    try:
        assert publish_demo(core, central).inserted > 0
    finally:
        central.close()
    assert loaded.sync.run_now(trigger="test").rebuilt == ()


@pytest.fixture
def pg_central_url(postgres_url: str) -> Iterator[str]:
    """A fresh, migrated central store database on the session's throwaway PostgreSQL server."""
    name = f"central_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
        init_central(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def test_demo_published_to_postgresql_converges(tmp_path: Path, pg_central_url: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    t1 = tmp_path / "t1"
    open_terminal(t1, "S001", "T01", central_url=pg_central_url).close()
    code, out, err = run(capsys, "demo", "--customers", "150", "--json", "--data-dir", str(t1))
    assert code == 0, err
    demo = json.loads(out)
    assert demo["central"]["inserted"] == sum(demo["counts"].values()) and demo["central"]["cursor_moved"]
    code, out, err = run(capsys, "sync", "--once", "--json", "--data-dir", str(t1))
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["rebuilt"] == [], err
    assert run(capsys, "sync", "verify", "--data-dir", str(t1))[0] == 0
    central = CentralStore.open(pg_central_url)
    try:
        assert store_row_count(central, "S001", origin="HQ") == sum(demo["counts"].values())
        imei = _rows(t1 / "posapp.sqlite3", "device")[0][1]
        assert [c[0] for c in central.claimants("imei_activated", str(imei))] == ["S001"]
    finally:
        central.close()
