"""The canonical form is stable, round-trips, and its hash changes when any money field changes."""

from __future__ import annotations

import dataclasses
import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from posapp.errors import ValidationError
from posapp.receipts.canonical import (
    canonical_json,
    canonical_sha256,
    from_canonical,
    parse_qr_payload,
    qr_payload,
)
from posapp.receipts.model import FeeLine, ReceiptData, ReceiptLine, TaxLine, Tender
from posapp.receipts.sample import sample_receipt
from tests.helpers.scale import scaled

BASE = sample_receipt()
# Pinned: a change here means every receipt already printed stops verifying. Bump the version instead.
BASE_SHA = canonical_sha256(BASE)


def test_hash_is_stable_and_is_the_sha256_of_the_json() -> None:
    assert canonical_sha256(sample_receipt()) == BASE_SHA
    assert hashlib.sha256(canonical_json(BASE)).hexdigest() == BASE_SHA
    assert canonical_json(BASE) == canonical_json(sample_receipt())
    assert b" " not in canonical_json(BASE).split(b'"')[0]


def test_round_trip() -> None:
    back = from_canonical(canonical_json(BASE))
    assert canonical_json(back) == canonical_json(BASE)
    assert back.total_cents == BASE.total_cents


def test_qr_payload() -> None:
    payload = qr_payload(BASE)
    assert payload == f"POSAPP-RCPT:1:{BASE.receipt_number}:{BASE_SHA}"
    assert parse_qr_payload(payload) == (BASE.receipt_number, BASE_SHA)
    for bad in ("", "POSAPP-RCPT:2:R1:" + "0" * 64, "POSAPP-RCPT:1:R1:xyz", "HELLO"):
        try:
            parse_qr_payload(bad)
        except ValidationError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def _rebalanced(r: ReceiptData) -> ReceiptData:
    """Make the cash tender absorb a changed total so the receipt stays valid."""
    others = sum(t.amount_cents for t in r.tenders[:-1])
    cash = r.total_cents + r.change_due_cents - others
    return dataclasses.replace(r, tenders=(*r.tenders[:-1], Tender("cash", cash)))


def _with_line_price(r: ReceiptData, cents: int) -> ReceiptData:
    ln = r.lines[1]
    new = dataclasses.replace(ln, unit_price_cents=cents, line_total_cents=ln.qty * cents - ln.discount_cents)
    return _rebalanced(_unchecked(r, lines=(r.lines[0], new, *r.lines[2:])))


def _unchecked(r: ReceiptData, **changes: object) -> ReceiptData:
    """dataclasses.replace without validation (the tenders are fixed up right after)."""
    out = object.__new__(ReceiptData)
    for f in dataclasses.fields(ReceiptData):
        object.__setattr__(out, f.name, changes.get(f.name, getattr(r, f.name)))
    return out


MUTATIONS = {
    "unit price": lambda r, d: _with_line_price(r, r.lines[1].unit_price_cents + d),
    "tax": lambda r, d: _rebalanced(_unchecked(r, taxes=(TaxLine("Sales tax 7.25%", "CA", r.taxes[0].cents + d),
                                                         *r.taxes[1:]))),
    "fee": lambda r, d: _rebalanced(_unchecked(r, fees=(FeeLine(r.fees[0].label, r.fees[0].cents + d,
                                                                r.fees[0].kind), *r.fees[1:]))),
    "split": lambda r, d: _unchecked(r, tenders=(Tender("card", r.tenders[0].amount_cents + d, "VISA", "1111",
                                                        "A1B2C3"),
                                                 Tender("cash", r.tenders[1].amount_cents - d))),
    "full retail": lambda r, d: _unchecked(r, lines=(dataclasses.replace(
        r.lines[0], full_retail_cents=(r.lines[0].full_retail_cents or 0) + d), *r.lines[1:])),
    "discount": lambda r, d: _rebalanced(_unchecked(r, lines=(*r.lines[:2], ReceiptLine(
        r.lines[2].sku, r.lines[2].description, 2, 3999, 7998 - abs(d), discount_cents=abs(d))))),
}


@settings(max_examples=scaled(60), deadline=None)
@given(field=st.sampled_from(sorted(MUTATIONS)), delta=st.integers(min_value=1, max_value=10**6)
       .flatmap(lambda v: st.sampled_from([v, -v])))
def test_any_money_change_changes_the_hash(field: str, delta: int) -> None:
    changed = MUTATIONS[field](BASE, delta)
    if changed.lines[2].discount_cents == BASE.lines[2].discount_cents and field == "discount":
        return
    assert canonical_sha256(changed) != BASE_SHA


@settings(max_examples=scaled(40), deadline=None)
@given(cents=st.integers(min_value=0, max_value=10**7), qty=st.integers(min_value=1, max_value=20))
def test_hash_is_a_function_of_content(cents: int, qty: int) -> None:
    line = ReceiptLine("X", "x", qty, cents, qty * cents)
    r = _rebalanced(_unchecked(BASE, lines=(line,)))
    r2 = _rebalanced(_unchecked(BASE, lines=(ReceiptLine("X", "x", qty, cents, qty * cents),)))
    assert canonical_sha256(r) == canonical_sha256(r2)
    assert canonical_sha256(from_canonical(canonical_json(r))) == canonical_sha256(r)
