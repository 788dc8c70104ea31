"""The manager-override step: a manager's number + PIN and a reason inside another employee's action.

Usage from a view (later issues)::

    dialog = OverrideDialog(actor=actor, permission=Permission.REFUND, action="Refund $120.00",
                            auth=auth, worker=worker, parent=self)
    dialog.granted.connect(lambda override: ...)   # or: override = dialog.ask()  (modal)
    dialog.open()

The service checks the PIN, the manager's role, and audits the grant or refusal; the dialog only collects input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from posapp.errors import PosError
from ui.qt import named
from ui.views.login import digits_field

if TYPE_CHECKING:
    from posapp.security.permissions import Permission
    from posapp.services.dto import Actor, Override
    from ui.worker import DbWorker


class OverrideAuth(Protocol):
    def manager_override(self, actor: Actor, *, manager_number: str, manager_pin: str,
                         permission: Permission, reason: str) -> Override: ...


class OverrideDialog(QDialog):
    granted = Signal(object)  # Override

    def __init__(self, *, actor: Actor, permission: Permission, action: str, auth: OverrideAuth,
                 worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OverrideDialog")
        self.setWindowTitle("Manager approval")
        self.setModal(True)
        self.setMinimumWidth(480)
        self._actor, self._permission, self._auth, self._worker = actor, permission, auth, worker
        self.override: Override | None = None
        self._busy = False

        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 20)
        col.setSpacing(10)
        col.addWidget(named(QLabel("Manager approval needed"), "DialogTitle"))
        what = named(QLabel(f"{action}\nRequested by {actor.label}."), "Muted")
        what.setWordWrap(True)
        col.addWidget(what)
        form = QFormLayout()
        form.setVerticalSpacing(12)
        form.setHorizontalSpacing(16)
        self.number = digits_field(max_digits=8, secret=False, placeholder="Manager's number",
                                   name="ManagerNumber")
        self.pin = digits_field(max_digits=8, secret=True, placeholder="Manager's PIN", name="ManagerPin")
        self.reason = named(QLineEdit(), "OverrideReason")
        self.reason.setPlaceholderText("Why is this needed?")
        self.reason.setMaxLength(200)
        form.addRow("Manager number", self.number)
        form.addRow("PIN", self.pin)
        form.addRow("Reason", self.reason)
        col.addLayout(form)
        self.error = named(QLabel(""), "ErrorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        col.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.approve_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.approve_button.setText("Approve")
        self.approve_button.setProperty("primary", True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        col.addWidget(self.buttons)
        for field in (self.number, self.pin, self.reason):
            field.textEdited.connect(lambda _t: self.error.setVisible(False))
        self.number.setFocus()

    def ask(self) -> Override | None:
        """Show modally; the Override DTO if a manager approved, else None."""
        self.exec()
        return self.override

    def submit(self) -> None:
        if self._busy:
            return
        number, pin, reason = self.number.text().strip(), self.pin.text(), self.reason.text().strip()
        if not number or not pin:
            self._show_error("Enter the manager's number and PIN.", self.number if not number else self.pin)
            return
        if not reason:
            self._show_error("Give a reason for the override.", self.reason)
            return
        self._set_busy(True)
        auth, actor, permission = self._auth, self._actor, self._permission
        self._worker.run(lambda: auth.manager_override(actor, manager_number=number, manager_pin=pin,
                                                       permission=permission, reason=reason),
                         self._succeeded, self._failed, owner=self)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.approve_button.setEnabled(not busy)
        self.approve_button.setText("Checking…" if busy else "Approve")

    def _show_error(self, text: str, focus: QWidget) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        focus.setFocus()

    def _succeeded(self, override: Override) -> None:
        self._set_busy(False)
        self.override = override
        self.granted.emit(override)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.pin.clear()
        if isinstance(exc, PosError):
            self._show_error(str(exc), self.pin)
        else:
            self._show_error("The approval could not be checked.", self.pin)
            self._worker.report_unexpected(exc)
