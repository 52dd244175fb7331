"""Sessions: direction (outgoing, incoming, joint), derived from the speakers unless staff
corrected it; existing sessions get the derived one

Revision ID: 0013_session_direction
Revises: 0012_lecture_requests
Create Date: 2026-12-06 08:24:01

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_session_direction'
down_revision = '0012_lecture_requests'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direction', sa.Enum('outgoing', 'incoming', 'joint', name='direction', native_enum=False, length=20), server_default='outgoing', nullable=False))
        batch_op.add_column(sa.Column('direction_corrected', sa.Boolean(), server_default=sa.false(), nullable=False))
    # The rule of webinars/domain/sessions/direction.py, for the sessions already there.
    op.execute(
        """
        UPDATE sessions SET direction = CASE
          WHEN NOT EXISTS (SELECT 1 FROM guest_speakers g WHERE g.session_id = sessions.id)
            THEN 'outgoing'
          WHEN EXISTS (
            SELECT 1 FROM session_academies a
            WHERE a.session_id = sessions.id AND NOT EXISTS (
              SELECT 1 FROM guest_speakers g
              WHERE g.session_id = sessions.id AND g.academy_id = a.academy_id))
            THEN 'joint'
          ELSE 'incoming' END
        """
    )


def downgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('direction_corrected')
        batch_op.drop_column('direction')
