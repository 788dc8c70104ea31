"""Receipts of real sales: the register's record mapped into :class:`posapp.receipts.model.ReceiptData`, rendered
to PDF (thermal or letter) and verified against the store's own record.

Everything printed comes from the completed sale's rows: lines, the tax and fee lines as stored at completion,
and the approved tenders (brand, last 4 and auth code only — the model refuses more). A refund prints negative
amounts, names the original receipt, and shows its restocking fees as a fee line (they reduce what is paid back).
The customer's current signature (strokes, consent text, time) is printed in the signature box. A sale with
activations gets their summary and financing (:mod:`posapp.services.register.receipt_activations`).
Reprinting renders the same record again: same content, same hash — except that an activation line's status is
the one at printing ("Activation pending", later "Active"): a copy printed earlier still verifies when it differs
from the record in those statuses only. A sale completed in training mode has
``sale.training`` set (frozen at completion), so its receipt says TRAINING on every reprint, after going live too.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.db.models import Account, AuditEvent, Employee, Sale, SaleEipSnapshot, SaleTaxLine
from posapp.db.models import Tender as TenderRow
from posapp.domain.register import SaleKind, SaleStatus, TenderKind, TenderState
from posapp.errors import NotFoundError, ValidationError
from posapp.receipts.model import (
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
from posapp.receipts.render import FORMATS, Format, render_pdf
from posapp.receipts.verify import VerifyResult, embedded_receipt, verify_pdf
from posapp.services.dto import SYSTEM_ACTOR, Actor
from posapp.services.register.common import live_lines, tenders_of, to_cart_line
from posapp.services.register.data import RegisterData
from posapp.services.register.receipt_activations import activation_agreements, activation_eip, activation_summaries
from posapp.services.register.refunds import find_receipt
from posapp.services.register.signatures import current_signature, strokes_of
from posapp.services.uow import UnitOfWork

_FEE_KINDS = {"government_fee": "government", "carrier_surcharge": "carrier"}
_CATEGORY_LABELS = {"device": "Devices (opened)", "accessory": "Accessories", "service": "Services",
                    "fee": "Fees"}


def _address_lines(address: str) -> tuple[str, ...]:
    """"1500 Pike St, Seattle, WA 98101" -> ("1500 Pike St", "Seattle, WA 98101")."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
    if len(parts) <= 2:
        return tuple(parts) or ("",)
    return (parts[0], ", ".join(parts[1:]))


def _mask_account(number: str) -> str:
    return "\u2022\u2022\u2022\u2022" + number[-4:] if len(number) >= 4 else "\u2022\u2022\u2022\u2022"


