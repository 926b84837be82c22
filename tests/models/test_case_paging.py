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


@pytest.mark.parametrize("order", ["name", "name_desc", "newest"])
@pytest.mark.parametrize("text", ["", "nguyen", "thi"])
def test_the_register_paged_after_the_last_row_equals_the_whole_list(demo_db, order, text):
    from models.services.register import RegisterFilter, count_children, fetch_children

    flt = RegisterFilter(text=text, order=order)
    with demo_db.session() as session:
        whole = fetch_children(session, flt, limit=10_000)
        paged: list = []
        while batch := fetch_children(session, flt, limit=7, after=paged[-1] if paged else None):
            paged.extend(batch)
        total = count_children(session, flt)
    assert whole and len(whole) == total
    assert [r.id for r in paged] == [r.id for r in whole]
    if order != "newest":  # same names one after the other: the ties are broken by id, as the ORDER BY does
        keys = [r.sort_key for r in whole]
        assert len(set(keys)) < len(keys)


def test_the_audit_log_paged_after_the_last_row_equals_the_whole_log(workspace):
    from models.security import audit
    from models.services.audit_log import AuditFilter, count_events, fetch_events

    with workspace.db.transaction() as session:
        for n in range(40):
            audit.record(session, workspace.actor, "view", "case", f"HS-2026-{n:04d}")
    for flt in (AuditFilter(), AuditFilter(text="HS-2026-001")):
        whole = fetch_events(workspace, flt, limit=10_000)
        paged: list = []
        while batch := fetch_events(workspace, flt, limit=7, after=paged[-1] if paged else None):
            paged.extend(batch)
        assert whole and len(whole) == count_events(workspace, flt)
        assert [r.id for r in paged] == [r.id for r in whole]


def test_a_search_with_digits_finds_case_codes_and_words_find_names(demo_db):
    """Typed text with a digit is a case code ("HS-2026-0007", "0007"); other text is a name. Each finds what a
    person expects, and a name search no longer also scans every case code."""
    with demo_db.session() as session:
        rows = fetch_cases(session, CaseFilter(), limit=10_000)
        some = rows[len(rows) // 2]
        by_code = fetch_cases(session, CaseFilter(text=some.code.lower()), limit=10_000)
        assert [r.id for r in by_code] == [some.id]
        tail = some.code.rsplit("-", 1)[1]
        assert some.id in {r.id for r in fetch_cases(session, CaseFilter(text=tail), limit=10_000)}
        assert all(tail in r.code for r in fetch_cases(session, CaseFilter(text=tail), limit=10_000))
        first_word = some.child_name.split()[-1]
        by_name = fetch_cases(session, CaseFilter(text=first_word), limit=10_000)
        assert some.id in {r.id for r in by_name}
        assert fetch_cases(session, CaseFilter(text="hs-9999-9999"), limit=10) == []


def _filters(session):
    from sqlalchemy import func, select

    from models.entities import Case

    year = session.scalar(select(func.max(Case.opened_at))).year
    return [CaseFilter(), CaseFilter(order="name"), CaseFilter(order="oldest"), CaseFilter(text="nguyen"),
            CaseFilter(text="HS-"), CaseFilter(stage="tiep_nhan"), CaseFilter(stage="da_danh_gia"),
            CaseFilter(year=year), CaseFilter(year=year, stage="tiep_nhan", text="thi")]


def test_the_command_lines_one_query_list_equals_the_pages(demo_db):
    """`bvte cases` reads every case in one query of the columns it prints (list_all_cases): the same cases,
    order, dates and stages as the list's pages."""
    from models.services.cases import list_all_cases

    with demo_db.session() as session:
        for flt in _filters(session):
            paged: list = []
            while batch := fetch_cases(session, flt, limit=7, after=paged[-1] if paged else None):
                paged.extend(batch)
            whole = list_all_cases(session, flt)
            assert [(r.id, r.code, r.child_name, r.opened_at, r.stage) for r in whole] == \
                   [(r.id, r.code, r.child_name, r.opened_at, r.stage) for r in paged], flt
        everything = list_all_cases(session, CaseFilter())
    assert len(everything) == 90 and len({r.stage for r in everything}) > 3
