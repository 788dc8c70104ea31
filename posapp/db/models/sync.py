"""The sync outbox and sync state (guide §4)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from posapp.db.models.base import Base, str_enum
from posapp.domain.enums import OutboxOp


class OutboxEntry(Base):
    """A change to ship to the central store, written in the same transaction as the change itself."""

    __tablename__ = "sync_outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[uuid.UUID] = mapped_column(Uuid(), unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(60))
    op: Mapped[OutboxOp] = mapped_column(str_enum(OutboxOp, 10))
    payload: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime]
    acked_at: Mapped[datetime | None] = mapped_column(index=True)
    ack_status: Mapped[str | None] = mapped_column(String(20))


class SyncState(Base):
    """Key/value state of the sync engine (pull cursor, last run)."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
