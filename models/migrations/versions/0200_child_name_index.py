"""A full-text index of the children's folded names (FTS5, trigram tokenizer) for the search as one types

`child_name_fts` indexes `child.name_key` (the diacritic-free, lower-case name: 'nguyen thi anh') as an external
content table: the names themselves stay only in `child`; triggers keep the index in step with every insert,
update and delete. A trigram index answers `LIKE '%thi a%'` for any piece of three characters or more without
reading every child (models/name_search.py; shorter pieces and databases without FTS5 use a plain LIKE).
`child_name_fts_vocab` says how many names hold each trigram, so that the index is used only when it is the
quicker way (a rare piece of a name).
Only on SQLite with FTS5 (SQLCipher as bundled has it); nothing is done elsewhere (PostgreSQL, or a SQLite
without FTS5): the search then works as before.

A later migration that rebuilds the `child` table (a batch operation on SQLite) drops these triggers with the
old table and must create them again (`create_triggers` below); tests/models/test_name_search.py checks they
exist at the heads.

Revision ID: 0200
Revises: 0005, 0006, 0007, 0008
"""
from alembic import op

revision = '0200'
down_revision = ('0005', '0006', '0007', '0008')
branch_labels = None
depends_on = None

TRIGGERS = {
    "child_name_fts_ai": "AFTER INSERT ON child BEGIN "
                         "INSERT INTO child_name_fts(rowid, name_key) VALUES (new.id, new.name_key); END",
    "child_name_fts_ad": "AFTER DELETE ON child BEGIN "
                         "INSERT INTO child_name_fts(child_name_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key); "
                         "END",
    "child_name_fts_au": "AFTER UPDATE OF name_key ON child BEGIN "
                         "INSERT INTO child_name_fts(child_name_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key); "
                         "INSERT INTO child_name_fts(rowid, name_key) VALUES (new.id, new.name_key); END",
}


def _has_fts5(bind) -> bool:
    options = {row[0] for row in bind.exec_driver_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def create_triggers() -> None:
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or not _has_fts5(bind):
        return
    op.execute("CREATE VIRTUAL TABLE IF NOT EXISTS child_name_fts USING fts5("
               "name_key, content='child', content_rowid='id', tokenize='trigram')")
    op.execute("INSERT INTO child_name_fts(child_name_fts) VALUES ('rebuild')")
    # How many names hold each trigram: the search asks it to use the index only for rare pieces of names.
    op.execute("CREATE VIRTUAL TABLE IF NOT EXISTS child_name_fts_vocab USING fts5vocab(child_name_fts, row)")
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS child_name_fts_vocab")
    op.execute("DROP TABLE IF EXISTS child_name_fts")
