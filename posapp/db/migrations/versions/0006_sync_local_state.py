"""sync_local_state: sync runs, rejected/unappliable changes, conflicts flagged by the central store

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 22:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sync_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('trigger', sa.String(length=20), nullable=False),
        sa.Column('pushed', sa.Integer(), nullable=False),
        sa.Column('duplicates', sa.Integer(), nullable=False),
        sa.Column('rejected', sa.Integer(), nullable=False),
        sa.Column('pulled', sa.Integer(), nullable=False),
        sa.Column('conflicts', sa.Integer(), nullable=False),
        sa.Column('rebuilt', sa.Text(), nullable=False),
        sa.Column('diverged', sa.Text(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_run')),
    )
    with op.batch_alter_table('sync_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_run_started_at'), ['started_at'], unique=False)
    op.create_table(
        'sync_problem',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('direction', sa.String(length=10), nullable=False),
        sa.Column('change_id', sa.String(length=40), nullable=True),
        sa.Column('entity', sa.String(length=40), nullable=False),
        sa.Column('entity_id', sa.String(length=60), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_problem')),
    )
    with op.batch_alter_table('sync_problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_problem_at'), ['at'], unique=False)
    op.create_table(
        'sync_conflict',
        sa.Column('conflict_id', sa.String(length=60), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('entity', sa.String(length=40), nullable=False),
        sa.Column('entity_id', sa.String(length=60), nullable=False),
        sa.Column('store_id', sa.String(length=10), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('detected_at', sa.String(length=40), nullable=False),
        sa.Column('resolved', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('conflict_id', name=op.f('pk_sync_conflict')),
    )
    # the pending-outbox lookups of a pull (per-field guard) and the unsynced count go by these
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_sync_outbox_entity_entity_id', ['entity', 'entity_id'], unique=False)
        batch_op.create_index('ix_sync_outbox_ack_status', ['ack_status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_outbox_ack_status')
        batch_op.drop_index('ix_sync_outbox_entity_entity_id')
    op.drop_table('sync_conflict')
    with op.batch_alter_table('sync_problem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_problem_at'))
    op.drop_table('sync_problem')
    with op.batch_alter_table('sync_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_run_started_at'))
    op.drop_table('sync_run')
