"""Two terminals of one store create the same employee number: sync flags the collision and keeps going.

Reproduces issue 10 §5: before, every ``sync --once`` on both terminals printed "rebuilt after a convergence
mismatch: employee / STILL DIFFERENT from the central store: employee" and exited 1, forever. Each terminal is a
real data folder driven by ``posapp-admin``: as separate processes against a PostgreSQL central store, and (the
same commands, in this process: cheaper) against an embedded SQLite central store.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url

from posapp.central.schema import default_url
from posapp.cli import main

STORE = "S001"


_IN_PROCESS: list[pytest.CaptureFixture[str]] = []       # set by the SQLite variant: run main() here


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = ["--data-dir", str(root), *args]
    if _IN_PROCESS:
        capsys = _IN_PROCESS[0]
        capsys.readouterr()
        code = main(argv)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(argv, code, out, err)
    return subprocess.run([sys.executable, "-m", "posapp.cli", *argv], capture_output=True, text=True, timeout=300,
                          check=False)


def ok(root: Path, *args: str) -> str:
    done = cli(root, *args)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def sync_once(root: Path) -> dict[str, object]:
    done = cli(root, "sync", "--once", "--json")
    assert "STILL DIFFERENT" not in done.stdout + done.stderr
    assert done.returncode == 0, f"sync --once exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    report: dict[str, object] = json.loads(done.stdout)
    assert report["ok"] is True and report["diverged"] == [], report
    return report


def conflicts(root: Path) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(ok(root, "sync", "conflicts", "--json"))
    return listed


def employees(root: Path) -> dict[str, str]:
    with sqlite3.connect(root / "posapp.sqlite3") as con:
        rows = dict(con.execute("SELECT number, origin_terminal_id FROM employee").fetchall())
    con.close()
    return rows


def sales_from(root: Path, terminal: str) -> int:
    with sqlite3.connect(root / "posapp.sqlite3") as con:
        n = int(con.execute("SELECT count(*) FROM sale WHERE origin_terminal_id = ?", (terminal,)).fetchone()[0])
    con.close()
    return n


@pytest.fixture(params=["postgresql", "sqlite"])
def central_url(request: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[str]:
    """A fresh central store: a new database on the session's PostgreSQL server (terminals as processes), or an
    embedded SQLite file (the commands run in this process)."""
    if request.param == "sqlite":
        url = default_url(tmp_path / "hq")
        (tmp_path / "hq").mkdir()
        _IN_PROCESS.append(capsys)
        try:
            ok(tmp_path / "hq", "central", "init", "--url", url)
            yield url
        finally:
            _IN_PROCESS.clear()
        return
    server: str = request.getfixturevalue("postgres_url")
    db = f"collide_{tmp_path.name[-12:].lower().replace('-', '_')}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {db}")
        conn.exec_driver_sql(f"CREATE DATABASE {db}")
    admin.dispose()
    url = make_url(server).set(database=db).render_as_string(hide_password=False)
    try:
        ok(tmp_path, "central", "init", "--url", url)
        yield url
    finally:
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        admin.dispose()


@pytest.mark.slow
def test_two_terminals_with_one_employee_number_keep_syncing(tmp_path: Path, central_url: str) -> None:
    t1, t2 = tmp_path / "t1", tmp_path / "t2"
    for root, terminal in ((t1, "T01"), (t2, "T02")):
        ok(root, "init")
        ok(root, "terminal", "register", "--store", STORE, "--terminal", terminal, "--central", central_url)
        # the same number typed at both counters, and the simulator's own staff on each
        ok(root, "employee", "add", "4242", "--name", f"Pat at {terminal}", "--role", "rep", "--pin", "4815162")
        ok(root, "simulate", "sales", "--count", "2", "--seed", "3" if terminal == "T01" else "4")

    # each pushes, then each pulls the other's rows: the two employees 4242 collide on both terminals
    sync_once(t1)
    sync_once(t2)
    first = sync_once(t1)
    assert first["conflicts"] == 1 and first["held"] == 1, first
    text = cli(t1, "sync", "--once")
    assert text.returncode == 0 and "conflicts 1 (0 new)" in text.stdout, text.stdout + text.stderr
    assert "1 pulled row(s) held back" in text.stdout and "STILL DIFFERENT" not in text.stdout
    for root in (t1, t2):
        again = sync_once(root)                               # no rebuild loop, every run
        assert again["rebuilt"] == [] and again["conflicts"] == 1 and again["held"] == 1, again
        listed = conflicts(root)
        assert len(listed) == 1, listed
        c = listed[0]
        assert c["kind"] == "local_unique" and c["entity"] == "employee"
        assert "number 4242" in str(c["summary"]) and "renumber one" in str(c["summary"])
        assert "Pat at T01" in str(c["summary"]) and "Pat at T02" in str(c["summary"])
        detail = json.loads(str(c["detail"]))
        assert detail["key"] == "number" and detail["value"] == "4242"
        assert detail["pulled_id"] == c["entity_id"] and detail["local_id"] != detail["pulled_id"]
        assert "pin_hash" not in str(c) and "Pat" not in str(c["detail"])     # ids, key and value only
        status = json.loads(ok(root, "sync", "status", "--json"))
        assert status["conflicts"] == 1
        assert ok(root, "sync", "verify").startswith("In agreement")
    # the simulator's staff did not collide: per-terminal numbers
    assert len([n for n, t in employees(t1).items() if t == "T01"]) == 3
    assert len([n for n, t in employees(t1).items() if t == "T02"]) == 2           # its 4242 is held
    # everything else keeps syncing: T01 sells more, T02 receives it
    ok(t1, "simulate", "sales", "--count", "2", "--seed", "5")
    sold = sales_from(t1, "T01")
    assert sync_once(t1)["pushed"]
    sync_once(t2)
    assert sales_from(t2, "T01") == sold

    # a manager at T02 renumbers its own employee: the collision is gone everywhere, nothing is held
    out = ok(t2, "employee", "renumber", "4242", "4243")
    assert "4243" in out
    sync_once(t2)
    done1 = sync_once(t1)
    done2 = sync_once(t2)
    for root, report in ((t1, done1), (t2, done2)):
        assert report["held"] == 0 and report["conflicts"] == 0, report
        assert conflicts(root) == []
        assert employees(root)["4242"] == "T01" and employees(root)["4243"] == "T02"
        verify = cli(root, "sync", "verify")
        assert verify.returncode == 0, verify.stdout + verify.stderr
