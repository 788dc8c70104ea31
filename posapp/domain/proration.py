"""Plan-change proration (DOMAIN.md "Plans, AutoPay, tax"): a preview in integer cents. Pure: no I/O.

Day counting. ``day`` is the 1-based day of the billing cycle on which the change is made, and the old plan
covers that whole day: ``used = day`` days of the old plan, ``remaining = divisor - day`` days of the new one.
DOMAIN's example holds exactly: $45 → $60 on day 10 of a 30-day divisor leaves 20 days, credit 45 × 20/30 =
$30.00, charge 60 × 20/30 = $40.00. A change on day 1 therefore credits and charges 29 days, not 30: a change
that should bill the new plan for the whole cycle, with no partial amounts, is the "at next cycle" option. On
the divisor's last day (and after it, in a 31-day month with the 30-day divisor: clamped) nothing is left:
credit and charge are $0.00.

Rounding: each amount (credit, charge) is one exact fraction of cents rounded once, half up
(:func:`posapp.domain.money.prorate`); the net is the difference of the two rounded amounts, so the lines on the
receipt always add up.

AutoPay: $5 per line up to 8 lines by default, bank account or debit card only, and only after one full cycle
on AutoPay — the caller passes those facts (:class:`AutoPayFacts`); the discount comes off the next full bill.
The divisor and the AutoPay amounts are the settings ``proration_divisor_days``, ``autopay_discount_cents`` and
``autopay_max_lines`` (:mod:`posapp.config`), passed in by the service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from posapp.domain.enums import AutoPayMethod
from posapp.domain.financing import AUTOPAY_DISCOUNT_CENTS, AUTOPAY_MAX_LINES, autopay_discount_cents
from posapp.domain.money import MAX_CENTS, format_cents, prorate
from posapp.errors import ValidationError

DEFAULT_DIVISOR_DAYS = 30
MIN_DIVISOR_DAYS = 28
MAX_DIVISOR_DAYS = 31
MAX_CYCLE_DAYS = 31  # the longest billing cycle: a day past the divisor is clamped, a day past this is refused


class ChangeTiming(StrEnum):
    NOW = "now"
    NEXT_CYCLE = "next_cycle"


@dataclass(frozen=True)
class PlanPrice:
    """A plan with its features, each a monthly price in cents."""

    name: str
    plan_cents: int
    feature_cents: tuple[int, ...] = ()

    @property
    def monthly_cents(self) -> int:
        return self.plan_cents + sum(self.feature_cents)


@dataclass(frozen=True)
class AutoPayFacts:
    """The account's AutoPay as it will stand on the next bill (``method`` None: not enrolled)."""

    method: AutoPayMethod | None
    lines: int
    full_cycle_completed: bool


@dataclass(frozen=True)
class AutoPayEffect:
    applies: bool
    lines_counted: int
    discount_cents: int  # per month, off the next full bill
    reason: str


@dataclass(frozen=True)
class ProrationPreview:
    timing: ChangeTiming
    old_monthly_cents: int
    new_monthly_cents: int
    divisor_days: int
    used_days: int  # of the old plan, this cycle
    remaining_days: int  # of the new plan, this cycle (0 at next cycle)
    credit_cents: int  # unused days of the old plan, a positive amount given back
    charge_cents: int  # remaining days of the new plan
    net_cents: int  # charge - credit; negative: a net credit (downgrade)
    autopay: AutoPayEffect
    next_full_bill_cents: int  # the new plan's full month, less the AutoPay discount
    lines: tuple[str, ...]  # for the preview screen and the receipt


def cycle_day(cycle_start: date, change_date: date) -> int:
    """The 1-based day of the cycle: the cycle's start date is day 1."""
    day = (change_date - cycle_start).days + 1
    if day < 1:
        raise ValidationError(f"The change date {change_date.isoformat()} is before the cycle start "
                              f"{cycle_start.isoformat()}.")
    if day > MAX_CYCLE_DAYS:
        raise ValidationError(f"The change date {change_date.isoformat()} is {day - 1} days after the cycle "
                              f"start {cycle_start.isoformat()}; a cycle has at most {MAX_CYCLE_DAYS} days.")
    return day


