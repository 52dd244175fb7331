"""Registrations: the SEQUENCE of the latest calendar REQUEST and CANCEL each person was sent

A person's own CANCEL goes above every REQUEST they had, and a later REQUEST above that
CANCEL, without raising the session's SEQUENCE (RFC 5546). Rows from before start empty:
confirmed seats are taken to have had a REQUEST at the session's current SEQUENCE (an
upper bound of what they were sent), so their own CANCEL goes above it.

Revision ID: 0014_invitation_sequences
Revises: 0013_session_direction
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_invitation_sequences'
down_revision = '0013_session_direction'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_sequence', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancel_sequence', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE registrations SET request_sequence = "
        "(SELECT sequence FROM sessions WHERE sessions.id = registrations.session_id) "
        "WHERE status = 'confirmed'"
    )


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('cancel_sequence')
        batch_op.drop_column('request_sequence')
