"""The sync outbox and sync state (guide §4)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from posapp.db.models.base import Base, str_enum
from posapp.domain.enums import OutboxOp


class OutboxEntry(Base):
    """A change to ship to the central store, written in the same transaction as the change itself."""

    __tablename__ = "sync_outbox"
    __table_args__ = (Index("ix_sync_outbox_entity_entity_id", "entity", "entity_id"),
                      Index("ix_sync_outbox_ack_status", "ack_status"))
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


class SyncRun(Base):
    """One sync run (push, pull, convergence check) as the terminal saw it; read by the status bar and dialog."""

    __tablename__ = "sync_run"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    ok: Mapped[bool] = mapped_column(default=False)
    trigger: Mapped[str] = mapped_column(String(20), default="manual")
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    pulled: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    rebuilt: Mapped[str] = mapped_column(Text, default="")        # entities rebuilt after a digest mismatch
    diverged: Mapped[str] = mapped_column(Text, default="")       # entities still differing after the rebuild
    error: Mapped[str | None] = mapped_column(Text)


class SyncProblem(Base):
    """A change the central store rejected for good (direction ``push``), or a pulled row that could not be
    applied locally (direction ``pull``). Kept with the reason and shown to a manager; never retried forever."""

    __tablename__ = "sync_problem"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    direction: Mapped[str] = mapped_column(String(10))
    change_id: Mapped[str | None] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(index=True)


class SyncConflict(Base):
    """A conflict the central store flagged for this store (copied locally so the UI never waits on the network)."""

    __tablename__ = "sync_conflict"
    conflict_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(60))
    store_id: Mapped[str] = mapped_column(String(10))
    detail: Mapped[str] = mapped_column(Text)
    detected_at: Mapped[str] = mapped_column(String(40))
    resolved: Mapped[bool] = mapped_column(default=False)


class SyncHeldRow(Base):
    """A pulled row held back because it collides with a local unique key (another row here has the same
    employee number, phone number or IMEI). Its data waits here, outside the entity's table, until the collision is
    resolved; the next run then writes it. Flagged as a ``local_unique`` row in :class:`SyncConflict`."""

    __tablename__ = "sync_held_row"
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    data: Mapped[str] = mapped_column(Text)              # the row as pulled (JSON), written once the key is free
    hlc: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(40))         # the colliding column
    value: Mapped[str] = mapped_column(String(120))
    local_id: Mapped[str] = mapped_column(String(60))    # the local row that has the value
    held_at: Mapped[datetime]
