"""Tenders and completing a sale.

Card: the tender row (state ``pending``, a fresh idempotency key) is committed *before* the terminal is asked, so
a crash or a timeout can never lose track of an attempt. A timeout leaves it ``unknown``; :meth:`requery` asks
the terminal about the same key and settles it. No new charge is ever made for an unknown tender.

Every terminal call is split in three so the database thread never waits for a device: a database step that
commits the attempt (:meth:`begin_card`, :meth:`requery_attempt`), a device step that only talks to the terminal
(:meth:`ask_terminal`, :meth:`query_terminal`; no database) and a database step that records the answer
(:meth:`settle`). :meth:`pay_card` and :meth:`requery` are those steps in a row (the CLI, the demo simulator).
Cash: the drawer event is part of the tender's transaction; the drawer is kicked afterwards (``kick=False`` leaves
the kick to the caller, e.g. the UI's device worker, see :meth:`DrawerService.kick`).
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.adapters.cash_drawer import CashDrawer
from posapp.adapters.cash_drawer import kick as kick_drawer
from posapp.adapters.payment_terminal import PaymentTerminal, TerminalResult, TerminalStatus
from posapp.db.models import DrawerEvent, InventoryDevice, OfflineForward, Sale, SaleTaxLine, Tender
from posapp.domain.enums import PaymentMethod
from posapp.domain.offline_card import OFFLINE_DECLINED, OFFLINE_FORWARDED, forward_deadline, offline_refusal
from posapp.domain.register import (
    DrawerEventKind,
    ForwardResult,
    InventoryStatus,
    SaleKind,
    SaleStatus,
    TenderKind,
    TenderState,
    change_due,
    next_state,
)
from posapp.errors import NotFoundError, ValidationError
from posapp.security.permissions import Permission
from posapp.services.dto import Actor, Override
from posapp.services.numbers import next_number
from posapp.services.register.account_payments import post_account_payments
from posapp.services.register.common import live_lines, open_sale, sale_dto, sale_totals, tender_dto, tenders_of
from posapp.services.register.data import RegisterData
from posapp.services.register.drawer import current_session
from posapp.services.register.dto import CardAttempt, ForwardReport, SaleDTO, TenderDTO
from posapp.services.register.hooks import NO_HOOKS, SaleHooks
from posapp.services.register.signatures import check_signed
from posapp.services.register.store_credit import credit_holder, spend_credit
from posapp.services.uow import Tx, UnitOfWork


def pending_offline_cents(session: Session) -> int:
    """Offline card tenders not yet forwarded (pending, unknown or approved), in cents."""
    return int(session.scalar(
        select(func.coalesce(func.sum(Tender.amount_cents), 0))
        .where(Tender.offline.is_(True), Tender.state != TenderState.DECLINED,
               ~select(OfflineForward.id).where(OfflineForward.tender_id == Tender.id).exists())) or 0)


class TenderService:
    def __init__(self, *, uow: UnitOfWork, data: RegisterData, terminal: PaymentTerminal,
                 drawer: CashDrawer, hooks: SaleHooks = NO_HOOKS) -> None:
        self._uow = uow
        self._data = data
        self._terminal = terminal
        self._drawer = drawer
        self._hooks = hooks

    # -- taking money -----------------------------------------------------------------------------------------
    def _check_amount(self, tx: Tx, sale: Sale, amount_cents: int) -> None:
        if amount_cents <= 0:
            raise ValidationError("The amount must be more than zero.")
        remaining = sale_dto(tx.session, sale, self._data).remaining_cents
        if amount_cents > remaining:
            raise ValidationError(f"Only {remaining} cents remain to be paid.")

    def pay_cash(self, actor: Actor, sale_id: uuid.UUID, *, amount_cents: int, tendered_cents: int,
                 kick: bool = True) -> TenderDTO:
        """Cash in the drawer (its event in the same transaction). ``kick=False``: the caller kicks the drawer
        (:meth:`DrawerService.kick`) — a kick that fails never undoes the payment."""
        change = change_due(amount_cents, tendered_cents)
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            drawer = current_session(tx)
            self._check_amount(tx, sale, amount_cents)
            tender = Tender(sale_id=sale.id, kind=TenderKind.CASH, state=TenderState.APPROVED,
                            amount_cents=amount_cents, tendered_cents=tendered_cents, change_cents=change,
                            idempotency_key=str(uuid.uuid4()), resolved_at=tx.now)
            tx.add(tender)
            tx.add(DrawerEvent(session_id=drawer.id, kind=DrawerEventKind.CASH_SALE, amount_cents=amount_cents,
                               sale_id=sale.id, employee_id=actor.employee_id))
            tx.audit("tender.cash", entity="sale", entity_id=str(sale.id),
                     details={"amount": amount_cents, "change": change})
            result = tender_dto(tender, tx.session)
        if kick:
            kick_drawer(self._drawer, "cash_sale")
        return result

    def pay_store_credit(self, actor: Actor, sale_id: uuid.UUID, *, amount_cents: int,
                         customer_id: uuid.UUID | None = None, account_id: uuid.UUID | None = None) -> TenderDTO:
        """Pay from the store credit of a customer or an account (default: the sale's account, else its
        customer). Refused beyond the balance; the tender and the ledger debit are one transaction."""
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            self._check_amount(tx, sale, amount_cents)
            holder = credit_holder(sale, customer_id=customer_id, account_id=account_id)
            tender = Tender(sale_id=sale.id, kind=TenderKind.STORE_CREDIT, state=TenderState.APPROVED,
                            amount_cents=amount_cents, idempotency_key=str(uuid.uuid4()), resolved_at=tx.now)
            tx.add(tender)
            spend_credit(tx, holder, amount_cents, sale_id=sale.id, tender_id=tender.id)
            tx.audit("tender.store_credit", entity="sale", entity_id=str(sale.id),
                     details={"amount": amount_cents, "holder": holder.kind})
            return tender_dto(tender, tx.session)

    def pay_card(self, actor: Actor, sale_id: uuid.UUID, *, amount_cents: int, link_online: bool = True,
                 override: Override | None = None) -> TenderDTO:
        """A card payment through the terminal: :meth:`begin_card`, :meth:`ask_terminal`, :meth:`settle` in a row.
        ``link_online=False`` (the store link is down: the caller says so, e.g. from the status service) takes it
        offline — store-and-forward, see :meth:`pay_card_offline`."""
        attempt = self.begin_card(actor, sale_id, amount_cents=amount_cents, link_online=link_online,
                                  override=override)
        return self.settle(actor, attempt.tender_id, self.ask_terminal(attempt))

    def pay_card_offline(self, actor: Actor, sale_id: uuid.UUID, *, amount_cents: int,
                         override: Override | None = None) -> TenderDTO:
        """Store-and-forward card payment while the store link is down. Needs OFFLINE_CARD (a manager, or a
        manager's override); refused above ``offline_card_max_cents`` or when the offline payments not yet
        forwarded would pass ``offline_card_total_cents``. The tender must be forwarded (:meth:`forward_offline`)
        by its ``forward_by`` time (``offline_forward_hours`` from now)."""
        return self.pay_card(actor, sale_id, amount_cents=amount_cents, link_online=False, override=override)

    def begin_card(self, actor: Actor, sale_id: uuid.UUID, *, amount_cents: int, link_online: bool = True,
                   override: Override | None = None) -> CardAttempt:
        """Database step 1 of a card payment: commit the pending tender (a fresh idempotency key) and its audit.
        Offline (``link_online=False``): OFFLINE_CARD and the offline caps, as :meth:`pay_card_offline` says."""
        self._require_terminal()
        if not link_online:
            return self._begin_offline(actor, sale_id, amount_cents=amount_cents, override=override)
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            self._check_amount(tx, sale, amount_cents)
            tender = Tender(sale_id=sale.id, kind=TenderKind.CARD, state=TenderState.PENDING,
                            amount_cents=amount_cents, idempotency_key=str(uuid.uuid4()))
            tx.add(tender)
            tx.audit("tender.card_attempt", entity="sale", entity_id=str(sale.id),
                     details={"amount": amount_cents, "key": tender.idempotency_key})
            return CardAttempt(tender.id, tender.idempotency_key, amount_cents, offline=False)

    def _require_terminal(self) -> None:
        """Refuse a card payment before any tender row is made when this terminal has no card terminal."""
        if not self._terminal.configured:
            raise ValidationError(f"{self._terminal.label}: take cash or store credit.")

    def _begin_offline(self, actor: Actor, sale_id: uuid.UUID, *, amount_cents: int,
                       override: Override | None) -> CardAttempt:
        with self._uow.write(actor, Permission.OFFLINE_CARD, override=override) as tx:
            sale = open_sale(tx.session, sale_id)
            self._check_amount(tx, sale, amount_cents)
            s = tx.settings
            why = offline_refusal(amount_cents, pending_offline_cents(tx.session), max_cents=s.offline_card_max_cents,
                                  total_cents=s.offline_card_total_cents)
            if why is not None:
                raise ValidationError(why)
            tender = Tender(sale_id=sale.id, kind=TenderKind.CARD, state=TenderState.PENDING,
                            amount_cents=amount_cents, idempotency_key=str(uuid.uuid4()), offline=True,
                            forward_by=forward_deadline(tx.now, s.offline_forward_hours))
            tx.add(tender)
            tx.audit("tender.card_offline_attempt", entity="sale", entity_id=str(sale.id),
                     details={"amount": amount_cents, "key": tender.idempotency_key,
                              "forward_by": tender.forward_by.isoformat() if tender.forward_by else None})
            return CardAttempt(tender.id, tender.idempotency_key, amount_cents, offline=True)

    def ask_terminal(self, attempt: CardAttempt) -> TerminalResult:
        """Device step of a card payment: the terminal charges (offline: approves on its own) under the attempt's
        key. No database: this may wait for the customer's card for a minute (the UI runs it on its device
        worker). Settle the answer with :meth:`settle`."""
        if attempt.offline:
            return self._terminal.charge_offline(attempt.idempotency_key, attempt.amount_cents)
        return self._terminal.charge(attempt.idempotency_key, attempt.amount_cents)

    def offline_tenders(self, *, include_forwarded: bool = False) -> tuple[TenderDTO, ...]:
        """Offline card tenders still to forward and those declined at forwarding (for the manager); with
        ``include_forwarded`` also the settled ones. Oldest first."""
        with self._uow.read() as session:
            rows = session.scalars(select(Tender).where(Tender.offline.is_(True))
                                   .order_by(Tender.created_at, Tender.id))
            out = [tender_dto(t, session) for t in rows]
        return tuple(t for t in out if include_forwarded or t.offline_state != OFFLINE_FORWARDED)

    def forward_offline(self, actor: Actor, *, link_online: bool = True) -> ForwardReport:
        """Forward every approved offline card tender not yet forwarded (idempotent: a forwarded tender is never
        sent again, and the terminal answers a repeated key with its first outcome). A decline leaves the sale
        completed and the tender as it was, and records the tender as ``offline_declined`` for the manager.
        The three steps per tender (:meth:`offline_to_forward`, :meth:`forward_terminal`, :meth:`record_forward`)
        let a UI run the terminal part on its device worker."""
        settled: list[TenderDTO] = []
        declined: list[TenderDTO] = []
        waiting: list[TenderDTO] = []
        for tender_id, key in self.offline_to_forward(actor, link_online=link_online):
            dto = self.record_forward(actor, tender_id, self.forward_terminal(key))
            {OFFLINE_FORWARDED: settled, OFFLINE_DECLINED: declined}.get(dto.offline_state or "", waiting).append(dto)
        return ForwardReport(settled=tuple(settled), declined=tuple(declined), still_pending=tuple(waiting))

    def offline_to_forward(self, actor: Actor, *, link_online: bool = True) -> tuple[tuple[uuid.UUID, str], ...]:
        """Database step: the approved offline tenders not yet forwarded, ``(tender id, idempotency key)``."""
        if not link_online:
            raise ValidationError("The store link is down; offline card payments are forwarded when it is back.")
        self._uow.check(actor, Permission.SALE)
        with self._uow.read() as session:
            return tuple((t.id, t.idempotency_key) for t in session.scalars(
                select(Tender).where(Tender.offline.is_(True), Tender.state == TenderState.APPROVED,
                                     ~select(OfflineForward.id).where(OfflineForward.tender_id == Tender.id)
                                     .exists()).order_by(Tender.created_at, Tender.id)))

    def forward_terminal(self, idempotency_key: str) -> TerminalResult:
        """Device step: send one stored offline payment to the processor (no database)."""
        return self._terminal.forward(idempotency_key)

    def record_forward(self, actor: Actor, tender_id: uuid.UUID, result: TerminalResult) -> TenderDTO:
        """Database step: record the processor's answer (once; a timeout records nothing: try again later)."""
        with self._uow.write(actor, Permission.SALE) as tx:
            tender = tx.session.get(Tender, tender_id)
            assert tender is not None
            key = tender.idempotency_key
            done = tx.session.scalar(select(OfflineForward).where(OfflineForward.tender_id == tender_id))
            if done is None and result.status is not TerminalStatus.TIMEOUT:
                ok = result.status is TerminalStatus.APPROVED
                tx.add(OfflineForward(tender_id=tender_id,
                                      result=ForwardResult.SETTLED if ok else ForwardResult.DECLINED,
                                      auth_code=result.auth_code if ok else None,
                                      decline_reason=None if ok else (result.reason or "declined")[:80],
                                      forwarded_at=tx.now, employee_id=actor.employee_id))
                tx.audit("tender.offline_settled" if ok else "tender.offline_declined", entity="sale",
                         entity_id=str(tender.sale_id),
                         details={"amount": tender.amount_cents, "key": key, "last4": tender.card_last4})
            return tender_dto(tender, tx.session)

    def requery(self, actor: Actor, tender_id: uuid.UUID) -> TenderDTO:
        """Settle a pending/unknown card tender by asking the terminal about its key. Never charges again.
        The steps: :meth:`requery_attempt`, :meth:`query_terminal`, :meth:`settle`."""
        attempt = self.requery_attempt(tender_id)
        if attempt is None:
            return self.tender(tender_id)
        return self.settle(actor, tender_id, self.query_terminal(attempt))

    def tender(self, tender_id: uuid.UUID) -> TenderDTO:
        with self._uow.read() as session:
            tender = session.get(Tender, tender_id)
            if tender is None:
                raise NotFoundError("No such tender.")
            return tender_dto(tender, session)

    def requery_attempt(self, tender_id: uuid.UUID) -> CardAttempt | None:
        """Database step of a re-query: the attempt to ask about, or None when the tender is already settled."""
        with self._uow.read() as session:
            tender = session.get(Tender, tender_id)
            if tender is None:
                raise NotFoundError("No such tender.")
            if tender.state not in (TenderState.PENDING, TenderState.UNKNOWN):
                return None
            return CardAttempt(tender.id, tender.idempotency_key, tender.amount_cents, offline=tender.offline)

    def query_terminal(self, attempt: CardAttempt) -> TerminalResult:
        """Device step of a re-query: the final outcome under the same key (never a new charge). A terminal that
        never saw the attempt means no money moved: declined."""
        result = self._terminal.query(attempt.idempotency_key)
        if result is None:
            return TerminalResult(TerminalStatus.DECLINED, reason="the terminal has no record of this attempt")
        return result

    def settle(self, actor: Actor, tender_id: uuid.UUID, result: TerminalResult) -> TenderDTO:
        with self._uow.write(actor, Permission.SALE) as tx:
            tender = tx.session.get(Tender, tender_id)
            assert tender is not None
            new = {TerminalStatus.APPROVED: TenderState.APPROVED, TerminalStatus.DECLINED: TenderState.DECLINED,
                   TerminalStatus.TIMEOUT: TenderState.UNKNOWN}[result.status]
            if new is tender.state:
                return tender_dto(tender, tx.session)
            tender.state = next_state(tender.state, new)
            tender.card_token, tender.card_brand = result.token, result.brand
            tender.card_last4, tender.auth_code = result.last4, result.auth_code
            tender.decline_reason = result.reason if new is not TenderState.APPROVED else None
            if new is not TenderState.UNKNOWN:
                tender.resolved_at = tx.now
            tx.changed(tender)
            tx.audit(f"tender.card_{new.value}", entity="sale", entity_id=str(tender.sale_id),
                     details={"amount": tender.amount_cents, "key": tender.idempotency_key,
                              "last4": tender.card_last4})
            return tender_dto(tender, tx.session)

    # -- completing -------------------------------------------------------------------------------------------
    def complete(self, actor: Actor, sale_id: uuid.UUID) -> SaleDTO:
        """Freeze lines, totals, tax lines; devices sold; receipt number — one transaction, all or nothing."""
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            finish_sale(tx, sale, self._data, self._hooks)
            tx.audit("sale.complete", entity="sale", entity_id=str(sale.id),
                     details={"receipt": sale.receipt_no, "total": sale.total_cents})
            return sale_dto(tx.session, sale, self._data)


