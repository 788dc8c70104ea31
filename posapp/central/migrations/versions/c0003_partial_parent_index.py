"""central_row parent index only for rows that have a parent link (rows that can hold a claim)

Revision ID: c0003
Revises: c0002
Create Date: 2026-11-22 23:30:00

Most rows have no ``parent_id``; a partial index skips them, so a push does not pay an index entry per row.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c0003'
down_revision: str | None = 'c0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_central_row_store_parent", table_name="central_row")
    op.create_index("ix_central_row_store_parent", "central_row", ["store_id", "parent_id"],
                    postgresql_where=sa.text("parent_id IS NOT NULL"), sqlite_where=sa.text("parent_id IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_central_row_store_parent", table_name="central_row")
    op.create_index("ix_central_row_store_parent", "central_row", ["store_id", "parent_id"])
