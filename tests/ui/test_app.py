"""The composition root end to end: startup, sign-in → main window, sign-out, a database that cannot be opened."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from posapp.paths import DataPaths
from posapp.services.registry import Services
from tests.helpers.staff import ADMIN, MANAGER, REP


def test_login_window_is_shown_first_with_sign_in_disabled_until_the_database_is_open(qtbot, make_app):
    app = make_app()
    app.start()
    assert app.login.isVisible()
    assert not app.login.button.isEnabled()
    assert app.login.note.text() == "Opening database…"
    assert app.login.number.hasFocus() or app.login.focusWidget() is app.login.number
    with qtbot.waitSignal(app.database_ready, timeout=20_000):
        pass
    assert app.login.button.isEnabled()
    assert not app.login.note.isVisible()
    assert app.login.store_label.text() == "Demo Wireless — Pike St"


def test_sign_in_opens_the_main_window_with_a_full_status_bar(qtbot, make_app, start_ready, sign_in_ui):
    app = make_app()
    start_ready(app)
    sign_in_ui(app, REP)
    session = app.session
    assert session is not None
    window = session.main_window
    assert window.isVisible()
    assert not app.login.isVisible()
    assert window.current_page_key == "lookup"
    status = window.status
    qtbot.waitUntil(lambda: status.info is not None, timeout=10_000)
    assert status.store_pill.text() == "Store S001"
    assert status.terminal_pill.text() == "Terminal T01"
    assert status.employee_pill.text() == "#1001 · Rep"
    qtbot.waitUntil(lambda: status.sync is not None, timeout=10_000)
    assert status.online_pill.text() == "Not synced yet · embedded central store"  # the sync worker is off here
    with app.services.uow.read() as s:  # the count shown is the real outbox count
        from posapp.sync.outbox import pending_count

        expected = pending_count(s)
    assert expected > 0
    assert status.unsynced_pill.text().startswith(f"Unsynced: {expected:,} · oldest ")


def test_status_bar_follows_new_writes(qtbot, make_app, start_ready, sign_in_ui):
    app = make_app()
    start_ready(app)
    sign_in_ui(app, REP)
    status = app.session.main_window.status
    qtbot.waitUntil(lambda: status.info is not None, timeout=10_000)
    before = status.info.unsynced_changes
    # Another write (the admin CLI's kind: any service call) is reported through the bridge and refreshes the bar.
    app.worker.run(lambda: app.services.auth.sign_in(MANAGER.number, MANAGER.pin))
    qtbot.waitUntil(lambda: status.info.unsynced_changes > before, timeout=10_000)
    qtbot.waitUntil(lambda: status.unsynced_pill.text().startswith(f"Unsynced: {status.info.unsynced_changes:,}"),
                    timeout=10_000)


def test_background_sync_reaches_the_embedded_central_store(qtbot, make_app, start_ready, sign_in_ui):
    app = make_app(sync=True)
    start_ready(app)
    assert app.sync_worker is not None and app.sync_worker.running
    sign_in_ui(app, REP)
    status = app.session.main_window.status
    app.sync_worker.sync_now()
    qtbot.waitUntil(lambda: status.sync is not None and status.sync.online is True, timeout=30_000)
    assert status.online_pill.objectName() == "OnlinePill"
    assert status.online_pill.text().startswith("Online · synced ")
    # Everything this terminal wrote before the run has been confirmed by the central store.
    assert status.sync.recent_runs and status.sync.recent_runs[0].pushed > 0
    app.session.open_sync_details()
    dialog = app.session.sync_dialog
    qtbot.waitUntil(lambda: dialog.status is not None and dialog.runs.rowCount() > 0, timeout=10_000)
    assert dialog.runs.item(0, 2).text() in {"OK", "Differs"}


def test_sign_out_returns_to_an_empty_login(qtbot, make_app, start_ready, sign_in_ui):
    app = make_app()
    start_ready(app)
    sign_in_ui(app, REP)
    window = app.session.main_window
    with qtbot.waitSignal(app.session_ended):
        window.sign_out_button.click()
    assert app.session is None
    assert app.login.isVisible()
    assert app.login.number.text() == "" and app.login.pin.text() == ""
    # the sign-out is audited
    app.worker.shutdown(wait=True)
    from sqlalchemy import select

    from posapp.db.models import AuditEvent

    with app.services.uow.read() as s:
        actions = list(s.scalars(select(AuditEvent.action)))
    assert "auth.sign_out" in actions


def test_settings_are_offered_to_admins_only(qtbot, make_app, start_ready, sign_in_ui):
    app = make_app()
    start_ready(app)
    sign_in_ui(app, REP)
    assert app.session.main_window.settings_button is None
    app.session.open_settings()
    assert app.session.settings_dialog is None
    with qtbot.waitSignal(app.session_ended):
        app.session.sign_out()
    sign_in_ui(app, ADMIN)
    button = app.session.main_window.settings_button
    assert button is not None
    button.click()
    assert app.session.settings_dialog is not None and app.session.settings_dialog.isVisible()


def test_idle_lock_in_the_running_app(qtbot, make_app, start_ready, sign_in_ui):
    app = make_app(idle_ms=150)
    start_ready(app)
    sign_in_ui(app, REP)
    window = app.session.main_window
    with qtbot.waitSignal(window.locked, timeout=5_000):
        pass
    assert window.is_locked
    qtbot.keyClicks(window.lock_overlay.pin, REP.pin)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        qtbot.keyClick(window.lock_overlay.pin, Qt.Key.Key_Return)
    assert not window.is_locked
    assert app.session.idle.active


def test_customer_window_exists_once_the_database_is_open(qtbot, make_app, start_ready):
    app = make_app()
    start_ready(app)
    assert app.customer is not None
    assert app.customer.isVisible()
    assert app.customer.store.text() == "Demo Wireless — Pike St"
    assert app.customer.mode == "idle"


def test_on_one_screen_the_customer_window_stays_behind_the_login(qtbot, make_app, start_ready):
    app = make_app()
    start_ready(app)
    assert app.customer is not None
    assert app.customer.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.login)
    assert app.login.focusWidget() is not None and app.login.isAncestorOf(QApplication.focusWidget())


def corrupt_database(paths: DataPaths) -> bytes:
    paths.root.mkdir(parents=True)
    data = b"SQLite format 3\x00" + os.urandom(4096)
    paths.database.write_bytes(data)
    return data


def test_corrupt_database_shows_the_error_and_leaves_the_file_untouched(qtbot, make_app, tmp_path, exit_codes):
    paths = DataPaths.resolve(tmp_path / "broken")
    original = corrupt_database(paths)
    app = make_app(data=paths)
    with qtbot.waitSignal(app.database_failed, timeout=20_000) as failed:
        app.start()
    box = app.fatal_box
    assert box is not None and box.isVisible()
    assert str(paths.database) in box.text()
    assert "What to do:" in box.text()
    assert failed.args[0] == box.text()
    assert not app.login.button.isEnabled()
    assert exit_codes == []
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert exit_codes == [1]
    assert paths.database.read_bytes() == original


@pytest.mark.slow
def test_corrupt_database_exits_1_in_a_real_process(tmp_path):
    paths = DataPaths.resolve(tmp_path / "broken")
    original = corrupt_database(paths)
    digest = hashlib.sha256(original).hexdigest()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-m", "ui.app", "--data-dir", str(paths.root), "--smoke-test"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 1, proc.stderr
    assert "posapp cannot open its database" in proc.stderr
    assert str(paths.database) in proc.stderr
    assert hashlib.sha256(paths.database.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in paths.root.iterdir() if p.name.startswith("posapp.sqlite3")) == [
        "posapp.sqlite3"]


def test_fresh_data_folder_starts_and_opens_in_a_real_process(tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-m", "ui.app", "--data-dir", str(tmp_path / "new"), "--smoke-test"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "POSAPP-READY" in proc.stdout
    services = Services.open(DataPaths.resolve(tmp_path / "new"))
    services.close()


def test_login_window_is_painted_before_sqlalchemy_alembic_or_reportlab_are_imported(tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ui.app", "--data-dir", str(tmp_path),
                           "--exit-when-shown"], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "POSAPP-LOGIN-SHOWN" in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "PySide6.QtWidgets" in imported
    for heavy in ("sqlalchemy", "alembic", "reportlab", "posapp.services.registry"):
        assert heavy not in imported


def test_closing_the_main_window_signs_out_and_quits(qtbot, make_app, start_ready, sign_in_ui, exit_codes):
    app = make_app()
    start_ready(app)
    sign_in_ui(app, REP)
    app.session.main_window.close()
    assert exit_codes == [0]
    app.worker.shutdown(wait=True)
    from sqlalchemy import select

    from posapp.db.models import AuditEvent

    with app.services.uow.read() as s:
        assert "auth.sign_out" in list(s.scalars(select(AuditEvent.action)))


def test_closing_the_login_window_quits(qtbot, make_app, start_ready, exit_codes):
    app = make_app()
    start_ready(app)
    app.login.close()
    assert exit_codes == [0]


def test_idle_interval_follows_the_setting(qtbot, make_app, start_ready, sign_in_ui):
    from posapp.services.dto import SYSTEM_ACTOR

    app = make_app(idle_ms=None)
    start_ready(app)
    sign_in_ui(app, REP)
    assert app.session.idle.interval_ms == 5 * 60_000
    with qtbot.waitSignal(app.bridge.settings_changed, timeout=10_000):
        app.worker.run(lambda: app.services.settings.update(SYSTEM_ACTOR, {"idle_lock_minutes": 7,
                                                                            "store_name": "Renamed"}))
    assert app.session.idle.interval_ms == 7 * 60_000
    assert app.session.main_window.store_label.text() == "Renamed"


def test_a_failed_sync_marks_the_link_down_for_the_card_terminal(qtbot, make_app, start_ready, sign_in_ui):
    from posapp.sync.protocol import TransportError

    app = make_app()
    start_ready(app)
    admin = app.services.auth.sign_in(ADMIN.number, ADMIN.pin)
    app.services.settings.update(admin, {"central_url": "postgresql+psycopg://s001@127.0.0.1:9/nowhere"})
    with pytest.raises(TransportError):
        app.services.sync.run_now()
    sign_in_ui(app, REP)
    status = app.session.main_window.status
    qtbot.waitUntil(lambda: status.sync is not None and status.sync.online is False, timeout=10_000)
    assert status.online_pill.text().startswith("Offline · ")
    assert app.session.register_page.tender.card.link_down
