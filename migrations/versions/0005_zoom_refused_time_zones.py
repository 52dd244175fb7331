"""Zoom: time zones Zoom refused as a meeting's timezone (missing from Zoom's list)

Checked by hand against the models.

Revision ID: 0005_zoom_refused_time_zones
Revises: 0004_zoom
Create Date: 2026-11-27 09:00:00

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0005_zoom_refused_time_zones'
down_revision = '0004_zoom'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('zoom_refused_time_zones',
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('refused_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('time_zone', name=op.f('pk_zoom_refused_time_zones'))
    )


def downgrade():
    op.drop_table('zoom_refused_time_zones')
