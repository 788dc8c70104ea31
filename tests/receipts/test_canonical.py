"""The canonical form is pinned by golden receipts, round-trips, and its hash changes when any money field changes.

The golden files under ``tests/receipts/golden/`` were made by an earlier release (see ``golden/regenerate.py``,
run only deliberately): today's code must produce byte-identical canonical JSON with the literal hashes below
for the same receipts, and every committed PDF must still verify (stores keep paper and PDFs for years).
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
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
from posapp.receipts.verify import verify_pdf
from tests.helpers.scale import scaled
from tests.receipts.golden.cases import CASES, FORMATS

GOLDEN = Path(__file__).resolve().parent / "golden"
# Literal, never recomputed: a change here means every receipt already printed stops verifying. Bump the
# canonical version instead (and keep reading version 1).
GOLDEN_SHA256 = {
    "sale_card_cash": "0dd7bfe544358e608e4c9feb50c4d372cc8cd5f6be5aac874da42e65ca236658",
    "refund": "9cb882ff97bee594273f9c8c7f81864b8b4b0cc8b2556d3f2a84f9d546e2f194",
    "device_eip_signed": "4f89a26d49957ce325e7e694c62de2a8db139f7bddd4ec59d134199c63b4a7fe",
    "activations_esim_eip": "434b4755d4330d27b8c283bb2e2cb8d9ff5074fe8a7e60824bcc9f7204c38632",
}
GOLDEN_NUMBERS = {
    "sale_card_cash": "R0412-20261122-0003",
    "refund": "R0412-20261123-0002",
    "device_eip_signed": "R0412-20261122-0007",
    "activations_esim_eip": "R0412-20261124-0011",
}

# The property tests below compare receipts with each other, not with a pinned value.
BASE = sample_receipt()
BASE_SHA = canonical_sha256(BASE)


def test_every_case_has_a_literal_hash() -> None:
    assert sorted(CASES) == sorted(GOLDEN_SHA256) == sorted(GOLDEN_NUMBERS)


@pytest.mark.parametrize("name", sorted(GOLDEN_SHA256))
def test_canonical_json_and_hash_equal_the_golden_literals(name: str) -> None:
    receipt = CASES[name]()
    golden = (GOLDEN / f"{name}.json").read_bytes()
    assert hashlib.sha256(golden).hexdigest() == GOLDEN_SHA256[name]  # the committed file is the pinned one
    assert canonical_json(receipt) == golden
    assert canonical_sha256(receipt) == GOLDEN_SHA256[name]
    assert receipt.receipt_number == GOLDEN_NUMBERS[name]


@pytest.mark.parametrize("name", sorted(GOLDEN_SHA256))
def test_golden_canonical_json_still_reads_back(name: str) -> None:
    golden = (GOLDEN / f"{name}.json").read_bytes()
    back = from_canonical(golden)
    assert back == CASES[name]()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(GOLDEN_SHA256))
def test_golden_pdf_printed_by_an_earlier_release_still_verifies(name: str, fmt: str) -> None:
    payload = f"POSAPP-RCPT:1:{GOLDEN_NUMBERS[name]}:{GOLDEN_SHA256[name]}"
    result = verify_pdf(GOLDEN / f"{name}-{fmt}.pdf", qr_payload_scanned=payload)
    assert result.ok, result.problems
    assert result.receipt_number == GOLDEN_NUMBERS[name]
    assert result.sha256 == GOLDEN_SHA256[name]


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
