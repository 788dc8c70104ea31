"""Reading a sale and its lines into DTOs; totals always come from posapp.domain.cart."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from posapp.config import spec
from posapp.db.models import OfflineForward, Sale, SaleLine, Setting, Tender
from posapp.domain.cart import CartLine, ReturnPick, Totals, compute_totals, refund_totals
from posapp.domain.offline_card import OFFLINE_DECLINED, OFFLINE_FORWARDED, OFFLINE_PENDING, offline_label
from posapp.domain.register import ForwardResult, SaleKind, SaleStatus, TenderState
from posapp.errors import NotFoundError, ValidationError
from posapp.services.register.data import RegisterData
from posapp.services.register.dto import LineDTO, SaleDTO, TenderDTO


def get_sale(session: Session, sale_id: uuid.UUID) -> Sale:
    sale = session.get(Sale, sale_id)
    if sale is None:
        raise NotFoundError("No such sale.")
    return sale


def open_sale(session: Session, sale_id: uuid.UUID) -> Sale:
    sale = get_sale(session, sale_id)
    if sale.status is not SaleStatus.OPEN:
        raise ValidationError(f"Sale is {sale.status.value}; it can no longer change.")
    return sale


def live_lines(session: Session, sale_id: uuid.UUID) -> list[SaleLine]:
    return list(session.scalars(select(SaleLine).where(SaleLine.sale_id == sale_id, SaleLine.removed.is_(False))
                                .order_by(SaleLine.line_no)))


def tenders_of(session: Session, sale_id: uuid.UUID) -> list[Tender]:
    return list(session.scalars(select(Tender).where(Tender.sale_id == sale_id).order_by(Tender.created_at,
                                                                                      Tender.id)))


def to_cart_line(line: SaleLine) -> CartLine:
    return CartLine(line.sku, line.description, line.category, line.qty, line.unit_price_cents,
                    line.discount_cents, line.full_retail_cents)


def _returned_before(session: Session, line: SaleLine) -> int:
    """Units of ``line``'s original returned by refund lines written before it (not voided)."""
    earlier = or_(SaleLine.created_at < line.created_at,
                  and_(SaleLine.created_at == line.created_at, SaleLine.id < line.id))
    return int(session.scalar(
        select(func.coalesce(func.sum(SaleLine.qty), 0)).join(Sale, Sale.id == SaleLine.sale_id)
        .where(SaleLine.original_line_id == line.original_line_id, SaleLine.id != line.id, earlier,
               Sale.status != SaleStatus.VOIDED)) or 0)


def sale_totals(session: Session, sale: Sale, lines: list[SaleLine], data: RegisterData) -> tuple[Totals, int]:
    """Totals by the sale's jurisdiction rule, and the restocking fees (refunds only). A refund's amounts are its
    share of what the original lines were charged (posapp.domain.cart.refund_totals)."""
    rule = data.rule(sale.jurisdiction)
    if sale.kind is SaleKind.REFUND:
        picks = []
        for x in lines:
            original = session.get(SaleLine, x.original_line_id)
            assert original is not None
            picks.append(ReturnPick(to_cart_line(original), _returned_before(session, x), x.qty))
        totals = refund_totals(picks, rule)
    else:
        totals = compute_totals([to_cart_line(x) for x in lines], rule)
    return totals, sum(x.restocking_fee_cents for x in lines)


def store_tz(session: Session) -> str:
    """The store's time zone as saved in the settings table (the default when unset)."""
    row = session.get(Setting, "store_timezone")
    if row is not None:
        value = json.loads(row.value)
        if isinstance(value, str):
            return value
    return str(spec("store_timezone").default)


def offline_state(session: Session, t: Tender) -> str | None:
    if not t.offline:
        return None
    fwd = session.scalar(select(OfflineForward).where(OfflineForward.tender_id == t.id))
    if fwd is None:
        return OFFLINE_PENDING
    return OFFLINE_DECLINED if fwd.result is ForwardResult.DECLINED else OFFLINE_FORWARDED


def tender_dto(t: Tender, session: Session | None = None) -> TenderDTO:
    """The tender as the register shows it; with ``session``, an offline card tender carries its forwarding
    state and label."""
    state = offline_state(session, t) if session is not None else (OFFLINE_PENDING if t.offline else None)
    label = offline_label(state, t.forward_by, store_tz(session) if session is not None else "UTC",
                          datetime.now(UTC)) if state is not None else None
    return TenderDTO(id=t.id, kind=t.kind.value, state=t.state.value, amount_cents=t.amount_cents,
                     tendered_cents=t.tendered_cents, change_cents=t.change_cents,
                     idempotency_key=t.idempotency_key, card_brand=t.card_brand, card_last4=t.card_last4,
                     auth_code=t.auth_code, decline_reason=t.decline_reason, offline=t.offline,
                     forward_by=t.forward_by, offline_state=state, offline_status=label)


def sale_dto(session: Session, sale: Sale, data: RegisterData) -> SaleDTO:
    lines = live_lines(session, sale.id)
    totals, restocking = sale_totals(session, sale, lines, data)
    tenders = tenders_of(session, sale.id)
    paid = sum(t.amount_cents for t in tenders if t.state is TenderState.APPROVED)
    open_ = sum(t.amount_cents for t in tenders if t.state in (TenderState.PENDING, TenderState.UNKNOWN))
    due = totals.total_cents - restocking
    return SaleDTO(
        id=sale.id, kind=sale.kind.value, status=sale.status.value, receipt_no=sale.receipt_no,
        original_sale_id=sale.original_sale_id,
        lines=tuple(LineDTO(line_no=x.line_no, category=x.category.value, sku=x.sku, description=x.description,
                            imei=x.imei, qty=x.qty, unit_price_cents=x.unit_price_cents,
                            full_retail_cents=x.full_retail_cents, discount_cents=x.discount_cents,
                            net_cents=x.qty * x.unit_price_cents - x.discount_cents,
                            price_overridden=x.price_overridden, restocking_fee_cents=x.restocking_fee_cents)
                    for x in lines),
        totals=totals, restocking_cents=restocking, due_cents=due,
        tenders=tuple(tender_dto(t, session) for t in tenders),
        paid_cents=paid, open_tender_cents=open_, remaining_cents=due - paid - open_,
        completed_at=sale.completed_at)
