"""The case list read page by page after the last row held (keyed paging) gives exactly the rows, in exactly
the order, that one query over the whole list gives, for every sort order and with filters."""
from __future__ import annotations

import pytest

from models.demo import generate_demo
from models.security.roles import Actor
from models.services.cases import CaseFilter, count_cases, fetch_cases

ACTOR = Actor("admin", "Quản trị viên", frozenset({"admin", "worker"}))


@pytest.fixture
def demo_db(db):
    generate_demo(db, ACTOR, children=160, cases=90)
    return db


@pytest.mark.parametrize("order", ["newest", "oldest", "name", "name_desc"])
@pytest.mark.parametrize("text", ["", "nguyen", "thi"])
def test_keyed_pages_equal_the_whole_list(demo_db, order, text):
    flt = CaseFilter(text=text, order=order)
    with demo_db.session() as session:
        whole = fetch_cases(session, flt, limit=10_000)
        paged: list = []
        while batch := fetch_cases(session, flt, limit=7, after=paged[-1] if paged else None):
            paged.extend(batch)
        total = count_cases(session, flt)
    assert whole and len(whole) == total
    assert [r.id for r in paged] == [r.id for r in whole]
