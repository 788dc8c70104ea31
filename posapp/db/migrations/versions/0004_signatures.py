"""signatures: the customer's on-screen signature of a sale with the ESIGN consent text (append-only)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 22:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NO = "SELECT RAISE(ABORT, 'signatures are append-only')"
APPEND_ONLY = {
    "sale_signature_no_update": f"BEFORE UPDATE ON sale_signature BEGIN {_NO}; END",
    "sale_signature_no_delete": f"BEFORE DELETE ON sale_signature BEGIN {_NO}; END",
}


def upgrade() -> None:
    op.create_table('sale_signature',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('sale_id', sa.Uuid(), nullable=False),
    sa.Column('supersedes_id', sa.Uuid(), nullable=True),
    sa.Column('strokes_json', sa.Text(), nullable=False),
    sa.Column('pad_aspect', sa.Float(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('png', sa.LargeBinary(), nullable=True),
    sa.Column('employee_id', sa.Uuid(), nullable=True),
    sa.Column('store_id', sa.String(length=10), nullable=False),
    sa.Column('origin_terminal_id', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_hlc', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_sale_signature_employee_id_employee')),
    sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_sale_signature_sale_id_sale')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['sale_signature.id'],
                            name=op.f('fk_sale_signature_supersedes_id_sale_signature')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_signature')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_sale_signature_supersedes_id'))
    )
    with op.batch_alter_table('sale_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_signature_sale_id'), ['sale_id'], unique=False)
    for name, body in APPEND_ONLY.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('sale_signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_signature_sale_id'))
    op.drop_table('sale_signature')
