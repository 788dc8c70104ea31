from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.enums import AutoPayMethod
from posapp.domain.money import prorate
from posapp.domain.proration import (
    AutoPayFacts,
    ChangeTiming,
    PlanPrice,
    cycle_day,
    preview_plan_change,
)
from posapp.errors import ValidationError

ESSENTIALS = PlanPrice("Essentials", 4500)
UNLIMITED = PlanPrice("Unlimited", 6000)
DEBIT_2_LINES = AutoPayFacts(method=AutoPayMethod.DEBIT, lines=2, full_cycle_completed=True)


def test_domain_example_45_to_60_on_day_10() -> None:
    p = preview_plan_change(old=ESSENTIALS, new=UNLIMITED, day=10)
    assert (p.used_days, p.remaining_days) == (10, 20)
    assert (p.credit_cents, p.charge_cents, p.net_cents) == (3000, 4000, 1000)
    assert p.next_full_bill_cents == 6000
    assert p.lines[:3] == ("Credit, 20 unused days of Essentials ($45.00/mo): -$30.00",
                           "Charge, 20 remaining days of Unlimited ($60.00/mo): $40.00",
                           "Net charge on the next bill: $10.00")
    assert p.lines[-1] == "Next full bill for Unlimited: $60.00/mo"


def test_the_cycle_day_from_dates_gives_the_same_example() -> None:
    day = cycle_day(date(2026, 11, 5), date(2026, 11, 14))
    assert day == 10
    assert preview_plan_change(old=ESSENTIALS, new=UNLIMITED, day=day).credit_cents == 3000
    assert cycle_day(date(2026, 11, 5), date(2026, 11, 5)) == 1
    assert cycle_day(date(2026, 1, 31), date(2026, 3, 2)) == 31
    with pytest.raises(ValidationError, match="before the cycle start"):
        cycle_day(date(2026, 11, 5), date(2026, 11, 4))
    with pytest.raises(ValidationError, match="at most 31 days"):
        cycle_day(date(2026, 1, 31), date(2026, 3, 3))


def test_features_add_to_the_plan_price() -> None:
    old = PlanPrice("Essentials + hotspot", 4500, (1000, 500))
    p = preview_plan_change(old=old, new=UNLIMITED, day=10)
    assert p.old_monthly_cents == 6000
    assert p.credit_cents == 4000 and p.net_cents == 0


def test_day_1_uses_one_day_of_the_old_plan() -> None:
    p = preview_plan_change(old=ESSENTIALS, new=UNLIMITED, day=1)
    assert (p.used_days, p.remaining_days) == (1, 29)
    assert (p.credit_cents, p.charge_cents) == (4350, 5800)  # 45 × 29/30, 60 × 29/30


@pytest.mark.parametrize(("day", "divisor"), [(30, 30), (31, 30), (28, 28), (31, 28), (31, 31)])
def test_last_day_and_past_the_divisor_are_clamped_to_nothing_left(day: int, divisor: int) -> None:
    p = preview_plan_change(old=ESSENTIALS, new=UNLIMITED, day=day, divisor=divisor)
    assert (p.used_days, p.remaining_days) == (divisor, 0)
    assert (p.credit_cents, p.charge_cents, p.net_cents) == (0, 0, 0)


def test_day_before_the_last_uses_the_divisor() -> None:
    p = preview_plan_change(old=ESSENTIALS, new=UNLIMITED, day=30, divisor=31)
    assert p.remaining_days == 1
    assert (p.credit_cents, p.charge_cents) == (145, 194)  # 4500/31 = 145.16, 6000/31 = 193.55


def test_at_next_cycle_nothing_is_prorated() -> None:
    p = preview_plan_change(old=ESSENTIALS, new=UNLIMITED, day=10, timing=ChangeTiming.NEXT_CYCLE,
                            autopay=DEBIT_2_LINES)
    assert (p.remaining_days, p.credit_cents, p.charge_cents, p.net_cents) == (0, 0, 0, 0)
    assert p.next_full_bill_cents == 5000
    assert p.lines[0] == "Unlimited starts with the next cycle; nothing is prorated."
    assert not any("Credit" in line or "Charge" in line for line in p.lines)


def test_downgrade_is_a_net_credit() -> None:
    p = preview_plan_change(old=UNLIMITED, new=ESSENTIALS, day=10)
    assert (p.credit_cents, p.charge_cents, p.net_cents) == (4000, 3000, -1000)
    assert "Net credit on the next bill: $10.00" in p.lines
    assert p.next_full_bill_cents == 4500


def test_autopay_by_debit_after_a_full_cycle_comes_off_the_next_bill() -> None:
    p = preview_plan_change(old=ESSENTIALS, new=UNLIMITED, day=10, autopay=DEBIT_2_LINES)
    assert p.autopay.applies and p.autopay.lines_counted == 2 and p.autopay.discount_cents == 1000
    assert p.net_cents == 1000  # the discount is monthly, not prorated
    assert p.next_full_bill_cents == 5000
    assert "AutoPay discount $5.00 × 2 lines: -$10.00/mo" in p.lines
    bank = AutoPayFacts(method=AutoPayMethod.BANK, lines=1, full_cycle_completed=True)
    assert preview_plan_change(old=ESSENTIALS, new=UNLIMITED, day=10, autopay=bank).next_full_bill_cents == 5500


