"""The Register page (F3): scan → cart → tenders → signature (when required) → complete → receipt.

Every service call runs on the DB worker (one thread, calls in order). The sale is opened lazily by the first
scan; the job that opens it records its id in a :class:`_SaleRef` that later jobs of the same sale read — they
run after it on the same thread, so a scanner burst of several items never opens two sales. ``sale_changed``
carries every new :class:`SaleDTO` (the customer display shows it); a refused permission asks for a manager's
override (:class:`ui.widgets.override_dialog.OverrideDialog`) and retries with it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.errors import PermissionDenied, PosError
from posapp.security.permissions import Permission
from ui.views.register.cart import CartTable, ScanField, TotalsPanel
from ui.views.register.common import looks_like_receipt, money, tender_text
from ui.views.register.dialogs import AccountPaymentDialog, DiscountDialog, PriceDialog, SignatureDialog
from ui.views.register.drawer import DrawerDialog, FloatDialog
from ui.views.register.receipt_panel import ReceiptPanel
from ui.views.register.refund import RefundDialog
from ui.views.register.tender import SIM_CARDS, TenderPanel

if TYPE_CHECKING:
    import uuid

    from posapp.services.dto import Actor, Override
    from posapp.services.register.dto import AmountDue, SaleDTO, TenderDTO
    from posapp.services.register.receipts import ReceiptService
    from posapp.services.registry import Register
    from ui.customer_window import CustomerWindow, SignatureCapture
    from ui.views.lookup.page import LookupPage
    from ui.widgets.override_dialog import OverrideAuth, OverrideDialog
    from ui.worker import DbWorker

KEYS = (("+ \u2212", "qty"), ("Del", "remove"), ("\u2191\u2193", "line"), ("Ctrl+D", "discount"),
        ("Ctrl+E", "price"), ("Ctrl+B", "bill pay"),
        ("F9", "cash"), ("F10", "card"), ("F11", "credit"), ("Ctrl+\u21b5", "complete"), ("F8", "refund"),
        ("F12", "new sale"))


@dataclass(frozen=True)
class CustomerRef:
    """The customer the sale is for (from a verified Lookup visit); None = walk-in."""

    account_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    name: str
    masked_account: str = ""
    account_number: str = ""  # only once verified (the account view's details)
    visit_id: uuid.UUID | None = None


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


class _SaleRef:
    """The open sale's id, written by the worker job that opened it (see the module docstring)."""

    def __init__(self) -> None:
        self.id: uuid.UUID | None = None


