"""How long the long randomized runs are: one setting, ``POSAPP_TEST_SCALE``, read here and nowhere else.

``POSAPP_TEST_SCALE`` (a whole number, default 1) multiplies the counts of the seeded fault schedules, the kill -9
loops and the heavy hypothesis properties. At 1 (``make test``, CI) the counts stay meaningful — 1,000 fault
schedules; ``make soak`` runs at 10 (10,000 schedules), ``make soak SOAK_SCALE=50`` further. Above 1 the hypothesis
``soak`` profile (tests/conftest.py) is loaded as well.
"""

from __future__ import annotations

import os

SCALE_ENV = "POSAPP_TEST_SCALE"


def scale() -> int:
    """The multiplier from ``POSAPP_TEST_SCALE``: 1 when unset or empty; a clear error for anything not >= 1."""
    raw = os.environ.get(SCALE_ENV, "").strip()
    if not raw:
        return 1
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{SCALE_ENV}={raw!r} is not a whole number (e.g. {SCALE_ENV}=10)") from None
    if value < 1:
        raise ValueError(f"{SCALE_ENV}={raw!r} must be 1 or more")
    return value


def scaled(count: int) -> int:
    """``count`` times the scale: the CI-sized count at scale 1."""
    return count * scale()


def soaking() -> bool:
    """True above scale 1 (``make soak``)."""
    return scale() > 1
