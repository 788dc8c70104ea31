"""Cart totals: pure, integer cents, one rounding rule (:func:`posapp.domain.money.round_half_up`).

Rounding is per line and per tax: each line's tax for each rate is rounded once, and a tax line on the receipt
is the sum of those rounded amounts, so the receipt always adds up line by line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from posapp.domain.money import round_half_up
from posapp.domain.tax import Category, FeeKind, TaxBase, TaxRule
from posapp.errors import ValidationError


@dataclass(frozen=True)
class CartLine:
    sku: str
    description: str
    category: Category
    qty: int
    unit_price_cents: int
    discount_cents: int = 0           # for the whole line, not per unit
    full_retail_cents: int | None = None  # per unit; None = the unit price

    def __post_init__(self) -> None:
        if self.qty <= 0:
            raise ValidationError("quantity must be at least 1")
        if self.unit_price_cents < 0:
            raise ValidationError("price cannot be negative")
        if not 0 <= self.discount_cents <= self.gross_cents:
            raise ValidationError("a discount must be between zero and the line amount")
        if self.full_retail_cents is not None and self.full_retail_cents < 0:
            raise ValidationError("full retail price cannot be negative")

    @property
    def gross_cents(self) -> int:
        return self.qty * self.unit_price_cents

    @property
    def net_cents(self) -> int:
        return self.gross_cents - self.discount_cents

    def tax_base_cents(self, rule: TaxRule) -> int:
        """What this line is taxed on: the net amount, or full retail × qty for a device when the rule says so
        (never less than the net amount)."""
        if self.category is Category.DEVICE and rule.device_tax_base is TaxBase.FULL_RETAIL:
            retail = self.unit_price_cents if self.full_retail_cents is None else self.full_retail_cents
            return max(self.qty * retail, self.net_cents)
        return self.net_cents


@dataclass(frozen=True)
class LineTax:
    line_index: int
    code: str
    base_cents: int
    amount_cents: int


@dataclass(frozen=True)
class TaxLine:
    code: str
    label: str
    rate: Decimal
    base_cents: int
    amount_cents: int


@dataclass(frozen=True)
class FeeLine:
    code: str
    label: str
    kind: FeeKind
    qty: int
    amount_cents: int


@dataclass(frozen=True)
class Totals:
    jurisdiction: str
    subtotal_cents: int     # gross of all lines
    discount_cents: int
    net_cents: int          # subtotal - discounts
    tax_cents: int
    fee_cents: int
    total_cents: int
    line_taxes: tuple[LineTax, ...]
    tax_lines: tuple[TaxLine, ...]
    fee_lines: tuple[FeeLine, ...]


def line_tax(line: CartLine, rate: Decimal, rule: TaxRule) -> int:
    return round_half_up(Decimal(line.tax_base_cents(rule)) * rate)


def compute_totals(lines: Sequence[CartLine], rule: TaxRule) -> Totals:
    """Totals of a cart: a return of every unit of every line, so sales and refunds share one computation
    (a pick of all units, none returned before, takes each amount whole)."""
    return refund_totals([ReturnPick(line=line, before=0, qty=line.qty) for line in lines], rule)


@dataclass(frozen=True)
class ReturnPick:
    """``qty`` units of an original sale line returned now, after ``before`` units returned earlier."""

    line: CartLine
    before: int
    qty: int

    def __post_init__(self) -> None:
        if self.qty <= 0 or self.before < 0 or self.before + self.qty > self.line.qty:
            raise ValidationError("cannot return more units than were sold")

    def share(self, amount: int) -> int:
        """This return's part of a line amount, by cumulative units: all returns of a line add up exactly."""
        return (amount * (self.before + self.qty) // self.line.qty) - (amount * self.before // self.line.qty)


def refund_totals(picks: Sequence[ReturnPick], rule: TaxRule) -> Totals:
    """Totals of a return: each amount is the returned share of what the original line was charged (tax rounded
    per line as at the sale), so returning every unit, in any number of returns, gives back exactly the charge."""
    line_taxes: list[LineTax] = []
    tax_lines: list[TaxLine] = []
    for tax in rule.taxes:
        base = amount = 0
        for i, p in enumerate(picks):
            if p.line.category not in tax.categories:
                continue
            t = p.share(line_tax(p.line, tax.rate, rule))
            b = p.share(p.line.tax_base_cents(rule))
            line_taxes.append(LineTax(line_index=i, code=tax.code, base_cents=b, amount_cents=t))
            base += b
            amount += t
        if base:
            tax_lines.append(TaxLine(code=tax.code, label=tax.label, rate=tax.rate, base_cents=base,
                                     amount_cents=amount))
    fee_lines: list[FeeLine] = []
    for fee in rule.fees:
        qty = sum(p.qty for p in picks if p.line.category is fee.category)
        if qty:
            fee_lines.append(FeeLine(code=fee.code, label=fee.label, kind=fee.kind, qty=qty,
                                     amount_cents=qty * fee.amount_cents))
    subtotal = sum(p.qty * p.line.unit_price_cents for p in picks)
    discount = sum(p.share(p.line.discount_cents) for p in picks)
    tax_total = sum(t.amount_cents for t in tax_lines)
    fee_total = sum(f.amount_cents for f in fee_lines)
    net = subtotal - discount
    return Totals(jurisdiction=rule.jurisdiction, subtotal_cents=subtotal, discount_cents=discount, net_cents=net,
                  tax_cents=tax_total, fee_cents=fee_total, total_cents=net + tax_total + fee_total,
                  line_taxes=tuple(line_taxes), tax_lines=tuple(tax_lines), fee_lines=tuple(fee_lines))
