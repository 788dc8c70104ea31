"""The main window: pages per role, F-key navigation, honest placeholder pages, sign-out and lock keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from posapp.domain.enums import Role
from ui.main_window import MainWindow, initials
from ui.views.coming_soon import ComingSoonPage
from ui.views.pages import PAGES, pages_for


@pytest.fixture
def make_window(qtbot, worker, services, employees):
    def make(role: Role) -> MainWindow:
        actor = employees.of(role)
        pages = [(spec, ComingSoonPage(spec=spec)) for spec in pages_for(role)]
        window = MainWindow(actor=actor, pages=pages, store_name="Test Store",
                            terminal_info=services.status.terminal_info, unlock=services.auth.unlock,
                            worker=worker, can_edit_settings=role is Role.ADMIN)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        return window

    return make


KEYS = {"lookup": Qt.Key.Key_F2, "register": Qt.Key.Key_F3, "activation": Qt.Key.Key_F4,
        "tradein": Qt.Key.Key_F5, "queue": Qt.Key.Key_F6, "manager": Qt.Key.Key_F7}


def test_f_keys_switch_pages(qtbot, make_window):
    window = make_window(Role.MANAGER)
    assert window.page_keys == list(KEYS)
    for key in ["queue", "register", "manager", "tradein", "activation", "lookup"]:
        with qtbot.waitSignal(window.page_changed) as changed:
            qtbot.keyClick(window.focusWidget() or window, KEYS[key])
        assert changed.args == [key]
        assert window.current_page_key == key
        assert window.nav_buttons[key].isChecked()
        assert window.page_title.text() == next(p.title for p in PAGES if p.key == key)


def test_nav_buttons_show_their_f_key(make_window):
    window = make_window(Role.MANAGER)
    assert [b.key.text() for b in window.nav_buttons.values()] == ["F2", "F3", "F4", "F5", "F6", "F7"]


def test_manager_page_only_for_managers_and_admins(qtbot, make_window):
    rep_window = make_window(Role.REP)
    assert "manager" not in rep_window.page_keys
    qtbot.keyClick(rep_window.focusWidget() or rep_window, Qt.Key.Key_F7)
    assert rep_window.current_page_key == "lookup"
    assert "manager" in make_window(Role.ADMIN).page_keys


def test_pages_say_what_they_will_be_and_show_no_data(make_window):
    window = make_window(Role.MANAGER)
    for index in range(window.stack.count()):
        page = window.stack.widget(index)
        assert isinstance(page, ComingSoonPage)
        texts = [label.text() for label in page.findChildren(QLabel)]
        assert "Not available yet" in texts
        assert 2 <= len(page.bullets) <= 4
        assert any(text.startswith("Comes with:") for text in texts)
    lookup = window.stack.widget(0)
    assert any("Issue #3" in label.text() for label in lookup.findChildren(QLabel))


def test_sign_out_shortcut(qtbot, make_window):
    window = make_window(Role.REP)
    with qtbot.waitSignal(window.sign_out_requested):
        qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_L,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def test_settings_only_for_admin(qtbot, make_window):
    rep = make_window(Role.REP)
    assert rep.settings_button is None
    admin = make_window(Role.ADMIN)
    assert admin.settings_button is not None
    with qtbot.waitSignal(admin.settings_requested):
        admin.settings_button.click()


def test_top_bar_names_the_employee(make_window, employees):
    window = make_window(Role.REP)
    labels = [label.text() for label in window.findChildren(QLabel)]
    assert employees.rep.name in labels
    assert f"#{employees.rep.number} · Rep" in labels
    assert initials(employees.rep.name) in labels


def test_initials():
    assert initials("Maya Thompson") == "MT"
    assert initials("  Cher ") == "C"
    assert initials("Jean-Luc de la Tour") == "JD"
    assert initials("") == "?"
