"""Change plan from the account view, keyboard only: Alt+P opens the dialog on the selected line, arrows pick a
plan (each pick is previewed through the runner), Space ticks a feature, Alt+X moves it to the next cycle, Enter
applies, Enter closes; the account view reloads with the new plan. Each flow prints its keystroke bursts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from posapp.db.models import Line
from posapp.db.models.activation import PlanChange
from posapp.domain.activation import PlanChangeStatus
from posapp.services.plan_change import PlanChangeService
from posapp.workflows.plan_change import Step
from tests.helpers.plans import TODAY, add_plans, on_plan_45_billed_on_the_1st
from tests.ui.views.lookup.conftest import visible_texts
from tests.ui.views.lookup.test_account_view import verified_visit
from ui.views.lookup.page import LookupPage
from ui.views.lookup.plan_change_dialog import PlanChangeDialog


@pytest.fixture
def plan_page(qtbot: Any, services: Any, employees: Any, worker: Any) -> Iterator[LookupPage]:
    p = LookupPage(lookup=services.lookup, verification=services.verification, accounts=services.accounts,
                   customers=services.customers, interactions=services.interactions, sms=services.sms,
                   worker=worker, actor=employees.rep,
                   plan_changes=PlanChangeService(uow=services.uow, today=lambda: TODAY))
    p.resize(1032, 684)
    with qtbot.waitActive(p):
        p.show()
        p.activateWindow()
    yield p
    p.search.cancel()
    qtbot.waitUntil(lambda: worker.pending == 0, timeout=10_000)
    p.close()
    p.deleteLater()


@pytest.fixture
def account(services: Any, employees: Any, make_account: Any) -> Any:
    acct = make_account("Ana", "Lopez", "(206) 555-0142")
    add_plans(services, employees)
    return on_plan_45_billed_on_the_1st(services, employees, acct)


class Keys:
    """Keystrokes sent to whatever has the focus, counted as bursts (one intent each) and confirmations."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot, self.bursts, self.confirmations = qtbot, 0, 0

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier, *,
              confirm: bool = False) -> None:
        target = QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard focus"
        self.qtbot.keyClick(target, key, modifier)
        self.bursts += 1
        self.confirmations += confirm


def _open(qtbot: Any, page: LookupPage, keys: Keys) -> PlanChangeDialog:
    launcher = page.plan_change
    assert launcher is not None
    page.account.focus_first()
    with qtbot.waitSignal(launcher.opened, timeout=5_000) as opened:
        keys.press(Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    dialog = opened.args[0]
    assert isinstance(dialog, PlanChangeDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.panel.plans, timeout=5_000)
    return dialog


def _line(services: Any, line_id: Any) -> tuple[str, list[str]]:
    with services.uow.read() as s:
        line = s.get(Line, line_id)
        return line.plan_code, json.loads(line.features)


def test_change_plan_now_by_keyboard(qtbot: Any, plan_page: LookupPage, services: Any, employees: Any,
                                     account: Any) -> None:
    verified_visit(qtbot, plan_page, services, employees, account, account.customer_id)
    keys = Keys(qtbot)
    dialog = _open(qtbot, plan_page, keys)
    panel = dialog.panel
    assert "line ending 0142" in panel.title.text() and not panel.apply.isEnabled()
    keys.press(Qt.Key.Key_Down)  # Talk & Text 45 (current) -> Unlimited 60
    qtbot.waitUntil(lambda: dialog.flow.step is Step.PREVIEWED, timeout=5_000)
    assert dialog.flow.selection.plan_code == "PLAN-60"
    assert panel.credit.text().startswith("−$30.00") and panel.charge.text().startswith("$40.00")
    assert panel.net.text() == "$10.00" and panel.apply.isEnabled()
    assert "Dec 01" in panel.next_bill.text()
    keys.press(Qt.Key.Key_Return, confirm=True)  # Apply
    qtbot.waitUntil(lambda: dialog.flow.step is Step.APPLIED, timeout=5_000)
    assert panel.done.text().startswith("Changed to Unlimited 60 from today")
    with qtbot.waitSignal(plan_page.verified, timeout=5_000):  # closing reloads the account view
        keys.press(Qt.Key.Key_Return)
    assert _line(services, account.line_ids[0]) == ("PLAN-60", [])
    assert any("Unlimited 60" in t for t in visible_texts(plan_page.account.lines.table))
    print(f"\nplan change now: {keys.bursts} keystroke bursts, {keys.confirmations} confirmation")
    assert (keys.bursts, keys.confirmations) == (4, 1)


def test_change_features_at_next_cycle_by_keyboard(qtbot: Any, plan_page: LookupPage, services: Any,
                                                   employees: Any, account: Any) -> None:
    verified_visit(qtbot, plan_page, services, employees, account, account.customer_id)
    keys = Keys(qtbot)
    dialog = _open(qtbot, plan_page, keys)
    panel = dialog.panel
    keys.press(Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # the features list
    assert QApplication.focusWidget() is panel.features
    keys.press(Qt.Key.Key_Space)  # tick the first feature
    qtbot.waitUntil(lambda: dialog.flow.step is Step.PREVIEWED, timeout=5_000)
    ticked = dialog.flow.selection.features
    assert len(ticked) == 1
    keys.press(Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)  # at next cycle
    qtbot.waitUntil(lambda: dialog.flow.step is Step.PREVIEWED
                    and dialog.flow.selection.timing.value == "next_cycle", timeout=5_000)
    assert panel.credit.text().startswith("−$0.00") and panel.effective.text() == "Dec 01, 2026"
    keys.press(Qt.Key.Key_Return, confirm=True)
    qtbot.waitUntil(lambda: dialog.flow.step is Step.APPLIED, timeout=5_000)
    assert panel.done.text().startswith("Scheduled: Talk & Text 45 on Dec 01, 2026")
    with qtbot.waitSignal(plan_page.verified, timeout=5_000):
        keys.press(Qt.Key.Key_Escape)
    assert _line(services, account.line_ids[0]) == ("PLAN-45", [])  # nothing changes before the cycle
    with services.uow.read() as s:
        row = s.scalars(select(PlanChange)).one()
        assert row.status is PlanChangeStatus.SCHEDULED and json.loads(row.new_features) == list(ticked)
    print(f"\nplan change at next cycle: {keys.bursts} keystroke bursts, {keys.confirmations} confirmation")


def test_the_action_is_disabled_without_the_service(qtbot: Any, page: LookupPage, services: Any, employees: Any,
                                                    make_account: Any) -> None:
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    verified_visit(qtbot, page, services, employees, ana, ana.customer_id)
    button = page.account.lines.change_plan
    assert not button.isEnabled() and button.toolTip() == "Plan changes are not available here."
