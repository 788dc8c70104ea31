"""Results: the service's own message when nothing matches; arrow keys and Enter pick a row."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_no_match_shows_the_services_message(qtbot, page, make_account):
    make_account("Ana", "Lopez", "(206) 555-0142")
    qtbot.keyClicks(page.search.field, "Zyxwv")
    qtbot.waitUntil(lambda: page.search.is_current, timeout=5_000)
    assert not page.results.showing_table
    assert page.results.empty.text() == page.search.result.message == "No customer matches the name “zyxwv”."


def test_the_empty_box_explains_what_to_type(qtbot, page):
    qtbot.waitUntil(lambda: page.search.is_current, timeout=5_000)  # searched on arrival
    assert page.results.empty.text().startswith("Type a phone number, name, account number")


def test_arrow_down_and_enter_pick_the_second_customer(qtbot, page, make_account):
    make_account("Ana", "Lopez", "(206) 555-0142")
    ben = make_account("Ben", "Lopez", "(206) 555-0143")
    qtbot.keyClicks(page.search.field, "p:206 555 01")
    qtbot.waitUntil(lambda: page.search.is_current, timeout=5_000)
    assert page.results.model.rowCount() == 2 and page.results.model.hit(1).customer_id == ben.customer_id
    qtbot.keyClick(page.search.field, Qt.Key.Key_Down)
    assert page.results.table.currentIndex().row() == 1 and page.search.field.hasFocus()
    qtbot.keyClick(page.search.field, Qt.Key.Key_Down)  # stays on the last row
    assert page.results.table.currentIndex().row() == 1
    qtbot.wait(40)
    with qtbot.waitSignal(page.customer_selected, timeout=5_000) as selected:
        qtbot.keyClick(page.search.field, Qt.Key.Key_Return)
    assert selected.args[0].customer_id == ben.customer_id
    qtbot.waitUntil(lambda: page.step == "verify", timeout=5_000)


def test_enter_and_escape_on_the_table(qtbot, page, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    qtbot.keyClicks(page.search.field, "Lopez")
    qtbot.waitUntil(lambda: page.search.is_current, timeout=5_000)
    page.results.table.setFocus()
    qtbot.keyClick(page.results.table, Qt.Key.Key_Escape)
    assert page.search.field.hasFocus()
    page.results.table.setFocus()
    with qtbot.waitSignal(page.visit_started, timeout=5_000) as started:
        qtbot.keyClick(page.results.table, Qt.Key.Key_Return)
    assert started.args[0].customer_id == ana.customer_id