@pytest.mark.parametrize(("facts", "words"), [
    (AutoPayFacts(method=AutoPayMethod.CREDIT, lines=2, full_cycle_completed=True), "credit card"),
    (AutoPayFacts(method=AutoPayMethod.BANK, lines=2, full_cycle_completed=False), "after one full cycle"),
    (None, "Not on AutoPay"),
])
def test_autopay_that_does_not_qualify(facts: AutoPayFacts | None, words: str) -> None:
    p = preview_plan_change(old=ESSENTIALS, new=UNLIMITED, day=10, autopay=facts)
    assert not p.autopay.applies and p.autopay.discount_cents == 0
    assert words in p.autopay.reason and p.autopay.reason in p.lines
    assert p.next_full_bill_cents == 6000


def test_autopay_is_capped_at_the_line_limit() -> None:
    ten = AutoPayFacts(method=AutoPayMethod.BANK, lines=10, full_cycle_completed=True)
    p = preview_plan_change(old=PlanPrice("Family", 20000), new=PlanPrice("Family Max", 24000), day=10,
                            autopay=ten)
    assert p.autopay.lines_counted == 8 and p.autopay.discount_cents == 4000
    assert "at most 8 lines" in p.autopay.reason
    assert p.next_full_bill_cents == 20000
    wider = preview_plan_change(old=ESSENTIALS, new=UNLIMITED, day=10, autopay=ten, autopay_per_line_cents=300,
                                autopay_max_lines=10)
    assert wider.autopay.discount_cents == 3000


def test_discount_larger_than_the_plan_leaves_a_zero_bill() -> None:
    many = AutoPayFacts(method=AutoPayMethod.DEBIT, lines=8, full_cycle_completed=True)
    assert preview_plan_change(old=ESSENTIALS, new=PlanPrice("Basic", 1500), day=3,
                               autopay=many).next_full_bill_cents == 0


@pytest.mark.parametrize(("old", "new", "day", "credit", "charge"), [
    (4999, 6499, 10, 3333, 4333),  # 3332.67 -> 3333, 4332.67 -> 4333
    (1001, 1001, 25, 167, 167),  # 166.83 -> 167
    (4515, 3015, 20, 1505, 1005),  # exact
    (1003, 2009, 15, 502, 1005),  # 501.5 -> 502 (half up), 1004.5 -> 1005
    (1, 2, 29, 0, 0),  # 0.033 / 0.067 -> 0
    (15, 45, 20, 5, 15),  # 5.0, 15.0
])
def test_rounding_is_half_up_once_per_amount(old: int, new: int, day: int, credit: int, charge: int) -> None:
    p = preview_plan_change(old=PlanPrice("A", old), new=PlanPrice("B", new), day=day)
    assert (p.credit_cents, p.charge_cents) == (credit, charge)
    assert p.net_cents == charge - credit


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"old": PlanPrice("Old", -1)}, "negative price"),
    ({"new": PlanPrice("New", 6000, (500, -600))}, "negative price"),
    ({"new": PlanPrice("New", 10**13)}, "too much"),
    ({"day": 0}, "day of the cycle must be 1–31, not 0"),
    ({"day": 32}, "not 32"),
    ({"day": -3}, "not -3"),
    ({"divisor": 27}, "divisor must be 28–31 days, not 27"),
    ({"divisor": 32}, "not 32"),
    ({"autopay": AutoPayFacts(method=AutoPayMethod.BANK, lines=-1, full_cycle_completed=True)}, "negative"),
    ({"autopay_per_line_cents": -500}, "negative"),
])
def test_bad_input_is_refused_with_a_reason(kwargs: dict[str, object], words: str) -> None:
    args: dict[str, object] = {"old": ESSENTIALS, "new": UNLIMITED, "day": 10, **kwargs}
    with pytest.raises(ValidationError, match=words):
        preview_plan_change(**args)  # type: ignore[arg-type]


prices = st.integers(min_value=0, max_value=10_000_000)
days = st.integers(min_value=1, max_value=31)
divisors = st.integers(min_value=28, max_value=31)


@given(old=prices, new=prices, day=days, divisor=divisors)
def test_amounts_never_exceed_a_month(old: int, new: int, day: int, divisor: int) -> None:
    p = preview_plan_change(old=PlanPrice("A", old), new=PlanPrice("B", new), day=day, divisor=divisor)
    assert 0 <= p.credit_cents <= old
    assert 0 <= p.charge_cents <= new
    assert p.used_days + p.remaining_days == divisor
    assert p.net_cents == p.charge_cents - p.credit_cents


@given(price=prices, day=days, divisor=divisors)
def test_same_plan_nets_zero(price: int, day: int, divisor: int) -> None:
    plan = PlanPrice("Same", price)
    assert preview_plan_change(old=plan, new=plan, day=day, divisor=divisor).net_cents == 0


@given(old=prices, new=prices, day=days, divisor=divisors)
def test_used_old_plus_remaining_new_is_a_daily_split_within_a_cent(old: int, new: int, day: int,
                                                                    divisor: int) -> None:
    p = preview_plan_change(old=PlanPrice("A", old), new=PlanPrice("B", new), day=day, divisor=divisor)
    billed = prorate(old, p.used_days, divisor) + p.charge_cents
    exact = (Decimal(old) * p.used_days + Decimal(new) * p.remaining_days) / divisor
    assert abs(Decimal(billed) - exact) <= 1
    assert abs(prorate(old, p.used_days, divisor) + p.credit_cents - old) <= 1
