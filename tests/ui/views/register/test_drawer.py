"""The cash drawer dialog: paid in / out with reasons, a no-sale needs a manager, closing counts denominations and
wants a reason for a variance; the register asks for a float before the first cash tender."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.staff import MANAGER
from ui.views.register.drawer import DrawerDialog


def approve(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.override_dialog is not None and dialog.override_dialog.isVisible(),
                    timeout=5_000)
    o = dialog.override_dialog
    qtbot.keyClicks(o.number, MANAGER.number)
    qtbot.keyClicks(o.pin, MANAGER.pin)
    qtbot.keyClicks(o.reason, "approved at the counter")
    with qtbot.waitSignal(o.granted, timeout=10_000):
        qtbot.keyClick(o.reason, Qt.Key.Key_Return)


def test_paid_in_out_no_sale_and_close_with_a_counted_variance(qtbot, page, services, employees):
    services.register.drawer.open_session(employees.rep, float_cents=10_000)
    page.open_drawer_dialog()
    dialog = page.dialog
    assert isinstance(dialog, DrawerDialog)
    qtbot.waitUntil(lambda: dialog.drawer is not None, timeout=5_000)
    assert "float $100.00" in dialog.status.text()

    dialog.move_amount.setText("20")
    dialog.paid_in.click()
    assert "reason" in dialog.error.text()  # no reason: refused before any call
    dialog.move_reason.setText("change from the bank")
    with qtbot.waitSignal(dialog.changed, timeout=5_000):
        dialog.paid_in.click()
    assert dialog.drawer.expected_cents == 12_000
    dialog.move_amount.setText("5.50")
    dialog.move_reason.setText("window cleaner")
    with qtbot.waitSignal(dialog.changed, timeout=5_000):
        dialog.paid_out.click()
    assert dialog.drawer.expected_cents == 11_450

    dialog.move_reason.setText("customer needed change for parking")
    dialog.no_sale.click()  # NO_SALE: a rep needs a manager
    approve(qtbot, dialog)
    qtbot.waitUntil(lambda: "no sale" in dialog.message.text(), timeout=5_000)

    dialog.counts[10_000].setValue(1)
    dialog.counts[1_000].setValue(1)
    dialog.counts[100].setValue(4)
    assert dialog.counted_cents() == 11_400
    assert "variance -$0.50" in dialog.counted.text()
    dialog.close_drawer.click()  # DRAWER_CLOSE: a manager again ...
    approve(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5_000)
    assert "reason" in dialog.error.text()  # ... and a variance needs a reason
    dialog.variance_reason.setText("two quarters short")
    dialog.close_drawer.click()
    approve(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.drawer is not None and dialog.drawer.status == "closed", timeout=5_000)
    assert dialog.drawer.variance_cents == -50 and dialog.drawer.variance_reason == "two quarters short"
    assert not page.flow.drawer_open and not dialog.paid_in.isEnabled()
    dialog.eod.click()  # a rep may not run the Z report: said plainly
    qtbot.waitUntil(lambda: dialog.error.isVisible() and "may not" in dialog.error.text(), timeout=5_000)
    dialog.accept()
