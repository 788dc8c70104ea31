"""The SMS simulator's box: in training mode only, the text the simulator "sent", so the demo can go on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

TITLE = "SMS SIMULATOR — demo only"


def _label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    return label


class SmsSimulatorBox(QFrame):
    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SmsSimulator")
        self.setAccessibleName(TITLE)
        self.title = _label(TITLE, "SmsSimulatorTitle")
        self.label = _label("", "SmsSimulatorLabel")
        self.to = _label("", "SmsSimulatorTo")
        self.text = _label("", "SmsSimulatorText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.label)
        col = QVBoxLayout(self)
        col.setContentsMargins(18, 12, 18, 14)
        col.setSpacing(6)
        col.addLayout(head)
        col.addWidget(self.to)
        col.addWidget(self.text)
        self.hide()

    def show_message(self, *, to: str, text: str, label: str) -> None:
        self.label.setText(label)
        self.to.setText(f"Message to {to} — on a real store system the customer's phone receives this:")
        self.text.setText(text)
        self.show()

    def clear(self) -> None:
        for w in (self.label, self.to, self.text):
            w.setText("")
        self.hide()
