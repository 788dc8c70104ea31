"""What the register tells the activation side when its cart changes before payment.

An activation in the cart is ``pending_payment``. Taking any of its cart lines out of the sale (device, SIM kit or
eSIM, activation fee), voiding the sale or abandoning it returns the whole activation to ``draft``: its other cart
lines are taken out too, ``sale_id`` is cleared, and the order can go into another sale. Nothing of it looks paid.
Its pool numbers stay reserved for the draft (cancelling the order releases them).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from posapp.db.models import Activation, ActivationLine, Sale, SaleLine
from posapp.domain.activation import ActivationStatus, LineActivationStatus
from posapp.services.activation.paid import on_sale_completed
from posapp.services.uow import Tx


class ActivationSaleHooks:
    """The register's :class:`posapp.services.register.hooks.SaleHooks` for activations."""

    def sale_completed(self, tx: Tx, sale: Sale) -> None:
        on_sale_completed(tx, sale)

    def sale_voided(self, tx: Tx, sale: Sale) -> None:
        activation_sale_voided(tx, sale)

    def lines_removed(self, tx: Tx, sale: Sale, lines: list[SaleLine]) -> list[SaleLine]:
        return activation_lines_removed(tx, sale, lines)


def activation_lines_removed(tx: Tx, sale: Sale, lines: list[SaleLine]) -> list[SaleLine]:
    """``lines`` were taken out of ``sale``: return their activations to draft. Returns the activations' other cart
    lines, now taken out as well (the caller puts their devices back in stock)."""
    ids = {x.activation_line_id for x in lines if x.activation_line_id is not None}
    if not ids:
        return []
    acts = tx.session.scalars(select(Activation).join(ActivationLine, ActivationLine.activation_id == Activation.id)
                              .where(ActivationLine.id.in_(ids)).distinct()).all()
    out: list[SaleLine] = []
    for act in acts:
        out.extend(_take_out(tx, sale, act))
        back_to_draft(tx, act, "a line of the order was taken out of the sale")
    return out


def activation_sale_voided(tx: Tx, sale: Sale) -> None:
    """``sale`` was voided (or abandoned): its activations go back to draft."""
    for act in tx.session.scalars(select(Activation).where(Activation.sale_id == sale.id,
                                                            Activation.status == ActivationStatus.PENDING_PAYMENT)):
        back_to_draft(tx, act, "the sale was voided")


def _take_out(tx: Tx, sale: Sale, act: Activation) -> list[SaleLine]:
    ids = _line_ids(tx, act.id)
    rows = tx.session.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id, SaleLine.removed.is_(False),
                                                     SaleLine.activation_line_id.in_(ids))).all()
    for row in rows:
        row.removed = True
        tx.changed(row, fields={"removed": True})
    return list(rows)


def _line_ids(tx: Tx, activation_id: uuid.UUID) -> list[uuid.UUID]:
    return list(tx.session.scalars(select(ActivationLine.id).where(ActivationLine.activation_id == activation_id)))


def back_to_draft(tx: Tx, act: Activation, why: str) -> None:
    """A pending-payment activation becomes a draft again (no sale)."""
    if act.status is not ActivationStatus.PENDING_PAYMENT:
        return
    sale_id = act.sale_id
    act.status, act.sale_id = ActivationStatus.DRAFT, None
    tx.changed(act, fields={"status": act.status.value, "sale_id": None})
    for line in tx.session.scalars(select(ActivationLine).where(ActivationLine.activation_id == act.id)):
        if line.status is LineActivationStatus.PENDING_PAYMENT:
            line.status = LineActivationStatus.DRAFT
            tx.changed(line, fields={"status": line.status.value})
    tx.audit("activation.back_to_draft", entity="activation", entity_id=str(act.id),
             details={"number": act.number, "sale": str(sale_id), "why": why})