def autopay_effect(facts: AutoPayFacts, *, per_line_cents: int = AUTOPAY_DISCOUNT_CENTS,
                   max_lines: int = AUTOPAY_MAX_LINES) -> AutoPayEffect:
    if facts.lines < 0 or per_line_cents < 0 or max_lines < 0:
        raise ValidationError("AutoPay lines, discount and line limit cannot be negative.")
    if facts.method is None:
        return AutoPayEffect(False, 0, 0, "Not on AutoPay.")
    if facts.method is AutoPayMethod.CREDIT:
        return AutoPayEffect(False, 0, 0, "AutoPay by credit card gets no discount (bank account or debit card only).")
    if not facts.full_cycle_completed:
        return AutoPayEffect(False, 0, 0, "The AutoPay discount starts after one full cycle on AutoPay.")
    counted = min(facts.lines, max_lines)
    cents = autopay_discount_cents(facts.method, facts.lines, per_line=per_line_cents, max_lines=max_lines)
    capped = f" (at most {max_lines} lines)" if facts.lines > max_lines else ""
    return AutoPayEffect(True, counted, cents,
                         f"AutoPay discount {format_cents(per_line_cents)} × {counted} lines{capped}.")


def _check_price(label: str, price: PlanPrice) -> None:
    parts: Sequence[int] = (price.plan_cents, *price.feature_cents)
    if any(p < 0 for p in parts):
        raise ValidationError(f"The {label} plan {price.name!r} has a negative price; prices are 0 or more.")
    if price.monthly_cents >= MAX_CENTS:
        raise ValidationError(f"The {label} plan {price.name!r} costs too much to be a monthly price.")


def _check_inputs(old: PlanPrice, new: PlanPrice, day: int, divisor: int) -> None:
    _check_price("current", old)
    _check_price("new", new)
    if not MIN_DIVISOR_DAYS <= divisor <= MAX_DIVISOR_DAYS:
        raise ValidationError(f"The proration divisor must be {MIN_DIVISOR_DAYS}–{MAX_DIVISOR_DAYS} days, "
                              f"not {divisor}.")
    if not 1 <= day <= MAX_CYCLE_DAYS:
        raise ValidationError(f"The day of the cycle must be 1–{MAX_CYCLE_DAYS}, not {day}.")


def preview_plan_change(*, old: PlanPrice, new: PlanPrice, day: int, timing: ChangeTiming = ChangeTiming.NOW,
                        autopay: AutoPayFacts | None = None, divisor: int = DEFAULT_DIVISOR_DAYS,
                        autopay_per_line_cents: int = AUTOPAY_DISCOUNT_CENTS,
                        autopay_max_lines: int = AUTOPAY_MAX_LINES) -> ProrationPreview:
    """Preview changing ``old`` to ``new`` on ``day`` of the cycle (see the module doc for the conventions)."""
    _check_inputs(old, new, day, divisor)
    facts = autopay or AutoPayFacts(method=None, lines=0, full_cycle_completed=False)
    effect = autopay_effect(facts, per_line_cents=autopay_per_line_cents, max_lines=autopay_max_lines)
    if timing is ChangeTiming.NOW:
        used = min(day, divisor)
        remaining = divisor - used
    else:
        used, remaining = divisor, 0
    credit = prorate(old.monthly_cents, remaining, divisor)
    charge = prorate(new.monthly_cents, remaining, divisor)
    preview = ProrationPreview(
        timing=timing, old_monthly_cents=old.monthly_cents, new_monthly_cents=new.monthly_cents,
        divisor_days=divisor, used_days=used, remaining_days=remaining, credit_cents=credit,
        charge_cents=charge, net_cents=charge - credit, autopay=effect,
        next_full_bill_cents=max(new.monthly_cents - effect.discount_cents, 0), lines=())
    return _with_lines(preview, old, new)


def _with_lines(p: ProrationPreview, old: PlanPrice, new: PlanPrice) -> ProrationPreview:
    lines: list[str] = []
    if p.timing is ChangeTiming.NEXT_CYCLE:
        lines.append(f"{new.name} starts with the next cycle; nothing is prorated.")
    else:
        lines.append(f"Credit, {p.remaining_days} unused days of {old.name} "
                     f"({format_cents(p.old_monthly_cents)}/mo): -{format_cents(p.credit_cents)}")
        lines.append(f"Charge, {p.remaining_days} remaining days of {new.name} "
                     f"({format_cents(p.new_monthly_cents)}/mo): {format_cents(p.charge_cents)}")
        if p.net_cents < 0:
            lines.append(f"Net credit on the next bill: {format_cents(-p.net_cents)}")
        else:
            lines.append(f"Net charge on the next bill: {format_cents(p.net_cents)}")
    if p.autopay.applies:
        lines.append(f"{p.autopay.reason[:-1]}: -{format_cents(p.autopay.discount_cents)}/mo")
    else:
        lines.append(p.autopay.reason)
    lines.append(f"Next full bill for {new.name}: {format_cents(p.next_full_bill_cents)}/mo")
    return replace(p, lines=tuple(lines))
