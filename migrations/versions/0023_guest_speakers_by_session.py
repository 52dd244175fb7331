"""Guest speakers are read by session: an index on guest_speakers.session_id.

A calendar feed loads the guests of its (up to FEED_MAX_EVENTS) sessions by session id;
without an index PostgreSQL read the whole table each time, so the same feed cost more
as sessions accumulated over the years.

Revision ID: 0023_guest_speakers_by_session
Revises: 0022_claim_holders
"""

from alembic import op

revision = '0023_guest_speakers_by_session'
down_revision = '0022_claim_holders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('guest_speakers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guest_speakers_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('guest_speakers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guest_speakers_session_id'))
