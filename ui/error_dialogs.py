"""Showing errors: *rejected* ones (the message is fit to show) and *bugs* (logged with a traceback, error id shown).

:class:`ErrorReporter` is created by the composition root. ``install()`` makes it the ``sys.excepthook`` and the
``threading.excepthook``; it is only called from ``ui.app.main`` so tests never swap process-wide hooks.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from posapp.errors import PosError

Parent = Callable[[], QWidget | None]


def message_box(*, icon: QMessageBox.Icon, title: str, text: str, details: str = "",
                parent: QWidget | None = None) -> QMessageBox:
    """A window-modal, non-blocking message box (Escape and Enter close it); the caller ``open()``s it."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("ErrorBox")
    if details:
        box.setInformativeText(details)
    box.setEscapeButton(QMessageBox.StandardButton.Ok)
    return box


class ErrorReporter(QObject):
    """Shows an unexpected error as a short message with an error id; the traceback goes to the log."""

    error_reported = Signal(str)  # the error id
    _from_thread = Signal(object, str)

    def __init__(self, *, log_dir: Path | None, parent_window: Parent = lambda: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log_dir = log_dir
        self._parent_window = parent_window
        self._boxes: list[QMessageBox] = []
        self._from_thread.connect(self.report)
        self._previous: tuple[object, object] | None = None

    @property
    def last_box(self) -> QMessageBox | None:
        return self._boxes[-1] if self._boxes else None

    def report(self, exc: BaseException, context: str = "") -> str:
        """Log ``exc`` with its traceback and show a short message with the error id; return the id."""
        if isinstance(exc, PosError):  # not a bug: show the message as it is
            self._show(QMessageBox.Icon.Warning, "posapp", str(exc), "")
            return ""
        from posapp.logs import LOG_FILE, report_exception  # not on the startup path

        error_id = report_exception(exc, context=context)
        where = f"\nThe details are in {self._log_dir / LOG_FILE}." if self._log_dir else ""
        self._show(QMessageBox.Icon.Critical, "Something went wrong",
                   f"Something went wrong and this action did not finish.\nError id: {error_id}",
                   f"Tell IT the error id.{where}")
        self.error_reported.emit(error_id)
        return error_id

    def _show(self, icon: QMessageBox.Icon, title: str, text: str, details: str) -> None:
        box = message_box(icon=icon, title=title, text=text, details=details, parent=self._parent_window())
        box.finished.connect(lambda _r, b=box: self._forget(b))
        self._boxes.append(box)
        box.open()

    def _forget(self, box: QMessageBox) -> None:
        if box in self._boxes:
            self._boxes.remove(box)
        box.deleteLater()

    # -- process-wide hooks (main() only) ------------------------------------------------------------------
    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def _excepthook(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        self.report(exc.with_traceback(tb), "uncaught")

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self._from_thread.emit(args.exc_value, f"thread {args.thread.name if args.thread else '?'}")
