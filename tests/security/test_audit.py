"""Audit tamper detection: edits, removals in the middle and at the end, through the CLI's exit codes."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from posapp.cli import main as admin
from posapp.security.audit import verify_chain


def _verify(services: Any) -> Any:
    with services.uow.read() as s:
        return verify_chain(s)


def _raw(services: Any, sql: str, *params: object) -> None:
    con = sqlite3.connect(services.core.paths.database)
    with con:
        con.execute(sql, params)
    con.close()


@pytest.fixture
def chain(services: Any, employees: Any) -> Any:
    for _ in range(3):
        services.auth.sign_in("1001", "2580")
    report = _verify(services)
    assert report.ok and report.entries >= 6
    return services


def test_intact_chain_passes_and_cli_exits_0(chain: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert admin(["audit", "verify", "--data-dir", str(chain.core.paths.root)]) == 0
    assert "intact" in capsys.readouterr().out


def test_edited_row_is_named(chain: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _raw(chain, "UPDATE audit_event SET details = '{\"by\":\"9999\"}' WHERE seq = 4")
    report = _verify(chain)
    assert not report.ok and report.first_bad_seq == 4 and "altered" in report.problem
    assert admin(["audit", "verify", "--data-dir", str(chain.core.paths.root)]) == 1
    assert "entry 4" in capsys.readouterr().err


def test_edited_hash_with_relinked_successor_is_still_caught(chain: Any) -> None:
    _raw(chain, "UPDATE audit_event SET action = 'auth.sign_out' WHERE seq = 3")
    assert _verify(chain).first_bad_seq == 3


def test_removed_middle_row_is_named(chain: Any) -> None:
    _raw(chain, "DELETE FROM audit_event WHERE seq = 2")
    report = _verify(chain)
    assert not report.ok and report.first_bad_seq == 2 and "missing" in report.problem


def test_removed_newest_rows_are_detected(chain: Any) -> None:
    _raw(chain, "DELETE FROM audit_event WHERE seq >= (SELECT max(seq) - 1 FROM audit_event)")
    report = _verify(chain)
    assert not report.ok and "removed" in report.problem


def test_time_change_is_detected(chain: Any) -> None:
    _raw(chain, "UPDATE audit_event SET at = '2020-01-01 00:00:00.000000' WHERE seq = 5")
    assert _verify(chain).first_bad_seq == 5
