"""What an end-of-day (Z) report says: plain frozen dataclasses, built by ``posapp.services.register.reports``
and drawn by :mod:`posapp.reports.eod` (which therefore needs nothing from the services layer)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Amount:
    """One row of a breakdown: a key (rep, tender kind, category, tax line), a count and signed cents."""

    key: str
    label: str
    count: int
    cents: int


@dataclass(frozen=True)
class DrawerSummary:
    id: uuid.UUID
    status: str
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    closed_by: str | None
    float_cents: int
    cash_sales_cents: int
    cash_refunds_cents: int
    paid_in_cents: int
    paid_out_cents: int
    no_sales: int
    expected_cents: int
    counted_cents: int | None
    variance_cents: int | None
    variance_reason: str | None


@dataclass(frozen=True)
class EodReport:
    store_id: str
    store_name: str
    business_date: date
    timezone: str
    starts_at: datetime   # UTC bounds of the business day [starts_at, ends_at)
    ends_at: datetime
    generated_at: datetime
    generated_by: str
    sales_count: int
    refunds_count: int
    gross_sales_cents: int   # completed sales' totals, tax and fees included
    refunds_cents: int       # what was given back (positive)
    net_cents: int           # gross - refunds
    merchandise_net_cents: int  # lines after discounts, sales minus refunds (the by-category total)
    discount_cents: int
    tax_cents: int
    fee_cents: int
    restocking_cents: int
    taxes: tuple[Amount, ...]     # by jurisdiction line (tax, government fee, surcharge), net of refunds
    by_rep: tuple[Amount, ...]
    by_tender: tuple[Amount, ...]  # approved only; cash is the amount applied (change excluded)
    by_category: tuple[Amount, ...]
    drawers: tuple[DrawerSummary, ...]  # sessions open at any time during the day (figures: whole session)
    voided_count: int
    declined_count: int
    declined_cents: int
    training: bool = False  # generated in training mode: the PDF says TRAINING on every page

    @property
    def by_rep_total_cents(self) -> int:
        return sum(a.cents for a in self.by_rep)

    @property
    def by_tender_total_cents(self) -> int:
        return sum(a.cents for a in self.by_tender)

    @property
    def by_category_total_cents(self) -> int:
        return sum(a.cents for a in self.by_category)
