"""The activation lines and where each stands with the carrier (``posapp-admin activation list``). No secrets:
the number is masked, an eSIM code never exists here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from posapp.db.models import Activation, ActivationLine
from posapp.domain.activation import LineActivationStatus
from posapp.services.uow import UnitOfWork


@dataclass(frozen=True)
class QueueLine:
    activation: str  # the activation's number
    line_no: int
    status: str
    number: str  # masked: last 4 digits
    plan: str | None
    reason: str | None


def mask_number(msisdn: str | None) -> str:
    return f"•••-•••-{msisdn[-4:]}" if msisdn and len(msisdn) >= 4 else "—"


def list_lines(uow: UnitOfWork, status: LineActivationStatus | None = None, *, limit: int = 500) -> list[QueueLine]:
    query = (select(Activation.number, ActivationLine)
             .join(Activation, Activation.id == ActivationLine.activation_id)
             .order_by(Activation.number, ActivationLine.line_no).limit(limit))
    if status is not None:
        query = query.where(ActivationLine.status == status)
    with uow.read() as s:
        return [QueueLine(number, line.line_no, line.status.value, mask_number(line.msisdn), line.plan_code,
                          line.reason) for number, line in s.execute(query).all()]
