"""Money as integer cents (guide §3). Never ``float``: text is parsed through :class:`decimal.Decimal`.

Rounding happens in exactly one place, :func:`round_half_up`: a fractional number of cents is rounded to the
nearest cent, halves away from zero (``ROUND_HALF_UP`` in :mod:`decimal`: 2.5 -> 3, -2.5 -> -3). Tax, proration
and rate calculations compute an exact :class:`~decimal.Decimal` of cents and call it once at the end.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from posapp.errors import ValidationError

_AMOUNT = re.compile(r"^(?P<sign>-)?\$?(?P<num>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<frac>\d*))?$")
MAX_CENTS = 10**13  # $100 billion: anything larger is a typo


def round_half_up(cents: Decimal) -> int:
    """The one rounding rule: a (fractional) number of cents to whole cents, halves away from zero."""
    return int(cents.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_cents(text: str) -> int:
    """Parse a typed amount to cents: ``"12"``, ``"12.5"``, ``"$1,234.56"``, ``"-3.00"``, ``"(3.00)"``.

    More than two decimal places is rejected (a typo, not something to round silently).
    """
    raw = "".join(text.split())
    if raw.startswith("(") and raw.endswith(")"):
        raw = "-" + raw[1:-1]
    if raw.startswith("$-"):
        raw = "-$" + raw[2:]
    m = _AMOUNT.match(raw)
    if m is None or (m.group("num") is None and not m.group("frac")):
        raise ValidationError(f"{text!r} is not an amount of money.")
    frac = m.group("frac") or ""
    if len(frac) > 2:
        raise ValidationError(f"{text!r} has more than two decimal places.")
    try:
        value = Decimal((m.group("num") or "0").replace(",", "") + "." + (frac or "0"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise ValidationError(f"{text!r} is not an amount of money.") from None
    cents = int(value * 100)
    if cents >= MAX_CENTS:
        raise ValidationError(f"{text!r} is too large.")
    return -cents if m.group("sign") else cents


def format_cents(cents: int) -> str:
    """``123456`` -> ``"$1,234.56"``; negatives as ``"-$1,234.56"``."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


def apply_rate(cents: int, rate: Decimal | str) -> int:
    """``cents × rate`` rounded once (e.g. a 10.25 % tax: ``apply_rate(1999, "0.1025")`` -> 205)."""
    return round_half_up(Decimal(cents) * Decimal(rate))


def prorate(cents: int, days: int, divisor: int = 30) -> int:
    """``days`` of a monthly amount, the month being ``divisor`` days (DOMAIN.md: 30 by default)."""
    if divisor <= 0:
        raise ValueError("divisor must be positive")
    return round_half_up(Decimal(cents) * days / divisor)


def split_cents(total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` amounts that differ by at most a cent and add up exactly (larger first)."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    base, extra = divmod(total, parts)
    return [base + 1 if i < extra else base for i in range(parts)]
