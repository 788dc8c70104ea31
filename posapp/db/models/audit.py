"""Hash-chained audit log (guide §5)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from posapp.db.models.base import Base


class AuditEvent(Base):
    """One audited action. ``hash`` = SHA-256 of the previous entry's hash and this entry's canonical content."""

    __tablename__ = "audit_event"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[uuid.UUID] = mapped_column(Uuid(), unique=True)
    at: Mapped[datetime]
    store_id: Mapped[str] = mapped_column(String(10))
    terminal_id: Mapped[str] = mapped_column(String(10))
    employee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    override_by: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(60))
    details: Mapped[str] = mapped_column(Text)  # canonical JSON, masked (never a PIN, card number or code)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's last entry, updated in the same transaction: removing the newest rows is detectable too."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
