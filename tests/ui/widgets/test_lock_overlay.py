"""Idle lock: the application-wide idle watcher and the lock screen that needs the same employee's PIN."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from posapp.domain.enums import Role
from tests.helpers.staff import MANAGER, REP
from ui.idle import IdleWatcher
from ui.main_window import MainWindow
from ui.views.coming_soon import ComingSoonPage
from ui.views.pages import pages_for


@pytest.fixture
def window(qtbot, worker, services, employees):
    pages = [(spec, ComingSoonPage(spec=spec)) for spec in pages_for(Role.REP)]
    w = MainWindow(actor=employees.rep, pages=pages, store_name="Test Store",
                   terminal_info=services.status.terminal_info, unlock=services.auth.unlock, worker=worker,
                   can_edit_settings=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    return w


def test_idle_watcher_fires_after_the_interval_without_input(qtbot):
    watcher = IdleWatcher(interval_ms=100)
    watcher.start()
    try:
        with qtbot.waitSignal(watcher.went_idle, timeout=2_000):
            pass
    finally:
        watcher.stop()


def test_input_restarts_the_idle_count(qtbot):
    target = QPushButton("x")
    qtbot.addWidget(target)
    target.show()
    watcher = IdleWatcher(interval_ms=400)
    fired: list[int] = []
    watcher.went_idle.connect(lambda: fired.append(1))
    watcher.start()
    try:
        for _ in range(6):  # 6 × 150 ms of typing: longer than the interval, but never idle for 400 ms
            qtbot.wait(150)
            qtbot.keyClick(target, Qt.Key.Key_A)
        assert fired == []
        with qtbot.waitSignal(watcher.went_idle, timeout=2_000):
            pass
    finally:
        watcher.stop()


def test_idle_locks_the_window_and_the_own_pin_unlocks(qtbot, window):
    watcher = IdleWatcher(interval_ms=100)
    watcher.went_idle.connect(window.lock)
    watcher.start()
    try:
        with qtbot.waitSignal(window.locked, timeout=2_000):
            pass
    finally:
        watcher.stop()
    overlay = window.lock_overlay
    assert window.is_locked and overlay.isVisible()
    assert overlay.geometry() == window.rect()
    assert not window.centralWidget().isEnabled()
    assert overlay.focusWidget() is overlay.pin
    qtbot.keyClicks(overlay.pin, REP.pin)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        qtbot.keyClick(overlay.pin, Qt.Key.Key_Return)
    assert not window.is_locked
    assert window.centralWidget().isEnabled()


def test_wrong_pin_keeps_it_locked(qtbot, window):
    window.lock()
    overlay = window.lock_overlay
    qtbot.keyClicks(overlay.pin, "9999")
    qtbot.keyClick(overlay.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: overlay.error.isVisible(), timeout=10_000)
    assert "not right" in overlay.error.text()
    assert window.is_locked and overlay.pin.text() == ""


def test_another_employees_pin_does_not_unlock(qtbot, window):
    window.lock()
    overlay = window.lock_overlay
    qtbot.keyClicks(overlay.pin, MANAGER.pin)
    overlay.submit()
    qtbot.waitUntil(lambda: overlay.error.isVisible(), timeout=10_000)
    assert window.is_locked


def test_f_keys_do_nothing_while_locked(qtbot, window):
    window.lock()
    qtbot.keyClick(window.lock_overlay.pin, Qt.Key.Key_F3)
    assert window.current_page_key == "lookup"


def test_sign_out_from_the_lock_screen(qtbot, window):
    window.lock()
    with qtbot.waitSignal(window.sign_out_requested):
        window.lock_overlay.sign_out_button.click()


def test_lock_follows_window_resize(qtbot, window):
    window.lock()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.lock_overlay.geometry() == window.rect())
