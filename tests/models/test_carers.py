"""The carers' side of alternative care (issue 15): Mẫu 08 applications and relatives' notices, the carer's file,
the conditions checked with messages at the field, Mẫu 11 verification confirmed by the chairman, withdrawal,
the quarterly Mẫu 09 to-do item."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from models.calendar_days import WorkCalendar
from models.care_entities import Carer, CarerListSending
from models.clock import VN
from models.entities import AuditEvent, Case
from models.security.roles import NotAllowed
from models.services import carers
from models.services.accounts import add_account, login
from models.services.intake import create_intake, parse_intake
from models.services.process_common import ProcessError
from models.services.tasks import compute_tasks
from tests.conftest import intake_raw

AT = datetime(2026, 11, 25, 10, 0, tzinfo=VN)
CAL = WorkCalendar()


def person(**overrides) -> dict:
    raw = {
        "registration": "don_dang_ky", "kind": "ca_nhan", "full_name": "Lê Văn Thành",
        "date_of_birth": "12/03/1980", "gender": "nam", "personal_id": "030080001234", "is_foreigner": False,
        "nationality": "Việt Nam", "occupation": "Giáo viên", "phone": "0912 345 678", "village": "Thôn Đông",
        "address": "Số 5, thôn Đông", "lives_in_commune": True, "applied_on": "02/11/2026",
        "wishes": "Trẻ em gái từ 6 đến 10 tuổi", "reasons": "Gia đình có điều kiện, muốn giúp trẻ em",
        "health_certificate_on": "20/10/2026", "family_consent": True,
    }
    raw.update(overrides)
    return raw


@pytest.fixture
def leader(workspace, data_dir):
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    ws = login(data_dir, "chutich", "mat-khau-chu-tich")
    yield ws
    ws.close()


def errors_of(db, actor, **overrides) -> dict[str, str]:
    with pytest.raises(ProcessError) as info:
        carers.register_carer(db, actor, person(**overrides), at=AT)
    return info.value.errors


def load(db, carer_id) -> Carer:
    with db.session() as s:
        carer = s.get(Carer, carer_id)
        carer.verifications  # noqa: B018 (load)
        return carer


def verify(db, actor, carer_id, answers, conclusion, verification_id=None, **kw):
    raw = {"verified_on": "10/11/2026", "verifier": "Trần Thị Lan", "answers": answers, "conclusion": conclusion,
           "findings": "Nhà cấp 4 khang trang, thu nhập ổn định."}
    raw.update(kw)
    return carers.save_verification(db, actor, carer_id, raw, verification_id=verification_id, at=AT)


def test_an_individual_and_a_family_are_registered_with_their_file_and_audit(office_db, actor):
    one = carers.register_carer(office_db, actor, person(), at=AT)
    fam = carers.register_carer(office_db, actor, person(
        kind="gia_dinh", full_name="Phạm Thị Hoa", gender="nu", personal_id="030085004321", date_of_birth="01/01/1985",
        health_certificate_on="", members=[
            {"full_name": "Nguyễn Văn Bình", "year_of_birth": "1983", "relation": "Chồng", "occupation": "Lái xe"},
            {"full_name": "", "year_of_birth": "", "relation": "", "occupation": ""}]), at=AT)
    carer, family = load(office_db, one), load(office_db, fam)
    assert carers.standing(carer) == "cho_xac_minh"
    assert carers.missing_papers(carer) == []
    assert family.members == [{"full_name": "Nguyễn Văn Bình", "year_of_birth": 1983, "relation": "Chồng",
                               "occupation": "Lái xe"}]
    assert carers.missing_papers(family) == ["Giấy khám sức khỏe trong thời gian 06 tháng tính đến ngày nộp hồ sơ"]
    rows = carers.list_carers(office_db)
    assert [r.full_name for r in rows] == ["Lê Văn Thành", "Phạm Thị Hoa"]
    assert rows[1].members == 2 and rows[1].standing_text == "Chờ xác minh (Mẫu 11)"
    assert [r.full_name for r in carers.list_carers(office_db, text="hoa")] == ["Phạm Thị Hoa"]
    with office_db.session() as s:
        assert s.scalars(select(AuditEvent.entity).where(AuditEvent.entity_id == f"NCS-{fam}")).all() == ["carer"]


def test_a_relatives_notice_needs_the_child_and_the_relation_but_no_file(office_db, actor):
    data, errs = parse_intake(intake_raw())
    assert not errs
    case_id = create_intake(office_db, data, actor)
    with office_db.session() as s:
        child_id = s.get(Case, case_id).child_id
    errs = errors_of(office_db, actor, registration="thong_bao_than_thich")
    assert errs["relative_of_child_id"].startswith("Người thân thích thông báo nhận chăm sóc trẻ em nào?")
    assert errs["relation_to_child"].startswith("Ghi quan hệ với trẻ em")
    cid = carers.register_carer(office_db, actor, person(
        registration="thong_bao_than_thich", full_name="Đặng Thị Lựu", relative_of_child_id=child_id,
        relation_to_child="Bà ngoại", health_certificate_on="", date_of_birth="03/04/1960"), at=AT)
    carer = load(office_db, cid)
    assert carer.relative_of_child_id == child_id and carer.relation_to_child == "Bà ngoại"
    assert carers.missing_papers(carer) == []  # Luật Điều 65.4: a relative only notifies
    # Luật Điều 63.2.d: a relative must be an adult; others 20 years older than the child.
    assert carers.age_gap_ok(carer, date(2015, 9, 5)) is True


def test_bad_inputs_each_have_their_message_at_the_field(office_db, actor):
    errs = errors_of(office_db, actor, date_of_birth="01/01/2010")
    assert errs["date_of_birth"].startswith("Người nhận chăm sóc thay thế phải là người thành niên, đủ 18 tuổi")
    errs = errors_of(office_db, actor, full_name="!!! ...")
    assert "Họ và tên chỉ gồm chữ cái tiếng Việt" in errs["full_name"]
    errs = errors_of(office_db, actor, applied_on="01/01/0001")
    assert "nằm ngoài khoảng cho phép" in errs["applied_on"]
    errs = errors_of(office_db, actor, date_of_birth="02/01/0001")
    assert "nằm ngoài khoảng cho phép" in errs["date_of_birth"]
    errs = errors_of(office_db, actor, health_certificate_on="01/04/2026")
    assert errs["health_certificate_on"].startswith("Giấy khám sức khỏe phải trong thời gian 06 tháng")
    foreign = dict(is_foreigner=True, personal_id="C1234567", nationality="Hàn Quốc")
    errs = errors_of(office_db, actor, residence_from="01/08/2026", residence_until="01/12/2028", **foreign)
    assert errs["residence_from"].startswith("Người nước ngoài phải cư trú tại Việt Nam ít nhất 06 tháng")
    errs = errors_of(office_db, actor, residence_from="01/01/2024", residence_until="01/06/2027", **foreign)
    assert errs["residence_until"].startswith("Người nước ngoài phải còn thời hạn cư trú tại Việt Nam ít nhất 12 tháng")
    errs = errors_of(office_db, actor, **foreign)
    assert set(errs) == {"residence_from", "residence_until"}
    # A foreigner who qualifies: the criminal record is still missing from the file.
    cid = carers.register_carer(office_db, actor, person(residence_from="01/01/2024", residence_until="01/12/2027",
                                                         **foreign), at=AT)
    assert carers.missing_papers(load(office_db, cid)) == ["Lý lịch tư pháp (người nước ngoài)"]
    assert not office_db.session().scalars(select(Carer).where(Carer.full_name == "!!! ...")).all()


def test_verification_three_states_and_the_chairmans_confirmation(office_db, actor, leader):
    cid = carers.register_carer(office_db, actor, person(), at=AT)
    # Nothing answered is nothing decided; an unanswered condition cannot give "đủ điều kiện".
    with pytest.raises(ProcessError) as info:
        verify(office_db, actor, cid, {"a": True, "b": True, "c": True}, "du_dieu_kien")
    assert info.value.errors["conclusion"].startswith("Chưa thể kết luận đủ điều kiện: còn điều kiện chưa xác minh")
    assert "điểm d" in info.value.errors["conclusion"]
    with pytest.raises(ProcessError) as info:
        verify(office_db, actor, cid, {"a": True, "b": True, "c": True}, "khong_du_dieu_kien")
    assert "ít nhất một điều kiện không đạt" in info.value.errors["conclusion"]
    vid = verify(office_db, actor, cid, {"a": True, "b": None, "c": ""}, None)  # a draft, answers kept as given
    with office_db.session() as s:
        from models.care_entities import CarerVerification
        assert s.get(CarerVerification, vid).answers == {"a": True}
    with pytest.raises(ProcessError) as info:  # the chairman cannot confirm what is not concluded
        carers.confirm_verification(leader.db, leader.actor, vid, confirmed_by="Phạm Văn Hùng", at=AT)
    assert "chưa kết luận" in info.value.errors["conclusion"]
    verify(office_db, actor, cid, {"a": True, "b": True, "c": True, "d": True}, "du_dieu_kien", verification_id=vid)
    assert carers.standing(load(office_db, cid)) == "cho_xac_minh"  # a draft decides nothing
    with pytest.raises(NotAllowed):
        carers.confirm_verification(office_db, actor, vid, confirmed_by="Trần Thị Lan", at=AT)
    assert carers.confirm_verification(leader.db, leader.actor, vid, confirmed_by="Phạm Văn Hùng",
                                       at=AT) == "du_dieu_kien"
    assert carers.standing(load(office_db, cid)) == "du_dieu_kien"
    with pytest.raises(ProcessError):  # confirmed: no longer edited
        verify(office_db, actor, cid, {"a": False}, "khong_du_dieu_kien", verification_id=vid)
    # A later verification that finds a condition not met, once confirmed, takes the carer off the eligible list.
    v2 = verify(office_db, actor, cid, {"a": True, "b": False, "c": True, "d": True}, "khong_du_dieu_kien",
                verified_on="20/11/2026")
    carers.confirm_verification(leader.db, leader.actor, v2, confirmed_by="Phạm Văn Hùng", at=AT)
    assert carers.standing(load(office_db, cid)) == "khong_du_dieu_kien"
    with office_db.session() as s:
        assert ("approve", "mau11") in s.execute(select(AuditEvent.action, AuditEvent.entity)
                                                 .where(AuditEvent.entity_id == f"NCS-{cid}")).all()


def test_withdraw_needs_a_reason_and_a_confirmation(office_db, actor):
    cid = carers.register_carer(office_db, actor, person(), at=AT)
    with pytest.raises(ProcessError) as info:
        carers.withdraw_carer(office_db, actor, cid, "", confirmed=True)
    assert "Lý do rút khỏi danh sách không được để trống" in info.value.errors["withdrawn_reason"]
    with pytest.raises(ProcessError) as info:
        carers.withdraw_carer(office_db, actor, cid, "Chuyển đi nơi khác", confirmed=False)
    assert info.value.errors[""] == "Hãy xác nhận việc rút khỏi danh sách."
    carers.withdraw_carer(office_db, actor, cid, "Chuyển đi nơi khác", confirmed=True)
    carer = load(office_db, cid)
    assert carers.standing(carer) == "da_rut" and carer.withdrawn_reason == "Chuyển đi nơi khác"
    with pytest.raises(ProcessError):
        verify(office_db, actor, cid, {}, None)


def test_age_gap_for_the_placement_side():
    carer = Carer(registration="don_dang_ky", date_of_birth=date(1995, 6, 1))
    assert carers.age_gap_ok(carer, date(2015, 6, 1)) is True
    assert carers.age_gap_ok(carer, date(2015, 5, 31)) is False
    assert "hơn trẻ em từ 20 tuổi trở lên" in carers.age_gap_problem(carer, date(2015, 5, 31))
    assert carers.age_gap_ok(carer, None) is None  # unknown is not "no"
    assert carers.age_gap_ok(carer, date(2015, 5, 31), relative=True, on=date(2026, 1, 1)) is True


def test_the_quarterly_list_todo_and_its_sending(office_db, actor, leader):
    assert [t for t in compute_tasks(office_db, CAL, AT) if t.form == "09"] == []  # no carer: nothing to send
    cid = carers.register_carer(office_db, actor, person(applied_on="02/08/2026"), at=AT)
    tasks = [t for t in compute_tasks(office_db, CAL, AT) if t.form == "09"]
    # Q3/2026 not sent (late: due the last working day of September, Wednesday 30/09/2026); Q4 shown from December
    # only — on 25/11 it is not yet listed.
    assert [(t.step, t.late) for t in tasks] == [("Gửi danh sách Mẫu 09 quý 3/2026", True)]
    assert "hết ngày 30/09/2026" in tasks[0].rule
    december = datetime(2026, 12, 2, 9, tzinfo=VN)
    steps = [t.step for t in compute_tasks(office_db, CAL, december) if t.form == "09"]
    assert steps == ["Gửi danh sách Mẫu 09 quý 3/2026", "Gửi danh sách Mẫu 09 quý 4/2026"]
    q4 = [t for t in compute_tasks(office_db, CAL, december) if t.step.endswith("4/2026")][0]
    assert "hết ngày 31/12/2026" in q4.rule and not q4.late
    vid = verify(office_db, actor, cid, {"a": True, "b": True, "c": True, "d": True}, "du_dieu_kien")
    carers.confirm_verification(leader.db, leader.actor, vid, confirmed_by="Phạm Văn Hùng", at=AT)
    the_list = carers.current_list(office_db, 2026, 3)
    assert [r.id for r in the_list.rows] == [cid]
    with office_db.transaction() as s:
        carers.record_sending(s, actor, the_list, file_name="mau09-quy3-2026.pdf", at=AT)
    steps = [t.step for t in compute_tasks(office_db, CAL, december) if t.form == "09"]
    assert steps == ["Gửi danh sách Mẫu 09 quý 4/2026"]
    with office_db.session() as s:
        row = s.scalar(select(CarerListSending))
        assert (row.year, row.quarter, row.carer_ids) == (2026, 3, [cid])


def test_the_list_is_due_the_last_working_day_of_the_quarter():
    assert carers.list_due(2026, 4, CAL) == date(2026, 12, 31)  # Thursday
    assert carers.list_due(2029, 2, CAL) == date(2029, 6, 29)  # 30/06/2029 is a Saturday: the Friday before
    assert carers.quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))


def test_carers_registered_in_a_period_are_counted(office_db, actor):
    carers.register_carer(office_db, actor, person(applied_on="02/08/2026"), at=AT)
    carers.register_carer(office_db, actor, person(applied_on="02/11/2026", full_name="Phạm Thị Hoa",
                                                   personal_id=""), at=AT)
    with office_db.session() as s:
        assert carers.count_registered(s, date(2026, 10, 1), date(2026, 12, 31)) == 1
        assert carers.count_registered(s, date(2026, 1, 1), date(2026, 12, 31)) == 2


def test_verification_hints_say_what_the_record_shows_and_decide_nothing():
    carer = Carer(registration="don_dang_ky", kind="ca_nhan", date_of_birth=date(1980, 3, 12), is_foreigner=False,
                  family_consent=None, applied_on=date(2026, 11, 2), health_certificate_on=None, verifications=[])
    hints = carers.verification_hints(carer, on=date(2026, 11, 25))
    assert hints[0] == "46 tuổi (đã thành niên)"
    assert "chưa ghi các thành viên gia đình có đồng thuận không" in hints
    assert hints[-1].startswith("hồ sơ còn thiếu: giấy khám sức khỏe")
