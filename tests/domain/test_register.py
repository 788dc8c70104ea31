"""Register rules: tender state machine, change due, denomination counts, return window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.register import (
    DENOMINATIONS,
    TenderState,
    change_due,
    counted_total,
    next_state,
    within_return_window,
)
from posapp.errors import ValidationError


def test_tender_state_machine() -> None:
    P, A, D, U = TenderState.PENDING, TenderState.APPROVED, TenderState.DECLINED, TenderState.UNKNOWN
    assert next_state(P, U) is U and next_state(U, A) is A and next_state(U, D) is D and next_state(P, A) is A
    for current, new in ((A, D), (D, A), (A, U), (D, P), (U, P), (U, U)):
        with pytest.raises(ValidationError):
            next_state(current, new)


@given(st.integers(0, 10**7), st.integers(0, 10**6))
def test_change_due(amount: int, extra: int) -> None:
    assert change_due(amount, amount + extra) == extra
    if extra:
        with pytest.raises(ValidationError):
            change_due(amount + extra, amount)


@given(st.dictionaries(st.sampled_from(DENOMINATIONS), st.integers(0, 500)))
def test_counted_total(counts: dict[int, int]) -> None:
    assert counted_total(counts) == sum(k * v for k, v in counts.items())


def test_bad_counts_and_window() -> None:
    with pytest.raises(ValidationError):
        counted_total({3: 1})
    with pytest.raises(ValidationError):
        counted_total({100: -1})
    sold = datetime(2026, 11, 1, tzinfo=UTC)
    assert within_return_window(sold, sold + timedelta(days=14), 14)
    assert not within_return_window(sold, sold + timedelta(days=14, seconds=1), 14)
