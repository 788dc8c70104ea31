"""The device step: scan the IMEI (store stock or the customer's own); model, TAC, compatibility, block list."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from posapp.domain.money import format_cents
from posapp.services.activation.dto import DeviceCheck, LineDTO
from ui.views.activation.widgets import ScanBox, card, label, set_state

BLOCK_TEXT = {"clear": "Clear \u2014 not reported lost or stolen", "blocked": "BLOCKED \u2014 reported lost or stolen",
              "unknown": "Not checked \u2014 the block list could not be reached"}


class DevicePanel(QWidget):
    scanned = Signal(str, object)  # IMEI text, second IMEI text or None
    next_step = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActDevicePanel")
        self.scan = ScanBox(placeholder="Scan or type the IMEI (dial *#06#)", name="ActImei")
        self.result, rc = card("ActResult")
        self.model = label("", "ActResultTitle")
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        self.tac, self.compat, self.block, self.source = (label("", "ActValue") for _ in range(4))
        for row, (name, value) in enumerate((("TAC", self.tac), ("Network", self.compat),
                                             ("Block list", self.block), ("Source", self.source))):
            grid.addWidget(label(name, "FieldLabel", wrap=False), row, 0)
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)
        self.problems = label("", "ActProblems")
        self.verdict = label("", "ActVerdict")
        rc.addWidget(self.model)
        rc.addLayout(grid)
        rc.addWidget(self.problems)
        rc.addWidget(self.verdict)
        self.result.hide()
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(12)
        col.addWidget(label("Scan the device's IMEI barcode (box or SIM tray label). A dual-SIM phone: scan one "
                            "IMEI, then the second with a space between.", "ActHint"))
        col.addWidget(self.scan)
        col.addWidget(self.result)
        col.addStretch(1)
        self.scan.submitted.connect(self._submitted)
        self.scan.enter_empty.connect(self.next_step)

    def _submitted(self, text: str) -> None:
        first, _, second = text.partition(" ")
        self.scan.clear()
        self.scanned.emit(first, second.strip() or None)

    def show_check(self, check: DeviceCheck | None, *, refusal: str | None, line: LineDTO | None) -> None:
        """The last check (None: none yet); ``refusal``: why it cannot go on the line; ``line``: what is on it."""
        if check is None:
            if line is not None and line.imei:
                self._show_line(line)
            else:
                self.result.hide()
            return
        self.result.show()
        self.model.setText(check.model_name)
        self.tac.setText(f"{check.tac} \u00b7 IMEI {check.imei}" + (f" / {check.imei2}" if check.imei2 else ""))
        self.compat.setText(("Works on this network" if check.compatible else "Not compatible")
                            + (" \u00b7 eSIM capable" if check.esim_capable else " \u00b7 physical SIM only"))
        self.block.setText(BLOCK_TEXT.get(check.block_result, check.block_result))
        set_state(self.block, "ok" if check.block_result == "clear" else "bad")
        stock = check.inventory_id is not None
        self.source.setText(f"Store stock \u00b7 {format_cents(check.retail_cents)}" if stock
                            else "Customer's own device")
        self.problems.setText("\n".join(f"\u2717 {p}" for p in check.problems))
        self.problems.setVisible(bool(check.problems))
        on_line = line is not None and line.imei == check.imei
        if refusal:
            self.verdict.setText(f"Cannot use this device: {refusal}")
            set_state(self.verdict, "bad")
        elif on_line:
            self.verdict.setText("\u2713 On the line. Enter: next step")
            set_state(self.verdict, "ok")
        else:
            self.verdict.setText("Checking\u2026 putting it on the line")
            set_state(self.verdict, "wait")

    def _show_line(self, line: LineDTO) -> None:
        self.result.show()
        self.model.setText(line.model_name or "Device")
        self.tac.setText(f"IMEI {line.imei}")
        for w in (self.compat, self.block, self.source):
            w.setText("\u2014")
        self.problems.hide()
        self.verdict.setText("\u2713 On the line. Enter: next step \u00b7 scan another IMEI to change it")
        set_state(self.verdict, "ok")

    def focus(self) -> None:
        self.scan.setFocus(Qt.FocusReason.OtherFocusReason)
