"""A receipt barcode in the search box finds the customer the sale was made for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.helpers import register as reg


def _cash_sale(services: Any, rep: Any, account_id: Any = None) -> str:
    cart, tenders = services.register.cart, services.register.tenders
    sale = cart.open(rep, account_id=account_id)
    view = cart.add_accessory(rep, sale.id, reg.CASE_UPC, qty=1)
    tenders.pay_cash(rep, sale.id, amount_cents=view.due_cents, tendered_cents=view.due_cents)
    done = reg.complete(services, rep, sale.id)
    assert done.receipt_no is not None
    return str(done.receipt_no)


def test_receipt_number_finds_the_account_holder(services: Any, employees: Any,
                                                 make_account: Callable[..., Any]) -> None:
    reg.stock(services, employees.rep)
    services.register.drawer.open_session(employees.rep, float_cents=10_000)
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    with_account = _cash_sale(services, employees.rep, ana.account_id)
    walk_in = _cash_sale(services, employees.rep)

    result = services.lookup.search(employees.rep, with_account)
    assert result.query.kind.value == "receipt"
    assert [h.customer_id for h in result.hits] == [ana.customer_id]
    assert services.lookup.search(employees.rep, f"r:{with_account.lower()}").hits

    anonymous = services.lookup.search(employees.rep, walk_in)
    assert not anonymous.hits and "without a customer account" in anonymous.message
    unknown = services.lookup.search(employees.rep, "S001-T01-999999")
    assert not unknown.hits and "No sale with receipt number S001-T01-999999" in unknown.message
