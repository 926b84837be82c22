"""The server mode: the diacritic-free search fold as a PostgreSQL function (the audit log's search).

On SQLite the program registers the same fold as a Python function on each connection; PostgreSQL gets
`bvte_fold(text)`: lower case, no tone or vowel marks, 'đ' → 'd', single spaces — the result of
models.textnorm.fold for every Latin letter with marks (the table is made from Unicode's decompositions).
Nothing is done on SQLite.

Revision ID: 0100
Revises: 0005, 0006, 0007, 0008
"""
import unicodedata

from alembic import op

revision = '0100'
down_revision = ('0005', '0006', '0007', '0008')
branch_labels = None
depends_on = None


def _table() -> tuple[str, str]:
    source, target = [], []
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        low = ch.lower().replace("đ", "d")
        base = "".join(c for c in unicodedata.normalize("NFD", low) if unicodedata.category(c) != "Mn")
        if len(base) == 1 and base.isascii() and base != ch:
            source.append(ch)
            target.append(base)
    return "".join(source), "".join(target)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    source, target = _table()
    assert "'" not in source + target
    op.execute(
        "CREATE OR REPLACE FUNCTION bvte_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
        f"$$ SELECT btrim(regexp_replace(lower(translate(normalize(value, NFC), '{source}', '{target}')), "
        "'\\s+', ' ', 'g')) $$")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS bvte_fold(text)")
