"""The Register page, keyboard first: cash with change, the card terminal's timeout and re-query (never a second
charge), Complete disabled until the customer signs, quantities / removal / discounts (with a manager's override
above the limit) from the keyboard, refunds, reprints, printing and saving the receipt PDF."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from posapp.domain.money import format_cents
from tests.helpers.register import CASE_UPC, CHARGER_UPC, terminal
from tests.helpers.staff import MANAGER
from tests.ui.views.register.conftest import draw_signature, make_page, scan
from ui.views.register.dialogs import DiscountDialog, PriceDialog, SignatureDialog
from ui.views.register.drawer import FloatDialog
from ui.views.register.receipt_panel import print_pdf
from ui.views.register.refund import RefundDialog
from ui.views.register.tender import UNKNOWN_TEXT

CTRL = Qt.KeyboardModifier.ControlModifier
CASE_TOTAL = 3309  # $29.99 + WA 6.5 % ($1.95) + Seattle 3.85 % ($1.15)


def open_drawer_when_asked(qtbot, page):
    """F9 with no drawer session: the float dialog comes first (default $200.00, Enter opens the drawer)."""
    qtbot.waitUntil(lambda: isinstance(page.dialog, FloatDialog), timeout=5_000)
    dialog = page.dialog
    assert dialog.amount.text() == "200.00"
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.tender.form == "cash" and page.tender.cash.tendered.hasFocus(), timeout=5_000)


def approve_override(qtbot, page):
    qtbot.waitUntil(lambda: page.override_dialog is not None, timeout=5_000)
    dialog = page.override_dialog
    qtbot.keyClicks(dialog.number, MANAGER.number)
    qtbot.keyClicks(dialog.pin, MANAGER.pin)
    qtbot.keyClicks(dialog.reason, "customer goodwill")
    with qtbot.waitSignal(dialog.granted, timeout=10_000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)


def pay_cash_and_complete(qtbot, page, tendered: str = ""):
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F9)
    if not page.flow.drawer_open:
        open_drawer_when_asked(qtbot, page)
    if tendered:
        qtbot.keyClicks(page.tender.cash.tendered, tendered)
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        qtbot.keyClick(page.tender.cash.tendered, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.complete_panel.button.isEnabled(), timeout=5_000)
    with qtbot.waitSignal(page.receipt_ready, timeout=20_000) as ready:
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)  # Enter in the empty scan field completes a paid sale
    return ready.args[0]


def test_cash_opens_the_drawer_first_and_shows_the_change_big(qtbot, page, services):
    scan(qtbot, page, CASE_UPC)
    assert page.totals.total.text() == format_cents(CASE_TOTAL) and page.totals.due.text() == "$33.09"
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F9)
    open_drawer_when_asked(qtbot, page)
    cash = page.tender.cash
    qtbot.waitUntil(cash.tendered.hasFocus)
    assert cash.amount.text() == "33.09"
    qtbot.keyClicks(cash.tendered, "50")
    assert cash.change.text() == "$16.91"
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        qtbot.keyClick(cash.tendered, Qt.Key.Key_Return)
    assert page.tender.form == "choose" and page.tender.change.text() == "$16.91"
    assert page.tender.change_box.isVisible()
    assert page.sale.remaining_cents == 0 and page.totals.due.text() == "$0.00"
    qtbot.waitUntil(page.complete_panel.button.isEnabled, timeout=5_000)
    assert not page.flow.signature_required  # an accessory paid in cash under the threshold: no signature
    assert page.cart.scan.hasFocus()
    with qtbot.waitSignal(page.receipt_ready, timeout=20_000):
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return, CTRL)
    assert page.receipt.status == "completed"
    assert page.receipt_panel.change.text() == "$16.91" and page.receipt_panel.change.isVisible()
    assert services.register.drawer.current(page._actor).expected_cents == 20_000 + CASE_TOTAL


def test_card_timeout_shows_unknown_and_the_requery_settles_it_without_a_second_charge(qtbot, page, services):
    scan(qtbot, page, CASE_UPC)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F10)
    card = page.tender.card
    card.auto_requery_ms = None  # the button, not the timer, in this test
    card.amount.setText("10.57")  # the simulator times out on cents 57 (the charge did go through)
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        qtbot.keyClick(card.amount, Qt.Key.Key_Return)
    tender = card.tender
    assert tender.state == "unknown" and UNKNOWN_TEXT in card.state.text()
    assert card.requery_button.isVisible() and not card.charge_button.isEnabled()
    assert page.sale.open_tender_cents == 1057 and not page.complete_panel.button.isEnabled()
    assert "not settled" in page.flow.why_not_complete()
    page.start_tender("cash")  # no other tender while the terminal's answer is unknown
    assert page.tender.form == "card" and "terminal" in page.cart.error.text()
    sim = terminal(services)
    assert sim.charges[tender.idempotency_key] == 1 and sim.calls[tender.idempotency_key] == 1

    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        qtbot.mouseClick(card.requery_button, Qt.MouseButton.LeftButton)
    assert card.tender.id == tender.id and card.tender.state == "approved"
    assert sim.charges[tender.idempotency_key] == 1 and sim.calls[tender.idempotency_key] == 1
    assert page.sale.paid_cents == 1057 and page.sale.remaining_cents == CASE_TOTAL - 1057
    assert len([t for t in page.sale.tenders if t.kind == "card"]) == 1


def test_an_unknown_card_tender_is_asked_again_automatically(qtbot, page, services):
    scan(qtbot, page, CASE_UPC)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F10)
    card = page.tender.card
    card.auto_requery_ms = 50
    card.amount.setText("10.58")  # times out, and was in fact declined
    qtbot.keyClick(card.amount, Qt.Key.Key_Return)
    assert card.state.property("state") == "pending" and "Pending" in card.state.text()  # until the terminal answers
    assert not card.charge_button.isEnabled() and not card.back_button.isEnabled()
    qtbot.waitUntil(lambda: card.tender is not None and card.tender.state == "declined", timeout=10_000)
    assert "Declined" in card.state.text() and card.charge_button.isEnabled()
    assert page.sale.paid_cents == 0 and page.sale.open_tender_cents == 0
    assert terminal(services).charges[card.tender.idempotency_key] == 0


def test_complete_is_disabled_until_the_customer_signs_on_the_reps_screen_without_a_display(qtbot, page, stocked,
                                                                                            services):
    scan(qtbot, page, stocked.imeis[0])
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F9)
    open_drawer_when_asked(qtbot, page)
    qtbot.keyClicks(page.tender.cash.tendered, "2000")
    qtbot.keyClick(page.tender.cash.tendered, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.flow.signature_required, timeout=10_000)  # a device needs a signature
    assert not page.complete_panel.button.isEnabled()
    assert page.complete_panel.reason.text() == "The customer's signature is required before completing."
    assert page.signature_panel.state.isVisible() and "waiting" in page.signature_panel.state.text()
    page.complete()  # refused in the UI too
    assert page.sale.status == "open" and "signature" in page.cart.error.text()
    qtbot.waitUntil(lambda: isinstance(page.dialog, SignatureDialog), timeout=5_000)
    dialog = page.dialog
    assert dialog.consent.text() == services.register.signatures.consent_text()
    dialog.accept_consent.click()
    assert not dialog.pad.accept_button.isEnabled()
    draw_signature(qtbot, dialog.pad.canvas)
    dialog.pad.accept_button.click()
    qtbot.waitUntil(lambda: page.flow.signed, timeout=10_000)
    assert page.complete_panel.button.isEnabled() and "Signed" in page.signature_panel.state.text()
    with qtbot.waitSignal(page.receipt_ready, timeout=20_000):
        page.complete()
    assert page.receipt.status == "completed"


def test_keyboard_only_quantities_removal_discounts_and_a_managers_override(qtbot, page, services):
    scan(qtbot, page, CASE_UPC)
    scan(qtbot, page, CHARGER_UPC)
    assert page.cart.table.selected_line().sku == "ACC-CHG-20W"  # the new line is selected
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_Up)
    assert page.cart.table.selected_line().sku == "ACC-CASE-CLR-15"
    with qtbot.waitSignal(page.sale_changed, timeout=5_000):
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Plus)
    assert page.sale.lines[0].qty == 2 and page.cart.table.item(0, 1).text() == "2"
    with qtbot.waitSignal(page.sale_changed, timeout=5_000):
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Minus)
    assert page.sale.lines[0].qty == 1 and page.cart.table.selected_line().line_no == 1

    qtbot.keyClick(page.cart.scan, Qt.Key.Key_D, CTRL)
    assert isinstance(page.dialog, DiscountDialog)
    qtbot.keyClicks(page.dialog.field, "10%")
    with qtbot.waitSignal(page.sale_changed, timeout=5_000):
        qtbot.keyClick(page.dialog.field, Qt.Key.Key_Return)
    assert page.sale.lines[0].discount_cents == 300 and page.totals.values["Discounts"] == "-$3.00"
    qtbot.waitUntil(lambda: page.dialog is None and page.cart.scan.hasFocus())

    qtbot.keyClick(page.cart.scan, Qt.Key.Key_D, CTRL)  # 50 % is above the 20 % limit: a manager must approve
    page.dialog.field.clear()
    qtbot.keyClicks(page.dialog.field, "15.00")
    qtbot.keyClick(page.dialog.field, Qt.Key.Key_Return)
    approve_override(qtbot, page)
    qtbot.waitUntil(lambda: page.sale.lines[0].discount_cents == 1500, timeout=10_000)

    qtbot.waitUntil(lambda: page.dialog is None and page.override_dialog is None and page.cart.scan.hasFocus())
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_E, CTRL)  # a price override: always a manager
    assert isinstance(page.dialog, PriceDialog)
    qtbot.keyClicks(page.dialog.price, "25")
    qtbot.keyClicks(page.dialog.reason, "price match")
    qtbot.keyClick(page.dialog.reason, Qt.Key.Key_Return)
    approve_override(qtbot, page)
    qtbot.waitUntil(lambda: page.sale.lines[0].unit_price_cents == 2500, timeout=10_000)
    assert page.sale.lines[0].price_overridden and page.cart.table.item(0, 2).text() == "$25.00 *"

    qtbot.waitUntil(lambda: page.dialog is None and page.override_dialog is None and page.cart.scan.hasFocus())
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_Down)
    with qtbot.waitSignal(page.sale_changed, timeout=5_000):
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Delete)
    assert [x.sku for x in page.sale.lines] == ["ACC-CASE-CLR-15"]
    sale_id = page.sale.id
    with qtbot.waitSignal(page.sale_changed, timeout=5_000):
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_F12)  # new sale: the open cart (no money) is voided
    assert page.sale is None and page.cart.table.rowCount() == 0
    assert services.register.cart.view(sale_id).status == "voided"


def test_a_scanner_burst_and_an_sku_typed_by_hand_both_add(qtbot, page):
    page.cart.scan.setText("")
    for ch in CASE_UPC:  # a scanner types much faster than a person
        qtbot.keyClick(page.cart.scan, ch)
    with qtbot.waitSignal(page.cart.scan.submitted) as burst:
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)
    assert burst.args == [CASE_UPC, True]
    qtbot.waitUntil(lambda: page.sale is not None, timeout=5_000)
    scan(qtbot, page, "acc-chg-20w")
    assert [x.sku for x in page.sale.lines] == ["ACC-CASE-CLR-15", "ACC-CHG-20W"]
    qtbot.keyClicks(page.cart.scan, "000000000000")
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.cart.error.isVisible(), timeout=5_000)
    assert "No accessory" in page.cart.error.text() and len(page.sale.lines) == 2


def test_reprint_print_and_save_the_receipt(qtbot, page, tmp_path, services):
    scan(qtbot, page, CASE_UPC)
    pdf = pay_cash_and_complete(qtbot, page)
    number = page.receipt.receipt_no
    original = pdf.read_bytes()

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert print_pdf(pdf, printer) == 1
    doc = QPdfDocument()
    assert doc.load(str(out)) == QPdfDocument.Error.None_ and doc.pageCount() == 1
    doc.close()

    qtbot.keyClick(page.cart.scan, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: "Saved" in page.receipt_panel.note.text(), timeout=10_000)
    saved = list((tmp_path / "email").glob("*.pdf"))
    assert len(saved) == 1 and number in saved[0].name

    qtbot.keyClick(page.cart.scan, Qt.Key.Key_Escape)  # Esc after a receipt: a new sale
    assert page.receipt is None and page.action_stack.currentWidget() is page.tender
    with qtbot.waitSignal(page.receipt_ready, timeout=10_000) as ready:
        qtbot.keyClicks(page.cart.scan, number.lower())
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)
    assert page.receipt_panel.heading.text() == "Reprint" and ready.args[0].read_bytes() == original
    assert services.receipts.render_count(number) == 3  # at completion, the e-mail copy, the reprint
    text = subprocess.run(["pdftotext", str(ready.args[0]), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert number in text and format_cents(CASE_TOTAL) in text


def test_printing_a_missing_file_says_so(tmp_path):
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    from posapp.errors import ValidationError

    with pytest.raises(ValidationError, match="could not be read"):
        print_pdf(tmp_path / "nope.pdf", printer)


def test_refund_mode_picks_a_line_and_a_manager_approves_it(qtbot, page, services):
    scan(qtbot, page, CASE_UPC)
    scan(qtbot, page, CHARGER_UPC)
    pay_cash_and_complete(qtbot, page)
    number = page.receipt.receipt_no
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F12)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F8)
    assert page.refund_mode and page.refund_panel.badge.isVisible() and "REFUND" in page.cart.scan.placeholderText()
    qtbot.keyClicks(page.cart.scan, number)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(page.dialog, RefundDialog), timeout=5_000)
    dialog = page.dialog
    assert dialog.table.rowCount() == 2
    dialog.submit()
    assert "at least one line" in dialog.error.text()
    dialog.spins[1].setValue(1)
    qtbot.keyClicks(dialog.reason, "cracked on arrival")
    dialog.submit()
    approve_override(qtbot, page)  # a rep may not refund alone
    qtbot.waitUntil(lambda: page.receipt is not None and page.receipt.kind == "refund", timeout=20_000)
    refund = page.receipt
    assert page.receipt_panel.heading.text() == "Refund complete" and not page.refund_mode
    assert refund.due_cents == CASE_TOTAL and [x.sku for x in refund.lines] == ["ACC-CASE-CLR-15"]
    assert services.register.refunds.lookup(refund.receipt_no).original_sale_id is not None


def test_store_credit_for_a_walk_in_is_refused_with_a_reason(qtbot, page):
    scan(qtbot, page, CASE_UPC)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F11)
    credit = page.tender.credit
    assert page.tender.form == "store_credit" and "Walk-in" in credit.balance.text()
    qtbot.keyClick(credit.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: credit.error.isVisible(), timeout=5_000)
    assert page.sale.paid_cents == 0
    qtbot.keyClick(credit.amount, Qt.Key.Key_Escape)
    assert page.tender.form == "choose"


def test_a_manager_can_print_the_end_of_day_report_from_the_drawer_dialog(qtbot, services, employees, worker,
                                                                          tmp_path, stocked):
    from ui.views.register.drawer import DrawerDialog

    services.register.drawer.open_session(employees.manager, float_cents=10_000)
    page = make_page(qtbot, services, worker, employees.manager, tmp_path)
    try:
        page.open_drawer_dialog()
        dialog = page.dialog
        assert isinstance(dialog, DrawerDialog)
        qtbot.waitUntil(lambda: dialog.drawer is not None, timeout=5_000)
        dialog.eod.click()
        qtbot.waitUntil(lambda: dialog.report_path is not None, timeout=20_000)
        text = subprocess.run(["pdftotext", str(dialog.report_path), "-"], check=True, capture_output=True,
                              text=True).stdout
        assert "S001" in text or "Demo" in text
        dialog.accept()
    finally:
        qtbot.waitUntil(lambda: worker.pending == 0, timeout=10_000)
        page.close()
        page.deleteLater()


def test_offline_card_needs_a_manager_and_shows_its_forwarding_deadline(qtbot, page):
    scan(qtbot, page, CASE_UPC)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F10)
    card = page.tender.card
    card.offline.setChecked(True)
    qtbot.keyClick(card.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.override_dialog is not None, timeout=5_000)
    page.override_dialog.reject()  # no manager: nothing is taken and the terminal panel is usable again
    qtbot.waitUntil(lambda: card.charge_button.isEnabled(), timeout=5_000)
    assert "approval" in card.state.text() and page.sale.tenders == ()

    card.offline.setChecked(True)
    qtbot.keyClick(card.amount, Qt.Key.Key_Return)
    approve_override(qtbot, page)
    qtbot.waitUntil(lambda: card.tender is not None, timeout=10_000)
    tender = card.tender
    assert tender.offline and tender.state == "approved" and tender.forward_by is not None
    assert "Taken offline" in card.state.text() and "forward" in card.state.text()
    assert page.sale.remaining_cents == 0
