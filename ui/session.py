"""One signed-in employee's session: the main window, the idle lock, settings, and signing out.

Built by the composition root (:class:`ui.app.App`) after a successful sign-in; it hands each view exactly the
service calls it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from posapp.config import SPECS
from posapp.domain.enums import Role
from ui.idle import IdleWatcher
from ui.main_window import MainWindow
from ui.views.activation import links as activation_links
from ui.views.activation.page import ActivationPage
from ui.views.coming_soon import ComingSoonPage
from ui.views.lookup.page import LookupPage
from ui.views.pages import key_help, pages_for
from ui.views.register.page import RegisterPage, link_lookup
from ui.views.settings_dialog import SettingsDialog
from ui.views.sync_dialog import SyncDetailsDialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from posapp.config import Settings
    from posapp.services.dto import Actor
    from posapp.services.registry import Services
    from posapp.services.sync import SyncStatus
    from ui.bridge import EventBridge
    from ui.customer_window import CustomerWindow
    from ui.sync_worker import SyncWorker
    from ui.worker import DbWorker


class Session(QObject):
    ended = Signal()  # signed out; the login window comes back
    quit_requested = Signal()  # the main window was closed: sign out, then quit

    def __init__(self, *, actor: Actor, services: Services, worker: DbWorker, bridge: EventBridge,
                 device_worker: DbWorker | None = None, customer_idle: Callable[[], None], idle_ms: int | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self._services = services
        self._worker = worker
        self._device_worker = device_worker or worker  # tests may pass one worker for both
        self._bridge = bridge
        self._customer_idle = customer_idle  # the customer display may come and go with its setting
        self._fixed_idle_ms = idle_ms
        self._ending = False
        self._closed = False
        self.settings_dialog: SettingsDialog | None = None
        self.sync_dialog: SyncDetailsDialog | None = None
        self._sync_worker: SyncWorker | None = None
        settings = services.settings.current()

        keys = key_help(actor.role)
        self.register_page: RegisterPage | None = None
        self.activation_page: ActivationPage | None = None
        self._display: CustomerWindow | None = None
        self._unlink_activation: Callable[[], None] | None = None
        pages = [(spec, LookupPage(lookup=services.lookup, verification=services.verification,
                                   accounts=services.accounts, customers=services.customers,
                                   interactions=services.interactions, sms=services.sms, worker=worker,
                                   device_worker=self._device_worker, auth=services.auth, actor=actor,
                                   plan_changes=services.plan_changes)
                  if spec.key == "lookup"
                  else self._register_page(services, worker, actor, settings) if spec.key == "register"
                  else self._activation_page(services, worker, actor) if spec.key == "activation"
                  else ComingSoonPage(spec=spec, keys=keys))
                 for spec in pages_for(actor.role)]
        self.main_window = MainWindow(
            actor=actor, pages=pages, store_name=settings.store_name,
            terminal_info=services.status.terminal_info, unlock=services.auth.unlock, worker=worker,
            can_edit_settings=actor.role is Role.ADMIN, sync_status=services.sync.status)
        lookup_page = next((w for _s, w in pages if isinstance(w, LookupPage)), None)
        if lookup_page is not None and self.register_page is not None:
            link_lookup(lookup_page, self.register_page)
        self._link_activation(lookup_page, bridge)
        self.main_window.sign_out_requested.connect(self.sign_out)
        self.main_window.settings_requested.connect(self.open_settings)
        self.main_window.closed.connect(self._window_closed)
        self.main_window.locked.connect(self._locked)
        self.main_window.unlocked.connect(self._unlocked)
        bridge.data_changed.connect(self.main_window.status.schedule_refresh)
        self.main_window.status.details_requested.connect(self.open_sync_details)
        self.main_window.status.sync_changed.connect(self._sync_state)
        self.main_window.status.refresh()

        self.idle = IdleWatcher(interval_ms=self._idle_interval(settings), parent=self)
        self.idle.went_idle.connect(self.main_window.lock)
        self.idle.start()
        customer_idle()

    def _register_page(self, services: Services, worker: DbWorker, actor: Actor, settings: Settings) -> QWidget:
        self.register_page = RegisterPage(
            register=services.register, receipts=services.receipts, auth=services.auth, worker=worker,
            device_worker=self._device_worker, actor=actor,
            discount_limit_percent=settings.discount_limit_percent, store_timezone=settings.store_timezone,
            save_folder=services.core.paths.receipts / "to-email", reports_dir=services.core.paths.root / "reports")
        return self.register_page

    def _activation_page(self, services: Services, worker: DbWorker, actor: Actor) -> QWidget:
        self.activation_page = ActivationPage(
            activation=services.activation, cart=services.register.cart, worker=worker,
            device_worker=self._device_worker, actor=actor, auth=services.auth, plans=services.activation.plans)
        return self.activation_page

    def _link_activation(self, lookup_page: LookupPage | None, bridge: EventBridge) -> None:
        page = self.activation_page
        unlinks: list[Callable[[], None]] = []
        if lookup_page is not None:
            unlinks.append(activation_links.link_account_activations(
                lookup_page, bridge, self._services.activation.for_account, page))

        def unlink_all() -> None:
            for unlink in unlinks:
                unlink()

        self._unlink_activation = unlink_all
        if page is None:
            return
        show = self.main_window.show_page
        if lookup_page is not None:
            activation_links.link_lookup(lookup_page, page, show)
        if self.register_page is not None:
            activation_links.link_register(page, self.register_page, show)
        unlinks.append(activation_links.link_events(bridge, page, lambda: self._display))

    def set_customer_display(self, window: CustomerWindow | None) -> None:
        """The customer-facing window follows the register's sale (None: switched off); the eSIM QR goes to it."""
        self._display = window if not self._closed else None
        if self.register_page is not None and not self._closed:
            self.register_page.set_customer_display(window)

    def _idle_interval(self, settings: Settings) -> int:
        return self._fixed_idle_ms if self._fixed_idle_ms is not None else settings.idle_lock_minutes * 60_000

    def apply_settings(self, settings: Settings) -> None:
        self.main_window.set_store_name(settings.store_name)
        self.idle.set_interval_ms(self._idle_interval(settings))
        self.main_window.status.schedule_refresh()

    def _locked(self) -> None:
        self.idle.stop()
        self._customer_idle()

    def _unlocked(self) -> None:
        self.idle.start()
        if self.register_page is not None:
            self.register_page.refresh_display()

    # -- sync --------------------------------------------------------------------------------------------------
    def attach_sync_worker(self, sync_worker: SyncWorker | None) -> None:
        """The app's background sync worker (None: sync is switched off); its runs refresh the status bar."""
        self._sync_worker = sync_worker

    def sync_started(self) -> None:
        if not self._closed:
            self.main_window.status.set_syncing(True)

    def sync_ended(self, _result: object = None) -> None:
        if self._closed:
            return
        self.main_window.status.set_syncing(False)
        if self.sync_dialog is not None:
            self.sync_dialog.run_finished()

    def _sync_state(self, status: SyncStatus) -> None:
        if self.register_page is not None and not self._closed:
            self.register_page.set_link_down(status.online is False)

    def open_sync_details(self) -> None:
        if self.main_window.is_locked:
            return
        if self.sync_dialog is None:
            self.sync_dialog = SyncDetailsDialog(
                load=self._services.sync.status, worker=self._worker,
                timezone=self._services.settings.current().store_timezone,
                can_see_conflicts=self.actor.role in (Role.MANAGER, Role.ADMIN), parent=self.main_window)
            self.sync_dialog.sync_now_requested.connect(self._sync_now)
        self.sync_dialog.refresh()
        self.sync_dialog.show()
        if QGuiApplication.platformName() != "offscreen":  # the test platform cannot raise windows
            self.sync_dialog.raise_()

    def _sync_now(self) -> None:
        if self._sync_worker is not None:
            self._sync_worker.sync_now()
        elif self.sync_dialog is not None:
            self.sync_dialog.run_finished()

    # -- settings (admin) -----------------------------------------------------------------------------------
    def open_settings(self) -> None:
        if self.actor.role is not Role.ADMIN or self.main_window.is_locked:
            return
        actor, settings = self.actor, self._services.settings
        self.settings_dialog = SettingsDialog(
            specs=SPECS, values=settings.current().as_dict(),
            save=lambda changes: settings.update(actor, changes), worker=self._worker, parent=self.main_window)
        self.settings_dialog.finished.connect(self._settings_closed)
        self.settings_dialog.open()

    def _settings_closed(self) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
            self.settings_dialog = None

    # -- ending ---------------------------------------------------------------------------------------------
    def sign_out(self) -> None:
        """Record the sign-out and go back to the login window."""
        if self._ending:
            return
        self._record_sign_out()
        self.close()
        self.ended.emit()

    def _window_closed(self) -> None:
        if self._ending:
            return
        self._record_sign_out()
        self.close()
        self.quit_requested.emit()

    def _record_sign_out(self) -> None:
        self._ending = True
        actor, auth = self.actor, self._services.auth
        self._worker.run(lambda: auth.sign_out(actor))

    def close(self) -> None:
        """Tear the session's windows down (idempotent)."""
        if self._closed:
            return
        self._ending = self._closed = True
        if self.register_page is not None:
            self.register_page.set_customer_display(None)
        self.idle.stop()
        self._bridge.data_changed.disconnect(self.main_window.status.schedule_refresh)
        if self._unlink_activation is not None:
            self._unlink_activation()
        self._display = None
        if self.settings_dialog is not None:
            self.settings_dialog.reject()
        if self.sync_dialog is not None:
            self.sync_dialog.reject()
        if self.main_window.isVisible():
            self.main_window.close()
        self.main_window.deleteLater()
        self._customer_idle()
