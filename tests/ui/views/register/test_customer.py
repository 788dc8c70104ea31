"""The register sells to the customer verified in Lookup: the strip names them, the sale is opened on their account,
their store credit pays; finishing the visit makes the register a walk-in again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.register import CASE_UPC
from tests.ui.views.lookup.test_page import pick_first, search, verify_with_id_and_pin
from tests.ui.views.register.conftest import scan
from ui.views.lookup.page import LookupPage
from ui.views.register.page import link_lookup


def test_the_verified_customer_from_lookup_is_on_the_sale_and_pays_with_store_credit(qtbot, page, services,
                                                                                   employees, worker, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142", lines=1)
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
        assert page.customer_name.text() == "Ana Lopez"
        assert ana.account_number[-4:] in page.customer_info.text() and page.customer.account_id == ana.account_id

        page.activateWindow()
        qtbot.waitUntil(page.scan.hasFocus)
        scan(qtbot, page, CASE_UPC)
        with services.uow.read() as s:
            from posapp.db.models import Sale

            assert s.get(Sale, page.sale.id).account_id == ana.account_id
        qtbot.keyClick(page.scan, Qt.Key.Key_F11)
        credit = page.tender.credit
        qtbot.waitUntil(lambda: "Available" in credit.balance.text(), timeout=5_000)
        assert credit.balance.text() == "Available store credit: $20.00" and credit.amount.text() == "20.00"
        with qtbot.waitSignal(page.sale_changed, timeout=5_000):
            qtbot.keyClick(credit.amount, Qt.Key.Key_Return)
        assert page.sale.paid_cents == 2_000 and page.tender.form == "choose"
        assert services.register.store_credit.balance(account_id=ana.account_id) == 0

        with qtbot.waitSignal(lookup.visit_finished, timeout=10_000):
            lookup.account.case_panel.finish.click()
        assert page.customer is None and page.customer_name.text() == "Walk-in customer"
    finally:
        lookup.search.cancel()
        qtbot.waitUntil(lambda: worker.pending == 0, timeout=10_000)
        lookup.close()
        lookup.deleteLater()
