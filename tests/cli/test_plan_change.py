"""posapp-admin plan-change apply-due on a real data folder."""

from __future__ import annotations

import json
from typing import Any

import pytest

from posapp.cli import main
from posapp.domain.proration import ChangeTiming
from posapp.paths import DataPaths
from tests.helpers.accounts import MadeAccount
from tests.services.test_plan_change import _line, _visit, account, plans, svc  # noqa: F401 (fixtures)


def test_apply_due_applies_a_scheduled_change_once(services: Any, employees: Any, svc: Any,  # noqa: F811
                                                   account: MadeAccount, data_paths: DataPaths,  # noqa: F811
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    visit = _visit(services, employees, account)
    line_id = account.line_ids[0]
    svc.apply(employees.rep, visit, line_id, "PLAN-60", [], ChangeTiming.NEXT_CYCLE)  # effective 2026-12-01
    dd = ("--data-dir", str(data_paths.root))
    assert main([*dd, "plan-change", "apply-due", "--date", "2026-11-30"]) == 0
    assert "No scheduled plan change is due." in capsys.readouterr().out
    assert _line(services, line_id) == ("PLAN-45", [])
    assert main([*dd, "--json", "plan-change", "apply-due", "--date", "2026-12-01"]) == 0
    assert json.loads(capsys.readouterr().out) == {"applied": 1}
    assert _line(services, line_id) == ("PLAN-60", [])
    assert main([*dd, "plan-change", "apply-due", "--date", "2026-12-01"]) == 0  # once
    assert "No scheduled plan change is due." in capsys.readouterr().out


def test_apply_due_refuses_a_bad_date(data_paths: DataPaths, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_paths.root), "plan-change", "apply-due", "--date", "2026-13-01"]) == 1
    assert "is not a date" in capsys.readouterr().err
