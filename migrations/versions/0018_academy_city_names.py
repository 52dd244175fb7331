"""Academies' city names in Russian and Uzbek; coordinators keep their academy's zone

Revision ID: 0018_academy_city_names
Revises: 0017_certificates
Create Date: 2026-12-06 09:00:00

The new-account form used to give every account Asia/Samarkand, so a coordinator abroad
was shown Samarkand time as "(you)". A coordinator still on that default, whose academy
is elsewhere, gets the academy's zone (the default new accounts now get).
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_academy_city_names"
down_revision = "0017_certificates"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("partner_academies") as batch_op:
        batch_op.add_column(sa.Column("city_ru", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("city_uz", sa.String(length=100), nullable=True))
    op.execute(
        """
        UPDATE users SET time_zone = (
            SELECT a.time_zone FROM partner_academies a WHERE a.id = users.academy_id
        )
        WHERE role = 'coordinator' AND time_zone = 'Asia/Samarkand' AND academy_id IN (
            SELECT a.id FROM partner_academies a WHERE a.time_zone <> 'Asia/Samarkand'
        )
        """
    )


def downgrade():
    with op.batch_alter_table("partner_academies") as batch_op:
        batch_op.drop_column("city_uz")
        batch_op.drop_column("city_ru")
