"""The visit's case: append-only notes, earlier cases, and "Close case & finish visit" with a disposition."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from posapp.domain.enums import Disposition
from posapp.services.interactions import CaseDTO, NoteDTO
from ui.qt import named
from ui.views.lookup.common import buddy_label, card, help_label, message_label, nice, section_title, show_error

if TYPE_CHECKING:
    from posapp.services.dto import Actor
    from posapp.services.interactions import InteractionService
    from posapp.services.verification import VerificationService, VisitDTO
    from ui.worker import DbWorker

DISPOSITIONS = {Disposition.RESOLVED: "Resolved", Disposition.FOLLOW_UP: "Follow-up required",
                Disposition.ESCALATED: "Escalated"}
FINISH_KEYS = "Ctrl+Return"


def note_line(note: NoteDTO) -> str:
    return f"{note.at.astimezone():%b %d %H:%M}  ·  {note.author}  —  {note.text}"


def case_line(case: CaseDTO) -> str:
    outcome = nice(case.disposition or case.status)
    if case.disposition_reason:
        outcome += f": {case.disposition_reason}"
    return f"{case.case_number}  ·  {case.opened_at.astimezone():%b %d, %Y}\n{case.reason} — {outcome}"


class CasePanel(QWidget):
    visit_finished = Signal()

    def __init__(self, *, interactions: InteractionService, verification: VerificationService, worker: DbWorker,
                 actor: Callable[[], Actor], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._interactions, self._verification = interactions, verification
        self._worker, self._actor = worker, actor
        self.visit: VisitDTO | None = None
        self._finishing = False

        notes, nc = card()
        self.title = section_title("This visit")
        nc.addWidget(self.title)
        self.notes = named(QListWidget(), "CaseNotes")
        self.notes.setWordWrap(True)
        self.no_notes = named(QLabel("No notes on this case yet.\nAdd what the customer needed and what was done."),
                              "NotesEmpty")
        self.no_notes.setWordWrap(True)
        self.no_notes.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note_stack = QStackedWidget()
        self.note_stack.addWidget(self.no_notes)
        self.note_stack.addWidget(self.notes)
        self.note = named(QLineEdit(), "NoteText")
        self.note.setPlaceholderText("What did the customer need? (never a PIN, card number or activation code)")
        self.note.setMaxLength(2000)
        self.add = named(QPushButton("Add &note"), "AddNote")
        self.note_error = message_label()
        nc.addWidget(self.note_stack, 1)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.add)
        nc.addLayout(row)
        nc.addWidget(self.note_error)
        nc.addWidget(help_label("Notes are append-only: once added they cannot be changed or removed."))

        finish, fc = card()
        fc.addWidget(section_title("Finish the visit"))
        self.disposition = named(QComboBox(), "Disposition")
        for value, label in DISPOSITIONS.items():
            self.disposition.addItem(label, value.value)
        self.reason = named(QLineEdit(), "DispositionReason")
        self.reason.setPlaceholderText("Reason (needed for follow-up or escalation)")
        self.finish = named(QPushButton("Close case && finish visit"), "FinishVisit")
        self.finish.setProperty("primary", True)
        self.finish.setToolTip("Closes the case with the disposition, ends the visit and goes back to the search "
                               "(Ctrl+Enter)")
        self.finish_error = message_label()
        fc.addWidget(buddy_label("&Disposition", self.disposition))
        fc.addWidget(self.disposition)
        fc.addWidget(buddy_label("&Reason", self.reason))
        fc.addWidget(self.reason)
        fc.addWidget(self.finish_error)
        fc.addWidget(self.finish)
        fc.addSpacing(8)
        fc.addWidget(section_title("Earlier cases"))
        self.earlier = named(QListWidget(), "EarlierCases")
        self.earlier.setWordWrap(True)
        fc.addWidget(self.earlier, 1)

        row = QHBoxLayout(self)
        row.setContentsMargins(16, 16, 16, 16)
        row.setSpacing(16)
        row.addWidget(notes, 3)
        row.addWidget(finish, 2)
        self.add.clicked.connect(self._add_note)
        self.note.returnPressed.connect(self._add_note)
        self.finish.clicked.connect(self._finish)
        self.reason.returnPressed.connect(self._finish)
        shortcut = QShortcut(QKeySequence(FINISH_KEYS), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self._finish)

    def show_case(self, visit: VisitDTO, cases: Sequence[CaseDTO]) -> None:
        self.clear()
        self.visit = visit
        self.title.setText(f"THIS VISIT · CASE {visit.case_number}")
        current = next((c for c in cases if c.id == visit.case_id), None)
        for note in current.notes if current else ():
            self.notes.addItem(note_line(note))
        self.note_stack.setCurrentWidget(self.notes if self.notes.count() else self.no_notes)
        for c in cases:
            if c.id != visit.case_id:
                self.earlier.addItem(case_line(c))
        if not self.earlier.count():
            self.earlier.addItem("No earlier cases on this account.")

    def clear(self) -> None:
        self.visit = None
        self._finishing = False
        self.title.setText("THIS VISIT")
        self.notes.clear()
        self.note.clear()
        self.reason.clear()
        self.disposition.setCurrentIndex(0)
        self.earlier.clear()
        self.note_stack.setCurrentWidget(self.no_notes)
        self.note_error.hide()
        self.finish_error.hide()

    def focus_finish(self) -> None:
        self.disposition.setFocus(Qt.FocusReason.OtherFocusReason)

    def _add_note(self) -> None:
        text = self.note.text()
        if self.visit is None or self.visit.case_id is None or not text.strip():
            return
        interactions, actor, case_id = self._interactions, self._actor(), self.visit.case_id
        self.note_error.hide()
        self._worker.run(lambda: interactions.add_note(actor, case_id, text), self._note_added,
                         lambda exc: show_error(self.note_error, exc, self._worker), owner=self)

    def _note_added(self, note: NoteDTO) -> None:
        self.notes.addItem(note_line(note))
        self.notes.scrollToBottom()
        self.note_stack.setCurrentWidget(self.notes)
        self.note.clear()

    def _finish(self) -> None:
        if self.visit is None or self._finishing:
            return
        self._finishing = True
        self.finish_error.hide()
        interactions, verification, actor = self._interactions, self._verification, self._actor()
        visit_id, case_id = self.visit.id, self.visit.case_id
        disposition, reason = self.disposition.currentData(), self.reason.text()

        def close() -> None:
            if case_id is not None:
                interactions.close(actor, case_id, disposition=disposition, reason=reason)
            verification.end_visit(actor, visit_id)

        self._worker.run(close, lambda _r: self._finished(), self._finish_failed, owner=self)

    def _finished(self) -> None:
        self._finishing = False
        self.visit_finished.emit()

    def _finish_failed(self, exc: BaseException) -> None:
        self._finishing = False
        show_error(self.finish_error, exc, self._worker)
        self.reason.setFocus()
