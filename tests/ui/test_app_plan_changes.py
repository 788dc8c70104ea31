"""The app applies the plan changes whose next cycle has come when it opens the database."""

from __future__ import annotations

from typing import Any

from posapp.domain.proration import ChangeTiming
from tests.helpers.accounts import MadeAccount
from tests.services.test_plan_change import _line, _visit, account, plans, svc  # noqa: F401 (fixtures)
from ui.app import _apply_due_plan_changes


def test_opening_applies_the_due_scheduled_changes(services: Any, employees: Any, svc: Any,  # noqa: F811
                                                   account: MadeAccount) -> None:  # noqa: F811
    line_id = account.line_ids[0]
    svc.apply(employees.rep, _visit(services, employees, account), line_id, "PLAN-60", [], ChangeTiming.NEXT_CYCLE)
    assert _line(services, line_id) == ("PLAN-45", [])
    _apply_due_plan_changes(services)  # the store's real today (after the 2026-12-01 cycle start)
    assert _line(services, line_id) == ("PLAN-60", [])


def test_a_failure_to_apply_them_does_not_stop_the_app(services: Any, monkeypatch: Any, caplog: Any) -> None:
    def broken(*_a: Any, **_k: Any) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services.plan_changes, "apply_due", broken)
    _apply_due_plan_changes(services)
    assert "Applying the due plan changes failed" in caplog.text
