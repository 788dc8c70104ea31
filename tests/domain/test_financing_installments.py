"""EIP installments: what is left after the down payment in whole cents, monthly rounded up, the last month the
remainder; the months left read back from the balance is the term."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.financing import EIP_MONTHS, EIP_TERMS, eip_status, installments


def test_a_phone_over_24_months() -> None:
    q = installments(retail_cents=119_999, down_payment_cents=20_000)
    assert (q.financed_cents, q.monthly_cents, q.last_month_cents) == (99_999, 4_167, 4_158)
    assert EIP_MONTHS == 24


@pytest.mark.parametrize(("down", "months", "match"), [(-1, 24, "down payment"), (120_000, 24, "down payment"),
                                                       (119_999, 24, "Too little"), (119_999 - 575, 24, "Too little"),
                                                       (0, 18, "months")])
def test_refusals(down: int, months: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        installments(retail_cents=119_999, down_payment_cents=down, months=months)


@given(retail=st.integers(10_000, 500_000), share=st.floats(0, 0.9), months=st.sampled_from(EIP_TERMS))
def test_installments_add_up_exactly(retail: int, share: float, months: int) -> None:
    down = int(retail * share)
    q = installments(retail_cents=retail, down_payment_cents=down, months=months)
    assert q.monthly_cents * (months - 1) + q.last_month_cents == retail - down == q.financed_cents
    assert q.monthly_cents - months < q.last_month_cents <= q.monthly_cents and q.last_month_cents > 0
    status = eip_status(financed_cents=q.financed_cents, balance_cents=q.financed_cents, monthly_cents=q.monthly_cents)
    assert status.months_left == months  # a new agreement reads back as its full term (was 25 of 24: floor)


def test_the_receipt_example_reads_back_as_24_months() -> None:
    q = installments(retail_cents=79_999, down_payment_cents=15_000)
    assert (q.monthly_cents, q.last_month_cents) == (2_709, 2_692)
    assert eip_status(financed_cents=64_999, balance_cents=64_999, monthly_cents=q.monthly_cents).months_left == 24
