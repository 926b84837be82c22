"""Alternative care, the child's side and the placement (NĐ 56 Điều 38, 42–48; Luật Trẻ em Điều 62–69; TT 14/2020):
a child separated by a signed Mẫu 07 carried through Mẫu 10 → a verified carer → two meetings → Mẫu 12 → hand-over →
follow-ups → Mẫu 15 → Mẫu 16, with the limits across Tết 2027 and every refusal a worker can meet."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.calendar_days import WorkCalendar, end_of_day
from models.care_entities import CareNeed, Placement
from models.entities import AuditEvent, Child
from models.register_entities import GroupMembership
from models.services import care_need, placements
from models.services.process_common import ProcessError
from models.services.tasks import compute_tasks
from tests.care_data import AT, DECIDED, add_carer, need_raw, vn
from tests.printouts.test_forms_02_07 import Flow, leader  # noqa: F401  (fixture)

CAL = WorkCalendar()


@pytest.fixture
def separated(office_db, actor, leader):
    """A case whose Mẫu 07 is signed; the child is in group b (abandoned, not in alternative care, b.1)."""
    flow = Flow(office_db, actor, leader).initial().separate()
    case = flow.case()
    with office_db.transaction() as s:
        s.add(GroupMembership(child_id=case.child_id, group_code="b", subgroup=1, from_date=date(2026, 11, 20)))
    return flow


def _need(flow, **overrides) -> int:
    case = flow.case()
    return care_need.save_care_need(flow.db, flow.actor, need_raw(case.child_id, case.id, **overrides), at=AT)


def _met_twice(flow, need_id, carer_id):
    for day in ("15/12/2026", "22/12/2026"):
        care_need.add_meeting(flow.db, flow.actor, need_id, {"carer_id": carer_id, "met_on": day,
                                                             "place": "Nhà bà ngoại", "notes": "Cháu vui vẻ."}, at=AT)


def _decided(flow, leader, **raw):
    case = flow.case()
    need_id = _need(flow)
    carer_id = add_carer(flow.db, relative_of=case.child_id)
    _met_twice(flow, need_id, carer_id)
    pid = placements.save_placement_draft(flow.db, flow.actor, need_id,
                                          {"form": "than_thich", "carer_id": carer_id, **raw}, at=AT)
    number = placements.decide_placement(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng",
                                         decided_at=DECIDED, at=AT)
    return pid, number


def _placement(db, pid) -> Placement:
    with db.session() as s:
        p = s.get(Placement, pid)
        p.followups, p.end_requests, p.end_decision, p.child, p.care_need  # loaded before the session ends
        return p


def test_whole_placement_from_separation_to_end(separated, leader):
    flow = separated
    db = flow.db
    case = flow.case()
    start = care_need.start_from_separation(db, case.id)
    assert start == {"child_id": case.child_id, "case_id": case.id, "source": "cach_ly", "grounds": ["62_2"]}
    pid, number = _decided(flow, leader)
    assert number == "01/QĐ-UBND" or number.endswith("/QĐ-UBND")
    p = _placement(db, pid)
    assert placements.stage(p) == "cho_giao"
    # Hand-over within 15 working days of 01/02/2027, across Tết (04–10/02) and weekends: 01/03/2027.
    assert placements.handover_deadline(p, CAL) == end_of_day(date(2027, 3, 1))
    (step,) = placements.next_steps(p, CAL, vn("09:00 02/02/2027"))
    assert step.kind == "giao" and step.due == end_of_day(date(2027, 3, 1)) and not step.late
    said = placements.record_handover(db, flow.actor, pid, handed_over_on="26/02/2027", at=AT)
    assert said == ["Nhóm b.1 → b.2 từ 26/02/2027"]
    with db.session() as s:
        groups = {(m.group_code, m.subgroup): m.to_date
                  for m in s.scalars(select(GroupMembership).where(GroupMembership.child_id == case.child_id))}
    assert groups == {("b", 1): date(2027, 2, 26), ("b", 2): None}
    p = _placement(db, pid)
    assert placements.stage(p) == "dang_cham_soc"
    due = placements.followup_schedule(p, CAL, until=date(2027, 9, 1))
    assert [(d.kind, d.due) for d in due[:4]] == [("1_thang", date(2027, 3, 26)), ("3_thang", date(2027, 5, 26)),
                                                  ("6_thang", date(2027, 8, 26)), ("6_thang", date(2028, 2, 28))]
    # The to-do list names the follow-up from two weeks before it falls due.
    tasks = [t for t in compute_tasks(db, CAL, vn("09:00 15/03/2027")) if t.form == "cstt"]
    assert [(t.step, t.deadline) for t in tasks] == [
        ("Mẫu 13 — Sau 01 tháng kể từ ngày nhận chăm sóc thay thế", end_of_day(date(2027, 3, 26)))]
    assert tasks[0].ref == pid and tasks[0].child_name == case.child.full_name
    for kind, day in (("1_thang", "26/03/2027"), ("3_thang", "26/05/2027")):
        placements.save_followup(db, flow.actor, pid, {
            "kind": kind, "report_date": day, "reporter": "Trần Thị Lan", "living_conditions": "Ổn định.",
            "health": "Khỏe.", "integration": "Cháu gắn bó với bà.", "child_safe": True, "conclusion": "tiep_tuc"}, at=AT)
    p = _placement(db, pid)
    assert next(d for d in placements.followup_schedule(p, CAL, until=date(2027, 6, 1)) if d.done is None).kind == "6_thang"
    # The carer asks to end (Mẫu 15); a report "khi chuyển đổi" is then due; the chairman ends it (Mẫu 16).
    placements.save_end_request(db, flow.actor, pid, {"requested_on": "01/06/2027", "ground": "69_1_c",
                                                      "reason": "Bà ốm nặng, không chăm sóc được cháu."}, at=AT)
    p = _placement(db, pid)
    assert any(s.kind == "mau13" and s.due is None for s in placements.next_steps(p, CAL, vn("09:00 02/06/2027")))
    placements.save_end_draft(db, flow.actor, pid, {"ground": "69_1_c", "reasons": "Theo đơn của bà ngoại.",
                                                    "new_form": "ve_gia_dinh",
                                                    "new_arrangement": "Cháu về sống với mẹ đã trở về địa phương."},
                              at=AT)
    assert placements.stage(_placement(db, pid)) == "cho_cham_dut"
    number16, said = placements.decide_end(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng",
                                           decided_at=vn("09:00 10/06/2027"), at=AT)
    assert number16.endswith("/QĐ-UBND") and number16 != number
    assert said == ["Nhóm b.2 kết thúc ngày 10/06/2027: chọn lại diện nhóm của trẻ em trong sổ theo dõi"]
    assert placements.stage(_placement(db, pid)) == "da_cham_dut"
    assert [t for t in compute_tasks(db, CAL, vn("09:00 15/06/2027")) if t.form == "cstt"] == []
    with db.session() as s:
        entities = [e.entity for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    for entity in ("mau10", "gap_mat_cstt", "mau12", "mau13", "mau15", "mau16", "child_group"):
        assert entity in entities


def test_placement_refused_with_a_carer_not_verified(separated, leader):
    flow = separated
    need_id = _need(flow)
    for verified, confirmed in ((None, True), (False, True), (True, False)):
        carer_id = add_carer(flow.db, name="Lê Thị Mai", relative_of=None, verified=verified, confirmed=confirmed)
        with pytest.raises(ProcessError) as caught:
            placements.save_placement_draft(flow.db, flow.actor, need_id,
                                            {"form": "khong_than_thich", "carer_id": carer_id}, at=AT)
        assert "xác minh đủ điều kiện" in caught.value.errors["carer_id"]
    with flow.db.session() as s:
        need = s.get(CareNeed, need_id)
        assert placements.candidates(s, need, date(2027, 1, 5)) == []  # only verified carers are offered


def test_non_relative_less_than_20_years_older_is_refused(separated):
    flow = separated
    need_id = _need(flow)
    young = add_carer(flow.db, name="Phan Văn Nam", dob=date(1996, 1, 1))  # child born 05/09/2015: 19 years
    with pytest.raises(ProcessError) as caught:
        placements.save_placement_draft(flow.db, flow.actor, need_id, {"form": "khong_than_thich", "carer_id": young},
                                        at=AT)
    assert "hơn trẻ em từ 20 tuổi trở lên" in caught.value.errors["carer_id"]
    # Exactly 20 years older is enough; a relative needs only to be an adult.
    ok = add_carer(flow.db, name="Phan Văn Bình", dob=date(1995, 9, 5))
    placements.save_placement_draft(flow.db, flow.actor, need_id, {"form": "khong_than_thich", "carer_id": ok,
                                                                   "preference_reason": ""}, at=AT)
    with flow.db.session() as s:
        child = s.get(Child, flow.case().child_id)
        aunt = add_carer(flow.db, name="Vũ Thị Hạnh", dob=date(2008, 1, 1), relative_of=child.id, relation="dì")
        carer = s.get(__import__("models.care_entities", fromlist=["Carer"]).Carer, aunt)
        assert placements.age_gap_ok(carer, child.date_of_birth, on=date(2027, 1, 1)) is True
        assert placements.age_gap_ok(carer, child.date_of_birth, on=date(2025, 12, 31)) is False


def test_preference_order_and_the_reason_for_departing(separated):
    flow = separated
    need_id = _need(flow)
    child_id = flow.case().child_id
    foreigner = add_carer(flow.db, name="Anna Schmidt", dob=date(1975, 1, 1), lives_in_commune=False, foreigner=True)
    citizen = add_carer(flow.db, name="Lê Văn Hải", dob=date(1970, 1, 1), lives_in_commune=False)
    local = add_carer(flow.db, name="Ngô Thị Hoa", dob=date(1972, 1, 1), lives_in_commune=True)
    granny = add_carer(flow.db, relative_of=child_id)
    with flow.db.session() as s:
        order = [c.carer_id for c in placements.candidates(s, s.get(CareNeed, need_id), date(2027, 1, 5))]
    assert order == [granny, local, citizen, foreigner]
    with pytest.raises(ProcessError) as caught:
        placements.save_placement_draft(flow.db, flow.actor, need_id, {"form": "khong_than_thich", "carer_id": citizen},
                                        at=AT)
    assert "Ghi rõ lý do" in caught.value.errors["preference_reason"]
    with pytest.raises(ProcessError) as caught:
        placements.save_placement_draft(flow.db, flow.actor, need_id, {"form": "co_so", "facility_name": "Trung tâm"},
                                        at=AT)
    assert "cơ sở là lựa chọn sau cùng" in caught.value.errors["preference_reason"]
    pid = placements.save_placement_draft(flow.db, flow.actor, need_id, {
        "form": "khong_than_thich", "carer_id": citizen,
        "preference_reason": "Bà ngoại và bà Hoa đều từ chối sau buổi gặp đầu tiên."}, at=AT)
    assert pid > 0
    with pytest.raises(ProcessError) as caught:  # a relative is not placed as a non-relative, nor the reverse
        placements.save_placement_draft(flow.db, flow.actor, need_id, {"form": "than_thich", "carer_id": local},
                                        at=AT, placement_id=pid)
    assert "người thân thích" in caught.value.errors["form"]


def test_child_of_seven_needs_an_opinion_or_a_reason(separated):
    flow = separated
    case = flow.case()
    with pytest.raises(ProcessError) as caught:
        care_need.save_care_need(flow.db, flow.actor, need_raw(case.child_id, case.id, child_opinion=""), at=AT)
    assert "khoản 1 Điều 42" in caught.value.errors["child_opinion"] and "11 tuổi" in caught.value.errors["child_opinion"]
    nid = care_need.save_care_need(flow.db, flow.actor, need_raw(
        case.child_id, case.id, child_opinion="", opinion_not_taken_reason="Cháu đang điều trị tại bệnh viện."), at=AT)
    assert nid > 0
    # A six-year-old without a date of birth may already be seven: the stricter way.
    child = Child(full_name="X", date_of_birth=None, estimated_age=6)
    assert care_need.opinion_required(child, date(2027, 1, 1)) is True
    assert care_need.opinion_required(Child(full_name="Y", date_of_birth=date(2021, 1, 2)), date(2027, 1, 1)) is False


def test_photos_older_than_six_months_are_refused(separated, leader):
    flow = separated
    case = flow.case()
    with pytest.raises(ProcessError) as caught:
        care_need.save_care_need(flow.db, flow.actor, need_raw(case.child_id, case.id, photos_taken_on="09/06/2026"),
                                 at=AT)
    assert "quá 06 tháng" in caught.value.errors["photos_taken_on"]
    nid = _need(flow, photos_taken_on="10/06/2026")  # exactly six months before 10/12/2026: still accepted
    with flow.db.session() as s:
        need = s.get(CareNeed, nid)
        need.case.separations  # noqa: B018  (loaded)
        status = {i.id: i for i in care_need.file_status(need, date(2027, 2, 1))}
    assert not status["photos"].ok and "cần chụp lại" in status["photos"].note
    assert status["birth_certificate"].ok and status["origin"].ok
    # …and the decision on 01/02/2027 is refused for it (the file is checked on the day of decision).
    carer_id = add_carer(flow.db, relative_of=case.child_id)
    _met_twice(flow, nid, carer_id)
    pid = placements.save_placement_draft(flow.db, flow.actor, nid, {"form": "than_thich", "carer_id": carer_id}, at=AT)
    with pytest.raises(ProcessError) as caught:
        placements.decide_placement(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng", decided_at=DECIDED, at=AT)
    assert "Hai ảnh toàn thân" in caught.value.errors["file"]


def test_fewer_than_two_meetings_refuse_the_decision(separated, leader):
    flow = separated
    case = flow.case()
    nid = _need(flow)
    carer_id = add_carer(flow.db, relative_of=case.child_id)
    care_need.add_meeting(flow.db, flow.actor, nid, {"carer_id": carer_id, "met_on": "15/12/2026",
                                                     "notes": "Lần đầu."}, at=AT)
    care_need.add_meeting(flow.db, flow.actor, nid, {"carer_id": carer_id, "met_on": "15/02/2027",
                                                     "notes": "Sau ngày ký: không tính."}, at=AT)
    pid = placements.save_placement_draft(flow.db, flow.actor, nid, {"form": "than_thich", "carer_id": carer_id}, at=AT)
    with pytest.raises(ProcessError) as caught:
        placements.decide_placement(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng", decided_at=DECIDED, at=AT)
    assert "mới gặp nhau 1 lần" in caught.value.errors["meetings"]
    with pytest.raises(Exception):  # the worker cannot sign
        placements.decide_placement(flow.db, flow.actor, pid, decided_by="Phạm Văn Hùng", decided_at=DECIDED, at=AT)


def test_handover_dates(separated, leader):
    flow = separated
    pid, _ = _decided(flow, leader)
    with pytest.raises(ProcessError) as caught:
        placements.record_handover(flow.db, flow.actor, pid, handed_over_on="31/01/2027", at=AT)
    assert "trước ngày ký quyết định" in caught.value.errors["handed_over_on"]
    with pytest.raises(ProcessError) as caught:  # the 16th working day: only with the reason
        placements.record_handover(flow.db, flow.actor, pid, handed_over_on="02/03/2027", at=AT)
    assert "hạn cuối 01/03/2027" in caught.value.errors["handover_note"]
    placements.record_handover(flow.db, flow.actor, pid, handed_over_on="02/03/2027",
                               note="Bà ngoại nằm viện đến 01/03.", at=AT)
    # Taken back only with a reason; the register's groups come back too.
    with pytest.raises(ProcessError):
        placements.undo_handover(flow.db, flow.actor, pid, "")
    placements.undo_handover(flow.db, flow.actor, pid, "Ghi nhầm ngày.")
    with flow.db.session() as s:
        groups = {(m.group_code, m.subgroup): m.to_date for m in s.scalars(select(GroupMembership))}
    assert groups == {("b", 1): None}


def test_followup_days_roll_past_tet_and_weekends():
    p = Placement(child_id=1, form="than_thich", handed_over_on=date(2027, 1, 6))
    p.followups, p.end_requests = [], []
    due = placements.followup_schedule(p, CAL, until=date(2027, 1, 7))
    # +1 month is Saturday 06/02/2027, mùng 1 Tết: the next working day is Thursday 11/02/2027.
    assert [(d.kind, d.due) for d in due] == [("1_thang", date(2027, 2, 11)), ("3_thang", date(2027, 4, 6)),
                                              ("6_thang", date(2027, 7, 6))]
    p.handed_over_on = date(2027, 1, 31)  # +1 month: 28/02/2027 (no 31/02), a Sunday → Monday 01/03/2027
    assert placements.followup_schedule(p, CAL, until=date(2027, 2, 1))[0].due == date(2027, 3, 1)


def test_facility_child_release_within_five_working_days(office_db, actor, leader):
    fc = care_need.add_facility_child(office_db, actor, {
        "facility_name": "Trung tâm Bảo trợ xã hội tỉnh", "list_date": "01/12/2026", "full_name": "Hoàng Minh Khôi",
        "date_of_birth": "03/04/2020", "gender": "nam", "entered_facility_on": "01/06/2024",
        "situation": "Mồ côi cả cha và mẹ."}, at=AT)
    with office_db.session() as s:
        child_id = s.get(__import__("models.care_entities", fromlist=["FacilityChild"]).FacilityChild, fc).child_id
    nid = care_need.save_care_need(office_db, actor, need_raw(child_id, None, source="co_so", facility_child_id=fc,
                                                              grounds=["62_1"], child_opinion=""), at=AT)
    carer_id = add_carer(office_db, name="Ngô Thị Hoa", dob=date(1972, 1, 1))
    for day in ("15/12/2026", "20/12/2026"):
        care_need.add_meeting(office_db, actor, nid, {"carer_id": carer_id, "met_on": day, "notes": "Tốt."}, at=AT)
    pid = placements.save_placement_draft(office_db, actor, nid, {"form": "khong_than_thich", "carer_id": carer_id},
                                          at=AT)
    placements.decide_placement(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng", decided_at=DECIDED, at=AT)
    p = _placement(office_db, pid)
    assert p.from_facility is True
    # 5 working days after Monday 01/02/2027: 02, 03, then Tết, 11, 12, 15/02/2027.
    assert placements.facility_release_deadline(p, CAL) == end_of_day(date(2027, 2, 15))
    kinds = [s.kind for s in placements.next_steps(p, CAL, vn("09:00 02/02/2027"))]
    assert kinds == ["co_so", "giao"]


def test_demo_has_placements_at_every_step(office_db, actor):
    from models.demo import generate_demo

    generate_demo(office_db, actor, children=40, cases=30)
    with office_db.session() as s:
        need_rows, rows = placements.care_overview(s, CAL)
    assert {r.stage for r in rows} == {"du_thao", "cho_giao", "dang_cham_soc", "cho_cham_dut", "da_cham_dut"}
    assert any(r.late and r.next_step.startswith("Mẫu 13") for r in rows)  # the 1-month follow-up is late
    assert any(n.missing for n in need_rows) and any(n.source.startswith("Trẻ em từ danh sách") for n in need_rows)
    tasks = [t for t in compute_tasks(office_db, CAL) if t.form == "cstt"]
    assert {t.for_leader for t in tasks} == {True, False}


def test_period_report_counts_placements_by_form_and_carers(separated, leader):
    """The period report's tables V and VI (resources/report_layouts/tong_hop.json), read from the workbook's figures."""
    from models.reports import facts as report_facts, workbook
    from models.reports.period import custom_period

    flow = separated
    pid, _ = _decided(flow, leader)
    placements.record_handover(flow.db, flow.actor, pid, handed_over_on="26/02/2027", at=AT)
    add_carer(flow.db, name="Hoàng Văn Dũng", verified=None)  # registered, not yet verified
    with flow.db.session() as s:
        f = report_facts.collect(s, custom_period(date(2027, 1, 1), date(2027, 3, 31)), at=AT)
    _, figures = workbook.build(f, made_by="Trần Thị Lan")
    assert figures["tong_hop.cham_soc_thay_the.quyet_dinh.tong"] == 1
    assert figures["tong_hop.cham_soc_thay_the.quyet_dinh_than_thich.nu"] == 1
    assert figures["tong_hop.cham_soc_thay_the.quyet_dinh_khong_than_thich.tong"] == 0
    assert figures["tong_hop.cham_soc_thay_the.dang_cham_soc.tong"] == 1
    assert figures["tong_hop.nguoi_nhan_cstt.du_dieu_kien.tong"] == 1  # the grandmother; the other is not verified
    assert figures["tong_hop.nguoi_nhan_cstt.dang_ky.tong"] == 0  # both applied in 2026, before the period


def test_facility_list_imported_from_its_workbook(office_db, actor, tmp_path):
    from openpyxl import Workbook

    from models.care_entities import FacilityChild

    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH TRẺ EM CẦN TÌM GIA ĐÌNH NHẬN CHĂM SÓC THAY THẾ"])
    ws.append(["STT", "Họ và tên trẻ em", "Ngày sinh", "Giới tính", "Ngày vào cơ sở", "Hoàn cảnh", "Ghi chú"])
    ws.append([1, "Hoàng Minh Khôi", "03/04/2020", "Nam", "01/06/2024", "=HYPERLINK(\"x\")", ""])
    ws.append([2, "Lò Thị Mai", date(2019, 2, 1), "Nữ", None, "Bị bỏ rơi tại bệnh viện.", "Khỏe mạnh"])
    good = tmp_path / "danh sách cơ sở.xlsx"
    wb.save(good)
    ids = care_need.import_facility_list(office_db, actor, good, facility_name="Trung tâm Bảo trợ xã hội tỉnh",
                                         list_date="01/12/2026", at=AT)
    with office_db.session() as s:
        rows = [(f.child.full_name, f.child.date_of_birth, f.child.gender, f.situation)
                for f in s.scalars(select(FacilityChild).where(FacilityChild.id.in_(ids)).order_by(FacilityChild.id))]
    # A formula is never run: only the value the sheet saved for it is read (none here).
    assert rows == [("Hoàng Minh Khôi", date(2020, 4, 3), "nam", ""),
                    ("Lò Thị Mai", date(2019, 2, 1), "nu", "Bị bỏ rơi tại bệnh viện.")]
    # A bad row refuses the whole file, naming the row; a file that is not a workbook is refused calmly.
    ws.append([3, "", "31/02/2020", "Nam"])
    bad = tmp_path / "loi.xlsx"
    wb.save(bad)
    with pytest.raises(ProcessError) as caught:
        care_need.import_facility_list(office_db, actor, bad, facility_name="Trung tâm", list_date="01/12/2026", at=AT)
    assert "dòng 5" in caught.value.errors["file"] and "không trẻ em nào được ghi" in caught.value.errors["file"]
    fake = tmp_path / "khong-phai.xlsx"
    fake.write_bytes(b"MZ\x90\x00 not a workbook" * 10)
    from models.errors import UserError

    with pytest.raises(UserError):
        care_need.import_facility_list(office_db, actor, fake, facility_name="Trung tâm", list_date="01/12/2026", at=AT)
    with office_db.session() as s:
        assert len(list(s.scalars(select(FacilityChild)))) == 2


def test_a_draft_not_signed_is_withdrawn_with_a_reason_and_the_child_waits_again(separated, leader, workspace):
    from models.calendar_days import WorkCalendar as Cal
    from models.services import attachments as att
    from models.attachment_files import check_bytes
    from tests.attacks.payloads import pdf_bytes

    flow = separated
    case = flow.case()
    need_id = _need(flow)
    carer_id = add_carer(flow.db, relative_of=case.child_id)
    _met_twice(flow, need_id, carer_id)
    draft = placements.save_placement_draft(flow.db, flow.actor, need_id, {"form": "than_thich", "carer_id": carer_id},
                                            at=AT)
    with flow.db.session() as s:
        waiting, rows = placements.care_overview(s, Cal(), AT)
        assert [r.care_need_id for r in waiting] == [] and [r.placement_id for r in rows] == [draft]
    with pytest.raises(ProcessError) as caught:
        placements.delete_placement_draft(flow.db, flow.actor, draft, "  ")
    assert caught.value.errors["reason"] == "Ghi lý do xoá dự thảo Mẫu 12."
    # A scanned paper attached to the draft is removed first (never lost with the draft).
    paper = att.add(workspace, "placement", draft, check_bytes(pdf_bytes(1), "giay.pdf"), kind="khac", note="Giấy")
    with pytest.raises(ProcessError, match="1 tệp đính kèm"):
        placements.delete_placement_draft(flow.db, flow.actor, draft, "Chọn nhầm người nhận.")
    att.remove(workspace, paper, "Tải nhầm.")
    placements.delete_placement_draft(flow.db, flow.actor, draft, "Chọn nhầm người nhận.")
    with flow.db.session() as s:
        assert s.get(Placement, draft) is None
        waiting, rows = placements.care_overview(s, Cal(), AT)
        assert [r.care_need_id for r in waiting] == [need_id] and rows == []
        assert waiting[0].meetings == 2  # the meetings are kept
        entry = s.scalars(select(AuditEvent).where(AuditEvent.entity == "mau12").order_by(AuditEvent.id.desc())).first()
        assert entry.action == "delete" and "Chọn nhầm người nhận." in entry.detail
    # A signed decision is never deleted.
    pid = placements.save_placement_draft(flow.db, flow.actor, need_id, {"form": "than_thich", "carer_id": carer_id},
                                          at=AT)
    placements.decide_placement(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng", decided_at=DECIDED, at=AT)
    with pytest.raises(ProcessError, match="Quyết định đã ký"):
        placements.delete_placement_draft(flow.db, flow.actor, pid, "Thử xoá.")


def _refused(call, *args, **kw) -> dict | str:
    """The refusal's messages by field, or its one message when it is about no field."""
    with pytest.raises(ProcessError) as caught:
        call(*args, **kw)
    errors = caught.value.errors
    return errors[""] if set(errors) == {""} else errors


