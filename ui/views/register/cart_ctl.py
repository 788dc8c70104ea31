"""The cart side of the Register page: items scanned or typed (the sale is opened by the first one), the cart keys,
line discounts and price overrides (a manager's override when the service asks), bill / EIP payments as lines and
voiding the sale. Intents come from the :class:`CartPanel` and :class:`CartActions`; calls go through the runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from posapp.errors import PosError
from ui.views.register.common import money
from ui.views.register.dialogs import AccountPaymentDialog, DiscountDialog, PriceDialog

if TYPE_CHECKING:
    import uuid

    from posapp.services.dto import Actor, Override
    from posapp.services.register.dto import AmountDue, LineDTO, SaleDTO
    from posapp.services.registry import Register
    from ui.views.register.cart_panel import CartPanel
    from ui.views.register.host import PageHost


class CartController(QObject):
    def __init__(self, *, host: PageHost, register: Register, actor: Actor, panel: CartPanel,
                 discount_limit_percent: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._host, self._register, self._actor, self._panel = host, register, actor, panel
        self.discount_limit_percent = discount_limit_percent
        panel.add_code.connect(self.add_code)
        panel.line_key.connect(self.line_key)

    def add_code(self, code: str) -> None:
        """Add a UPC / IMEI / accessory SKU (the sale is opened by the first item)."""
        host = self._host
        if host.flow.receipt is not None or host.flow.reprint_no is not None:
            host.clear_for_new_sale()
        reason = host.flow.why_not_change_cart()
        if reason is not None:
            host.message(reason, error=True)
            return
        cart, actor = self._register.cart, self._actor
        skus = {str(a["sku"]).upper(): str(a["upc"]) for a in self._register.data.accessories}
        self._add(lambda sid: cart.scan(actor, sid, skus.get(code.upper(), code)), action=f"Add {code}")

    def _add(self, fn: Callable[[uuid.UUID], SaleDTO], *, action: str,
             on_error: Callable[[BaseException], None] | None = None,
             then: Callable[[], None] | None = None) -> None:
        """Add something to the cart, opening the sale first if there is none (see :mod:`.host`)."""
        host, cart, actor = self._host, self._register.cart, self._actor
        ref, customer = host.ref, host.customer

        def job(_ov: Override | None) -> SaleDTO:
            if ref.id is None:
                opened = cart.open(actor, account_id=customer.account_id if customer else None,
                                   customer_id=customer.customer_id if customer else None)
                ref.id = opened.id
            return fn(ref.id)

        def done(sale: SaleDTO) -> None:
            if ref is not host.ref:
                return
            host.message("", error=False)
            host.set_sale(sale, select_line=max((x.line_no for x in sale.lines), default=None))
            if then is not None:
                then()

        host.runner.call(job, done, action=action, on_error=on_error)

    def _sale_call(self, fn: Callable[[uuid.UUID, Override | None], SaleDTO], *, action: str,
                   select_line: int | None = None) -> None:
        host = self._host
        ref = host.ref
        sale_id = ref.id
        if sale_id is None or host.flow.open_sale is None:
            return

        def done(sale: SaleDTO) -> None:
            if ref is host.ref:
                host.set_sale(sale, select_line=select_line)

        host.runner.call(lambda ov: fn(sale_id, ov), done, action=action)

    def line_key(self, key: str, line: LineDTO) -> None:
        cart, actor, n = self._register.cart, self._actor, line.line_no
        if key == "delete":
            self._sale_call(lambda sid, _ov: cart.remove_line(actor, sid, n), action="Remove a line")
        elif key == "plus":
            self._sale_call(lambda sid, _ov: cart.set_qty(actor, sid, n, line.qty + 1), action="Quantity",
                            select_line=n)
        elif line.qty > 1:
            self._sale_call(lambda sid, _ov: cart.set_qty(actor, sid, n, line.qty - 1), action="Quantity",
                            select_line=n)
        else:
            self._host.message("Quantity is 1: press Del to remove the line.", error=False)

    def _line_for_dialog(self) -> LineDTO | None:
        host = self._host
        if host.flow.open_sale is None or host.dialog is not None:
            return None
        return self._panel.selected_line()

    def ask_discount(self) -> None:
        line = self._line_for_dialog()
        if line is not None:
            dialog = DiscountDialog(line=line, limit_percent=self.discount_limit_percent, parent=self._host.widget())
            dialog.chosen.connect(self.discount)
            self._host.open_dialog(dialog)

    def ask_price(self) -> None:
        line = self._line_for_dialog()
        if line is not None:
            dialog = PriceDialog(line=line, parent=self._host.widget())
            dialog.chosen.connect(self.override_price)
            self._host.open_dialog(dialog)

    def override_price(self, line_no: int, cents: int, reason: str) -> None:
        cart, actor = self._register.cart, self._actor
        self._sale_call(lambda sid, ov: cart.override_price(actor, sid, line_no, cents, reason=reason, override=ov),
                        action=f"Price of line {line_no} to {money(cents)}: {reason}", select_line=line_no)

    def discount(self, line_no: int, cents: int) -> None:
        cart, actor = self._register.cart, self._actor
        self._sale_call(lambda sid, ov: cart.discount(actor, sid, line_no, cents, override=ov),
                        action=f"Discount of {money(cents)} on line {line_no}", select_line=line_no)

    def void_sale(self) -> None:
        host = self._host
        ref = host.ref
        sale_id = ref.id
        if not host.flow.can_void or sale_id is None:
            return
        cart, actor = self._register.cart, self._actor

        def done(_sale: SaleDTO) -> None:
            if ref is host.ref:
                host.clear_for_new_sale()
                host.message("Sale voided; any devices went back to stock.", error=False)

        host.runner.call(lambda _ov: cart.void(actor, sale_id, reason="voided at the register"), done,
                         action="Void")

    def ask_account_payment(self) -> None:
        """Ctrl+B: a bill payment on an account or an extra EIP payment, as a line of this sale."""
        host = self._host
        if host.dialog is not None or not host.flow.can_add_payment:
            return
        if host.flow.receipt is not None or host.flow.reprint_no is not None:
            host.clear_for_new_sale()
        customer = host.customer
        dialog = AccountPaymentDialog(account_number=customer.account_number if customer else "",
                                      parent=host.widget())
        payments, actor = self._register.payments, self._actor

        def show_due(d: AmountDue) -> None:
            amount = f" {money(d.amount_cents)}" if d.amount_cents is not None else ""
            dialog.show_due(d.message + amount, d.amount_cents)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PosError) and host.dialog is dialog:
                dialog.show_error(str(exc))
            else:
                host.runner.failed(exc)

        def due(number: str) -> None:
            if number:
                visit_id = customer.visit_id if customer is not None else None
                host.runner.call(lambda _ov: payments.amount_due(actor, account_number=number, visit_id=visit_id),
                                 show_due, action="Amount due", on_error=failed)

        dialog.account_changed.connect(due)
        dialog.bill.connect(lambda number, cents: self._add(
            lambda sid: payments.add_bill_payment(actor, sid, account_number=number, amount_cents=cents),
            action="Bill payment", on_error=failed, then=dialog.accept))
        dialog.eip.connect(lambda imei, cents: self._add(
            lambda sid: payments.add_eip_payment(actor, sid, imei=imei, amount_cents=cents),
            action="EIP payment", on_error=failed, then=dialog.accept))
        host.open_dialog(dialog)
        if customer is not None and customer.account_number:
            due(customer.account_number)
