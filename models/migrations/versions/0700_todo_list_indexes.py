"""Indexes for the to-do list: it reads the open cases' facts from small indexes, not from the tables' wide rows

The to-do list asks a dozen questions of every open case (models/stages.py `load_facts`). Answered from the
rows, each question read a page of a wide row (an intake with its texts, a child with its address…) per open
case; at 200,000 children / 80,000 cases these pages no longer stayed in the page cache of the window (64 MB)
and the list took ×6 the time for ×4 the data. Each index below holds exactly the columns asked, so the
answers come from a few compact pages:
  - ix_case_file_open: the open cases only (a partial index; SQLite and PostgreSQL both have them; closed_at,
    NULL in every entry, is there so that SQLite answers from the index alone);
  - ix_child_id_name: the children's names (SQLite is told to use it: `INDEXED BY`, models/portable.py); only
    in the file: on the server the names are encrypted on the workstation and PostgreSQL needs no telling;
  - the intake's category, the assessment's conclusion, a review's plan, an incident report's state, a plan
    version's state, a plan activity's end date and key. (An approval's end date is still read from its row:
    SQLite takes the unique index of its version for that join whatever else exists.)
Four single-column indexes are replaced by the new ones that begin with the same column (case_review.case_id,
incident_report.case_id, plan_version.plan_id, plan_activity.version_id): the queries that used them use the
new ones.

Revision ID: 0700
Revises: 0600
"""
from alembic import op
import sqlalchemy as sa

revision = '0700'
down_revision = ('0600',)
branch_labels = None
depends_on = None

OPEN = "closed_at IS NULL"
SQLITE_ONLY = ("ix_child_id_name", "child", ["id", "full_name"])  # on the server the names are encrypted
NEW = (
    ("ix_intake_category_case", "intake", ["category", "case_id"]),
    ("ix_initial_assessment_case_done", "initial_assessment", ["case_id", "completed_at", "needs_emergency"]),
    ("ix_case_review_case_plan", "case_review", ["case_id", "plan_id", "created_at"]),
    ("ix_incident_report_case_state", "incident_report", ["case_id", "issued_at", "untracked", "phoned_at"]),
    ("ix_plan_version_plan_state", "plan_version", ["plan_id", "version", "submitted_at", "returned_at"]),
    ("ix_plan_activity_version_due", "plan_activity", ["version_id", "end_on", "key"]),
)
REPLACED = (
    ("ix_case_review_case_id", "case_review", ["case_id"]),
    ("ix_incident_report_case_id", "incident_report", ["case_id"]),
    ("ix_plan_version_plan_id", "plan_version", ["plan_id"]),
    ("ix_plan_activity_version_id", "plan_activity", ["version_id"]),
)


def upgrade() -> None:
    for name, table, _ in REPLACED:  # first: the new indexes reuse their pages (the file grows less)
        op.drop_index(name, table_name=table)
    op.create_index("ix_case_file_open", "case_file", ["id", "child_id", "code", "opened_at", "closed_at"], unique=False,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    for name, table, columns in NEW:
        op.create_index(name, table, columns, unique=False)
    if op.get_bind().dialect.name == "sqlite":
        op.create_index(*SQLITE_ONLY, unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index(SQLITE_ONLY[0], table_name=SQLITE_ONLY[1])
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns, unique=False)
    for name, table, _ in reversed(NEW):
        op.drop_index(name, table_name=table)
    op.drop_index("ix_case_file_open", table_name="case_file")