class RegisterPage(QWidget):
    sale_changed = Signal(object)  # SaleDTO | None
    completed = Signal(object)  # SaleDTO (sale or refund) with its receipt number
    receipt_ready = Signal(object)  # Path of the receipt PDF

    def __init__(self, *, register: Register, receipts: ReceiptService, auth: OverrideAuth, worker: DbWorker,
                 actor: Actor, discount_limit_percent: int = 20, store_timezone: str = "UTC",
                 save_folder: Path, reports_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page_register")
        self._register, self._receipts, self._auth, self._worker = register, receipts, auth, worker
        self._actor = actor
        self.discount_limit_percent = discount_limit_percent
        self.store_timezone = store_timezone
        self.save_folder = save_folder
        self.reports_dir = reports_dir
        self._ref = _SaleRef()
        self.sale: SaleDTO | None = None
        self.customer: CustomerRef | None = None
        self.refund_mode = False
        self.drawer_open = False
        self.signature_required = False
        self.signature_done = False
        self._signature_asked = False
        self._signature_known = False  # the signature rule was asked for this (fully paid) sale
        self.consent_text = ""
        self.receipt: SaleDTO | None = None  # the finished sale or refund shown in the receipt panel
        self.display: CustomerWindow | None = None
        self.dialog: Any = None  # the open dialog (discount, float, drawer, refund, signature, override)
        self.override_dialog: OverrideDialog | None = None
        self._inflight = 0
        self._completing = False

        # -- top strip ----------------------------------------------------------------------------------------
        self.customer_strip = QFrame(objectName="CustomerStrip")
        self.customer_name = QLabel("Walk-in customer", objectName="StripName")
        self.customer_info = QLabel("Verify them in Lookup (F2)",
                                    objectName="StripInfo")
        self.customer_info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        strip = QHBoxLayout(self.customer_strip)
        strip.setContentsMargins(16, 8, 16, 8)
        strip.setSpacing(12)
        strip.addWidget(self.customer_name)
        strip.addWidget(self.customer_info, 1)
        self.mode_badge = QLabel("REFUND MODE", objectName="RefundBadge")
        self.mode_badge.hide()
        self.refund_button = QPushButton("Refund  F8", objectName="RefundToggle")
        self.refund_button.setCheckable(True)
        self.drawer_button = QPushButton("Drawer\u2026", objectName="DrawerButton")
        self.void_button = QPushButton("Void sale", objectName="VoidSale")
        self.pay_button = QPushButton("Bill pay", objectName="AccountPayment")
        self.pay_button.setToolTip("A payment on an account or a financed device (Ctrl+B)")
        for b in (self.refund_button, self.drawer_button, self.void_button, self.pay_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.customer_strip, 1)
        top.addWidget(self.mode_badge)
        top.addWidget(self.pay_button)
        top.addWidget(self.refund_button)
        top.addWidget(self.drawer_button)
        top.addWidget(self.void_button)

        # -- left: scan, messages, cart -------------------------------------------------------------------------
        self.scan = ScanField()
        self.info = QLabel("", objectName="InlineInfo")
        self.info.setWordWrap(True)
        self.info.hide()
        self.error = QLabel("", objectName="InlineError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.table = CartTable()
        self.empty = QLabel("", objectName="CartEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cart_stack = QStackedWidget(objectName="CartStack")
        self.cart_stack.addWidget(self.empty)
        self.cart_stack.addWidget(self.table)
        self.keys = QLabel(" \u00b7 ".join(f"<b>{k.replace(' ', '&nbsp;')}</b>&nbsp;{t.replace(' ', '&nbsp;')}"
                                           for k, t in KEYS), objectName="RegisterKeys")
        self.keys.setWordWrap(True)
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(self.scan)
        left.addWidget(self.info)
        left.addWidget(self.error)
        left.addWidget(self.cart_stack, 1)
        left.addWidget(self.keys)

        # -- right: totals, tenders / receipt, complete ---------------------------------------------------------
        self.totals = TotalsPanel()
        terminal = register.terminal
        self.tender = TenderPanel(simulator=bool(getattr(terminal, "is_simulator", False)),
                                  terminal_label=str(getattr(terminal, "label", "")))
        self.receipt_panel = ReceiptPanel()
        self.action_stack = QStackedWidget(objectName="ActionStack")
        self.action_stack.setContentsMargins(14, 12, 14, 12)
        self.action_stack.addWidget(self.tender)
        self.action_stack.addWidget(self.receipt_panel)
        self.signature_state = QLabel("", objectName="SignatureState")
        self.signature_state.setWordWrap(True)
        self.signature_state.hide()
        self.sign_here = QPushButton("Sign on this screen", objectName="SignHere")
        self.sign_here.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sign_here.hide()
        self.tender.extra.addWidget(self.signature_state)
        self.tender.extra.addWidget(self.sign_here, 0, Qt.AlignmentFlag.AlignLeft)
        self.complete_button = QPushButton("Complete sale   Ctrl+Enter", objectName="CompleteSale")
        self.complete_button.setProperty("primary", True)
        self.complete_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.complete_reason = QLabel("", objectName="CompleteReason")
        self.complete_reason.setWordWrap(True)
        right_box = QFrame(objectName="RegisterSide")
        right_box.setFixedWidth(392)
        right = QVBoxLayout(right_box)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(10)
        right.addWidget(self.totals)
        right.addWidget(self.action_stack, 1)
        right.addWidget(self.complete_reason)
        right.addWidget(self.complete_button)

        body = QHBoxLayout()
        body.setSpacing(18)
        body.addLayout(left, 1)
        body.addWidget(right_box)
        col = QVBoxLayout(self)
        col.setContentsMargins(24, 16, 24, 14)
        col.setSpacing(12)
        col.addLayout(top)
        col.addLayout(body, 1)

        # -- wiring ---------------------------------------------------------------------------------------------
        self.scan.submitted.connect(self._submitted)
        self.scan.cart_key.connect(self._cart_key)
        self.scan.moved.connect(self.table.move_selection)
        self.tender.chosen.connect(self.start_tender)
        self.tender.cash.take.connect(self._take_cash)
        self.tender.card.charge.connect(self._charge_card)
        self.tender.card.requery.connect(self._requery)
        self.tender.credit.apply.connect(self._apply_credit)
        for form in (self.tender.cash, self.tender.card, self.tender.credit):
            form.back.connect(self.focus_step)
        self.complete_button.clicked.connect(self.complete)
        self.sign_here.clicked.connect(self._sign_on_rep_screen)
        self.receipt_panel.print_requested.connect(self.print_receipt)
        self.receipt_panel.save_requested.connect(self.save_pdf)
        self.receipt_panel.new_sale.connect(self.new_sale)
        self.refund_button.clicked.connect(lambda _c=False: self.set_refund_mode(not self.refund_mode))
        self.drawer_button.clicked.connect(self.open_drawer_dialog)
        self.void_button.clicked.connect(self.void_sale)
        self.pay_button.clicked.connect(self.ask_account_payment)
        for keys, slot in (("F8", lambda: self.set_refund_mode(not self.refund_mode)),
                           ("F9", lambda: self.start_tender("cash")), ("F10", lambda: self.start_tender("card")),
                           ("F11", lambda: self.start_tender("store_credit")), ("F12", self.new_sale),
                           ("Esc", self._escape), ("Ctrl+D", self.ask_discount), ("Ctrl+E", self.ask_price),
                           ("Ctrl+B", self.ask_account_payment),
                           ("Ctrl+Return", self.complete),
                           ("Ctrl+Enter", self.complete), ("Ctrl+P", self.print_receipt),
                           ("Ctrl+S", self.save_pdf)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._render()

    # -- focus and customer ------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self, self.focus_step)

    def focus_step(self) -> None:
        form = self.tender.form if self.action_stack.currentWidget() is self.tender else "receipt"
        if form == "cash":
            self.tender.cash.tendered.setFocus()
        elif form == "card" and self.tender.card.amount.isEnabled():
            self.tender.card.amount.setFocus()
        elif form == "store_credit":
            self.tender.credit.amount.setFocus()
        else:
            self.scan.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_link_down(self, down: bool) -> None:
        """The status bar's sync state: the store's link is down (the last sync run could not reach the centre)."""
        self.tender.card.set_link_down(down)

    def set_customer(self, customer: CustomerRef | None) -> None:
        self.customer = customer
        if customer is None:
            self.customer_name.setText("Walk-in customer")
            self.customer_info.setText("Verify them in Lookup (F2)")
            self.customer_strip.setProperty("verified", False)
        else:
            self.customer_name.setText(customer.name)
            self.customer_info.setText(f"Verified \u00b7 account {customer.masked_account}".rstrip(" \u00b7"))
            self.customer_strip.setProperty("verified", True)
        self.customer_strip.style().unpolish(self.customer_strip)
        self.customer_strip.style().polish(self.customer_strip)

    def set_customer_display(self, window: CustomerWindow | None) -> None:
        """The customer-facing window (or None when it is switched off); it gets every sale DTO."""
        if self.display is window:
            return
        if self.display is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # the window may be gone already
                self.display.signature_accepted.disconnect(self.accept_signature)
        self.display = window
        if window is not None:
            window.signature_accepted.connect(self.accept_signature)
            window.show_sale(self.sale)
            if self.signature_required and not self.signature_done and self._signature_asked:
                window.ask_signature(self.consent_text)

    def refresh_display(self) -> None:
        """Show the customer the current sale again (e.g. after the screen lock put the display to idle)."""
        if self.display is None:
            return
        self.display.show_sale(self.sale)
        if self.signature_required and not self.signature_done and self._signature_asked and self.receipt is None:
            self.display.ask_signature(self.consent_text)

    # -- messages ---------------------------------------------------------------------------------------------
    def _message(self, text: str, *, error: bool) -> None:
        (self.error if error else self.info).setText(text)
        (self.error if error else self.info).setVisible(bool(text))
        (self.info if error else self.error).hide()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PosError):
            self._message(str(exc), error=True)
        else:
            self._worker.report_unexpected(exc)
        self.focus_step()

    def _run(self, fn: Callable[[Override | None], Any], on_done: Callable[[Any], None], *, action: str,
             on_error: Callable[[BaseException], None] | None = None, override: Override | None = None) -> None:
        """Run ``fn(override)`` on the worker. A refused permission asks a manager once and runs it again."""
        self._inflight += 1

        def done(result: Any) -> None:
            self._inflight -= 1
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._inflight -= 1
            if isinstance(exc, PermissionDenied) and exc.permission and override is None:
                self._ask_override(Permission(exc.permission), action,
                                   lambda ov: self._run(fn, on_done, action=action, on_error=on_error, override=ov),
                                   cancelled=lambda: (on_error or self._failed)(exc))
                return
            (on_error or self._failed)(exc)

        self._worker.run(lambda: fn(override), done, failed, owner=self)

    def _ask_override(self, permission: Permission, action: str, then: Callable[[Override], None], *,
                      cancelled: Callable[[], None]) -> None:
        """A manager's number + PIN; ``then(override)`` when granted, ``cancelled()`` when the dialog is closed
        without an approval (the caller shows the refusal and unlocks what it had locked)."""
        from ui.widgets.override_dialog import OverrideDialog

        dialog = OverrideDialog(actor=self._actor, permission=permission, action=action, auth=self._auth,
                                worker=self._worker, parent=self)
        dialog.granted.connect(then)

        def closed(_result: int) -> None:
            if dialog.override is None:
                cancelled()
            self._dialog_closed(dialog)

        dialog.finished.connect(closed)
        self.override_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: Any) -> None:
        if self.override_dialog is dialog:
            self.override_dialog = None
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        QTimer.singleShot(0, self, self._refocus)

    def _refocus(self) -> None:
        """After a dialog: the rep's window takes the keyboard back (the scan field or the open tender form)."""
        if self.dialog is None and self.override_dialog is None and self.isVisible():
            self.window().activateWindow()
            self.focus_step()

    def _open_dialog(self, dialog: Any) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        dialog.open()

    # -- state shown ------------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._inflight > 0

    @property
    def has_money(self) -> bool:
        return self.sale is not None and any(t.state != "declined" for t in self.sale.tenders)

    def _set_sale(self, sale: SaleDTO | None, *, select_line: int | None = None) -> None:
        self.sale = sale
        self.table.show_sale(sale, select_line=select_line)
        self._render()
        self.sale_changed.emit(sale)
        if self.display is not None:
            self.display.show_sale(sale)
        self._check_signature()

    def _render(self) -> None:
        sale = self.sale if self.receipt is None else self.receipt
        self.cart_stack.setCurrentWidget(self.table if sale is not None and sale.lines else self.empty)
        self.totals.show_sale(sale)
        open_sale = self.sale is not None and self.sale.status == "open" and self.receipt is None
        can_pay = open_sale and self.sale is not None and bool(self.sale.lines) and self.sale.remaining_cents > 0
        self.tender.show_sale(self.sale if self.receipt is None else None, enabled=can_pay)
        self.void_button.setEnabled(open_sale and not self.has_money)
        reason = self.complete_block_reason()
        self.complete_button.setEnabled(reason is None)
        self.complete_reason.setText(reason or "")
        self.complete_reason.setVisible(bool(reason) and self.receipt is None)
        self.complete_button.setVisible(self.receipt is None)
        waiting = self.signature_required and not self.signature_done and self.receipt is None
        self.signature_state.setVisible(self.signature_required and self.receipt is None)
        self.signature_state.setText("Signature needed \u2014 waiting for the customer to sign" if waiting
                                     else "\u2713 Signed by the customer")
        self.signature_state.setProperty("done", "no" if waiting else "yes")
        self.signature_state.style().unpolish(self.signature_state)
        self.signature_state.style().polish(self.signature_state)
        self.sign_here.setVisible(waiting and self._signature_asked)
        self.empty.setText("Refund mode: scan the receipt barcode, or type its number." if self.refund_mode
                           else "Scan an item to start a sale.\nA receipt number reprints that receipt.")

    def complete_block_reason(self) -> str | None:
        """Why Complete is disabled (None = it can be pressed)."""
        sale = self.sale
        if self.receipt is not None:
            return "The sale is complete."
        if sale is None or not sale.lines:
            return "Add items to the cart."
        if sale.open_tender_cents:
            return "A card payment is not settled yet \u2014 ask the terminal again."
        if sale.remaining_cents > 0:
            return f"Take payment: {money(sale.remaining_cents)} left to pay."
        if self.signature_required and not self.signature_done:
            return "The customer's signature is required before completing."
        if not self._signature_known and getattr(self._register, "signatures", None) is not None:
            return "Checking whether the customer must sign\u2026"
        return None

    # -- scanning -----------------------------------------------------------------------------------------------
    def _submitted(self, text: str, _scanned: bool) -> None:
        self.error.hide()
        if not text:
            if self.complete_block_reason() is None:
                self.complete()
            return
        if self.refund_mode:
            self.start_refund(text)
            return
        if looks_like_receipt(text):
            self.reprint(text.upper())
            return
        if self.receipt is not None:
            self._clear_for_new_sale()
        if self.has_money:
            self._message("Payment has started; the cart can no longer change.", error=True)
            return
        self.add_code(text)

    def add_code(self, code: str) -> None:
        """Add a UPC / IMEI (the sale is opened by the first item)."""
        cart, actor = self._register.cart, self._actor
        skus = {str(a["sku"]).upper(): str(a["upc"]) for a in self._register.data.accessories}
        # an accessory's SKU means its UPC
        self._add(lambda sid: cart.scan(actor, sid, skus.get(code.upper(), code)), action=f"Add {code}")

    def _add(self, fn: Callable[[uuid.UUID], SaleDTO], *, action: str,
             on_error: Callable[[BaseException], None] | None = None,
             then: Callable[[], None] | None = None) -> None:
        """Add something to the cart, opening the sale first if there is none (see the module docstring)."""
        cart, actor, ref, customer = self._register.cart, self._actor, self._ref, self.customer

        def job(_ov: Override | None) -> SaleDTO:
            if ref.id is None:
                opened = cart.open(actor, account_id=customer.account_id if customer else None,
                                   customer_id=customer.customer_id if customer else None)
                ref.id = opened.id
            return fn(ref.id)

        def done(sale: SaleDTO) -> None:
            if ref is not self._ref:
                return
            self.info.hide()
            self._set_sale(sale, select_line=max((x.line_no for x in sale.lines), default=None))
            if then is not None:
                then()

        self._run(job, done, action=action, on_error=on_error)

    def ask_account_payment(self) -> None:
        """Ctrl+B: a bill payment on an account or an extra EIP payment, as a line of this sale."""
        if self.dialog is not None or self.refund_mode or self.has_money:
            return
        if self.receipt is not None:
            self._clear_for_new_sale()
        customer = self.customer
        dialog = AccountPaymentDialog(account_number=customer.account_number if customer else "", parent=self)
        payments, actor = self._register.payments, self._actor

        def show_due(d: AmountDue) -> None:
            amount = f" {money(d.amount_cents)}" if d.amount_cents is not None else ""
            dialog.show_due(d.message + amount, d.amount_cents)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PosError) and self.dialog is dialog:
                dialog.show_error(str(exc))
            else:
                self._failed(exc)

        def due(number: str) -> None:
            if number:
                visit_id = customer.visit_id if customer is not None else None
                self._run(lambda _ov: payments.amount_due(actor, account_number=number, visit_id=visit_id),
                          show_due, action="Amount due", on_error=failed)

        dialog.account_changed.connect(due)
        dialog.bill.connect(lambda number, cents: self._add(
            lambda sid: payments.add_bill_payment(actor, sid, account_number=number, amount_cents=cents),
            action="Bill payment", on_error=failed, then=dialog.accept))
        dialog.eip.connect(lambda imei, cents: self._add(
            lambda sid: payments.add_eip_payment(actor, sid, imei=imei, amount_cents=cents),
            action="EIP payment", on_error=failed, then=dialog.accept))
        self._open_dialog(dialog)
        if customer is not None and customer.account_number:
            due(customer.account_number)

    def _sale_call(self, fn: Callable[[uuid.UUID, Override | None], SaleDTO], *, action: str,
                   select_line: int | None = None) -> None:
        ref = self._ref
        if ref.id is None or self.sale is None:
            return

        def done(sale: SaleDTO) -> None:
            if ref is self._ref:
                self._set_sale(sale, select_line=select_line)

        sale_id = ref.id
        self._run(lambda ov: fn(sale_id, ov), done, action=action)

    def _cart_key(self, key: str) -> None:
        line = self.table.selected_line()
        if line is None or self.sale is None or self.receipt is not None:
            return
        cart, actor = self._register.cart, self._actor
        n = line.line_no
        if key == "delete":
            self._sale_call(lambda sid, _ov: cart.remove_line(actor, sid, n), action="Remove a line")
        elif key == "plus":
            self._sale_call(lambda sid, _ov: cart.set_qty(actor, sid, n, line.qty + 1), action="Quantity",
                            select_line=n)
        elif line.qty > 1:
            self._sale_call(lambda sid, _ov: cart.set_qty(actor, sid, n, line.qty - 1), action="Quantity",
                            select_line=n)
        else:
            self._message("Quantity is 1: press Del to remove the line.", error=False)

    def ask_discount(self) -> None:
        line = self.table.selected_line()
        if line is None or self.sale is None or self.receipt is not None or self.dialog is not None:
            return
        dialog = DiscountDialog(line=line, limit_percent=self.discount_limit_percent, parent=self)
        dialog.chosen.connect(self.discount)
        self._open_dialog(dialog)

    def ask_price(self) -> None:
        line = self.table.selected_line()
        if line is None or self.sale is None or self.receipt is not None or self.dialog is not None:
            return
        dialog = PriceDialog(line=line, parent=self)
        dialog.chosen.connect(self.override_price)
        self._open_dialog(dialog)

    def override_price(self, line_no: int, cents: int, reason: str) -> None:
        cart, actor = self._register.cart, self._actor
        self._sale_call(lambda sid, ov: cart.override_price(actor, sid, line_no, cents, reason=reason, override=ov),
                        action=f"Price of line {line_no} to {money(cents)}: {reason}", select_line=line_no)

    def discount(self, line_no: int, cents: int) -> None:
        cart, actor = self._register.cart, self._actor
        self._sale_call(lambda sid, ov: cart.discount(actor, sid, line_no, cents, override=ov),
                        action=f"Discount of {money(cents)} on line {line_no}", select_line=line_no)

    def void_sale(self) -> None:
        if self.sale is None or self.sale.status != "open" or self.has_money:
            return
        cart, actor = self._register.cart, self._actor
        ref = self._ref
        sale_id = ref.id
        if sale_id is None:
            return

        def done(_sale: SaleDTO) -> None:
            if ref is self._ref:
                self._clear_for_new_sale()
                self._message("Sale voided; any devices went back to stock.", error=False)

        self._run(lambda _ov: cart.void(actor, sale_id, reason="voided at the register"), done, action="Void")

    # -- tenders ----------------------------------------------------------------------------------------------
    def start_tender(self, kind: str) -> None:
        sale = self.sale
        if sale is None or sale.status != "open" or not sale.lines or self.receipt is not None:
            self._message("Add items first.", error=True)
            return
        if self.tender.card.busy:
            self._message("Settle the card payment on the terminal first.", error=True)
            return
        if sale.remaining_cents <= 0:
            self._message("Nothing is left to pay.", error=False)
            return
        self.error.hide()
        if kind == "cash" and not self.drawer_open:
            self._ensure_drawer(lambda: self.start_tender("cash"))
            return
        self.action_stack.setCurrentWidget(self.tender)
        self.tender.open_form(kind, sale.remaining_cents)
        if kind == "store_credit":
            self._credit_balance()

    def _credit_balance(self) -> None:
        credit = getattr(self._register, "store_credit", None)
        customer = self.customer
        if customer is None or credit is None:
            self.tender.credit.show_balance(None)
            return

        def job(_ov: Override | None) -> int:
            assert customer is not None
            return int(credit.balance(account_id=customer.account_id) if customer.account_id is not None
                       else credit.balance(customer_id=customer.customer_id))

        self._run(job, self.tender.credit.show_balance, action="Store credit",
                  on_error=lambda exc: self.tender.credit.show_error(str(exc)) if isinstance(exc, PosError)
                  else self._worker.report_unexpected(exc))

    def _ensure_drawer(self, then: Callable[[], None]) -> None:
        drawer, actor = self._register.drawer, self._actor

        def found(_dto: object) -> None:
            self.drawer_open = True
            then()

        def missing(exc: BaseException) -> None:
            if not isinstance(exc, PosError):
                self._worker.report_unexpected(exc)
                return
            dialog = FloatDialog(register=self._register, worker=self._worker, actor=actor, parent=self)
            dialog.opened.connect(lambda _d: found(None))
            self._open_dialog(dialog)

        self._run(lambda _ov: drawer.current(actor), found, action="Drawer", on_error=missing)

    def _tender_job(self, fn: Callable[[uuid.UUID], TenderDTO]) -> Callable[[Override | None],
                                                                            tuple[TenderDTO, SaleDTO]]:
        ref, cart = self._ref, self._register.cart

        def job(_ov: Override | None) -> tuple[TenderDTO, SaleDTO]:
            assert ref.id is not None
            tender = fn(ref.id)
            return tender, cart.view(ref.id)

        return job

    def _take_cash(self, amount: int, tendered: int) -> None:
        tenders, actor = self._register.tenders, self._actor
        ref = self._ref

        def done(outcome: tuple[TenderDTO, SaleDTO]) -> None:
            tender, sale = outcome
            if ref is not self._ref:
                return
            self.tender.show_choose()
            self._set_sale(sale)
            change = tender.change_cents or 0
            self.tender.show_change(change)
            self._message(f"Cash {money(tender.tendered_cents or amount)} taken"
                          + (f" \u2014 give {money(change)} change." if change else " \u2014 no change."), error=False)
            self.focus_step()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PosError):
                self.tender.cash.show_error(str(exc))
                if "drawer" in str(exc).lower():
                    self.drawer_open = False
            else:
                self._worker.report_unexpected(exc)

        self._run(self._tender_job(lambda sid: tenders.pay_cash(actor, sid, amount_cents=amount,
                                                                tendered_cents=tendered)),
                  done, action="Cash", on_error=failed)

    def _charge_card(self, amount: int, card: str, offline: bool = False) -> None:
        tenders, actor, terminal = self._register.tenders, self._actor, self._register.terminal
        present = getattr(terminal, "present_card", None)
        simulated = {k for k, _ in SIM_CARDS}
        ref, cart = self._ref, self._register.cart

        def job(ov: Override | None) -> tuple[TenderDTO, SaleDTO]:
            assert ref.id is not None
            if present is not None and card in simulated:
                present(card)  # the simulator's stand-in for the customer inserting that card
            if offline:  # store-and-forward: OFFLINE_CARD (a manager's override), within the caps
                tender = tenders.pay_card(actor, ref.id, amount_cents=amount, link_online=False, override=ov)
            else:
                tender = tenders.pay_card(actor, ref.id, amount_cents=amount)
            return tender, cart.view(ref.id)

        action = f"Offline card payment of {money(amount)}" if offline else "Card"
        self._run(job, self._card_answer, action=action, on_error=self._card_failed)
        self._render()

    def _requery(self, tender_id: uuid.UUID) -> None:
        tenders, actor = self._register.tenders, self._actor
        self._run(self._tender_job(lambda _sid: tenders.requery(actor, tender_id)), self._card_answer,
                  action="Card", on_error=self._card_failed)

    def _card_answer(self, outcome: tuple[TenderDTO, SaleDTO]) -> None:
        tender, sale = outcome
        self.tender.card.show_tender(tender)
        self._set_sale(sale)
        if tender.state == "approved":
            QTimer.singleShot(900, self, self._after_approval)
        self.focus_step()

    def _after_approval(self) -> None:
        if self.tender.form == "card" and not self.tender.card.busy:
            self.tender.show_choose()
            self.focus_step()

    def _card_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PosError):
            self.tender.card.failed(str(exc))
        else:
            self._worker.report_unexpected(exc)

    def _apply_credit(self, amount: int) -> None:
        tenders, actor = self._register.tenders, self._actor

        def done(outcome: tuple[TenderDTO, SaleDTO]) -> None:
            self.tender.show_choose()
            self._set_sale(outcome[1])
            self.focus_step()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PosError):
                self.tender.credit.show_error(str(exc))
            else:
                self._worker.report_unexpected(exc)

        self._run(self._tender_job(lambda sid: tenders.pay_store_credit(actor, sid, amount_cents=amount)), done,
                  action="Store credit", on_error=failed)

    # -- signature ----------------------------------------------------------------------------------------------
    def _check_signature(self) -> None:
        sale = self.sale
        signatures = getattr(self._register, "signatures", None)
        if (sale is None or sale.status != "open" or sale.kind != "sale" or not sale.lines
                or sale.remaining_cents != 0 or sale.open_tender_cents or signatures is None
                or self.signature_done or self._signature_asked):
            return
        sale_id = sale.id
        self._signature_asked = True

        def job(_ov: Override | None) -> tuple[bool, str]:
            needed = bool(signatures.required(sale_id))
            return needed, (signatures.consent_text() if needed else "")

        def done(outcome: tuple[bool, str]) -> None:
            if self.sale is None or self.sale.id != sale_id:
                return
            self.signature_required, self.consent_text = outcome
            self._signature_known = True
            if self.signature_required:
                self.ask_signature()
            self._render()

        def failed(exc: BaseException) -> None:
            self._signature_asked = False
            self._failed(exc)

        self._run(job, done, action="Signature", on_error=failed)

    def ask_signature(self) -> None:
        if self.display is not None:
            self.display.ask_signature(self.consent_text)
            self._message("Ask the customer to read the consent and sign on the customer display.", error=False)
        else:
            self._sign_on_rep_screen()

    def _sign_on_rep_screen(self) -> None:
        if self.sale is None or self.dialog is not None:
            return
        dialog = SignatureDialog(consent_text=self.consent_text, total=money(self.sale.due_cents), parent=self)
        dialog.signed.connect(self.accept_signature)
        self._open_dialog(dialog)

    def accept_signature(self, capture: SignatureCapture) -> None:
        """Strokes from the customer's pad: stored with the consent text and time (signatures.capture)."""
        signatures = getattr(self._register, "signatures", None)
        sale = self.sale
        if signatures is None or sale is None or sale.status != "open":
            return
        actor, sale_id = self._actor, sale.id

        def done(_dto: object) -> None:
            if self.sale is not None and self.sale.id == sale_id:
                self.signature_done = True
                self._message("Signed. Press Ctrl+Enter (or Enter in the empty scan field) to complete.",
                              error=False)
                self._render()

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            if self.display is not None:
                self.display.ask_signature(self.consent_text)

        self._run(lambda _ov: signatures.capture(actor, sale_id, strokes=capture.strokes,
                                                 consent_text=capture.consent_text,
                                                 consented_at=capture.consented_at,
                                                 pad_aspect=capture.pad_aspect),
                  done, action="Signature", on_error=failed)

    # -- completing ---------------------------------------------------------------------------------------------
    def complete(self) -> None:
        reason = self.complete_block_reason()
        if reason is not None or self.sale is None or self._completing:
            if reason:
                self._message(reason, error=True)
            return
        self._completing = True
        tenders, receipts, actor, sale_id = self._register.tenders, self._receipts, self._actor, self.sale.id
        self.complete_button.setEnabled(False)

        def job(_ov: Override | None) -> tuple[SaleDTO, Path]:
            done = tenders.complete(actor, sale_id)
            assert done.receipt_no is not None
            return done, receipts.render(done.receipt_no, actor=actor)

        def done(outcome: tuple[SaleDTO, Path]) -> None:
            self._completing = False
            self._completed(outcome)

        def failed(exc: BaseException) -> None:
            self._completing = False
            self._render()
            self._failed(exc)

        self._run(job, done, action="Complete", on_error=failed)

    def _completed(self, outcome: tuple[SaleDTO, Path]) -> None:
        sale, pdf = outcome
        self.sale = sale
        self.receipt = sale
        change = sum(t.change_cents or 0 for t in sale.tenders if t.kind == "cash")
        heading = "Refund complete" if sale.kind == "refund" else "Sale complete"
        lines = [f"{money(t.amount_cents)}  {tender_text(t)}" for t in sale.tenders if t.state == "approved"]
        if self.signature_done:
            lines.append("\u2713 Signed by the customer (printed on the receipt)")
        lines.append(f"PDF: {pdf.name}")
        self.receipt_panel.show_receipt(sale.receipt_no or "", pdf, heading=heading, change_cents=change,
                                        details="\n".join(lines))
        self.action_stack.setCurrentWidget(self.receipt_panel)
        self.table.show_sale(sale)
        self._render()
        self._message(f"{heading}: receipt {sale.receipt_no}.", error=False)
        self.sale_changed.emit(sale)
        if self.display is not None:
            self.display.show_sale(sale)
        self.completed.emit(sale)
        self.receipt_ready.emit(pdf)
        self.focus_step()

    # -- receipts -----------------------------------------------------------------------------------------------
    def reprint(self, receipt_no: str) -> None:
        if self.sale is not None and self.sale.status == "open" and self.sale.lines:
            self._message("Finish or void this sale before reprinting a receipt.", error=True)
            return
        receipts, actor = self._receipts, self._actor

        def job(_ov: Override | None) -> tuple[str, Path]:
            return receipt_no, receipts.render(receipt_no, actor=actor)  # audited as a reprint

        def done(outcome: tuple[str, Path]) -> None:
            no, pdf = outcome
            self.receipt_panel.show_receipt(no, pdf, heading="Reprint")
            self.action_stack.setCurrentWidget(self.receipt_panel)
            self.complete_button.hide()
            self.complete_reason.hide()
            self._message(f"Receipt {no} is ready to print again.", error=False)
            self.receipt_ready.emit(pdf)

        self._run(job, done, action="Reprint")

    def print_receipt(self) -> None:
        if self.action_stack.currentWidget() is self.receipt_panel and self.receipt_panel.pdf is not None:
            self.receipt_panel.open_print_dialog()

    def save_pdf(self) -> None:
        """Save the receipt PDF into the e-mail-ready folder (receipts.save_pdf, audited)."""
        no = self.receipt_panel.receipt_no
        if self.action_stack.currentWidget() is not self.receipt_panel or no is None:
            return
        receipts, actor, folder = self._receipts, self._actor, self.save_folder

        def job(_ov: Override | None) -> Path:
            return receipts.save_pdf(actor, no, folder)

        def done(path: Path) -> None:
            self.receipt_panel.set_note(f"Saved for e-mail: {path}")

        self._run(job, done, action="Save PDF")

    # -- refunds ------------------------------------------------------------------------------------------------
    def set_refund_mode(self, on: bool) -> None:
        if on and self.sale is not None and self.sale.status == "open" and self.sale.lines:
            self._message("Finish or void this sale before a refund.", error=True)
            self.refund_button.setChecked(False)
            return
        self.refund_mode = on
        self.refund_button.setChecked(on)
        self.mode_badge.setVisible(on)
        self.scan.set_refund_mode(on)
        if on and self.receipt is not None:
            self._clear_for_new_sale()
        self._message("Refund mode: scan or type the receipt number." if on else "", error=False)
        self._render()
        self.focus_step()

    def start_refund(self, receipt_no: str) -> None:
        refunds = self._register.refunds

        def done(original: SaleDTO) -> None:
            dialog = RefundDialog(original=original, parent=self)
            dialog.chosen.connect(self.refund)
            self._open_dialog(dialog)

        self._run(lambda _ov: refunds.lookup(receipt_no.upper()), done, action="Refund")

    def refund(self, receipt_no: str, picks: dict[int, int], reason: str) -> None:
        refunds, receipts, actor = self._register.refunds, self._receipts, self._actor

        def job(ov: Override | None) -> tuple[SaleDTO, Path]:
            done = refunds.refund(actor, receipt_no, picks, reason=reason, override=ov)
            assert done.receipt_no is not None
            return done, receipts.render(done.receipt_no, actor=actor)

        def done(outcome: tuple[SaleDTO, Path]) -> None:
            if isinstance(self.dialog, RefundDialog):
                self.dialog.accept()
            self.set_refund_mode(False)
            self._completed(outcome)

        def failed(exc: BaseException) -> None:
            if isinstance(self.dialog, RefundDialog) and isinstance(exc, PosError):
                self.dialog.show_error(str(exc))
            else:
                self._failed(exc)

        self._run(job, done, action=f"Refund from receipt {receipt_no}", on_error=failed)

    # -- drawer -------------------------------------------------------------------------------------------------
    def open_drawer_dialog(self) -> None:
        if self.dialog is not None:
            return
        dialog = DrawerDialog(register=self._register, auth=self._auth, worker=self._worker, actor=self._actor,
                              timezone=self.store_timezone, reports_dir=self.reports_dir, parent=self)
        dialog.changed.connect(lambda dto: setattr(self, "drawer_open", dto is not None))
        self._open_dialog(dialog)

    # -- new sale -----------------------------------------------------------------------------------------------
    def _escape(self) -> None:
        if self.action_stack.currentWidget() is self.tender and self.tender.form != "choose":
            self.tender.show_choose()
            self.focus_step()
        elif self.receipt is not None or self.action_stack.currentWidget() is self.receipt_panel:
            self.new_sale()
        elif self.refund_mode:
            self.set_refund_mode(False)
        elif self.scan.text():
            self.scan.clear()

    def new_sale(self) -> None:
        """After a receipt: an empty cart. An open sale with no money taken is voided first."""
        if self.sale is not None and self.sale.status == "open" and self.receipt is None:
            if self.has_money:
                self._message("Payment has started: complete this sale first.", error=True)
                return
            if self.sale.lines:
                self.void_sale()
                return
        self._clear_for_new_sale()

    def _clear_for_new_sale(self) -> None:
        self._ref = _SaleRef()
        self.receipt = None
        self.signature_required = self.signature_done = self._signature_asked = self._signature_known = False
        self.consent_text = ""
        self.action_stack.setCurrentWidget(self.tender)
        self.tender.show_choose()
        self.info.hide()
        self.error.hide()
        self._set_sale(None)
        self.focus_step()
