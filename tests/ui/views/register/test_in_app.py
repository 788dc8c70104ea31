"""The Register in the real app: F3 opens it with the scan field focused, the customer display follows the cart,
goes idle on the screen lock and shows the cart again after unlocking."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.register import CASE_UPC
from tests.helpers.staff import REP
from ui.views.register.page import RegisterPage


def test_f3_register_and_the_customer_display_through_a_screen_lock(qtbot, make_app, start_ready, sign_in_ui):
    app = make_app()
    start_ready(app)
    sign_in_ui(app, REP)
    window = app.session.main_window
    qtbot.keyClick(window, Qt.Key.Key_F3)
    page = app.session.register_page
    assert isinstance(page, RegisterPage) and window.current_page_key == "register"
    assert page.runner.device_worker is app.device_worker and app.device_worker is not app.worker
    qtbot.waitUntil(page.cart.scan.hasFocus, timeout=5_000)
    assert page.display is app.customer
    qtbot.keyClicks(page.cart.scan, CASE_UPC)
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)
    assert app.customer.mode == "cart" and app.customer.cart.total.text() == "$33.09"

    window.lock()
    assert app.customer.mode == "idle"
    qtbot.keyClicks(window.lock_overlay.pin, REP.pin)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        qtbot.keyClick(window.lock_overlay.pin, Qt.Key.Key_Return)
    assert app.customer.mode == "cart" and app.customer.cart.total.text() == "$33.09"
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        page.new_sale()  # no money taken: the cart is voided before signing out
    with qtbot.waitSignal(app.session_ended, timeout=10_000):
        app.session.sign_out()
    assert app.customer.mode == "idle"
