"""The status bar: store, terminal, signed-in employee, online/offline and the count of unsynced changes.

It reads :meth:`StatusService.terminal_info` through the DB worker and refreshes when data changed (coalesced,
so a burst of writes costs one query).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from posapp.errors import PosError

if TYPE_CHECKING:
    from posapp.services.dto import Actor, TerminalInfo
    from ui.worker import DbWorker

REFRESH_DELAY_MS = 150


def pill(name: str, text: str = "") -> QLabel:
    label = QLabel(text, objectName=name)
    return label


def role_label(actor: Actor) -> str:
    return str(actor.role.value).capitalize()


class StatusBarWidget(QWidget):
    def __init__(self, *, actor: Actor, terminal_info: Callable[[], TerminalInfo], worker: DbWorker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatusBarWidget")
        self._terminal_info = terminal_info
        self._worker = worker
        self._in_flight = False
        self._again = False
        self.info: TerminalInfo | None = None

        self.store_pill = pill("StatusPill", "Store …")
        self.terminal_pill = pill("StatusPill", "Terminal …")
        self.employee_pill = pill("StatusPill", f"{actor.name} · #{actor.number} · {role_label(actor)}")
        self.online_pill = pill("OfflinePill", "Checking connection…")
        self.unsynced_pill = pill("UnsyncedPill", "Unsynced changes: …")
        self.busy_pill = pill("BusyPill", "Working…")
        self.busy_pill.setVisible(worker.pending > 0)

        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 12, 4)
        row.setSpacing(8)
        for w in (self.store_pill, self.terminal_pill, self.employee_pill):
            row.addWidget(w)
        row.addStretch(1)
        for w in (self.busy_pill, self.online_pill, self.unsynced_pill):
            row.addWidget(w)

        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        worker.became_busy.connect(self.busy_pill.show)
        worker.became_idle.connect(self.busy_pill.hide)

    def schedule_refresh(self) -> None:
        """Refresh soon; several calls in a burst make one query."""
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        self._worker.run(self._terminal_info, self._show, self._failed, owner=self)

    def _show(self, info: TerminalInfo) -> None:
        self._done()
        self.info = info
        self.store_pill.setText(f"Store {info.store_id} · {info.store_name}")
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
