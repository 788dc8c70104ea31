"""Payments on an account in the cart: a bill payment and an extra EIP (device financing) payment.

Anyone may pay (no verification needed to *pay*); the amount is posted to the account only when the sale
completes, in the same transaction. These lines are service lines (no sales tax) and cannot be refunded at the
register.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from posapp.db.models import (
    Account,
    AccountMember,
    BillPayment,
    Device,
    FinancingAgreement,
    Sale,
    SaleEipSnapshot,
    SaleLine,
    Visit,
)
from posapp.domain.account_rules import AccountAction, decide
from posapp.domain.enums import FinancingStatus, PaymentMethod
from posapp.domain.financing import eip_status
from posapp.domain.identifiers import normalize_imei
from posapp.domain.tax import Category
from posapp.errors import NotFoundError, ValidationError
from posapp.security.permissions import Permission
from posapp.services.dto import Actor
from posapp.services.register.common import open_sale, sale_dto
from posapp.services.register.data import RegisterData
from posapp.services.register.dto import AmountDue, SaleDTO
from posapp.services.uow import Tx, UnitOfWork

BILL_SKU = "BILLPAY"
EIP_SKU = "EIP-EXTRA"
ACCOUNT_SKUS = frozenset({BILL_SKU, EIP_SKU})


def _attach(tx: Tx, sale: Sale, account_id: uuid.UUID) -> None:
    if sale.account_id not in (None, account_id):
        raise ValidationError("This sale already pays another account; use a separate sale.")
    if sale.account_id is None:
        sale.account_id = account_id
        tx.changed(sale, fields={"account_id": str(account_id)})


def _agreement(tx: Tx, imei: str) -> FinancingAgreement:
    found = tx.session.scalar(select(FinancingAgreement).join(Device, Device.id == FinancingAgreement.device_id)
                              .where(Device.imei == imei, FinancingAgreement.status == FinancingStatus.ACTIVE))
    if found is None:
        raise NotFoundError("No active device financing for that IMEI.")
    return found


class AccountPaymentService:
    def __init__(self, *, uow: UnitOfWork, data: RegisterData) -> None:
        self._uow = uow
        self._data = data

    def _line(self, tx: Tx, sale: Sale, sku: str, description: str, amount_cents: int, imei: str | None) -> None:
        top = tx.session.scalar(select(func.max(SaleLine.line_no)).where(SaleLine.sale_id == sale.id))
        tx.add(SaleLine(sale_id=sale.id, line_no=(top or 0) + 1, category=Category.SERVICE, sku=sku,
                        description=description, imei=imei, qty=1, unit_price_cents=amount_cents,
                        full_retail_cents=amount_cents))

    def add_bill_payment(self, actor: Actor, sale_id: uuid.UUID, *, account_number: str,
                         amount_cents: int) -> SaleDTO:
        if amount_cents <= 0:
            raise ValidationError("The payment must be more than zero.")
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            acct = tx.session.scalar(select(Account).where(Account.account_number == account_number.strip()))
            if acct is None:
                raise NotFoundError("No such account.")
            _attach(tx, sale, acct.id)
            self._line(tx, sale, BILL_SKU, f"Bill payment, account ending {acct.account_number[-4:]}",
                       amount_cents, None)
            tx.audit("sale.bill_payment", entity="sale", entity_id=str(sale.id),
                     details={"account": acct.account_number[-4:], "amount": amount_cents})
            return sale_dto(tx.session, sale, self._data)

    def amount_due(self, actor: Actor, *, account_number: str, visit_id: uuid.UUID | None) -> AmountDue:
        """The account's amount due, only for a customer verified in ``visit_id`` (the visit must be open, for this
        account, and verified enough for the customer's role to view the account). Otherwise the amount is None
        with the reason — paying needs no verification (:meth:`add_bill_payment`)."""
        self._uow.check(actor, Permission.SALE)
        with self._uow.read() as session:
            acct = session.scalar(select(Account).where(Account.account_number == account_number.strip()))
            if acct is None:
                raise NotFoundError("No such account.")
            last4 = acct.account_number[-4:]
            hidden = " Anyone may still pay on the account."
            if visit_id is None:
                return AmountDue(last4, None, "Verify the customer to see the amount due." + hidden)
            visit = session.get(Visit, visit_id)
            if visit is None or visit.account_id != acct.id:
                return AmountDue(last4, None, "This visit is not for this account." + hidden)
            if visit.ended_at is not None:
                return AmountDue(last4, None, "This visit has ended." + hidden)
            role = session.scalar(select(AccountMember.role).where(AccountMember.account_id == acct.id,
                                                                   AccountMember.customer_id == visit.customer_id))
            if role is None:
                return AmountDue(last4, None, "The visiting customer is not on this account." + hidden)
            decision = decide(AccountAction.VIEW_ACCOUNT, level=visit.level, role=role)
            if not decision.allowed:
                return AmountDue(last4, None, (decision.reason or "Not verified.") + hidden)
            return AmountDue(last4, max(acct.balance_cents, 0), "Amount due on the account.")

    def add_eip_payment(self, actor: Actor, sale_id: uuid.UUID, *, imei: str, amount_cents: int) -> SaleDTO:
        """An extra payment on the financed device ``imei``: shortens the term, at most the balance."""
        imei = normalize_imei(imei)
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            agreement = _agreement(tx, imei)
            if not 0 < amount_cents <= agreement.balance_cents:
                raise ValidationError(f"An extra payment must be between 1 and {agreement.balance_cents} cents.")
            _attach(tx, sale, agreement.account_id)
            self._line(tx, sale, EIP_SKU, f"Extra device payment, IMEI ending {imei[-4:]}", amount_cents, imei)
            tx.audit("sale.eip_payment", entity="sale", entity_id=str(sale.id),
                     details={"tac": imei[:8], "amount": amount_cents})
            return sale_dto(tx.session, sale, self._data)


def post_account_payments(tx: Tx, sale: Sale, lines: list[SaleLine], receipt_no: str,
                          method: PaymentMethod) -> None:
    """At completion: record bill payments and reduce EIP balances (same transaction as the sale)."""
    for line in lines:
        amount = line.qty * line.unit_price_cents - line.discount_cents
        if line.sku == BILL_SKU and sale.account_id is not None:
            tx.add(BillPayment(account_id=sale.account_id, bill_id=None, amount_cents=amount, paid_at=tx.now,
                               method=method, reference=receipt_no))
            acct = tx.session.get(Account, sale.account_id)
            assert acct is not None
            acct.balance_cents -= amount
            tx.changed(acct, fields={"balance_cents": acct.balance_cents})
        elif line.sku == EIP_SKU and line.imei is not None:
            agreement = _agreement(tx, line.imei)
            if amount > agreement.balance_cents:
                raise ValidationError("The extra payment is more than the financing balance.")
            before = agreement.balance_cents
            agreement.balance_cents -= amount
            if agreement.balance_cents == 0:
                agreement.status = FinancingStatus.PAID_OFF
            tx.changed(agreement, fields={"balance_cents": agreement.balance_cents,
                                          "status": agreement.status.value})
            _snapshot(tx, sale, agreement, line.imei, amount, before)
        elif line.inventory_id is not None and line.imei is not None:
            # a device sold that is already on an active agreement (financing set up with the sale)
            on_plan = tx.session.scalar(
                select(FinancingAgreement).join(Device, Device.id == FinancingAgreement.device_id)
                .where(Device.imei == line.imei, FinancingAgreement.status == FinancingStatus.ACTIVE))
            if on_plan is not None:
                _snapshot(tx, sale, on_plan, line.imei, 0, on_plan.balance_cents)


def _snapshot(tx: Tx, sale: Sale, agreement: FinancingAgreement, imei: str, payment_cents: int,
              before_cents: int) -> None:
    """Freeze the EIP figures the receipt prints (a reprint must show the same, whatever happens later)."""
    before = eip_status(financed_cents=agreement.financed_cents, balance_cents=before_cents,
                        monthly_cents=agreement.monthly_cents)
    after = eip_status(financed_cents=agreement.financed_cents, balance_cents=agreement.balance_cents,
                       monthly_cents=agreement.monthly_cents)
    tx.add(SaleEipSnapshot(sale_id=sale.id, agreement_id=agreement.id, imei_last4=imei[-4:],
                           payment_cents=payment_cents, balance_before_cents=before.balance_cents,
                           balance_after_cents=after.balance_cents, monthly_cents=agreement.monthly_cents,
                           months_left_before=before.months_left, months_left_after=after.months_left))
