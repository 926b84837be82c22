"""Nothing decided by default: every form screen saved as it opens writes nothing and says, beside each
required item, what is missing; a yes/no question has a third state, "Chưa trả lời", kept in drafts and
stored as NULL; Mẫu 03 and Mẫu 06 conclude nothing until every item is rated; the blank printout shows
empty boxes. Screens are the real dialogs on a database made by the real migrations."""
from __future__ import annotations

import io
from datetime import datetime

import pdfplumber
import pytest
from PySide6.QtWidgets import QRadioButton
from sqlalchemy import func, select

from desktop.common import messages
from desktop.process import open_screen
from models.clock import VN
from models.process_entities import (
    ActivityProgress, CaseMeeting, CaseReview, InitialAssessment, PlanVersion, RiskAssessment, Separation,
)
from models.entities import Case
from models.services import assessment, meeting, plan, separation
from models.services.accounts import add_account, login
from models.services.cases import load_case
from models.services.intake import create_intake, parse_intake
from models.services.office import get_office
from models.services.process_common import ProcessError
from models.process_rules import process_form, rating_tables
from printouts import registry
from tests.conftest import intake_raw
from tests.models.test_process_data import activity, ia_raw, meeting_raw, plan_raw, ra_raw, separation_raw

LEADER_PASSWORD = "mat-khau-chu-tich"
YES_NO = [q["id"] for q in process_form("02")["questions"] if q.get("kind") != "text"]


def vn(text: str) -> datetime:
    return datetime.strptime(text, "%H:%M %d/%m/%Y").replace(tzinfo=VN)


@pytest.fixture
def leader(workspace, data_dir):
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], LEADER_PASSWORD)
    ws = login(data_dir, "chutich", LEADER_PASSWORD)
    yield ws
    ws.close()


class Case_:
    """A case taken through the real services up to the stage a screen needs."""

    def __init__(self, db, actor, leader=None):
        self.db, self.actor, self.leader = db, actor, leader
        data, errors = parse_intake(intake_raw(), at=vn("09:00 20/11/2026"))
        assert errors == {}
        self.id = create_intake(db, data, actor)

    def initial(self):
        assessment.save_initial_assessment(self.db, self.actor, self.id, ia_raw(), at=vn("10:00 20/11/2026"))
        return self

    def assess(self):
        assessment.save_risk_assessment(self.db, self.actor, self.id, ra_raw(), at=vn("09:00 23/11/2026"))
        return self

    def meet(self):
        meeting.save_meeting(self.db, self.actor, self.id, meeting_raw(), at=vn("16:00 23/11/2026"))
        return self

    def approved_plan(self):
        vid = plan.create_plan(self.db, self.actor, self.id, plan_raw(activities=[
            activity(), activity(kind="giao_duc_nghe", name="Hỗ trợ học phí", end_on="30/12/2026")]),
            at=vn("10:00 24/11/2026"))
        plan.submit_plan(self.db, self.actor, vid, at=vn("11:00 24/11/2026"))
        plan.approve_plan(self.leader.db, self.leader.actor, vid, {
            "approved_by": "Phạm Văn Hùng", "signing_capacity": "chu_tich", "approved_at": "09:00 25/11/2026"},
            at=vn("09:30 25/11/2026"))
        return vid


def count(db, entity) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(entity))


def shown(screen, key) -> str:
    label = screen.errors[key]
    return label.text() if not label.isHidden() else ""


