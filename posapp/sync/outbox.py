"""Writing changes to the sync outbox inside the caller's transaction (guide §4, capture)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.db.models import OutboxEntry
from posapp.db.models.base import Base
from posapp.domain.enums import OutboxOp
from posapp.ids import uuid7

#: ``sync_outbox.ack_status`` of a change kept on this terminal only, never sent (see SyncService.keep_local)
LOCAL_ONLY = "local_only"


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def row_payload(row: Base, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """All column values of a model row, JSON-ready."""
    return {c.key: _jsonable(getattr(row, c.key)) for c in row.__table__.columns if c.key not in exclude}


def record_change(
    session: Session, *, entity: str, entity_id: str, op: OutboxOp, payload: Mapping[str, Any], hlc: str,
) -> OutboxEntry:
    entry = OutboxEntry(
        change_id=uuid7(), entity=entity, entity_id=entity_id, op=op,
        payload=json.dumps(dict(payload), sort_keys=True, separators=(",", ":"), default=_jsonable),
        hlc=hlc, created_at=datetime.now(UTC),
    )
    session.add(entry)
    return entry


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.acked_at.is_(None)))
               or 0)


def last_hlc(session: Session) -> str | None:
    return session.scalar(select(func.max(OutboxEntry.hlc)))
