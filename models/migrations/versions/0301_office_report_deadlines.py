"""Office: report_deadlines — the periodic reports' due dates as the province sets them ('' = seed 003's)

Revision ID: 0301
Revises: 0300
"""
from alembic import op
import sqlalchemy as sa


revision = '0301'
down_revision = ('0300',)
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_deadlines', sa.String(length=60), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('report_deadlines')
