"""Pieces every register dialog uses: the error line under a form and the OK/Cancel row."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QDialog, QDialogButtonBox, QLabel, QPushButton

from ui.qt import named

__all__ = ["error_label", "named", "ok_cancel"]


def error_label(col: QBoxLayout) -> QLabel:
    """A hidden, word-wrapped error line added to ``col``; show it with a message when the form is wrong."""
    error = named(QLabel(""), "ErrorText")
    error.setWordWrap(True)
    error.hide()
    col.addWidget(error)
    return error


def ok_cancel(dialog: QDialog, col: QBoxLayout, ok_text: str) -> QPushButton:
    """OK (named ``ok_text``, the primary button, calling ``dialog.submit``) and Cancel (rejecting) added to ``col``."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setProperty("primary", True)
    buttons.accepted.connect(dialog.submit)  # type: ignore[attr-defined]
    buttons.rejected.connect(dialog.reject)
    col.addWidget(buttons)
    return ok
