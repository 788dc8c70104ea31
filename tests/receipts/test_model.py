"""The receipt model refuses what must never be printed (more than the last 4 card digits) and bad arithmetic."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from posapp.errors import ValidationError
from posapp.receipts.model import ReceiptLine, Signature, Tender
from posapp.receipts.sample import CONSENT, sample_receipt, sample_strokes


@pytest.mark.parametrize("last4", ["12345", "4012888888881881", "123", "12a4", " 1881", "1881\n", None])
def test_card_tender_takes_exactly_four_digits(last4: str | None) -> None:
    with pytest.raises(ValidationError):
        Tender("card", 100, "VISA", last4, "ABC123")


def test_card_tender_fields_are_checked() -> None:
    assert Tender("card", 100, "VISA", "1881", "ABC123").last4 == "1881"
    with pytest.raises(ValidationError):
        Tender("card", 100, "VISA", "1881", "4012888888881881")  # an auth code that is really a PAN
    with pytest.raises(ValidationError):
        Tender("card", 100, "4012", "1881")
    with pytest.raises(ValidationError):
        Tender("cash", 100, last4="1881")
    with pytest.raises(ValidationError):
        Tender("cheque", 100)


def test_line_total_must_add_up() -> None:
    ReceiptLine("A", "a", 2, 500, 900, discount_cents=100)
    ReceiptLine("A", "a", -1, 500, -400, discount_cents=100)  # a refunded line
    with pytest.raises(ValidationError):
        ReceiptLine("A", "a", 2, 500, 1000, discount_cents=100)


def test_tenders_must_cover_the_total() -> None:
    r = sample_receipt()
    with pytest.raises(ValidationError, match="total"):
        dataclasses.replace(r, change_due_cents=r.change_due_cents + 1)


def test_masked_account_shows_at_most_four_digits() -> None:
    r = sample_receipt()
    assert dataclasses.replace(r, masked_account="***-***-6789").masked_account
    with pytest.raises(ValidationError):
        dataclasses.replace(r, masked_account="310-555-6789")


def test_times_are_aware_utc() -> None:
    r = sample_receipt()
    with pytest.raises(ValidationError):
        dataclasses.replace(r, issued_at=datetime(2026, 1, 1, 12))  # naive on purpose
    with pytest.raises(ValidationError):
        dataclasses.replace(r, issued_at=datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=-8))))
    with pytest.raises(ValidationError):
        dataclasses.replace(r, store_tz="Mars/Olympus_Mons")


def test_signature_needs_strokes_and_consent() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationError):
        Signature((), CONSENT, at)
    with pytest.raises(ValidationError):
        Signature(sample_strokes(), " ", at)
