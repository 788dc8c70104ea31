"""The status bar: store, terminal, signed-in employee, online/offline, unsynced changes and their age.

It reads :meth:`StatusService.terminal_info` and :meth:`SyncService.status` (local tables only, never the
network) through the DB worker and refreshes when data changed or a sync run ended (coalesced, so a burst of
writes costs one query). The sync pills open the sync-details dialog. Between refreshes a timer re-renders the
age of the last sync ("synced 25 s ago") every :data:`TICK_MS` from the status it holds (no query). A TRAINING
badge shows while training mode is on, and a pill names each device that is not configured.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from posapp.errors import PosError

if TYPE_CHECKING:
    from posapp.services.dto import Actor, TerminalInfo
    from posapp.services.sync import SyncStatus
    from ui.worker import DbWorker

REFRESH_DELAY_MS = 150
TICK_MS = 5_000
TRAINING_TIP = ("Training mode: simulators stand in for devices and every receipt says \"TRAINING — not a receipt "
                "for payment\". An admin goes live with: posapp-admin config set training_mode false.")


def pill(name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    return label


class ClickablePill(QLabel):
    clicked = Signal()

    def __init__(self, name: str, text: str = "") -> None:
        super().__init__(text)
        self.setObjectName(name)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


def human_age(age: timedelta) -> str:
    """``45 s``, ``12 min``, ``3 h 05 min``, ``2 d 4 h`` — how long ago, for a glance at the status bar."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def sync_texts(sync: SyncStatus, *, now: datetime | None = None) -> tuple[str, str, str, str]:
    """(pill object name, online text, its tooltip, unsynced text) for a sync status."""
    now = now or datetime.now(UTC)
    last = f"last sync {human_age(now - sync.last_success_at)} ago" if sync.last_success_at else "never synced"
    age = sync.oldest_age(now)
    unsynced = f"Unsynced: {sync.unsynced:,}" + (f" · oldest {human_age(age)}" if age is not None and sync.unsynced
                                                  else "")
    if sync.online is None:
        return ("OfflinePill", f"Not synced yet · {sync.central_label}",
                "This terminal has not reached the central store yet; every change is kept on this PC.", unsynced)
    if sync.online:
        return ("OnlinePill", f"Online · synced {human_age(now - sync.last_success_at)} ago"
                if sync.last_success_at else "Online",
                f"Central store: {sync.central_label}. Changes are sent every {sync.interval_seconds} s.", unsynced)
    reason = sync.last_error or "the central store did not answer"
    return ("OfflinePill", f"Offline · {last}",
            f"Central store: {sync.central_label}. {reason}\nSales go on; changes are kept safely on this PC and "
            "sent when the link is back.", unsynced)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def role_label(actor: Actor) -> str:
    return str(actor.role.value).capitalize()


