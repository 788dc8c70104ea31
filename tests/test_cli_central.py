"""posapp-admin central init | add-store | load-catalog and bench sync."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from posapp.central import CentralStore
from posapp.central.admin import STORE_SCOPE, STORE_SECRET, store_password, store_role_name
from posapp.cli import main
from posapp.security.secrets import delete_secret
from posapp.sync.protocol import PullRequest
from tests.central.builders import Term
from tests.helpers.fixtures import SecretScope


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _fresh_pg(postgres_url: str) -> str:
    name = f"cli_central_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    finally:
        admin.dispose()
    return make_url(postgres_url).set(database=name).render_as_string(hide_password=False)


def test_init_and_load_catalog_on_the_embedded_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "central", "init", "--data-dir", str(tmp_path))
    assert code == 0 and "Created the central store" in out and "central.sqlite" in out
    code, out, _ = run(capsys, "central", "init", "--data-dir", str(tmp_path))
    assert code == 0 and "up to date" in out
    code, out, _ = run(capsys, "central", "load-catalog", "--json", "--data-dir", str(tmp_path))
    counts = json.loads(out)
    assert code == 0 and counts["plan"]["rows"] == counts["plan"]["changed"] > 0
    assert counts["accessory"]["changed"] > 0 and counts["device_model"]["changed"] > 0
    code, out, _ = run(capsys, "central", "load-catalog", "--json", "--data-dir", str(tmp_path))
    assert code == 0 and {c["changed"] for c in json.loads(out).values()} == {0}
    central = CentralStore.open(f"sqlite:///{tmp_path / 'central.sqlite'}")
    try:
        page = central.pull(PullRequest("S1", "01", "", limit=1000))
        assert {r.entity for r in page.rows} == {"plan", "device_model", "accessory"}
        assert len(page.rows) == sum(c["rows"] for c in counts.values())
    finally:
        central.close()


def test_init_refuses_a_database_that_is_not_a_central_store(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    con.close()
    code, _, err = run(capsys, "central", "init", "--url", f"sqlite:///{other}")
    assert code == 1 and "not a posapp central store" in err and "nothing was changed" in err
    con = sqlite3.connect(other)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["invoices"]
    con.close()
    code, _, err = run(capsys, "central", "init", "--url", "mysql://x@y/z")
    assert code == 1 and "SQLite or PostgreSQL" in err
    code, _, err = run(capsys, "central", "init", "--url", "postgresql://u:secret@127.0.0.1:9/x")
    assert code == 1 and "password in the URL" in err and "secret" not in err


def test_init_on_postgres_refuses_a_foreign_database(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = _fresh_pg(postgres_url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE payroll (id int)"))
    engine.dispose()
    code, _, err = run(capsys, "central", "init", "--url", url)
    assert code == 1 and "not a posapp central store" in err


@pytest.mark.keyring
def test_add_store_creates_an_rls_login_with_its_password_in_the_keyring(
        postgres_url: str, secret_service: SecretScope, capsys: pytest.CaptureFixture[str]) -> None:
    url = _fresh_pg(postgres_url)
    store = secret_service.store_id
    try:
        assert run(capsys, "central", "init", "--url", url)[0] == 0
        code, out, _ = run(capsys, "central", "add-store", "--url", url, "--store", store, "--json")
        doc = json.loads(out)
        assert code == 0 and doc["role"] == store_role_name(store) and doc["password"] == "in the OS keyring"
        password = store_password(store)
        assert password and password not in out
        central = CentralStore.open(url, role=doc["role"], password=password)
        try:
            t = Term(store, "01")
            assert t.push(central, [t.insert("customer", first_name="Ann")]).results[0].status.value == "applied"
            with pytest.raises(Exception, match="may not act for store"):
                Term("OTHER", "01").push(central, [Term("OTHER", "01").insert("customer")])
        finally:
            central.close()
        code, _, err = run(capsys, "central", "add-store", "--url", url, "--store", "bad store!")
        assert code == 1 and "Not a store id" in err
    finally:
        delete_secret(store, STORE_SCOPE, STORE_SECRET)


def test_bench_sync_prints_ours_raw_and_the_ratio(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "bench", "sync", "--url", postgres_url, "--changes", "1600", "--batch", "400",
                       "--json")
    doc = json.loads(out)
    assert code == 0 and doc["changes"] == 1600 and doc["batch"] == 400
    assert doc["ours_per_s"] > 0 and doc["copy_per_s"] > 0 and doc["executemany_per_s"] > 0
    assert doc["ratio_vs_copy"] == pytest.approx(doc["ours_s"] / doc["copy_s"])
    code, out, _ = run(capsys, "bench", "sync", "--url", postgres_url, "--changes", "800")
    assert code == 0 and "ours: CentralStore.push" in out and "raw: COPY" in out
    admin = create_engine(postgres_url)
    with admin.connect() as conn:  # the bench's database was dropped
        assert not conn.execute(text("SELECT 1 FROM pg_database WHERE datname LIKE 'posapp_bench_sync_%'")).first()
    admin.dispose()
