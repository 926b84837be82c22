"""Finished work is not undone by a click, and signing is deliberate: the progress screen opens on the
activity the to-do list named, with its stored status; a status moved backwards needs a reason and a
confirmation (stored, audited); the chairman sees the decision before signing it, may return a plan with a
comment that reaches the worker's to-do list and the case history, and finds his own work first."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from desktop.common import messages
from desktop.main_window import MainWindow
from desktop.process import open_screen
from desktop.cases.tasks_view import TasksView
from models.clock import VN
from models.entities import AuditEvent
from models.process_entities import ActivityProgress, PlanApproval, PlanVersion
from models.services import plan
from models.services.audit_log import case_history
from tests.desktop.test_unanswered import Case_, leader, vn  # noqa: F401 - the leader fixture
from tests.models.test_process_data import activity, plan_raw


@pytest.fixture
def running_plan(office_db, actor, leader):  # noqa: F811
    c = Case_(office_db, actor, leader).initial().assess().meet()
    vid = c.approved_plan()
    with office_db.session() as s:
        keys = [a.key for a in s.get(PlanVersion, vid).activities]
    # The first activity is finished already; the second one is what the to-do list asks about.
    plan.record_progress(office_db, actor, _plan_id(office_db, vid), keys[0],
                         {"status": "hoan_thanh", "note": "Đã khám xong.", "noted_on": "26/11/2026"},
                         at=vn("10:00 26/11/2026"))
    return c, vid, keys


def _plan_id(db, vid) -> int:
    with db.session() as s:
        return s.get(PlanVersion, vid).plan_id


def statuses(db) -> list[tuple[int, str, str]]:
    with db.session() as s:
        return [(p.activity_key, p.status, p.reason) for p in s.scalars(select(ActivityProgress).order_by(ActivityProgress.id))]


def test_the_progress_screen_opens_on_the_activity_of_the_task(qtbot, workspace, office_db, running_plan):
    c, vid, keys = running_plan
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.tasks_view.at = vn("08:00 29/12/2026")  # the second activity ends 30/12: due within the week
    win.tasks_view.refresh()
    rows = [i for i, t in enumerate(win.tasks_view.model.tasks) if t.form == "hoat_dong"]
    assert len(rows) == 1 and win.tasks_view.model.tasks[rows[0]].ref == keys[1]
    win.tasks_view.open_row(rows[0])
    sx = win.process_screen
    assert sx.FORM == "hoat_dong" and sx._activity().key == keys[1]
    assert sx.widgets["status"].currentData() == "chua_bat_dau"  # its stored status
    sx.select_activity(0)  # the finished one: the status box follows the stored value
    assert sx.widgets["status"].currentData() == "hoan_thanh"
    assert sx.reason_box.isHidden()
    sx.close()  # a screen left open would outlive the window into the next test


def test_moving_a_finished_activity_backwards_needs_a_reason_and_a_confirmation(
        qtbot, workspace, office_db, running_plan, monkeypatch):
    c, vid, keys = running_plan
    asked: list[str] = []
    answers = iter([1, 0])  # first "Giữ «Hoàn thành»", then "Chuyển về …"
    monkeypatch.setattr(messages, "choose", lambda _p, _t, text, *a, **k: asked.append(text) or next(answers))
    sx = open_screen("hoat_dong", workspace, c.id)
    qtbot.addWidget(sx)
    sx.show()
    sx.select_activity(0)
    before = statuses(office_db)
    status = sx.widgets["status"]
    status.setCurrentIndex(status.findData("chua_bat_dau"))
    assert not sx.reason_box.isHidden()  # the reason is asked for at once
    sx.record_button.click()  # no reason: refused beside the field, no question, nothing written
    assert "ghi rõ lý do" in sx.errors["reason"].text() and asked == []
    assert statuses(office_db) == before
    from tests.desktop.helpers import type_text
    type_text(sx.widgets["reason"], "Ghi nhầm: cháu chưa đi khám.")
    sx.record_button.click()  # the question; "keep" → nothing written, the box back to the stored value
    assert len(asked) == 1 and "Hoàn thành" in asked[0] and "Chưa bắt đầu" in asked[0]
    assert statuses(office_db) == before and status.currentData() == "hoan_thanh"
    status.setCurrentIndex(status.findData("chua_bat_dau"))
    type_text(sx.widgets["reason"], "Ghi nhầm: cháu chưa đi khám.")
    sx.record_button.click()
    assert len(asked) == 2
    assert statuses(office_db)[-1] == (keys[0], "chua_bat_dau", "Ghi nhầm: cháu chưa đi khám.")
    assert "chuyển lùi" in sx.history.text()
    with office_db.session() as s:
        details = [e.detail for e in s.scalars(select(AuditEvent).where(AuditEvent.entity == "hoat_dong"))]
    assert any("lý do: Ghi nhầm" in d and "Hoàn thành" in d for d in details)
    # Forward moves ask nothing.
    status.setCurrentIndex(status.findData("dang_thuc_hien"))
    assert sx.reason_box.isHidden()
    sx.record_button.click()
    assert len(asked) == 2 and statuses(office_db)[-1][1:] == ("dang_thuc_hien", "")


def test_the_chairman_returns_a_plan_with_a_comment(qtbot, workspace, office_db, actor, leader):  # noqa: F811
    c = Case_(office_db, actor, leader).initial().assess().meet()
    vid = plan.create_plan(office_db, actor, c.id, plan_raw(), at=vn("10:00 24/11/2026"))
    plan.submit_plan(office_db, actor, vid, at=vn("11:00 24/11/2026"))
    s05 = open_screen("05", leader, c.id)
    qtbot.addWidget(s05)
    s05.show()
    from tests.desktop.helpers import type_text
    type_text(s05.widgets["return_comment"], "Bổ sung kinh phí và người phối hợp cho hoạt động khám.")
    s05.return_button.click()
    assert "Đã trả lại" in s05.notice.text()
    with office_db.session() as s:
        version = s.get(PlanVersion, vid)
        assert version.submitted_at is None and version.return_comment.startswith("Bổ sung kinh phí")
        assert s.scalars(select(PlanApproval)).all() == []
    # The worker's to-do list carries the comment; the plan screen shows it.
    view = TasksView(workspace, at=vn("08:00 25/11/2026"))
    qtbot.addWidget(view)
    view.refresh()
    # (the case of abuse's report upward is also on the list: Báo cáo vụ việc)
    step = next(t for t in view.model.tasks if t.case_id == c.id and t.form != "bao_cao_vu_viec")
    assert step.form == "04" and "Bổ sung kinh phí" in step.step and not step.for_leader
    s04 = open_screen("04", workspace, c.id)
    qtbot.addWidget(s04)
    s04.show()
    assert "Bổ sung kinh phí" in s04.state.text() and "trả lại" in s04.version_box.currentText()
    # The case history (audit log) keeps who returned it and why.
    rows = case_history(workspace, load_code(office_db, c.id))
    assert any(r.action == "return" and r.action_word == "Trả lại để sửa" and "Bổ sung kinh phí" in r.detail
               and r.username == "chutich" for r in rows)


def load_code(db, case_id) -> str:
    from models.entities import Case
    with db.session() as s:
        return s.get(Case, case_id).code


def test_signing_shows_the_decision_and_going_back_signs_nothing(qtbot, office_db, actor, leader):  # noqa: F811
    c = Case_(office_db, actor, leader).initial().assess().meet()
    vid = plan.create_plan(office_db, actor, c.id, plan_raw(), at=vn("10:00 24/11/2026"))
    plan.submit_plan(office_db, actor, vid, at=vn("11:00 24/11/2026"))
    s05 = open_screen("05", leader, c.id)
    qtbot.addWidget(s05)
    s05.show()
    s05.approve_button.click()
    preview = s05.sign_preview
    assert preview.isVisible() and preview.document.pageCount() >= 2  # the decision, then the plan
    assert "Phạm Văn Hùng" in preview.question.text()
    page = preview.document.getAllText(0).text()
    assert "QUYẾT ĐỊNH" in page and "Phạm Văn Hùng" in page and "DỰ THẢO" not in page
    preview.back_button.click()
    with office_db.session() as s:
        assert s.scalars(select(PlanApproval)).all() == []
    s05.approve_button.click()
    s05.sign_preview.confirm_button.click()
    with office_db.session() as s:
        assert s.scalar(select(PlanApproval.approved_by)) == "Phạm Văn Hùng"


def test_the_leaders_home_tab_shows_what_waits_for_the_leader_first(qtbot, workspace, office_db, actor, leader):  # noqa: F811
    waiting = Case_(office_db, actor, leader).initial().assess().meet()
    vid = plan.create_plan(office_db, actor, waiting.id, plan_raw(), at=vn("10:00 24/11/2026"))
    plan.submit_plan(office_db, actor, vid, at=vn("11:00 24/11/2026"))
    late = Case_(office_db, actor, leader)  # Mẫu 02 overdue since 20/11: the most urgent for the worker
    at = vn("08:00 25/11/2026")
    mine = TasksView(workspace, at=at)
    chairman = TasksView(leader, at=at)
    for view in (mine, chairman):
        qtbot.addWidget(view)
        view.refresh()
    assert mine.model.tasks[0].case_id == late.id
    first = chairman.model.tasks[0]
    assert first.case_id == waiting.id and first.form == "05" and first.for_leader
    assert "1 việc chờ lãnh đạo" in chairman.summary.text()
    assert "chờ lãnh đạo" not in mine.summary.text()


def test_turning_a_saved_mau02_conclusion_around_asks_first(qtbot, workspace, office_db, actor, monkeypatch):
    from models.process_entities import InitialAssessment

    c = Case_(office_db, actor).initial()  # saved: emergency (the stepfather is the abuser)
    asked: list[str] = []
    answers = iter([1, 0])
    monkeypatch.setattr(messages, "choose", lambda _p, _t, text, *a, **k: asked.append(text) or next(answers))
    s02 = open_screen("02", workspace, c.id)
    qtbot.addWidget(s02)
    s02.show()
    assert s02.widgets["caregiver_is_abuser"].value() == "yes"  # the stored answers, not blanks
    s02.widgets["threat_health"].button("no").click()
    s02.widgets["caregiver_is_abuser"].button("no").click()
    s02.save_button.click()
    assert len(asked) == 1 and "cần can thiệp khẩn cấp" in asked[0]
    with office_db.session() as s:
        assert s.scalar(select(InitialAssessment.needs_emergency)) is True  # kept
    s02.save_button.click()
    with office_db.session() as s:
        assert s.scalar(select(InitialAssessment.needs_emergency)) is False
