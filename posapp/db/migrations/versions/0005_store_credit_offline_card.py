"""store credit ledger, offline (store-and-forward) card payments, EIP snapshots for receipts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 22:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NO = "SELECT RAISE(ABORT, 'register rows are append-only')"
APPEND_ONLY = {
    f"{table}_no_{what}": f"BEFORE {what.upper()} ON {table} BEGIN {_NO}; END"
    for table in ("offline_forward", "store_credit_entry", "sale_eip_snapshot") for what in ("update", "delete")
}



def _sync_columns() -> list[sa.Column[object]]:
    return [sa.Column('store_id', sa.String(length=10), nullable=False),
            sa.Column('origin_terminal_id', sa.String(length=10), nullable=False),
            sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('updated_hlc', sa.String(length=40), nullable=False)]


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): a batch rebuild of ``tender`` would drop its append-only triggers.
    op.add_column('tender', sa.Column('offline', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('tender', sa.Column('forward_by', sa.DateTime(timezone=True), nullable=True))
    op.create_table('offline_forward',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tender_id', sa.Uuid(), nullable=False),
    sa.Column('result', sa.Enum('settled', 'declined', name='forwardresult', native_enum=False,
                                create_constraint=True, length=20), nullable=False),
    sa.Column('auth_code', sa.String(length=12), nullable=True),
    sa.Column('decline_reason', sa.String(length=80), nullable=True),
    sa.Column('forwarded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('employee_id', sa.Uuid(), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_offline_forward_employee_id_employee')),
    sa.ForeignKeyConstraint(['tender_id'], ['tender.id'], name=op.f('fk_offline_forward_tender_id_tender')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_forward')),
    sa.UniqueConstraint('tender_id', name=op.f('uq_offline_forward_tender_id'))
    )
    op.create_table('store_credit_entry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('sale_id', sa.Uuid(), nullable=True),
    sa.Column('tender_id', sa.Uuid(), nullable=True),
    sa.Column('employee_id', sa.Uuid(), nullable=True),
    *_sync_columns(),
    sa.CheckConstraint('(customer_id IS NULL) != (account_id IS NULL)', name=op.f('ck_store_credit_entry_one_holder')),
    sa.CheckConstraint('amount_cents != 0', name=op.f('ck_store_credit_entry_amount_not_zero')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_store_credit_entry_account_id_account')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'],
                            name=op.f('fk_store_credit_entry_customer_id_customer')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'],
                            name=op.f('fk_store_credit_entry_employee_id_employee')),
    sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_store_credit_entry_sale_id_sale')),
    sa.ForeignKeyConstraint(['tender_id'], ['tender.id'], name=op.f('fk_store_credit_entry_tender_id_tender')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_credit_entry'))
    )
    with op.batch_alter_table('store_credit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_store_credit_entry_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_store_credit_entry_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_store_credit_entry_sale_id'), ['sale_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_store_credit_entry_tender_id'), ['tender_id'], unique=False)
    op.create_table('sale_eip_snapshot',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('sale_id', sa.Uuid(), nullable=False),
    sa.Column('agreement_id', sa.Uuid(), nullable=False),
    sa.Column('imei_last4', sa.String(length=4), nullable=False),
    sa.Column('payment_cents', sa.Integer(), nullable=False),
    sa.Column('balance_before_cents', sa.Integer(), nullable=False),
    sa.Column('balance_after_cents', sa.Integer(), nullable=False),
    sa.Column('monthly_cents', sa.Integer(), nullable=False),
    sa.Column('months_left_before', sa.Integer(), nullable=False),
    sa.Column('months_left_after', sa.Integer(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['agreement_id'], ['financing_agreement.id'],
                            name=op.f('fk_sale_eip_snapshot_agreement_id_financing_agreement')),
    sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_sale_eip_snapshot_sale_id_sale')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_eip_snapshot'))
    )
    with op.batch_alter_table('sale_eip_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_eip_snapshot_sale_id'), ['sale_id'], unique=False)
    for name, body in APPEND_ONLY.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('sale_eip_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_eip_snapshot_sale_id'))
    op.drop_table('sale_eip_snapshot')
    with op.batch_alter_table('store_credit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_store_credit_entry_tender_id'))
        batch_op.drop_index(batch_op.f('ix_store_credit_entry_sale_id'))
        batch_op.drop_index(batch_op.f('ix_store_credit_entry_customer_id'))
        batch_op.drop_index(batch_op.f('ix_store_credit_entry_account_id'))
    op.drop_table('store_credit_entry')
    op.drop_table('offline_forward')
    op.drop_column('tender', 'forward_by')
    op.drop_column('tender', 'offline')
