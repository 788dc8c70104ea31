"""The customer's on-screen signature of a sale, with the ESIGN consent (DOMAIN.md, Receipts).

Flow: the customer window shows :meth:`SignatureService.consent_text`; the customer accepts it (the UI notes the
time) and signs; the UI calls :meth:`SignatureService.capture` with the strokes, the consent text shown and the
time of consent. ``finish_sale`` (completion, same transaction) refuses a sale that
:func:`posapp.domain.signature.signature_required` says needs a signature when there is none, or when the
signature was given for another amount than the one now due (the cart changed after signing).

One signature per sale: signing again while the sale is open adds a new row that supersedes the previous one
(rows are append-only); the current signature is the one nothing supersedes. A completed sale cannot be re-signed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db.models import Sale, SaleLine, SaleSignature, Tender
from posapp.domain.register import SaleKind, TenderKind, TenderState
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
from posapp.security.permissions import Permission
from posapp.services.dto import Actor
from posapp.services.register.account_payments import EIP_SKU
from posapp.services.register.common import get_sale, live_lines, open_sale, sale_dto, tenders_of
from posapp.services.register.data import RegisterData
from posapp.services.register.dto import SignatureDTO, SignatureStatus
from posapp.services.uow import UnitOfWork

CLOCK_SKEW = timedelta(minutes=2)


def facts_for(lines: Sequence[SaleLine], tenders: Sequence[Tender], sale: Sale, due_cents: int) -> SignatureFacts:
    return SignatureFacts(
        is_refund=sale.kind is SaleKind.REFUND,
        has_device=any(x.inventory_id is not None for x in lines),
        has_eip_payment=any(x.sku == EIP_SKU for x in lines),
        has_card_tender=any(t.kind is TenderKind.CARD and t.state is not TenderState.DECLINED for t in tenders),
        due_cents=due_cents)


def current_signature(session: Session, sale_id: uuid.UUID) -> SaleSignature | None:
    """The sale's signature that no later capture superseded."""
    rows = list(session.scalars(select(SaleSignature).where(SaleSignature.sale_id == sale_id)))
    superseded = {r.supersedes_id for r in rows}
    live = [r for r in rows if r.id not in superseded]
    return live[0] if live else None


def strokes_of(row: SaleSignature) -> tuple[tuple[tuple[float, float, int], ...], ...]:
    raw = json.loads(row.strokes_json)
    return tuple(tuple((float(p[0]), float(p[1]), int(p[2])) for p in stroke) for stroke in raw)


def signature_dto(row: SaleSignature) -> SignatureDTO:
    return SignatureDTO(id=row.id, sale_id=row.sale_id, strokes=strokes_of(row), pad_aspect=row.pad_aspect,
                        consent_text=row.consent_text, consented_at=row.consented_at, signed_at=row.signed_at,
                        amount_cents=row.amount_cents, has_png=row.png is not None,
                        supersedes_id=row.supersedes_id)


def check_signed(session: Session, sale: Sale, lines: Sequence[SaleLine], tenders: Sequence[Tender],
                 due_cents: int, threshold_cents: int) -> None:
    """Raise ValidationError when the sale needs a signature it does not have (called by ``finish_sale``)."""
    facts = facts_for(lines, tenders, sale, due_cents)
    if not signature_required(facts, threshold_cents):
        return
    row = current_signature(session, sale.id)
    why = ", ".join(signature_reasons(facts, threshold_cents))
    if row is None:
        raise ValidationError(f"The customer has not signed yet: this sale needs a signature ({why}). "
                              "Ask the customer to sign on the customer window.")
    if row.amount_cents != due_cents:
        raise ValidationError(f"The customer signed for {row.amount_cents / 100:.2f} but {due_cents / 100:.2f} is "
                              "now due: the sale changed after signing. Ask the customer to sign again.")