class ReceiptService:
    def __init__(self, *, uow: UnitOfWork, data: RegisterData) -> None:
        self._uow = uow
        self._data = data

    # ----------------------------------------------------------------- the record
    def receipt_for(self, receipt_number: str) -> ReceiptData:
        """The receipt of a completed sale or refund, built from the database."""
        with self._uow.read() as session:
            sale = find_receipt(session, receipt_number)
            if sale.status is not SaleStatus.COMPLETED or sale.completed_at is None or sale.receipt_no is None:
                raise ValidationError(f"Receipt {receipt_number.strip()} is not a completed sale.")
            return self._build(session, sale)

    def _build(self, session: Session, sale: Sale) -> ReceiptData:
        s = self._uow.core.settings
        issued = sale.completed_at
        assert issued is not None
        sign = -1 if sale.kind is SaleKind.REFUND else 1
        rep = session.get(Employee, sale.employee_id)
        account = session.get(Account, sale.account_id) if sale.account_id is not None else None
        original_no: str | None = None
        if sale.original_sale_id is not None:
            original = session.get(Sale, sale.original_sale_id)
            original_no = original.receipt_no if original is not None else None
        rule = self._data.rule(sale.jurisdiction)
        lines: list[ReceiptLine] = []
        for x in live_lines(session, sale.id):
            cart_line = to_cart_line(x)
            taxed_on_retail = cart_line.tax_base_cents(rule) != cart_line.net_cents
            lines.append(ReceiptLine(
                sku=x.sku, description=x.description, qty=sign * x.qty, unit_price_cents=x.unit_price_cents,
                line_total_cents=sign * (x.qty * x.unit_price_cents - x.discount_cents),
                discount_cents=x.discount_cents, serial=x.imei,
                serial_kind="ICCID" if x.imei is not None and len(x.imei) > 15 else "IMEI",
                full_retail_cents=(x.full_retail_cents or x.unit_price_cents) if taxed_on_retail else None))
        taxes: list[TaxLine] = []
        fees: list[FeeLine] = []
        rows = session.scalars(select(SaleTaxLine).where(SaleTaxLine.sale_id == sale.id)
                               .order_by(SaleTaxLine.created_at, SaleTaxLine.id))
        for row in rows:
            if row.kind == "tax":
                taxes.append(TaxLine(row.label, sale.jurisdiction, sign * row.amount_cents))
            else:
                fees.append(FeeLine(row.label, sign * row.amount_cents, _FEE_KINDS.get(row.kind, "government")))
        if sale.restocking_cents:
            fees.append(FeeLine("Restocking fee", sale.restocking_cents, "carrier"))
        tenders, change = self._tenders(session, sale, sign)
        fees_table = tuple(RestockingFee(_CATEGORY_LABELS.get(c.value, c.value.title()), cents)
                           for c, cents in self._data.restocking_cents.items() if cents > 0)
        policy = ReturnPolicy(days=s.return_window_days, restocking_fees=fees_table,
                              text=f"Returns within {s.return_window_days} days with this receipt.")
        return ReceiptData(
            receipt_number=sale.receipt_no or "", store_name=s.store_name,
            store_address=_address_lines(s.store_address), store_number=s.store_id, terminal=s.terminal_id,
            rep_id=rep.number if rep is not None else "?", rep_name=rep.name if rep is not None else "?",
            issued_at=issued, store_tz=s.store_timezone,
            lines=tuple(lines), tenders=tenders, taxes=tuple(taxes), fees=tuple(fees), change_due_cents=change,
            masked_account=_mask_account(account.account_number) if account is not None else None,
            eip_summary=self._eip_summary(session, sale, skip=activation_agreements(session, sale))
            + activation_eip(session, sale),
            return_policy=policy, signature=self._signature(session, sale), original_receipt_number=original_no,
            training=sale.training, activations=activation_summaries(session, sale))

    @staticmethod
    def _eip_summary(session: Session, sale: Sale, *, skip: frozenset[uuid.UUID] = frozenset()) \
            -> tuple[SummaryLine, ...]:
        """Device financing as frozen when the sale completed: balance before and after, months left. ``skip``:
        agreements this sale's activations set up (printed as the activation's EIP terms instead)."""
        out: list[SummaryLine] = []
        rows = session.scalars(select(SaleEipSnapshot).where(SaleEipSnapshot.sale_id == sale.id)
                               .order_by(SaleEipSnapshot.created_at, SaleEipSnapshot.id))
        for r in rows:
            if r.agreement_id in skip:
                continue
            monthly = f"{r.monthly_cents // 100}.{r.monthly_cents % 100:02d}"
            out.append(SummaryLine(f"Device financing, IMEI ending {r.imei_last4}", None,
                                   f"{r.months_left_before} months left before, at {monthly} a month."))
            out.append(SummaryLine("Balance before", r.balance_before_cents))
            if r.payment_cents:
                out.append(SummaryLine("Extra payment today", r.payment_cents))
            after = "Paid off." if r.balance_after_cents == 0 else \
                f"{r.months_left_after} months left (extra payments shorten the term)."
            out.append(SummaryLine("Balance after", r.balance_after_cents, after))
        return tuple(out)

    @staticmethod
    def _signature(session: Session, sale: Sale) -> Signature | None:
        """The stored signature in receipt pad units: y scaled to 0..1000, x by the pad's aspect (undistorted)."""
        row = current_signature(session, sale.id)
        if row is None:
            return None
        sx, sy = 1000.0 * row.pad_aspect, 1000.0
        strokes = tuple(tuple((x * sx, y * sy, float(t)) for x, y, t in stroke) for stroke in strokes_of(row))
        return Signature(strokes=strokes, consent_text=row.consent_text, signed_at=row.signed_at)

    @staticmethod
    def _tenders(session: Session, sale: Sale, sign: int) -> tuple[tuple[Tender, ...], int]:
        out: list[Tender] = []
        change = 0
        for t in tenders_of(session, sale.id):
            if t.state is not TenderState.APPROVED:
                continue
            if t.kind is TenderKind.CARD:
                brand, last4 = t.card_brand, t.card_last4
                if (brand is None or last4 is None) and t.original_tender_id is not None:
                    orig: TenderRow | None = session.get(TenderRow, t.original_tender_id)
                    if orig is not None:
                        brand, last4 = brand or orig.card_brand, last4 or orig.card_last4
                auth = t.auth_code[:8] if t.auth_code else None
                kind = "offline_card" if t.offline else "card"
                out.append(Tender(kind, sign * t.amount_cents, brand or "Card", last4, auth))
            elif t.kind is TenderKind.CASH and sign > 0 and t.tendered_cents is not None:
                out.append(Tender("cash", t.tendered_cents))
                change += t.change_cents or 0
            else:
                out.append(Tender(t.kind.value, sign * t.amount_cents))
        return tuple(out), change

    # ----------------------------------------------------------------- PDFs
    def default_path(self, receipt_number: str, fmt: Format) -> Path:
        return self._uow.core.paths.receipts / f"{receipt_number.strip()}-{fmt}.pdf"

    def render(self, receipt_number: str, fmt: Format | None = None, path: Path | str | None = None, *,
               actor: Actor | None = None, purpose: str = "print") -> Path:
        """Write the receipt PDF (a reprint is the same call: same content, same hash). Returns the file.

        Audited: the first render of a receipt is ``receipt.render``, every later one ``receipt.reprint`` (details:
        receipt, format, purpose — ``print`` or ``email`` for an e-mail-ready save). ``actor`` defaults to the admin
        CLI's system actor."""
        chosen = fmt or self._uow.core.settings.receipt_format
        if chosen not in FORMATS:
            raise ValidationError(f"Receipt format must be one of {', '.join(FORMATS)}.")
        receipt = self.receipt_for(receipt_number)
        out = Path(path) if path is not None else self.default_path(receipt.receipt_number, chosen)
        out.parent.mkdir(parents=True, exist_ok=True)
        render_pdf(receipt, chosen, out)
        self._audit(actor or SYSTEM_ACTOR, receipt.receipt_number, chosen, purpose)
        return out

    def save_pdf(self, actor: Actor, receipt_number: str, folder: Path | str, fmt: Format | None = None) -> Path:
        """An e-mail-ready copy: ``<folder>/<receipt_number>.pdf`` (folder created if needed). Audited like
        :meth:`render` with purpose ``email``. Returns the path."""
        number = receipt_number.strip()
        if not number or not all(ch.isalnum() or ch == "-" for ch in number):
            raise ValidationError("A receipt number is letters, digits and dashes.")
        return self.render(number, fmt, Path(folder) / f"{number}.pdf", actor=actor, purpose="email")

    def _audit(self, actor: Actor, receipt_number: str, fmt: str, purpose: str) -> None:
        with self._uow.write(actor) as tx:
            earlier = tx.session.scalar(
                select(AuditEvent.id).where(AuditEvent.entity == "receipt", AuditEvent.entity_id == receipt_number,
                                            AuditEvent.action.in_(("receipt.render", "receipt.reprint"))).limit(1))
            tx.audit("receipt.reprint" if earlier is not None else "receipt.render", entity="receipt",
                     entity_id=receipt_number, details={"format": fmt, "purpose": purpose})

    def render_count(self, receipt_number: str) -> int:
        """How many times the receipt was rendered (first render plus reprints), from the audit trail."""
        with self._uow.read() as session:
            return int(session.scalar(
                select(func.count()).select_from(AuditEvent)
                .where(AuditEvent.entity == "receipt", AuditEvent.entity_id == receipt_number.strip(),
                       AuditEvent.action.in_(("receipt.render", "receipt.reprint")))) or 0)

    def verify(self, receipt_number: str | None = None, pdf: Path | str | None = None) -> VerifyResult:
        """Check a receipt PDF against the store's record. With only a receipt number, the PDF in the receipts
        folder (thermal, else letter) is checked; with only a PDF, the record named inside it is used."""
        if pdf is None:
            if receipt_number is None:
                raise ValidationError("Give a receipt number or a PDF.")
            candidates = [self.default_path(receipt_number, f) for f in FORMATS]
            found = next((p for p in candidates if p.exists()), None)
            if found is None:
                expected = self.receipt_for(receipt_number)  # raises NotFoundError for an unknown number
                return VerifyResult(False, expected.receipt_number,
                                    problems=(f"No rendered PDF of receipt {expected.receipt_number} in "
                                              f"{self._uow.core.paths.receipts}.",))
            pdf = found
        result = verify_pdf(pdf)
        number = receipt_number or result.receipt_number
        if number is None:
            return result
        try:
            expected = self.receipt_for(number)
        except (NotFoundError, ValidationError) as exc:
            return VerifyResult(False, result.receipt_number, result.sha256, (*result.problems, str(exc)))
        checked = verify_pdf(pdf, expected=expected)
        if not checked.ok and expected.activations:
            as_printed = _with_printed_statuses(expected, pdf)
            if as_printed is not None:
                checked = verify_pdf(pdf, expected=as_printed)
        if receipt_number is not None and checked.receipt_number not in (None, expected.receipt_number):
            return VerifyResult(False, checked.receipt_number, checked.sha256,
                                (*checked.problems, f"The PDF is receipt {checked.receipt_number}, "
                                                    f"not {expected.receipt_number}."))
        return checked


def _with_printed_statuses(expected: ReceiptData, pdf: Path | str) -> ReceiptData | None:
    """``expected`` with the activation statuses the PDF was printed with, if it differs in nothing else there."""
    printed = embedded_receipt(pdf)
    if printed is None or len(printed.activations) != len(expected.activations):
        return None
    merged = tuple(replace(e, status=p.status) for e, p in zip(expected.activations, printed.activations, strict=True))
    if merged != printed.activations:
        return None
    return replace(expected, activations=merged)
