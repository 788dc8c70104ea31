"""The sign-in window: employee number + PIN.

It is shown before the database is open (the composition root opens it in the background); until
:meth:`LoginWindow.set_ready` is called the Sign in button is disabled with an "Opening database…" note.
This module is on the startup path: it does not import the ``Qt`` namespace at module level (its enums cost
~12 ms to create); alignment comes from the stylesheet and input-method hints are set once the DB is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QCloseEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posapp.errors import PosError
from ui.qt import named
from ui.widgets.brand import PRODUCT_NAME, PRODUCT_TAGLINE, BrandMark

if TYPE_CHECKING:
    from posapp.services.dto import Actor
    from ui.worker import DbWorker

SignIn = Callable[[str, str], "Actor"]


def digits_field(*, max_digits: int, secret: bool, placeholder: str, name: str, hints: bool = True) -> QLineEdit:
    """A digits-only line edit (masked if ``secret``); ``hints=False`` leaves the on-screen-keyboard hints for
    :func:`set_digit_hints` (startup path)."""
    field = QLineEdit()
    field.setObjectName(name)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{max_digits}}}"), field))
    field.setMaxLength(max_digits)
    field.setPlaceholderText(placeholder)
    if secret:
        field.setEchoMode(QLineEdit.EchoMode.Password)
    if hints:
        set_digit_hints(field)
    return field


def set_digit_hints(field: QLineEdit) -> None:
    """Ask on-screen keyboards for a digit pad; no prediction or memory for masked fields."""
    from PySide6.QtCore import Qt

    hints = Qt.InputMethodHint.ImhDigitsOnly
    if field.echoMode() == QLineEdit.EchoMode.Password:
        hints |= Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
    field.setInputMethodHints(hints)


class LoginWindow(QWidget):
    signed_in = Signal(object)  # posapp.services.dto.Actor
    closed = Signal()

    def __init__(self, *, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._sign_in: SignIn | None = None
        self._busy = False
        self.setObjectName("LoginWindow")
        self.setWindowTitle(f"{PRODUCT_NAME} — Sign in")
        self._build()
        self._set_note("Opening database…")
        self._update_button()

    # -- layout ---------------------------------------------------------------------------------------------
    def _build(self) -> None:
        brand = named(QFrame(), "BrandPanel")
        b = QVBoxLayout(brand)
        b.setContentsMargins(56, 56, 56, 40)
        b.setSpacing(0)
        b.addWidget(BrandMark(size=64))
        b.addSpacing(28)
        b.addWidget(named(QLabel(PRODUCT_NAME), "BrandName"))
        b.addWidget(named(QLabel(PRODUCT_TAGLINE), "BrandTagline"))
        b.addStretch(1)
        self.store_label = named(QLabel(""), "BrandStore")
        self.store_label.setWordWrap(True)
        b.addWidget(self.store_label)
        self.terminal_label = named(QLabel(""), "BrandFooter")
        b.addWidget(self.terminal_label)

        card = named(QFrame(), "LoginCard")
        card.setFixedWidth(440)
        c = QVBoxLayout(card)
        c.setContentsMargins(40, 40, 40, 36)
        c.setSpacing(8)
        c.addWidget(named(QLabel("Sign in"), "LoginTitle"))
        hint = named(QLabel("Use your employee number and PIN."), "Muted")
        c.addWidget(hint)
        c.addSpacing(20)
        self.number = digits_field(max_digits=8, secret=False, placeholder="e.g. 1001", name="EmployeeNumber",
                                   hints=False)
        self.pin = digits_field(max_digits=8, secret=True, placeholder="4–8 digits", name="Pin", hints=False)
        for text, field in (("Employee number", self.number), ("PIN", self.pin)):
            label = named(QLabel(text), "FieldLabel")
            label.setBuddy(field)
            c.addWidget(label)
            c.addWidget(field)
            c.addSpacing(10)
        self.error = named(QLabel(""), "ErrorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        c.addWidget(self.error)
        c.addSpacing(6)
        self.button = named(QPushButton("Sign in"), "PrimaryButton")
        self.button.setMinimumHeight(48)
        c.addWidget(self.button)
        c.addSpacing(6)
        self.note = named(QLabel(""), "LoginNote")
        c.addWidget(self.note)

        form_side = named(QWidget(), "LoginSide")
        f = QVBoxLayout(form_side)
        f.setContentsMargins(24, 24, 24, 28)
        f.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        f.addLayout(row)
        f.addStretch(1)
        footer = named(QLabel("Signing in is recorded in the store's audit log."), "LoginFooter")
        f.addWidget(footer)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(brand, 2)
        outer.addWidget(form_side, 3)

        self.setTabOrder(self.number, self.pin)
        self.setTabOrder(self.pin, self.button)
        self.number.returnPressed.connect(self._number_entered)
        self.pin.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)
        self.number.textEdited.connect(self._clear_error)
        self.pin.textEdited.connect(self._clear_error)
        self.number.setFocus()

    # -- state ----------------------------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self._sign_in is not None

    def set_ready(self, *, sign_in: SignIn, store_name: str, terminal_id: str) -> None:
        """The database is open: enable signing in and show where we are."""
        self._sign_in = sign_in
        set_digit_hints(self.number)
        set_digit_hints(self.pin)
        self.set_store(store_name=store_name, terminal_id=terminal_id)
        self._set_note("")
        self._update_button()

    def set_store(self, *, store_name: str, terminal_id: str) -> None:
        self.store_label.setText(store_name)
        self.terminal_label.setText(f"Terminal {terminal_id}")

    def set_unavailable(self, note: str) -> None:
        """The database could not be opened: signing in stays off."""
        self._sign_in = None
        self._set_note(note)
        self._update_button()

    def reset(self) -> None:
        """Back to an empty form (after sign-out)."""
        self.number.clear()
        self.pin.clear()
        self._clear_error()
        self._set_busy(False)
        self.number.setFocus()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)

    def _clear_error(self) -> None:
        self.error.clear()
        self.error.setVisible(False)

    def _set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.number.setReadOnly(busy)
        self.pin.setReadOnly(busy)
        self.button.setText("Checking…" if busy else "Sign in")
        self._update_button()

    def _update_button(self) -> None:
        self.button.setEnabled(self.ready and not self._busy)

    # -- actions --------------------------------------------------------------------------------------------
    def _number_entered(self) -> None:
        if self.pin.text():
            self.submit()
        else:
            self.pin.setFocus()

    def submit(self) -> None:
        if self._sign_in is None or self._busy:
            return
        number, pin = self.number.text().strip(), self.pin.text()
        if not number:
            self.show_error("Enter your employee number.")
            self.number.setFocus()
            return
        if not pin:
            self.show_error("Enter your PIN.")
            self.pin.setFocus()
            return
        self._clear_error()
        self._set_busy(True)
        sign_in = self._sign_in
        self._worker.run(lambda: sign_in(number, pin), self._succeeded, self._failed, owner=self)

    def _succeeded(self, actor: Actor) -> None:
        self._set_busy(False)
        self.pin.clear()
        self.signed_in.emit(actor)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.pin.clear()
        self.pin.setFocus()
        if isinstance(exc, PosError):
            self.show_error(str(exc))
        else:
            self.show_error("Signing in failed unexpectedly.")
            self._worker.report_unexpected(exc)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        super().closeEvent(event)
        self.closed.emit()
