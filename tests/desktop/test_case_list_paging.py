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
    ids = [model.id_at(i) for i in range(model.rowCount())]
    assert len(ids) == len(set(ids)) == model.total == 90


def test_sorting_by_a_column_keeps_every_other_filter(qtbot, db):
    """Clicking "Họ và tên trẻ em" while the list shows one month (from Tổng quan) sorts that month's cases; it
    used to drop the month and show the whole year."""
    from PySide6.QtCore import Qt

    from desktop.cases.case_list_model import CaseListModel
    from models.services.cases import CaseFilter

    generate_demo(db, ACTOR, children=160, cases=90)
    model = CaseListModel(db)
    busiest = max(range(1, 13), key=lambda m: (model.set_filter(CaseFilter(year=2026, month=m)), model.total)[1])
    model.set_filter(CaseFilter(year=2026, month=busiest))
    in_month = model.total
    assert in_month > 0
    model.sort(1, Qt.AscendingOrder)
    assert model.filter == CaseFilter(year=2026, month=busiest, order="name")
    assert model.total == in_month
    names = [model.row_at(i).child_name for i in range(model.rowCount())]
    assert len(names) == in_month
