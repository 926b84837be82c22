"""The "Tổng quan" tab: its bars are the counts of the database (recomputed here), and a click on a bar opens the
list filtered the same way, showing as many rows as the bar says."""
from __future__ import annotations

from collections import Counter
from datetime import date

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from sqlalchemy import or_, select

from desktop.main_window import MainWindow
from models.clock import VN, today
from models.demo import generate_demo
from models.entities import Case
from models.register_entities import GroupMembership
from models.stages import stage_of


def _click(chart, bar) -> None:
    rect = next(r for r, b in chart.rows() if b is bar)
    QTest.mouseClick(chart, Qt.LeftButton, Qt.NoModifier, rect.center().toPoint())


def _open_overview(qtbot, ws):
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window._tasks_shown, timeout=20_000)
    window.tabs.setCurrentIndex([window.tabs.tabText(i) for i in range(window.tabs.count())].index("Tổng quan"))
    assert window.overview is not None and window.overview.data is not None
    return window


def test_the_bars_are_the_databases_counts_and_open_their_lists(qtbot, workspace, office_db):
    from models.register_demo import add_register_demo

    generate_demo(workspace.db, workspace.actor, children=120, cases=60, seed=3)
    add_register_demo(workspace.db, workspace.actor, seed=3)
    window = _open_overview(qtbot, workspace)
    ov = window.overview
    now_day = today()
    with workspace.db.session() as s:
        cases = list(s.scalars(select(Case)))
        stages = Counter(stage_of(c) for c in cases if c.closed_at is None)
        months = Counter(c.opened_at.astimezone(VN).month for c in cases if c.opened_at.astimezone(VN).year == now_day.year)
        groups = Counter()
        for code, child in s.execute(select(GroupMembership.group_code, GroupMembership.child_id).where(
                or_(GroupMembership.to_date.is_(None), GroupMembership.to_date >= now_day)).distinct()):
            groups[code] += 1
    assert {b.key: b.value for b in ov.stages.bars} == dict(stages) and sum(stages.values()) > 0
    assert [b.value for b in ov.months.bars] == [months.get(m, 0) for m in range(1, now_day.month + 1)]
    assert {b.key: b.value for b in ov.groups.bars} == dict(groups) and groups
    late = Counter(t.form for t in window.tasks_view.model.tasks if t.late)
    assert {b.key: b.value for b in ov.overdue.bars} == dict(late)
    assert f"{sum(stages.values())}</b> hồ sơ đang mở" in ov.summary.text()

    # a stage → the case list of that stage
    bar = max(ov.stages.bars, key=lambda b: b.value)
    _click(ov.stages, bar)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Hồ sơ trường hợp"
    assert window.stage.currentData() == bar.key and window.model.total == bar.value

    # a month → the cases opened that month
    window._show_tab("Tổng quan")
    bar = next(b for b in ov.months.bars if b.value)
    _click(ov.months, bar)
    assert window.year.currentData() == now_day.year and window.month_filter == bar.key % 100
    assert window.model.total == bar.value and window.month_button.isVisible()
    window.month_button.click()
    assert window.model.total == sum(months.values()) and not window.month_button.isVisible()

    # a group → the register filtered on it
    window._show_tab("Tổng quan")
    bar = max(ov.groups.bars, key=lambda b: b.value)
    _click(ov.groups, bar)
    register = window.register
    assert window.tabs.currentWidget() is register and register.group.currentData() == bar.key
    assert register.model.total == bar.value

    # an overdue step → only those tasks in the to-do list
    if ov.overdue.bars:
        window._show_tab("Tổng quan")
        bar = ov.overdue.bars[0]
        _click(ov.overdue, bar)
        view = window.tasks_view
        shown = [t for row, t in enumerate(view.model.tasks) if not view.table.isRowHidden(row)]
        assert window.tabs.currentWidget() is view and len(shown) == bar.value
        assert all(t.late and t.form == bar.key for t in shown)
        view.show_all_button.click()
        assert not any(view.table.isRowHidden(r) for r in range(len(view.model.tasks)))
    window.close()


def test_an_empty_office_says_so(qtbot, workspace, office_db):
    window = _open_overview(qtbot, workspace)
    ov = window.overview
    assert ov.stages.bars == [] and ov.groups.bars == [] and all(b.value == 0 for b in ov.months.bars)
    assert "0</b> hồ sơ đang mở" in ov.summary.text()
    window.close()


def test_alternative_care_at_a_glance_and_a_click_opens_its_tab(qtbot, workspace, office_db):
    """The fifth chart: children assessed (Mẫu 10) waiting for a carer, and the placements not ended by stage —
    counted here again from the records — and a click opens the «Chăm sóc thay thế» tab."""
    from models.care_entities import CareNeed, Placement

    generate_demo(workspace.db, workspace.actor, children=120, cases=60, seed=3)
    with workspace.db.session() as s:
        stages, busy = Counter(), set()
        for p in s.scalars(select(Placement)):
            ended = p.end_decision is not None and p.end_decision.decided_at is not None
            if ended:
                continue
            busy.add(p.care_need_id)
            stages["du_thao" if p.decided_at is None else "cho_cham_dut" if p.end_decision is not None else
                   "cho_giao" if p.handed_over_on is None else "dang_cham_soc"] += 1
        waiting = sum(1 for n in s.scalars(select(CareNeed)) if n.closed_at is None and n.id not in busy)
    assert waiting and stages, "the demo has alternative care at several steps"
    window = _open_overview(qtbot, workspace)
    bars = {b.key: b.value for b in window.overview.care.bars}
    assert bars == {"cho_nguoi_nhan": waiting, **stages}
    _click(window.overview.care, window.overview.care.bars[0])
    assert window.tabs.currentWidget() is window.care_view
    window.close()
