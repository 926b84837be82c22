"""Finding children by name: one condition for the case list, the register and anything else that searches names.

Names are searched on `Child.name_key`, the folded name ('nguyen thi anh': no marks, 'đ' → 'd', lower case), so
"nguyen thi anh" finds "Nguyễn Thị Ánh". Each typed word must appear somewhere in the name.

Where the database has the trigram index `child_name_fts` (SQLite with FTS5, migration 0200), a word of three
letters or more that is rare among the names ("xuan", "thanh huong") is looked up in the index: the few rows
holding its trigrams, not a read of every child. A common word ("nguyen", found in a third of the names) is
quicker as a LIKE over the names (the index would hand back tens of thousands of rows to check one by one);
the index's vocabulary table says which is which. Shorter words, words with LIKE's special characters, and
a SQLite without the index uses a plain LIKE on the name key. Both paths give the same rows
(tests/models/test_name_search.py).

On the office server the names are encrypted (models/field_crypto.py): each word is looked up among the keyed
hashes of the pieces of the names' words, which gives the same rows as the LIKE.
"""
from __future__ import annotations

from weakref import WeakKeyDictionary

from sqlalchemy import and_, column, select, table, text
from sqlalchemy.orm import Session

from .entities import Child
from .field_crypto import (
    children_with_token, id_equals_token, id_prefix_token, name_word_token, protects, village_token,
)

FTS_TABLE = "child_name_fts"
FTS_OBJECTS = (FTS_TABLE, "child_name_fts_vocab", "child_name_fts_ai", "child_name_fts_ad", "child_name_fts_au")
RARE = 2_000  # a word whose rarest trigram is in at most this many names is looked up in the index
_fts = table(FTS_TABLE, column("rowid"), column("name_key"))
_ready: WeakKeyDictionary = WeakKeyDictionary()


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def has_index(session: Session) -> bool:
    """Does this database have the name index and the triggers that keep it current? (asked once per engine)"""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    found = _ready.get(engine)
    if found is None:
        found = False
        if engine.dialect.name == "sqlite":
            names = ", ".join(f"'{n}'" for n in FTS_OBJECTS)
            count = session.execute(text(f"SELECT count(*) FROM sqlite_master WHERE name IN ({names})")).scalar()
            found = count == len(FTS_OBJECTS)
        _ready[engine] = found
    return found


def _rare(session: Session, words: list[str]) -> bool:
    """Is one of the words rare enough among the names for the index to be the quicker way?"""
    trigrams = {w[i:i + 3] for w in words for i in range(len(w) - 2)}
    counts = dict(session.execute(text("SELECT term, doc FROM child_name_fts_vocab WHERE term IN "
                                       f"({', '.join(':t%d' % i for i in range(len(trigrams)))})"),
                                  {f"t{i}": t for i, t in enumerate(sorted(trigrams))}).all())
    rarest = min(min((counts.get(w[i:i + 3], 0) for i in range(len(w) - 2)), default=0) for w in words)
    return rarest <= RARE


def personal_id_is(session: Session, pid: str):
    """The condition on `Child` that its personal ID number is `pid` (on the server: through its keyed hash)."""
    if protects(session):
        return Child.id.in_(children_with_token(id_equals_token(session, pid)))
    return Child.personal_id == pid


def personal_id_starts(session: Session, digits: str):
    """The condition that the personal ID number starts with `digits` (at least PID_PREFIX_MIN of them)."""
    if protects(session):
        return Child.id.in_(children_with_token(id_prefix_token(session, digits)))
    return Child.personal_id.like(f"{escape_like(digits)}%", escape="\\")


def village_is(session: Session, village: str):
    """The condition that the child lives in `village` (as written)."""
    if protects(session):
        return Child.id.in_(children_with_token(village_token(session, village)))
    return Child.village == village


def name_matches(session: Session, words: list[str], *, use_index: bool | None = None, child_id=Child.id):
    """The condition on `Child` that every (already folded) word appears in the child's name.
    `use_index`: None decides by the words (see the module note); True or False forces a path (tests).
    `child_id`: on the server, the column holding the child's id the tokens are matched with (`Case.child_id`
    lets a count of cases leave the wide child rows out of the query)."""
    if protects(session):  # one lookup in the token index per word (measured quicker than one for all words)
        return and_(*(child_id.in_(children_with_token(name_word_token(session, w))) for w in words))
    indexed = [w for w in words if len(w) >= 3 and not any(c in w for c in "%_\\")]
    if indexed and (use_index is False or not has_index(session)):
        indexed = []
    if indexed and use_index is None and not _rare(session, indexed):
        indexed = []
    plain = [w for w in words if w not in indexed]
    conditions = [Child.name_key.like(f"%{escape_like(w)}%", escape="\\") for w in plain]
    if indexed:  # a LIKE without ESCAPE: the form FTS5's trigram index answers by itself
        conditions.append(Child.id.in_(
            select(_fts.c.rowid).where(and_(*(_fts.c.name_key.like(f"%{w}%") for w in indexed)))))
    return and_(*conditions)
