"""Pieces the activation panels share: the scan box, keyed buttons, cards, labels and how a line is described."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from posapp.domain.activation import DeviceSource, LineActivationStatus, NumberSource, SimKind
from posapp.domain.money import format_cents
from posapp.services.activation.dto import LineDTO
from ui.qt import named
from ui.views.lookup.common import format_phone, repolish

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
STATUS_TEXT = {
    LineActivationStatus.DRAFT: "Draft",
    LineActivationStatus.PENDING_PAYMENT: "In the cart \u2014 pending until paid",
    LineActivationStatus.QUEUED: "Paid \u2014 activation pending (waiting to be sent)",
    LineActivationStatus.SUBMITTED: "Sent to the carrier \u2014 pending",
    LineActivationStatus.IN_PROGRESS: "In progress at the carrier",
    LineActivationStatus.ON_HOLD: "On hold",
    LineActivationStatus.REJECTED: "Rejected \u2014 fix and send again",
    LineActivationStatus.ACTIVE: "Active",
    LineActivationStatus.FAILED: "Failed",
    LineActivationStatus.CANCELLED: "Cancelled",
}


class ScanBox(QLineEdit):
    """A one-line entry for the scanner or the keyboard: Enter with text is ``submitted(text)``; Enter in the
    empty box is ``enter_empty`` (the page moves on)."""

    submitted = Signal(str)
    enter_empty = Signal()

    def __init__(self, *, placeholder: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(placeholder)
        self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if (watched is self and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in _ENTER and not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)):
            text = self.text().strip()
            if text:
                self.submitted.emit(text)
            else:
                self.enter_empty.emit()
            return True
        return super().eventFilter(watched, event)


def keyed(text: str, keys: str, name: str, *, primary: bool = False) -> QPushButton:
    """A button that shows its shortcut (the page's shortcut does the work; the button is for the mouse)."""
    button = named(QPushButton(f"{text}   {keys}" if keys else text), name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if primary:
        button.setProperty("primary", True)
    return button


def label(text: str, name: str, *, wrap: bool = True) -> QLabel:
    out = named(QLabel(text), name)
    out.setWordWrap(wrap)
    return out


def card(name: str = "ActCard") -> tuple[QFrame, QVBoxLayout]:
    frame = named(QFrame(), name)
    col = QVBoxLayout(frame)
    col.setContentsMargins(20, 16, 20, 18)
    col.setSpacing(10)
    return frame, col


def set_state(widget: QWidget, state: str) -> None:
    """The ``state`` property the stylesheet colours by (ok | bad | wait | none)."""
    if widget.property("state") != state:
        widget.setProperty("state", state)
        repolish(widget)


def number_text(line: LineDTO) -> str:
    if line.number_source is NumberSource.PORT_IN and line.port_in is not None:
        return f"Transfer {format_phone(line.port_in.msisdn)} from {line.port_in.old_carrier}"
    if line.msisdn:
        return format_phone(line.msisdn)
    return "\u2014"


def sim_text(line: LineDTO) -> str:
    if line.sim_kind is SimKind.ESIM:
        code = f" \u00b7 code {line.esim_code_masked}" if line.esim_code_masked else ""
        return f"eSIM (EID \u2026{(line.eid or '')[-6:]}){code}"
    if line.sim_kind is SimKind.PHYSICAL:
        return f"SIM card \u2026{(line.iccid or '')[-5:]}"
    return "\u2014"


def device_text(line: LineDTO) -> str:
    if line.imei is None:
        return "Keeps the device on the line" if line.device_source is DeviceSource.KEEP else "\u2014"
    own = " (customer's own)" if line.device_source is DeviceSource.OWN else ""
    return f"{line.model_name or 'Device'}{own} \u00b7 IMEI {line.imei}"


def plan_text(line: LineDTO) -> str:
    if line.plan_code is None:
        return "\u2014"
    features = f" + {', '.join(line.features)}" if line.features else ""
    return f"{line.plan_name or line.plan_code}{features}"


def payment_text(line: LineDTO) -> str:
    if line.financed and line.eip is not None:
        q = line.eip
        return (f"EIP: {format_cents(q.down_payment_cents)} down, {q.months} \u00d7 {format_cents(q.monthly_cents)}"
                f" (financed {format_cents(q.financed_cents)})")
    return "Paid in full" if line.device_source is DeviceSource.STORE else "\u2014"


def status_text(line: LineDTO) -> str:
    text = STATUS_TEXT.get(line.status, line.status.value)
    return f"{text}: {line.reason}" if line.reason else text
