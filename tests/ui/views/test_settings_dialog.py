"""The settings dialog, built from posapp.config.SPECS, saving through SettingsService.update."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

from posapp.config import SPECS
from ui.views.settings_dialog import SettingsDialog


@pytest.fixture
def make_dialog(qtbot, worker, services, employees):
    def make(actor):
        settings = services.settings
        d = SettingsDialog(specs=SPECS, values=settings.current().as_dict(),
                           save=lambda changes: settings.update(actor, changes), worker=worker)
        qtbot.addWidget(d)
        with qtbot.waitExposed(d):
            d.open()
        return d

    return make


def test_one_typed_editor_per_setting(make_dialog, employees):
    dialog = make_dialog(employees.admin)
    assert set(dialog.editors) == {s.key for s in SPECS}
    for spec in SPECS:
        editor = dialog.editors[spec.key]
        if spec.kind is bool:
            assert isinstance(editor, QCheckBox)
        elif spec.choices:
            assert isinstance(editor, QComboBox)
            assert [editor.itemText(i) for i in range(editor.count())] == list(spec.choices)
        elif spec.kind is int:
            assert isinstance(editor, QSpinBox)
            assert (editor.minimum(), editor.maximum()) == (spec.minimum, spec.maximum)
        else:
            assert isinstance(editor, QLineEdit)
    assert dialog.editors["store_name"].text() == "Demo Wireless — Pike St"
    assert dialog.editors["idle_lock_minutes"].value() == 5
    assert dialog.changes() == {}


def test_bad_value_is_shown_inline_and_nothing_is_saved(qtbot, make_dialog, employees, services):
    dialog = make_dialog(employees.admin)
    dialog.editors["store_timezone"].setText("Mars/Olympus_Mons")
    dialog.editors["idle_lock_minutes"].setValue(9)
    dialog.submit()
    problem = dialog.field_errors["store_timezone"]
    qtbot.waitUntil(problem.isVisible, timeout=10_000)
    assert "unknown time zone 'Mars/Olympus_Mons'" in problem.text()
    assert dialog.error.text() == "Not saved. Fix the marked setting and save again."
    assert dialog.editors["store_timezone"].property("invalid") is True
    assert dialog.isVisible()
    assert services.settings.current().store_timezone == "America/Los_Angeles"
    assert services.settings.current().idle_lock_minutes == 5  # all or nothing


def test_good_values_are_saved(qtbot, make_dialog, employees, services):
    dialog = make_dialog(employees.admin)
    dialog.editors["idle_lock_minutes"].setValue(7)
    dialog.editors["store_name"].setText("Demo Wireless — Westlake")
    dialog.editors["receipt_format"].setCurrentText("letter")
    dialog.editors["customer_display"].setChecked(False)
    assert dialog.changes() == {"idle_lock_minutes": 7, "store_name": "Demo Wireless — Westlake",
                                "receipt_format": "letter", "customer_display": False}
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save_button.click()
    assert saved.args[0].idle_lock_minutes == 7
    current = services.settings.current()
    assert (current.idle_lock_minutes, current.store_name, current.receipt_format, current.customer_display) == (
        7, "Demo Wireless — Westlake", "letter", False)
    assert not dialog.isVisible()


def test_after_a_fix_the_error_goes_away(qtbot, make_dialog, employees, services):
    dialog = make_dialog(employees.admin)
    dialog.editors["store_id"].setText("bad id")
    dialog.submit()
    qtbot.waitUntil(dialog.field_errors["store_id"].isVisible, timeout=10_000)
    assert "use 2–10 capital letters or digits" in dialog.field_errors["store_id"].text()
    dialog.editors["store_id"].setText("S002")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.submit()
    assert services.settings.current().store_id == "S002"


def test_the_service_refuses_a_non_admin_even_if_the_dialog_is_shown(qtbot, make_dialog, employees, services):
    dialog = make_dialog(employees.manager)
    dialog.editors["idle_lock_minutes"].setValue(30)
    dialog.submit()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.error.text().startswith("Not saved. ")
    assert "settings.edit" in dialog.error.text()
    assert services.settings.current().idle_lock_minutes == 5


def test_no_changes_just_closes(qtbot, make_dialog, employees, worker):
    dialog = make_dialog(employees.admin)
    with qtbot.waitSignal(dialog.accepted):
        dialog.submit()
    assert worker.pending == 0


def test_escape_cancels_without_saving(qtbot, make_dialog, employees, services):
    from PySide6.QtCore import Qt

    dialog = make_dialog(employees.admin)
    dialog.editors["idle_lock_minutes"].setValue(11)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert services.settings.current().idle_lock_minutes == 5
