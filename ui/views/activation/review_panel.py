"""The review step (every line of the order, its warnings, Into the cart) and the live status of each line once the
order is in the cart or paid (pending, queued, at the carrier, active, on hold, rejected → fix the transfer)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from posapp.domain.activation import LineActivationStatus
from posapp.services.activation.dto import ActivationDTO, LineDTO
from posapp.workflows.activation import KIND_TITLES, ActivationFlow, ActivationStep
from ui.views.activation.number_panel import PortInFields
from ui.views.activation.widgets import (
    card,
    device_text,
    keyed,
    label,
    number_text,
    payment_text,
    plan_text,
    set_state,
    sim_text,
    status_text,
)
from ui.views.lookup.tables import DataTable
from ui.views.register.common import money

TO_CART_KEYS = "F12"
ADD_LINE_KEYS = "Ctrl+N"
CANCEL_KEYS = "Ctrl+Del"
FIX_KEYS = "Ctrl+R"
_BAD = frozenset({LineActivationStatus.ON_HOLD, LineActivationStatus.REJECTED, LineActivationStatus.FAILED})


class ReviewPanel(QWidget):
    to_cart = Signal()
    add_line = Signal()
    edit_line = Signal(int)  # line_no: Enter on a row edits that line from its first step

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActReviewPanel")
        self.table = DataTable(headers=("Line", "Device", "SIM", "Number", "Plan \u00b7 payment"), stretch=1,
                               name="ActReviewTable")
        self.table.verticalHeader().setDefaultSectionSize(56)
        self.warnings = label("", "ActWarning")
        self.reason = label("", "ActReason")
        self.cart_button = keyed("Into the cart", TO_CART_KEYS, "ActToCart", primary=True)
        self.add_button = keyed("Add another line", ADD_LINE_KEYS, "ActAddLine")
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        row.addWidget(self.cart_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(12)
        col.addWidget(label("Check each line with the customer (\u2191\u2193 and Enter edits a line). Into the cart "
                            "puts the device, the SIM or eSIM and the activation fee into the register's sale: the "
                            "order stays pending until the sale is paid, then it goes to the carrier.", "ActHint"))
        col.addWidget(self.table, 1)
        col.addWidget(self.warnings)
        col.addWidget(self.reason)
        col.addLayout(row)
        self.cart_button.clicked.connect(self.to_cart)
        self.add_button.clicked.connect(self.add_line)
        edit = QShortcut(QKeySequence("Return"), self.table)
        edit.setContext(Qt.ShortcutContext.WidgetShortcut)
        edit.activated.connect(self._edit_current)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self._edit_current())
        self._line_nos: list[int] = []

    def _edit_current(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._line_nos):
            self.edit_line.emit(self._line_nos[row])

    def show_flow(self, flow: ActivationFlow) -> None:
        dto = flow.activation
        lines = dto.lines if dto is not None else ()
        self._line_nos = [ln.line_no for ln in lines]
        self.table.set_rows([(str(ln.line_no), device_text(ln).replace(" \u00b7 IMEI", "\nIMEI"), sim_text(ln),
                              number_text(ln), f"{plan_text(ln)}\n{_short_payment(ln)}") for ln in lines])
        warnings = dto.warnings if dto is not None else ()
        self.warnings.setText("\n".join(f"\u26a0 {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))
        reason = flow.why_not_to_cart()
        self.reason.setText(reason or "")
        self.reason.setVisible(bool(reason))
        self.cart_button.setEnabled(reason is None and not flow.busy)
        add = flow.why_not_add_line()
        self.add_button.setVisible(add is None)


class StatusPanel(QWidget):
    """Each line's status, live; the masked eSIM code; fixing a rejected transfer."""

    resubmit = Signal(object, object)  # LineDTO, PortInForm
    new_order = Signal()
    to_register = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActStatusPanel")
        self.headline = label("", "ActHeadline")
        self.table = DataTable(headers=("Line", "Number", "Device \u00b7 SIM", "Status"), stretch=3,
                               name="ActStatusTable")
        self.table.verticalHeader().setDefaultSectionSize(48)
        self.esim = label("", "ActEsimSent")
        self.esim.hide()
        self.fix_card, fc = card("ActFixCard")
        self.fix_title = label("", "ActResultTitle")
        self.fix = PortInFields()
        fc.addWidget(self.fix_title)
        fc.addWidget(self.fix)
        self.fix_card.hide()
        self.fix_button = keyed("Fix the transfer", FIX_KEYS, "ActFix")
        self.register_button = keyed("Go to the register", "F3", "ActGoRegister")
        self.new_button = keyed("New activation", TO_CART_KEYS, "ActNew", primary=True)
        row = QHBoxLayout()
        row.addWidget(self.fix_button)
        row.addStretch(1)
        row.addWidget(self.register_button)
        row.addWidget(self.new_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(12)
        col.addWidget(self.headline)
        col.addWidget(self.table, 1)
        col.addWidget(self.esim)
        col.addWidget(self.fix_card)
        col.addLayout(row)
        self._rejected: LineDTO | None = None
        self.fix_button.clicked.connect(self.open_fix)
        self.fix.submitted.connect(self._fixed)
        self.new_button.clicked.connect(self.new_order)
        self.register_button.clicked.connect(self.to_register)

    def show_flow(self, flow: ActivationFlow) -> None:
        dto = flow.activation
        if dto is None:
            return
        step = flow.step
        self.headline.setText(_headline(dto, step))
        set_state(self.headline, {ActivationStep.DONE: "ok", ActivationStep.NEEDS_ATTENTION: "bad"}.get(step, "wait"))
        self.table.set_rows([(str(ln.line_no), number_text(ln), f"{device_text(ln)}\n{sim_text(ln)}",
                              status_text(ln)) for ln in dto.lines])
        self._rejected = next((ln for ln in dto.lines if flow.why_not_resubmit(ln) is None), None)
        self.fix_button.setVisible(self._rejected is not None)
        if self._rejected is None:
            self.fix_card.hide()
        self.register_button.setVisible(step is ActivationStep.IN_CART)
        self.new_button.setVisible(step is not ActivationStep.IN_CART)

    def esim_sent(self, masked: str, *, shown: bool) -> None:
        """The carrier issued an eSIM code: only its masked form is shown here."""
        self.esim.setText(f"eSIM code sent to the customer screen ({masked})" if shown else
                          f"eSIM code {masked} is ready, but the customer display is off: turn it on in Settings "
                          "to show the QR code (it is never shown on this screen).")
        set_state(self.esim, "ok" if shown else "bad")
        self.esim.show()

    def open_fix(self) -> None:
        line = self._rejected
        if line is None or line.port_in is None:
            return
        self.fix_title.setText(f"Line {line.line_no}: {line.port_in.reason or line.reason or 'rejected'} \u2014 "
                               "correct it, type the account number and the transfer PIN again, Enter sends it.")
        self.fix.fill(line.port_in)
        self.fix_card.show()
        self.fix.focus()

    def _fixed(self, form: object) -> None:
        if self._rejected is not None:
            self.resubmit.emit(self._rejected, form)

    def fix_done(self) -> None:
        self.fix.clear()
        self.fix_card.hide()

    def clear(self) -> None:
        self.esim.hide()
        self.esim.setText("")
        self.fix_done()


def _short_payment(line: LineDTO) -> str:
    """``EIP $100.00 down · 24 × $45.83`` (the financed total is in the register's cart and on the receipt)."""
    q = line.eip
    if line.financed and q is not None:
        return f"EIP {money(q.down_payment_cents)} down \u00b7 {q.months} \u00d7 {money(q.monthly_cents)}"
    return payment_text(line)


def _headline(dto: ActivationDTO, step: ActivationStep) -> str:
    title = f"{KIND_TITLES[dto.kind]} \u00b7 {dto.number}"
    if step is ActivationStep.IN_CART:
        return f"{title}: in the register's cart \u2014 pending until the sale is paid (F3)."
    if step is ActivationStep.PROVISIONING:
        return f"{title}: paid \u2014 activation pending at the carrier. Statuses update here as answers arrive."
    if step is ActivationStep.NEEDS_ATTENTION:
        return f"{title}: a line needs attention (see its status)."
    return f"{title}: done \u2014 every line is active."