class SignatureService:
    def __init__(self, *, uow: UnitOfWork, data: RegisterData) -> None:
        self._uow = uow
        self._data = data

    def consent_text(self) -> str:
        """The ESIGN consent the customer must accept before signing (paper available, how to withdraw, scope)."""
        return CONSENT_TEXT

    def status(self, sale_id: uuid.UUID) -> SignatureStatus:
        with self._uow.read() as session:
            sale = get_sale(session, sale_id)
            due = sale_dto(session, sale, self._data).due_cents
            facts = facts_for(live_lines(session, sale.id), tenders_of(session, sale.id), sale, due)
            threshold = self._uow.core.settings.signature_threshold_cents
            row = current_signature(session, sale.id)
            return SignatureStatus(sale_id=sale.id, required=signature_required(facts, threshold),
                                   reasons=signature_reasons(facts, threshold),
                                   signed=row is not None and row.amount_cents == due,
                                   stale=row is not None and row.amount_cents != due)

    def required(self, sale_id: uuid.UUID) -> bool:
        """Whether this sale needs the customer's signature before it can complete (rule:
        :func:`posapp.domain.signature.signature_required`). Ask again after tenders change: a card payment makes
        a signature necessary."""
        return self.status(sale_id).required

    def current(self, sale_id: uuid.UUID) -> SignatureDTO | None:
        """The sale's current signature, or None."""
        with self._uow.read() as session:
            get_sale(session, sale_id)
            row = current_signature(session, sale_id)
            return signature_dto(row) if row is not None else None

    def capture(self, actor: Actor, sale_id: uuid.UUID, *, strokes: Sequence[Sequence[tuple[float, float, int]]],
                consent_text: str, consented_at: datetime, pad_aspect: float = 3.0,
                png: bytes | None = None) -> SignatureDTO:
        """Store the customer's signature for an open sale (replacing an earlier one by a superseding row).

        ``strokes``: at least one stroke of at least 2 points ``(x, y, t_ms)``, x and y within 0..1 of the pad
        (y down), t never decreasing. ``consent_text`` must be exactly :meth:`consent_text` (what was shown);
        ``consented_at`` an aware time, not in the future and not before the sale was opened. ``pad_aspect``:
        the pad's width / height. ``png``: the pad's own rendering; without one a PNG is drawn from the strokes.
        """
        clean = validate_strokes(strokes)
        if consent_text != CONSENT_TEXT:
            raise ValidationError("The consent text does not match the current consent: show the customer the "
                                  "current text and ask them to accept it again.")
        if consented_at.tzinfo is None or consented_at.utcoffset() is None:
            raise ValidationError("The time of consent must carry a time zone.")
        if not 0.2 <= pad_aspect <= 20.0:
            raise ValidationError("The pad's width / height must be between 0.2 and 20.")
        image = check_png(png) if png is not None else render_png(
            clean, width=600, height=max(30, round(600 / pad_aspect)))
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            if consented_at > tx.now + CLOCK_SKEW:
                raise ValidationError("The time of consent is in the future.")
            if consented_at < sale.created_at - CLOCK_SKEW:
                raise ValidationError("The consent was given before this sale was opened.")
            previous = current_signature(tx.session, sale.id)
            due = sale_dto(tx.session, sale, self._data).due_cents
            row = SaleSignature(sale_id=sale.id, supersedes_id=previous.id if previous is not None else None,
                                strokes_json=json.dumps([[list(p) for p in s] for s in clean],
                                                        separators=(",", ":")),
                                pad_aspect=float(pad_aspect), amount_cents=due, consent_text=consent_text,
                                consented_at=consented_at, signed_at=tx.now, png=image,
                                employee_id=actor.employee_id)
            tx.add(row)
            tx.audit("sale.signature", entity="sale", entity_id=str(sale.id),
                     details={"strokes": len(clean), "points": sum(len(s) for s in clean), "amount": due,
                              "replaces": str(previous.id) if previous is not None else None})
            return signature_dto(row)
