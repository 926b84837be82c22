"""Office: is_demo — an office made of demo data says so on screen, on every printout and every export

Revision ID: 0008
Revises: 0003, 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = ('0003', '0004')
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_demo', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('is_demo')
