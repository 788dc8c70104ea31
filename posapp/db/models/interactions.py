"""Interactions (cases) with append-only notes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from posapp.db.models.base import Base, Syncable, str_enum, uuid_pk
from posapp.domain.enums import CaseStatus, Disposition


class Interaction(Syncable, Base):
    __tablename__ = "interaction"
    id: Mapped[uuid.UUID] = uuid_pk()
    case_number: Mapped[str] = mapped_column(String(30), unique=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("account.id"), index=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("employee.id"))
    opened_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(60))
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus))
    disposition: Mapped[Disposition | None] = mapped_column(str_enum(Disposition))
    disposition_reason: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employee.id"))


class InteractionNote(Syncable, Base):
    """Append-only: the migration adds triggers that refuse UPDATE and DELETE."""

    __tablename__ = "interaction_note"
    id: Mapped[uuid.UUID] = uuid_pk()
    interaction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("interaction.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employee.id"))
    text: Mapped[str] = mapped_column(Text)
