"""Store credit: an append-only ledger (``store_credit_entry``) per customer or per account; the balance is the sum.

Credit is issued by a manager (or with a manager's override) — trade-ins (a later issue) call :meth:`issue` —
spent by a ``store_credit`` tender (``TenderService.pay_store_credit``: the tender row and the negative entry are
one transaction, refused beyond the balance) and put back by the refund of such a tender (a positive entry
linked to the refund). Entries are never changed or deleted (database triggers); a correction is a new entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from posapp.db.models import Account, Customer, Sale, StoreCreditEntry
from posapp.errors import NotFoundError, ValidationError
from posapp.security.permissions import Permission
from posapp.services.dto import Actor, Override
from posapp.services.register.dto import StoreCreditEntryDTO
from posapp.services.uow import Tx, UnitOfWork


@dataclass(frozen=True)
class Holder:
    """Whose credit: exactly one of a customer or an account."""

    customer_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        if (self.customer_id is None) == (self.account_id is None):
            raise ValidationError("Store credit belongs to one customer or one account; name exactly one.")

    @property
    def kind(self) -> str:
        return "customer" if self.customer_id is not None else "account"

    def where(self) -> ColumnElement[bool]:
        if self.customer_id is not None:
            return StoreCreditEntry.customer_id == self.customer_id
        return StoreCreditEntry.account_id == self.account_id


def credit_holder(sale: Sale, *, customer_id: uuid.UUID | None = None,
                  account_id: uuid.UUID | None = None) -> Holder:
    """The holder named, else the sale's account, else the sale's customer."""
    if customer_id is not None or account_id is not None:
        return Holder(customer_id=customer_id, account_id=account_id)
    if sale.account_id is not None:
        return Holder(account_id=sale.account_id)
    if sale.customer_id is not None:
        return Holder(customer_id=sale.customer_id)
    raise ValidationError("Store credit needs a customer: open the sale for a customer or account first.")


def credit_balance(session: Session, holder: Holder) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(StoreCreditEntry.amount_cents), 0))
                              .where(holder.where())) or 0)


def spend_credit(tx: Tx, holder: Holder, amount_cents: int, *, sale_id: uuid.UUID, tender_id: uuid.UUID) -> None:
    """Debit the holder inside ``tx`` (the tender's transaction); refused beyond the balance."""
    balance = credit_balance(tx.session, holder)
    if amount_cents > balance:
        raise ValidationError(f"Only {balance / 100:,.2f} of store credit is available "
                              f"({amount_cents / 100:,.2f} asked).")
    tx.add(StoreCreditEntry(customer_id=holder.customer_id, account_id=holder.account_id,
                            amount_cents=-amount_cents, reason="store credit tender", sale_id=sale_id,
                            tender_id=tender_id, employee_id=tx.actor.employee_id))


def return_credit(tx: Tx, original_tender_id: uuid.UUID, amount_cents: int, *, sale_id: uuid.UUID,
                  tender_id: uuid.UUID) -> None:
    """A refund of a store-credit tender puts the amount back to whoever it was drawn from."""
    spent = tx.session.scalar(select(StoreCreditEntry).where(StoreCreditEntry.tender_id == original_tender_id,
                                                             StoreCreditEntry.amount_cents < 0))
    if spent is None:
        raise ValidationError("The original store-credit payment has no ledger entry; it cannot be refunded here.")
    tx.add(StoreCreditEntry(customer_id=spent.customer_id, account_id=spent.account_id, amount_cents=amount_cents,
                            reason="refund of a store credit payment", sale_id=sale_id, tender_id=tender_id,
                            employee_id=tx.actor.employee_id))


def entry_dto(e: StoreCreditEntry) -> StoreCreditEntryDTO:
    return StoreCreditEntryDTO(id=e.id, customer_id=e.customer_id, account_id=e.account_id,
                               amount_cents=e.amount_cents, reason=e.reason, sale_id=e.sale_id,
                               tender_id=e.tender_id, created_at=e.created_at)


class StoreCreditService:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    def issue(self, actor: Actor, *, amount_cents: int, reason: str, customer_id: uuid.UUID | None = None,
              account_id: uuid.UUID | None = None, sale_id: uuid.UUID | None = None,
              override: Override | None = None) -> StoreCreditEntryDTO:
        """Issue credit (trade-in value, goodwill). Needs STORE_CREDIT_ISSUE (a manager or their override)."""
        holder = Holder(customer_id=customer_id, account_id=account_id)
        if amount_cents <= 0:
            raise ValidationError("Store credit issued must be more than zero.")
        if not reason.strip():
            raise ValidationError("Give a reason for the store credit.")
        with self._uow.write(actor, Permission.STORE_CREDIT_ISSUE, override=override) as tx:
            if customer_id is not None and tx.session.get(Customer, customer_id) is None:
                raise NotFoundError("No such customer.")
            if account_id is not None and tx.session.get(Account, account_id) is None:
                raise NotFoundError("No such account.")
            if sale_id is not None and tx.session.get(Sale, sale_id) is None:
                raise NotFoundError("No such sale.")
            row = StoreCreditEntry(customer_id=holder.customer_id, account_id=holder.account_id,
                                   amount_cents=amount_cents, reason=reason.strip()[:200], sale_id=sale_id,
                                   employee_id=actor.employee_id)
            tx.add(row)
            tx.audit("store_credit.issue", entity=f"{holder.kind}",
                     entity_id=str(customer_id or account_id),
                     details={"amount": amount_cents, "reason": row.reason,
                              "balance": credit_balance(tx.session, holder)})
            return entry_dto(row)

    def balance(self, *, customer_id: uuid.UUID | None = None, account_id: uuid.UUID | None = None) -> int:
        with self._uow.read() as session:
            return credit_balance(session, Holder(customer_id=customer_id, account_id=account_id))

    def entries(self, *, customer_id: uuid.UUID | None = None,
                account_id: uuid.UUID | None = None) -> tuple[StoreCreditEntryDTO, ...]:
        holder = Holder(customer_id=customer_id, account_id=account_id)
        with self._uow.read() as session:
            rows = session.scalars(select(StoreCreditEntry).where(holder.where())
                                   .order_by(StoreCreditEntry.created_at, StoreCreditEntry.id))
            return tuple(entry_dto(e) for e in rows)
