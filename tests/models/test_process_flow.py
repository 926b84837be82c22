"""One case carried through the whole Nghị định 56 process: intake → 02 → emergency → 07 → 03 → meeting →
04 → 05 (by the chairman's account) → progress → adjustment → 06 → close → reopen.
Rows, stages (Python and SQL), deadlines and audit entries are checked along the way."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from models.calendar_days import end_of_day
from models.clock import VN
from models.entities import AuditEvent, Case, DocumentCounter
from models.process_entities import (
    ActivityProgress, CaseStatusEvent, PlanApproval, PlanVersion, Separation,
)
from models.security.roles import NotAllowed
from models.services import assessment, incident_report, meeting, plan, review, separation
from models.services.accounts import add_account, login
from models.services.intake import create_intake, parse_intake
from models.services.process_common import ProcessError
from models.process_rules import risk_conclusion
from models.services.tasks import compute_tasks
from models.stages import facts_of, next_step, pending_steps, stage_expression, stage_of
from tests.conftest import intake_raw
from tests.models.test_process_data import (
    CAL, activity, ia_raw, meeting_raw, plan_raw, ra_raw, review_raw, separation_raw,
)

AT = datetime(2026, 11, 25, 10, 0, tzinfo=VN)


def vn(text: str) -> datetime:
    return datetime.strptime(text, "%H:%M %d/%m/%Y").replace(tzinfo=VN)


@pytest.fixture
def leader(workspace, data_dir):
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    ws = login(data_dir, "chutich", "mat-khau-chu-tich")
    yield ws
    ws.close()


def stages(db, case_id):
    from models.services.cases import load_case
    case = load_case(db, case_id)
    with db.session() as s:
        sql = s.scalar(select(stage_expression()).where(Case.id == case_id))
    assert stage_of(case) == sql
    return sql, case


def audit_actions(db, code):
    with db.session() as s:
        return [(e.action, e.entity) for e in s.scalars(select(AuditEvent).where(AuditEvent.entity_id == code)
                                                         .order_by(AuditEvent.id))]


def test_full_process_from_intake_to_reopening(office_db, actor, leader):
    db = office_db
    data, errors = parse_intake(intake_raw(), at=AT)
    assert errors == {}
    case_id = create_intake(db, data, actor)
    stage, case = stages(db, case_id)
    assert stage == "tiep_nhan"
    step = next_step(case, CAL, vn("09:00 20/11/2026"))
    assert "Mẫu số 02" in step.title and step.deadline == vn("20:30 20/11/2026")
    # A case of abuse: reported upward by phone at once, in writing by the end of 21/11.
    (upward,) = [s for s in pending_steps(facts_of(case), CAL) if s.form == "bao_cao_vu_viec"]
    assert upward.deadline == end_of_day(date(2026, 11, 21))
    rid = incident_report.save_incident_report(db, actor, case_id, {
        "phoned_at": "09:00 20/11/2026", "phoned_to": "Sở Y tế", "recipient": "UBND tỉnh (qua Sở Y tế)",
        "summary": "Trẻ em bị cha dượng đánh.", "signer": "Phạm Văn Hùng"}, at=vn("09:05 20/11/2026"))
    incident_report.issue_incident_report(db, actor, rid, report_date="20/11/2026", at=vn("16:00 20/11/2026"))
    stage, case = stages(db, case_id)
    assert [s.form for s in pending_steps(facts_of(case), CAL)] == ["02"]

    # Mẫu 02: the stepfather hurts the child → emergency (Điều 31.1), 12 clock hours from 08:30.
    assessment.save_initial_assessment(db, actor, case_id, ia_raw(), at=vn("10:00 20/11/2026"))
    stage, case = stages(db, case_id)
    assert stage == "khan_cap"
    assert case.initial_assessment.needs_emergency_by_rule and case.initial_assessment.needs_emergency
    step = next_step(case, CAL, vn("11:00 20/11/2026"))
    assert step.form == "07" and step.deadline == vn("20:30 20/11/2026") and step.status(vn("11:00 20/11/2026")) == "Còn 9 giờ 30 phút"

    # Mẫu 07 drafted by the worker; the worker cannot decide it; the chairman does.
    sep_id = separation.save_separation_draft(db, actor, case_id, separation_raw(), at=vn("11:00 20/11/2026"))
    with pytest.raises(NotAllowed):
        separation.decide_separation(db, actor, sep_id, decided_by="Phạm Văn Hùng", decided_at=vn("12:00 20/11/2026"))
    number = separation.decide_separation(leader.db, leader.actor, sep_id, decided_by="Phạm Văn Hùng",
                                          decided_at=vn("12:00 20/11/2026"), at=AT)
    assert number == "01/QĐ-UBND"
    stage, case = stages(db, case_id)
    assert stage == "cach_ly"
    sep_step = [s for s in pending_steps(facts_of(case), CAL) if s.form == "07"][0]
    # 15 days from Friday 20/11 end on Saturday 05/12, never rolled (NĐ 56 Điều 32.3: at most 15 days);
    # the reassessment is due from Thursday 03/12, the 2nd working day before.
    assert sep_step.deadline.date() == date(2026, 12, 5) and sep_step.remind_from.date() == date(2026, 12, 3)

    # Mẫu 03: computed conclusion, never typed.
    ra_id = assessment.save_risk_assessment(db, actor, case_id, ra_raw(), at=vn("09:00 23/11/2026"))
    stage, case = stages(db, case_id)
    assert stage == "da_danh_gia"
    ra = case.risk_assessments[0]
    assert risk_conclusion(ra.ratings).level == "high"
    plan_step = next_step(facts_of(case), CAL, vn("08:00 23/11/2026"))
    assert plan_step.form in ("bien_ban_hop", "07")

    meeting.save_meeting(db, actor, case_id, meeting_raw(), at=AT)
    stage, case = stages(db, case_id)
    assert stage == "da_hop" and case.meetings[0].risk_assessment_id == ra_id

    # Mẫu 04 draft: 5 working days from the end of Mẫu 02 (Friday 20/11 10:00): 23, 24, 25, 26, 27/11
    # (Tuesday 24/11, "Ngày Văn hóa Việt Nam", is not yet a day off in law) → end of Friday 27/11.
    version_id = plan.create_plan(db, actor, case_id, plan_raw(), at=AT)
    stage, case = stages(db, case_id)
    assert stage == "du_thao_ke_hoach"
    steps = pending_steps(facts_of(case), CAL)
    assert steps[0].form == "04" and steps[0].deadline == end_of_day(date(2026, 11, 27))

    plan.submit_plan(db, actor, version_id, at=vn("16:00 24/11/2026"))
    stage, case = stages(db, case_id)
    assert stage == "cho_phe_duyet"
    step = pending_steps(facts_of(case), CAL)[0]
    assert step.form == "05" and step.deadline.date() == date(2026, 11, 26)

    # Mẫu 05 — leader only; a worker is refused.
    approval = {"approved_by": "Phạm Văn Hùng", "signing_capacity": "chu_tich", "approved_at": "09:00 25/11/2026"}
    with pytest.raises(NotAllowed):
        plan.approve_plan(db, actor, version_id, approval, at=AT)
    number = plan.approve_plan(leader.db, leader.actor, version_id, approval, at=AT)
    assert number == "02/QĐ-UBND"
    stage, case = stages(db, case_id)
    assert stage == "dang_thuc_hien"
    p = case.plans[0]
    assert p.versions[0].approval.plan_doc_number == 1 and p.versions[0].total_cost == 3_700_000
    assert p.versions[0].approval.effective_to == date(2027, 2, 26)

    # The leader reads and approves but does not edit forms.
    with pytest.raises(NotAllowed):
        assessment.save_risk_assessment(leader.db, leader.actor, case_id, ra_raw(), at=AT)
    with pytest.raises(NotAllowed):
        plan.record_progress(leader.db, leader.actor, p.id, 1, {"status": "dang_thuc_hien"}, at=AT)

    # Carrying out: status and dated notes.
    key = p.versions[0].activities[0].key
    plan.record_progress(db, actor, p.id, key, {"status": "dang_thuc_hien", "note": "Đã đưa cháu đi khám.",
                                                "noted_on": "25/11/2026"}, at=AT)
    plan.record_progress(db, actor, p.id, key, {"status": "hoan_thanh", "noted_on": "25/11/2026"}, at=AT)

    # An approved version is frozen: saving changes makes version 2 with its reason, v1 unchanged.
    new_raw = plan_raw(activities=[activity(key=key), activity(name="Tư vấn tâm lý cho mẹ", kind="y_te_tam_ly", cost="500.000")])
    with pytest.raises(ProcessError) as exc:
        plan.save_plan(db, actor, version_id, new_raw, at=AT)
    assert "lý do" in exc.value.errors["reason"]
    v2 = plan.save_plan(db, actor, version_id, new_raw, reason="Bổ sung tư vấn cho mẹ", at=AT)
    assert v2 != version_id
    plan.submit_plan(db, actor, v2, at=AT)
    plan.approve_plan(leader.db, leader.actor, v2, {**approval, "approved_at": "10:00 25/11/2026"}, at=AT)
    stage, case = stages(db, case_id)
    versions = case.plans[0].versions
    assert [v.version for v in versions] == [1, 2] and all(v.approval for v in versions)
    assert len(versions[0].activities) == 1 and len(versions[1].activities) == 2
    assert versions[1].activities[0].key == key  # the activity keeps its progress across versions
    assert plan.activity_statuses(case.plans[0])[key] == "hoan_thanh"

    # The separation ends: the child goes home.
    separation.end_separation(db, actor, sep_id, outcome="huy_bo", at="17:00 25/11/2026", note="Cha dượng đã chuyển đi.")

    # Mẫu 06: close.
    review.record_review(db, actor, p.id, review_raw(), at=vn("10:30 25/11/2026"))
    stage, case = stages(db, case_id)
    assert stage == "da_dong" and case.closed_reason.startswith("Trẻ em an toàn")
    assert next_step(case, CAL, AT) is None
    assert compute_tasks(db, CAL, AT) == []

    # Closed cases refuse new records, then reopen with a reason.
    with pytest.raises(ProcessError, match="đã đóng"):
        assessment.save_risk_assessment(db, actor, case_id, ra_raw(), at=AT)
    review.reopen_case(db, actor, case_id, "Nhận tin báo mới: cha dượng quay về.", at=vn("11:00 25/11/2026"))
    stage, case = stages(db, case_id)
    assert stage == "mo_lai" and case.closed_at is None
    assert [e.kind for e in case.status_events] == ["dong", "mo_lai"]
    assert next_step(case, CAL, AT).form == "03"
    tasks = compute_tasks(db, CAL, AT)
    assert [t.case_id for t in tasks] == [case_id] and tasks[0].form == "03"

    # A new round keeps the history.
    assessment.save_risk_assessment(db, actor, case_id, ra_raw(assessed_on="25/11/2026"), at=vn("11:30 25/11/2026"))
    stage, case = stages(db, case_id)
    assert stage == "da_danh_gia" and len(case.risk_assessments) == 2 and len(case.plans) == 1

    with db.session() as s:
        counters = dict(s.execute(select(DocumentCounter.kind, DocumentCounter.last_number)
                                  .where(DocumentCounter.year == 2026)).all())
        assert counters["QĐ"] == 3 and counters["KH"] == 2
        assert s.scalar(select(Separation.outcome)) == "huy_bo"
        assert len(s.scalars(select(ActivityProgress)).all()) == 2
        assert len(s.scalars(select(PlanApproval)).all()) == 2
        assert len(s.scalars(select(CaseStatusEvent)).all()) == 2

    actions = audit_actions(db, case.code)
    for expected in [("create", "case"), ("create", "mau02"), ("create", "mau07"), ("approve", "mau07"),
                     ("create", "mau03"), ("create", "bien_ban_hop"), ("create", "mau04"), ("update", "mau04"),
                     ("approve", "mau05"), ("update", "hoat_dong"), ("create", "mau06"), ("close", "case"),
                     ("reopen", "case")]:
        assert expected in actions, expected
    with leader.db.session() as s:
        who = s.scalars(select(AuditEvent.username).where(AuditEvent.action == "approve")).all()
    assert set(who) == {"chutich"}


def test_worker_cannot_approve_and_leader_cannot_edit(office_db, actor, leader):
    db = office_db
    data, _ = parse_intake(intake_raw(), at=AT)
    case_id = create_intake(db, data, actor)
    with pytest.raises(NotAllowed):
        assessment.save_initial_assessment(leader.db, leader.actor, case_id, ia_raw(), at=AT)
    with pytest.raises(NotAllowed):
        review.close_case(leader.db, leader.actor, case_id, "Không có căn cứ")
    assessment.save_initial_assessment(db, actor, case_id, ia_raw(), at=AT)
    assessment.save_risk_assessment(db, actor, case_id, ra_raw(), at=AT)
    version_id = plan.create_plan(db, actor, case_id, plan_raw(), at=AT)
    plan.submit_plan(db, actor, version_id, at=AT)
    with pytest.raises(NotAllowed):
        plan.approve_plan(db, actor, version_id, {"approved_by": "Trần Thị Lan"}, at=AT)
    with db.session() as s:
        assert s.scalar(select(PlanVersion.submitted_at)) is not None
        assert s.scalars(select(PlanApproval)).all() == []
