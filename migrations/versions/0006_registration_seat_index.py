"""Registrations: count seats by (session, status, hold_expires_at)

The (session, status) and (session, hold_expires_at) indexes become one on (session,
status, hold_expires_at): seats and run-out holds are each an exact range of it, and
expired rows are never read (see webinars/domain/registration/seats.py).

Revision ID: 0006_registration_seat_index
Revises: 0005_zoom_refused_time_zones
Create Date: 2026-11-26 09:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006_registration_seat_index'
down_revision = '0005_zoom_refused_time_zones'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(
            'ix_registrations_session_id_status_hold_expires_at',
            ['session_id', 'status', 'hold_expires_at'],
            unique=False,
        )
        batch_op.drop_index('ix_registrations_session_id_status')
        batch_op.drop_index('ix_registrations_session_id_hold_expires_at')


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(
            'ix_registrations_session_id_status', ['session_id', 'status'], unique=False
        )
        batch_op.create_index(
            'ix_registrations_session_id_hold_expires_at',
            ['session_id', 'hold_expires_at'],
            unique=False,
        )
        batch_op.drop_index('ix_registrations_session_id_status_hold_expires_at')
