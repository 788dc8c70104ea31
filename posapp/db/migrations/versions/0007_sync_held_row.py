"""sync_held_row: pulled rows held back by a collision with a local unique key (issue 10 section 5)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sync_held_row',
        sa.Column('entity', sa.String(length=40), nullable=False),
        sa.Column('entity_id', sa.String(length=60), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('hlc', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('value', sa.String(length=120), nullable=False),
        sa.Column('local_id', sa.String(length=60), nullable=False),
        sa.Column('held_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('entity', 'entity_id', name=op.f('pk_sync_held_row')),
    )


def downgrade() -> None:
    op.drop_table('sync_held_row')
