"""The apply step meets a pulled row that collides with a local unique key (posapp/sync/held.py): the row is held
and flagged, counted by the digest, replaced by later versions, and written once the collision is gone; other
refusals stay problems. Real terminal databases; the rows are the ones another terminal's outbox holds."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from posapp.db.session import create_sqlite_engine
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.registry import Services
from posapp.sync.apply import ApplyResult, apply_rows, local_digests, local_ids, retry_held
from posapp.sync.protocol import RowState
from tests.sync.terminals import open_terminal

PIN = "4815162"


@pytest.fixture
def terminals(tmp_path: Path) -> Iterator[tuple[Services, Services]]:
    here, there = open_terminal(tmp_path / "here", "S001", "T01"), open_terminal(tmp_path / "there", "S001", "T02")
    try:
        yield here, there
    finally:
        here.close()
        there.close()


def add(services: Services, number: str, name: str) -> str:
    return str(services.employees.add(SYSTEM_ACTOR, number=number, name=name, role="rep", pin=PIN).id)


def pulled(services: Services, employee_id: str) -> RowState:
    """The employee's newest version as the central store would serve it: the row's columns as JSON."""
    with sqlite3.connect(services.core.paths.database) as con:
        con.row_factory = sqlite3.Row
        payload, hlc = con.execute("SELECT payload, hlc FROM sync_outbox WHERE entity = 'employee' AND op = 'insert' "
                                   "AND entity_id = ?", (employee_id,)).fetchone()
        row = dict(con.execute("SELECT number, name, updated_hlc FROM employee WHERE id = ?",
                               (employee_id.replace("-", ""),)).fetchone())
    con.close()
    data = {**json.loads(payload), **row}
    return RowState(entity="employee", entity_id=employee_id, store_id="S001", data=json.dumps(data),
                    hlc=row["updated_hlc"] or hlc)


@contextlib.contextmanager
def with_conn(services: Services) -> Iterator[Connection]:
    """A write transaction with foreign keys off, as the engine applies pulled pages."""
    engine = create_sqlite_engine(services.core.db.path, immediate=True, foreign_keys=False)
    try:
        with engine.connect() as conn, conn.begin():
            yield conn
    finally:
        engine.dispose()


def apply(services: Services, rows: list[RowState]) -> ApplyResult:
    with with_conn(services) as conn:
        return apply_rows(conn, rows)


def retry(services: Services) -> ApplyResult:
    with with_conn(services) as conn:
        return retry_held(conn, "S001")


def query(services: Services, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(services.core.paths.database) as con:
        rows = con.execute(sql, params).fetchall()
    con.close()
    return rows


def numbers(services: Services) -> dict[str, str]:
    return {str(n): str(name) for n, name in query(services, "SELECT number, name FROM employee")}


def conflicts(services: Services) -> list[tuple[object, ...]]:
    return query(services, "SELECT conflict_id, kind, entity, entity_id, detail, resolved FROM sync_conflict")


def ids_known(services: Services) -> set[str]:
    with with_conn(services) as conn:
        return local_ids(conn, "employee", store_id="S001")


def test_a_colliding_insert_is_held_flagged_and_counted(terminals: tuple[Services, Services]) -> None:
    here, there = terminals
    mine = add(here, "4242", "Pat Here")
    theirs = add(there, "4242", "Pat There")
    res = apply(here, [pulled(there, theirs)])
    assert (res.inserted, res.held, res.new_held, res.problems) == (0, 1, 1, [])
    assert numbers(here) == {"4242": "Pat Here"}                   # the local row stands
    [(cid, kind, entity, entity_id, detail, resolved)] = conflicts(here)
    assert (cid, kind, entity, entity_id, resolved) == (f"local:employee:{theirs}", "local_unique", "employee",
                                                        theirs, 0)
    d = json.loads(str(detail))
    assert (d["key"], d["value"], d["local_id"], d["pulled_id"]) == ("number", "4242", mine, theirs)
    assert (d["local_terminal"], d["pulled_terminal"]) == ("T01", "T02")
    assert "Pat" not in str(detail) and "pin" not in str(detail)   # ids, key and value: no other field
    assert query(here, "SELECT count(*) FROM sync_problem") == [(0,)]
    # the digest counts the held row (ours is not, until its insert is acknowledged by the centre)
    assert ids_known(here) == {theirs}
    with with_conn(here) as conn:
        digest = local_digests(conn, ["employee"], store_id="S001")["employee"]
    assert digest.count == 1
    again = apply(here, [pulled(there, theirs)])                   # pulled again: still held, no new conflict
    assert (again.held, again.new_held) == (1, 0) and len(conflicts(here)) == 1


def test_renumbering_the_local_row_lets_the_held_row_in(terminals: tuple[Services, Services]) -> None:
    here, there = terminals
    add(here, "4242", "Pat Here")
    theirs = add(there, "4242", "Pat There")
    apply(here, [pulled(there, theirs)])
    assert retry(here).held == 1                                   # nothing changed: still held
    here.employees.renumber(SYSTEM_ACTOR, old="4242", new="4243")
    res = retry(here)
    assert (res.inserted, res.released, res.held) == (1, 1, 0)
    assert numbers(here) == {"4242": "Pat There", "4243": "Pat Here"}
    assert [r[-1] for r in conflicts(here)] == [1]                 # resolved
    assert query(here, "SELECT count(*) FROM sync_held_row") == [(0,)]


def test_a_later_version_without_the_collision_is_written_directly(terminals: tuple[Services, Services]) -> None:
    here, there = terminals
    add(here, "4242", "Pat Here")
    theirs = add(there, "4242", "Pat There")
    apply(here, [pulled(there, theirs)])
    there.employees.renumber(SYSTEM_ACTOR, old="4242", new="4244")   # resolved at the other terminal
    res = apply(here, [pulled(there, theirs)])
    assert (res.inserted, res.released, res.held) == (1, 1, 0)
    assert numbers(here) == {"4242": "Pat Here", "4244": "Pat There"}
    assert [r[-1] for r in conflicts(here)] == [1]


def test_two_new_rows_with_one_number_in_one_page(terminals: tuple[Services, Services], tmp_path: Path) -> None:
    here, there = terminals
    first, second = add(here, "4242", "Pat Here"), add(there, "4242", "Pat There")
    third = open_terminal(tmp_path / "third", "S001", "T03")       # a new terminal's initial fill meets both
    try:
        res = apply(third, [pulled(here, first), pulled(there, second)])
        assert (res.inserted, res.held, res.problems) == (1, 1, [])
        assert numbers(third) == {"4242": "Pat Here"}
        assert ids_known(third) == {first, second}             # one written, one held: both counted
    finally:
        third.close()


def test_an_update_that_would_take_a_local_number_is_held(terminals: tuple[Services, Services]) -> None:
    here, there = terminals
    theirs = add(there, "5000", "Pat There")
    apply(here, [pulled(there, theirs)])                           # a plain insert: no collision
    add(here, "6000", "Lee Here")
    there.employees.renumber(SYSTEM_ACTOR, old="5000", new="6000")   # the other counter renumbers onto ours
    res = apply(here, [pulled(there, theirs)])
    assert (res.updated, res.held, res.problems) == (0, 1, [])
    assert numbers(here) == {"5000": "Pat There", "6000": "Lee Here"}   # the old version stays meanwhile
    here.employees.renumber(SYSTEM_ACTOR, old="6000", new="6001")
    assert retry(here).updated == 1
    assert numbers(here) == {"6000": "Pat There", "6001": "Lee Here"}


def test_a_held_row_deleted_at_the_centre_is_released(terminals: tuple[Services, Services]) -> None:
    here, there = terminals
    add(here, "4242", "Pat Here")
    theirs = add(there, "4242", "Pat There")
    apply(here, [pulled(there, theirs)])
    gone = pulled(there, theirs)
    res = apply(here, [RowState(entity=gone.entity, entity_id=gone.entity_id, store_id="S001", data="{}",
                                hlc=gone.hlc, deleted=True)])
    assert res.released == 1 and query(here, "SELECT count(*) FROM sync_held_row") == [(0,)]
    assert [r[-1] for r in conflicts(here)] == [1]


def test_any_other_refusal_stays_a_problem(terminals: tuple[Services, Services]) -> None:
    """A row the database refuses for another reason (here: required columns missing) is reported, not held —
    also for an entity with declared keys."""
    here, there = terminals
    theirs = add(there, "4242", "Pat There")
    data = json.loads(pulled(there, theirs).data)
    del data["pin_hash"]
    res = apply(here, [RowState(entity="employee", entity_id=theirs, store_id="S001", data=json.dumps(data),
                                hlc="x")])
    assert res.held == 0 and res.inserted == 0 and len(res.problems) == 1
    assert query(here, "SELECT count(*) FROM sync_held_row") == [(0,)] and conflicts(here) == []
