"""The register as a rep uses it: scan → card on the (simulated) terminal → the customer signs on the customer
window → complete → a receipt PDF read back with pdftotext (issue 4's pytest-qt flow)."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from posapp.adapters.payment_terminal import TEST_CARDS
from posapp.domain.money import format_cents
from tests.helpers.register import CASE_UPC, CHARGER_UPC, terminal
from tests.ui.views.register.conftest import draw_signature, scan

CTRL = Qt.KeyboardModifier.ControlModifier


def test_scan_card_sign_on_the_customer_window_complete_and_read_the_receipt(qtbot, page, display, services,
                                                                            stocked):
    assert page.cart.scan.hasFocus()
    scan(qtbot, page, CASE_UPC)
    scan(qtbot, page, CHARGER_UPC)
    scan(qtbot, page, stocked.imeis[0])
    sale = page.sale
    assert [x.imei for x in sale.lines] == [None, None, stocked.imeis[0]]
    assert page.cart.table.rowCount() == 3 and stocked.imeis[0] in " ".join(page.cart.table.texts())
    assert display.mode == "cart" and display.cart.total.text() == format_cents(sale.due_cents)
    assert not page.complete_panel.button.isEnabled()

    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F10)
    assert page.tender.form == "card" and page.tender.card.badge.text() == "SIMULATED TERMINAL"
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        qtbot.keyClick(page.tender.card.amount, Qt.Key.Key_Return)
    card = page.tender.card.tender
    assert card is not None and card.state == "approved", page.tender.card.state.text()
    assert page.sale.remaining_cents == 0

    # a device and a card payment: the customer must sign; Complete says why it is disabled
    qtbot.waitUntil(lambda: page.flow.signature_required, timeout=10_000)
    assert not page.complete_panel.button.isEnabled()
    assert "signature" in page.complete_panel.reason.text() and page.complete_panel.reason.isVisible()
    assert display.mode == "consent"
    assert display.consent.text.text() == services.register.signatures.consent_text()
    display.consent.accept_button.click()
    assert display.mode == "signature" and not display.pad.accept_button.isEnabled()
    draw_signature(qtbot, display.pad.canvas)
    assert len(display.pad.strokes) == 2 and display.pad.accept_button.isEnabled()
    qtbot.mouseClick(display.pad.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.flow.signed, timeout=10_000)
    stored = services.register.signatures.current(sale.id)
    assert stored is not None and len(stored.strokes) == 2
    assert all(0 <= x <= 1 and 0 <= y <= 1 for s in stored.strokes for x, y, _t in s)
    assert page.complete_panel.button.isEnabled()

    with qtbot.waitSignal(page.receipt_ready, timeout=20_000) as ready:
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return, CTRL)
    pdf = ready.args[0]
    done = page.receipt
    assert done is not None and done.status == "completed" and done.receipt_no
    assert pdf.exists() and page.receipt_panel.number.text() == f"Receipt {done.receipt_no}"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert format_cents(done.due_cents) in text
    assert "1111" in text  # the simulator's Visa: last 4 only
    assert "Customer signature" in text and "Signed electronically" in text  # the strokes drawn on the pad
    printed = services.receipts.receipt_for(done.receipt_no).signature
    assert printed is not None and len(printed.strokes) == 2
    for card_no in (c.pan for c in TEST_CARDS.values()):
        assert card_no not in text.replace(" ", "")
    assert display.mode == "message" and done.receipt_no in display.text.text()
    assert terminal(services).charges[card.idempotency_key] == 1

    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F12)
    assert page.sale is None and page.cart.table.rowCount() == 0 and display.mode == "idle"
    assert page.cart.scan.hasFocus()


def test_a_cash_sale_from_the_keyboard_alone_and_how_many_steps_it_takes(qtbot, page, services):
    """Every key goes to the widget that has the focus: the rep never reaches for the mouse. Prints the count."""
    steps: list[str] = []

    def press(k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        steps.append(k.name)
        qtbot.keyClick(QApplication.focusWidget(), k, mods)

    def type_text(text: str) -> None:
        steps.append(f"type {text}")
        qtbot.keyClicks(QApplication.focusWidget(), text)

    assert QApplication.focusWidget() is page.cart.scan
    type_text(CASE_UPC)
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        press(Qt.Key.Key_Return)
    press(Qt.Key.Key_F9)  # cash: no drawer session yet, the float dialog asks first (Enter takes $200.00)
    qtbot.waitUntil(lambda: page.dialog is not None and QApplication.focusWidget() is page.dialog.amount,
                    timeout=5_000)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.tender.form == "cash" and page.tender.cash.tendered.hasFocus(), timeout=5_000)
    type_text("50")
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        press(Qt.Key.Key_Return)
    assert page.tender.change.text() == "$16.91"
    qtbot.waitUntil(lambda: page.complete_panel.button.isEnabled() and page.cart.scan.hasFocus(), timeout=5_000)
    with qtbot.waitSignal(page.receipt_ready, timeout=20_000):
        press(Qt.Key.Key_Return)  # Enter in the empty scan field completes
    assert page.receipt is not None and page.receipt.status == "completed"
    with qtbot.waitSignal(page.sale_changed, timeout=5_000):
        press(Qt.Key.Key_F12)
    assert page.sale is None and page.cart.scan.hasFocus()
    print(f"\nkeyboard-only cash sale (scan, float, cash with change, complete, new sale): {len(steps)} steps: "
          + ", ".join(steps))
    assert len(steps) == 8
