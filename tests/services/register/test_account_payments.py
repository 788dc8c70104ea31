"""Bill payment and extra EIP payment in the cart: posted to the account only when the sale completes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from posapp.db.models import Account, BillPayment, FinancingAgreement
from posapp.errors import NotFoundError, ValidationError
from posapp.services.registry import Services
from tests.helpers import register as register_helpers
from tests.helpers import staff
from tests.helpers.accounts import ACCOUNT_PIN, MadeAccount
from tests.receipts.tools import pdftotext


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


def test_amount_due_only_for_a_verified_customer(services: Services, employees: staff.Staff,
                                                 make_account: Callable[..., MadeAccount]) -> None:
    rep, pay = employees.rep, services.register.payments
    acct = make_account(balance_cents=8_500)
    other = make_account("Ben", "Ortiz", "(206) 555-0199", balance_cents=100)
    none = pay.amount_due(rep, account_number=acct.account_number, visit_id=None)
    assert none.amount_cents is None and "Verify" in none.message and "Anyone may still pay" in none.message
    assert none.account_last4 == acct.account_number[-4:]
    visit = services.verification.start_visit(rep, account_id=acct.account_id, customer_id=acct.customer_id)
    assert pay.amount_due(rep, account_number=acct.account_number, visit_id=visit.id).amount_cents is None
    services.verification.record_photo_id(rep, visit.id, id_type="drivers_license", matched=True)
    services.verification.check_pin(rep, visit.id, ACCOUNT_PIN)
    shown = pay.amount_due(rep, account_number=acct.account_number, visit_id=visit.id)
    assert shown.amount_cents == 8_500
    wrong = pay.amount_due(rep, account_number=other.account_number, visit_id=visit.id)
    assert wrong.amount_cents is None and "not for this account" in wrong.message
    services.verification.end_visit(rep, visit.id)
    ended = pay.amount_due(rep, account_number=acct.account_number, visit_id=visit.id)
    assert ended.amount_cents is None and "ended" in ended.message
    with pytest.raises(NotFoundError):
        pay.amount_due(rep, account_number="000", visit_id=None)
    sale = services.register.cart.open(rep)  # anyone may pay, verified or not
    assert pay.add_bill_payment(rep, sale.id, account_number=acct.account_number,
                                amount_cents=2_000).due_cents == 2_000


def test_receipt_carries_the_eip_summary_frozen_at_completion(services: Services, employees: staff.Staff,
                                                              make_account: Callable[..., MadeAccount],
                                                              tmp_path: Path) -> None:
    rep, reg = employees.rep, services.register
    acct = make_account()  # one financed device: 420.00 left at 30.00 a month
    sale = reg.cart.open(rep)
    reg.payments.add_eip_payment(rep, sale.id, imei=acct.imeis[0], amount_cents=12_000)
    reg.tenders.pay_card(rep, sale.id, amount_cents=12_000)
    done = register_helpers.complete(services, rep, sale.id)
    assert done.receipt_no is not None
    summary = services.receipts.receipt_for(done.receipt_no).eip_summary
    assert [(s.label, s.amount_cents) for s in summary] == [
        (f"Device financing, IMEI ending {acct.imeis[0][-4:]}", None), ("Balance before", 42_000),
        ("Extra payment today", 12_000), ("Balance after", 30_000)]
    assert "14 months left before" in summary[0].detail and "10 months left" in summary[3].detail
    pdf = services.receipts.render(done.receipt_no, "letter", tmp_path / "first.pdf")
    text = " ".join(pdftotext(pdf).split())
    assert "Equipment installment plan (EIP)" in text and "Balance after" in text and "300.00" in text
    later = reg.cart.open(rep)  # a later payment must not change the first receipt
    reg.payments.add_eip_payment(rep, later.id, imei=acct.imeis[0], amount_cents=30_000)
    reg.tenders.pay_card(rep, later.id, amount_cents=30_000)
    last = register_helpers.complete(services, rep, later.id)
    assert services.receipts.receipt_for(done.receipt_no).eip_summary == summary
    assert services.receipts.verify(done.receipt_no, tmp_path / "first.pdf").ok
    assert last.receipt_no is not None
    final = services.receipts.receipt_for(last.receipt_no).eip_summary
    assert final[-1].amount_cents == 0 and final[-1].detail == "Paid off."


def test_cash_accessory_receipt_has_no_eip_summary(services: Services, employees: staff.Staff) -> None:
    rep = employees.rep
    register_helpers.stock(services, rep, devices=0)
    services.register.drawer.open_session(rep, float_cents=5_000)
    sale = services.register.cart.open(rep)
    due = services.register.cart.add_accessory(rep, sale.id, register_helpers.CASE_UPC).due_cents
    services.register.tenders.pay_cash(rep, sale.id, amount_cents=due, tendered_cents=due)
    done = register_helpers.complete(services, rep, sale.id)
    assert services.receipts.receipt_for(done.receipt_no or "").eip_summary == ()


def test_a_device_sold_on_an_agreement_carries_the_eip_summary(services: Services, employees: staff.Staff,
                                                               make_account: Callable[..., MadeAccount]) -> None:
    rep = employees.rep
    acct = make_account()  # its device is on an active agreement: 420.00 left at 30.00 a month
    services.register.stock.receive_devices(rep, [(acct.imeis[0], "APL-IP15-128")])
    services.register.drawer.open_session(rep, float_cents=5_000)
    sale = services.register.cart.open(rep, account_id=acct.account_id)
    due = services.register.cart.add_device(rep, sale.id, acct.imeis[0]).due_cents
    services.register.tenders.pay_cash(rep, sale.id, amount_cents=due, tendered_cents=due)
    done = register_helpers.complete(services, rep, sale.id)
    summary = services.receipts.receipt_for(done.receipt_no or "").eip_summary
    assert [(s.label, s.amount_cents) for s in summary] == [
        (f"Device financing, IMEI ending {acct.imeis[0][-4:]}", None), ("Balance before", 42_000),
        ("Balance after", 42_000)]
    assert "14 months left" in summary[-1].detail
