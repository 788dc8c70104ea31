"""Unlock eligibility (DOMAIN.md "Unlock eligibility"; issue 12): a pure rule that lists every condition.

:func:`check_unlock` takes the facts of one line and its device (:class:`UnlockFacts`, gathered by
:mod:`posapp.services.unlock`) and the limits (:class:`UnlockPolicy`, from the settings ``unlock_postpaid_days``,
``unlock_prepaid_days`` and ``unlock_prepaid_max_per_year``) and returns every condition of the line's plan kind
with pass or fail and a plain reason; the line is eligible when all pass.

- Postpaid: device sold by the carrier; not reported lost, stolen or blocked; account in good standing; active on
  the requesting line at least ``postpaid_days``; financing on the device paid in full.
- Prepaid: device used on the requesting line; not reported lost, stolen or blocked; active on the line at least
  ``prepaid_days``; at most ``prepaid_max_per_year`` unlocks of the line in the last 12 months (so a new request
  is refused once that many were granted).
- Deployed military (with papers checked by the rep): the day-count rules pass, waived, and say so; nothing else
  is waived.

:func:`response_deadline`: the carrier answers within 2 business days (weekends and the given holidays skipped),
counted in the store's time zone from the day after the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from posapp.domain.enums import PlanKind
from posapp.domain.money import format_cents

RESPONSE_BUSINESS_DAYS = 2


@dataclass(frozen=True)
class UnlockPolicy:
    postpaid_days: int = 40
    prepaid_days: int = 365
    prepaid_max_per_year: int = 2


@dataclass(frozen=True)
class UnlockFacts:
    plan_kind: PlanKind
    sold_by_carrier: bool
    #: lost, stolen or blocked (the device's status).
    reported_lost_stolen_blocked: bool
    #: Account active (not suspended or closed) and no bill past its due date unpaid; see posapp.services.unlock.
    good_standing: bool
    days_active: int
    financing_balance_cents: int
    #: The device is (or was last) in use on the requesting line.
    used_on_line: bool
    unlocks_last_12_months: int
    military: bool = False
    #: Why the account is not in good standing ("account suspended", "bill due 2026-10-01 unpaid"), for the reason.
    standing_detail: str = ""


@dataclass(frozen=True)
class Condition:
    name: str
    passed: bool
    why: str


@dataclass(frozen=True)
class UnlockVerdict:
    eligible: bool
    conditions: tuple[Condition, ...]

    @property
    def failed(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if not c.passed)


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _sold_by_carrier(f: UnlockFacts) -> Condition:
    return Condition("sold_by_carrier", f.sold_by_carrier,
                     "Device sold by the carrier" if f.sold_by_carrier
                     else "Device was not sold by the carrier (it is not locked to this network by us)")


def _not_reported(f: UnlockFacts) -> Condition:
    bad = f.reported_lost_stolen_blocked
    return Condition("not_lost_stolen_blocked", not bad,
                     "Device is reported lost, stolen or blocked" if bad
                     else "Device is not reported lost, stolen or blocked")


def _standing(f: UnlockFacts) -> Condition:
    detail = f": {f.standing_detail}" if f.standing_detail else ""
    return Condition("good_standing", f.good_standing,
                     "Account in good standing" if f.good_standing else f"Account not in good standing{detail}")


def _days_active(f: UnlockFacts, needed: int) -> Condition:
    text = f"Active on this line {f.days_active} of {needed} days"
    if f.days_active >= needed:
        return Condition("days_active", True, text)
    if f.military:
        return Condition("days_active", True, f"{text}: waived (deployed military exception)")
    return Condition("days_active", False, f"{text}; {_days(needed - f.days_active)} to go")


def _financing(f: UnlockFacts) -> Condition:
    owed = f.financing_balance_cents
    return Condition("financing_paid", owed <= 0,
                     "No financing balance on the device" if owed <= 0
                     else f"Financing balance {format_cents(owed)} must be paid in full")


def _used_on_line(f: UnlockFacts) -> Condition:
    return Condition("used_on_line", f.used_on_line,
                     "Device used on this line" if f.used_on_line else "Device has not been used on this line")


def _unlock_count(f: UnlockFacts, limit: int) -> Condition:
    n = f.unlocks_last_12_months
    text = f"{n} unlock{'' if n == 1 else 's'} of this line in the last 12 months (at most {limit})"
    return Condition("unlocks_per_year", n < limit, text if n < limit else f"{text}: limit reached")


def check_unlock(facts: UnlockFacts, policy: UnlockPolicy) -> UnlockVerdict:
    """Every condition of the line's plan kind, passed or failed, with its reason."""
    conditions: tuple[Condition, ...]
    if facts.plan_kind is PlanKind.PREPAID:
        conditions = (_used_on_line(facts), _not_reported(facts), _days_active(facts, policy.prepaid_days),
                      _unlock_count(facts, policy.prepaid_max_per_year))
    else:
        conditions = (_sold_by_carrier(facts), _not_reported(facts), _standing(facts),
                      _days_active(facts, policy.postpaid_days), _financing(facts))
    return UnlockVerdict(all(c.passed for c in conditions), conditions)


def _business_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def response_deadline(requested_at: datetime, tz: ZoneInfo, holidays: Iterable[date] = ()) -> datetime:
    """The end (23:59:59 store time) of the 2nd business day after the request's store-local day.

    ``requested_at`` must be aware. A request on Friday is due Tuesday; on Saturday, Tuesday; a holiday is skipped
    like a weekend day.
    """
    if requested_at.tzinfo is None:
        raise ValueError("requested_at must be timezone-aware")
    off = frozenset(holidays)
    day = requested_at.astimezone(tz).date()
    counted = 0
    while counted < RESPONSE_BUSINESS_DAYS:
        day += timedelta(days=1)
        if _business_day(day, off):
            counted += 1
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)
