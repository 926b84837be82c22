"""Attached documents (scans, photos, signed papers), content and thumbnail encrypted on the client

Revision ID: 0500
Revises: 0101, 0200, 0301
"""
from alembic import op
import sqlalchemy as sa

from models.base import AwareDateTime


revision = '0500'
down_revision = ('0101', '0200', '0301')
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_kind', sa.String(length=20), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('form_code', sa.String(length=30), nullable=False),
        sa.Column('form_record_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('file_name', sa.String(length=160), nullable=False),
        sa.Column('file_type', sa.String(length=10), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('source_size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('source_sha256', sa.String(length=64), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=True),
        sa.Column('width', sa.Integer(), nullable=True),
        sa.Column('height', sa.Integer(), nullable=True),
        sa.Column('key_id', sa.String(length=16), nullable=False),
        sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('thumbnail', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', AwareDateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=40), nullable=False),
        sa.Column('removed_at', AwareDateTime(), nullable=True),
        sa.Column('removed_by', sa.String(length=40), nullable=False),
        sa.Column('removed_reason', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    )
    op.create_index('ix_attachment_owner', 'attachment', ['owner_kind', 'owner_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_attachment_owner', table_name='attachment')
    op.drop_table('attachment')
