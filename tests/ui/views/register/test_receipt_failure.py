"""A committed sale never strands the page: when the receipt PDF cannot be written (here the receipts folder is a
regular file, which stops root too), the sale shows as completed with "Receipt not saved: <reason>" and Retry,
New sale works, Retry after the folder is fixed renders the receipt, and a reprint later works. Same for a refund."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from posapp.workflows.sale import SaleStep
from tests.helpers.register import CASE_UPC, CHARGER_UPC
from tests.ui.views.register.conftest import scan
from tests.ui.views.register.test_page import approve_override, pay_cash_and_complete
from ui.views.register.refund import RefundDialog


def break_receipts_folder(services):
    folder = services.core.paths.receipts
    shutil.rmtree(folder)
    folder.write_bytes(b"a file where the receipts folder should be")
    return folder


def fix_receipts_folder(folder):
    folder.unlink()
    folder.mkdir()


def pay_cash(qtbot, page):
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F9)
    if not page.flow.drawer_open:
        qtbot.waitUntil(lambda: page.dialog is not None, timeout=5_000)
        qtbot.keyClick(page.dialog.amount, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.tender.form == "cash", timeout=5_000)
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        qtbot.keyClick(page.tender.cash.tendered, Qt.Key.Key_Return)
    qtbot.waitUntil(page.complete_panel.button.isEnabled, timeout=5_000)


def test_complete_with_an_unwritable_receipts_folder_shows_the_sale_completed_and_new_sale_works(qtbot, page,
                                                                                                 services):
    scan(qtbot, page, CASE_UPC)
    pay_cash(qtbot, page)
    sale_id = page.sale.id
    folder = break_receipts_folder(services)
    with qtbot.waitSignal(page.completed, timeout=20_000):
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.flow.step is SaleStep.RECEIPT_FAILED, timeout=20_000)
    done = page.receipt
    assert done is not None and done.status == "completed" and done.receipt_no
    assert services.register.cart.view(sale_id).status == "completed"
    panel = page.receipt_panel
    assert page.action_stack.currentWidget() is panel and panel.heading.text() == "Sale complete"
    assert panel.failed_box.isVisible() and panel.failure.text().startswith("Receipt not saved: ")
    assert "File exists" in panel.failure.text() and panel.retry_button.isVisible()
    assert not panel.print_button.isEnabled() and not panel.save_button.isEnabled()
    assert "Receipt not saved" in page.cart.error.text()
    assert not page.complete_panel.button.isVisible() and not page.cart_actions.void_button.isEnabled()

    with qtbot.waitSignal(page.sale_changed, timeout=5_000) as cleared:
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_F12)  # New sale works after a failed receipt
    assert cleared.args == [None] and page.sale is None and page.receipt is None
    assert page.flow.step is SaleStep.EMPTY and page.action_stack.currentWidget() is page.tender

    fix_receipts_folder(folder)
    with qtbot.waitSignal(page.receipt_ready, timeout=20_000) as ready:  # reprint later: the receipt is rendered
        qtbot.keyClicks(page.cart.scan, done.receipt_no)
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)
    assert ready.args[0].exists() and page.receipt_panel.heading.text() == "Reprint"


def test_retry_after_the_folder_is_fixed_renders_the_receipt(qtbot, page, services):
    scan(qtbot, page, CASE_UPC)
    pay_cash(qtbot, page)
    folder = break_receipts_folder(services)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.flow.step is SaleStep.RECEIPT_FAILED, timeout=20_000)
    panel = page.receipt_panel
    qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)  # still broken: it says so again
    qtbot.waitUntil(lambda: page.flow.step is SaleStep.RECEIPT_FAILED and panel.failed_box.isVisible(),
                    timeout=20_000)
    fix_receipts_folder(folder)
    with qtbot.waitSignal(page.receipt_ready, timeout=20_000) as ready:  # the keyboard way: Ctrl+R
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    pdf = ready.args[0]
    assert pdf.exists() and pdf.parent == folder and panel.pdf == pdf
    assert page.flow.step is SaleStep.COMPLETED and not panel.failed_box.isVisible()
    assert panel.print_button.isEnabled() and page.receipt.receipt_no in pdf.name


def test_a_refund_whose_receipt_cannot_be_written_is_completed_and_its_receipt_retried(qtbot, page, services):
    scan(qtbot, page, CASE_UPC)
    scan(qtbot, page, CHARGER_UPC)
    pay_cash_and_complete(qtbot, page)
    number = page.receipt.receipt_no
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F12)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F8)
    qtbot.keyClicks(page.cart.scan, number)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(page.dialog, RefundDialog), timeout=5_000)
    dialog = page.dialog
    dialog.spins[1].setValue(1)
    qtbot.keyClicks(dialog.reason, "cracked on arrival")
    folder = break_receipts_folder(services)
    dialog.submit()
    approve_override(qtbot, page)
    qtbot.waitUntil(lambda: page.flow.step is SaleStep.RECEIPT_FAILED, timeout=20_000)
    refund = page.receipt
    assert refund.kind == "refund" and refund.status == "completed" and not page.refund_mode
    assert services.register.refunds.lookup(refund.receipt_no).status == "completed"
    panel = page.receipt_panel
    assert panel.heading.text() == "Refund complete" and "Receipt not saved" in panel.failure.text()
    fix_receipts_folder(folder)
    with qtbot.waitSignal(page.receipt_ready, timeout=20_000) as ready:
        qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    assert ready.args[0].exists() and refund.receipt_no in ready.args[0].name
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F12)
    assert page.receipt is None and page.flow.step is SaleStep.EMPTY
