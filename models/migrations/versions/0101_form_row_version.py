"""Several workstations at once: a version number on each form record (Mẫu 02, 03, 07, the minutes, the
incident report), so that a save made from an older version is refused and explained instead of overwriting
another person's save. Existing records start at version 1.

Revision ID: 0101
Revises: 0100
"""
import sqlalchemy as sa
from alembic import op

revision = '0101'
down_revision = ('0100',)
branch_labels = None
depends_on = None

TABLES = ('initial_assessment', 'separation', 'risk_assessment', 'case_meeting', 'incident_report')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('row_version', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('row_version')