def finish_sale(tx: Tx, sale: Sale, data: RegisterData, hooks: SaleHooks = NO_HOOKS) -> None:
    """Complete ``sale`` inside ``tx`` (sales and refunds). Tenders must cover the amount due exactly. ``hooks``:
    told of a completed sale before its account payments are posted (the activations it paid for are queued)."""
    lines = live_lines(tx.session, sale.id)
    if not lines:
        raise ValidationError("The sale has no lines.")
    tenders = tenders_of(tx.session, sale.id)
    if any(t.state in (TenderState.PENDING, TenderState.UNKNOWN) for t in tenders):
        raise ValidationError("A card payment is still unresolved; ask the terminal again first.")
    totals, restocking = sale_totals(tx.session, sale, lines, data)
    due = totals.total_cents - restocking
    paid = sum(t.amount_cents for t in tenders if t.state is TenderState.APPROVED)
    if paid != due:
        raise ValidationError(f"Tenders of {paid} cents do not cover {due} cents.")
    check_signed(tx.session, sale, lines, tenders, due, tx.settings.signature_threshold_cents)
    for t in totals.tax_lines:
        tx.add(SaleTaxLine(sale_id=sale.id, kind="tax", code=t.code, label=t.label, base_cents=t.base_cents,
                           amount_cents=t.amount_cents))
    for f in totals.fee_lines:
        tx.add(SaleTaxLine(sale_id=sale.id, kind=f.kind.value, code=f.code, label=f.label, base_cents=f.qty,
                           amount_cents=f.amount_cents))
    if sale.kind is SaleKind.SALE:
        for line in lines:
            if line.inventory_id is not None:
                dev = tx.session.get(InventoryDevice, line.inventory_id)
                if dev is None or dev.reserved_by_sale_id != sale.id:
                    raise ValidationError("A device in this sale is no longer reserved for it.")
                dev.status = InventoryStatus.SOLD
                tx.changed(dev, fields={"status": dev.status.value})
    s = tx.settings
    receipt_no = next_number(tx.session, name="receipt", store_id=s.store_id, terminal_id=s.terminal_id,
                             column=Sale.receipt_no)  # type: ignore[arg-type]
    sale.receipt_no = receipt_no
    if sale.kind is SaleKind.SALE:
        approved = [t for t in tenders if t.state is TenderState.APPROVED]
        method = PaymentMethod(max(approved, key=lambda t: t.amount_cents).kind.value) if approved else \
            PaymentMethod.CASH
        hooks.sale_completed(tx, sale)  # paid activations queued, financed devices on EIP (before the snapshot)
        post_account_payments(tx, sale, lines, receipt_no, method)
    sale.subtotal_cents, sale.discount_cents = totals.subtotal_cents, totals.discount_cents
    sale.tax_cents, sale.fee_cents, sale.restocking_cents = totals.tax_cents, totals.fee_cents, restocking
    sale.total_cents, sale.status, sale.completed_at = due, SaleStatus.COMPLETED, tx.now
    sale.training = s.training_mode  # frozen with the sale: a reprint after going live still says TRAINING
    tx.changed(sale)

