"""The receipt's activation summary: what the model refuses, the canonical form, the printed words."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from posapp.errors import ValidationError
from posapp.receipts.canonical import canonical_json, canonical_sha256, from_canonical
from posapp.receipts.layout import build_blocks, visible_words
from posapp.receipts.model import ActivationSummary
from tests.receipts.golden.cases import activations_esim_eip, sale_card_cash

LINE = ActivationSummary("0412-T2-0031", 1, "0187", "Go5G Plus", "Apple iPhone 15 128 GB", "354678120000018",
                         "ICCID ending 65432", "Activation pending")


@pytest.mark.parametrize(("change", "why"), [
    ({"number_last4": "50187"}, "last 4 digits"),
    ({"number_last4": "+14255550187"}, "last 4 digits"),
    ({"sim": "ICCID 8901260882298765432"}, "last 5 digits"),
    ({"sim": "ICCID ending 765432"}, "last 5 digits"),
    ({"imei": "35467812000001"}, "15 digits"),
    ({"status": " "}, "plan and status"),
    ({"line_no": 0}, "numbered from 1"),
])
def test_the_model_refuses_more_than_the_receipt_may_show(change: dict[str, object], why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        replace(LINE, **change)  # type: ignore[arg-type]


def test_round_trip_and_the_hash_covers_the_status() -> None:
    r = activations_esim_eip()
    assert from_canonical(canonical_json(r)) == r
    active = replace(r, activations=(replace(r.activations[0], status="Active"), r.activations[1]))
    assert canonical_sha256(active) != canonical_sha256(r)


def test_no_activations_no_key_and_an_empty_list_is_not_canonical() -> None:
    plain = sale_card_cash()
    d = json.loads(canonical_json(plain))
    assert "activations" not in d
    d["activations"] = []
    with pytest.raises(ValidationError, match="non-empty"):
        from_canonical(json.dumps(d, sort_keys=True, separators=(",", ":")).encode())


def test_printed_words() -> None:
    words = visible_words(build_blocks(activations_esim_eip()))
    assert words["Activations"] == 1 and words["pending"] == 3  # two lines + the note
    assert words["0187"] == 1 and words["65432"] == 1 and words["8901260882298765432"] == 1  # the SIM line's own
