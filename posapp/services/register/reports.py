"""End-of-day (Z) report: one store-local business day of sales, refunds, tenders and drawer sessions.

Times are stored in UTC; the business day is the store's local date (``store_timezone``), so the day runs from
local midnight to local midnight. All amounts are integer cents. Refunds count negative in every breakdown, so
the by-rep total, the by-tender total and the net all reconcile to the same figure.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from posapp.db.models import DrawerEvent, DrawerSession, Employee, Sale, SaleLine, SaleTaxLine, Tender
from posapp.domain.register import DrawerEventKind, SaleKind, SaleStatus, TenderState
from posapp.reports.model import Amount, DrawerSummary, EodReport
from posapp.security.permissions import Permission
from posapp.services.dto import Actor
from posapp.services.uow import UnitOfWork


def day_bounds(business_date: date, timezone: str) -> tuple[datetime, datetime]:
    """UTC instants of the store-local midnights starting and ending ``business_date``."""
    tz = ZoneInfo(timezone)
    start = datetime.combine(business_date, time(0), tzinfo=tz)
    end = datetime.combine(business_date + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def _add(table: dict[str, list[int]], key: str, cents: int, count: int = 1) -> None:
    row = table.setdefault(key, [0, 0])
    row[0] += count
    row[1] += cents


def _rows(table: dict[str, list[int]], labels: dict[str, str] | None = None) -> tuple[Amount, ...]:
    labels = labels or {}
    return tuple(Amount(key=k, label=labels.get(k, k), count=v[0], cents=v[1])
                 for k, v in sorted(table.items(), key=lambda kv: (-kv[1][1], kv[0])))


class ReportService:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    def end_of_day(self, actor: Actor, business_date: date) -> EodReport:
        """The Z report for the store-local ``business_date`` (needs REPORTS: manager or admin)."""
        self._uow.check(actor, Permission.REPORTS)
        s = self._uow.core.settings
        start, end = day_bounds(business_date, s.store_timezone)
        with self._uow.read() as session:
            names = {e.id: f"{e.name} ({e.number})" for e in session.scalars(select(Employee))}
            sales = list(session.scalars(select(Sale).where(
                Sale.store_id == s.store_id, Sale.status == SaleStatus.COMPLETED, Sale.completed_at >= start,
                Sale.completed_at < end)
                .order_by(Sale.completed_at)))
            ids = [x.id for x in sales]
            sign = {x.id: (-1 if x.kind is SaleKind.REFUND else 1) for x in sales}
            lines = list(session.scalars(select(SaleLine).where(SaleLine.sale_id.in_(ids),
                                                                SaleLine.removed.is_(False)))) if ids else []
            tax_lines = list(session.scalars(select(SaleTaxLine).where(SaleTaxLine.sale_id.in_(ids)))) if ids else []
            tenders = list(session.scalars(select(Tender).where(Tender.sale_id.in_(ids),
                                                                Tender.state == TenderState.APPROVED))) if ids else []
            voided = int(session.scalar(select(func.count()).select_from(Sale).where(
                Sale.store_id == s.store_id, Sale.status == SaleStatus.VOIDED, Sale.created_at >= start,
                Sale.created_at < end)) or 0)
            declined = list(session.scalars(select(Tender).where(
                Tender.store_id == s.store_id, Tender.state == TenderState.DECLINED, Tender.created_at >= start,
                Tender.created_at < end)))
            drawers = list(session.scalars(select(DrawerSession).where(
                DrawerSession.store_id == s.store_id,
                DrawerSession.created_at < end,  # open at some time during the day
                DrawerSession.closed_at.is_(None) | (DrawerSession.closed_at >= start))
                .order_by(DrawerSession.created_at)))
            events = list(session.scalars(select(DrawerEvent).where(
                DrawerEvent.session_id.in_([d.id for d in drawers])))) if drawers else []

        gross = sum(x.total_cents for x in sales if x.kind is SaleKind.SALE)
        refunded = sum(x.total_cents for x in sales if x.kind is SaleKind.REFUND)
        by_rep: dict[str, list[int]] = {}
        for x in sales:
            _add(by_rep, names.get(x.employee_id, str(x.employee_id)), sign[x.id] * x.total_cents)
        by_tender: dict[str, list[int]] = {}
        for t in tenders:
            _add(by_tender, t.kind.value, sign[t.sale_id] * t.amount_cents)
        by_category: dict[str, list[int]] = {}
        for line in lines:
            _add(by_category, line.category.value,
                 sign[line.sale_id] * (line.qty * line.unit_price_cents - line.discount_cents), line.qty)
        taxes: dict[str, list[int]] = {}
        tax_labels: dict[str, str] = {}
        for tl in tax_lines:
            key = f"{tl.kind}:{tl.code}"
            tax_labels[key] = tl.label
            _add(taxes, key, sign[tl.sale_id] * tl.amount_cents)

        ev: dict[uuid.UUID, dict[DrawerEventKind, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for e in events:
            row = ev[e.session_id][e.kind]
            row[0] += 1
            row[1] += e.amount_cents
        summaries = []
        for d in drawers:
            k = ev[d.id]
            expected = d.expected_cents if d.expected_cents is not None else (
                d.float_cents + sum(v[1] for v in k.values()))
            summaries.append(DrawerSummary(
                id=d.id, status=d.status.value, opened_at=d.created_at, opened_by=names.get(d.opened_by, "?"),
                closed_at=d.closed_at, closed_by=names.get(d.closed_by) if d.closed_by else None,
                float_cents=d.float_cents, cash_sales_cents=k[DrawerEventKind.CASH_SALE][1],
                cash_refunds_cents=-k[DrawerEventKind.CASH_REFUND][1], paid_in_cents=k[DrawerEventKind.PAID_IN][1],
                paid_out_cents=-k[DrawerEventKind.PAID_OUT][1], no_sales=k[DrawerEventKind.NO_SALE][0],
                expected_cents=expected, counted_cents=d.counted_cents, variance_cents=d.variance_cents,
                variance_reason=d.variance_reason))

        def total(attr: str) -> int:
            return sum(sign[x.id] * int(getattr(x, attr)) for x in sales)

        return EodReport(
            store_id=s.store_id, store_name=s.store_name, business_date=business_date, timezone=s.store_timezone,
            starts_at=start, ends_at=end, generated_at=datetime.now(UTC), generated_by=actor.label,
            training=s.training_mode,
            sales_count=sum(1 for x in sales if x.kind is SaleKind.SALE),
            refunds_count=sum(1 for x in sales if x.kind is SaleKind.REFUND),
            gross_sales_cents=gross, refunds_cents=refunded, net_cents=gross - refunded,
            merchandise_net_cents=sum(a[1] for a in by_category.values()),
            discount_cents=total("discount_cents"), tax_cents=total("tax_cents"), fee_cents=total("fee_cents"),
            restocking_cents=sum(x.restocking_cents for x in sales if x.kind is SaleKind.REFUND),
            taxes=_rows(taxes, tax_labels), by_rep=_rows(by_rep), by_tender=_rows(by_tender),
            by_category=_rows(by_category), drawers=tuple(summaries), voided_count=voided,
            declined_count=len(declined), declined_cents=sum(t.amount_cents for t in declined))
