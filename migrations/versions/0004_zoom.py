"""Zoom meetings: each session's meeting (desired vs actual), department defaults, webhook
events handled, attendance, recordings, per-host daily usage; users.zoom_email

Meeting ids are Zoom's 64-bit ids (BigInteger). Checked by hand against the models.

Revision ID: 0004_zoom
Revises: 0003_registration
Create Date: 2026-11-26 07:02:52

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0004_zoom'
down_revision = '0003_registration'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('zoom_host_usage',
    sa.Column('host_email', sa.String(length=254), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('calls', sa.Integer(), nullable=False),
    sa.Column('exhausted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('host_email', 'day', name=op.f('pk_zoom_host_usage'))
    )
    op.create_table('zoom_webhook_events',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('event', sa.String(length=80), nullable=False),
    sa.Column('received_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_zoom_webhook_events'))
    )
    with op.batch_alter_table('zoom_webhook_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zoom_webhook_events_received_at'), ['received_at'], unique=False)

    op.create_table('zoom_defaults',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('passcode', sa.Boolean(), nullable=False),
    sa.Column('waiting_room', sa.Boolean(), nullable=False),
    sa.Column('mute_upon_entry', sa.Boolean(), nullable=False),
    sa.Column('auto_recording', sa.Enum('none', 'local', 'cloud', name='autorecording', native_enum=False, length=20), nullable=False),
    sa.Column('updated_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_zoom_defaults_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zoom_defaults'))
    )
    op.create_table('zoom_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.BigInteger(), nullable=False),
    sa.Column('participant_key', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('joined_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('left_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_zoom_attendance_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zoom_attendance'))
    )
    with op.batch_alter_table('zoom_attendance', schema=None) as batch_op:
        batch_op.create_index('ix_zoom_attendance_session_id_key', ['session_id', 'participant_key'], unique=False)

    op.create_table('zoom_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.BigInteger(), nullable=True),
    sa.Column('host_email', sa.String(length=254), nullable=True),
    sa.Column('join_url', sa.String(length=1000), nullable=True),
    sa.Column('state', sa.Enum('pending', 'creating', 'ready', 'retrying', 'failed', 'deleting', 'deleted', name='meetingstate', native_enum=False, length=20), nullable=False),
    sa.Column('error_kind', sa.String(length=30), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('error_fields', sa.JSON(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deferred_until', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('create_sent_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_sequence', sa.Integer(), nullable=True),
    sa.Column('synced_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('synced_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verify_needed', sa.Boolean(), nullable=False),
    sa.Column('changed_in_zoom_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('leased_until', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('passcode', sa.Boolean(), nullable=True),
    sa.Column('waiting_room', sa.Boolean(), nullable=True),
    sa.Column('mute_upon_entry', sa.Boolean(), nullable=True),
    sa.Column('auto_recording', sa.Enum('none', 'local', 'cloud', name='autorecording', native_enum=False, length=20), nullable=True),
    sa.Column('live_status', sa.Enum('started', 'ended', name='livestatus', native_enum=False, length=20), nullable=True),
    sa.Column('live_started_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('live_ended_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_zoom_meetings_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zoom_meetings')),
    sa.UniqueConstraint('session_id', name=op.f('uq_zoom_meetings_session_id'))
    )
    with op.batch_alter_table('zoom_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zoom_meetings_host_email'), ['host_email'], unique=False)
        batch_op.create_index(batch_op.f('ix_zoom_meetings_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_zoom_meetings_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_zoom_meetings_state'), ['state'], unique=False)

    op.create_table('zoom_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.BigInteger(), nullable=False),
    sa.Column('file_id', sa.String(length=100), nullable=False),
    sa.Column('file_type', sa.String(length=30), nullable=False),
    sa.Column('recording_type', sa.String(length=60), nullable=True),
    sa.Column('recording_start', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recording_end', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('file_size', sa.BigInteger(), nullable=True),
    sa.Column('play_url', sa.String(length=1000), nullable=True),
    sa.Column('share_url', sa.String(length=1000), nullable=True),
    sa.Column('passcode', sa.String(length=100), nullable=True),
    sa.Column('created_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_zoom_recordings_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zoom_recordings')),
    sa.UniqueConstraint('file_id', name=op.f('uq_zoom_recordings_file_id'))
    )
    with op.batch_alter_table('zoom_recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zoom_recordings_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('zoom_email', sa.String(length=254), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('zoom_email')

    with op.batch_alter_table('zoom_recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zoom_recordings_session_id'))

    op.drop_table('zoom_recordings')
    with op.batch_alter_table('zoom_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zoom_meetings_state'))
        batch_op.drop_index(batch_op.f('ix_zoom_meetings_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_zoom_meetings_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_zoom_meetings_host_email'))

    op.drop_table('zoom_meetings')
    with op.batch_alter_table('zoom_attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_zoom_attendance_session_id_key')

    op.drop_table('zoom_attendance')
    op.drop_table('zoom_defaults')
    with op.batch_alter_table('zoom_webhook_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zoom_webhook_events_received_at'))

    op.drop_table('zoom_webhook_events')
    op.drop_table('zoom_host_usage')
