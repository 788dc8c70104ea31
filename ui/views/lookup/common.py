"""Small helpers the lookup views share: showing a service's error inline, re-polishing styled widgets."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from posapp.errors import PosError
from ui.qt import named
from ui.worker import DbWorker


def repolish(widget: QWidget) -> None:
    """Apply a changed dynamic property to the stylesheet."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def set_prop(widget: QWidget, name: str, value: str) -> None:
    if widget.property(name) != value:
        widget.setProperty(name, value)
        repolish(widget)


def show_error(label: QLabel, exc: BaseException, worker: DbWorker) -> None:
    """A service's refusal goes into ``label``; anything else is a bug for the app's error handler."""
    if isinstance(exc, PosError):
        label.setText(str(exc))
        label.show()
    else:
        label.hide()
        worker.report_unexpected(exc)


def message_label(name: str = "InlineError") -> QLabel:
    label = named(QLabel(), name)
    label.setWordWrap(True)
    label.hide()
    return label


LEVEL_TEXT = {"none": "Not verified", "verified": "Verified", "step_up": "Step-up verified"}


class LevelBadge(QLabel):
    """The visit's verification level as a coloured pill (styled by the ``level`` property)."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LevelBadge")
        self.set_level("none")

    def set_level(self, level: str) -> None:
        self.setText(LEVEL_TEXT.get(level, level))
        self.setAccessibleName(f"Verification: {self.text()}")
        set_prop(self, "level", level)


def card(name: str = "LookupCard") -> tuple[QFrame, QVBoxLayout]:
    frame = named(QFrame(), name)
    col = QVBoxLayout(frame)
    col.setContentsMargins(20, 16, 20, 18)
    col.setSpacing(10)
    return frame, col


def section_title(text: str) -> QLabel:
    return named(QLabel(text.upper()), "SectionTitle")


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A field label whose ``&`` mnemonic (Alt+letter) moves the focus to ``buddy``."""
    label = named(QLabel(text), "FieldLabel")
    label.setBuddy(buddy)
    return label


def help_label(text: str) -> QLabel:
    label = named(QLabel(text), "FieldHelp")
    label.setWordWrap(True)
    return label


def format_phone(e164: str | None) -> str:
    """``+12065550142`` → ``(206) 555-0142`` (display only; other numbers as stored)."""
    if e164 and len(e164) == 12 and e164.startswith("+1") and e164[1:].isdigit():
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    return e164 or "—"


def nice(value: str | None) -> str:
    """``in_use`` → ``In use``."""
    return value.replace("_", " ").capitalize() if value else "—"
