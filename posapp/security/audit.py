"""The hash-chained audit log.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical content. The chain head
(last seq and hash) is kept in ``audit_head`` in the same transaction, so editing a row, removing a row from the
middle, or removing the newest rows are all detected by :func:`verify_chain`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db.models import AuditEvent, AuditHead
from posapp.ids import uuid7

GENESIS = "0" * 64


def canonical_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _content(e: AuditEvent) -> str:
    at = e.at.astimezone(UTC).isoformat(timespec="microseconds")
    return canonical_json({
        "seq": e.seq, "id": str(e.id), "at": at, "store": e.store_id, "terminal": e.terminal_id,
        "employee": str(e.employee_id) if e.employee_id else None,
        "override_by": str(e.override_by) if e.override_by else None,
        "action": e.action, "entity": e.entity, "entity_id": e.entity_id, "details": e.details,
    })


def entry_hash(prev_hash: str, e: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + "\n" + _content(e)).encode()).hexdigest()


def append(
    session: Session, *, store_id: str, terminal_id: str, employee_id: uuid.UUID | None, action: str,
    entity: str, entity_id: str, details: Mapping[str, Any] | None = None,
    override_by: uuid.UUID | None = None, at: datetime | None = None,
) -> AuditEvent:
    """Append one entry inside the caller's (write) transaction."""
    head = session.get(AuditHead, 1)
    prev_seq, prev_hash = (head.seq, head.hash) if head else (0, GENESIS)
    event = AuditEvent(
        seq=prev_seq + 1, id=uuid7(), at=at or datetime.now(UTC), store_id=store_id, terminal_id=terminal_id,
        employee_id=employee_id, override_by=override_by, action=action, entity=entity, entity_id=entity_id,
        details=canonical_json(details or {}), prev_hash=prev_hash, hash="",
    )
    event.hash = entry_hash(prev_hash, event)
    session.add(event)
    if head is None:
        session.add(AuditHead(id=1, seq=event.seq, hash=event.hash))
    else:
        head.seq, head.hash = event.seq, event.hash
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""


def _iter_events(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def verify_chain(session: Session) -> ChainReport:
    expected_seq = 1
    prev_hash = GENESIS
    count = 0
    for e in _iter_events(session):
        if e.seq != expected_seq:
            return ChainReport(False, count, expected_seq,
                               f"entry {expected_seq} is missing (next entry found is {e.seq})")
        if e.prev_hash != prev_hash:
            return ChainReport(False, count, e.seq, f"entry {e.seq} does not link to entry {e.seq - 1}")
        if entry_hash(prev_hash, e) != e.hash:
            return ChainReport(False, count, e.seq, f"entry {e.seq} ({e.action}) was altered")
        prev_hash = e.hash
        expected_seq += 1
        count += 1
    head = session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != count or head_hash != prev_hash:
        return ChainReport(False, count, count + 1,
                           f"entries after {count} were removed (the chain head says {head_seq} entries)")
    return ChainReport(True, count)
