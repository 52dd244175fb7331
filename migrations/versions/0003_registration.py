"""Student registration: registrations (seats, holds, waiting list) and the mail outbox

Revision ID: 0003_registration
Revises: 0002_feeds
Create Date: 2026-11-26 07:40:00

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0003_registration'
down_revision = '0002_feeds'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=True),
    sa.Column('academy_id', sa.Integer(), nullable=True),
    sa.Column('academy_other', sa.String(length=200), nullable=True),
    sa.Column('programme', sa.String(length=200), nullable=True),
    sa.Column('year_of_study', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('status', sa.Enum('held', 'confirmed', 'waiting', 'cancelled', 'expired', name='registrationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('consent_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hold_expires_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('waitlisted_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('seat_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('token_nonce', sa.String(length=64), nullable=True),
    sa.Column('notified_sequence', sa.Integer(), nullable=True),
    sa.Column('notified_starts_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('anonymised_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['academy_id'], ['partner_academies.id'], name=op.f('fk_registrations_academy_id_partner_academies')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_registrations_added_by_id_users')),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['users.id'], name=op.f('fk_registrations_cancelled_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_registrations_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('session_id', 'email', name='uq_registrations_session_id_email'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_registrations_token_hash'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_session_id_status', ['session_id', 'status'], unique=False)
        batch_op.create_index('ix_registrations_session_id_hold_expires_at', ['session_id', 'hold_expires_at'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=True),
    sa.Column('text_body', sa.Text(), nullable=True),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('attachment_name', sa.String(length=100), nullable=True),
    sa.Column('attachment_type', sa.String(length=100), nullable=True),
    sa.Column('attachment', sa.LargeBinary(), nullable=True),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', 'dropped', name='mailstatus', native_enum=False, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rendered_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_outbox_messages_registration_id_registrations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_outbox_messages_session_id_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_messages_dedupe_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)



def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_session_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_registration_id'))

    op.drop_table('outbox_messages')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_session_id_hold_expires_at')
        batch_op.drop_index('ix_registrations_session_id_status')

    op.drop_table('registrations')
