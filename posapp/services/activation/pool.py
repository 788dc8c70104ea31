"""The store's number pool: numbers head office assigned to this store (synced down), picked at the counter.

A number picked for an activation line is ``reserved`` by that line until the line is active (then
``assigned``, by the provisioning side) or released (another number picked, the line removed, the order
cancelled). Every function works inside the caller's transaction (or read session) and writes through
:class:`~posapp.services.uow.Tx`, so each change is stamped and synced.
"""

from __future__ import annotations

from collections.abc import Iterable

import phonenumbers
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from posapp.db.models import ActivationLine, PoolNumber
from posapp.domain.activation import PoolStatus
from posapp.domain.identifiers import normalize_phone
from posapp.errors import ValidationError
from posapp.services.activation.dto import PoolNumberDTO
from posapp.services.uow import Tx


def display(msisdn: str) -> str:
    """``+12065550142`` -> ``(206) 555-0142`` (national format; other countries as the library formats them)."""
    return str(phonenumbers.format_number(phonenumbers.parse(msisdn, None), phonenumbers.PhoneNumberFormat.NATIONAL))


def to_dto(row: PoolNumber) -> PoolNumberDTO:
    return PoolNumberDTO(msisdn=row.msisdn, display=display(row.msisdn))


def add_numbers(tx: Tx, numbers: Iterable[str]) -> list[PoolNumber]:
    """Add numbers to the pool as ``available`` (any human format; stored E.164). A number already in the pool,
    or given twice, is refused and nothing is added."""
    normalised = [normalize_phone(n) for n in numbers]
    seen: set[str] = set()
    for n in normalised:
        if n in seen:
            raise ValidationError(f"{display(n)} is given twice.")
        seen.add(n)
    if normalised:
        taken = tx.session.scalars(select(PoolNumber.msisdn).where(PoolNumber.msisdn.in_(normalised))).all()
        if taken:
            raise ValidationError(f"Already in the pool: {', '.join(display(n) for n in sorted(taken))}.")
    rows = []
    for n in normalised:
        row = PoolNumber(msisdn=n, status=PoolStatus.AVAILABLE, reserved_by_line_id=None, reserved_at=None)
        tx.add(row)
        rows.append(row)
    return rows


def available(session: Session, area_code: str | None = None, limit: int = 20) -> list[PoolNumber]:
    """Available numbers, lowest first; ``area_code`` (3 digits, US) narrows them down."""
    q = select(PoolNumber).where(PoolNumber.status == PoolStatus.AVAILABLE)
    if area_code:
        code = "".join(ch for ch in area_code if ch.isdigit())
        if len(code) != 3:
            raise ValidationError("An area code has 3 digits.")
        q = q.where(PoolNumber.msisdn.like(f"+1{code}%"))
    return list(session.scalars(q.order_by(PoolNumber.msisdn).limit(max(limit, 0))))


def reserve(tx: Tx, msisdn: str, line: ActivationLine) -> PoolNumber:
    """Reserve ``msisdn`` for ``line`` (releasing the number the line held before). Refused unless the number is
    in the pool and available; of two terminals' transactions racing for it here, exactly one wins."""
    number = normalize_phone(msisdn)
    row = tx.session.scalar(select(PoolNumber).where(PoolNumber.msisdn == number))
    if row is None:
        raise ValidationError(f"{display(number)} is not in this store's number pool.")
    if row.reserved_by_line_id == line.id and row.status is PoolStatus.RESERVED:
        return row
    won = tx.session.execute(
        update(PoolNumber).where(PoolNumber.id == row.id, PoolNumber.status == PoolStatus.AVAILABLE)
        .values(status=PoolStatus.RESERVED, reserved_by_line_id=line.id, reserved_at=tx.now)
        .execution_options(synchronize_session="fetch")).rowcount  # type: ignore[attr-defined]
    if not won:
        raise ValidationError(f"{display(number)} is {row.status.value}; pick another number.")
    release(tx, line, keep=row.id)
    tx.changed(row, fields={"status": row.status.value, "reserved_by_line_id": str(line.id),
                            "reserved_at": tx.now.isoformat()})
    return row


def release(tx: Tx, line: ActivationLine, *, keep: object = None) -> int:
    """Put the pool numbers ``line`` holds back to ``available`` (except the row ``keep``). Returns how many."""
    rows = tx.session.scalars(select(PoolNumber).where(PoolNumber.reserved_by_line_id == line.id,
                                                       PoolNumber.status == PoolStatus.RESERVED)).all()
    n = 0
    for row in rows:
        if row.id == keep:
            continue
        row.status, row.reserved_by_line_id, row.reserved_at = PoolStatus.AVAILABLE, None, None
        tx.changed(row, fields={"status": row.status.value, "reserved_by_line_id": None, "reserved_at": None})
        n += 1
    return n


def held_by(session: Session, line: ActivationLine) -> PoolNumber | None:
    """The pool number ``line`` holds (reserved or assigned), if any."""
    return session.scalar(select(PoolNumber).where(PoolNumber.reserved_by_line_id == line.id,
                                                   PoolNumber.status.in_((PoolStatus.RESERVED,
                                                                          PoolStatus.ASSIGNED))))


def assign(tx: Tx, line: ActivationLine) -> PoolNumber | None:
    """The line is active with its pool number (the provisioning side calls this): ``reserved`` -> ``assigned``.
    Returns the row, or None when the line holds no pool number."""
    row = tx.session.scalar(select(PoolNumber).where(PoolNumber.reserved_by_line_id == line.id,
                                                     PoolNumber.status == PoolStatus.RESERVED))
    if row is None:
        return None
    row.status = PoolStatus.ASSIGNED
    tx.changed(row, fields={"status": row.status.value})
    return row
