"""The activation part of a sale's receipt: one summary per activation line of the sale's activations
(``activation.sale_id``), and the EIP summary of each financed line from its financing agreement.

What is printed (DOMAIN.md Receipts; CPNI): the line's number by its last 4 digits only, the plan and its
features, the device and its IMEI (the receipt's lines print IMEIs in full already), the SIM by the last 5 digits of
its ICCID, or "eSIM" with the code only in the masked form the line keeps (``esim_code_masked``: nothing else is
ever read). The status is the line's status when the receipt is built: every state short of active prints
"Activation pending" (an offline terminal's queued lines included); failed, rejected and on-hold lines say why.
A sale without activations gets nothing here, so its receipt (and hash) is as before.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.catalog import load_features
from posapp.db.models import DeviceModel, FinancingAgreement, Plan, Sale
from posapp.db.models.activation import Activation, ActivationLine
from posapp.domain.activation import DeviceSource, LineActivationStatus, SimKind
from posapp.domain.money import format_cents
from posapp.receipts.model import ActivationSummary, SummaryLine

_REASON_MAX = 80


def _rows(session: Session, sale_id: uuid.UUID) -> list[tuple[Activation, ActivationLine]]:
    rows = session.execute(
        select(Activation, ActivationLine).join(ActivationLine, ActivationLine.activation_id == Activation.id)
        .where(Activation.sale_id == sale_id).order_by(Activation.number, ActivationLine.line_no))
    return [(act, line) for act, line in rows]


def _status(line: ActivationLine) -> str:
    reason = (line.reason or "").strip()[:_REASON_MAX]
    why = f": {reason}" if reason else ""
    match line.status:
        case LineActivationStatus.ACTIVE:
            return "Active"
        case LineActivationStatus.FAILED:
            return f"Activation failed{why}"
        case LineActivationStatus.CANCELLED:
            return "Cancelled"
        case LineActivationStatus.REJECTED:
            return f"Activation pending (port-in rejected{why})"
        case LineActivationStatus.ON_HOLD:
            return f"Activation pending (on hold{why})"
        case _:
            return "Activation pending"


def _plan(session: Session, line: ActivationLine, feature_names: dict[str, str]) -> str:
    plan = session.get(Plan, line.plan_code) if line.plan_code else None
    name = plan.name if plan is not None else (line.plan_code or "Plan to follow")
    codes = json.loads(line.features or "[]")
    return " + ".join([name, *(feature_names.get(c, c) for c in codes)])


def _device(session: Session, line: ActivationLine) -> str:
    model = session.get(DeviceModel, line.model_code) if line.model_code else None
    name = f"{model.make} {model.model} {model.storage_gb} GB" if model is not None else "Device"
    if line.device_source is DeviceSource.OWN:
        return f"{name} (customer's own)"
    if line.device_source is DeviceSource.KEEP:
        return f"{name} (kept)"
    return name


def _sim(line: ActivationLine) -> str:
    if line.sim_kind is SimKind.ESIM:
        return f"eSIM, code {line.esim_code_masked}" if line.esim_code_masked else "eSIM"
    if line.iccid:
        return f"ICCID ending {line.iccid[-5:]}"
    return "SIM to follow"


def activation_summaries(session: Session, sale: Sale) -> tuple[ActivationSummary, ...]:
    rows = _rows(session, sale.id)
    if not rows:
        return ()
    names = {f.code: f.name for f in load_features()}
    return tuple(ActivationSummary(
        activation_number=act.number, line_no=line.line_no,
        number_last4=line.msisdn[-4:] if line.msisdn else None, plan=_plan(session, line, names),
        device=_device(session, line), imei=line.imei, sim=_sim(line), status=_status(line))
        for act, line in rows)


def activation_agreements(session: Session, sale: Sale) -> frozenset[uuid.UUID]:
    """The financing agreements this sale's activations set up (their summary is :func:`activation_eip`)."""
    return frozenset(line.agreement_id for _, line in _rows(session, sale.id)
                     if line.financed and line.agreement_id is not None)


def activation_eip(session: Session, sale: Sale) -> tuple[SummaryLine, ...]:
    """The financing agreement of each financed activation line: financed amount, down payment, months, monthly."""
    out: list[SummaryLine] = []
    for _, line in _rows(session, sale.id):
        if not line.financed or line.agreement_id is None:
            continue
        f = session.get(FinancingAgreement, line.agreement_id)
        if f is None:
            continue
        ending = f", IMEI ending {line.imei[-4:]}" if line.imei else ""
        out += [SummaryLine(f"Device financing{ending}", None,
                            f"{f.months} monthly payments of {format_cents(f.monthly_cents)}."),
                SummaryLine("Financed amount", f.financed_cents), SummaryLine("Down payment", f.down_payment_cents),
                SummaryLine("Monthly payment", f.monthly_cents, f"{f.months} months")]
    return tuple(out)
