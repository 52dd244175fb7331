"""Sessions note their seat quotas' latest deadline (quotas_until), so that a registration
for a session without an open quota skips counting quota seats; filled from the quotas.

Revision ID: 0024_session_quotas_until
Revises: 0023_guest_speakers_by_session
"""

import sqlalchemy as sa
from alembic import op

import webinars.models.types

revision = '0024_session_quotas_until'
down_revision = '0023_guest_speakers_by_session'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'quotas_until', webinars.models.types.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.execute(
        "UPDATE sessions SET quotas_until = (SELECT max(seat_quotas.deadline) FROM seat_quotas"
        " WHERE seat_quotas.session_id = sessions.id)"
    )


def downgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('quotas_until')
