"""The customer-facing window: idle screen, messages, placement, and it cannot be closed by the customer."""

from __future__ import annotations

import pytest

from ui.customer_window import IDLE_TEXT, IDLE_TITLE, CustomerWindow, customer_screen


def test_idle_and_message(qtbot):
    window = CustomerWindow(store_name="Demo Wireless — Pike St", store_address="1500 Pike St")
    qtbot.addWidget(window)
    assert (window.title.text(), window.text.text()) == (IDLE_TITLE, IDLE_TEXT)
    assert window.mode == "idle"
    window.show_message("Your total", "$42.00")
    assert (window.title.text(), window.text.text(), window.mode) == ("Your total", "$42.00", "message")
    window.show_idle()
    assert window.mode == "idle"
    window.set_store(name="Other Store", address="1 Main St")
    assert window.store.text() == "Other Store" and window.footer.text() == "1 Main St"


def test_single_screen_gives_a_separate_window(qtbot):
    window = CustomerWindow(store_name="S")
    qtbot.addWidget(window)
    window.present()
    assert window.isVisible() and window.isWindow()
    assert not window.isFullScreen()


def test_second_screen_is_chosen_when_there_is_one():
    primary, second, third = object(), object(), object()
    assert customer_screen([primary], primary) is None
    assert customer_screen([primary, second], primary) is second
    assert customer_screen([second, primary, third], primary) is second


def test_the_customer_cannot_close_it(qtbot):
    window = CustomerWindow(store_name="S")
    qtbot.addWidget(window)
    window.show()
    window.close()
    assert window.isVisible()
    window.close_for_good()
    assert not window.isVisible()


def test_customer_display_setting_turns_it_off_and_on(qtbot, make_app, start_ready, exit_codes):
    from posapp.services.dto import SYSTEM_ACTOR

    app = make_app()
    start_ready(app)
    assert app.customer is not None
    with qtbot.waitSignal(app.bridge.settings_changed):
        app.worker.run(lambda: app.services.settings.update(SYSTEM_ACTOR, {"customer_display": False}))
    assert app.customer is None
    with qtbot.waitSignal(app.bridge.settings_changed):
        app.worker.run(lambda: app.services.settings.update(SYSTEM_ACTOR, {"customer_display": True,
                                                                            "store_name": "New Name"}))
    assert app.customer is not None and app.customer.store.text() == "New Name"
    assert app.login.store_label.text() == "New Name"


def test_back_to_idle_on_lock_and_sign_out_even_after_the_display_was_switched(qtbot, make_app, start_ready,
                                                                               sign_in_ui):
    from posapp.services.dto import SYSTEM_ACTOR
    from tests.helpers.staff import REP

    app = make_app()
    start_ready(app)
    sign_in_ui(app, REP)
    app.customer.show_message("Your total", "$42.00")
    app.session.main_window.lock()
    assert app.customer.mode == "idle"
    with qtbot.waitSignal(app.bridge.settings_changed, timeout=10_000):
        app.worker.run(lambda: app.services.settings.update(SYSTEM_ACTOR, {"customer_display": False}))
    assert app.customer is None
    with qtbot.waitSignal(app.session_ended):
        app.session.sign_out()  # must not touch the closed display


# -- the sale on the customer window (issue 4) --------------------------------------------------------------------

def test_the_customer_window_shows_the_live_cart_and_total_while_the_rep_scans(qtbot, services, employees, worker,
                                                                              tmp_path):
    from posapp.domain.money import format_cents
    from tests.helpers.register import CASE_UPC, CHARGER_UPC, stock
    from tests.ui.views.register.conftest import make_page, scan

    stock(services, employees.rep, devices=1)
    page = make_page(qtbot, services, worker, employees.rep, tmp_path)
    window = CustomerWindow(store_name="S")
    qtbot.addWidget(window)
    page.set_customer_display(window)
    try:
        assert window.mode == "idle"
        scan(qtbot, page, CASE_UPC)
        assert window.mode == "cart" and window.header.text() == "Your purchase"
        assert window.cart.total.text() == format_cents(page.sale.due_cents) == "$33.09"
        assert window.cart.table.rowCount() == 1
        assert window.cart.table.item(0, 0).text() == "Clear case, 6.1-inch"
        scan(qtbot, page, CHARGER_UPC)
        assert window.cart.total.text() == format_cents(page.sale.due_cents) == page.totals.total.text()
        assert window.cart.table.rowCount() == 2
        sums = [w.text() for w in window.cart._small]
        assert "WA state sales tax" in sums and "Subtotal" in sums
        page.new_sale()  # voids the cart: the customer sees the welcome again
        qtbot.waitUntil(lambda: window.mode == "idle", timeout=5_000)
    finally:
        qtbot.waitUntil(lambda: worker.pending == 0, timeout=10_000)
        page.set_customer_display(None)
        page.close()
        page.deleteLater()


def test_consent_then_signature_hands_back_strokes_consent_and_time(qtbot):
    from datetime import UTC, datetime

    from tests.ui.views.register.conftest import draw_signature

    window = CustomerWindow(store_name="S")
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    before = datetime.now(UTC)
    window.ask_signature("I agree to sign electronically.")
    assert window.mode == "consent" and window.consent.text.text() == "I agree to sign electronically."
    assert not window.pad.isVisible()
    window.consent.accept_button.click()
    assert window.mode == "signature" and "Accepted" in window.consent.done.text()
    assert not window.pad.accept_button.isEnabled()
    draw_signature(qtbot, window.pad.canvas)
    with qtbot.waitSignal(window.signature_accepted) as got:
        window.pad.accept_button.click()
    capture = got.args[0]
    assert capture.consent_text == "I agree to sign electronically."
    assert before <= capture.consented_at <= datetime.now(UTC) and capture.consented_at.tzinfo is not None
    assert len(capture.strokes) == 2 and all(len(s) >= 2 for s in capture.strokes)
    assert capture.pad_aspect == pytest.approx(window.pad.canvas.width() / window.pad.canvas.height())
    assert window.mode == "message" and not window.pad.strokes  # the pad is wiped once handed over
