from __future__ import annotations

from posapp.domain.enums import AutoPayMethod
from posapp.domain.financing import autopay_discount_cents, eip_status


def test_eip_months_left_and_upgrade_at_half_paid() -> None:
    s = eip_status(financed_cents=72_000, balance_cents=42_000, monthly_cents=3_000)
    assert (s.paid_cents, s.months_left, s.upgrade_eligible) == (30_000, 14, False)
    s = eip_status(financed_cents=72_000, balance_cents=36_000, monthly_cents=3_000)
    assert s.upgrade_eligible and s.months_left == 12
    extra = eip_status(financed_cents=72_000, balance_cents=35_500, monthly_cents=3_000)
    assert extra.months_left == 12, "an extra payment shortens the term; the last month is partial"
    assert eip_status(financed_cents=72_000, balance_cents=0, monthly_cents=3_000).months_left == 0


def test_autopay_discount_only_bank_or_debit_and_capped_at_8_lines() -> None:
    assert autopay_discount_cents(AutoPayMethod.BANK, 3) == 1500
    assert autopay_discount_cents(AutoPayMethod.DEBIT, 12) == 4000
    assert autopay_discount_cents(AutoPayMethod.CREDIT, 3) == 0
