"""sale_line.activation_line_id: the activation line a cart line was put in for (device, SIM kit or eSIM,
activation fee), so taking it out of the cart or voiding the sale returns the activation to draft

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, no batch table copy: a copy would drop sale_line's append-only triggers (0003). SQLite
    # cannot add a constraint to a table, but takes REFERENCES inline in ADD COLUMN.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE sale_line ADD COLUMN activation_line_id CHAR(32) '
                   'REFERENCES activation_line (id)')
    else:
        op.add_column('sale_line', sa.Column('activation_line_id', sa.Uuid(), nullable=True))
        op.create_foreign_key(op.f('fk_sale_line_activation_line_id_activation_line'), 'sale_line',
                              'activation_line', ['activation_line_id'], ['id'])
    op.create_index(op.f('ix_sale_line_activation_line_id'), 'sale_line', ['activation_line_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sale_line_activation_line_id'), table_name='sale_line')
    op.drop_column('sale_line', 'activation_line_id')
