"""EIP installments: what is left after the down payment in whole cents, the last month taking the remainder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.financing import EIP_MONTHS, EIP_TERMS, installments


def test_a_phone_over_24_months() -> None:
    q = installments(retail_cents=119_999, down_payment_cents=20_000)
    assert (q.financed_cents, q.monthly_cents, q.last_month_cents) == (99_999, 4_166, 4_181)
    assert EIP_MONTHS == 24


@pytest.mark.parametrize(("down", "months", "match"), [(-1, 24, "down payment"), (120_000, 24, "down payment"),
                                                       (119_999, 24, "Nothing is left"), (0, 18, "months")])
def test_refusals(down: int, months: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        installments(retail_cents=119_999, down_payment_cents=down, months=months)


@given(retail=st.integers(10_000, 500_000), share=st.floats(0, 0.9), months=st.sampled_from(EIP_TERMS))
def test_installments_add_up_exactly(retail: int, share: float, months: int) -> None:
    down = int(retail * share)
    q = installments(retail_cents=retail, down_payment_cents=down, months=months)
    assert q.monthly_cents * (months - 1) + q.last_month_cents == retail - down == q.financed_cents
    assert q.monthly_cents <= q.last_month_cents < q.monthly_cents + months
