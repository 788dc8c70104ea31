"""central_change: drop ix_central_change_store_terminal

Revision ID: c0005
Revises: c0004
Create Date: 2026-11-23 01:00:00

Nothing reads the ledger by (store, terminal, terminal seq): pushes find changes by their id (the primary key), pulls
and digests read ``central_row``. The index cost a quarter of the ledger insert in ``bench sync``. An auditor who
needs a terminal's changes in order can create it again (``CREATE INDEX CONCURRENTLY``) without blocking pushes.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = 'c0005'
down_revision: str | None = 'c0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_central_change_store_terminal", table_name="central_change")


def downgrade() -> None:
    op.create_index("ix_central_change_store_terminal", "central_change", ["store_id", "terminal_id", "terminal_seq"])
