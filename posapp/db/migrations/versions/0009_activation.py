"""activation: activations and their lines, port-ins, the store's number pool, the carrier's outbound queue and
its answers, plan changes; line.features

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 17:14:13.947404
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import posapp.db.types

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('activation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('kind', sa.Enum('new_account', 'add_line', 'upgrade', 'sim_change', 'byod', name='activationkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('status', sa.Enum('draft', 'pending_payment', 'queued', 'completed', 'cancelled', name='activationstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('visit_id', sa.Uuid(), nullable=True),
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('sale_id', sa.Uuid(), nullable=True),
    sa.Column('case_number', sa.String(length=30), nullable=True),
    sa.Column('training', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('paid_at', posapp.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', posapp.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('store_id', sa.String(length=10), nullable=False),
    sa.Column('origin_terminal_id', sa.String(length=10), nullable=False),
    sa.Column('created_at', posapp.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_hlc', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_activation_account_id_account')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_activation_customer_id_customer')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_activation_employee_id_employee')),
    sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_activation_sale_id_sale')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_activation_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activation')),
    sa.UniqueConstraint('number', name=op.f('uq_activation_number'))
    )
    with op.batch_alter_table('activation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activation_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activation_sale_id'), ['sale_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activation_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_activation_visit_id'), ['visit_id'], unique=False)

    op.create_table('plan_change',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('line_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('visit_id', sa.Uuid(), nullable=True),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('old_plan_code', sa.String(length=20), nullable=False),
    sa.Column('new_plan_code', sa.String(length=20), nullable=False),
    sa.Column('old_features', sa.Text(), nullable=False),
    sa.Column('new_features', sa.Text(), nullable=False),
    sa.Column('timing', sa.Enum('now', 'next_cycle', name='changetiming', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('credit_cents', sa.Integer(), nullable=False),
    sa.Column('charge_cents', sa.Integer(), nullable=False),
    sa.Column('autopay_delta_cents', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('applied', 'scheduled', 'cancelled', name='planchangestatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('store_id', sa.String(length=10), nullable=False),
    sa.Column('origin_terminal_id', sa.String(length=10), nullable=False),
    sa.Column('created_at', posapp.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_hlc', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_plan_change_account_id_account')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_plan_change_employee_id_employee')),
    sa.ForeignKeyConstraint(['line_id'], ['line.id'], name=op.f('fk_plan_change_line_id_line')),
    sa.ForeignKeyConstraint(['new_plan_code'], ['plan.code'], name=op.f('fk_plan_change_new_plan_code_plan')),
    sa.ForeignKeyConstraint(['old_plan_code'], ['plan.code'], name=op.f('fk_plan_change_old_plan_code_plan')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_plan_change_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_change'))
    )
    with op.batch_alter_table('plan_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_change_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_change_line_id'), ['line_id'], unique=False)

    op.create_table('activation_line',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('activation_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'pending_payment', 'queued', 'submitted', 'in_progress', 'on_hold', 'rejected', 'active', 'failed', 'cancelled', name='lineactivationstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('line_id', sa.Uuid(), nullable=True),
    sa.Column('number_source', sa.Enum('pool', 'port_in', 'existing', name='numbersource', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('msisdn', sa.String(length=16), nullable=True),
    sa.Column('plan_code', sa.String(length=20), nullable=True),
    sa.Column('features', sa.Text(), nullable=False),
    sa.Column('device_source', sa.Enum('store', 'own', 'keep', name='devicesource', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('imei', sa.String(length=15), nullable=True),
    sa.Column('imei2', sa.String(length=15), nullable=True),
    sa.Column('model_code', sa.String(length=30), nullable=True),
    sa.Column('inventory_id', sa.Uuid(), nullable=True),
    sa.Column('block_checked_at', posapp.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('block_result', sa.String(length=20), nullable=True),
    sa.Column('sim_kind', sa.Enum('physical', 'esim', name='simkind', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('iccid', sa.String(length=22), nullable=True),
    sa.Column('eid', sa.String(length=32), nullable=True),
    sa.Column('esim_code_masked', sa.String(length=120), nullable=True),
    sa.Column('financed', sa.Boolean(), nullable=False),
    sa.Column('down_payment_cents', sa.Integer(), nullable=False),
    sa.Column('eip_months', sa.Integer(), nullable=True),
    sa.Column('agreement_id', sa.Uuid(), nullable=True),
    sa.Column('activated_at', posapp.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('store_id', sa.String(length=10), nullable=False),
    sa.Column('origin_terminal_id', sa.String(length=10), nullable=False),
    sa.Column('created_at', posapp.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_hlc', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['activation_id'], ['activation.id'], name=op.f('fk_activation_line_activation_id_activation')),
    sa.ForeignKeyConstraint(['agreement_id'], ['financing_agreement.id'], name=op.f('fk_activation_line_agreement_id_financing_agreement')),
    sa.ForeignKeyConstraint(['inventory_id'], ['inventory_device.id'], name=op.f('fk_activation_line_inventory_id_inventory_device')),
    sa.ForeignKeyConstraint(['line_id'], ['line.id'], name=op.f('fk_activation_line_line_id_line')),
    sa.ForeignKeyConstraint(['model_code'], ['device_model.code'], name=op.f('fk_activation_line_model_code_device_model')),
    sa.ForeignKeyConstraint(['plan_code'], ['plan.code'], name=op.f('fk_activation_line_plan_code_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activation_line')),
    sa.UniqueConstraint('activation_id', 'line_no', name=op.f('uq_activation_line_activation_id_line_no'))
    )
    with op.batch_alter_table('activation_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activation_line_activation_id'), ['activation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activation_line_imei'), ['imei'], unique=False)
        batch_op.create_index(batch_op.f('ix_activation_line_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activation_line_msisdn'), ['msisdn'], unique=False)
        batch_op.create_index(batch_op.f('ix_activation_line_status'), ['status'], unique=False)

    op.create_table('pool_number',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('msisdn', sa.String(length=16), nullable=False),
    sa.Column('status', sa.Enum('available', 'reserved', 'assigned', 'withdrawn', name='poolstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reserved_by_line_id', sa.Uuid(), nullable=True),
    sa.Column('reserved_at', posapp.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('store_id', sa.String(length=10), nullable=False),
    sa.Column('origin_terminal_id', sa.String(length=10), nullable=False),
    sa.Column('created_at', posapp.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_hlc', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['reserved_by_line_id'], ['activation_line.id'], name=op.f('fk_pool_number_reserved_by_line_id_activation_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_number')),
    sa.UniqueConstraint('msisdn', name=op.f('uq_pool_number_msisdn'))
    )
    with op.batch_alter_table('pool_number', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pool_number_status'), ['status'], unique=False)

    op.create_table('port_in',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('activation_line_id', sa.Uuid(), nullable=False),
    sa.Column('msisdn', sa.String(length=16), nullable=False),
    sa.Column('old_carrier', sa.String(length=60), nullable=False),
    sa.Column('old_account_number', sa.String(length=30), nullable=False),
    sa.Column('pin_held', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('billing_zip', sa.String(length=10), nullable=False),
    sa.Column('prepaid', sa.Boolean(), nullable=False),
    sa.Column('desired_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'in_progress', 'on_hold', 'rejected', 'completed', 'cancelled', name='portstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('submitted_at', posapp.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', posapp.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('store_id', sa.String(length=10), nullable=False),
    sa.Column('origin_terminal_id', sa.String(length=10), nullable=False),
    sa.Column('created_at', posapp.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_hlc', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['activation_line_id'], ['activation_line.id'], name=op.f('fk_port_in_activation_line_id_activation_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_port_in')),
    sa.UniqueConstraint('activation_line_id', name=op.f('uq_port_in_activation_line_id'))
    )
    with op.batch_alter_table('port_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_port_in_msisdn'), ['msisdn'], unique=False)
        batch_op.create_index(batch_op.f('ix_port_in_status'), ['status'], unique=False)

    op.create_table('provisioning_request',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('activation_line_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.Enum('activate', 'port_in', 'upgrade', 'sim_change', name='requestaction', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sent', 'done', 'dead', name='requeststatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', posapp.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('carrier_ref', sa.String(length=60), nullable=True),
    sa.Column('created_at', posapp.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', posapp.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', posapp.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['activation_line_id'], ['activation_line.id'], name=op.f('fk_provisioning_request_activation_line_id_activation_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provisioning_request'))
    )
    with op.batch_alter_table('provisioning_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provisioning_request_activation_line_id'), ['activation_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_provisioning_request_status'), ['status'], unique=False)

    op.create_table('provisioning_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('activation_line_id', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.Enum('queued', 'submitted', 'in_progress', 'on_hold', 'rejected', 'active', 'failed', 'retry', 'held', name='provisioningeventkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('at', posapp.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.String(length=10), nullable=False),
    sa.Column('origin_terminal_id', sa.String(length=10), nullable=False),
    sa.Column('created_at', posapp.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_hlc', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['activation_line_id'], ['activation_line.id'], name=op.f('fk_provisioning_event_activation_line_id_activation_line')),
    sa.ForeignKeyConstraint(['request_id'], ['provisioning_request.id'], name=op.f('fk_provisioning_event_request_id_provisioning_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provisioning_event'))
    )
    with op.batch_alter_table('provisioning_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provisioning_event_activation_line_id'), ['activation_line_id'], unique=False)

    with op.batch_alter_table('line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('features', sa.Text(), server_default='[]', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('line', schema=None) as batch_op:
        batch_op.drop_column('features')

    with op.batch_alter_table('provisioning_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provisioning_event_activation_line_id'))

    op.drop_table('provisioning_event')
    with op.batch_alter_table('provisioning_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provisioning_request_status'))
        batch_op.drop_index(batch_op.f('ix_provisioning_request_activation_line_id'))

    op.drop_table('provisioning_request')
    with op.batch_alter_table('port_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_port_in_status'))
        batch_op.drop_index(batch_op.f('ix_port_in_msisdn'))

    op.drop_table('port_in')
    with op.batch_alter_table('pool_number', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pool_number_status'))

    op.drop_table('pool_number')
    with op.batch_alter_table('activation_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activation_line_status'))
        batch_op.drop_index(batch_op.f('ix_activation_line_msisdn'))
        batch_op.drop_index(batch_op.f('ix_activation_line_line_id'))
        batch_op.drop_index(batch_op.f('ix_activation_line_imei'))
        batch_op.drop_index(batch_op.f('ix_activation_line_activation_id'))

    op.drop_table('activation_line')
    with op.batch_alter_table('plan_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_change_line_id'))
        batch_op.drop_index(batch_op.f('ix_plan_change_account_id'))

    op.drop_table('plan_change')
    with op.batch_alter_table('activation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activation_visit_id'))
        batch_op.drop_index(batch_op.f('ix_activation_status'))
        batch_op.drop_index(batch_op.f('ix_activation_sale_id'))
        batch_op.drop_index(batch_op.f('ix_activation_account_id'))

    op.drop_table('activation')
