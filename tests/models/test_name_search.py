"""The name search: a trigram index (FTS5) where the database has one, a plain LIKE otherwise — the same rows."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from models import name_search
from models.entities import Child
from models.services.register import RegisterFilter, count_children, fetch_children
from models.textnorm import fold, vn_sort_key

# The FTS5 index exists only in the single-PC file; on the server the search is the plain LIKE that every list
# test exercises there.
pytestmark = pytest.mark.sqlite_only

NAMES = ["Nguyễn Thị Ánh", "Nguyễn Văn Đức", "Trần Thị Hằng", "Lê Anh Tuấn", "Phạm Thị Thu Hà", "Đỗ Duy Mạnh",
         "Nguyễn Thị Ngọc Ánh", "Hoàng Văn An", "Bùi Thị Thanh", "Ngô Quang Huy"]
SEARCHES = ["nguyen thi anh", "Nguyễn Thị Ánh", "nguyen", "thi", "anh", "an", "a", "duc", "đức", "d", "do duy",
            "hang tran", "thu ha", "nguyen thi ngoc", "ngoc anh", "xyz", "uyen", "thi a", "%", "_", "h_y"]


def _add(db, names):
    with db.transaction() as s:
        for name in names:
            s.add(Child(full_name=name, name_key=fold(name), sort_key=vn_sort_key(name)))


def _found(db, words: str, *, indexed: bool) -> set[str]:
    engine = db.engine
    name_search._ready[engine] = indexed if indexed is False else None  # None: ask the database
    with db.session() as s:
        if indexed:
            assert name_search.has_index(s)
        use = True if indexed else None  # forced through the index (the rare-word rule would take LIKE for 10 names)
        return set(s.scalars(select(Child.full_name).where(name_search.name_matches(s, fold(words).split(),
                                                                                    use_index=use))))


def test_the_index_and_its_triggers_exist_at_the_heads(db):
    with db.session() as s:
        names = set(s.execute(text("SELECT name FROM sqlite_master")).scalars())
        assert set(name_search.FTS_OBJECTS) <= names
        assert "ENABLE_FTS5" in set(s.execute(text("PRAGMA compile_options")).scalars())
        assert name_search.has_index(s)


def test_the_index_is_taken_for_rare_words_only(db, monkeypatch):
    _add(db, NAMES)
    with db.session() as s:
        sql = str(select(Child.id).where(name_search.name_matches(s, ["ngoc"])).compile())
        assert "child_name_fts" in sql  # in one name: the index
        monkeypatch.setattr(name_search, "RARE", 2)
        sql = str(select(Child.id).where(name_search.name_matches(s, ["nguyen"])).compile())
        assert "child_name_fts" not in sql  # in three names, above the (lowered) bound: a LIKE over the names
        sql = str(select(Child.id).where(name_search.name_matches(s, ["nguyen", "ngoc"])).compile())
        assert "child_name_fts" in sql  # one rare word is enough


def test_index_and_plain_like_find_the_same_children_without_diacritics(db):
    _add(db, NAMES)
    for words in SEARCHES:
        by_index = _found(db, words, indexed=True)
        by_like = _found(db, words, indexed=False)
        assert by_index == by_like, words
    name_search._ready.pop(db.engine, None)
    assert _found(db, "nguyen thi anh", indexed=True) == {"Nguyễn Thị Ánh", "Nguyễn Thị Ngọc Ánh"}
    assert _found(db, "đuc", indexed=True) == {"Nguyễn Văn Đức"}


def test_the_index_follows_every_change_of_a_name(db):
    _add(db, ["Nguyễn Thị Ánh", "Trần Văn Bình"])
    with db.transaction() as s:
        child = s.scalars(select(Child).where(Child.full_name == "Trần Văn Bình")).one()
        child.full_name, child.name_key = "Trần Văn Cường", fold("Trần Văn Cường")
        s.delete(s.scalars(select(Child).where(Child.full_name == "Nguyễn Thị Ánh")).one())
    _add(db, ["Lương Thị Mai"])
    assert _found(db, "cuong", indexed=True) == {"Trần Văn Cường"}
    assert _found(db, "binh", indexed=True) == set()
    assert _found(db, "nguyen", indexed=True) == set()
    assert _found(db, "luong thi", indexed=True) == {"Lương Thị Mai"}
    with db.session() as s:  # FTS5's own check: the index matches the names in the table
        s.execute(text("INSERT INTO child_name_fts(child_name_fts, rank) VALUES ('integrity-check', 1)"))


@pytest.mark.parametrize("indexed", [True, False])
def test_the_register_search_through_either_path(db, actor, indexed):
    _add(db, NAMES)
    name_search._ready[db.engine] = None if indexed else False
    if indexed:
        name_search._ready.pop(db.engine)
    with db.session() as s:
        flt = RegisterFilter(text="nguyen thi")
        rows = fetch_children(s, flt)
        assert {r.full_name for r in rows} == {"Nguyễn Thị Ánh", "Nguyễn Thị Ngọc Ánh"}
        assert count_children(s, flt) == 2