def test_the_shared_checks_of_days_signers_and_closed_needs_say_the_same_words(separated, leader):
    """care_need and placements share their small checks (process_common.check_day_between, check_signer,
    chosen_record; care_need.get_open_need): each refusal is worded as before they were shared."""
    flow = separated
    db, actor = flow.db, flow.actor
    case = flow.case()
    assert _refused(care_need.start_from_separation, db, 999999) == "Không tìm thấy hồ sơ số 999999."
    errors = _refused(care_need.save_care_need, db, actor,
                      need_raw(case.child_id, case.id, assessed_on="02/12/2027", birth_certificate_on="03/12/2027"),
                      at=AT)
    assert errors["assessed_on"] == "Ngày đánh giá không thể ở tương lai."
    assert errors["birth_certificate_on"] == "Ngày nhận giấy khai sinh không thể ở tương lai."
    errors = _refused(care_need.add_facility_child, db, actor, {
        "facility_name": "Trung tâm Bảo trợ xã hội tỉnh", "list_date": "02/12/2027", "full_name": "Lê Văn Bình"}, at=AT)
    assert errors == {"list_date": "Ngày không thể ở tương lai."}

    pid, _ = _decided(flow, leader)
    need_id = _placement(db, pid).care_need_id
    carer_id = _placement(db, pid).carer_id
    errors = _refused(care_need.add_meeting, db, actor, need_id,
                      {"carer_id": str(carer_id), "met_on": "02/12/2027", "notes": "Gặp lại."}, at=AT)
    assert errors == {"met_on": "Ngày gặp không thể ở tương lai."}
    assert _refused(placements.record_handover, db, actor, pid, handed_over_on="31/01/2027", at=AT) == {
        "handed_over_on": "Ngày giao trẻ em không thể trước ngày ký quyết định (01/02/2027)."}
    assert _refused(placements.record_handover, db, actor, pid, handed_over_on="02/12/2027", at=AT) == {
        "handed_over_on": "Ngày giao trẻ em không thể ở tương lai."}
    placements.record_handover(db, actor, pid, handed_over_on="26/02/2027", at=AT)
    followup = {"kind": "1_thang", "reporter": "Trần Thị Lan", "living_conditions": "Ổn định.", "health": "Khỏe.",
                "integration": "Tốt.", "child_safe": True, "conclusion": "tiep_tuc"}
    assert _refused(placements.save_followup, db, actor, pid, {**followup, "report_date": "25/02/2027"}, at=AT) == {
        "report_date": "Ngày báo cáo không thể trước ngày giao trẻ em (26/02/2027)."}
    assert _refused(placements.save_followup, db, actor, pid, {**followup, "report_date": "02/12/2027"}, at=AT) == {
        "report_date": "Ngày báo cáo không thể ở tương lai."}
    request = {"ground": "69_1_c", "reason": "Bà ốm nặng."}
    assert _refused(placements.save_end_request, db, actor, pid, {**request, "requested_on": "31/01/2027"}, at=AT) == {
        "requested_on": "Ngày làm đơn không thể trước ngày ký quyết định giao trẻ em."}
    assert _refused(placements.save_end_request, db, actor, pid, {**request, "requested_on": "02/12/2027"}, at=AT) == {
        "requested_on": "Ngày làm đơn không thể ở tương lai."}
    assert _refused(placements.save_end_request, db, actor, pid, {**request, "requested_on": "01/06/2027",
                                                                  "ground": "69_1_a"}, at=AT) == {
        "ground": "Chọn lý do đề nghị theo điểm c hoặc điểm d khoản 1 Điều 69 Luật Trẻ em."}
    assert _refused(placements.save_end_draft, db, actor, pid, {"ground": "x", "reasons": "…",
                                                                "new_arrangement": "Về với mẹ."}, at=AT) == {
        "ground": "Chọn trường hợp chấm dứt theo Điều 69 Luật Trẻ em."}
    placements.save_end_draft(db, actor, pid, {"ground": "69_1_a", "reasons": "Cháu đã được nhận làm con nuôi.",
                                               "new_arrangement": "Về với gia đình nhận nuôi."}, at=AT)
    errors = _refused(placements.decide_end, leader.db, leader.actor, pid, decided_by="", signing_capacity="khac",
                      decided_at=vn("09:00 10/06/2027"), at=AT)
    assert set(errors) == {"decided_by", "signing_capacity"}
    assert errors["signing_capacity"] == "Chọn thẩm quyền ký: Chủ tịch hoặc KT. Chủ tịch / Phó Chủ tịch."
    assert _refused(placements.decide_end, leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng",
                    decided_at=vn("09:00 02/12/2027"), at=AT) == {"decided_at": "Thời điểm ký không thể ở tương lai."}
    placements.decide_end(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng", decided_at=vn("09:00 10/06/2027"),
                          at=AT)
    assert _refused(placements.save_end_request, db, actor, pid, {**request, "requested_on": "01/06/2027"}, at=AT) \
        == "Việc chăm sóc thay thế đã chấm dứt."
    # A closed Mẫu 10: refused as closed, by each service in its own words.
    care_need.close_care_need(db, actor, need_id, "Cháu đã được nhận làm con nuôi.")
    assert _refused(care_need.close_care_need, db, actor, need_id, "Lần nữa.") == "Bản đánh giá này đã đóng."
    assert _refused(care_need.save_care_need, db, actor, need_raw(case.child_id, case.id), care_need_id=need_id,
                    at=AT) == "Bản đánh giá này đã đóng; không sửa được."
    assert _refused(placements.save_placement_draft, db, actor, need_id, {"form": "co_so", "facility_name": "Cơ sở"},
                    at=AT) == "Bản đánh giá Mẫu 10 của trẻ em này đã đóng."
