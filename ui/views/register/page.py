"""The Register page (F3): scan → cart → tenders → signature (when required) → complete → receipt.

:class:`RegisterPage` wires the widgets, keys and customer of the flows it inherits (see ``page_base`` for the worker,
the lazily opened sale and the override retry): ``page_cart`` → ``page_refunds`` → ``page_receipts`` →
``page_tenders`` → ``page_base``.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent

from ui.views.register.page_base import KEYS, CustomerRef
from ui.views.register.page_cart import CartFlow

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QWidget

    from posapp.services.dto import Actor
    from posapp.services.register.receipts import ReceiptService
    from posapp.services.registry import Register
    from ui.customer_window import CustomerWindow
    from ui.views.lookup.page import LookupPage
    from ui.widgets.override_dialog import OverrideAuth
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


class RegisterPage(CartFlow):
    def __init__(self, *, register: Register, receipts: ReceiptService, auth: OverrideAuth, worker: DbWorker,
                 actor: Actor, discount_limit_percent: int = 20, store_timezone: str = "UTC",
                 save_folder: Path, reports_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(register=register, receipts=receipts, auth=auth, worker=worker, actor=actor,
                         discount_limit_percent=discount_limit_percent, store_timezone=store_timezone,
                         save_folder=save_folder, reports_dir=reports_dir, parent=parent)
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
