"""The Lookup page as a rep uses it, keyboard only: search → pick → verify → account → finish → empty search."""

from __future__ import annotations

from PySide6.QtCore import Qt

from posapp.domain.money import format_cents
from tests.ui.views.lookup.conftest import PIN, visible_texts
from ui.main_window import MainWindow
from ui.views.coming_soon import ComingSoonPage
from ui.views.lookup.common import format_phone
from ui.views.lookup.page import LookupPage
from ui.views.pages import key_help, pages_for

CTRL = Qt.KeyboardModifier.ControlModifier


def search(qtbot, page, text):
    qtbot.keyClicks(page.search.field, text)
    qtbot.waitUntil(lambda: page.search.is_current, timeout=5_000)
    return page.search.result


def pick_first(qtbot, page):
    qtbot.wait(40)  # a person, not a scanner, presses Enter
    with qtbot.waitSignal(page.visit_started, timeout=5_000) as started:
        qtbot.keyClick(page.search.field, Qt.Key.Key_Return)
    return started.args[0]


def verify_with_id_and_pin(qtbot, page):
    with qtbot.waitSignal(page.verify.visit_changed, timeout=5_000):
        qtbot.keyClick(page.verify.id_type, Qt.Key.Key_I, CTRL)
    qtbot.keyClick(page.verify, Qt.Key.Key_P, CTRL)
    assert page.verify.pin.hasFocus()
    qtbot.keyClicks(page.verify.pin, PIN)
    with qtbot.waitSignal(page.verified, timeout=5_000) as verified:
        qtbot.keyClick(page.verify.pin, Qt.Key.Key_Return)
    return verified.args[0]


def test_type_a_phone_pick_verify_with_photo_id_and_pin_and_see_the_lines(qtbot, page, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142", lines=2)
    make_account("Bob", "Anders", "(425) 555-0100")
    assert page.search.field.hasFocus()
    result = search(qtbot, page, "(206) 555-0142")
    assert result.hits[0].customer_id == ana.customer_id
    assert page.results.showing_table and page.results.current_hit() == result.hits[0]

    visit = pick_first(qtbot, page)
    assert visit.customer_id == ana.customer_id and page.step == "verify"
    assert page.verify.id_type.hasFocus()
    assert page.verify.badge.text() == "Not verified"

    verified = verify_with_id_and_pin(qtbot, page)
    assert verified.level.value == "verified" and page.step == "account"
    table = page.account.lines.table
    numbers = {table.item(r, 0).text() for r in range(table.rowCount())}
    assert numbers == {format_phone(m) for m in ana.msisdns} and "(206) 555-0142" in numbers
    assert table.item(0, 2).text() == "Apple iPhone 15 128 GB\nEIP $420.00 · 14 months left"
    assert page.account.badge.text() == "Verified"
    assert page.account.balance.text() == format_cents(12_345)
    devices = " ".join(page.account.devices.table.texts())
    assert ana.imeis[0] in devices and "$420.00" in devices and "14 months left" in devices


def test_nothing_private_in_the_widget_tree_before_verification(qtbot, page, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142", lines=2)
    search(qtbot, page, "Ana Lop")
    pick_first(qtbot, page)
    with qtbot.waitSignal(page.verify.visit_changed, timeout=5_000):
        page.verify.id_match.click()  # photo ID alone verifies nothing
    texts = "\n".join(visible_texts(page))
    assert "Ana Lopez" in texts and "•••-•••-0142" in texts and "•••••" + ana.account_number[-4:] in texts
    for secret in (ana.account_number, "555-0142", "2065550142", ana.msisdns[1][-7:], format_cents(12_345), "$123",
                   ana.imeis[0], ana.imeis[1], "Unlimited Plus", "$420.00"):
        assert secret not in texts, secret
    assert page.account.screen is None


def test_finishing_the_visit_closes_the_case_and_returns_to_an_empty_focused_search_box(
        qtbot, page, make_account, services, employees):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    search(qtbot, page, "2065550142")
    visit = pick_first(qtbot, page)
    verify_with_id_and_pin(qtbot, page)
    qtbot.keyClick(page.account.lines.table, Qt.Key.Key_Escape)  # Esc: a verified visit is left by finishing it
    assert page.account.tabs.currentWidget() is page.account.case_panel
    assert page.account.case_panel.disposition.hasFocus()
    qtbot.keyClicks(page.account.case_panel.note, "Asked about the bill due date.")
    with qtbot.waitSignal(page.account.case_panel.notes.model().rowsInserted, timeout=5_000):
        qtbot.keyClick(page.account.case_panel.note, Qt.Key.Key_Return)
    with qtbot.waitSignal(page.visit_finished, timeout=5_000):
        qtbot.keyClick(page.account.case_panel.disposition, Qt.Key.Key_Return, CTRL)
    assert page.step == "search" and page.search.text == ""
    qtbot.waitUntil(page.search.field.hasFocus)
    qtbot.waitUntil(lambda: page.search.is_current, timeout=5_000)
    texts = "\n".join(visible_texts(page))
    assert "Ana Lopez" not in texts and "Asked about the bill" not in texts and ana.account_number not in texts
    case = services.interactions.recent(ana.account_id)[0]
    assert case.case_number == visit.case_number and case.status == "closed" and case.disposition == "resolved"
    assert [n.text for n in case.notes] == ["Asked about the bill due date."]
    assert services.verification.get(visit.id).ended


def test_escape_from_an_unverified_visit_ends_it_and_goes_back_to_the_results(qtbot, page, make_account,
                                                                                 services):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    search(qtbot, page, "Ana")
    visit = pick_first(qtbot, page)
    with qtbot.waitSignal(page.verify.back_requested):
        qtbot.keyClick(page.verify.id_type, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.step == "search", timeout=5_000)
    assert page.search.text == "Ana" and page.results.showing_table
    qtbot.waitUntil(page.search.field.hasFocus)
    assert services.verification.get(visit.id).ended
    case = services.interactions.recent(ana.account_id)[0]
    assert case.status == "closed" and "backed out" in (case.disposition_reason or "")


def test_f2_from_another_page_puts_the_caret_in_the_search_box(qtbot, services, employees, worker):
    actor = employees.rep
    lookup = LookupPage(lookup=services.lookup, verification=services.verification, accounts=services.accounts,
                        customers=services.customers, interactions=services.interactions, sms=services.sms,
                        worker=worker, actor=lambda: actor)
    specs = pages_for(actor.role)
    pages = [(spec, lookup if spec.key == "lookup" else ComingSoonPage(spec=spec, keys=key_help(actor.role)))
             for spec in specs]
    window = MainWindow(actor=actor, pages=pages, store_name="Test Store", terminal_info=services.status.terminal_info,
                        unlock=services.auth.unlock, worker=worker, can_edit_settings=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.waitUntil(lookup.search.field.hasFocus)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F3)
    assert window.current_page_key == "register" and not lookup.search.field.hasFocus()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F2)
    qtbot.waitUntil(lookup.search.field.hasFocus)
    lookup.results.table.setFocus()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F2)  # F2 while already on Lookup: back in the search box
    qtbot.waitUntil(lookup.search.field.hasFocus)
    qtbot.waitUntil(lambda: worker.pending == 0)
