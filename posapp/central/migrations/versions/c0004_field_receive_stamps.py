"""central_row.field_recv: per field of a profile row, the central HLC when the value held was received

Revision ID: c0004
Revises: c0003
Create Date: 2026-11-22 23:40:00

An edit whose HLC is below the receive stamp of the value it replaces cannot have seen that value (every pull
moves a terminal's clock past the centre's), so the replaced value is logged as a concurrent ``field_lww`` loser.
NULL (rows written before this revision, head-office loads) = unknown: nothing is logged for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c0004'
down_revision: str | None = 'c0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("central_row") as batch:
        batch.add_column(sa.Column("field_recv", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("central_row") as batch:
        batch.drop_column("field_recv")
