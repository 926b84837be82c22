"""Reporting deadlines in the to-do list: seed 003's dates (editable per province in the office settings), shown
in advance, overdue in red, done once the report of that period is exported."""
from __future__ import annotations

from datetime import datetime

import pytest

from desktop.actions.reports import export_report
from models.clock import VN
from models.reports.deadlines import clean, parse, report_deadlines
from models.services.office import get_office, save_office
from models.validation import Invalid
from tests.conftest import OFFICE


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d").replace(hour=9, tzinfo=VN)


def due_list(db, when: str):
    with db.session() as s:
        return [(r.kind, r.due.isoformat(), r.done, r.late_days) for r in report_deadlines(s, at(when))]


def test_seed_003_dates_and_the_setting():
    assert parse("") == {"H1": (15, 5), "9M": (15, 9), "Y": (10, 11), "THD": (20, 7)}
    assert clean(" 15/5 ; 15/9, 10/11, 20/7 ") == ""  # the defaults are stored as ""
    assert clean("1/5, 1/9, 1/11, 15/7") == "1/5, 1/9, 1/11, 15/7"
    for bad, words in (("15/5, 15/9", "Ghi 4 ngày"), ("15/5, 31/9, 10/11, 20/7", "31/9"), ("a, b, c, d", "«a»")):
        with pytest.raises(Invalid, match=words):
            parse(bad)


def test_deadlines_show_in_advance_turn_late_and_are_done_when_exported(office_db, workspace, tmp_path):
    assert due_list(office_db, "2026-03-01") == []  # nothing due within 30 days
    assert due_list(office_db, "2026-04-20") == [("H1", "2026-05-15", False, 0)]
    assert due_list(office_db, "2026-05-20") == [("H1", "2026-05-15", False, 5)]
    assert due_list(office_db, "2026-07-01") == [("H1", "2026-05-15", False, 47), ("THD", "2026-07-20", False, 0)]
    export_report(workspace, "2026-H1", tmp_path)
    export_report(workspace, "2026-06-01:2026-06-30", tmp_path)  # Tháng hành động vì trẻ em (June)
    assert [(k, done) for k, _d, done, _l in due_list(office_db, "2026-07-01")] == [("THD", True)]
    with office_db.session() as s:
        items = report_deadlines(s, at("2026-06-10"))  # done: shown as done until a month after the due day
    assert [(r.kind, r.done, r.late_days) for r in items] == [("H1", True, 0)]
    assert items[0].text().endswith(f"đã xuất báo cáo số {items[0].done_number} ngày {items[0].done_on:%d/%m/%Y}.")
    assert items[0].done_number.endswith("/BC-UBND")
    # a province with other dates: set in the office settings
    assert save_office(office_db, {**OFFICE, "report_deadlines": "5/6, 15/9, 10/11, 20/7"}, workspace.actor) == {}
    assert get_office(office_db).report_deadlines == "5/6, 15/9, 10/11, 20/7"
    assert due_list(office_db, "2026-05-20")[0][:2] == ("H1", "2026-06-05")
    errors = save_office(office_db, {**OFFICE, "report_deadlines": "32/5"}, workspace.actor)
    assert "Ghi 4 ngày" in errors["report_deadlines"]


def test_the_to_do_list_shows_them_with_a_link_to_export(qtbot, office_db, workspace):
    from desktop.cases.tasks_view import TasksView

    view = TasksView(workspace, at=at("2026-05-20"))
    qtbot.addWidget(view)
    view.refresh()
    text = view.reports_label.text()
    assert view.reports_label.isVisibleTo(view)
    assert "Báo cáo 6 tháng đầu năm" in text and "hạn 15/05/2026" in text and "quá hạn 5 ngày" in text
    assert 'href="2026-H1"' in text
    with qtbot.waitSignal(view.report_requested) as signal:
        view.reports_label.linkActivated.emit("2026-H1")
    assert signal.args == ["2026-H1"]
