"""Register of children in special circumstances: group memberships, support, merges, not-duplicate pairs

Revision ID: 0004
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('child_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('group_code', sa.String(length=2), nullable=False),
    sa.Column('subgroup', sa.Integer(), nullable=True),
    sa.Column('from_date', sa.Date(), nullable=True),
    sa.Column('to_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_child_group_child_id_child'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_group')),
    sa.UniqueConstraint('child_id', 'group_code', 'subgroup', 'from_date', name=op.f('uq_child_group_child_id'))
    )
    with op.batch_alter_table('child_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_group_child_id'), ['child_id'], unique=False)
        batch_op.create_index('ix_child_group_code_child', ['group_code', 'child_id'], unique=False)

    op.create_table('child_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_child_support_child_id_child'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_support'))
    )
    with op.batch_alter_table('child_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_support_child_id'), ['child_id'], unique=False)

    op.create_table('child_merge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kept_child_id', sa.Integer(), nullable=False),
    sa.Column('removed_child_id', sa.Integer(), nullable=False),
    sa.Column('removed_snapshot', sa.Text(), nullable=False),
    sa.Column('moved', sa.Text(), nullable=False),
    sa.Column('merged_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('merged_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['kept_child_id'], ['child.id'], name=op.f('fk_child_merge_kept_child_id_child'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_merge'))
    )
    with op.batch_alter_table('child_merge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_merge_kept_child_id'), ['kept_child_id'], unique=False)

    op.create_table('child_not_duplicate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_a', sa.Integer(), nullable=False),
    sa.Column('child_b', sa.Integer(), nullable=False),
    sa.Column('decided_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['child_a'], ['child.id'], name=op.f('fk_child_not_duplicate_child_a_child'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['child_b'], ['child.id'], name=op.f('fk_child_not_duplicate_child_b_child'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_not_duplicate')),
    sa.UniqueConstraint('child_a', 'child_b', name=op.f('uq_child_not_duplicate_child_a'))
    )
    with op.batch_alter_table('child_not_duplicate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_not_duplicate_child_a'), ['child_a'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_not_duplicate_child_b'), ['child_b'], unique=False)

    op.create_index('ix_child_date_of_birth', 'child', ['date_of_birth'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_child_date_of_birth', table_name='child')
    op.drop_table('child_not_duplicate')
    op.drop_table('child_merge')
    op.drop_table('child_support')
    op.drop_table('child_group')
