"""The register sells to the customer verified in Lookup: the strip names them, the sale is opened on their account,
their store credit pays; finishing the visit makes the register a walk-in again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.register import CASE_UPC
from tests.ui.views.lookup.test_page import pick_first, search, verify_with_id_and_pin
from tests.ui.views.register.conftest import scan
from ui.views.lookup.page import LookupPage
from ui.views.register.dialogs import AccountPaymentDialog
from ui.views.register.page import link_lookup

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_verified_customer_from_lookup_is_on_the_sale_and_pays_with_store_credit(qtbot, page, services,
                                                                                   employees, worker, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142", lines=1, balance_cents=8_500)
    services.register.store_credit.issue(employees.manager, amount_cents=2_000, reason="trade-in",
                                         account_id=ana.account_id)
    lookup = LookupPage(lookup=services.lookup, verification=services.verification, accounts=services.accounts,
                        customers=services.customers, interactions=services.interactions, sms=services.sms,
                        worker=worker, actor=employees.rep)
    lookup.resize(1032, 684)
    link_lookup(lookup, page)
    try:
        with qtbot.waitActive(lookup):
            lookup.show()
            lookup.activateWindow()
        qtbot.waitUntil(lookup.search.field.hasFocus)
        search(qtbot, lookup, "(206) 555-0142")
        pick_first(qtbot, lookup)
        verify_with_id_and_pin(qtbot, lookup)
        assert page.strip.name.text() == "Ana Lopez"
        assert ana.account_number[-4:] in page.strip.info.text() and page.customer.account_id == ana.account_id

        page.activateWindow()
        qtbot.waitUntil(page.cart.scan.hasFocus)
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_B, CTRL)  # the verified customer's bill: the amount due is offered
        dialog = page.dialog
        assert isinstance(dialog, AccountPaymentDialog) and dialog.account.text() == ana.account_number
        qtbot.waitUntil(lambda: "$85.00" in dialog.due.text(), timeout=5_000)
        assert dialog.amount.text() == "85.00"
        with qtbot.waitSignal(page.sale_changed, timeout=5_000):
            dialog.submit()
        (bill,) = page.sale.lines
        assert bill.description.endswith(ana.account_number[-4:]) and page.sale.due_cents == 8_500  # no tax
        qtbot.waitUntil(lambda: page.dialog is None and page.cart.scan.hasFocus(), timeout=5_000)
        scan(qtbot, page, CASE_UPC)
        with services.uow.read() as s:
            from posapp.db.models import Sale

            assert s.get(Sale, page.sale.id).account_id == ana.account_id
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_F11)
        credit = page.tender.credit
        qtbot.waitUntil(lambda: "Available" in credit.balance.text(), timeout=5_000)
        assert credit.balance.text() == "Available store credit: $20.00" and credit.amount.text() == "20.00"
        with qtbot.waitSignal(page.sale_changed, timeout=5_000):
            qtbot.keyClick(credit.amount, Qt.Key.Key_Return)
        assert page.sale.paid_cents == 2_000 and page.tender.form == "choose"
        assert services.register.store_credit.balance(account_id=ana.account_id) == 0

        with qtbot.waitSignal(lookup.visit_finished, timeout=10_000):
            lookup.account.case_panel.finish.click()
        assert page.customer is None and page.strip.name.text() == "Walk-in customer"
    finally:
        lookup.search.cancel()
        qtbot.waitUntil(lambda: worker.pending == 0, timeout=10_000)
        lookup.close()
        lookup.deleteLater()


def test_anyone_may_pay_a_bill_but_only_a_verified_customer_sees_the_amount_due(qtbot, page, services,
                                                                               make_account):
    bob = make_account("Bob", "Anders", "(425) 555-0100", balance_cents=12_000)
    page.cart_ctl.ask_account_payment()
    dialog = page.dialog
    assert isinstance(dialog, AccountPaymentDialog)
    qtbot.waitUntil(dialog.account.hasFocus)
    qtbot.keyClicks(dialog.account, bob.account_number)
    qtbot.keyClick(dialog.account, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "Verify the customer" in dialog.due.text(), timeout=5_000)
    assert "$120.00" not in dialog.due.text() and dialog.amount.text() == ""
    dialog.amount.setText("50")
    with qtbot.waitSignal(page.sale_changed, timeout=5_000):
        dialog.submit()
    assert page.sale.due_cents == 5_000 and page.sale.lines[0].category == "service"
    qtbot.waitUntil(lambda: page.dialog is None and page.cart.scan.hasFocus(), timeout=5_000)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: page.dialog is not None, timeout=5_000)
    qtbot.keyClick(page.dialog.amount, Qt.Key.Key_Return)  # the float
    qtbot.waitUntil(lambda: page.tender.form == "cash", timeout=5_000)
    with qtbot.waitSignal(page.sale_changed, timeout=5_000):
        page.tender.cash.submit()
    qtbot.waitUntil(page.complete_panel.button.isEnabled, timeout=5_000)
    with qtbot.waitSignal(page.completed, timeout=20_000):
        page.complete()
    with services.uow.read() as s:
        from posapp.db.models import Account

        assert s.get(Account, bob.account_id).balance_cents == 7_000
