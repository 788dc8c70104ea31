"""The customer-facing window: idle screen, messages, placement, and it cannot be closed by the customer."""

from __future__ import annotations

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
