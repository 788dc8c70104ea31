"""Cart totals, tax rules and rounding: examples from the shipped rules plus hypothesis properties."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from posapp.domain.cart import CartLine, ReturnPick, compute_totals, refund_totals
from posapp.domain.money import round_half_up
from posapp.domain.tax import Category, TaxBase, TaxRule, parse_rules, rule_for
from posapp.errors import ValidationError
from posapp.paths import resources_dir
from tests.helpers.scale import scaled

RULES = parse_rules(json.loads((resources_dir() / "data" / "tax_rules.json").read_text(encoding="utf-8")))


def test_shipped_rules_include_the_default_and_both_tax_bases() -> None:
    assert "US-WA-SEATTLE" in RULES
    assert RULES["US-CA-LOSANGELES"].device_tax_base is TaxBase.FULL_RETAIL
    assert RULES["US-IL-CHICAGO"].device_tax_base is TaxBase.SALE_PRICE
    assert RULES["US-AL-BIRMINGHAM"].device_tax_base is TaxBase.SALE_PRICE
    with pytest.raises(ValidationError):
        rule_for(RULES, "US-XX-NOWHERE")


def test_discounted_device_taxed_on_full_retail_in_california_on_sale_price_in_alabama() -> None:
    phone = CartLine("IPH15", "iPhone 15", Category.DEVICE, 1, 79_999, discount_cents=40_000,
                     full_retail_cents=79_999)
    ca = compute_totals([phone], RULES["US-CA-LOSANGELES"])
    assert ca.net_cents == 39_999
    assert [t.base_cents for t in ca.tax_lines] == [79_999, 79_999]
    assert ca.tax_cents == round_half_up(Decimal(79_999) * Decimal("0.0725")) + round_half_up(
        Decimal(79_999) * Decimal("0.025"))
    assert {f.kind.value for f in ca.fee_lines} == {"government_fee", "carrier_surcharge"}
    al = compute_totals([phone], RULES["US-AL-BIRMINGHAM"])
    assert [t.base_cents for t in al.tax_lines] == [39_999, 39_999]
    assert al.tax_cents == 1600 + 2400  # 4 % and 6 % of 399.99, rounded per line
    assert al.total_cents == 39_999 + 4000


def test_seattle_example_adds_up() -> None:
    case = CartLine("CASE1", "Case", Category.ACCESSORY, 2, 2_999, discount_cents=500)
    plan = CartLine("PLAN", "First month", Category.SERVICE, 1, 6_000)
    t = compute_totals([case, plan], RULES["US-WA-SEATTLE"])
    assert t.subtotal_cents == 11_998 and t.discount_cents == 500 and t.net_cents == 11_498
    assert [x.amount_cents for x in t.tax_lines] == [357, 212]  # 6.5 % and 3.85 % of 54.98; service untaxed
    assert t.fee_lines == () and t.total_cents == 11_498 + 569


def test_bad_lines_are_rejected() -> None:
    for kwargs in ({"qty": 0}, {"unit_price_cents": -1}, {"discount_cents": 10_001}, {"discount_cents": -1}):
        base = {"sku": "X", "description": "x", "category": Category.ACCESSORY, "qty": 1,
                "unit_price_cents": 10_000}
        with pytest.raises(ValidationError):
            CartLine(**{**base, **kwargs})  # type: ignore[arg-type]


@st.composite
def cart_lines(draw: st.DrawFn) -> CartLine:
    qty = draw(st.integers(1, 5))
    price = draw(st.integers(0, 200_000))
    discount = draw(st.integers(0, qty * price))
    retail = draw(st.one_of(st.none(), st.integers(price, 250_000)))
    return CartLine("SKU", "item", draw(st.sampled_from(list(Category))), qty, price, discount, retail)


rules = st.sampled_from(sorted(RULES.values(), key=lambda r: r.jurisdiction))


@settings(max_examples=scaled(300), deadline=None)
@given(st.lists(cart_lines(), max_size=8), rules)
def test_totals_add_up_and_are_never_negative(lines: list[CartLine], rule: TaxRule) -> None:
    t = compute_totals(lines, rule)
    assert t.subtotal_cents - t.discount_cents == t.net_cents >= 0
    assert t.tax_cents == sum(x.amount_cents for x in t.tax_lines) == sum(x.amount_cents for x in t.line_taxes)
    assert t.fee_cents == sum(f.amount_cents for f in t.fee_lines)
    assert t.total_cents == t.net_cents + t.tax_cents + t.fee_cents
    assert min([t.tax_cents, t.fee_cents, t.total_cents, *(x.amount_cents for x in t.line_taxes)]) >= 0
    assert t.total_cents >= t.net_cents


@settings(max_examples=scaled(300), deadline=None)
@given(st.lists(cart_lines(), min_size=1, max_size=8), rules)
def test_rounding_is_per_line_and_per_rate(lines: list[CartLine], rule: TaxRule) -> None:
    t = compute_totals(lines, rule)
    by_code = {x.code: x for x in rule.taxes}
    for lt in t.line_taxes:
        assert lt.amount_cents == round_half_up(Decimal(lt.base_cents) * by_code[lt.code].rate)
        # per-line rounding is never more than half a cent away from the exact amount
        assert abs(Decimal(lt.amount_cents) - Decimal(lt.base_cents) * by_code[lt.code].rate) <= Decimal("0.5")


@settings(max_examples=scaled(300), deadline=None)
@given(st.lists(cart_lines(), min_size=1, max_size=8), rules)
def test_tax_base_follows_the_rule(lines: list[CartLine], rule: TaxRule) -> None:
    t = compute_totals(lines, rule)
    for lt in t.line_taxes:
        line = lines[lt.line_index]
        retail = line.unit_price_cents if line.full_retail_cents is None else line.full_retail_cents
        if line.category is Category.DEVICE and rule.device_tax_base is TaxBase.FULL_RETAIL:
            assert lt.base_cents == max(line.qty * retail, line.net_cents)
        else:
            assert lt.base_cents == line.net_cents
        assert line.category in next(x for x in rule.taxes if x.code == lt.code).categories


@settings(max_examples=scaled(300), deadline=None)
@given(cart_lines(), rules, st.data())
def test_returns_in_any_split_give_back_exactly_the_charge(line: CartLine, rule: TaxRule,
                                                           data: st.DataObject) -> None:
    sold = compute_totals([line], rule)
    before, back = 0, []
    while before < line.qty:
        qty = data.draw(st.integers(1, line.qty - before))
        back.append(refund_totals([ReturnPick(line, before, qty)], rule))
        before += qty
    for field in ("subtotal_cents", "discount_cents", "tax_cents", "fee_cents", "total_cents"):
        assert sum(getattr(t, field) for t in back) == getattr(sold, field), field
    assert all(t.total_cents >= 0 and t.net_cents >= 0 for t in back)
    with pytest.raises(ValidationError):
        ReturnPick(line, line.qty, 1)
