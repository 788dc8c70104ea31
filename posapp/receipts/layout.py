"""What goes on a receipt, in order, as format-independent blocks (no ReportLab here).

The renderer draws these blocks for a thermal roll or a Letter page; :func:`visible_words` lists every word they
put on paper, which is what :mod:`posapp.receipts.verify` compares with the text read back from a PDF. All text
passes :func:`safe_text` (the WinAnsi repertoire of the PDF standard fonts), so what is drawn is what is compared.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from posapp.domain.money import format_cents
from posapp.receipts.canonical import qr_payload
from posapp.receipts.model import TRAINING_TEXT, ActivationSummary, ReceiptData, Signature, SummaryLine

BULLET = "\u2022"


def _showable(ch: str) -> str:
    try:
        ch.encode("cp1252")
        return ch
    except UnicodeEncodeError:
        pass
    # Latin letters with marks cp1252 lacks (Vietnamese "ễ", Polish "ł" is not decomposable): the base letter.
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    try:
        return base.encode("cp1252").decode("cp1252") if base else "?"
    except UnicodeEncodeError:
        return "?"


def safe_text(text: str) -> str:
    """What the standard PDF fonts can show (cp1252): other accented letters lose their marks, anything else
    becomes "?"; control characters and runs of whitespace become one space."""
    return " ".join("".join(" " if unicodedata.category(ch)[0] in "CZ" else _showable(ch) for ch in text).split())


@dataclass(frozen=True)
class Row:
    """A left text and an optional right-aligned text (an amount) on one line."""

    left: str
    right: str = ""
    style: str = "normal"  # normal | bold | total | small
    indent: int = 0


@dataclass(frozen=True)
class Para:
    text: str
    style: str = "normal"  # normal | small | title | center | heading | banner (the training label)


@dataclass(frozen=True)
class Rule:
    heavy: bool = False


@dataclass(frozen=True)
class Codes:
    receipt_number: str
    qr_payload: str


@dataclass(frozen=True)
class SignatureBlock:
    signature: Signature
    caption: tuple[str, ...]


Block = Row | Para | Rule | Codes | SignatureBlock


def _row(left: str, cents: int | None = None, style: str = "normal", indent: int = 0) -> Row:
    return Row(safe_text(left), "" if cents is None else format_cents(cents), style, indent)


def _summary(title: str, items: tuple[SummaryLine, ...]) -> list[Block]:
    out: list[Block] = [Rule(), Para(title, "heading")]
    for s in items:
        out.append(_row(s.label, s.amount_cents))
        if s.detail:
            out.append(Para(safe_text(s.detail), "small"))
    return out


def _activations(items: tuple[ActivationSummary, ...]) -> list[Block]:
    out: list[Block] = [Rule(), Para("Activations", "heading")]
    for a in items:
        number = f"number ending {a.number_last4}" if a.number_last4 else "number to follow"
        out.append(Row(safe_text(f"Line {a.line_no}, {number}"), safe_text(a.activation_number), "bold"))
        out.append(Para(safe_text(f"Plan: {a.plan}"), "small"))
        device = a.device + (f" {BULLET} IMEI {a.imei}" if a.imei else "")
        out.append(Para(safe_text(f"Device: {device}"), "small"))
        out.append(Para(safe_text(f"SIM: {a.sim}"), "small"))
        out.append(Para(safe_text(f"Status: {a.status}"), "normal"))
    if any(a.status.startswith("Activation pending") for a in items):
        out.append(Para("A pending line is active once the carrier confirms it. A transferred number: keep your "
                        "old service until the transfer completes.", "small"))
    return out


def _training_banner() -> list[Block]:
    return [Para(TRAINING_TEXT, "banner")]  # the renderer frames it (thermal) or puts it in the margin (Letter)


def build_blocks(r: ReceiptData) -> list[Block]:
    local = r.local_issued_at
    out: list[Block] = _training_banner() if r.training else []
    out.append(Para(safe_text(r.store_name), "title"))
    out += [Para(safe_text(a), "center") for a in r.store_address]
    out.append(Para(safe_text(f"Store {r.store_number} {BULLET} Terminal {r.terminal}"), "center"))
    out.append(Rule())
    if r.is_refund:
        out.append(Para(safe_text(f"REFUND of receipt {r.original_receipt_number}"), "heading"))
    out.append(Row("Receipt", safe_text(r.receipt_number), "bold"))
    out.append(Row("Date", local.strftime("%Y-%m-%d %H:%M %Z")))
    out.append(Row("Rep", safe_text(f"{r.rep_id} {r.rep_name}")))
    if r.masked_account:
        out.append(Row("Account", safe_text(r.masked_account)))
    out.append(Rule())
    for ln in r.lines:
        out.append(_row(ln.description, ln.line_total_cents, "bold"))
        detail = f"SKU {ln.sku}" + (f" {BULLET} {ln.serial_kind} {ln.serial}" if ln.serial else "")
        out.append(Para(safe_text(detail), "small"))
        if ln.qty != 1 or ln.discount_cents:
            out.append(Row(f"{ln.qty} x {format_cents(ln.unit_price_cents)}", "", "small", 1))
        if ln.discount_cents:
            out.append(_row("Discount", -ln.discount_cents if ln.qty > 0 else ln.discount_cents, "small", 1))
        if ln.full_retail_cents is not None:
            out.append(_row("Full retail price (tax base)", ln.full_retail_cents, "small", 1))
    out.append(Rule())
    out.append(_row("Subtotal", r.subtotal_cents))
    for t in r.taxes:
        out.append(_row(f"{t.label} ({t.jurisdiction})", t.cents))
    for kind, title in (("government", "Government fees"), ("carrier", "Carrier surcharges")):
        fees = [f for f in r.fees if f.kind == kind]
        if fees:
            out.append(Para(title, "small"))
            out += [_row(f.label, f.cents, indent=1) for f in fees]
    out.append(_row("REFUND TOTAL" if r.is_refund else "TOTAL", r.total_cents, "total"))
    out.append(Rule())
    for tn in r.tenders:
        if tn.kind in ("card", "offline_card"):
            label = f"{tn.card_brand} {BULLET * 4}{tn.last4}" + (" (offline)" if tn.kind == "offline_card" else "")
            out.append(_row(label, tn.amount_cents))
            if tn.auth_code:
                out.append(Row(f"Auth code {tn.auth_code}", "", "small", 1))
        else:
            out.append(_row("Cash" if tn.kind == "cash" else "Store credit", tn.amount_cents))
    if r.change_due_cents or any(t.kind == "cash" for t in r.tenders):
        out.append(_row("Change due", r.change_due_cents, "bold"))
    if r.activations:
        out += _activations(r.activations)
    if r.eip_summary:
        out += _summary("Equipment installment plan (EIP)", r.eip_summary)
    if r.trade_in_summary:
        out += _summary("Trade-in", r.trade_in_summary)
    rp = r.return_policy
    out += [Rule(), Para("Return policy", "heading"),
            Para(safe_text(f"Returns and exchanges within {rp.days} days of purchase with this receipt."), "small")]
    if rp.text:
        out.append(Para(safe_text(rp.text), "small"))
    if rp.restocking_fees:
        out.append(Para("Restocking fees:", "small"))
        out += [_row(f.category, f.fee_cents, "small", 1) for f in rp.restocking_fees]
    if r.signature is not None:
        sig = r.signature
        signed = sig.signed_at.astimezone(local.tzinfo).strftime("%Y-%m-%d %H:%M:%S %Z")
        out += [Rule(), SignatureBlock(sig, (safe_text(sig.consent_text), f"Signed electronically {signed}"))]
    out += [Rule(), Para("Thank you!", "center"), Codes(r.receipt_number, qr_payload(r))]
    if r.training:
        out += _training_banner()
    return out


def block_texts(blocks: list[Block]) -> list[str]:
    """Every string the renderer draws for these blocks."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Row):
            out += [b.left, b.right]
        elif isinstance(b, Para):
            out.append(b.text)
        elif isinstance(b, Codes):
            out.append(b.receipt_number)
        elif isinstance(b, SignatureBlock):
            out += ["Customer signature", *b.caption]
    return out


def visible_words(blocks: list[Block]) -> Counter[str]:
    return Counter(w for text in block_texts(blocks) for w in text.split())
