"""sale.training: a sale completed in training mode (its receipt says TRAINING, on every reprint too)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Sales of earlier releases were printed without the label: false keeps their receipts (and hashes) as they are.
    op.add_column('sale', sa.Column('training', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.drop_column('sale', 'training')
