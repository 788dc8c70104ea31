"""Declarative base and the columns every syncable row carries (guide §3)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import Enum, MetaData, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from posapp.db.types import UTCDateTime
from posapp.ids import uuid7

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {uuid.UUID: Uuid(), datetime: UTCDateTime()}


def uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid(), primary_key=True, default=uuid7)


class Syncable:
    """Columns on every row that syncs with the central store."""

    store_id: Mapped[str] = mapped_column(String(10))
    origin_terminal_id: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    updated_hlc: Mapped[str] = mapped_column(String(40))


def str_enum(cls: type[StrEnum], length: int = 20) -> Enum:
    """A string column limited to the values of a StrEnum (CHECK constraint, no native enum type)."""
    return Enum(cls, native_enum=False, create_constraint=True, length=length,
                values_callable=lambda e: [m.value for m in e], validate_strings=True)
