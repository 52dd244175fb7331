"""Calendar feeds: private feed tokens; updated_at on users and partner academies

The feeds' cache notices a renamed lecturer or academy through these updated_at columns.
Existing rows start with their created_at.

Revision ID: 0002_feeds
Revises: 0001_foundation
Create Date: 2026-11-26 07:00:00

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0002_feeds'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Enum('academy', 'personal', name='feedscope', native_enum=False, length=20), nullable=False),
    sa.Column('academy_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=254), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['academy_id'], ['partner_academies.id'], name=op.f('fk_feed_tokens_academy_id_partner_academies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash'))
    )
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_tokens_academy_id'), ['academy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feed_tokens_subject'), ['subject'], unique=False)

    for table in ('users', 'partner_academies'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('updated_at', webinars.models.types.UTCDateTime(timezone=True), nullable=True))
        op.execute(f'UPDATE {table} SET updated_at = created_at')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('updated_at', existing_type=webinars.models.types.UTCDateTime(timezone=True), nullable=False)


def downgrade():
    for table in ('partner_academies', 'users'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('updated_at')

    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_tokens_subject'))
        batch_op.drop_index(batch_op.f('ix_feed_tokens_academy_id'))

    op.drop_table('feed_tokens')
