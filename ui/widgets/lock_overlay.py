"""The idle lock screen: covers the whole main window (nothing behind it shows) until the same employee's PIN."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from posapp.errors import PosError
from ui.icons import pixmap
from ui.qt import named
from ui.views.login import digits_field

if TYPE_CHECKING:
    from posapp.services.dto import Actor
    from ui.worker import DbWorker

Unlock = Callable[["Actor", str], "Actor"]


class LockOverlay(QWidget):
    unlocked = Signal(object)  # Actor
    sign_out_requested = Signal()

    def __init__(self, *, actor: Actor, unlock: Unlock, worker: DbWorker, parent: QWidget) -> None:
        super().__init__(parent)
        self._host = parent  # the window this overlay covers
        self.setObjectName("LockOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._actor = actor
        self._unlock = unlock
        self._worker = worker
        self._busy = False

        card = named(QFrame(), "LockCard")
        card.setFixedWidth(440)
        c = QVBoxLayout(card)
        c.setContentsMargins(40, 36, 40, 32)
        c.setSpacing(8)
        glyph = QLabel()
        glyph.setPixmap(pixmap("lock", size=44, color="#0e8a83"))
        c.addWidget(glyph, 0, Qt.AlignmentFlag.AlignHCenter)
        c.addSpacing(6)
        title = named(QLabel("Screen locked"), "LockTitle")
        c.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        who = named(QLabel(f"{actor.name} · #{actor.number}"), "LockWho")
        c.addWidget(who, 0, Qt.AlignmentFlag.AlignHCenter)
        hint = named(QLabel("Enter your PIN to continue, or sign out so a colleague can sign in."), "Muted")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        c.addWidget(hint)
        c.addSpacing(12)
        pin_label = named(QLabel("PIN"), "FieldLabel")
        self.pin = digits_field(max_digits=8, secret=True, placeholder="Your PIN", name="LockPin")
        pin_label.setBuddy(self.pin)
        c.addWidget(pin_label)
        c.addWidget(self.pin)
        self.error = named(QLabel(""), "ErrorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        c.addWidget(self.error)
        c.addSpacing(8)
        buttons = QHBoxLayout()
        self.sign_out_button = QPushButton("Sign out")
        self.unlock_button = named(QPushButton("Unlock"), "PrimaryButton")
        self.unlock_button.setMinimumHeight(46)
        self.sign_out_button.setMinimumHeight(46)
        buttons.addWidget(self.sign_out_button, 1)
        buttons.addWidget(self.unlock_button, 2)
        c.addLayout(buttons)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self.setTabOrder(self.pin, self.unlock_button)
        self.setTabOrder(self.unlock_button, self.sign_out_button)
        self.pin.returnPressed.connect(self.submit)
        self.pin.textEdited.connect(lambda _t: self.error.setVisible(False))
        self.unlock_button.clicked.connect(self.submit)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
        return False

    def activate(self) -> None:
        """Cover the window and take the focus."""
        self.pin.clear()
        self.error.setVisible(False)
        self.setGeometry(self._host.rect())
        self.raise_()
        self.show()
        self.pin.setFocus()

    def submit(self) -> None:
        if self._busy:
            return
        pin = self.pin.text()
        if not pin:
            self._show_error("Enter your PIN.")
            return
        self._set_busy(True)
        unlock, actor = self._unlock, self._actor
        self._worker.run(lambda: unlock(actor, pin), self._succeeded, self._failed, owner=self)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.pin.setReadOnly(busy)
        self.unlock_button.setEnabled(not busy)
        self.unlock_button.setText("Checking…" if busy else "Unlock")

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        self.pin.setFocus()

    def _succeeded(self, actor: Actor) -> None:
        self._set_busy(False)
        self.pin.clear()
        self.hide()
        self.unlocked.emit(actor)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.pin.clear()
        if isinstance(exc, PosError):
            self._show_error(str(exc))
        else:
            self._show_error("Unlocking failed unexpectedly.")
            self._worker.report_unexpected(exc)
