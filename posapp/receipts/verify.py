"""Tell a genuine receipt PDF from an altered one.

What :func:`verify_pdf` checks, all with the pure-Python reader in :mod:`posapp.receipts.pdfread`:

1. the canonical receipt JSON embedded by the renderer (Info ``/Keywords``) parses as a valid receipt;
2. the QR code in the PDF encodes ``POSAPP-RCPT:1:<receipt_no>:<sha256>`` with the SHA-256 of that canonical
   JSON. The QR image is not decoded (no image decoder here): the expected payload is re-encoded with the same
   deterministic segno settings and compared pixel for pixel with the QR image found in the PDF. A payload read
   with a scanner can be passed as ``qr_payload`` and is then checked as well;
3. the visible text drawn on the pages says exactly what the canonical content says: the multiset of words drawn
   in the PDF equals the words the layout produces for the embedded receipt. A changed total, line, last 4 or
   name fails; so does a different receipt wearing this one's QR code (its text or its embedded JSON differs);
4. optionally (``expected``), the receipt equals the record the store keeps (the register passes the receipt it
   rebuilt from the database): the hash must match that record's hash.

Limits, honestly: a SHA-256 is not a signature. Someone who knows this format can render a consistent forged
receipt from scratch; only check 4 (comparison with the store's own record, as ``posapp-admin receipt verify
RECEIPT_NO`` does) catches that. Drawings (barcode bars, signature strokes) are not compared; the barcode carries
the receipt number, which is compared as text. A PDF re-saved by another program may be unreadable and is then
reported as not verifiable, never as genuine.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from posapp.errors import ValidationError
from posapp.receipts.canonical import canonical_sha256, from_canonical, parse_qr_payload, qr_payload
from posapp.receipts.layout import build_blocks, visible_words
from posapp.receipts.model import ReceiptData
from posapp.receipts.pdfread import PdfReadError, gray_images, info_string, page_text
from posapp.receipts.render import EMBED_PREFIX, qr_image


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    receipt_number: str | None = None
    sha256: str | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return self.ok


def verify_data(receipt: ReceiptData, payload: str) -> VerifyResult:
    """Does the QR payload (as scanned) belong to this receipt?"""
    digest = canonical_sha256(receipt)
    try:
        number, claimed = parse_qr_payload(payload)
    except ValidationError as exc:
        return VerifyResult(False, receipt.receipt_number, digest, (str(exc),))
    problems = []
    if number != receipt.receipt_number:
        problems.append(f"The QR code is for receipt {number}, not {receipt.receipt_number}.")
    if claimed != digest:
        problems.append("The receipt content does not match the hash in the QR code.")
    return VerifyResult(not problems, receipt.receipt_number, digest, tuple(problems))


def _embedded(pdf: bytes) -> bytes:
    keywords = info_string(pdf, "Keywords")
    if keywords is None or not keywords.startswith(EMBED_PREFIX):
        raise PdfReadError("no embedded receipt content (not a posapp receipt, or re-saved by another program)")
    try:
        return zlib.decompress(base64.b64decode(keywords[len(EMBED_PREFIX):], validate=True))
    except (binascii.Error, zlib.error) as exc:
        raise PdfReadError(f"the embedded receipt content is damaged: {exc}") from None


def verify_pdf_bytes(pdf: bytes, *, qr_payload_scanned: str | None = None,
                     expected: ReceiptData | None = None) -> VerifyResult:
    try:
        raw = _embedded(pdf)
        texts = page_text(pdf)
        images = gray_images(pdf)
    except PdfReadError as exc:
        return VerifyResult(False, problems=(f"Cannot read the receipt: {exc}",))
    try:
        receipt = from_canonical(raw)
    except ValidationError as exc:
        return VerifyResult(False, problems=(str(exc),))
    digest = hashlib.sha256(raw).hexdigest()
    problems: list[str] = []
    if canonical_sha256(receipt) != digest:
        problems.append("The embedded content is not in canonical form.")
    payload = qr_payload(receipt)
    qr = qr_image(payload)
    if not any(i.width == qr.width and i.height == qr.height and i.pixels == qr.tobytes() for i in images):
        problems.append("The QR code on the receipt does not carry this receipt's number and hash.")
    if qr_payload_scanned is not None:
        problems += verify_data(receipt, qr_payload_scanned).problems
    drawn = Counter(w for t in texts for w in t.split())
    wanted = visible_words(build_blocks(receipt))
    if drawn != wanted:
        extra = sorted((drawn - wanted).elements())[:8]
        missing = sorted((wanted - drawn).elements())[:8]
        problems.append(f"The printed text differs from the hashed content (printed but not hashed: {extra}; "
                        f"hashed but not printed: {missing}).")
    if expected is not None and canonical_sha256(expected) != digest:
        problems.append(f"The receipt differs from the store's record of {expected.receipt_number}.")
    return VerifyResult(not problems, receipt.receipt_number, digest, tuple(problems))


def embedded_receipt(path: Path | str) -> ReceiptData | None:
    """The receipt embedded in a posapp PDF (not verified: see :func:`verify_pdf`); None if there is none."""
    try:
        return from_canonical(_embedded(Path(path).read_bytes()))
    except (OSError, PdfReadError, ValidationError):
        return None


def verify_pdf(path: Path | str, *, qr_payload_scanned: str | None = None,
               expected: ReceiptData | None = None) -> VerifyResult:
    """Verify a receipt PDF file (see the module docstring for what is and is not checked)."""
    try:
        pdf = Path(path).read_bytes()
    except OSError as exc:
        return VerifyResult(False, problems=(f"Cannot open {path}: {exc.strerror or exc}",))
    return verify_pdf_bytes(pdf, qr_payload_scanned=qr_payload_scanned, expected=expected)
