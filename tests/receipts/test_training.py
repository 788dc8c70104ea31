"""Training receipts: "TRAINING — not a receipt for payment" on paper (top and bottom, both formats) and in the
canonical content, so it cannot be removed without failing verification; receipts without the flag serialise
exactly as before it existed. Also the PDF's Author metadata keeps the store name's Unicode."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import subprocess
import zlib
from pathlib import Path

import pytest

from posapp.errors import ValidationError
from posapp.receipts.canonical import canonical_json, canonical_sha256, from_canonical
from posapp.receipts.model import TRAINING_TEXT, ReceiptData
from posapp.receipts.render import EMBED_PREFIX, render_pdf
from posapp.receipts.sample import sample_receipt
from posapp.receipts.verify import verify_pdf, verify_pdf_bytes
from tests.receipts.tools import pdftotext, tool

# canonical_sha256(sample_receipt(last4="1881")) computed with the code before the training flag existed
# (commit 5d691e6): a receipt that is not a training one must keep this exact hash.
PRE_TRAINING_SHA256 = "47d9ef53f52145b4fcbd83a1d7931a7dff7c84edfde3a50fc562135ea852ec03"
PRE_TRAINING_UNSIGNED_SHA256 = "8311a53c307d65ed8f88dcad505ff4541d8de8e45fc719cb9c2b81f9e1906fc0"
_KEYWORDS = re.compile(rb"/Keywords \([^)]*\)")


@pytest.fixture(scope="module")
def training(receipt: ReceiptData) -> ReceiptData:
    return dataclasses.replace(receipt, training=True)


def test_a_receipt_without_the_flag_serialises_exactly_as_before(receipt: ReceiptData) -> None:
    assert not receipt.training
    assert canonical_sha256(receipt) == PRE_TRAINING_SHA256
    assert canonical_sha256(sample_receipt(signed=False)) == PRE_TRAINING_UNSIGNED_SHA256
    assert b"training" not in canonical_json(receipt)


def test_the_flag_is_in_the_canonical_content(receipt: ReceiptData, training: ReceiptData) -> None:
    raw = canonical_json(training)
    assert json.loads(raw)["training"] is True and canonical_sha256(training) != canonical_sha256(receipt)
    assert from_canonical(raw).training and canonical_json(from_canonical(raw)) == raw
    assert from_canonical(canonical_json(receipt)).training is False
    with pytest.raises(ValidationError, match="training must be true"):
        from_canonical(raw.replace(b'"training":true', b'"training":false'))


@pytest.mark.parametrize("fmt", ["thermal", "letter"])
def test_a_training_receipt_says_so_top_and_bottom(fmt: str, training: ReceiptData, tmp_path: Path) -> None:
    pdf = tmp_path / f"training-{fmt}.pdf"
    render_pdf(training, fmt, pdf)  # type: ignore[arg-type]
    text = " ".join(pdftotext(pdf).split())  # the banner may wrap on the thermal roll
    assert text.count(TRAINING_TEXT) == 2 and TRAINING_TEXT == "TRAINING — not a receipt for payment"
    assert text.startswith(TRAINING_TEXT) and text.endswith(TRAINING_TEXT)
    assert verify_pdf(pdf, expected=training).ok


def test_an_ordinary_receipt_does_not(receipt: ReceiptData, pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        assert "TRAINING" not in pdftotext(path)


def test_removing_the_label_from_the_page_fails_verification(training: ReceiptData) -> None:
    pdf = render_pdf(training, "thermal", compress=False)
    assert verify_pdf_bytes(pdf).ok
    altered = re.sub(rb"\(TRAINING [^)]*\) Tj", b"() Tj", pdf).replace(b"(payment) Tj", b"() Tj")
    assert altered != pdf and b"TRAINING" not in altered.replace(b"/Title (TRAINING", b"")
    result = verify_pdf_bytes(altered)
    assert not result.ok and any("printed text differs" in p for p in result.problems), result.problems


def test_removing_the_flag_from_the_canonical_content_fails_verification(training: ReceiptData) -> None:
    pdf = render_pdf(training, "thermal", compress=False)
    found = _KEYWORDS.search(pdf)
    assert found is not None
    raw = zlib.decompress(base64.b64decode(found.group(0)[len(b"/Keywords ("):-1].decode()[len(EMBED_PREFIX):]))
    content = json.loads(raw)
    del content["training"]
    stripped = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    assert stripped == canonical_json(dataclasses.replace(training, training=False))  # a well-formed receipt
    keywords = EMBED_PREFIX + base64.b64encode(zlib.compress(stripped, 9)).decode()
    altered = pdf.replace(found.group(0), f"/Keywords ({keywords})".encode())
    result = verify_pdf_bytes(altered)
    assert not result.ok
    assert any("QR code" in p for p in result.problems) and any("printed text" in p for p in result.problems)


def test_the_author_metadata_keeps_the_em_dash(receipt: ReceiptData, tmp_path: Path) -> None:
    pdf = tmp_path / "author.pdf"
    render_pdf(dataclasses.replace(receipt, store_name="Demo Wireless — Pike St"), "thermal", pdf)
    info = subprocess.run([tool("pdfinfo"), "-enc", "UTF-8", str(pdf)], capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")
    assert re.search(r"^Author:\s+Demo Wireless — Pike St$", info, re.MULTILINE), info
    assert verify_pdf(pdf).ok


def test_the_label_does_not_push_a_letter_receipt_onto_another_page(receipt: ReceiptData, training: ReceiptData,
                                                                     tmp_path: Path) -> None:
    def pages(r: ReceiptData, name: str) -> int:
        pdf = tmp_path / name
        render_pdf(r, "letter", pdf)
        info = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, check=True, timeout=60).stdout
        found = re.search(rb"^Pages:\s+(\d+)$", info, re.MULTILINE)
        assert found is not None
        return int(found.group(1))

    assert pages(training, "training.pdf") == pages(receipt, "plain.pdf") == 1