def open_(qtbot, ws, form, case_id):
    screen = open_screen(form, ws, case_id)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_every_form_screen_saved_as_it_opens_writes_nothing_and_says_what_is_missing(
        qtbot, workspace, office_db, actor, leader, monkeypatch):
    monkeypatch.setattr(messages, "choose", lambda *a, **k: pytest.fail("no question expected"))
    ws, db = workspace, office_db

    # Mẫu 02: one click on "Lưu Mẫu 02" with nothing ticked decides nothing.
    c = Case_(db, actor, leader)
    s02 = open_(qtbot, ws, "02", c.id)
    assert all(s02.widgets[k].value() == "" and s02.widgets[k].button("").isChecked() for k in YES_NO)
    assert "chưa trả lời" in s02.conclusion.text() and "Chưa cần" not in s02.conclusion.text()
    s02.save_button.click()
    assert count(db, InitialAssessment) == 0
    for key in YES_NO:
        assert "chưa được trả lời" in shown(s02, key), key

    # Mẫu 07: no ground, no care form chosen for the user.
    c.initial()
    s07 = open_(qtbot, ws, "07", c.id)
    assert s07.widgets["carer_kind"].value() == ""
    s07.save_button.click()
    assert count(db, Separation) == 0
    for key in ("grounds", "separated_from", "safe_place", "carer_kind", "carer_name"):
        assert shown(s07, key), key

    # Mẫu 03: every unrated item is marked on its own row; no totals, no conclusion.
    s03 = open_(qtbot, ws, "03", c.id)
    assert "Chưa có kết luận" in s03.conclusion.text() and "nguy cơ" not in s03.conclusion.text().split("Chưa")[0]
    items = [(t["id"], i["id"]) for t in rating_tables("03") for i in t["items"]]
    for table, item in items:
        assert s03.ratings.marks[f"{table}.{item}"].text() == "Chưa chọn mức độ"
    assert "Cao:" not in s03.ratings.totals["harm"].text()
    s03.save_button.click()
    assert count(db, RiskAssessment) == 0
    for table, item in items:
        assert "chọn Cao, Trung bình hoặc Thấp" in shown(s03, f"ratings.{table}.{item}"), item
    assert shown(s03, "answers") and shown(s03, "problems")

    # The meeting minutes: the conclusions are required.
    c.assess()
    sm = open_(qtbot, ws, "bien_ban_hop", c.id)
    sm.widgets["place"].clear()
    sm.save_button.click()
    assert count(db, CaseMeeting) == 0
    assert shown(sm, "conclusions") and shown(sm, "place")

    # Mẫu 04: an empty plan is not saved, even as a draft.
    c.meet()
    s04 = open_(qtbot, ws, "04", c.id)
    s04.save_button.click()
    assert count(db, PlanVersion) == 0
    assert "chưa có nội dung" in shown(s04, "objectives") and shown(s04, "activities")

    # Mẫu 05: returning a plan needs the comment.
    vid = plan.create_plan(db, actor, c.id, plan_raw(), at=vn("10:00 24/11/2026"))
    plan.submit_plan(db, actor, vid, at=vn("11:00 24/11/2026"))
    s05 = open_(qtbot, leader, "05", c.id)
    s05.return_button.click()
    assert "Ghi ý kiến" in shown(s05, "return_comment")
    with db.session() as s:
        assert s.get(PlanVersion, vid).submitted_at is not None

    # Carrying out the plan: nothing chosen, nothing typed → nothing recorded.
    plan.approve_plan(leader.db, leader.actor, vid, {"approved_by": "Phạm Văn Hùng", "signing_capacity": "chu_tich",
                                                     "approved_at": "09:00 25/11/2026"}, at=vn("09:30 25/11/2026"))
    sx = open_(qtbot, ws, "hoat_dong", c.id)
    sx.record_button.click()
    assert count(db, ActivityProgress) == 0 and "chọn trạng thái mới" in shown(sx, "note")

    # Mẫu 06: no green "không còn nguy cơ" from an empty table; each row marked; nothing saved.
    s06 = open_(qtbot, ws, "06", c.id)
    no_risk = process_form("06")["part1"]["conclusion"]["low"]
    assert no_risk not in s06.conclusion.text() and "Chưa có kết luận" in s06.conclusion.text()
    assert "#1b5e20" not in s06.conclusion.text()
    s06.save_button.click()
    assert count(db, CaseReview) == 0
    for table in rating_tables("06"):
        for item in table["items"]:
            assert "chọn Cao, Trung bình hoặc Thấp" in shown(s06, f"ratings.{table['id']}.{item['id']}")
    assert shown(s06, "outcome") and shown(s06, "outcome_reason")

    # Closing: the reason is required.
    sc = open_(qtbot, ws, "dong", c.id)
    sc.close_case_button.click()
    assert shown(sc, "reason")
    with db.session() as s:
        assert s.get(Case, c.id).closed_at is None


