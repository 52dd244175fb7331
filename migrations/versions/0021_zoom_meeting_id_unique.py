"""A live Zoom meeting id belongs to one session: the meeting_id index becomes unique.

Zoom may hand out an expired or deleted meeting's id again. Rows that already share an
id are repaired first: the one updated last keeps it but is verified before its next
change (the sync reads the meeting and checks its marker), and the others let go of it
and are made again by the next sync (state pending, nothing synced).

Revision ID: 0021_zoom_meeting_id_unique
Revises: 0020_academy_session_emails
"""

import sqlalchemy as sa
from alembic import op

revision = '0021_zoom_meeting_id_unique'
down_revision = '0020_academy_session_emails'
branch_labels = None
depends_on = None

_SHARED = """
    EXISTS (SELECT 1 FROM zoom_meetings other
            WHERE other.meeting_id = zoom_meetings.meeting_id AND other.id <> zoom_meetings.id)
"""
_NEWER_HOLDER = """
    EXISTS (SELECT 1 FROM zoom_meetings newer
            WHERE newer.meeting_id = zoom_meetings.meeting_id
              AND (newer.updated_at > zoom_meetings.updated_at
                   OR (newer.updated_at = zoom_meetings.updated_at AND newer.id > zoom_meetings.id)))
"""


def upgrade():
    # Whoever keeps a shared id is checked before its next change...
    op.execute(
        sa.text(f"UPDATE zoom_meetings SET verify_needed = :yes WHERE {_SHARED}").bindparams(
            yes=True
        )
    )
    # ...and the others let go of it, to be made again.
    op.execute(
        sa.text(
            "UPDATE zoom_meetings SET meeting_id = NULL, synced_fingerprint = NULL,"
            " verify_needed = :no,"
            " state = CASE WHEN state = 'deleted' THEN state ELSE 'pending' END,"
            " next_attempt_at = NULL"
            f" WHERE meeting_id IS NOT NULL AND {_NEWER_HOLDER}"
        ).bindparams(no=False)
    )
    with op.batch_alter_table('zoom_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zoom_meetings_meeting_id'))
        batch_op.create_index(batch_op.f('ix_zoom_meetings_meeting_id'), ['meeting_id'], unique=True)


def downgrade():
    with op.batch_alter_table('zoom_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zoom_meetings_meeting_id'))
        batch_op.create_index(batch_op.f('ix_zoom_meetings_meeting_id'), ['meeting_id'], unique=False)
