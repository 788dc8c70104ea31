"""Sales-tax rules per store jurisdiction (DOMAIN.md "Plans, AutoPay, tax"). Pure: rules come in as data.

A rule says which taxes apply to which item categories, whether a discounted device is taxed on its full retail
price or on the price charged, and which fixed government fees and carrier surcharges are added per unit. The
amounts themselves are computed in :mod:`posapp.domain.cart`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from posapp.errors import ValidationError


class Category(StrEnum):
    DEVICE = "device"
    ACCESSORY = "accessory"
    SERVICE = "service"
    FEE = "fee"


class TaxBase(StrEnum):
    FULL_RETAIL = "full_retail"
    SALE_PRICE = "sale_price"


class FeeKind(StrEnum):
    GOVERNMENT_FEE = "government_fee"
    CARRIER_SURCHARGE = "carrier_surcharge"


@dataclass(frozen=True)
class TaxRate:
    code: str
    label: str
    rate: Decimal
    categories: frozenset[Category]


@dataclass(frozen=True)
class Fee:
    code: str
    label: str
    kind: FeeKind
    category: Category
    amount_cents: int


@dataclass(frozen=True)
class TaxRule:
    jurisdiction: str
    name: str
    device_tax_base: TaxBase
    taxes: tuple[TaxRate, ...]
    fees: tuple[Fee, ...]


def _rate(text: Any, where: str) -> Decimal:
    try:
        rate = Decimal(str(text))
    except InvalidOperation:
        raise ValidationError(f"{where}: {text!r} is not a rate") from None
    if not Decimal(0) <= rate < Decimal(1):
        raise ValidationError(f"{where}: rate {rate} is outside 0..1")
    return rate


def parse_rule(key: str, data: Mapping[str, Any]) -> TaxRule:
    """One jurisdiction's rule from its JSON mapping; rejects unknown categories, bad rates, negative fees."""
    try:
        taxes = tuple(
            TaxRate(code=t["code"], label=t["label"], rate=_rate(t["rate"], f"{key}/{t['code']}"),
                    categories=frozenset(Category(c) for c in t["categories"]))
            for t in data["taxes"])
        fees = tuple(
            Fee(code=f["code"], label=f["label"], kind=FeeKind(f["kind"]), category=Category(f["category"]),
                amount_cents=int(f["amount_cents"]))
            for f in data.get("fees", ()))
        base = TaxBase(data["device_tax_base"])
    except (KeyError, ValueError, TypeError) as exc:
        raise ValidationError(f"tax rule {key}: {exc}") from None
    if any(f.amount_cents < 0 for f in fees):
        raise ValidationError(f"tax rule {key}: negative fee")
    return TaxRule(jurisdiction=key, name=str(data.get("name", key)), device_tax_base=base, taxes=taxes, fees=fees)


def parse_rules(document: Mapping[str, Any]) -> dict[str, TaxRule]:
    """All rules of a ``tax_rules.json`` document, by jurisdiction key."""
    return {key: parse_rule(key, value) for key, value in document["jurisdictions"].items()}


def rule_for(rules: Mapping[str, TaxRule], jurisdiction: str) -> TaxRule:
    try:
        return rules[jurisdiction]
    except KeyError:
        known = ", ".join(sorted(rules))
        raise ValidationError(f"no tax rule for {jurisdiction!r}; known: {known}") from None
