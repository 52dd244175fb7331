"""Attendance: each session's rule and finalising (attendance_sheets), what is recorded
about each registrant or walk-in (attendance_entries), and Zoom names a lecturer
confirmed (attendance_zoom_names)

Revision ID: 0011_attendance
Revises: 0010_working_weeks
Create Date: 2026-12-06 08:50:00

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0011_attendance'
down_revision = '0010_working_weeks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attendance_sheets',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('share_percent', sa.Integer(), nullable=False),
    sa.Column('finalised_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finalised_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['finalised_by_id'], ['users.id'], name=op.f('fk_attendance_sheets_finalised_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_attendance_sheets_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_attendance_sheets'))
    )
    with op.batch_alter_table('attendance_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_sheets_finalised_at'), ['finalised_at'], unique=False)

    op.create_table('attendance_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('walk_in', sa.Boolean(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('checked_in_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.Column('override', sa.Enum('attended', 'absent', name='presence', native_enum=False, length=20), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('overridden_by_id', sa.Integer(), nullable=True),
    sa.Column('overridden_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('forgotten_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['users.id'], name=op.f('fk_attendance_entries_checked_in_by_id_users')),
    sa.ForeignKeyConstraint(['overridden_by_id'], ['users.id'], name=op.f('fk_attendance_entries_overridden_by_id_users')),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_attendance_entries_registration_id_registrations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_attendance_entries_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_entries')),
    sa.UniqueConstraint('session_id', 'registration_id', name='uq_attendance_entries_session_id_registration_id')
    )
    with op.batch_alter_table('attendance_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_entries_session_id'), ['session_id'], unique=False)

    op.create_table('attendance_zoom_names',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('zoom_name', sa.String(length=200), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_attendance_zoom_names_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['attendance_entries.id'], name=op.f('fk_attendance_zoom_names_entry_id_attendance_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_attendance_zoom_names_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_zoom_names')),
    sa.UniqueConstraint('session_id', 'zoom_name', name='uq_attendance_zoom_names_session_id_zoom_name')
    )
    with op.batch_alter_table('attendance_zoom_names', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_zoom_names_entry_id'), ['entry_id'], unique=False)



def downgrade():
    with op.batch_alter_table('attendance_zoom_names', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_zoom_names_entry_id'))

    op.drop_table('attendance_zoom_names')
    with op.batch_alter_table('attendance_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_entries_session_id'))

    op.drop_table('attendance_entries')
    with op.batch_alter_table('attendance_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_sheets_finalised_at'))

    op.drop_table('attendance_sheets')
