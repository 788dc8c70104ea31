"""Training mode on screen: the composition root shows the TRAINING badge (and the customer window's discreet
"Training") from the settings, and after going live names the devices that are not configured."""

from __future__ import annotations

from posapp.paths import DataPaths
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.registry import Services
from tests.helpers.staff import REP


def test_a_new_install_shows_training(qtbot, make_app, start_ready, sign_in_ui):
    app = make_app()
    start_ready(app)
    assert app.customer is not None and app.customer.training.isVisibleTo(app.customer)
    sign_in_ui(app, REP)
    status = app.session.main_window.status
    assert status.training_pill.isVisibleTo(status) and status.training_pill.text() == "TRAINING"
    assert not status.device_pill.isVisibleTo(status)


def test_live_shows_no_badge_and_names_the_devices_not_configured(qtbot, make_app, start_ready, sign_in_ui,
                                                                  seeded_paths: DataPaths):
    services = Services.open(seeded_paths)
    try:
        services.settings.update(SYSTEM_ACTOR, {"payment_terminal": "none", "sms_gateway": "none",
                                                "cash_drawer": "none", "provisioning": "none",
                                                "block_list": "none"})
    finally:
        services.close()
    services = Services.open(seeded_paths)  # device settings take effect at the next start
    try:
        services.settings.update(SYSTEM_ACTOR, {"training_mode": False})
    finally:
        services.close()
    app = make_app()
    start_ready(app)
    assert app.customer is not None and not app.customer.training.isVisibleTo(app.customer)
    sign_in_ui(app, REP)
    status = app.session.main_window.status
    assert not status.training_pill.isVisibleTo(status)
    assert status.device_pill.isVisibleTo(status) and status.device_pill.text() == "5 devices not configured"
    assert "No card terminal configured" in status.device_pill.toolTip()
