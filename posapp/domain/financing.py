"""Device financing (EIP) and AutoPay rules (DOMAIN.md). Values marked default are parameters."""

from __future__ import annotations

from dataclasses import dataclass

from posapp.domain.enums import AutoPayMethod

UPGRADE_PAID_SHARE = 0.5  # default: upgrade eligible when at least half the device is paid
AUTOPAY_DISCOUNT_CENTS = 500  # default: $5 per line
AUTOPAY_MAX_LINES = 8  # default


@dataclass(frozen=True)
class EipStatus:
    paid_cents: int
    balance_cents: int
    months_left: int
    upgrade_eligible: bool


def eip_status(*, financed_cents: int, balance_cents: int, monthly_cents: int,
               paid_share: float = UPGRADE_PAID_SHARE) -> EipStatus:
    """Extra payments shorten the term, not the monthly amount: months left = ceil(balance / monthly)."""
    balance = max(balance_cents, 0)
    months = -(-balance // monthly_cents) if monthly_cents > 0 else 0
    paid = financed_cents - balance
    return EipStatus(paid_cents=paid, balance_cents=balance, months_left=months,
                     upgrade_eligible=balance == 0 or paid * 1.0 >= paid_share * financed_cents)


def autopay_discount_cents(method: AutoPayMethod, active_lines: int, *, per_line: int = AUTOPAY_DISCOUNT_CENTS,
                           max_lines: int = AUTOPAY_MAX_LINES) -> int:
    """Only bank accounts and debit cards qualify, not credit cards."""
    if method is AutoPayMethod.CREDIT:
        return 0
    return per_line * min(max(active_lines, 0), max_lines)


EIP_MONTHS = 24  # default term
EIP_TERMS = (12, 24, 36)  # the terms offered


@dataclass(frozen=True)
class Installments:
    financed_cents: int
    monthly_cents: int
    last_month_cents: int  # the monthly amount plus the rounding remainder


def installments(*, retail_cents: int, down_payment_cents: int, months: int = EIP_MONTHS) -> Installments:
    """Split what is left after the down payment into ``months`` installments in whole cents: the monthly amount
    rounded up, the last month the (smaller) remainder, so they add up exactly and the months left read back from
    the balance (:func:`eip_status`, ceil(balance / monthly)) is the term. Raises ValueError with a reason a rep
    can read."""
    if months not in EIP_TERMS:
        raise ValueError(f"Financing runs {', '.join(map(str, EIP_TERMS))} months.")
    if not 0 <= down_payment_cents <= retail_cents:
        raise ValueError("The down payment must be between zero and the device's full retail price.")
    financed = retail_cents - down_payment_cents
    if financed < months * months:  # below this the rounded-up months could leave nothing for the last one
        raise ValueError("Too little is left to finance; pay the device in full.")
    monthly = -(-financed // months)
    return Installments(financed_cents=financed, monthly_cents=monthly,
                        last_month_cents=financed - monthly * (months - 1))
