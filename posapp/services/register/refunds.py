"""Refunds and returns: by receipt number, chosen lines, within the return window (or with a manager's override),
restocking fees from the data file, money back to the original tenders. A refund is a new sale linked to the
original — the original is never edited."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.adapters.payment_terminal import PaymentTerminal, TerminalResult
from posapp.db.models import DrawerEvent, InventoryDevice, Sale, SaleLine, Tender
from posapp.domain.offline_card import OFFLINE_DECLINED
from posapp.domain.register import (
    DrawerEventKind,
    InventoryStatus,
    SaleKind,
    SaleStatus,
    TenderKind,
    TenderState,
    within_return_window,
)
from posapp.errors import NotFoundError, ValidationError
from posapp.security.permissions import Permission
from posapp.services.dto import Actor, Override
from posapp.services.register.account_payments import ACCOUNT_SKUS
from posapp.services.register.common import live_lines, offline_state, sale_dto, tenders_of
from posapp.services.register.data import RegisterData
from posapp.services.register.drawer import current_session
from posapp.services.register.dto import CardRefundAttempt, RefundAttempt, SaleDTO
from posapp.services.register.store_credit import return_credit
from posapp.services.register.tenders import TenderService, finish_sale
from posapp.services.uow import Tx, UnitOfWork

# Refund to these first: back to the card, then store credit, then cash from the drawer.
_ORDER = {TenderKind.CARD: 0, TenderKind.STORE_CREDIT: 1, TenderKind.CASH: 2}


def find_receipt(session: Session, receipt_no: str) -> Sale:
    sale = session.scalar(select(Sale).where(Sale.receipt_no == receipt_no.strip()))
    if sale is None:
        raise NotFoundError(f"No receipt {receipt_no.strip()}.")
    return sale


def _refunded_qty(session: Session, line_id: uuid.UUID) -> int:
    return int(session.scalar(
        select(func.coalesce(func.sum(SaleLine.qty), 0)).join(Sale, Sale.id == SaleLine.sale_id)
        .where(SaleLine.original_line_id == line_id, Sale.status != SaleStatus.VOIDED)) or 0)


def _refunded_from(session: Session, tender_id: uuid.UUID) -> int:
    return int(session.scalar(
        select(func.coalesce(func.sum(Tender.amount_cents), 0))
        .where(Tender.original_tender_id == tender_id, Tender.state != TenderState.DECLINED)) or 0)


class RefundService:
    def __init__(self, *, uow: UnitOfWork, data: RegisterData, terminal: PaymentTerminal,
                 tenders: TenderService, clock: Callable[[], datetime] | None = None) -> None:
        self._uow = uow
        self._clock = clock or (lambda: datetime.now(UTC))
        self._data = data
        self._terminal = terminal
        self._tenders = tenders

    def lookup(self, receipt_no: str) -> SaleDTO:
        with self._uow.read() as session:
            return sale_dto(session, find_receipt(session, receipt_no), self._data)

    def refund(self, actor: Actor, receipt_no: str, picks: Mapping[int, int], *, reason: str,
               override: Override | None = None) -> SaleDTO:
        """Refund ``picks`` (original line number -> quantity). Needs REFUND; outside the return window also a
        manager (MANAGER_OVERRIDE). The steps :meth:`begin`, :meth:`ask_terminal`, :meth:`finish` in a row."""
        attempt = self.begin(actor, receipt_no, picks, reason=reason, override=override)
        return self.finish(actor, attempt, self.ask_terminal(attempt), override=override)

    def begin(self, actor: Actor, receipt_no: str, picks: Mapping[int, int], *, reason: str,
              override: Override | None = None) -> RefundAttempt:
        """Database step 1: the refund as an open sale, its tenders allocated (card refunds pending), committed."""
        if not picks or any(q <= 0 for q in picks.values()):
            raise ValidationError("Pick at least one line and a quantity of 1 or more.")
        if not reason.strip():
            raise ValidationError("Give a reason for the refund.")
        with self._uow.read() as session:
            original = find_receipt(session, receipt_no)
            if original.kind is not SaleKind.SALE or original.completed_at is None:
                raise ValidationError("Only a completed sale can be refunded.")
            paid_by_card = any(t.kind is TenderKind.CARD and t.state is TenderState.APPROVED
                               for t in tenders_of(session, original.id))
            if paid_by_card and not self._terminal.configured:  # refuse before any refund row is made
                raise ValidationError(f"{self._terminal.label}: a sale paid by card cannot be refunded here.")
            days = self._uow.core.settings.return_window_days
            late = not within_return_window(original.completed_at, self._clock(), days)
        if late:
            self._uow.check(actor, Permission.MANAGER_OVERRIDE, override)
        with self._uow.write(actor, Permission.REFUND, override=override) as tx:
            refund = self._create(tx, actor, original.id, picks, reason.strip()[:200], late)
            card = tuple(CardRefundAttempt(t.id, t.idempotency_key, self._token(tx, t), t.amount_cents)
                         for t in tenders_of(tx.session, refund.id) if t.state is TenderState.PENDING)
            return RefundAttempt(refund.id, receipt_no, card)

    def ask_terminal(self, attempt: RefundAttempt) -> tuple[TerminalResult, ...]:
        """Device step: the terminal refunds to each card (no database; the UI runs it on its device worker)."""
        return tuple(self._terminal.refund(c.idempotency_key, c.token, c.amount_cents) for c in attempt.card)

    def finish(self, actor: Actor, attempt: RefundAttempt, results: tuple[TerminalResult, ...], *,
               override: Override | None = None) -> SaleDTO:
        """Database step 2: settle the card refunds with the terminal's answers and complete the refund."""
        for card, result in zip(attempt.card, results, strict=True):
            self._tenders.settle(actor, card.tender_id, result)
        with self._uow.write(actor, Permission.REFUND, override=override) as tx:
            sale = tx.session.get(Sale, attempt.refund_id)
            assert sale is not None
            finish_sale(tx, sale, self._data)
            tx.audit("refund.complete", entity="sale", entity_id=str(sale.id),
                     details={"receipt": sale.receipt_no, "original": attempt.receipt_no, "total": sale.total_cents})
            return sale_dto(tx.session, sale, self._data)

    @staticmethod
    def _token(tx: Tx, refund_tender: Tender) -> str:
        original = tx.session.get(Tender, refund_tender.original_tender_id)
        assert original is not None and original.card_token is not None
        return original.card_token

    def _create(self, tx: Tx, actor: Actor, original_id: uuid.UUID, picks: Mapping[int, int], reason: str,
                late: bool) -> Sale:
        original = tx.session.get(Sale, original_id)
        assert original is not None
        lines = {x.line_no: x for x in live_lines(tx.session, original.id)}
        refund = Sale(kind=SaleKind.REFUND, status=SaleStatus.OPEN, original_sale_id=original.id,
                      employee_id=actor.employee_id, account_id=original.account_id,
                      customer_id=original.customer_id, jurisdiction=original.jurisdiction)
        tx.add(refund)
        for n, (line_no, qty) in enumerate(sorted(picks.items()), start=1):
            line = lines.get(line_no)
            if line is None:
                raise NotFoundError(f"Receipt {original.receipt_no} has no line {line_no}.")
            if line.sku in ACCOUNT_SKUS:
                raise ValidationError(f"Line {line_no} is a payment on the account; it cannot be refunded here.")
            done = _refunded_qty(tx.session, line.id)
            if done + qty > line.qty:
                raise ValidationError(f"Line {line_no}: only {line.qty - done} left to refund.")
            # discount shares by cumulative quantity, so refunding every unit returns exactly the discount given
            share = line.discount_cents * (done + qty) // line.qty - line.discount_cents * done // line.qty
            net = qty * line.unit_price_cents - share
            fee = min(self._data.restocking_fee(line.category) * qty, net)
            tx.add(SaleLine(sale_id=refund.id, line_no=n, category=line.category, sku=line.sku,
                            description=line.description, upc=line.upc, imei=line.imei,
                            inventory_id=line.inventory_id, qty=qty, unit_price_cents=line.unit_price_cents,
                            full_retail_cents=line.full_retail_cents, discount_cents=share,
                            price_overridden=line.price_overridden, original_line_id=line.id,
                            restocking_fee_cents=fee))
            if line.inventory_id is not None:
                dev = tx.session.get(InventoryDevice, line.inventory_id)
                if dev is not None:
                    dev.status, dev.reserved_by_sale_id = InventoryStatus.IN_STOCK, None
                    tx.changed(dev, fields={"status": dev.status.value, "reserved_by_sale_id": None})
        due = sale_dto(tx.session, refund, self._data).due_cents
        self._allocate(tx, actor, original, refund, due)
        tx.audit("refund.open", entity="sale", entity_id=str(refund.id),
                 details={"original": original.receipt_no, "lines": dict(picks), "reason": reason,
                          "outside_window": late, "due": due})
        return refund

    def _allocate(self, tx: Tx, actor: Actor, original: Sale, refund: Sale, due: int) -> None:
        # an offline card payment the processor declined at forwarding never brought money in: nothing to give back
        originals = sorted((t for t in tenders_of(tx.session, original.id) if t.state is TenderState.APPROVED
                            and offline_state(tx.session, t) != OFFLINE_DECLINED),
                           key=lambda t: _ORDER[t.kind])
        left = due
        for t in originals:
            if left <= 0:
                break
            amount = min(left, t.amount_cents - _refunded_from(tx.session, t.id))
            if amount <= 0:
                continue
            state = TenderState.PENDING if t.kind is TenderKind.CARD else TenderState.APPROVED
            new = Tender(sale_id=refund.id, kind=t.kind, state=state, amount_cents=amount,
                         idempotency_key=str(uuid.uuid4()), original_tender_id=t.id,
                         resolved_at=None if state is TenderState.PENDING else tx.now)
            tx.add(new)
            if t.kind is TenderKind.STORE_CREDIT:
                return_credit(tx, t.id, amount, sale_id=refund.id, tender_id=new.id)
            if t.kind is TenderKind.CASH:
                tx.add(DrawerEvent(session_id=current_session(tx).id, kind=DrawerEventKind.CASH_REFUND,
                                   amount_cents=-amount, sale_id=refund.id, employee_id=actor.employee_id))
            left -= amount
        if left > 0:
            raise ValidationError(f"The original tenders cannot take back {left} more cents.")

