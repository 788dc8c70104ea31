"""verify_pdf passes on a genuine receipt and fails on altered ones."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posapp.domain.money import format_cents
from posapp.receipts.canonical import qr_payload
from posapp.receipts.model import ReceiptData, ReceiptLine
from posapp.receipts.render import render_pdf
from posapp.receipts.sample import sample_receipt
from posapp.receipts.verify import verify_data, verify_pdf, verify_pdf_bytes
from tests.helpers.scale import scaled
from tests.receipts.tools import pdftotext

_KEYWORDS = re.compile(rb"/Keywords \([^)]*\)")


@pytest.mark.parametrize("fmt", ["thermal", "letter"])
def test_genuine_receipt_verifies(fmt: str, pdfs: dict[str, Path], receipt: ReceiptData) -> None:
    result = verify_pdf(pdfs[fmt], qr_payload_scanned=qr_payload(receipt), expected=receipt)
    assert result.ok, result.problems
    assert result.receipt_number == receipt.receipt_number


def test_changed_total_fails(tmp_path: Path, receipt: ReceiptData) -> None:
    pdf = render_pdf(receipt, "thermal", compress=False)
    old = f"({format_cents(receipt.total_cents)}) Tj".encode()
    new = f"({format_cents(receipt.total_cents - 10000)}) Tj".encode()
    assert pdf.count(old) == 1 and len(old) == len(new)
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(pdf.replace(old, new))
    assert format_cents(receipt.total_cents - 10000) in pdftotext(altered)  # the forgery reads fine
    result = verify_pdf(altered)
    assert not result.ok
    assert any("printed text differs" in p for p in result.problems), result.problems
    assert verify_pdf_bytes(pdf).ok  # the uncompressed original is fine


def test_changed_card_digits_fail(receipt: ReceiptData) -> None:
    pdf = render_pdf(receipt, "thermal", compress=False)
    last4 = receipt.tenders[0].last4
    assert last4 is not None
    altered = pdf.replace(f"{last4}) Tj".encode(), b"9999) Tj")
    assert altered != pdf
    assert not verify_pdf_bytes(altered).ok


def test_other_receipt_with_this_receipts_embedded_content_fails(receipt: ReceiptData) -> None:
    other = dataclasses.replace(sample_receipt(receipt_number="R0412-20261122-0008"), rep_name="Sam P.")
    genuine = render_pdf(receipt, "thermal", compress=False)
    forged = render_pdf(other, "thermal", compress=False)
    keywords = _KEYWORDS.search(genuine)
    assert keywords
    # the other receipt's pages carrying this receipt's hashed content: its QR and its text do not match
    result = verify_pdf_bytes(_KEYWORDS.sub(keywords.group(0).replace(b"\\", b"\\\\"), forged))
    assert not result.ok
    assert any("QR code" in p for p in result.problems)
    assert any("printed text" in p for p in result.problems)
    # and this receipt's pages with the other's content: the QR no longer matches the hash
    other_kw = _KEYWORDS.search(forged)
    assert other_kw
    assert not verify_pdf_bytes(_KEYWORDS.sub(other_kw.group(0).replace(b"\\", b"\\\\"), genuine)).ok


def test_store_record_mismatch_fails(pdfs: dict[str, Path], receipt: ReceiptData) -> None:
    record = dataclasses.replace(receipt, rep_id="E9999")
    result = verify_pdf(pdfs["thermal"], expected=record)
    assert not result.ok and any("store's record" in p for p in result.problems)


def test_scanned_payload_is_checked(pdfs: dict[str, Path], receipt: ReceiptData) -> None:
    bad = qr_payload(receipt)[:-1] + ("0" if qr_payload(receipt)[-1] != "0" else "1")
    assert not verify_pdf(pdfs["thermal"], qr_payload_scanned=bad).ok


def test_verify_data(receipt: ReceiptData) -> None:
    assert verify_data(receipt, qr_payload(receipt)).ok
    other = sample_receipt(receipt_number="R2")
    assert not verify_data(receipt, qr_payload(other)).ok
    assert not verify_data(receipt, "not a receipt").ok


def test_unreadable_inputs_are_not_genuine(tmp_path: Path) -> None:
    assert not verify_pdf(tmp_path / "missing.pdf").ok
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\nhello\n")
    result = verify_pdf(junk)
    assert not result.ok and result.problems
    assert not verify_pdf_bytes(b"/Keywords (posapp-receipt:v1:!!!!)").ok


# Any Unicode: what the standard fonts cannot show is replaced the same way when drawing and when verifying.
_PRINTABLE = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=60)


@settings(max_examples=scaled(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(description=_PRINTABLE, rep=_PRINTABLE, store=_PRINTABLE, fmt=st.sampled_from(["thermal", "letter"]))
def test_any_text_round_trips_through_the_pdf(description: str, rep: str, store: str, fmt: str) -> None:
    """Parentheses, backslashes, accents, very long words: what is drawn is what verify reads back."""
    base = sample_receipt()
    line = dataclasses.replace(base.lines[2], description=description)
    r = dataclasses.replace(base, rep_name=rep, store_name=store, lines=(*base.lines[:2], line))
    result = verify_pdf_bytes(render_pdf(r, fmt))  # type: ignore[arg-type]
    assert result.ok, result.problems


def test_long_letter_receipt_spans_pages_and_verifies() -> None:
    base = sample_receipt()
    extra = tuple(ReceiptLine(f"ACC-{i:03d}", f"Screen protector #{i}", 1, 0, 0) for i in range(60))
    r = dataclasses.replace(base, lines=(*base.lines, *extra))
    pdf = render_pdf(r, "letter")
    assert pdf.count(b"/Type /Page\n") >= 2
    assert verify_pdf_bytes(pdf).ok
