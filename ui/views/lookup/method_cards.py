"""The three verification method cards (widgets only; :class:`VerifyPanel` wires them to the service)."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.enums import PhotoIdType
from ui.qt import named
from ui.views.lookup.common import buddy_label, card, help_label, section_title

ID_TYPES = {PhotoIdType.DRIVERS_LICENSE: "Driver's license", PhotoIdType.STATE_ID: "State ID card",
            PhotoIdType.PASSPORT: "Passport", PhotoIdType.MILITARY_ID: "Military ID",
            PhotoIdType.PERMANENT_RESIDENT_CARD: "Permanent resident card"}
NOT_DONE = "Not checked yet"


def digits_field(name: str, max_len: int, placeholder: str) -> QLineEdit:
    field = named(QLineEdit(), name)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{max_len}}}"), field))
    field.setPlaceholderText(placeholder)
    return field


def _method_card(title: str) -> tuple[QFrame, QLabel, QVBoxLayout]:
    frame, col = card("MethodCard")
    frame.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # three equal columns
    frame.setMinimumWidth(240)
    col.addWidget(section_title(title))
    state = named(QLabel(NOT_DONE), "MethodState")
    state.setWordWrap(True)
    return frame, state, col


class MethodCards:
    """Builds the photo ID, account PIN and one-time code cards and keeps their controls as attributes."""

    def __init__(self) -> None:
        self.id_card, self.id_state, idc = _method_card("1 · Photo ID")
        self.id_type = named(QComboBox(), "IdType")
        for kind, label in ID_TYPES.items():
            self.id_type.addItem(label, kind.value)
        self.id_type.setAccessibleName("Photo ID type")
        self.id_match = named(QPushButton("ID &matches"), "IdMatches")
        self.id_match.setProperty("primary", True)
        self.id_match.setToolTip("The photo ID is valid and matches the customer and the account (Ctrl+I)")
        self.id_mismatch = named(QPushButton("&Doesn't match"), "IdMismatch")
        idc.addWidget(buddy_label("ID &type", self.id_type))
        idc.addWidget(self.id_type)
        idc.addWidget(self.id_match)
        idc.addWidget(self.id_mismatch)
        idc.addWidget(help_label("Check the photo and the name. Never type or copy the ID number."))
        idc.addStretch(1)
        idc.addWidget(self.id_state)

        self.pin_card, self.pin_state, pc = _method_card("2 · Account PIN")
        self.pin = digits_field("AccountPin", 15, "6–15 digits")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("Account PIN")
        self.pin.setToolTip("The customer types their account PIN (Ctrl+P)")
        self.check_pin = named(QPushButton("Check P&IN"), "CheckPin")
        self.check_pin.setProperty("primary", True)
        pc.addWidget(buddy_label("Account &PIN", self.pin))
        pc.addWidget(self.pin)
        pc.addWidget(self.check_pin)
        pc.addWidget(help_label("Let the customer type it. It is checked, never stored or shown."))
        pc.addStretch(1)
        pc.addWidget(self.pin_state)

        self.code_card, self.code_state, cc = _method_card("3 · One-time code by text")
        self.line = named(QComboBox(), "CodeLine")
        self.line.setAccessibleName("Line to text the code to")
        self.send = named(QPushButton("&Send code"), "SendCode")
        self.send.setToolTip("Text a 6-digit code to the chosen line; valid 30 minutes (Ctrl+S)")
        self.code = digits_field("OneTimeCode", 6, "6-digit code")
        self.code.setAccessibleName("One-time code")
        self.code.setToolTip("The code the customer received (Ctrl+K)")
        self.check_code = named(QPushButton("Check &code"), "CheckCode")
        cc.addWidget(buddy_label("&Line", self.line))
        cc.addLayout(_row(self.line, self.send))
        cc.addLayout(_row(self.code, self.check_code))
        cc.addStretch(1)
        cc.addWidget(self.code_state)

    @property
    def inputs(self) -> tuple[QWidget, ...]:
        return (self.id_type, self.id_match, self.id_mismatch, self.pin, self.check_pin, self.line, self.send,
                self.code, self.check_code)


def _row(main: QWidget, side: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    row.addWidget(main, 1)
    row.addWidget(side)
    return row
