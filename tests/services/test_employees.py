"""EmployeeService: numbers from the terminal's block when none is given, renumbering (audited, synced), and the
simulator's staff on two terminals never sharing a number."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from posapp.demo.sales import sim_numbers, simulate
from posapp.errors import NotFoundError, ValidationError
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.employees import terminal_block
from tests.sync.terminals import open_terminal


def _rows(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as con:
        rows = con.execute(sql, params).fetchall()
    con.close()
    return rows


def test_terminal_blocks() -> None:
    assert (terminal_block("T01"), terminal_block("T02"), terminal_block("T1"), terminal_block("POS-12")) == \
        (101, 102, 101, 112)
    assert 100 <= terminal_block("FRONT") <= 999 and terminal_block("FRONT") == terminal_block("FRONT")
    assert sim_numbers("T01") == ("101801", "101802") and sim_numbers("T02")[0] == "102801"


def test_add_without_a_number_takes_the_next_free_one_of_the_terminal(tmp_path: Path) -> None:
    services = open_terminal(tmp_path / "t", "S001", "T07")
    try:
        a = services.employees.add(SYSTEM_ACTOR, name="Ana Ruiz", role="rep", pin="4815162")
        services.employees.add(SYSTEM_ACTOR, number="107002", name="Typed In", role="rep", pin="4815162")
        b = services.employees.add(SYSTEM_ACTOR, number="", name="Bo Chen", role="manager", pin="4815162")
        assert (a.number, b.number) == ("107001", "107003")
        demo = services.employees.add(SYSTEM_ACTOR, number="1001", name="Demo Rep", role="rep", pin="2580")
        assert demo.number == "1001"                                  # typed numbers work as before
        with pytest.raises(ValidationError, match="already taken"):
            services.employees.add(SYSTEM_ACTOR, number="107001", name="Again", role="rep", pin="4815162")
    finally:
        services.close()


def test_renumber_is_audited_and_synced_as_an_ordinary_change(tmp_path: Path) -> None:
    services = open_terminal(tmp_path / "t", "S001", "T01")
    try:
        e = services.employees.add(SYSTEM_ACTOR, number="4242", name="Pat Lee", role="rep", pin="4815162")
        services.employees.add(SYSTEM_ACTOR, number="5000", name="Other", role="rep", pin="4815162")
        with pytest.raises(ValidationError, match="already taken"):
            services.employees.renumber(SYSTEM_ACTOR, old="4242", new="5000")
        with pytest.raises(NotFoundError):
            services.employees.renumber(SYSTEM_ACTOR, old="9999", new="9998")
        with pytest.raises(ValidationError, match="3 to 8 digits"):
            services.employees.renumber(SYSTEM_ACTOR, old="4242", new="42x")
        done = services.employees.renumber(SYSTEM_ACTOR, old="4242", new="4243")
        assert done.number == "4243" and done.id == e.id
        db = services.core.paths.database
        [(payload,)] = _rows(db, "SELECT payload FROM sync_outbox WHERE entity = 'employee' AND op = 'update' "
                                 "AND entity_id = ?", str(e.id))
        assert json.loads(payload)["number"] == "4243" and "pin_hash" not in json.loads(payload)
        [(details,)] = _rows(db, "SELECT details FROM audit_event WHERE action = 'employee.renumber'")
        assert json.loads(details)["from"] == "4242" and json.loads(details)["to"] == "4243"
        assert services.auth.sign_in("4243", "4815162").number == "4243"
    finally:
        services.close()


def test_two_terminals_simulating_sales_create_different_staff_numbers(tmp_path: Path) -> None:
    numbers = []
    for terminal in ("T01", "T02"):
        services = open_terminal(tmp_path / terminal, "S001", terminal)
        try:
            simulate(services, count=1, seed=1)
            numbers.append({n for (n,) in _rows(services.core.paths.database, "SELECT number FROM employee")})
        finally:
            services.close()
    assert numbers[0] == {"101801", "101802"} and numbers[1] == {"102801", "102802"}
