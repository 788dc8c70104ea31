"""The SIM of a line: a physical SIM by its ICCID (Luhn; an 18-digit one is completed with its check digit) or an
eSIM by the device's EID (mod 97), only on an eSIM-capable device. SIM Protection on the line refuses a change."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db.models import ActivationLine, Device, DeviceModel, Line
from posapp.domain.activation import OPEN_LINE_STATUSES, ActivationKind, DeviceSource, SimKind
from posapp.domain.identifiers import digits_only, eid_is_valid, iccid_complete
from posapp.errors import ValidationError
from posapp.services.activation.dto import ActivationDTO
from posapp.services.activation.editing import editing
from posapp.services.activation.views import activation_dto, line_of
from posapp.services.dto import Actor
from posapp.services.uow import UnitOfWork

PROTECTED = ("SIM Protection is on for this line: the primary account holder must remove it before the SIM can "
             "be changed.")


def _esim_capable(s: Session, line: ActivationLine) -> bool:
    if line.device_source is DeviceSource.KEEP:
        dev = s.scalar(select(Device).where(Device.line_id == line.line_id).limit(1)) if line.line_id else None
        model = s.get(DeviceModel, dev.model_code) if dev is not None else None
    else:
        if line.model_code is None:
            raise ValidationError("Scan the device first: an eSIM needs an eSIM-capable device.")
        model = s.get(DeviceModel, line.model_code)
    return bool(model and model.esim_capable)


def _iccid(text: str | None) -> tuple[str, str | None]:
    if not text or not text.strip():
        raise ValidationError("Scan the SIM card's ICCID.")
    full = iccid_complete(text)
    if full is None:
        raise ValidationError("This is not an ICCID (89…, 19 to 22 digits with a correct check digit); scan it "
                              "again.")
    note = f"The ICCID had 18 digits; its check digit was added: …{full[-5:]}." \
        if len(digits_only(text)) == len(full) - 1 else None
    return full, note


def _iccid_in_use(s: Session, line: ActivationLine, iccid: str) -> str | None:
    """A physical SIM belongs to one line. (An EID is the device's chip: a dual-eSIM device may hold several
    lines' profiles, so it is not unique.)"""
    if s.scalar(select(Line.id).where(Line.iccid == iccid, Line.id != line.line_id).limit(1)) is not None:
        return "This SIM is already on another line."
    other = s.scalar(select(ActivationLine.id).where(ActivationLine.iccid == iccid, ActivationLine.id != line.id,
                                                     ActivationLine.status.in_(OPEN_LINE_STATUSES)).limit(1))
    return "This SIM is already on another open activation." if other is not None else None


def set_sim(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, line_no: int, *, kind: SimKind,
            iccid: str | None = None, eid: str | None = None) -> ActivationDTO:
    kind = SimKind(kind)
    note: str | None = None
    if kind is SimKind.PHYSICAL:
        iccid, note = _iccid(iccid)
        eid = None
    else:
        eid = digits_only(eid or "")
        if not eid_is_valid(eid):
            raise ValidationError("This is not an EID (32 digits with correct check digits); read it from the "
                                  "device (Settings, About) again.")
        iccid = None
    with editing(uow, actor, activation_id) as (tx, act):
        line = line_of(tx.session, act, line_no)
        existing = tx.session.get(Line, line.line_id) if line.line_id else None
        if existing is not None and existing.sim_protection:
            raise ValidationError(PROTECTED)
        if kind is SimKind.ESIM and not _esim_capable(tx.session, line):
            raise ValidationError("This device cannot take an eSIM; use a physical SIM.")
        if act.kind is ActivationKind.SIM_CHANGE and existing is not None and \
                (iccid or eid) in (existing.iccid, existing.eid):
            raise ValidationError("That is the line's current SIM; scan the new one.")
        problem = _iccid_in_use(tx.session, line, iccid) if iccid else None
        if problem:
            raise ValidationError(problem)
        line.sim_kind, line.iccid, line.eid = kind, iccid, eid
        tx.changed(line)
        tx.audit("activation.set_sim", entity="activation", entity_id=str(act.id),
                 details={"line": line_no, "kind": kind.value, "iccid": f"…{iccid[-5:]}" if iccid else None,
                          "eid": f"…{eid[-5:]}" if eid else None})
        return activation_dto(tx.session, act, (note,) if note else ())
