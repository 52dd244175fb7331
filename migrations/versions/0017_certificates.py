"""Certificates of attendance and of teaching (frozen content, PDF, verification code,
revocation, reissue chain) and the admin's certificate layout

Revision ID: 0017_certificates
Revises: 0016_seat_quotas
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0017_certificates'
down_revision = '0016_seat_quotas'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_layouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=True),
    sa.Column('signatory_name', sa.String(length=200), nullable=True),
    sa.Column('signatory_title', sa.String(length=200), nullable=True),
    sa.Column('second_signatory_name', sa.String(length=200), nullable=True),
    sa.Column('second_signatory_title', sa.String(length=200), nullable=True),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('accent_colour', sa.String(length=7), nullable=False),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('logo_type', sa.String(length=20), nullable=True),
    sa.Column('updated_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_certificate_layouts_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_layouts'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('kind', sa.Enum('attendance', 'teaching', name='certificatekind', native_enum=False, length=20), nullable=False),
    sa.Column('issue_key', sa.String(length=80), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('guest_speaker_id', sa.Integer(), nullable=True),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('issued_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('rendered_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('mailed_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('correction_request', sa.Text(), nullable=True),
    sa.Column('correction_requested_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['attendance_entries.id'], name=op.f('fk_certificates_entry_id_attendance_entries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['guest_speaker_id'], ['guest_speakers.id'], name=op.f('fk_certificates_guest_speaker_id_guest_speakers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_certificates_registration_id_registrations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaces_id'], ['certificates.id'], name=op.f('fk_certificates_replaces_id_certificates')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_certificates_session_id_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    sa.UniqueConstraint('issue_key', name=op.f('uq_certificates_issue_key')),
    sa.UniqueConstraint('number', name=op.f('uq_certificates_number'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_session_id'), ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_session_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_registration_id'))

    op.drop_table('certificates')
    op.drop_table('certificate_layouts')
