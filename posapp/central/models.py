"""Tables of the central store (SQLAlchemy Core; created by the central Alembic migrations, never create_all).

``store_id`` is on every table (``''`` = shared, chain-wide rows owned by head office), so that PostgreSQL
row-level security can confine a store's role to its rows, and so that every table can later be distributed by
``store_id`` on Citus.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Select,
    String,
    Table,
    Text,
    func,
    select,
    text,
)

from posapp.db.models.base import NAMING
from posapp.db.types import UTCDateTime

metadata = MetaData(naming_convention=NAMING)

VERSION_TABLE = "central_alembic_version"

#: The permanent exactly-once ledger: one row per change id ever applied, never deleted.
change = Table(
    "central_change", metadata,
    Column("change_id", String(36), primary_key=True),
    Column("store_id", String(10), nullable=False),
    Column("terminal_id", String(10), nullable=False),
    Column("terminal_seq", BigInteger, nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(60), nullable=False),
    Column("op", String(10), nullable=False),
    Column("payload", Text, nullable=False),
    Column("hlc", String(60), nullable=False),
    Column("batch_id", String(60), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

#: The merged state of every row, as terminals pull it. ``seq`` = the store's pull sequence at its last change.
row = Table(
    "central_row", metadata,
    Column("store_id", String(10), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(60), nullable=False),
    Column("data", Text),                              # JSON object: the merged columns (NULL: see data_change)
    Column("field_hlc", Text, nullable=False),         # JSON object: column -> HLC of the value held
    Column("hlc", String(60), nullable=False),         # the greatest field HLC
    Column("origin_terminal_id", String(10), nullable=False),
    Column("parent_id", String(60)),                   # for claims that depend on a parent row (sale of a line)
    Column("seq", BigInteger, nullable=False),
    Column("created_seq", BigInteger),                 # NULL until the insert arrived (an update came first)
    Column("deleted", Boolean, nullable=False, default=False),
    Column("field_recv", Text),                        # profiles: JSON column -> central HLC when received
    Column("data_change", String(36)),                 # data NULL: the row is this ledger change's payload
    PrimaryKeyConstraint("store_id", "entity", "entity_id"),
    Index("ix_central_row_store_seq", "store_id", "seq"),
    Index("ix_central_row_store_parent", "store_id", "parent_id", postgresql_where=text("parent_id IS NOT NULL"),
          sqlite_where=text("parent_id IS NOT NULL")),
)

#: A row's data: inline, or the payload of the ledger change it references (read with this, never ``row.c.data``).
ROW_DATA = func.coalesce(row.c.data, select(change.c.payload).where(change.c.change_id == row.c.data_change)
                         .scalar_subquery())


def row_select() -> Select[Any]:
    """``SELECT`` of every ``central_row`` column, ``data`` resolved (:data:`ROW_DATA`)."""
    return select(*(ROW_DATA.label("data") if c.name == "data" else c for c in row.columns))


def page_of_rows(page: Select[Any]) -> Select[Any]:
    """``page`` (a ``SELECT`` of ``central_row`` with its ``ORDER BY seq ... LIMIT``) with ``data`` resolved after
    the limit: only the page's rows look up their payload, whatever plan PostgreSQL picks for the page (a prepared
    statement's generic plan may sort every matching row before the limit)."""
    sub = page.subquery()
    payload = select(change.c.payload).where(change.c.change_id == sub.c.data_change).scalar_subquery()
    return select(*(func.coalesce(sub.c.data, payload).label("data") if c.name == "data" else c
                    for c in sub.c)).order_by(sub.c.seq)


conflict = Table(
    "central_conflict", metadata,
    Column("conflict_id", String(36), primary_key=True),
    Column("store_id", String(10), nullable=False),
    Column("kind", String(20), nullable=False),        # field_lww | uniqueness | oversell
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(60), nullable=False),
    Column("detail", Text, nullable=False),
    Column("detected_at", UTCDateTime, nullable=False),
    Column("resolved", Boolean, nullable=False, default=False),
    Index("ix_central_conflict_store", "store_id", "detected_at"),
)

#: Every claimant of a chain-wide unique key (an IMEI sold / activated). More than one live claimant = conflict.
claim = Table(
    "central_claim", metadata,
    Column("kind", String(30), nullable=False),
    Column("claim_key", String(60), nullable=False),
    Column("store_id", String(10), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(60), nullable=False),
    Column("released", Boolean, nullable=False, default=False),
    Column("claimed_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("kind", "claim_key", "store_id", "entity", "entity_id"),
)

stock = Table(
    "central_stock", metadata,
    Column("store_id", String(10), nullable=False),
    Column("sku", String(40), nullable=False),
    Column("on_hand", Integer, nullable=False),
    PrimaryKeyConstraint("store_id", "sku"),
)

terminal = Table(
    "central_terminal", metadata,
    Column("store_id", String(10), nullable=False),
    Column("terminal_id", String(10), nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime),
    PrimaryKeyConstraint("store_id", "terminal_id"),
)

#: The per-store pull sequence, incremented inside the push transaction while its row is locked.
store_seq = Table(
    "central_store_seq", metadata,
    Column("store_id", String(10), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
)

#: PostgreSQL role -> the one store it may act for (row-level security).
store_role = Table(
    "central_store_role", metadata,
    Column("role_name", String(63), primary_key=True),
    Column("store_id", String(10), nullable=False),
)

STORE_TABLES = ("central_change", "central_row", "central_conflict", "central_claim", "central_stock",
                "central_terminal", "central_store_seq")
