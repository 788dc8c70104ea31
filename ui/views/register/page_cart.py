"""The cart side of the Register page: scanning (items, receipt numbers), cart keys, discounts, price overrides,
bill / EIP payments as lines, and voiding the sale."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from posapp.errors import PosError
from ui.views.register.common import looks_like_receipt, money
from ui.views.register.dialogs import AccountPaymentDialog, DiscountDialog, PriceDialog
from ui.views.register.page_refunds import RefundFlow

if TYPE_CHECKING:
    import uuid

    from posapp.services.dto import Override
    from posapp.services.register.dto import AmountDue, SaleDTO


class CartFlow(RefundFlow):
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
        """Add something to the cart, opening the sale first if there is none (see the ``page_base`` docstring)."""
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
