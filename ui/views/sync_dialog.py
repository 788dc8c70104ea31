"""The sync-details dialog: where the terminal stands with the central store, recent runs, flagged conflicts.

Everything shown comes from :meth:`SyncService.status` (local tables, read on the DB worker); "Sync now" only asks
the background sync worker for a run — the dialog never waits on the network. Conflicts flagged by the central
store (a field overwritten by a later edit elsewhere, one IMEI sold or activated twice, an oversold item) and this
terminal's own (a pulled row held back because a row here has the same employee number: "Two employees have number
8001 (Sim Rep at T01 and Sim Rep at T02) — renumber one ...", from :attr:`ConflictView.summary`) are a manager's
list: a rep sees how many there are, a manager sees them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posapp.errors import PosError
from ui.widgets.status_bar import sync_texts

if TYPE_CHECKING:
    from posapp.services.sync import SyncStatus
    from ui.worker import DbWorker

RUN_COLUMNS = ("Started", "Trigger", "Result", "Sent", "Replays", "Rejected", "Received", "Conflicts", "Took",
               "Note")
CONFLICT_COLUMNS = ("Kind", "What", "Detail", "Detected")
PROBLEM_COLUMNS = ("Direction", "What", "Reason", "When")
KIND_LABELS = {"field_lww": "Edited in two places", "uniqueness": "Same IMEI twice", "oversell": "Oversold",
               "local_unique": "Same number twice"}


CLAIM_VERBS = {"imei_sold": "sold", "imei_activated": "activated", "imei_traded_in": "traded in"}


def describe_conflict(kind: str, detail: str) -> str:
    """A manager-readable line for a conflict's detail (JSON from the central store). Values of profile fields are
    never shown here: the losing value may be a customer's contact data and stays in the central conflict log."""
    try:
        d = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(d, dict):
        return detail
    if kind == "uniqueness":
        stores = sorted({str(o.get("store_id", "?")) for o in d.get("others", []) if isinstance(o, dict)})
        verb = CLAIM_VERBS.get(str(d.get("claim")), str(d.get("claim", "claimed")).replace("_", " "))
        where = ", ".join(f"store {s}" for s in stores) or "another terminal"
        return f"IMEI {d.get('key', '?')} {verb} here and also at {where}; both records are kept."
    if kind == "field_lww":
        return (f"'{d.get('field', '?')}' was changed in two places; the later change stands, the other is kept "
                "in the central conflict log.")
    if kind == "oversell":
        return f"{d.get('sku', '?')}: stock went to {d.get('on_hand', '?')} — sold more than the store had."
    return detail


def _label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    return label


