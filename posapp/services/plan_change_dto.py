"""What the plan-change service returns (frozen, Qt-free) and the billing-cycle dates it works from.

Cycle dates (an assumption, documented): the account's billing cycle starts on the day of the month of its latest
bill's ``period_start`` (the demo bills run from day N to the day before N of the next month); an account with no
bill yet starts its cycle on the day it was opened. Days past a month's end are clamped to its last day. The store's
"today" is the local date in ``store_timezone``.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date

from posapp.domain.proration import ChangeTiming, ProrationPreview


@dataclass(frozen=True)
class FeatureOption:
    code: str
    name: str
    monthly_cents: int


@dataclass(frozen=True)
class PlanOption:
    code: str
    name: str
    monthly_cents: int
    segment: str
    features: tuple[FeatureOption, ...]  # the features a line on this plan may add


@dataclass(frozen=True)
class ScheduledChange:
    id: uuid.UUID
    new_plan_code: str
    new_plan_name: str
    new_features: tuple[str, ...]
    effective_on: date


@dataclass(frozen=True)
class PlanChangeChoices:
    """What the dialog offers for one line: the plans of its segment (current first) and its current features."""

    line_id: uuid.UUID
    line_last4: str
    current_plan_code: str
    current_features: tuple[str, ...]
    plans: tuple[PlanOption, ...]
    cycle_start: date
    next_cycle: date
    scheduled: ScheduledChange | None


@dataclass(frozen=True)
class PlanChangePreview:
    line_id: uuid.UUID
    old_plan_code: str
    old_plan_name: str
    old_features: tuple[str, ...]
    new_plan_code: str
    new_plan_name: str
    new_features: tuple[str, ...]
    timing: ChangeTiming
    cycle_start: date
    cycle_day: int
    next_cycle: date
    effective_on: date  # today (now) or the next cycle's first day
    proration: ProrationPreview

    @property
    def credit_cents(self) -> int:
        return self.proration.credit_cents

    @property
    def charge_cents(self) -> int:
        return self.proration.charge_cents

    @property
    def net_cents(self) -> int:
        return self.proration.net_cents


@dataclass(frozen=True)
class PlanChangeResult:
    id: uuid.UUID
    status: str  # applied | scheduled
    preview: PlanChangePreview


def _on_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def cycle_bounds(billing_day: int, today: date) -> tuple[date, date]:
    """(start of the cycle ``today`` is in, start of the next one) for a cycle starting on ``billing_day``."""
    start = _on_day(today.year, today.month, billing_day)
    if start > today:
        y, m = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        start = _on_day(y, m, billing_day)
    y, m = (start.year, start.month + 1) if start.month < 12 else (start.year + 1, 1)
    return start, _on_day(y, m, billing_day)
