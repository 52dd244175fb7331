"""Agreements with partner academies (kind, number, dates, responsible people, a scanned
document kept outside the web root, whether the partner may be named publicly)

Revision ID: 0008_agreements
Revises: 0007_coordinator_invitations
Create Date: 2026-12-06 08:11:02.569084

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0008_agreements'
down_revision = '0007_coordinator_invitations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('academy_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('memorandum', 'mobility', 'joint_programme', 'other', name='agreementkind', native_enum=False, length=20), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('home_responsible', sa.String(length=200), nullable=True),
    sa.Column('partner_responsible', sa.String(length=200), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('document_key', sa.String(length=64), nullable=True),
    sa.Column('document_name', sa.String(length=200), nullable=True),
    sa.Column('document_size', sa.Integer(), nullable=True),
    sa.Column('created_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['academy_id'], ['partner_academies.id'], name=op.f('fk_agreements_academy_id_partner_academies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements')),
    sa.UniqueConstraint('document_key', name=op.f('uq_agreements_document_key'))
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_academy_id'), ['academy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreements_expires_on'), ['expires_on'], unique=False)



def downgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_expires_on'))
        batch_op.drop_index(batch_op.f('ix_agreements_academy_id'))

    op.drop_table('agreements')
