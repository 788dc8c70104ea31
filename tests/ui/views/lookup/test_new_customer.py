"""New customer: validation inline, suspected duplicates offered first, open one or create anyway."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from posapp.errors import ValidationError
from ui.views.lookup.new_customer import parse_date

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def dialog(qtbot, page):
    qtbot.keyClick(page.search.field, Qt.Key.Key_N, CTRL)
    d = page.new_customer_dialog
    assert d is not None and d.isVisible()
    return d


def fill(d, first="Ana", last="Lopez", phone="206.555.0142", **more):
    d.first.setText(first)
    d.last.setText(last)
    d.phone.setText(phone)
    for name, value in more.items():
        getattr(d, name).setText(value)


def test_a_duplicate_is_offered_and_the_rep_opens_it(qtbot, page, dialog, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    fill(dialog, first="Anna")
    dialog.create_button.click()
    qtbot.waitUntil(dialog.dupes.isVisible, timeout=5_000)
    assert "match this phone" in dialog.dupe_title.text()
    assert dialog.matches.rowCount() == 1 and dialog.matches.hit(0).customer_id == ana.customer_id
    assert dialog.matches.data(dialog.matches.index(0, 6)) == "Same phone"
    assert dialog.match_table.hasFocus()
    with qtbot.waitSignal(page.visit_started, timeout=5_000) as started:
        qtbot.keyClick(dialog.match_table, Qt.Key.Key_Return)
    assert started.args[0].customer_id == ana.customer_id
    assert page.step == "verify"
    qtbot.waitUntil(lambda: page.new_customer_dialog is None)


def test_create_anyway_makes_the_customer_and_lists_them(qtbot, page, dialog, make_account, services, employees):
    make_account("Ana", "Lopez", "(206) 555-0142")
    fill(dialog, first="Anna", email="anna@example.com", address="1 Main St", city="Seattle", zip="98101")
    dialog.state.setCurrentIndex(dialog.state.findData("WA"))
    dialog.pin.setText("582047")
    dialog.create_button.click()
    qtbot.waitUntil(dialog.dupes.isVisible, timeout=5_000)
    with qtbot.waitSignal(dialog.customer_created, timeout=5_000) as created:
        dialog.create_anyway.click()
    made = created.args[0]
    qtbot.waitUntil(lambda: page.results.model.rowCount() == 1, timeout=5_000)
    hit = page.results.model.hit(0)
    assert hit.customer_id == made.customer_id and hit.masked_account.endswith(made.account_number[-4:])
    assert page.banner.isVisible()
    # the window's focus widget: offscreen, nothing re-activates the page after the modal dialog closed
    qtbot.waitUntil(lambda: page.focusWidget() is page.results.table)
    assert page.search.text == ""  # the new account number is not typed into the search box


def test_validation_errors_are_shown_inline(qtbot, dialog):
    fill(dialog, email="not-an-email")
    dialog.create_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=5_000)
    assert "not an e-mail address" in dialog.error.text()
    dialog.email.clear()
    dialog.dob.setText("31/31/1990")
    dialog.create_button.click()
    assert dialog.error.text() == "Type the date of birth as MM/DD/YYYY."
    dialog.dob.clear()
    dialog.kind.setCurrentIndex(dialog.kind.findData("business"))
    assert dialog.business.isEnabled()
    dialog.create_button.click()
    qtbot.waitUntil(lambda: "business name" in dialog.error.text(), timeout=5_000)


def test_a_weak_pin_is_refused(qtbot, dialog):
    fill(dialog, phone="(425) 555-0111")
    dialog.pin.setText("123456")
    dialog.create_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=5_000)
    assert "PIN" in dialog.error.text()


def test_parse_date():
    assert parse_date("") is None
    assert parse_date("07/04/1990") == date(1990, 7, 4)
    assert parse_date("1990-07-04") == date(1990, 7, 4)
    with pytest.raises(ValidationError):
        parse_date("4th of July")
