"""posapp-admin unlock check on a real data folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from posapp.cli import main
from posapp.paths import DataPaths
from tests.helpers.accounts import MadeAccount
from tests.services.test_unlock import bought_days_ago, edit, pay_off


def test_check_prints_each_condition_and_exits_1_when_not_eligible(
        services: Any, employees: Any, make_account: Callable[..., MadeAccount], data_paths: DataPaths,
        capsys: pytest.CaptureFixture[str]) -> None:
    account = make_account()
    edit(services, employees.admin, account, bought_days_ago(23))
    assert main(["--data-dir", str(data_paths.root), "unlock", "check", "--line", "206-555-0142"]) == 1
    out = capsys.readouterr().out
    assert "  PASS  Device sold by the carrier" in out
    assert "  FAIL  Active on this line 23 of 40 days; 17 days to go" in out
    assert "  FAIL  Financing balance $420.00 must be paid in full" in out
    assert "Not eligible for unlock: 2 conditions failed." in out


def test_check_json_and_eligible_exit_0(services: Any, employees: Any, make_account: Callable[..., MadeAccount],
                                        data_paths: DataPaths, capsys: pytest.CaptureFixture[str]) -> None:
    account = make_account()
    edit(services, employees.admin, account, bought_days_ago(5))
    edit(services, employees.admin, account, pay_off)
    dd = ["--data-dir", str(data_paths.root)]
    assert main([*dd, "--json", "unlock", "check", "--line", "2065550142"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["eligible"] is False
    assert [(c["name"], c["passed"]) for c in data["conditions"]] == [
        ("sold_by_carrier", True), ("not_lost_stolen_blocked", True), ("good_standing", True),
        ("days_active", False), ("financing_paid", True)]
    assert main([*dd, "--json", "unlock", "check", "--line", "2065550142", "--military"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["eligible"] is True and data["military"] is True
    assert "waived (deployed military exception)" in data["conditions"][3]["why"]
    assert main([*dd, "unlock", "check", "--line", "2065550142", "--military"]) == 0
    assert "Eligible for unlock." in capsys.readouterr().out


def test_check_unknown_number_exits_1_with_reason(services: Any, employees: Any, data_paths: DataPaths,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_paths.root), "unlock", "check", "--line", "(206) 555-0199"]) == 1
    assert "No line has the number (206) 555-0199." in capsys.readouterr().err