def test_mau06_concludes_only_when_every_row_is_rated(qtbot, workspace, office_db, actor, leader):
    c = Case_(office_db, actor, leader).initial().assess().meet()
    c.approved_plan()
    s06 = open_(qtbot, workspace, "06", c.id)
    rows = [(t["id"], i["id"]) for t in rating_tables("06") for i in t["items"]]
    for table, item in rows[:-1]:
        s06.findChild(QRadioButton, f"rate_{table}_{item}_thap" if table == "harm" else f"rate_{table}_{item}_cao").click()
        assert "Chưa có kết luận" in s06.conclusion.text()
    last_table, last_item = rows[-1]
    assert not s06.ratings.marks[f"{last_table}.{last_item}"].isHidden()  # the one row still missing
    assert all(s06.ratings.marks[f"{t}.{i}"].isHidden() for t, i in rows[:-1])
    assert "Cao:" in s06.ratings.totals["harm"].text() and "Cao:" not in s06.ratings.totals["self_protection"].text()
    s06.findChild(QRadioButton, f"rate_{last_table}_{last_item}_cao").click()
    assert process_form("06")["part1"]["conclusion"]["low"] in s06.conclusion.text()
    assert "Cao:" in s06.ratings.totals["self_protection"].text()


def test_mau02_draft_keeps_unanswered_and_an_answer_can_be_taken_back(qtbot, workspace, office_db, actor):
    c = Case_(office_db, actor)
    s02 = open_(qtbot, workspace, "02", c.id)
    s02.widgets["threat_life"].button("no").click()
    s02.widgets["threat_health"].button("yes").click()
    s02.widgets["threat_health"].button("").click()  # clicked by mistake: back to "Chưa trả lời"
    s02.reject()  # closing keeps what was typed as a draft
    again = open_(qtbot, workspace, "02", c.id)
    assert again.widgets["threat_life"].value() == "no"
    assert [again.widgets[k].value() for k in YES_NO[1:]] == ["", "", "", ""]
    assert "Đã mở lại phần đang nhập dở" in again.notice.text()
    assert count(office_db, InitialAssessment) == 0


def test_the_service_refuses_unanswered_questions_and_stores_them_as_null(office_db, actor):
    c = Case_(office_db, actor)
    raw = ia_raw(threat_life=None, caregiver_is_abuser="")
    with pytest.raises(ProcessError) as refused:
        assessment.save_initial_assessment(office_db, actor, c.id, raw, at=vn("10:00 20/11/2026"))
    assert set(refused.value.errors) >= {"threat_life", "caregiver_is_abuser"}
    assert count(office_db, InitialAssessment) == 0
    # Answers recorded without confirming the conclusion keep "unanswered" as NULL, never "Không".
    raw = {k: v for k, v in ia_raw().items() if k not in YES_NO}
    raw.update(threat_life="không", threat_health=None)
    assessment.save_initial_assessment(office_db, actor, c.id, raw, complete=False, at=vn("10:00 20/11/2026"))
    with office_db.session() as s:
        ia = s.scalar(select(InitialAssessment))
        assert ia.threat_life is False and ia.threat_health is None and ia.caregiver_is_abuser is None
        assert ia.needs_emergency is None and ia.completed_at is None
    # Its printout shows both boxes empty for the unanswered questions (■ only for "Không" of question 1).
    buffer = io.BytesIO()
    registry.render("02", load_case(office_db, c.id), get_office(office_db), buffer)
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert text.count("■") == 1 and text.count("□") >= 2 * len(YES_NO) - 1 + 2


def test_the_blank_mau02_shows_empty_boxes(office_db):
    buffer = io.BytesIO()
    registry.render_blank("02", get_office(office_db), buffer)
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "■" not in text and text.count("□") >= 2 * len(YES_NO)


def test_the_migration_keeps_answers_of_an_existing_assessment(office_db, actor, data_dir):
    """Upgrade from the two previous heads with a Mẫu 02 stored: its answers stay, NULL is now allowed."""
    from alembic import command
    from sqlalchemy import inspect

    from models.db import alembic_config

    c = Case_(office_db, actor).initial()
    cfg = alembic_config(office_db.engine)
    command.downgrade(cfg, "0003")  # back to the heads 0003 + 0004 as a previous release left them
    cols = {col["name"]: col for col in inspect(office_db.engine).get_columns("initial_assessment")}
    assert cols["threat_life"]["nullable"] is False
    command.upgrade(cfg, "heads")
    cols = {col["name"]: col for col in inspect(office_db.engine).get_columns("initial_assessment")}
    assert all(cols[k]["nullable"] for k in YES_NO)
    with office_db.session() as s:
        ia = s.scalar(select(InitialAssessment).where(InitialAssessment.case_id == c.id))
        assert (ia.threat_life, ia.threat_health, ia.caregiver_is_abuser, ia.needs_emergency) == (False, True, True, True)
