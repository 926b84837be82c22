"""Việc cần làm, the home tab: overdue first with how late in red, double-click / Enter opens the right screen."""
from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from desktop.main_window import MainWindow
from desktop.cases.tasks_view import TasksView
from models.clock import VN
from models.services import assessment
from models.services.intake import create_intake, parse_intake
from tests.conftest import intake_raw
from tests.models.test_process_data import ia_raw

AT = datetime(2026, 11, 20, 11, 0, tzinfo=VN)


@pytest.fixture
def two_cases(office_db, actor):
    # children at risk (not abused): no incident report upward, two steps only
    data, _ = parse_intake(intake_raw(category="nguy_co_bao_luc"), at=AT)
    first = create_intake(office_db, data, actor)  # received 08:30 20/11/2026
    assessment.save_initial_assessment(office_db, actor, first, ia_raw(), at=AT)  # emergency, 12 h from 08:30
    data, _ = parse_intake(intake_raw(child_name="Lê Văn Bình", personal_id="", received_at="08:30 19/11/2026",
                                      report_date="19/11/2026", category="nguy_co_bao_luc"), at=AT)
    second = create_intake(office_db, data, actor)  # Mẫu 02 due 20:30 19/11: late
    return first, second


def test_overdue_first_with_how_late_and_the_right_screen(qtbot, workspace, two_cases):
    first, second = two_cases
    view = TasksView(workspace, at=AT)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20000):  # filled in the background once shown
        view.show()
    model = view.model
    assert [(t.case_id, t.form) for t in model.tasks] == [(second, "02"), (first, "07")]
    row = [model.data(model.index(0, c)) for c in range(5)]
    assert row[1] == "Lê Văn Bình" and "Mẫu số 02" in row[2]
    assert row[3] == "20:30 19/11/2026" and row[4] == "Quá hạn 14 giờ 30 phút"
    assert model.data(model.index(0, 4), Qt.ForegroundRole).color().name() == "#b00020"
    assert model.data(model.index(1, 4)) == "Còn 9 giờ 30 phút"
    assert "2</b> việc cần làm" in view.summary.text() and "1 việc quá hạn" in view.summary.text()

    opened = []
    view.open_requested.connect(lambda case_id, form, _ref: opened.append((case_id, form)))
    view.table.setCurrentIndex(model.index(1, 0))
    qtbot.keyClick(view.table, Qt.Key_Return)
    view.table.doubleClicked.emit(model.index(0, 2))
    assert opened == [(first, "07"), (second, "02")]


def test_home_tab_opens_the_screen_of_the_task(qtbot, workspace, two_cases):
    first, second = two_cases
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.tasks_view.loaded, timeout=20000):
        win.show()
    assert win.tabs.tabText(0) == "Việc cần làm" and win.tabs.currentIndex() == 0
    assert len(win.tasks_view.model.tasks) == 2  # loaded when the home tab is first shown
    win.tasks_view.at = AT
    win.tasks_view.refresh()
    win.tasks_view.open_row(1)
    assert win.process_screen.FORM == "07" and win.process_screen.case_id == first
    win.process_screen.close()
    win.tasks_view.open_row(0)
    assert win.process_screen.FORM == "02" and win.process_screen.case_id == second


def test_admin_sees_no_children(qtbot, data_dir, workspace):
    from models.services.accounts import add_account, login
    add_account(workspace, "quantri", "Nguyễn Văn Quản", ["admin"], "mat-khau-quan-tri")
    admin = login(data_dir, "quantri", "mat-khau-quan-tri")
    view = TasksView(admin)
    qtbot.addWidget(view)
    view.show()
    assert view.model.tasks == [] and "không xem hồ sơ" in view.summary.text()
    admin.close()


def test_another_workstations_new_case_shows_in_the_to_do_list_within_seconds(qtbot, workspace, data_dir,
                                                                                two_cases):
    """Several workstations (the server mode): a case another workstation opens appears in this one's list by
    itself, within seconds, without pressing «Làm mới»."""
    from models.services.accounts import login
    from tests.conftest import PASSWORD

    view = TasksView(workspace, at=AT)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20000):
        view.show()
    assert len(view.model.tasks) == 2
    view.follow_others(interval_ms=100)
    qtbot.wait(300)  # the first look only notes where the data stands
    other = login(data_dir, "admin", PASSWORD)  # the second workstation, signed in on its own
    try:
        data, _ = parse_intake(intake_raw(child_name="Phạm Thị Cúc", personal_id="", received_at="09:00 20/11/2026",
                                          report_date="20/11/2026", category="nguy_co_bao_luc"), at=AT)
        third = create_intake(other.db, data, other.actor)
    finally:
        other.close()
    qtbot.waitUntil(lambda: third in {t.case_id for t in view.model.tasks}, timeout=5000)
    assert len(view.model.tasks) == 3
