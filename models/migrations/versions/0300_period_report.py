"""period_report — the periodic reports sent upward: number (Số …/BC-UBND), date, signer, who made them

Revision ID: 0300
Revises: 0005, 0006, 0007, 0008
"""
from alembic import op
import sqlalchemy as sa

from models.base import AwareDateTime


revision = '0300'
down_revision = ('0005', '0006', '0007', '0008')
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'period_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_code', sa.String(length=40), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('doc_year', sa.Integer(), nullable=False),
        sa.Column('doc_number', sa.Integer(), nullable=False),
        sa.Column('report_date', sa.Date(), nullable=False),
        sa.Column('signer_name', sa.String(length=120), nullable=False),
        sa.Column('made_by_name', sa.String(length=120), nullable=False),
        sa.Column('made_at', AwareDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_period_report')),
        sa.UniqueConstraint('doc_year', 'doc_number', name=op.f('uq_period_report_doc_year')),
    )
    with op.batch_alter_table('period_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_period_report_period_code'), ['period_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('period_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_period_report_period_code'))
    op.drop_table('period_report')
