"""The login window against the real AuthService: errors, lockout, keyboard behaviour."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.helpers.staff import REP
from ui.views.login import LoginWindow


@pytest.fixture
def login(qtbot, worker, services, employees):
    window = LoginWindow(worker=worker)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    with qtbot.waitExposed(window):
        window.show()
    window.set_ready(sign_in=services.auth.sign_in, store_name="Test Store", terminal_id="T09")
    return window


def submit(qtbot, login, number, pin):
    login.number.clear()
    qtbot.keyClicks(login.number, number)
    qtbot.keyClicks(login.pin, pin)
    qtbot.keyClick(login.pin, Qt.Key.Key_Return)


def test_not_ready_means_no_sign_in(qtbot, worker):
    window = LoginWindow(worker=worker)
    qtbot.addWidget(window)
    assert not window.button.isEnabled()
    assert window.note.text() == "Opening database…"
    qtbot.keyClicks(window.number, "1001")
    qtbot.keyClicks(window.pin, "2580")
    window.submit()
    assert not window.error.isVisible() and worker.pending == 0


def test_fields_are_digits_only_and_the_pin_is_masked(qtbot, login):
    qtbot.keyClicks(login.number, "10a0-1")
    qtbot.keyClicks(login.pin, "2x5 80")
    assert login.number.text() == "1001"
    assert login.pin.text() == "2580"
    assert login.pin.echoMode() == QLineEdit.EchoMode.Password
    assert login.number.echoMode() == QLineEdit.EchoMode.Normal


def test_keyboard_order_and_enter(qtbot, login):
    with qtbot.waitActive(login):
        login.activateWindow()
    login.number.setFocus()
    assert login.focusWidget() is login.number
    qtbot.keyClicks(login.number, REP.number)
    qtbot.keyClick(login.number, Qt.Key.Key_Return)  # Enter with an empty PIN moves on to the PIN
    assert login.focusWidget() is login.pin
    qtbot.keyClick(login.pin, Qt.Key.Key_Tab)
    assert login.focusWidget() is login.button
    assert login.store_label.text() == "Test Store"
    assert login.terminal_label.text() == "Terminal T09"


def test_enter_signs_in(qtbot, login):
    with qtbot.waitSignal(login.signed_in, timeout=10_000) as signed:
        submit(qtbot, login, REP.number, REP.pin)
    actor = signed.args[0]
    assert actor.number == REP.number and actor.name == REP.name
    assert login.pin.text() == ""


def test_wrong_pin_shows_a_clear_error_and_clears_the_pin(qtbot, login, worker):
    submit(qtbot, login, REP.number, "9999")
    qtbot.waitUntil(lambda: login.error.isVisible(), timeout=10_000)
    assert login.error.text() == "Employee number or PIN is not right. 4 more tries before lockout."
    assert login.pin.text() == ""
    assert login.button.isEnabled() and login.button.text() == "Sign in"


def test_unknown_employee_gets_the_same_message(qtbot, login):
    submit(qtbot, login, "4444", "2580")
    qtbot.waitUntil(lambda: login.error.isVisible(), timeout=10_000)
    assert login.error.text() == "Employee number or PIN is not right."


def test_empty_pin_is_caught_before_the_service(qtbot, login, worker):
    qtbot.keyClicks(login.number, REP.number)
    login.submit()
    assert login.error.text() == "Enter your PIN."
    assert worker.pending == 0


def test_lockout_after_the_configured_failures(qtbot, login, services):
    failures = services.settings.current().max_pin_failures
    for attempt in range(1, failures + 1):
        submit(qtbot, login, REP.number, "9999")
        qtbot.waitUntil(lambda: login.error.isVisible() and login.button.isEnabled(), timeout=10_000)
        if attempt < failures:
            assert f"{failures - attempt} more tries before lockout" in login.error.text()
    assert login.error.text().startswith("Too many wrong PINs. This employee is locked until")
    # now even the right PIN is refused
    submit(qtbot, login, REP.number, REP.pin)
    qtbot.waitUntil(lambda: login.button.isEnabled(), timeout=10_000)
    assert login.error.text().startswith("Too many wrong PINs.")
    with pytest.raises(Exception, match="locked"):
        services.auth.sign_in(REP.number, REP.pin)


def test_typing_clears_the_error(qtbot, login):
    login.show_error("Something")
    qtbot.keyClicks(login.pin, "1")
    assert not login.error.isVisible()


def test_set_unavailable_turns_sign_in_off(qtbot, login):
    login.set_unavailable("The database could not be opened.")
    assert not login.button.isEnabled()
    assert login.note.text() == "The database could not be opened."
