"""Issue item 13: bad input and out-of-order actions are refused with clear Vietnamese messages, and
nothing already saved is lost."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from models.clock import VN
from models.process_entities import (
    InitialAssessment, PlanVersion, RiskAssessment, Separation, SupportPlan,
)
from models.services import assessment, meeting, plan, separation
from models.services.accounts import add_account, login
from models.services.intake import create_intake, parse_intake
from models.services.process_common import ProcessError
from tests.conftest import intake_raw
from tests.models.test_process_data import activity, ia_raw, meeting_raw, plan_raw, ra_raw, separation_raw

AT = datetime(2026, 11, 25, 10, 0, tzinfo=VN)


@pytest.fixture
def case_id(office_db, actor):
    data, _ = parse_intake(intake_raw(), at=AT)
    return create_intake(office_db, data, actor)


@pytest.fixture
def assessed(office_db, actor, case_id):
    assessment.save_initial_assessment(office_db, actor, case_id, ia_raw(), at=AT)
    assessment.save_risk_assessment(office_db, actor, case_id, ra_raw(), at=AT)
    return case_id


def errors(call, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(ProcessError) as exc:
        call(*args, **kwargs)
    return exc.value.errors


def count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_activity_ending_before_it_starts(office_db, actor, assessed):
    raw = plan_raw(activities=[activity(), activity(start_on="10/12/2026", end_on="01/12/2026")])
    e = errors(plan.create_plan, office_db, actor, assessed, raw, at=AT)
    assert "không thể trước ngày bắt đầu" in e["activities.1.end_on"]
    assert count(office_db, SupportPlan) == 0


@pytest.mark.parametrize("call, raw, field", [
    ("ia", ia_raw(assessed_at="08:00 20/11/2026"), "assessed_at"),
    ("sep", separation_raw(start_at="07:00 20/11/2026"), "start_at"),
    ("meeting", meeting_raw(held_at="14:00 19/11/2026", ended_at=""), "held_at"),
])
def test_dates_before_the_intake_are_refused(office_db, actor, case_id, call, raw, field):
    fn = {"ia": assessment.save_initial_assessment, "sep": separation.save_separation_draft,
          "meeting": meeting.save_meeting}[call]
    e = errors(fn, office_db, actor, case_id, raw, at=AT)
    assert "trước" in e[field] and "nhận thông tin" in e[field]


def test_mau03_and_plan_dates_before_the_intake(office_db, actor, case_id):
    assessment.save_initial_assessment(office_db, actor, case_id, ia_raw(), at=AT)
    e = errors(assessment.save_risk_assessment, office_db, actor, case_id, ra_raw(assessed_on="19/11/2026"), at=AT)
    assert "trước ngày nhận thông tin (20/11/2026)" in e["assessed_on"]
    assessment.save_risk_assessment(office_db, actor, case_id, ra_raw(), at=AT)
    e = errors(plan.create_plan, office_db, actor, case_id, plan_raw(activities=[activity(start_on="01/11/2026")]), at=AT)
    assert "trước ngày nhận thông tin" in e["activities.0.start_on"]


def test_separation_longer_than_15_days_needs_an_order(office_db, actor, case_id):
    e = errors(separation.save_separation_draft, office_db, actor, case_id, separation_raw(duration_days="20"), at=AT)
    assert "không quá 15 ngày" in e["duration_days"]
    assert count(office_db, Separation) == 0
    sep_id = separation.save_separation_draft(office_db, actor, case_id, separation_raw(
        duration_days="20", order_number="12/QĐ-TA", order_date="20/11/2026", order_body="Tòa án nhân dân khu vực 3"),
        at=AT)
    assert sep_id


def test_extension_beyond_15_days_needs_the_order(office_db, actor, case_id, workspace, data_dir):
    sep_id = separation.save_separation_draft(office_db, actor, case_id, separation_raw(), at=AT)
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    leader = login(data_dir, "chutich", "mat-khau-chu-tich")
    try:
        separation.decide_separation(leader.db, leader.actor, sep_id, decided_by="Phạm Văn Hùng",
                                     decided_at="13:00 20/11/2026", at=AT)
    finally:
        leader.close()
    e = errors(separation.extend_separation, office_db, actor, sep_id, {"duration_days": "25"})
    assert "Số văn bản không được để trống" in e["order_number"]
    separation.extend_separation(office_db, actor, sep_id, {"duration_days": "25", "order_number": "05/2026/QĐ-TA",
                                                            "order_date": "03/12/2026", "order_body": "Tòa án nhân dân"})
    with office_db.session() as s:
        assert s.scalar(select(Separation.duration_days)) == 25
    e = errors(separation.delete_separation_draft, office_db, actor, sep_id)
    assert "không xoá được" in e[""]


def test_an_empty_plan_cannot_be_submitted_or_approved(office_db, actor, assessed, workspace, data_dir):
    version_id = plan.create_plan(office_db, actor, assessed, plan_raw(activities=[]), at=AT)
    e = errors(plan.submit_plan, office_db, actor, version_id, at=AT)
    assert "chưa có hoạt động nào" in e["activities"]
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    leader = login(data_dir, "chutich", "mat-khau-chu-tich")
    try:
        e = errors(plan.approve_plan, leader.db, leader.actor, version_id, {"approved_by": "Phạm Văn Hùng"}, at=AT)
    finally:
        leader.close()
    assert "chưa có hoạt động nào" in e["activities"]
    with office_db.session() as s:
        assert s.scalar(select(PlanVersion.submitted_at)) is None


def test_deleting_forms_that_later_forms_depend_on(office_db, actor, assessed):
    e = errors(assessment.delete_initial_assessment, office_db, actor, assessed)
    assert "Không xoá được Mẫu số 02" in e[""]
    meeting_id = meeting.save_meeting(office_db, actor, assessed, meeting_raw(), at=AT)
    version_id = plan.create_plan(office_db, actor, assessed, plan_raw(), at=AT)
    with office_db.session() as s:
        ra_id = s.scalar(select(RiskAssessment.id))
    e = errors(assessment.delete_risk_assessment, office_db, actor, ra_id)
    assert "đã có kế hoạch" in e[""]
    e = errors(assessment.save_risk_assessment, office_db, actor, assessed, ra_raw(), assessment_id=ra_id, at=AT)
    assert "Không sửa được" in e[""]
    e = errors(meeting.delete_meeting, office_db, actor, meeting_id)
    assert "đã có kế hoạch" in e[""]
    # Draft plans can go; then the Mẫu 03 may be deleted once nothing uses it.
    plan.delete_plan_version(office_db, actor, version_id)
    meeting.delete_meeting(office_db, actor, meeting_id)
    assessment.delete_risk_assessment(office_db, actor, ra_id)
    assert count(office_db, RiskAssessment) == 0 and count(office_db, InitialAssessment) == 1


def test_out_of_order_and_unconfirmed_conclusions(office_db, actor, case_id):
    e = errors(assessment.save_risk_assessment, office_db, actor, case_id, ra_raw(), at=AT)
    assert "Mẫu số 02" in e[""]
    e = errors(plan.create_plan, office_db, actor, case_id, plan_raw(), at=AT)
    assert "Chưa có Mẫu số 03" in e[""]
    e = errors(assessment.save_initial_assessment, office_db, actor, case_id, ia_raw(needs_emergency=False), at=AT)
    assert "ghi rõ lý do" in e["override_reason"]
    e = errors(assessment.save_initial_assessment, office_db, actor, case_id, ia_raw(threat_description=""), at=AT)
    assert "Mô tả" in e["threat_description"]
    assessment.save_initial_assessment(office_db, actor, case_id, ia_raw(
        needs_emergency=False, override_reason="Cháu đã ở với bà ngoại, cha dượng bị tạm giữ."), at=AT)
    with office_db.session() as s:
        ia = s.scalar(select(InitialAssessment))
        assert ia.needs_emergency_by_rule and not ia.needs_emergency


def test_mau03_must_rate_every_item_and_settle_the_parents_opinion(office_db, actor, case_id):
    assessment.save_initial_assessment(office_db, actor, case_id, ia_raw(), at=AT)
    raw = ra_raw(parents_opinion_skipped=False, problems=[])
    raw["ratings"] = {"harm": {"muc_do_ton_hai": "cao"}, "self_protection": {}}
    e = errors(assessment.save_risk_assessment, office_db, actor, case_id, raw, at=AT)
    assert "Khả năng tiếp cận trẻ em" in e["ratings.harm.kha_nang_tiep_can"]
    assert "ý kiến" in e["parents_opinion"] and "ít nhất một vấn đề" in e["problems"]
