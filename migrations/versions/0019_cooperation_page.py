"""What the public International cooperation page shows (one settings row)

Revision ID: 0019_cooperation_page
Revises: 0018_academy_city_names
Create Date: 2026-12-06 09:22:36.060855

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0019_cooperation_page'
down_revision = '0018_academy_city_names'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cooperation_page_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('show_sessions', sa.Boolean(), nullable=False),
    sa.Column('show_partner_count', sa.Boolean(), nullable=False),
    sa.Column('show_students', sa.Boolean(), nullable=False),
    sa.Column('show_lecturers_abroad', sa.Boolean(), nullable=False),
    sa.Column('count_partners_only', sa.Boolean(), nullable=False),
    sa.Column('years_shown', sa.Integer(), nullable=False),
    sa.Column('updated_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperation_page_settings'))
    )


def downgrade():
    op.drop_table('cooperation_page_settings')
