"""central schema: change ledger, merged rows, conflicts, claims, stock, terminals, per-store pull sequence

Revision ID: c0001
Revises:
Create Date: 2026-11-22 22:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from posapp.db.types import UTCDateTime

revision: str = 'c0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "central_change",
        sa.Column("change_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(10), nullable=False),
        sa.Column("terminal_id", sa.String(10), nullable=False),
        sa.Column("terminal_seq", sa.BigInteger(), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(60), nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("hlc", sa.String(60), nullable=False),
        sa.Column("batch_id", sa.String(60), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("change_id", name="pk_central_change"),
    )
    op.create_index("ix_central_change_store_terminal", "central_change", ["store_id", "terminal_id", "terminal_seq"])
    op.create_table(
        "central_row",
        sa.Column("store_id", sa.String(10), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(60), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("field_hlc", sa.Text(), nullable=False),
        sa.Column("hlc", sa.String(60), nullable=False),
        sa.Column("origin_terminal_id", sa.String(10), nullable=False),
        sa.Column("parent_id", sa.String(60), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_seq", sa.BigInteger(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "entity", "entity_id", name="pk_central_row"),
    )
    op.create_index("ix_central_row_store_seq", "central_row", ["store_id", "seq"])
    op.create_index("ix_central_row_store_parent", "central_row", ["store_id", "parent_id"])
    op.create_table(
        "central_conflict",
        sa.Column("conflict_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(60), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("detected_at", UTCDateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("conflict_id", name="pk_central_conflict"),
    )
    op.create_index("ix_central_conflict_store", "central_conflict", ["store_id", "detected_at"])
    op.create_table(
        "central_claim",
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("claim_key", sa.String(60), nullable=False),
        sa.Column("store_id", sa.String(10), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(60), nullable=False),
        sa.Column("released", sa.Boolean(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "claim_key", "store_id", "entity", "entity_id", name="pk_central_claim"),
    )
    op.create_table(
        "central_stock",
        sa.Column("store_id", sa.String(10), nullable=False),
        sa.Column("sku", sa.String(40), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "sku", name="pk_central_stock"),
    )
    op.create_table(
        "central_terminal",
        sa.Column("store_id", sa.String(10), nullable=False),
        sa.Column("terminal_id", sa.String(10), nullable=False),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("store_id", "terminal_id", name="pk_central_terminal"),
    )
    op.create_table(
        "central_store_seq",
        sa.Column("store_id", sa.String(10), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", name="pk_central_store_seq"),
    )
    op.create_table(
        "central_store_role",
        sa.Column("role_name", sa.String(63), nullable=False),
        sa.Column("store_id", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("role_name", name="pk_central_store_role"),
    )


def downgrade() -> None:
    for name in ("central_store_role", "central_store_seq", "central_terminal", "central_stock", "central_claim",
                 "central_conflict", "central_row", "central_change"):
        op.drop_table(name)
