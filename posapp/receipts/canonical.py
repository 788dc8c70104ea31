"""The canonical form of a receipt: sorted-key, whitespace-free JSON of its whole content, and its SHA-256.

Everything the receipt shows is in it (money, lines, tenders, people, policy, the signature strokes), plus the
derived totals, so a change to any amount changes the hash. Amounts are integer cents; times are ISO 8601 UTC;
signature points are rounded to 0.01 so that the float formatting cannot differ between machines. The form is
versioned (``"v": 1``); :func:`from_canonical` reads it back into a :class:`ReceiptData`.

A training receipt carries ``"training": true``; the key is absent otherwise, so a receipt that is not a training
one serialises byte for byte as before the flag existed (receipts printed by earlier releases still verify), and
a training receipt cannot lose its label without changing its hash. The ``"activations"`` key (a sale with
activation lines) follows the same rule: absent when there are none, so receipts without activations keep their
canonical form and hash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from posapp.errors import ValidationError
from posapp.receipts.model import (
    ActivationSummary,
    FeeLine,
    ReceiptData,
    ReceiptLine,
    RestockingFee,
    ReturnPolicy,
    Signature,
    SummaryLine,
    TaxLine,
    Tender,
)

VERSION = 1
QR_PREFIX = "POSAPP-RCPT"


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _summary(lines: tuple[SummaryLine, ...]) -> list[dict[str, Any]]:
    return [{"label": s.label, "amount_cents": s.amount_cents, "detail": s.detail} for s in lines]


def to_canonical_dict(r: ReceiptData) -> dict[str, Any]:
    out = _content(r)
    if r.training:
        out["training"] = True
    if r.activations:
        out["activations"] = [{"activation_number": a.activation_number, "line_no": a.line_no,
                               "number_last4": a.number_last4, "plan": a.plan, "device": a.device, "imei": a.imei,
                               "sim": a.sim, "status": a.status} for a in r.activations]
    return out


def _content(r: ReceiptData) -> dict[str, Any]:
    sig = r.signature
    return {
        "v": VERSION,
        "receipt_number": r.receipt_number,
        "original_receipt_number": r.original_receipt_number,
        "store": {"name": r.store_name, "address": list(r.store_address), "number": r.store_number,
                  "terminal": r.terminal, "tz": r.store_tz},
        "rep": {"id": r.rep_id, "name": r.rep_name},
        "issued_at": _time(r.issued_at),
        "masked_account": r.masked_account,
        "lines": [{"sku": ln.sku, "description": ln.description, "qty": ln.qty,
                   "unit_price_cents": ln.unit_price_cents, "discount_cents": ln.discount_cents,
                   "line_total_cents": ln.line_total_cents, "serial": ln.serial, "serial_kind": ln.serial_kind,
                   "full_retail_cents": ln.full_retail_cents} for ln in r.lines],
        "taxes": [{"label": t.label, "jurisdiction": t.jurisdiction, "cents": t.cents} for t in r.taxes],
        "fees": [{"label": f.label, "kind": f.kind, "cents": f.cents} for f in r.fees],
        "tenders": [{"kind": t.kind, "amount_cents": t.amount_cents, "card_brand": t.card_brand,
                     "last4": t.last4, "auth_code": t.auth_code} for t in r.tenders],
        "change_due_cents": r.change_due_cents,
        "totals": {"subtotal_cents": r.subtotal_cents, "tax_cents": r.tax_cents, "fee_cents": r.fee_cents,
                   "total_cents": r.total_cents},
        "eip_summary": _summary(r.eip_summary),
        "trade_in_summary": _summary(r.trade_in_summary),
        "return_policy": {"days": r.return_policy.days, "text": r.return_policy.text,
                          "restocking_fees": [{"category": f.category, "fee_cents": f.fee_cents}
                                              for f in r.return_policy.restocking_fees]},
        "signature": None if sig is None else {
            "consent_text": sig.consent_text, "signed_at": _time(sig.signed_at),
            "strokes": [[[round(x, 2), round(y, 2), round(t, 2)] for x, y, t in stroke] for stroke in sig.strokes]},
    }


def canonical_json(r: ReceiptData) -> bytes:
    return json.dumps(to_canonical_dict(r), sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                      allow_nan=False).encode("ascii")


def canonical_sha256(r: ReceiptData) -> str:
    return hashlib.sha256(canonical_json(r)).hexdigest()


def qr_payload(r: ReceiptData) -> str:
    return f"{QR_PREFIX}:{VERSION}:{r.receipt_number}:{canonical_sha256(r)}"


def parse_qr_payload(payload: str) -> tuple[str, str]:
    """``POSAPP-RCPT:1:<receipt_no>:<sha256>`` -> (receipt number, hash); ValidationError otherwise."""
    parts = payload.strip().split(":")
    if len(parts) != 4 or parts[0] != QR_PREFIX or parts[1] != str(VERSION):
        raise ValidationError("Not a posapp receipt QR code.")
    digest = parts[3].lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValidationError("The QR code does not carry a SHA-256.")
    return parts[2], digest


def _summary_back(items: list[dict[str, Any]]) -> tuple[SummaryLine, ...]:
    return tuple(SummaryLine(i["label"], i["amount_cents"], i["detail"]) for i in items)


def _training(d: dict[str, Any]) -> bool:
    if "training" not in d:
        return False
    if d["training"] is not True:  # only ever written as true; anything else is not canonical
        raise ValidationError("Not a canonical receipt: training must be true when present.")
    return True


def _activations(d: dict[str, Any]) -> tuple[ActivationSummary, ...]:
    if "activations" not in d:
        return ()
    items = d["activations"]
    if not isinstance(items, list) or not items:  # only ever written with at least one line
        raise ValidationError("Not a canonical receipt: activations must be a non-empty list when present.")
    return tuple(ActivationSummary(a["activation_number"], a["line_no"], a["number_last4"], a["plan"], a["device"],
                                   a["imei"], a["sim"], a["status"]) for a in items)


def from_canonical(raw: bytes) -> ReceiptData:
    """Read a canonical JSON back (validated like any ReceiptData). ValidationError if it is not one."""
    try:
        d = json.loads(raw)
        if d.get("v") != VERSION:
            raise ValidationError("Unknown canonical receipt version.")
        s = d["signature"]
        sig = None if s is None else Signature(
            strokes=tuple(tuple((float(p[0]), float(p[1]), float(p[2])) for p in st) for st in s["strokes"]),
            consent_text=s["consent_text"], signed_at=_parse_time(s["signed_at"]))
        rp = d["return_policy"]
        return ReceiptData(
            receipt_number=d["receipt_number"], original_receipt_number=d["original_receipt_number"],
            store_name=d["store"]["name"], store_address=tuple(d["store"]["address"]),
            store_number=d["store"]["number"], terminal=d["store"]["terminal"], store_tz=d["store"]["tz"],
            rep_id=d["rep"]["id"], rep_name=d["rep"]["name"], issued_at=_parse_time(d["issued_at"]),
            masked_account=d["masked_account"],
            lines=tuple(ReceiptLine(sku=x["sku"], description=x["description"], qty=x["qty"],
                                    unit_price_cents=x["unit_price_cents"], discount_cents=x["discount_cents"],
                                    line_total_cents=x["line_total_cents"], serial=x["serial"],
                                    serial_kind=x["serial_kind"], full_retail_cents=x["full_retail_cents"])
                        for x in d["lines"]),
            taxes=tuple(TaxLine(t["label"], t["jurisdiction"], t["cents"]) for t in d["taxes"]),
            fees=tuple(FeeLine(f["label"], f["cents"], f["kind"]) for f in d["fees"]),
            tenders=tuple(Tender(t["kind"], t["amount_cents"], t["card_brand"], t["last4"], t["auth_code"])
                          for t in d["tenders"]),
            change_due_cents=d["change_due_cents"],
            eip_summary=_summary_back(d["eip_summary"]), trade_in_summary=_summary_back(d["trade_in_summary"]),
            return_policy=ReturnPolicy(rp["days"], tuple(RestockingFee(f["category"], f["fee_cents"])
                                                         for f in rp["restocking_fees"]), rp["text"]),
            signature=sig, training=_training(d), activations=_activations(d))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise ValidationError(f"Not a canonical receipt: {exc}") from None
