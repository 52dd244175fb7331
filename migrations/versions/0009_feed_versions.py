"""Feeds: each feed's latest body hash and Last-Modified, so Last-Modified never goes back

Revision ID: 0009_feed_versions
Revises: 0008_agreements
Create Date: 2026-12-06 08:30:00

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0009_feed_versions'
down_revision = '0008_agreements'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_versions',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('etag', sa.String(length=64), nullable=False),
    sa.Column('last_modified', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_feed_versions'))
    )


def downgrade():
    op.drop_table('feed_versions')
