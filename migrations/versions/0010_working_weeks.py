"""Working weeks and closures: each academy's working days, hours and lunch break, and
one-off closures (an exam week, a local holiday) of an academy or the home department

Checked by hand against the models.

Revision ID: 0010_working_weeks
Revises: 0009_feed_versions
Create Date: 2026-12-06 08:30:00

"""
from alembic import op
import sqlalchemy as sa

import webinars.models.types


# revision identifiers, used by Alembic.
revision = '0010_working_weeks'
down_revision = '0009_feed_versions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('partner_academies', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('work_days', sa.String(length=7), nullable=False, server_default='12345')
        )
        batch_op.add_column(
            sa.Column('work_starts', sa.Time(), nullable=False, server_default='09:00:00')
        )
        batch_op.add_column(
            sa.Column('work_ends', sa.Time(), nullable=False, server_default='18:00:00')
        )
        batch_op.add_column(sa.Column('lunch_starts', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('lunch_ends', sa.Time(), nullable=True))
    # The defaults filled the existing rows; new rows get theirs from the model.
    with op.batch_alter_table('partner_academies', schema=None) as batch_op:
        batch_op.alter_column('work_days', server_default=None)
        batch_op.alter_column('work_starts', server_default=None)
        batch_op.alter_column('work_ends', server_default=None)

    op.create_table('closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('academy_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webinars.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['academy_id'], ['partner_academies.id'], name=op.f('fk_closures_academy_id_partner_academies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_closures_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closures'))
    )
    with op.batch_alter_table('closures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closures_academy_id'), ['academy_id'], unique=False)
        batch_op.create_index('ix_closures_starts_on_ends_on', ['starts_on', 'ends_on'], unique=False)


def downgrade():
    with op.batch_alter_table('closures', schema=None) as batch_op:
        batch_op.drop_index('ix_closures_starts_on_ends_on')
        batch_op.drop_index(batch_op.f('ix_closures_academy_id'))
    op.drop_table('closures')
    with op.batch_alter_table('partner_academies', schema=None) as batch_op:
        batch_op.drop_column('lunch_ends')
        batch_op.drop_column('lunch_starts')
        batch_op.drop_column('work_ends')
        batch_op.drop_column('work_starts')
        batch_op.drop_column('work_days')
