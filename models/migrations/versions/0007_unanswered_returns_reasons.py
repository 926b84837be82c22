"""Unanswered Mẫu 02 questions (nullable yes/no), a plan returned for changes, the reason of a backward status

Revision ID: 0007
Revises: 0003, 0004
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0007'
down_revision = ('0003', '0004')
branch_labels = None
depends_on = None

YES_NO = ('threat_life', 'threat_health', 'threat_dignity', 'caregiver_is_abuser', 'abuser_can_reach',
          'needs_emergency_by_rule', 'needs_emergency')


def upgrade() -> None:
    # Existing rows keep their answers; from now on an unanswered question is stored as NULL, not "Không".
    with op.batch_alter_table('initial_assessment', schema=None) as batch_op:
        for name in YES_NO:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=True)
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('returned_at', models.base.AwareDateTime(), nullable=True))
        batch_op.add_column(sa.Column('returned_by', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('return_comment', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('activity_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('activity_progress', schema=None) as batch_op:
        batch_op.drop_column('reason')
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.drop_column('return_comment')
        batch_op.drop_column('returned_by')
        batch_op.drop_column('returned_at')
    # Unanswered questions cannot go back to a NOT NULL column without deciding them: refuse.
    bind = op.get_bind()
    unanswered = bind.exec_driver_sql(
        "SELECT COUNT(*) FROM initial_assessment WHERE " + " OR ".join(f"{n} IS NULL" for n in YES_NO)).scalar()
    if unanswered:
        raise RuntimeError("Có Mẫu số 02 còn câu hỏi chưa trả lời: không hạ cấp được mà không tự quyết định câu trả lời.")
    with op.batch_alter_table('initial_assessment', schema=None) as batch_op:
        for name in YES_NO:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=False)
