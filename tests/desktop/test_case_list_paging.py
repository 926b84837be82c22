"""The window's case list fetched page after page (keyed paging) holds every case once."""
from __future__ import annotations

from models.demo import generate_demo
from models.security.roles import Actor

ACTOR = Actor("admin", "Quản trị viên", frozenset({"admin", "worker"}))


def test_the_window_list_scrolls_through_every_case_once(qtbot, db):
    from desktop.cases.case_list_model import CaseListModel

    generate_demo(db, ACTOR, children=160, cases=90)
    model = CaseListModel(db)
    model.page = 13
    while model.canFetchMore():
        model.fetchMore()
    ids = [model.case_id(i) for i in range(model.rowCount())]
    assert len(ids) == len(set(ids)) == model.total == 90
