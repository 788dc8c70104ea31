"""The signature rule (when a sale needs one) and what a valid pad capture is."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from posapp.domain.signature import (
    CONSENT_TEXT,
    SignatureFacts,
    check_png,
    render_png,
    signature_reasons,
    signature_required,
    validate_strokes,
)
from posapp.errors import ValidationError

PLAIN = SignatureFacts(is_refund=False, has_device=False, has_eip_payment=False, has_card_tender=False,
                       due_cents=2_999)


def test_rule() -> None:
    assert not signature_required(PLAIN, 50_000)
    for change in ({"has_device": True}, {"has_eip_payment": True}, {"has_card_tender": True},
                   {"due_cents": 50_000}):
        facts = replace(PLAIN, **change)  # type: ignore[arg-type]
        assert signature_required(facts, 50_000), change
        assert signature_reasons(facts, 50_000)
    assert not signature_required(replace(PLAIN, due_cents=49_999), 50_000)
    assert not signature_required(replace(PLAIN, due_cents=10**7), 0), "threshold 0 turns the amount test off"
    refund = replace(PLAIN, is_refund=True, has_device=True, has_card_tender=True, due_cents=10**6)
    assert not signature_required(refund, 1) and signature_reasons(refund, 1) == ()


def test_consent_text_says_what_esign_asks() -> None:
    text = CONSENT_TEXT.lower()
    assert "paper" in text and "withdraw" in text and "covers" in text and "electronically" in text


def test_valid_strokes_come_back_as_tuples() -> None:
    got = validate_strokes([[(0, 0, 0), (1, 1, 5)], [(0.5, 0.5, 5), (0.6, 0.4, 9)]])
    assert got == (((0.0, 0.0, 0), (1.0, 1.0, 5)), ((0.5, 0.5, 5), (0.6, 0.4, 9)))
    assert isinstance(got[0][0][2], int)


@pytest.mark.parametrize(("strokes", "message"), [
    ([], "empty"),
    ([[(0.1, 0.1, 0)]], "fewer than 2"),
    ([[(0.1, 0.1, 0), (1.01, 0.1, 5)]], "within the pad"),
    ([[(0.1, -0.01, 0), (0.2, 0.1, 5)]], "within the pad"),
    ([[(0.1, float("nan"), 0), (0.2, 0.1, 5)]], "within the pad"),
    ([[(0.1, 0.1, 10), (0.2, 0.1, 5)]], "backwards"),
    ([[(0.1, 0.1, 10), (0.2, 0.1, 20)], [(0.3, 0.3, 15), (0.4, 0.4, 30)]], "backwards"),
    ([[(0.1, 0.1, 0), (0.2, 0.1, 2.5)]], "whole milliseconds"),
    ([[(0.1, 0.1, -1), (0.2, 0.1, 2)]], "backwards"),
    ([[(0.1, 0.1), (0.2, 0.1)]], "(x, y, t)"),
    ([[("a", 0.1, 0), (0.2, 0.1, 2)]], "numbers"),
])
def test_bad_strokes_are_refused(strokes: list[list[tuple[object, ...]]], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate_strokes(strokes)  # type: ignore[arg-type]


def test_png_is_drawn_from_the_strokes() -> None:
    data = render_png((((0.1, 0.5, 0), (0.9, 0.5, 10)),), width=300, height=100)
    assert check_png(data) == data
    with Image.open(io.BytesIO(data)) as img:
        assert img.size == (300, 100)
        assert img.convert("L").getpixel((150, 50)) < 50 and img.convert("L").getpixel((150, 10)) == 255
    with pytest.raises(ValidationError, match="PNG"):
        check_png(b"GIF89a")
