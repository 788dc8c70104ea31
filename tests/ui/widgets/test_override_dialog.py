"""The manager-override dialog against the real AuthService.manager_override."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from posapp.security.permissions import Permission
from posapp.services.dto import SYSTEM_ACTOR
from tests.helpers.staff import ADMIN, MANAGER, REP
from ui.widgets.override_dialog import OverrideDialog


@pytest.fixture
def dialog(qtbot, worker, services, employees):
    d = OverrideDialog(actor=employees.rep, permission=Permission.REFUND, action="Refund $120.00 on receipt 42",
                       auth=services.auth, worker=worker)
    qtbot.addWidget(d)
    with qtbot.waitExposed(d):
        d.open()
    return d


def fill(qtbot, dialog, number, pin, reason):
    for field, text in ((dialog.number, number), (dialog.pin, pin), (dialog.reason, reason)):
        field.clear()
        qtbot.keyClicks(field, text)


def test_a_manager_grants_and_the_override_comes_back(qtbot, dialog, employees, services):
    fill(qtbot, dialog, MANAGER.number, MANAGER.pin, "customer changed their mind")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # Enter = Approve
    override = dialog.override
    assert override is not None
    assert override.manager_number == MANAGER.number
    assert override.permission == Permission.REFUND.value
    assert override.reason == "customer changed their mind"
    # the returned DTO is what the services accept inside the rep's action
    services.uow.check(employees.rep, Permission.REFUND, override)


def test_another_rep_cannot_approve(qtbot, dialog, services):
    services.employees.add(SYSTEM_ACTOR, number="1002", name="Sam Second", role="rep", pin="3579")
    fill(qtbot, dialog, "1002", "3579", "please")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text() == f"Employee #1002 cannot approve {Permission.REFUND.value}."
    assert dialog.isVisible() and dialog.override is None


def test_unknown_manager_number(qtbot, dialog):
    fill(qtbot, dialog, "5555", "3579", "please")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text() == "Employee number or PIN is not right."


def test_an_admin_without_the_permission_is_refused(qtbot, dialog):
    fill(qtbot, dialog, ADMIN.number, ADMIN.pin, "please")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text() == f"Employee #{ADMIN.number} cannot approve {Permission.REFUND.value}."
    assert dialog.override is None and dialog.isVisible()
    assert dialog.pin.text() == ""


def test_wrong_manager_pin(qtbot, dialog):
    fill(qtbot, dialog, MANAGER.number, "9999", "please")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text().startswith("Employee number or PIN is not right.")
    assert dialog.override is None


def test_own_number_is_refused(qtbot, dialog):
    fill(qtbot, dialog, REP.number, REP.pin, "please")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text() == "A manager cannot approve their own action."


def test_reason_is_required_before_asking_the_service(qtbot, dialog, worker):
    fill(qtbot, dialog, MANAGER.number, MANAGER.pin, "   ")
    dialog.submit()
    assert dialog.error.text() == "Give a reason for the override."
    assert worker.pending == 0


def test_escape_cancels_with_no_override(qtbot, dialog):
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.override is None


def test_pin_is_masked(dialog):
    from PySide6.QtWidgets import QLineEdit

    assert dialog.pin.echoMode() == QLineEdit.EchoMode.Password
