"""Claims and leases name their holder: a mail claim and a Zoom lease record the worker
that holds them, so a dead worker's work is taken over once its heartbeat stops.

Revision ID: 0022_claim_holders
Revises: 0021_zoom_meeting_id_unique
"""

import sqlalchemy as sa
from alembic import op

revision = '0022_claim_holders'
down_revision = '0021_zoom_meeting_id_unique'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=100), nullable=True))
    with op.batch_alter_table('zoom_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leased_by', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('zoom_meetings', schema=None) as batch_op:
        batch_op.drop_column('leased_by')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('claimed_by')
