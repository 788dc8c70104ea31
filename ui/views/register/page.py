"""The Register page (F3): scan → cart → tenders → signature (when required) → complete → receipt.

The page composes; it decides nothing about the sale. It owns

* the state object, :class:`posapp.workflows.sale.SaleFlow` (every panel renders it, every refusal comes from it),
* one :class:`ui.runner.ServiceRunner` (DB worker, device worker, manager override, errors to the error line),
* the panels — cart (:mod:`.cart_panel`), totals, tenders (:mod:`.tender`), signature, Complete, receipt
  (:mod:`.receipt_panel`), refund and drawer buttons (:mod:`.panels`) —
* and the controllers that turn the panels' intents into service calls: cart (:mod:`.cart_ctl`), tenders
  (:mod:`.tenders_ctl`), signature (:mod:`.signature_ctl`), receipts and refunds (:mod:`.receipts_ctl`). They
  see the page only as a :class:`ui.views.register.host.PageHost`.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from posapp.workflows.sale import NO_TERMINAL, SaleFlow
from ui.runner import ServiceRunner
from ui.views.register.cart import TotalsPanel
from ui.views.register.cart_ctl import CartController
from ui.views.register.cart_panel import KEYS, CartPanel
from ui.views.register.customer import CustomerRef
from ui.views.register.drawer import DrawerDialog
from ui.views.register.forms import named
from ui.views.register.host import SaleRef
from ui.views.register.panels import CartActions, CompletePanel, CustomerStrip, DrawerPanel, RefundPanel, SignaturePanel
from ui.views.register.receipt_panel import ReceiptPanel
from ui.views.register.receipts_ctl import ReceiptController
from ui.views.register.signature_ctl import SignatureController
from ui.views.register.tender import TenderPanel
from ui.views.register.tenders_ctl import TenderController, TerminalInfo, terminal_info

if TYPE_CHECKING:
    from pathlib import Path

    from posapp.services.dto import Actor
    from posapp.services.register.dto import SaleDTO
    from posapp.services.register.receipts import ReceiptService
    from posapp.services.registry import Register
    from ui.customer_window import CustomerWindow
    from ui.views.lookup.page import LookupPage
    from ui.widgets.override_dialog import OverrideAuth, OverrideDialog
    from ui.worker import DbWorker

__all__ = ["KEYS", "CustomerRef", "RegisterPage", "link_lookup"]


def link_lookup(lookup: LookupPage, register: RegisterPage) -> None:
    """The register sells to the customer verified in Lookup (F2); finishing the visit makes it a walk-in again."""

    def verified(_visit: object) -> None:
        screen, visit = lookup.account.screen, lookup.visit
        if screen is None or visit is None:
            return
        masked = screen.masked
        register.set_customer(CustomerRef(account_id=visit.account_id, customer_id=visit.customer_id,
                                          name=masked.customer_name, masked_account=masked.masked_account_number,
                                          account_number=screen.details.account_number if screen.details else "",
                                          visit_id=visit.id))

    lookup.verified.connect(verified)
    lookup.visit_finished.connect(lambda: register.set_customer(None))


class RegisterPage(QWidget):
    sale_changed = Signal(object)  # SaleDTO | None (the customer display shows it)
    completed = Signal(object)  # SaleDTO (sale or refund), committed, with its receipt number
    receipt_ready = Signal(object)  # Path of the receipt PDF

    def __init__(self, *, register: Register, receipts: ReceiptService, auth: OverrideAuth, worker: DbWorker,
                 actor: Actor, device_worker: DbWorker | None = None, discount_limit_percent: int = 20,
                 store_timezone: str = "UTC", save_folder: Path, reports_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page_register")
        self._register, self._actor = register, actor
        self.store_timezone, self.reports_dir = store_timezone, reports_dir
        terminal = terminal_info(register.terminal)
        self._flow = SaleFlow(card_configured=terminal.configured)
        self._runner = ServiceRunner(worker=worker, device_worker=device_worker, auth=auth, actor=actor, owner=self,
                                     show_error=self._show_error)
        self._ref = SaleRef()
        self._customer: CustomerRef | None = None
        self._display: CustomerWindow | None = None
        self._dialog: QDialog | None = None
        self._build(terminal)
        self.cart_ctl = CartController(host=self, register=register, actor=actor, panel=self.cart,
                                       discount_limit_percent=discount_limit_percent, parent=self)
        self.tenders = TenderController(host=self, register=register, actor=actor, panel=self.tender,
                                        terminal=terminal, parent=self)
        self.signature = SignatureController(host=self, register=register, actor=actor, panel=self.signature_panel,
                                             parent=self)
        self.receipts = ReceiptController(host=self, register=register, receipts=receipts, actor=actor,
                                          panel=self.receipt_panel, save_folder=save_folder, parent=self)
        self._wire()
        self._keys()
        self.refresh()

    # -- composition ------------------------------------------------------------------------------------------
    def _build(self, terminal: TerminalInfo) -> None:
        self.strip, self.refund_panel, self.drawer_panel = CustomerStrip(), RefundPanel(), DrawerPanel()
        self.cart_actions, self.cart, self.totals = CartActions(), CartPanel(), TotalsPanel()
        self.tender = TenderPanel(simulator=terminal.is_simulator, terminal_label=terminal.label,
                                  cards=terminal.cards)
        if not terminal.configured:
            self.tender.card_button.setToolTip(NO_TERMINAL)
        self.signature_panel, self.complete_panel = SignaturePanel(), CompletePanel()
        self.receipt_panel = ReceiptPanel(runner=self._runner)
        self.tender.extra.addWidget(self.signature_panel)
        self.action_stack = named(QStackedWidget(), "ActionStack")
        self.action_stack.setContentsMargins(14, 12, 14, 12)
        self.action_stack.addWidget(self.tender)
        self.action_stack.addWidget(self.receipt_panel)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.strip, 1)
        for w in (self.refund_panel, self.drawer_panel, self.cart_actions):
            top.addWidget(w)
        side = named(QFrame(), "RegisterSide")
        side.setFixedWidth(392)
        right = QVBoxLayout(side)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(10)
        right.addWidget(self.totals)
        right.addWidget(self.action_stack, 1)
        right.addWidget(self.complete_panel)
        body = QHBoxLayout()
        body.setSpacing(18)
        body.addWidget(self.cart, 1)
        body.addWidget(side)
        col = QVBoxLayout(self)
        col.setContentsMargins(24, 16, 24, 14)
        col.setSpacing(12)
        col.addLayout(top)
        col.addLayout(body, 1)

    def _wire(self) -> None:
        self._runner.busy_changed.connect(self._busy)
        self._runner.override_closed.connect(lambda: QTimer.singleShot(0, self, self._refocus))
        self.receipts.completed.connect(self.completed)
        self.receipts.receipt_ready.connect(self.receipt_ready)
        self.cart.reprint.connect(self.receipts.reprint)
        self.cart.refund_from.connect(self.receipts.start_refund)
        self.cart.complete.connect(self._enter)
        self.cart_actions.bill_pay.connect(self.cart_ctl.ask_account_payment)
        self.cart_actions.void.connect(self.cart_ctl.void_sale)
        self.refund_panel.toggle.connect(self.toggle_refund_mode)
        self.drawer_panel.open_drawer.connect(self.open_drawer_dialog)
        self.complete_panel.complete.connect(self.complete)
        self.receipt_panel.print_requested.connect(self.receipts.print_receipt)
        self.receipt_panel.save_requested.connect(self.receipts.save_pdf)
        self.receipt_panel.new_sale.connect(self.new_sale)

    def _keys(self) -> None:
        for keys, slot in (("F8", self.toggle_refund_mode), ("F9", lambda: self.start_tender("cash")),
                           ("F10", lambda: self.start_tender("card")),
                           ("F11", lambda: self.start_tender("store_credit")), ("F12", self.new_sale),
                           ("Esc", self._escape), ("Ctrl+D", self.cart_ctl.ask_discount),
                           ("Ctrl+E", self.cart_ctl.ask_price), ("Ctrl+B", self.cart_ctl.ask_account_payment),
                           ("Ctrl+Return", self.complete), ("Ctrl+Enter", self.complete),
                           ("Ctrl+P", self.receipts.print_receipt), ("Ctrl+S", self.receipts.save_pdf),
                           ("Ctrl+R", self._retry_receipt)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _retry_receipt(self) -> None:
        """Ctrl+R: render again the receipt that could not be saved (only while it is shown as not saved)."""
        if self.receipt_panel.retry_button.isVisible() and self.receipt_panel.retry_button.isEnabled():
            self.receipts.retry()

    # -- PageHost ---------------------------------------------------------------------------------------------
    @property
    def flow(self) -> SaleFlow:
        return self._flow

    @property
    def runner(self) -> ServiceRunner:
        return self._runner

    @property
    def ref(self) -> SaleRef:
        return self._ref

    @property
    def customer(self) -> CustomerRef | None:
        return self._customer

    @property
    def display(self) -> CustomerWindow | None:
        return self._display

    @property
    def dialog(self) -> QDialog | None:
        """The open dialog (discount, price, float, drawer, refund, signature, bill pay)."""
        return self._dialog

    @property
    def override_dialog(self) -> OverrideDialog | None:
        return self._runner.override_dialog

    def widget(self) -> QWidget:
        return self

    def set_sale(self, sale: SaleDTO | None, *, select_line: int | None = None) -> None:
        if sale is not None and self._flow.receipt is not None:
            return  # a late answer about a sale that is already completed
        self._flow.show(sale)
        self.cart.show_lines(sale, select_line=select_line)
        self.refresh()
        self.announce(sale)
        self.signature.check()

    def announce(self, sale: SaleDTO | None) -> None:
        self.sale_changed.emit(sale)
        if self._display is not None:
            self._display.show_sale(sale)

    def refresh(self) -> None:
        flow = self._flow
        self.cart.show_flow(flow)
        self.totals.show_sale(flow.shown)
        self.tender.show_sale(flow.sale if flow.receipt is None else None, enabled=flow.can_pay,
                              card_enabled=flow.can_pay and flow.card_configured)
        for panel in (self.cart_actions, self.refund_panel, self.signature_panel, self.complete_panel):
            panel.show_flow(flow)
        shown = flow.receipt is not None or flow.reprint_no is not None
        self.action_stack.setCurrentWidget(self.receipt_panel if shown else self.tender)

    def message(self, text: str, *, error: bool) -> None:
        self.cart.message(text, error=error)

    def _show_error(self, text: str) -> None:
        self.message(text, error=True)
        self.focus_step()

    def focus_step(self) -> None:
        form = self.tender.form if self.action_stack.currentWidget() is self.tender else "receipt"
        if form == "cash":
            self.tender.cash.tendered.setFocus()
        elif form == "card" and self.tender.card.amount.isEnabled():
            self.tender.card.amount.setFocus()
        elif form == "store_credit":
            self.tender.credit.amount.setFocus()
        else:
            self.cart.scan.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_dialog(self, dialog: QDialog) -> None:
        self._dialog = dialog
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None
        dialog.deleteLater()
        QTimer.singleShot(0, self, self._refocus)

    def _refocus(self) -> None:
        """After a dialog: the rep's window takes the keyboard back (the scan field or the open tender form)."""
        if self._dialog is None and self.override_dialog is None and self.isVisible():
            self.window().activateWindow()
            self.focus_step()

    def _busy(self, calls: int) -> None:
        self._flow.calls = calls

    def clear_for_new_sale(self) -> None:
        self._ref = SaleRef()
        self._flow.new_sale()
        self.tender.show_choose()
        self.cart.message("", error=False)
        self.cart.error.hide()
        self.set_sale(None)
        self.focus_step()

    # -- what the rep does --------------------------------------------------------------------------------------
    @property
    def sale(self) -> SaleDTO | None:
        return self._flow.sale

    @property
    def receipt(self) -> SaleDTO | None:
        """The completed sale or refund shown in the receipt panel."""
        return self._flow.receipt.sale if self._flow.receipt is not None else None

    @property
    def refund_mode(self) -> bool:
        return self._flow.refund_mode

    @property
    def busy(self) -> bool:
        return self._flow.busy

    def start_tender(self, kind: str) -> None:
        self.tenders.start(kind)

    def complete(self) -> None:
        self.receipts.complete()

    def _enter(self) -> None:
        """Enter in the empty scan field completes a sale nothing blocks (and does nothing otherwise)."""
        if self._flow.why_not_complete() is None:
            self.receipts.complete()

    def toggle_refund_mode(self) -> None:
        self.receipts.set_refund_mode(not self._flow.refund_mode)
        self.refresh()

    def open_drawer_dialog(self) -> None:
        if self._dialog is not None:
            return
        dialog = DrawerDialog(register=self._register, runner=self._runner, actor=self._actor,
                              timezone=self.store_timezone, reports_dir=self.reports_dir, parent=self)
        dialog.changed.connect(lambda dto: self._flow.drawer_known(dto is not None))
        self.open_dialog(dialog)

    def _escape(self) -> None:
        if self.action_stack.currentWidget() is self.tender and self.tender.form != "choose":
            self.tender.show_choose()
            self.focus_step()
        elif self._flow.receipt is not None or self._flow.reprint_no is not None:
            self.new_sale()
        elif self._flow.refund_mode:
            self.receipts.set_refund_mode(False)
        elif self.cart.scan.text():
            self.cart.scan.clear()

    def new_sale(self) -> None:
        """After a receipt (saved or not): an empty cart. An open sale with no money taken is voided first."""
        reason = self._flow.why_not_new_sale()
        if reason is not None:
            self.message(reason, error=True)
        elif self._flow.needs_void_for_new_sale():
            self.cart_ctl.void_sale()
        else:
            self.clear_for_new_sale()

    # -- focus, customer, display -------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self, self.focus_step)

    def set_link_down(self, down: bool) -> None:
        """The status bar's sync state: the store's link is down (the last sync run could not reach the centre)."""
        self.tender.card.set_link_down(down)

    def set_customer(self, customer: CustomerRef | None) -> None:
        self._customer = customer
        self.strip.show_customer(customer)

    def set_customer_display(self, window: CustomerWindow | None) -> None:
        """The customer-facing window (or None when it is switched off); it gets every sale DTO."""
        if self._display is window:
            return
        if self._display is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # the window may be gone already
                self._display.signature_accepted.disconnect(self.signature.accept)
        self._display = window
        if window is not None:
            window.signature_accepted.connect(self.signature.accept)
            window.show_sale(self._flow.sale)
            if self._flow.awaiting_signature:
                window.ask_signature(self._flow.consent_text)

    def refresh_display(self) -> None:
        """Show the customer the current sale again (e.g. after the screen lock put the display to idle)."""
        if self._display is None:
            return
        self._display.show_sale(self._flow.sale)
        if self._flow.awaiting_signature:
            self._display.ask_signature(self._flow.consent_text)
