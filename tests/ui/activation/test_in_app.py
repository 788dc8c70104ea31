"""The Activation page in the real app (F4 instead of the coming-soon page) and the account view's entry points."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt

from posapp.db.models import Account, Line, Plan
from posapp.domain.account_rules import AccountAction, Decision
from posapp.domain.activation import ActivationKind
from posapp.domain.enums import LineStatus, PlanKind
from posapp.services.customers import CustomerDraft
from posapp.services.registry import Services
from posapp.workflows.activation import NO_VISIT, ActivationStep
from tests.helpers.accounts import ACCOUNT_PIN
from tests.helpers.staff import REP
from tests.services.activation.builder import iccid
from ui.views.activation.page import ActivationPage
from ui.views.activation.plan_panel import NO_PLANS
from ui.views.lookup.activation_actions import LineActivationActions
from ui.views.lookup.page import LookupPage


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
    # the plans sold, read on the DB worker: this fresh database has none yet, and the plan step says so
    qtbot.waitUntil(lambda: page.plan.error.text() == NO_PLANS, timeout=5_000)
    assert page.plan.plans.count() == 0
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


def _account_in(paths: Any) -> str:
    """An account with one line in the app's (not yet open) data folder; returns the holder's phone digits."""
    services = Services.open(paths)
    try:
        rep = services.auth.sign_in(REP.number, REP.pin)
        created = services.customers.create(
            rep, CustomerDraft(first_name="Ana", last_name="Lopez", phone="(206) 555-0142", address_line1="1 Main St",
                               city="Seattle", state="WA", postal_code="98101", account_pin=ACCOUNT_PIN),
            confirmed_new=True)
        with services.uow.write(rep) as tx:
            acct = tx.session.get(Account, created.account_id)
            assert acct is not None
            acct.opened_at = tx.now - timedelta(days=400)  # the PIN counts (not a new account)
            if tx.session.get(Plan, "UNL-PLUS") is None:
                tx.add(Plan(code="UNL-PLUS", name="Unlimited Plus", kind=PlanKind.POSTPAID, monthly_cents=6000,
                            data_gb=None, hotspot_gb=50, active=True))
            tx.add(Line(account_id=acct.id, msisdn="+12065550142", plan_code="UNL-PLUS", status=LineStatus.ACTIVE,
                        sim_protection=False, port_out_protection=False, iccid=iccid(1), eid=None,
                        activated_at=tx.now - timedelta(days=200)))
        return "2065550142"
    finally:
        services.close()


def test_add_a_line_in_the_account_view_opens_f4_on_the_verified_visit(qtbot, make_app, start_ready, sign_in_ui,
                                                                      seeded_paths):
    phone = _account_in(seeded_paths)
    app = make_app()
    start_ready(app)
    sign_in_ui(app, REP)
    window, page = app.session.main_window, app.session.activation_page
    lookup = window.stack.widget(0)
    assert isinstance(lookup, LookupPage) and isinstance(page, ActivationPage)
    lookup.search.field.setText(phone)
    qtbot.waitUntil(lambda: lookup.search.is_current, timeout=10_000)
    lookup.results.pick_current()
    qtbot.waitUntil(lambda: lookup.step == "verify", timeout=10_000)
    lookup.verify.id_match.click()
    qtbot.waitUntil(lambda: lookup.verify.visit is not None and lookup.verify.visit.photo_id_type is not None,
                    timeout=10_000)
    lookup.verify.send.click()
    qtbot.waitUntil(lambda: lookup.verify.sent is not None, timeout=10_000)
    controls, sent = app.services.sms.test_controls(), lookup.verify.sent
    found = re.search(r"\b(\d{6})\b", controls.message_text(sent.message_id) or "")
    assert found is not None
    lookup.verify.pin.setText(ACCOUNT_PIN)
    lookup.verify.check_pin.click()
    qtbot.waitUntil(lambda: lookup.step == "account", timeout=10_000)
    assert not lookup.account.lines.activation.add.isEnabled()  # adding a line needs step-up
    lookup.account.step_up_requested.emit()  # Ctrl+U
    qtbot.waitUntil(lambda: lookup.step == "verify", timeout=10_000)
    lookup.verify.code.setText(found.group(1))
    lookup.verify.check_code.click()
    qtbot.waitUntil(lambda: lookup.step == "account" and lookup.visit is not None
                    and lookup.visit.level.value == "step_up", timeout=10_000)
    visit = lookup.visit
    assert visit is not None and visit.level.value == "step_up" and page.flow.visit_id == visit.id
    buttons = lookup.account.lines.activation
    qtbot.waitUntil(buttons.add.isEnabled, timeout=5_000)
    buttons.add.click()
    qtbot.waitUntil(lambda: page.flow.step is ActivationStep.DEVICE and not page.flow.busy, timeout=10_000)
    assert window.current_page_key == "activation" and page.flow.kind is ActivationKind.ADD_LINE
    assert page.flow.activation is not None and page.flow.activation.visit_id == visit.id
    page.ctl.cancel()
    qtbot.waitUntil(lambda: page.flow.activation is None and not page.flow.busy, timeout=10_000)