def _table(columns: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if text.lstrip("-").replace(",", "").isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class SyncDetailsDialog(QDialog):
    sync_now_requested = Signal()

    def __init__(self, *, load: Callable[[], SyncStatus], worker: DbWorker, timezone: str,
                 can_see_conflicts: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SyncDetails")
        self.setWindowTitle("Sync with the central store")
        self.resize(980, 620)
        self._load = load
        self._worker = worker
        self._tz = ZoneInfo(timezone)
        self._can_see_conflicts = can_see_conflicts
        self.status: SyncStatus | None = None

        self.headline = _label("Reading sync status…", "SyncHeadline")
        self.subline = _label("", "SyncSubline")
        self.subline.setWordWrap(True)
        self.sync_now = QPushButton("Sync now")
        self.sync_now.setObjectName("PrimaryButton")
        self.sync_now.setToolTip("Ask for a sync run now; it runs in the background.")
        self.sync_now.clicked.connect(self._sync_now)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)

        self.runs = _table(RUN_COLUMNS, "SyncRuns")
        self.conflicts = _table(CONFLICT_COLUMNS, "SyncConflicts")
        self.problems = _table(PROBLEM_COLUMNS, "SyncProblems")
        self.conflict_title = _label("Conflicts flagged for a manager", "SyncSection")
        self.conflict_note = _label("", "SyncSubline")
        self.problem_title = _label("Changes the central store refused", "SyncSection")

        top = QHBoxLayout()
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.subline)
        top.addLayout(text, 1)
        top.addWidget(self.sync_now, 0, Qt.AlignmentFlag.AlignTop)

        col = QVBoxLayout(self)
        col.setContentsMargins(20, 18, 20, 16)
        col.setSpacing(8)
        col.addLayout(top)
        col.addWidget(_label("Recent sync runs", "SyncSection"))
        col.addWidget(self.runs, 3)
        col.addWidget(self.conflict_title)
        col.addWidget(self.conflict_note)
        col.addWidget(self.conflicts, 2)
        col.addWidget(self.problem_title)
        col.addWidget(self.problems, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(close)
        col.addLayout(buttons)

    # -- data ------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self._worker.run(self._load, self.show_status, self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.headline.setText("The sync status could not be read")
        self.subline.setText(str(exc) if isinstance(exc, PosError) else "See the log for details.")
        if not isinstance(exc, PosError):
            self._worker.report_unexpected(exc)

    def _sync_now(self) -> None:
        self.sync_now.setEnabled(False)
        self.sync_now.setText("Sync requested…")
        self.sync_now_requested.emit()

    def run_finished(self) -> None:
        """The background worker ended a run: show the new state."""
        self.sync_now.setEnabled(True)
        self.sync_now.setText("Sync now")
        self.refresh()

    def _when(self, at: datetime | None) -> str:
        if at is None:
            return "—"
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        return at.astimezone(self._tz).strftime("%b %d %H:%M:%S")

    def show_status(self, status: SyncStatus) -> None:
        self.refresh_button.setEnabled(True)
        self.status = status
        _name, text, _tip, unsynced = sync_texts(status)
        self.headline.setText(text)
        last = self._when(status.last_success_at) if status.last_success_at else "never"
        lines = [f"Central store: {status.central_label} · {unsynced} · last successful sync: {last} · "
                 f"runs every {status.interval_seconds} s."]
        if status.online is False:
            lines.append(f"Last error: {status.last_error or 'the central store did not answer'}. Sales go on; "
                         "changes are kept safely on this PC and sent when the link is back.")
        elif status.online is None:
            lines.append("This terminal has not reached the central store yet; every change is kept on this PC.")
        self.subline.setText("\n".join(lines))
        _fill(self.runs, [self._run_row(r) for r in status.recent_runs])

        n = len(status.conflicts)
        self.conflicts.setVisible(self._can_see_conflicts and n > 0)
        if not self._can_see_conflicts:
            self.conflict_note.setText(f"{n} open conflict{'s' if n != 1 else ''}. A manager can see and clear them.")
        elif n == 0:
            self.conflict_note.setText("None open.")
        else:
            self.conflict_note.setText(f"{n} open. Both records are kept; decide which one stands.")
        if self._can_see_conflicts:
            _fill(self.conflicts, [(KIND_LABELS.get(c.kind, c.kind), f"{c.entity} {c.entity_id[:13]}",
                                    c.summary or describe_conflict(c.kind, c.detail),
                                    c.detected_at[:19].replace("T", " ")) for c in status.conflicts])
        self.problem_title.setVisible(bool(status.problems))
        self.problems.setVisible(bool(status.problems))
        _fill(self.problems, [(p.direction, f"{p.entity} {p.entity_id[:13]}", p.reason, self._when(p.at))
                              for p in status.problems])

    def _run_row(self, r: object) -> tuple[str, ...]:
        from posapp.services.sync import SyncRunView

        assert isinstance(r, SyncRunView)
        if r.finished_at is None:
            result = "Running"
        elif r.ok:
            result = "OK"
        elif r.error:
            result = "Offline" if r.error.startswith("offline") else "Failed"
        else:
            result = "Differs"
        took = f"{r.seconds:.1f} s" if r.seconds is not None else "—"
        note = r.error or (f"rebuilt {', '.join(r.rebuilt)}" if r.rebuilt else "")
        if r.diverged:
            note = f"still differs: {', '.join(r.diverged)}"
        return (self._when(r.started_at), r.trigger, result, f"{r.pushed:,}", f"{r.duplicates:,}",
                f"{r.rejected:,}", f"{r.pulled:,}", f"{r.conflicts:,}", took, note)

