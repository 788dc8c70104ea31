"""Store, terminal, employee, settings and per-terminal number sequences."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from posapp.db.models.base import Base, Syncable, str_enum, uuid_pk
from posapp.domain.enums import Role


class Store(Base):
    __tablename__ = "store"
    id: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    tax_jurisdiction: Mapped[str] = mapped_column(String(40))


class Terminal(Base):
    __tablename__ = "terminal"
    store_id: Mapped[str] = mapped_column(ForeignKey("store.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    registered_at: Mapped[datetime]


class Employee(Syncable, Base):
    __tablename__ = "employee"
    id: Mapped[uuid.UUID] = uuid_pk()
    number: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    pin_hash: Mapped[bytes] = mapped_column(LargeBinary(64))
    pin_salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    pin_params: Mapped[str] = mapped_column(String(40))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    pin_changed_at: Mapped[datetime]


class Setting(Base):
    """A terminal setting (declared in posapp.config); value is JSON text."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(10))


class NumberSequence(Base):
    """Per-terminal counters for human-facing numbers (receipt, case): STORE-TERMINAL-SEQUENCE."""

    __tablename__ = "number_sequence"
    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    next_value: Mapped[int] = mapped_column(Integer, default=1)
