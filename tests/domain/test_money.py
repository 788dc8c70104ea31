"""Integer cents, Decimal parsing and the one rounding rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.money import apply_rate, format_cents, parse_cents, prorate, round_half_up, split_cents
from posapp.errors import ValidationError


@pytest.mark.parametrize(("text", "cents"), [
    ("12", 1200), ("12.5", 1250), ("12.50", 1250), ("$1,234.56", 123456), (" $ 1,234.56 ", 123456),
    ("-3.00", -300), ("(3.00)", -300), ("-$3", -300), ("$-3", -300), (".5", 50), ("0.07", 7), ("5.", 500),
    ("1234567.89", 123456789), ("0", 0),
])
def test_parse(text: str, cents: int) -> None:
    assert parse_cents(text) == cents


@pytest.mark.parametrize("text", ["", "-", "$", "12.345", "1,23", "1.2.3", "abc", "12,34.00", "1e3", "--1",
                                  "1000000000000"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_cents(text)


@pytest.mark.parametrize(("cents", "text"), [
    (0, "$0.00"), (7, "$0.07"), (123456, "$1,234.56"), (-123456, "-$1,234.56"), (100000000, "$1,000,000.00"),
])
def test_format(cents: int, text: str) -> None:
    assert format_cents(cents) == text


@given(st.integers(-(10**12), 10**12))
def test_format_parse_round_trip(cents: int) -> None:
    assert parse_cents(format_cents(cents)) == cents


def test_round_half_up_is_the_one_rule() -> None:
    assert round_half_up(Decimal("2.5")) == 3
    assert round_half_up(Decimal("2.4999")) == 2
    assert round_half_up(Decimal("-2.5")) == -3  # halves away from zero
    assert round_half_up(Decimal("0.5")) == 1


def test_apply_rate() -> None:
    assert apply_rate(1999, "0.1025") == 205  # 204.8975
    assert apply_rate(1000, Decimal("0.0725")) == 73  # 72.5 rounds up
    assert apply_rate(0, "0.1") == 0


def test_prorate_domain_example() -> None:
    # DOMAIN.md: $45 -> $60 on day 10 of a 30-day month: credit $30 of the old plan, charge $40 of the new.
    assert prorate(4500, 20) == 3000
    assert prorate(6000, 20) == 4000
    assert prorate(1000, 1) == 33  # 33.33...
    with pytest.raises(ValueError):
        prorate(1000, 1, divisor=0)


@given(st.integers(-(10**9), 10**9), st.integers(1, 60))
def test_split_adds_up(total: int, parts: int) -> None:
    amounts = split_cents(total, parts)
    assert sum(amounts) == total and len(amounts) == parts
    assert max(amounts) - min(amounts) <= 1
    assert amounts == sorted(amounts, reverse=True)


def test_split_rejects_zero_parts() -> None:
    with pytest.raises(ValueError):
        split_cents(100, 0)
