"""Visits and identity verification (DOMAIN.md, verification; guide §5): verification is a state of the visit."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from posapp.db.models.base import Base, Syncable, str_enum, uuid_pk
from posapp.domain.enums import AlertKind, PhotoIdType, VerificationLevel, VerificationMethod


class Visit(Syncable, Base):
    """A customer at the counter: opened when the rep picks an account, ended when the rep finishes."""

    __tablename__ = "visit"
    id: Mapped[uuid.UUID] = uuid_pk()
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employee.id"))
    interaction_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("interaction.id"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    photo_id_type: Mapped[PhotoIdType | None] = mapped_column(str_enum(PhotoIdType, 30))
    photo_id_at: Mapped[datetime | None]
    pin_verified_at: Mapped[datetime | None]
    code_verified_at: Mapped[datetime | None]
    level: Mapped[VerificationLevel] = mapped_column(str_enum(VerificationLevel))


class VerificationAttempt(Syncable, Base):
    """Every verification attempt, success or failure (append-only event)."""

    __tablename__ = "verification_attempt"
    id: Mapped[uuid.UUID] = uuid_pk()
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employee.id"))
    method: Mapped[VerificationMethod] = mapped_column(str_enum(VerificationMethod))
    success: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(120))


class OneTimeCode(Syncable, Base):
    """A code sent by SMS to a line on the account. Only its scrypt hash is stored."""

    __tablename__ = "one_time_code"
    id: Mapped[uuid.UUID] = uuid_pk()
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"))
    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("line.id"))
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(64))
    code_salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    code_params: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None]
    sms_message_id: Mapped[str | None] = mapped_column(String(60))


class AlertSetting(Syncable, Base):
    """Plan-usage and bill alerts per line (line_id) or for the whole account (line_id NULL)."""

    __tablename__ = "alert_setting"
    id: Mapped[uuid.UUID] = uuid_pk()
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    line_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("line.id"))
    kind: Mapped[AlertKind] = mapped_column(str_enum(AlertKind))
    enabled: Mapped[bool] = mapped_column(Boolean)
    threshold_percent: Mapped[int | None] = mapped_column(Integer)
