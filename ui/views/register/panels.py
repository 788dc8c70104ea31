"""The register's small panels: the customer strip, refund mode, the drawer button, the cart's action buttons, the
signature state and Complete. Each renders the :class:`posapp.workflows.sale.SaleFlow` it is given and emits what
the rep asked for; none calls a service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from posapp.workflows.sale import SaleFlow
    from ui.views.register.customer import CustomerRef


def _button(text: str, name: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return b


def _label(text: str, name: str, *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


def repolish(w: QWidget) -> None:
    w.style().unpolish(w)
    w.style().polish(w)


def _row(parent: QWidget, *widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout(parent)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(10)
    for w in widgets:
        row.addWidget(w)
    return row


class CustomerStrip(QFrame):
    """Who the sale is for: a walk-in, or the customer verified in Lookup."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerStrip")
        self.name = _label("Walk-in customer", "StripName")
        self.info = _label("Verify them in Lookup (F2)", "StripInfo")
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        strip = QHBoxLayout(self)
        strip.setContentsMargins(16, 8, 16, 8)
        strip.setSpacing(12)
        strip.addWidget(self.name)
        strip.addWidget(self.info, 1)

    def show_customer(self, customer: CustomerRef | None) -> None:
        if customer is None:
            self.name.setText("Walk-in customer")
            self.info.setText("Verify them in Lookup (F2)")
        else:
            self.name.setText(customer.name)
            self.info.setText(f"Verified \u00b7 account {customer.masked_account}".rstrip(" \u00b7"))
        self.setProperty("verified", customer is not None)
        repolish(self)


class RefundPanel(QWidget):
    """Refund mode: the orange badge and the F8 toggle."""

    toggle = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.badge = _label("REFUND MODE", "RefundBadge")
        self.badge.hide()
        self.button = _button("Refund  F8", "RefundToggle")
        self.button.setCheckable(True)
        _row(self, self.badge, self.button)
        self.button.clicked.connect(lambda _c=False: self.toggle.emit())

    def show_flow(self, flow: SaleFlow) -> None:
        self.badge.setVisible(flow.refund_mode)
        self.button.setChecked(flow.refund_mode)


class DrawerPanel(QWidget):
    """The drawer button (the float and drawer dialogs are opened by the page's drawer controller)."""

    open_drawer = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = _button("Drawer\u2026", "DrawerButton")
        _row(self, self.button)
        self.button.clicked.connect(lambda _c=False: self.open_drawer.emit())


class CartActions(QWidget):
    """Bill pay (Ctrl+B) and Void sale."""

    bill_pay = Signal()
    void = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pay_button = _button("Bill pay", "AccountPayment")
        self.pay_button.setToolTip("A payment on an account or a financed device (Ctrl+B)")
        self.void_button = _button("Void sale", "VoidSale")
        _row(self, self.pay_button, self.void_button)
        self.pay_button.clicked.connect(lambda _c=False: self.bill_pay.emit())
        self.void_button.clicked.connect(lambda _c=False: self.void.emit())

    def show_flow(self, flow: SaleFlow) -> None:
        self.void_button.setEnabled(flow.can_void)


class SignaturePanel(QWidget):
    """Whether the customer must sign and has; "Sign on this screen" when there is no customer display."""

    sign_here = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = _label("", "SignatureState", wrap=True)
        self.state.hide()
        self.button = _button("Sign on this screen", "SignHere")
        self.button.hide()
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(6)
        col.addWidget(self.state)
        col.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.button.clicked.connect(lambda _c=False: self.sign_here.emit())

    def show_flow(self, flow: SaleFlow) -> None:
        waiting = flow.awaiting_signature
        self.state.setVisible(flow.signature_required)
        self.state.setText("Signature needed \u2014 waiting for the customer to sign" if waiting
                           else "\u2713 Signed by the customer")
        self.state.setProperty("done", "no" if waiting else "yes")
        repolish(self.state)
        self.button.setVisible(waiting)


class CompletePanel(QWidget):
    """Complete (Ctrl+Enter) and, while it is disabled, the reason."""

    complete = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reason = _label("", "CompleteReason", wrap=True)
        self.button = _button("Complete sale   Ctrl+Enter", "CompleteSale")
        self.button.setProperty("primary", True)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(self.reason)
        col.addWidget(self.button)
        self.button.clicked.connect(lambda _c=False: self.complete.emit())

    def show_flow(self, flow: SaleFlow) -> None:
        reason = flow.why_not_complete()
        done = flow.receipt is not None or flow.reprint_no is not None
        self.button.setEnabled(reason is None)
        self.reason.setText(reason or "")
        self.reason.setVisible(bool(reason) and not done)
        self.button.setVisible(not done)
