"""The composition root: ``posapp`` (also ``python -m ui.app``).

Startup order matters for speed (``python -m ui.bench_startup``): the QApplication, the stylesheet and the login
window come first. Right after the login window's first paint the log files are set up and the database is
opened on the DB worker thread (SQLAlchemy, Alembic and the services are imported there, lazily). Until it is
open the Sign in button is disabled with an "Opening database…" note. Modules imported before the first paint
keep their own imports light (no ``posapp.logs``, no ``concurrent.futures``, no ``Qt`` enum namespace).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from posapp.errors import DatabaseUnavailable
from posapp.paths import DataPaths
from ui.error_dialogs import ErrorReporter, message_box
from ui.qt_workarounds import pin_true
from ui.theme import apply_theme
from ui.views.login import LoginWindow
from ui.worker import DbWorker

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from posapp.config import Settings
    from posapp.services.dto import Actor
    from posapp.services.registry import Services
    from ui.bridge import EventBridge
    from ui.customer_window import CustomerWindow
    from ui.provisioning_worker import ProvisioningWorker
    from ui.session import Session
    from ui.sync_worker import SyncWorker

log = logging.getLogger(__name__)

SHOWN_MARKER = "POSAPP-LOGIN-SHOWN"
READY_MARKER = "POSAPP-READY"
WINDOW_SIZE = (1280, 800)
SYNC_FIRST_DELAY_S = 3.0  # let the first screen settle before the first sync run
PROVISIONING_FIRST_DELAY_S = 2.0  # then the carrier's queue (requests left from the last run go first)


class FirstPaint(QObject):
    """Calls ``callback`` once, right after ``widget`` has been painted for the first time."""

    def __init__(self, *, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


class App(QObject):
    """Owns the windows of one run: login, then a signed-in :class:`ui.session.Session`."""

    database_ready = Signal()
    database_failed = Signal(str)
    session_started = Signal(object)  # Session
    session_ended = Signal()

    def __init__(self, *, paths: DataPaths, exit_app: Callable[[int], None], idle_ms: int | None = None,
                 configure_logging: bool = False, exit_when_shown: bool = False, smoke_test: bool = False,
                 sync: bool | None = None, provisioning: bool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self._exit = exit_app
        self._configure_logging = configure_logging
        self._idle_ms = idle_ms
        self._exit_when_shown = exit_when_shown
        self._smoke_test = smoke_test
        self._start_sync_setting = sync  # None: as the settings say; tests switch the background sync off
        self.sync_worker: SyncWorker | None = None
        self._start_provisioning_setting = provisioning  # None: when a carrier link is configured; tests: off
        self.provisioning_worker: ProvisioningWorker | None = None
        self.services: Services | None = None
        self.session: Session | None = None
        self.fatal_box: QMessageBox | None = None
        self.customer: CustomerWindow | None = None
        self.errors = ErrorReporter(log_dir=paths.logs, parent_window=self._window, parent=self)
        self.worker = DbWorker(on_unexpected=self.errors.report, parent=self)
        self.device_worker = DbWorker(on_unexpected=self.errors.report, name="posapp-device", parent=self)
        self.carrier_worker = DbWorker(on_unexpected=self.errors.report, name="posapp-carrier", parent=self)
        self.bridge: EventBridge | None = None  # made when the database is open
        self.login = LoginWindow(worker=self.worker)
        self.login.resize(*WINDOW_SIZE)
        self.login.signed_in.connect(self._start_session)
        self.login.closed.connect(lambda: self._exit(0))

    def _window(self) -> QWidget | None:
        if self.session is not None:
            return self.session.main_window
        return self.login

    # -- startup --------------------------------------------------------------------------------------------
    def start(self) -> None:
        FirstPaint(widget=self.login, callback=self._first_paint)
        self.login.show()

    def _first_paint(self) -> None:
        if self._exit_when_shown:
            print(SHOWN_MARKER, flush=True)
            self._exit(0)
            return
        if self._configure_logging:
            from posapp.logs import setup_logging

            setup_logging(self.paths.logs)
        paths = self.paths

        def open_services() -> Services:
            from posapp.services.registry import Services

            services = Services.open(paths)
            _apply_due_plan_changes(services)
            return services

        self.worker.run(open_services, self._database_opened, self._database_failed)

    def _database_opened(self, services: Services) -> None:
        from ui.bridge import EventBridge

        self.services = services
        self.bridge = EventBridge(parent=self)
        self.bridge.attach(services.core.events)
        self.bridge.settings_changed.connect(self._settings_changed)
        s = services.settings.current()
        self.login.set_ready(sign_in=services.auth.sign_in, store_name=s.store_name, terminal_id=s.terminal_id)
        QApplication.setWindowIcon(self._app_icon())
        self._update_customer_window()
        self._start_sync(s)
        self._start_provisioning()
        self.database_ready.emit()
        if self._smoke_test:
            print(READY_MARKER, flush=True)
            self._exit(0)

    def _start_sync(self, settings: Settings) -> None:
        """The background sync worker (its own thread; the counter never waits on the network)."""
        from ui.sync_worker import SyncWorker

        enabled = settings.sync_enabled if self._start_sync_setting is None else self._start_sync_setting
        if self.services is None or not enabled or not self.services.sync.configured:
            return
        self.sync_worker = SyncWorker(self.services.sync.run_now, interval_s=settings.sync_interval_seconds,
                                      parent=self)
        self.sync_worker.started.connect(self._sync_started)
        self.sync_worker.finished.connect(self._sync_ended)
        self.sync_worker.failed.connect(self._sync_ended)
        self.sync_worker.start(first_delay_s=SYNC_FIRST_DELAY_S)

    def _start_provisioning(self) -> None:
        """The carrier's outbound queue: DB steps on the DB worker, carrier calls on ``posapp-carrier``."""
        from ui.provisioning_worker import ProvisioningWorker

        enabled = self._start_provisioning_setting is not False
        if self.services is None or self.bridge is None or not enabled or not self.services.carrier.configured:
            return  # no carrier link: paid lines stay queued, shown as pending
        self.provisioning_worker = ProvisioningWorker(queue=self.services.provisioning, db_worker=self.worker,
                                                      carrier_worker=self.carrier_worker, parent=self)
        self.bridge.data_changed.connect(self._maybe_provision)
        self.provisioning_worker.start(first_delay_s=PROVISIONING_FIRST_DELAY_S)

    def _maybe_provision(self, event: object) -> None:
        from posapp.events import DataChanged

        if (self.provisioning_worker is not None and isinstance(event, DataChanged)
                and "provisioning_request" in event.entities):
            self.provisioning_worker.wake()

    def _sync_started(self) -> None:
        if self.session is not None:
            self.session.sync_started()

    def _sync_ended(self, result: object) -> None:
        if self.session is not None:
            self.session.sync_ended(result)

    @staticmethod
    def _app_icon() -> QIcon:
        from PySide6.QtGui import QIcon

        from ui.icons import icon_path

        return QIcon(str(icon_path("logo")))

    def _database_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DatabaseUnavailable):
            log.error("cannot open the database: %s", exc)
            title, text, details = "posapp cannot open its database", str(exc), ""
        else:
            from posapp.logs import LOG_FILE, report_exception

            error_id = report_exception(exc, context="opening the database")
            title = "posapp could not start"
            text = f"Opening the database failed unexpectedly.\nError id: {error_id}"
            details = f"Tell IT the error id. The details are in {self.paths.logs / LOG_FILE}."
        self.database_failed.emit(text)
        if self._smoke_test:
            print(f"{title}\n{text}", file=sys.stderr, flush=True)
            self._exit(1)
            return
        self.login.set_unavailable("The database could not be opened.")
        self.fatal_box = message_box(icon=QMessageBox.Icon.Critical, title=title, text=text, details=details,
                                     parent=self.login)
        self.fatal_box.finished.connect(lambda _r: self._exit(1))
        self.fatal_box.open()

    # -- settings -------------------------------------------------------------------------------------------
    def _settings_changed(self, _event: object) -> None:
        assert self.services is not None
        s = self.services.settings.current()
        self.login.set_store(store_name=s.store_name, terminal_id=s.terminal_id)
        self._update_customer_window()
        if self.session is not None:
            self.session.apply_settings(s)
            self._show_training()

    def _show_training(self) -> None:
        """The status bar's TRAINING badge and the devices that are not configured, from the settings."""
        assert self.services is not None
        if self.session is not None:
            status = self.session.main_window.status
            status.set_training(self.services.settings.current().training_mode)
            status.set_device_problems(self.services.device_problems())

    def _update_customer_window(self) -> None:
        from ui import customer_window

        assert self.services is not None
        s = self.services.settings.current()
        if s.customer_display:
            if self.customer is None:
                self.customer = customer_window.CustomerWindow(store_name=s.store_name,
                                                               store_address=s.store_address)
                self.customer.present()
                self._raise_rep_window()
            self.customer.set_store(name=s.store_name, address=s.store_address)
            self.customer.set_training(s.training_mode)
        elif self.customer is not None:
            self.customer.close_for_good()
            self.customer.deleteLater()
            self.customer = None
        if self.session is not None:
            self.session.set_customer_display(self.customer)

    def _raise_rep_window(self) -> None:
        """Keep the rep's window (login or main) in front with the keyboard focus."""
        for window in (self.session.main_window if self.session is not None else None, self.login):
            if window is not None and window.isVisible():
                if QApplication.platformName() != "offscreen":  # it has no window stacking (warns on raise)
                    window.raise_()
                window.activateWindow()
                return

    def _customer_idle(self) -> None:
        if self.customer is not None:
            self.customer.show_idle()

    # -- signed in ------------------------------------------------------------------------------------------
    def _start_session(self, actor: Actor) -> None:
        from ui.session import Session

        assert self.services is not None and self.bridge is not None
        self.session = Session(actor=actor, services=self.services, worker=self.worker,
                               device_worker=self.device_worker, bridge=self.bridge,
                               customer_idle=self._customer_idle, idle_ms=self._idle_ms, parent=self)
        self.session.ended.connect(self._end_session)
        self.session.attach_sync_worker(self.sync_worker)
        self.session.quit_requested.connect(lambda: self._exit(0))
        self.session.set_customer_display(self.customer)
        self._show_training()
        self.session.main_window.resize(*WINDOW_SIZE)
        self.session.main_window.show()
        self.login.hide()
        self.session_started.emit(self.session)

    def _end_session(self) -> None:
        self.login.reset()
        self.login.show()
        self.login.activateWindow()
        if self.session is not None:
            self.session.deleteLater()
        self.session = None
        self.session_ended.emit()

    # -- shutdown -------------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        if self.session is not None:
            self.session.close()
        if self.bridge is not None:
            self.bridge.detach()
        if self.sync_worker is not None:
            self.sync_worker.stop(timeout_s=30)
        if self.provisioning_worker is not None:
            self.provisioning_worker.stop()
        self.carrier_worker.shutdown(wait=False)
        self.device_worker.shutdown(wait=False)
        self.worker.shutdown(wait=True)
        if self.services is not None:
            self.services.close()
        if self.customer is not None:
            self.customer.close_for_good()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="posapp", description="posapp store counter application")
    parser.add_argument("--data-dir", help="data folder (default: POSAPP_DATA_DIR or the user data folder)")
    parser.add_argument("--exit-when-shown", action="store_true", help=argparse.SUPPRESS)  # startup benchmark
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)  # open the DB, then exit
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    paths = DataPaths.resolve(args.data_dir)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    pin_true()  # PySide6 6.12.0 emit() bug, see ui/qt_workarounds.py
    qt_app.setApplicationName("posapp")
    qt_app.setQuitOnLastWindowClosed(False)
    apply_theme(qt_app)
    app = App(paths=paths, exit_app=qt_app.exit, configure_logging=True, exit_when_shown=args.exit_when_shown,
              smoke_test=args.smoke_test)
    app.errors.install()
    try:
        app.start()
        code = qt_app.exec()
    finally:
        app.shutdown()
        app.errors.uninstall()
    return code


def _apply_due_plan_changes(services: Services) -> None:
    """Plan changes scheduled "at the next cycle" whose day has come are applied when the app opens (on the DB
    worker; also ``posapp-admin plan-change apply-due``). A failure is logged and never stops the counter."""
    from posapp.services.dto import SYSTEM_ACTOR

    try:
        applied = services.plan_changes.apply_due(SYSTEM_ACTOR)
    except Exception:  # logged; the counter opens anyway
        logging.getLogger(__name__).exception("Applying the due plan changes failed")
        return
    if applied:
        logging.getLogger(__name__).info("Applied %d scheduled plan change(s)", applied)


if __name__ == "__main__":
    sys.exit(main())

