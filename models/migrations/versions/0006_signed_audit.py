"""Signed audit entries: who signed each entry, with which key, and the signature; where signing begins

Revision ID: 0006
Revises: 0003, 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = ('0003', '0004')
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signer', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('key_id', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('signature', sa.Text(), nullable=True))
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed_from', sa.Integer(), nullable=True))
    # Entries written so far are unsigned; from the next one on, every entry must carry a signature.
    bind = op.get_bind()
    first = bind.exec_driver_sql("SELECT coalesce(max(id), 0) + 1 FROM audit_event").scalar()
    if bind.exec_driver_sql("SELECT count(*) FROM audit_head WHERE id = 1").scalar():
        bind.exec_driver_sql("UPDATE audit_head SET signed_from = ? WHERE id = 1", (first,))
    else:
        bind.exec_driver_sql("INSERT INTO audit_head (id, count, last_hash, signed_from) VALUES (1, 0, ?, ?)",
                             ("0" * 64, first))


def downgrade() -> None:
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.drop_column('signed_from')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('signature')
        batch_op.drop_column('key_id')
        batch_op.drop_column('signer')
