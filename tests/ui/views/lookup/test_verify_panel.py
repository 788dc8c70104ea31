"""The verification step: one-time code with the SMS simulator box, failures and lockout inline, text-only
accounts, and no simulator box with a real gateway."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from posapp.adapters.sms import SimulatedSmsGateway
from posapp.db.models import OneTimeCode
from posapp.errors import PosError
from posapp.services.verification import VerificationService
from tests.ui.views.lookup.conftest import PIN, code_in, visible_texts
from ui.views.lookup.sms_box import TITLE
from ui.views.lookup.verify_panel import VerifyPanel
from ui.worker import DbWorker

CTRL = Qt.KeyboardModifier.ControlModifier


def start(qtbot, page, text):
    qtbot.keyClicks(page.search.field, text)
    qtbot.waitUntil(lambda: page.search.is_current, timeout=5_000)
    with qtbot.waitSignal(page.visit_started, timeout=5_000) as started:
        page.results.pick_current()
    return started.args[0]


def test_one_time_code_with_the_sms_simulator_box(qtbot, page, make_account, services):
    ana = make_account("Ana", "Lopez", "(206) 555-0142", lines=2)
    start(qtbot, page, "Ana Lopez")
    panel = page.verify
    assert [panel.line.itemText(i) for i in range(panel.line.count())] == [
        f"•••-•••-{m[-4:]}" for m in sorted(ana.msisdns)]
    assert panel.simulator.isHidden()
    with qtbot.waitSignal(panel.visit_changed, timeout=5_000):
        qtbot.keyClick(panel.id_type, Qt.Key.Key_I, CTRL)
    qtbot.keyClick(panel, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(panel.simulator.isVisible, timeout=5_000)
    assert panel.simulator.title.text() == TITLE == "SMS SIMULATOR — demo only"
    assert "SIMULATOR" in panel.simulator.label.text()
    assert panel.code.hasFocus() and "Sent to •••-•••-" in panel.code_state.text()
    code = code_in(panel.simulator.text.text())
    assert services.sms.sent()[-1].text == panel.simulator.text.text()
    qtbot.keyClicks(panel.code, code)
    with qtbot.waitSignal(page.verified, timeout=5_000) as verified:
        qtbot.keyClick(panel.code, Qt.Key.Key_Return)
    assert verified.args[0].code_verified and verified.args[0].level.value == "verified"
    assert page.step == "account"


def test_step_up_adds_the_pin_to_a_code_verified_visit(qtbot, page, make_account):
    make_account("Ana", "Lopez", "(206) 555-0142")
    start(qtbot, page, "Ana Lopez")
    panel = page.verify
    with qtbot.waitSignal(panel.visit_changed, timeout=5_000):
        panel.id_match.click()
    panel.send.click()
    qtbot.waitUntil(panel.simulator.isVisible, timeout=5_000)
    panel.code.setText(code_in(panel.simulator.text.text()))
    with qtbot.waitSignal(page.verified, timeout=5_000):
        panel.check_code.click()
    assert page.account.step_up.isVisible()
    qtbot.keyClick(page.account.lines.table, Qt.Key.Key_U, CTRL)
    assert page.step == "verify" and panel.back.text().startswith("Back to account")
    assert not panel.id_match.isEnabled() and not panel.send.isEnabled()  # done already
    qtbot.keyClick(panel, Qt.Key.Key_P, CTRL)
    qtbot.keyClicks(panel.pin, PIN)
    with qtbot.waitSignal(page.verified, timeout=5_000) as verified:
        qtbot.keyClick(panel.pin, Qt.Key.Key_Return)
    assert verified.args[0].level.value == "step_up"
    qtbot.waitUntil(lambda: page.step == "account", timeout=5_000)
    assert page.account.badge.text() == "Step-up verified" and not page.account.step_up.isVisible()


def test_wrong_pin_then_lockout_is_shown_inline(qtbot, page, make_account):
    make_account("Ana", "Lopez", "(206) 555-0142")
    start(qtbot, page, "Ana Lopez")
    panel = page.verify
    for attempt in range(1, 6):
        panel.pin.setText("111111")
        panel.check_pin.click()
        assert panel.pin.text() == ""  # a PIN never stays in the field
        qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=10_000)
        if attempt < 5:
            assert "wrong PIN" in panel.error.text() and f"{5 - attempt} tries left" in panel.error.text()
            panel.error.hide()
    assert "locked" in panel.error.text()
    assert not panel.pin.isEnabled() and not panel.id_match.isEnabled() and not panel.send.isEnabled()
    assert panel.badge.text() == "Not verified" and page.step == "verify"


def test_a_locked_account_says_so_when_the_visit_starts(qtbot, page, make_account, services, employees):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    earlier = services.verification.start_visit(employees.rep, account_id=ana.account_id,
                                                customer_id=ana.customer_id)
    for _ in range(5):
        with pytest.raises(PosError):  # a wrong PIN, then the lockout
            services.verification.check_pin(employees.rep, earlier.id, "111111")
    start(qtbot, page, "Ana Lopez")
    assert page.verify.error.isVisible() and "locked" in page.verify.error.text()
    assert not page.verify.pin.isEnabled()


def test_recent_account_warns_code_by_text_only(qtbot, page, make_account):
    make_account("Ana", "Lopez", "(206) 555-0142", opened_days_ago=5)
    start(qtbot, page, "Ana Lopez")
    panel = page.verify
    assert panel.masked.warning.isVisible() and "code by text only" in panel.masked.warning.text()
    with qtbot.waitSignal(panel.visit_changed, timeout=5_000):
        panel.id_match.click()
    panel.pin.setText(PIN)
    with qtbot.waitSignal(panel.visit_changed, timeout=5_000):
        panel.check_pin.click()
    assert panel.info.isVisible() and "one-time code" in panel.info.text()
    assert page.step == "verify" and panel.badge.text() == "Not verified"


def test_photo_id_mismatch_is_a_failure_and_never_asks_for_the_id_number(qtbot, page, make_account):
    make_account("Ana", "Lopez", "(206) 555-0142")
    start(qtbot, page, "Ana Lopez")
    panel = page.verify
    panel.id_mismatch.click()
    qtbot.waitUntil(panel.error.isVisible, timeout=5_000)
    assert "ID did not match" in panel.error.text()
    assert all("number" not in w.lower() or "ID number" in w for w in visible_texts(panel) if "ID" in w)


class RealGateway:
    label = "Carrier SMS"
    is_simulator = False
    configured = True

    def __init__(self):
        self.sent = []
        self.threads = []

    def test_controls(self):
        return None  # a real gateway offers no test controls

    def message(self, message_id):  # a simulator's own method: the panel must never call it
        raise AssertionError("the panel read the gateway's inbox")

    def send(self, to_e164, text):
        self.sent.append((to_e164, text))
        self.threads.append(threading.current_thread().name)
        return "msg-1"


def test_no_simulator_box_with_a_real_gateway(qtbot, services, employees, worker, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    gateway = RealGateway()
    verification = VerificationService(uow=services.uow, sms=gateway)
    panel = VerifyPanel(verification=verification, sms=gateway, worker=worker, actor=lambda: employees.rep)
    qtbot.addWidget(panel)
    visit = verification.start_visit(employees.rep, account_id=ana.account_id, customer_id=ana.customer_id)
    panel.start(visit, services.accounts.screen(employees.rep, visit.id).masked)
    panel.send.click()
    qtbot.waitUntil(lambda: panel.sent is not None, timeout=5_000)
    assert gateway.sent and panel.simulator is None
    assert not any("SIMULATOR" in text for text in visible_texts(panel))


def test_the_gateway_is_called_on_the_device_worker_and_the_outcome_recorded(qtbot, services, employees, worker,
                                                                             make_account, unexpected):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    gateway = RealGateway()
    verification = VerificationService(uow=services.uow, sms=gateway)
    device = DbWorker(on_unexpected=unexpected.append, name="posapp-device")
    try:
        panel = VerifyPanel(verification=verification, sms=gateway, worker=worker, actor=lambda: employees.rep,
                            device_worker=device)
        qtbot.addWidget(panel)
        visit = verification.start_visit(employees.rep, account_id=ana.account_id, customer_id=ana.customer_id)
        panel.start(visit, services.accounts.screen(employees.rep, visit.id).masked)
        panel.send.click()
        qtbot.waitUntil(lambda: panel.sent is not None, timeout=5_000)
    finally:
        device.shutdown(wait=True)
    assert gateway.threads and all(t.startswith("posapp-device") for t in gateway.threads)
    assert panel.sent.message_id == "msg-1" and "Sent to •••-•••-" in panel.code_state.text()
    with services.uow.read() as s:
        assert s.scalars(select(OneTimeCode.sms_message_id)).all() == ["msg-1"]


def test_a_failed_send_is_shown_inline(qtbot, services, employees, worker, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    gateway = SimulatedSmsGateway(fail=True)
    verification = VerificationService(uow=services.uow, sms=gateway)
    panel = VerifyPanel(verification=verification, sms=gateway, worker=worker, actor=lambda: employees.rep)
    qtbot.addWidget(panel)
    visit = verification.start_visit(employees.rep, account_id=ana.account_id, customer_id=ana.customer_id)
    panel.start(visit, services.accounts.screen(employees.rep, visit.id).masked)
    panel.send.click()
    qtbot.waitUntil(lambda: not panel.error.isHidden(), timeout=5_000)
    assert "could not be sent" in panel.error.text() and panel.simulator is not None
    assert panel.simulator.isHidden() and panel.send.isEnabled()


def test_without_an_sms_gateway_the_code_cannot_be_sent(qtbot, services, employees, worker, make_account):
    from posapp.adapters.unconfigured import NoSmsGateway

    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    gateway = NoSmsGateway()
    verification = VerificationService(uow=services.uow, sms=gateway)
    panel = VerifyPanel(verification=verification, sms=gateway, worker=worker, actor=lambda: employees.rep)
    qtbot.addWidget(panel)
    visit = verification.start_visit(employees.rep, account_id=ana.account_id, customer_id=ana.customer_id)
    panel.start(visit, services.accounts.screen(employees.rep, visit.id).masked)
    assert panel.simulator is None and not panel.send.isEnabled()
    assert "No SMS gateway configured" in panel.send.toolTip()
    assert panel.pin.isEnabled() and panel.id_match.isEnabled()
