"""Bill payment and extra EIP payment in the cart: posted to the account only when the sale completes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from posapp.db.models import Account, BillPayment, FinancingAgreement
from posapp.errors import NotFoundError, ValidationError
from posapp.services.registry import Services
from tests.helpers import register as register_helpers
from tests.helpers import staff
from tests.helpers.accounts import MadeAccount


def test_bill_and_eip_payment_posted_on_completion(services: Services, employees: staff.Staff,
                                                   make_account: Callable[..., MadeAccount]) -> None:
    acct = make_account(balance_cents=8_500)
    rep, reg = employees.rep, services.register
    sale = reg.cart.open(rep)
    reg.payments.add_bill_payment(rep, sale.id, account_number=acct.account_number, amount_cents=8_500)
    with pytest.raises(ValidationError):
        reg.payments.add_eip_payment(rep, sale.id, imei=acct.imeis[0], amount_cents=42_001)
    view = reg.payments.add_eip_payment(rep, sale.id, imei=acct.imeis[0], amount_cents=12_000)
    assert view.totals.tax_cents == 0 and view.totals.fee_cents == 0 and view.due_cents == 20_500
    with services.uow.read() as session:  # nothing posted before completion
        assert session.scalar(select(Account.balance_cents).where(Account.id == acct.account_id)) == 8_500
    reg.tenders.pay_card(rep, sale.id, amount_cents=20_500)
    done = register_helpers.complete(services, rep, sale.id)
    with services.uow.read() as session:
        assert session.scalar(select(Account.balance_cents).where(Account.id == acct.account_id)) == 0
        pay = session.scalar(select(BillPayment).where(BillPayment.reference == done.receipt_no))
        assert pay is not None and pay.amount_cents == 8_500 and pay.method.value == "card"
        fa = session.scalar(select(FinancingAgreement).where(FinancingAgreement.account_id == acct.account_id))
        assert fa is not None and fa.balance_cents == 30_000
    assert done.receipt_no is not None
    with pytest.raises(ValidationError, match="cannot be refunded"):
        reg.refunds.refund(employees.manager, done.receipt_no, {1: 1}, reason="no")
    other = reg.cart.open(rep)
    with pytest.raises(NotFoundError):
        reg.payments.add_bill_payment(rep, other.id, account_number="000000000000", amount_cents=100)
