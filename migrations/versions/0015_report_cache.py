"""Report figures counted once per period and scope, kept until what they cover changes

Revision ID: 0015_report_cache
Revises: 0014_invitation_sequences
Create Date: 2026-12-06 08:57:11.884179

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0015_report_cache'
down_revision = '0014_invitation_sequences'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_cache',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('period_start', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('period_end', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_until', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('computed_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_report_cache'))
    )
    with op.batch_alter_table('report_cache', schema=None) as batch_op:
        batch_op.create_index('ix_report_cache_period', ['period_start', 'period_end'], unique=False)



def downgrade():
    with op.batch_alter_table('report_cache', schema=None) as batch_op:
        batch_op.drop_index('ix_report_cache_period')

    op.drop_table('report_cache')
