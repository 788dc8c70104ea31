"""The first step: which kind of activation. A list (↑↓ Enter, or the digit 1–5) and who it is for."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from posapp.domain.activation import ActivationKind
from posapp.workflows.activation import KIND_TITLES, LINE_KINDS
from ui.qt import named
from ui.views.activation.widgets import label

KINDS = (ActivationKind.ADD_LINE, ActivationKind.BYOD, ActivationKind.UPGRADE, ActivationKind.SIM_CHANGE,
         ActivationKind.NEW_ACCOUNT)
KIND_HELP = {
    ActivationKind.NEW_ACCOUNT: "The first line of an account just opened in Lookup (Ctrl+N there)",
    ActivationKind.ADD_LINE: "A new line with a phone from store stock",
    ActivationKind.UPGRADE: "A new phone on the selected line \u2014 pay in full or finance on EIP",
    ActivationKind.SIM_CHANGE: "Replacement SIM, or move the selected line to an eSIM",
    ActivationKind.BYOD: "A new line on the customer's own phone (IMEI check)",
}


class KindList(QListWidget):
    """The kinds; a digit picks its row and starts it at once."""

    chosen = Signal(object)  # ActivationKind

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        text = event.text()
        if text.isdigit() and 1 <= int(text) <= self.count():
            self.setCurrentRow(int(text) - 1)
            self._choose(self.currentItem())
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose(self.currentItem())
            return
        super().keyPressEvent(event)

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))


class KindPanel(QWidget):
    chosen = Signal(object)  # ActivationKind

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActKindPanel")
        self.who = label("", "ActWho")
        self.list = named(KindList(), "ActKinds")
        self.list.setAccessibleName("Kind of activation")
        for n, kind in enumerate(KINDS, start=1):
            item = QListWidgetItem(f"{n}   {KIND_TITLES[kind]}\n      {KIND_HELP[kind]}")
            item.setData(Qt.ItemDataRole.UserRole, kind)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        rows = sum(self.list.sizeHintForRow(r) for r in range(self.list.count()))
        self.list.setFixedHeight(max(rows, 5 * 62) + 24)  # every kind visible, no scroll bar
        self.hint = label("\u2191\u2193 and Enter, or the number. Verify the customer in Lookup (F2) first.",
                          "ActHint")
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(12)
        col.addWidget(self.who)
        col.addWidget(self.list)
        col.addWidget(self.hint)
        col.addStretch(1)
        self.list.chosen.connect(self.chosen)
        self.list.itemDoubleClicked.connect(lambda item: self.chosen.emit(item.data(Qt.ItemDataRole.UserRole)))

    def show_context(self, *, who: str, has_line: bool, verified: bool) -> None:
        """Who the order is for; the line kinds are offered only with a line picked in the account view."""
        self.who.setText(who)
        self.hint.setText("\u2191\u2193 and Enter, or the number."
                          + ("" if verified else " Verify the customer in Lookup (F2) first.")
                          + ("" if has_line else " Upgrade and SIM change: pick the line in the account view "
                             "(Lookup, Lines tab)."))
        for row in range(self.list.count()):
            item = self.list.item(row)
            kind = item.data(Qt.ItemDataRole.UserRole)
            enabled = has_line or kind not in LINE_KINDS
            flags = item.flags()
            item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if enabled else flags & ~Qt.ItemFlag.ItemIsEnabled)

    def focus(self) -> None:
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
