"""The SIM step: scan the SIM card's ICCID, or the device's EID for an eSIM (the box tells them apart by length).

An eSIM's activation code is never shown here: after payment the carrier issues it and it goes as a QR code to
the customer window; this panel and the status panel show only its masked form.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from posapp.domain.activation import SimKind
from posapp.services.activation.dto import LineDTO
from ui.views.activation.widgets import ScanBox, label, set_state, sim_text

EID_RE = re.compile(r"^\d{32}$")
ICCID_RE = re.compile(r"^89\d{16,18}$")
NOT_A_SIM = "That is neither a SIM card number (ICCID: 89\u2026, 18\u201320 digits) nor an EID (32 digits)."


def read_sim(text: str) -> tuple[SimKind, str] | str:
    """What was scanned: ``(kind, digits)``, or the reason it is neither an ICCID nor an EID."""
    digits = re.sub(r"[\s-]", "", text).rstrip("Ff")  # some ICCID barcodes end in the filler F
    if EID_RE.match(digits):
        return SimKind.ESIM, digits
    if ICCID_RE.match(digits):
        return SimKind.PHYSICAL, digits
    return NOT_A_SIM


class SimPanel(QWidget):
    chosen = Signal(object, str)  # SimKind, the ICCID or EID digits
    next_step = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActSimPanel")
        self.scan = ScanBox(placeholder="Scan the SIM card (ICCID) or the phone's EID for an eSIM",
                            name="ActSim")
        self.esim_note = label("", "ActHint")
        self.current = label("", "ActVerdict")
        self.current.hide()
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(12)
        col.addWidget(label("Physical SIM: scan the barcode on the SIM card (an 18-digit number is completed "
                            "with its check digit). eSIM: scan the EID (Settings \u2192 About, or the box label). "
                            "The eSIM's activation code will appear as a QR code on the customer's screen only.",
                            "ActHint"))
        col.addWidget(self.scan)
        col.addWidget(self.esim_note)
        col.addWidget(self.current)
        col.addStretch(1)
        self.scan.submitted.connect(self._submitted)
        self.scan.enter_empty.connect(self.next_step)
        self.error_text = ""

    def _submitted(self, text: str) -> None:
        read = read_sim(text)
        if isinstance(read, str):
            self.error_text = read
            self.current.setText(read)
            set_state(self.current, "bad")
            self.current.show()
            return
        self.error_text = ""
        self.scan.clear()
        self.chosen.emit(*read)

    def show_line(self, line: LineDTO | None, *, esim_refusal: str | None) -> None:
        self.esim_note.setText(esim_refusal or "")
        self.esim_note.setVisible(bool(esim_refusal))
        if line is not None and line.sim_kind is not None:
            self.current.setText(f"\u2713 {sim_text(line)}. Enter: next step \u00b7 scan again to change it")
            set_state(self.current, "ok")
            self.current.show()
        elif not self.error_text:
            self.current.hide()

    def focus(self) -> None:
        self.scan.setFocus(Qt.FocusReason.OtherFocusReason)
