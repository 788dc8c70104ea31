"""The Activation page in the real app (F4 instead of the coming-soon page) and the account view's entry points."""

from __future__ import annotations

import uuid
from dataclasses import replace

from PySide6.QtCore import Qt

from posapp.domain.account_rules import AccountAction, Decision
from posapp.domain.activation import ActivationKind
from posapp.workflows.activation import NO_VISIT
from tests.helpers.staff import REP
from ui.views.activation.page import ActivationPage
from ui.views.lookup.activation_actions import LineActivationActions


def test_f4_opens_the_activation_page_which_asks_for_a_verified_visit_first(qtbot, make_app, start_ready,
                                                                           sign_in_ui):
    app = make_app()
    start_ready(app)
    sign_in_ui(app, REP)
    window = app.session.main_window
    qtbot.keyClick(window, Qt.Key.Key_F4)
    page = app.session.activation_page
    assert isinstance(page, ActivationPage) and window.current_page_key == "activation"
    assert page.runner.device_worker is app.device_worker
    qtbot.waitUntil(page.kind.list.hasFocus, timeout=5_000)
    assert page.plan.plans.count() > 0  # the catalog's active plans
    qtbot.keyClick(page.kind.list, Qt.Key.Key_1)
    assert page.error.text() == NO_VISIT and page.flow.activation is None
    with qtbot.waitSignal(app.session_ended, timeout=10_000):
        app.session.sign_out()


class _Line:
    """The two fields of a LineView the buttons read."""

    def __init__(self, *, protected: bool) -> None:
        self.id = uuid.uuid4()
        self.sim_protection = protected


def test_the_account_view_buttons_follow_the_decisions_and_ask_for_the_line(qtbot):
    actions = LineActivationActions()
    qtbot.addWidget(actions)
    with qtbot.waitActive(actions):
        actions.show()
        actions.activateWindow()
    assert not actions.add.isEnabled() and actions.add.toolTip() == "Verify the customer first."
    allowed = {a: Decision(True) for a in AccountAction}
    step_up = replace(Decision(False), reason="This needs step-up verification.")
    actions.show_line(None, {**allowed, AccountAction.ADD_LINE: step_up})
    assert not actions.add.isEnabled() and actions.add.toolTip() == "This needs step-up verification."
    assert not actions.upgrade.isEnabled() and actions.upgrade.toolTip() == "Select a line first."
    line = _Line(protected=True)
    actions.show_line(line, allowed)  # type: ignore[arg-type]
    assert actions.add.isEnabled() and actions.upgrade.isEnabled()
    assert not actions.sim.isEnabled() and "SIM protection is on" in actions.sim.toolTip()
    with qtbot.waitSignal(actions.requested) as got:
        qtbot.keyClick(actions, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert got.args == [ActivationKind.UPGRADE, line.id]
    with qtbot.waitSignal(actions.requested) as got:
        actions.add.click()
    assert got.args == [ActivationKind.ADD_LINE, None]