class StatusBarWidget(QWidget):
    details_requested = Signal()  # the rep clicked a sync pill: show the sync-details dialog
    sync_changed = Signal(object)  # a fresh SyncStatus was shown

    def __init__(self, *, actor: Actor, terminal_info: Callable[[], TerminalInfo], worker: DbWorker,
                 sync_status: Callable[[], SyncStatus] | None = None, clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        """``clock``: the time the sync age is measured against (tests pass a controllable one)."""
        super().__init__(parent)
        self._clock = clock or _utc_now
        self._sync_status = sync_status
        self.sync: SyncStatus | None = None
        self._syncing = False
        self.setObjectName("StatusBarWidget")
        self._terminal_info = terminal_info
        self._worker = worker
        self._in_flight = False
        self._again = False
        self.info: TerminalInfo | None = None

        self.store_pill = pill("StatusPill", "Store …")
        self.terminal_pill = pill("StatusPill", "Terminal …")
        # The name is in the top bar's employee card; the status bar keeps to what fits beside the sync pills.
        self.employee_pill = pill("StatusPill", f"#{actor.number} · {role_label(actor)}")
        self.employee_pill.setToolTip(f"Signed in: {actor.name}")
        self.online_pill = ClickablePill("OfflinePill", "Checking connection…")
        self.unsynced_pill = ClickablePill("UnsyncedPill", "Unsynced changes: …")
        self.conflict_pill = ClickablePill("ConflictPill")
        self.conflict_pill.hide()
        for p in (self.online_pill, self.unsynced_pill, self.conflict_pill):
            p.clicked.connect(self.details_requested)
        self.busy_pill = pill("BusyPill", "Working…")
        self.busy_pill.setVisible(worker.pending > 0)
        self.training_pill = pill("TrainingPill", "TRAINING")
        self.training_pill.setAccessibleName("Training mode")
        self.training_pill.setToolTip(TRAINING_TIP)
        self.training_pill.hide()
        self.device_pill = pill("DevicePill")
        self.device_pill.hide()

        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 12, 4)
        row.setSpacing(8)
        for w in (self.training_pill, self.store_pill, self.terminal_pill, self.employee_pill, self.device_pill):
            row.addWidget(w)
        row.addStretch(1)
        for w in (self.busy_pill, self.conflict_pill, self.online_pill, self.unsynced_pill):
            row.addWidget(w)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.tick = QTimer(self)
        self.tick.setInterval(TICK_MS)
        self.tick.timeout.connect(self.render_age)
        self.tick.start()
        worker.became_busy.connect(self.busy_pill.show)
        worker.became_idle.connect(self.busy_pill.hide)

    def schedule_refresh(self) -> None:
        """Refresh soon; several calls in a burst make one query."""
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.tick.stop()

    def set_training(self, on: bool) -> None:
        """Show the TRAINING badge while training mode is on."""
        self.training_pill.setVisible(on)

    def set_device_problems(self, problems: list[str]) -> None:
        """Name the devices that are not configured (empty: hide the pill)."""
        if not problems:
            self.device_pill.hide()
            return
        first = problems[0].split(":")[0].rstrip(".")
        self.device_pill.setText(first if len(problems) == 1 else f"{len(problems)} devices not configured")
        self.device_pill.setToolTip("\n".join(problems))
        self.device_pill.show()

    def render_age(self) -> None:
        """Re-render the sync pills' ages from the status already held (the timer's tick; no query)."""
        if self.sync is not None and not self._syncing:
            self._render_sync(self.sync)

    def refresh(self) -> None:
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        terminal_info, sync_status = self._terminal_info, self._sync_status

        def read() -> tuple[TerminalInfo, SyncStatus | None]:
            return terminal_info(), sync_status() if sync_status is not None else None

        self._worker.run(read, self._show_both, self._failed, owner=self)

    def set_syncing(self, syncing: bool) -> None:
        """A sync run started (True) or ended (False) on the sync worker's thread."""
        self._syncing = syncing
        if syncing:
            self.online_pill.setText("Syncing…")
        else:
            self.schedule_refresh()

    def _show_both(self, result: tuple[TerminalInfo, SyncStatus | None]) -> None:
        info, sync = result
        self._show(info)
        if sync is not None:
            self._show_sync(sync)

    def _show_sync(self, sync: SyncStatus) -> None:
        self.sync = sync
        self._render_sync(sync)
        self.sync_changed.emit(sync)

    def _render_sync(self, sync: SyncStatus) -> None:
        name, text, tip, unsynced = sync_texts(sync, now=self._clock())
        self.online_pill.setObjectName(name)
        self.online_pill.setText("Syncing…" if self._syncing else text)
        self.online_pill.setToolTip(tip + "\nClick for sync details.")
        self._repolish(self.online_pill)
        self.unsynced_pill.setText(unsynced)
        n = len(sync.conflicts)
        self.conflict_pill.setText(f"{n} sync conflict{'s' if n != 1 else ''}")
        self.conflict_pill.setToolTip("Flagged by the central store for a manager. Click for details.")
        self.conflict_pill.setVisible(n > 0)

    def _show(self, info: TerminalInfo) -> None:
        self._done()
        self.info = info
        self.store_pill.setText(f"Store {info.store_id}")
        self.store_pill.setToolTip(info.store_name)
        self.terminal_pill.setText(f"Terminal {info.terminal_id}")
        if info.online:
            self.online_pill.setObjectName("OnlinePill")
            self.online_pill.setText(f"Online · {info.central_label}")
            self.online_pill.setToolTip("Changes are being sent to the central store.")
        else:
            self.online_pill.setObjectName("OfflinePill")
            self.online_pill.setText("Offline · central not configured")
            self.online_pill.setToolTip(
                f"Central store: {info.central_label}. Sync with the central store is not set up yet; every "
                "change is kept safely on this PC and counted as unsynced.")
        self._repolish(self.online_pill)
        self.unsynced_pill.setText(f"Unsynced changes: {info.unsynced_changes:,}")
        self.unsynced_pill.setToolTip("Changes saved on this PC that the central store has not confirmed yet.")

    def _failed(self, exc: BaseException) -> None:
        self._done()
        self.unsynced_pill.setText("Unsynced changes: ?")
        if not isinstance(exc, PosError):
            self._worker.report_unexpected(exc)

    def _done(self) -> None:
        self._in_flight = False
        if self._again:
            self._again = False
            self.schedule_refresh()

    @staticmethod
    def _repolish(w: QWidget) -> None:
        w.style().unpolish(w)
        w.style().polish(w)
