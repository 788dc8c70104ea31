"""The account view's activation entry points, under the lines table: Add a line (the account), Upgrade and Change
SIM / move to eSIM (the selected line). Each opens the Activation page (F4) on the visit; the buttons follow the
service's decisions (disabled with the reason as tooltip) while the activation service stays the real guard."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from posapp.domain.account_rules import AccountAction, Decision
from posapp.domain.activation import ActivationKind
from posapp.services.account_view import LineView
from ui.qt import named

ADD_LINE_KEYS, UPGRADE_KEYS, SIM_KEYS = "Ctrl+Shift+N", "Ctrl+Shift+U", "Ctrl+Shift+S"
_NOT_VERIFIED = Decision(False, "Verify the customer first.")


class LineActivationActions(QWidget):
    requested = Signal(object, object)  # ActivationKind, the line's id (None: a new line on the account)

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.add = named(QPushButton(f"Add a line   {_native(ADD_LINE_KEYS)}"), "ActAddLineButton")
        self.upgrade = named(QPushButton(f"Upgrade   {_native(UPGRADE_KEYS)}"), "ActUpgradeButton")
        self.sim = named(QPushButton(f"Change SIM / move to eSIM   {_native(SIM_KEYS)}"), "ActSimButton")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for b in (self.add, self.upgrade, self.sim):
            row.addWidget(b)
        row.addStretch(1)
        self._line: LineView | None = None
        for button, keys, kind in ((self.add, ADD_LINE_KEYS, ActivationKind.ADD_LINE),
                                   (self.upgrade, UPGRADE_KEYS, ActivationKind.UPGRADE),
                                   (self.sim, SIM_KEYS, ActivationKind.SIM_CHANGE)):
            button.clicked.connect(lambda _c=False, k=kind: self._request(k))
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda k=kind, b=button: b.isVisible() and b.isEnabled() and self._request(k))
        self.show_line(None, {})

    def show_line(self, line: LineView | None, decisions: dict[AccountAction, Decision]) -> None:
        """Gate the buttons for the selected ``line`` (None: no line selected) with the visit's decisions."""
        self._line = line
        _gate(self.add, decisions.get(AccountAction.ADD_LINE, _NOT_VERIFIED))
        if line is None:
            for b in (self.upgrade, self.sim):
                b.setEnabled(False)
                b.setToolTip("Select a line first.")
            return
        _gate(self.upgrade, decisions.get(AccountAction.CHANGE_PLAN, _NOT_VERIFIED))
        sim = decisions.get(AccountAction.SIM_CHANGE, _NOT_VERIFIED)
        if sim.allowed and line.sim_protection:
            sim = Decision(False, "SIM protection is on for this line: the primary holder must remove it first.")
        _gate(self.sim, sim)

    def _request(self, kind: ActivationKind) -> bool:
        line_id: uuid.UUID | None = None
        if kind is not ActivationKind.ADD_LINE:
            if self._line is None:
                return False
            line_id = self._line.id
        self.requested.emit(kind, line_id)
        return True


def _gate(button: QPushButton, decision: Decision) -> None:
    button.setEnabled(decision.allowed)
    button.setToolTip("Opens the Activation page (F4)" if decision.allowed else decision.reason)


def _native(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
