"""The one search field: type-ahead on the DB worker, stale results dropped, barcode scanners recognised.

* Type-ahead: a search runs :data:`DEBOUNCE_MS` after the last change. Every search gets a sequence number; a
  result that comes back after a newer search was started is dropped, so the list always matches the text.
* A scanner is a keyboard that types very fast: a burst of at least :data:`SCAN_MIN_CHARS` characters with gaps
  under :data:`SCAN_GAP_S` ending in Enter searches at once (no debounce) and emits ``scanned``.
* Enter typed by a person picks the highlighted result (``submitted``), waiting for a pending search first.
  Up/Down/PageUp/PageDown move the highlight (``moved``) while the caret stays in the field; Esc clears it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from posapp.domain.query import PREFIXES, QueryKind
from posapp.services.lookup import LookupResult
from ui.qt import named
from ui.worker import DbWorker

DEBOUNCE_MS = 120
SCAN_GAP_S = 0.030
SCAN_MIN_CHARS = 6
PLACEHOLDER = "Phone, name, account no., IMEI, ICCID, e-mail, receipt — or scan a barcode"
PREFIX_HINT = "Force a kind:  p: phone   n: name   a: account   i: IMEI   s: ICCID   e: e-mail   r: receipt"
KIND_NAMES = {QueryKind.PHONE: "phone numbers", QueryKind.NAME: "names", QueryKind.ACCOUNT: "account numbers",
              QueryKind.IMEI: "IMEIs", QueryKind.ICCID: "SIM ICCIDs", QueryKind.EMAIL: "e-mail addresses",
              QueryKind.RECEIPT: "receipt numbers"}
# keyed by int: QKeyEvent.key() is typed int
_MOVES: dict[int, int] = {Qt.Key.Key_Down.value: 1, Qt.Key.Key_Up.value: -1, Qt.Key.Key_PageDown.value: 10,
                          Qt.Key.Key_PageUp.value: -10}
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def forced_kind(text: str) -> QueryKind | None:
    head = text.lstrip()[:2]
    if len(head) == 2 and head[1] == ":":
        return PREFIXES.get(head[0].lower())
    return None


class SearchBox(QWidget):
    results_ready = Signal(object)  # LookupResult matching the current text
    search_failed = Signal(object)  # the exception of a failed search
    submitted = Signal()  # a person pressed Enter: pick the highlighted result
    scanned = Signal(str)  # a scanner burst ended in Enter; searched at once
    moved = Signal(int)  # rows to move the highlight by

    def __init__(self, *, search: Callable[[str], LookupResult], worker: DbWorker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SearchBox")
        self._search = search
        self._worker = worker
        self._seq = 0
        self._shown = 0
        self._submit_when_ready = False
        self._last_key = 0.0
        self._burst = 0
        self.searches_started = 0
        self.dropped = 0
        self.result: LookupResult | None = None

        self.field = named(QLineEdit(), "SearchField")
        self.field.setPlaceholderText(PLACEHOLDER)
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Customer search")
        self.field.installEventFilter(self)
        self.field.textChanged.connect(self._changed)
        self.hint = named(QLabel(PREFIX_HINT), "SearchHint")
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the page
        self.summary = named(QLabel(""), "SearchSummary")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)

        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(6)
        col.addWidget(self.field)
        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        row.addWidget(self.summary)
        col.addLayout(row)

    # -- state ------------------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.field.text()

    @property
    def debounce_pending(self) -> bool:
        return self._timer.isActive()

    @property
    def is_current(self) -> bool:
        """The shown results belong to the text in the field (nothing waiting or in flight)."""
        return self._shown == self._seq and not self._timer.isActive() and self.result is not None

    def reset(self) -> None:
        """Empty the field (the next visit starts from scratch) and put the caret in it."""
        self.field.clear()
        self.focus()

    def cancel(self) -> None:
        """Forget a search that has not started yet, and ignore the results of any in flight."""
        self._timer.stop()
        self._submit_when_ready = False
        self._seq += 1
        self._shown = self._seq
        self.result = None

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.field.selectAll()

    # -- searching --------------------------------------------------------------------------------------
    def _changed(self, text: str) -> None:
        kind = forced_kind(text)
        self.hint.setText(f"Searching {KIND_NAMES[kind]} only" if kind in KIND_NAMES else PREFIX_HINT)
        self._submit_when_ready = False
        self._timer.start()

    def search_now(self) -> None:
        self._timer.stop()
        self._seq += 1
        seq, text, search = self._seq, self.field.text(), self._search
        self.searches_started += 1
        self._worker.run(lambda: (seq, search(text)), self._done, lambda exc: self._failed(seq, exc), owner=self)

    def _done(self, outcome: tuple[int, LookupResult]) -> None:
        seq, result = outcome
        if seq != self._seq:
            self.dropped += 1
            return
        self._shown = seq
        self.result = result
        n = len(result.hits)
        self.summary.setText(f"{n} match{'es' if n != 1 else ''} · {result.elapsed_ms:.0f} ms" if n else "")
        self.results_ready.emit(result)
        if self._submit_when_ready:
            self._submit_when_ready = False
            self.submitted.emit()

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._seq:
            self._submit_when_ready = False
            self.search_failed.emit(exc)

    # -- keys -------------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if watched is self.field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        now = time.monotonic()
        gap, self._last_key = now - self._last_key, now
        key = event.key()
        if key in _ENTER:
            burst, self._burst = self._burst, 0
            if burst >= SCAN_MIN_CHARS and gap < SCAN_GAP_S:
                self.search_now()
                self.scanned.emit(self.field.text())
            elif self.is_current:
                self.submitted.emit()
            else:
                self._submit_when_ready = True
                if self._timer.isActive() or self._shown == self._seq:
                    self.search_now()
            return True
        if key in _MOVES:
            self.moved.emit(_MOVES[key])
            return True
        if key == Qt.Key.Key_Escape and self.field.text():
            self.field.clear()
            return True
        if event.text() and event.text().isprintable():
            self._burst = self._burst + 1 if gap < SCAN_GAP_S else 1
        return False
