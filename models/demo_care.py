"""Demo data of alternative care: carers on the commune's list (verified, waiting, refused) and children at every
step of a placement — assessed (Mẫu 10) with a paper missing, met the carer twice with a draft Mẫu 12, decided and
waiting for the hand-over, in care with the 1-month follow-up late, in care with a request to end and a draft
Mẫu 16, ended, and a child from a facility's list (Mẫu 14). Dates are counted back from `today` so that every
list shows each stage; the decisions take the next "QĐ" numbers of their year.

Called by models.demo.generate_demo after the cases are written (it uses the children of cases whose Mẫu 07 is
signed, or the first children when there are too few). Rows are written through the ORM in the demo's session.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .care_entities import (
    CareEndDecision, CareEndRequest, CareFollowup, CareMeeting, CareNeed, Carer, CarerVerification, FacilityChild,
    Placement,
)
from .clock import VN
from .entities import Child
from .numbering import next_number
from .process_entities import Separation
from .textnorm import fold

CARERS = (
    # name, born, relative?, lives in the commune, foreigner, verified (True/False/None)
    ("Đặng Thị Lựu", date(1962, 3, 4), True, True, False, True),
    ("Nguyễn Văn Thành", date(1970, 8, 12), True, True, False, True),
    ("Lê Thị Hồng", date(1975, 5, 20), False, True, False, True),
    ("Phạm Văn Khải", date(1968, 11, 2), False, False, False, True),
    ("Trịnh Thị Nga", date(1980, 1, 15), False, True, False, True),
    ("Hoàng Văn Dũng", date(1985, 6, 30), False, True, False, None),
    ("Vũ Thị Thu", date(1990, 9, 9), False, False, False, False),
)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=VN)


def _months_back(today: date, months: int) -> date:
    from .services.care_need import months_before

    return months_before(today, months)


def add_care_demo(session: Session, today: date, worker: str, chairman: str, commune: str) -> int:
    """Write the demo's alternative care; returns how many placements were made."""
    separated = list(session.scalars(select(Separation.case_id).where(Separation.decided_at.is_not(None))))
    from .entities import Case

    child_ids = []
    for case_id in separated:
        child_id = session.get(Case, case_id).child_id
        if child_id not in child_ids:
            child_ids.append(child_id)
    for child_id in session.scalars(select(Child.id).order_by(Child.id)):
        if len(child_ids) >= 7:
            break
        if child_id not in child_ids:
            child_ids.append(child_id)
    if len(child_ids) < 7:
        return 0
    child_ids = child_ids[:7]
    cases = {}
    for case_id in separated:
        cases.setdefault(session.get(Case, case_id).child_id, case_id)

    carers = []
    for i, (name, born, relative, local, foreign, verified) in enumerate(CARERS):
        relative_of = child_ids[2 + i] if relative else None  # the relatives of the children C and D
        carer = Carer(registration="thong_bao_than_thich" if relative else "don_dang_ky", kind="ca_nhan" if i % 3 else "gia_dinh",
                      full_name=name, name_key=fold(name), date_of_birth=born, gender="nu" if "Thị" in name else "nam",
                      personal_id="", nationality="Việt Nam", is_foreigner=foreign, lives_in_commune=local,
                      village=f"Thôn {i + 1}", address=f"Thôn {i + 1}, xã {commune}", relative_of_child_id=relative_of,
                      relation_to_child=("bà ngoại" if i == 0 else "chú ruột") if relative else "",
                      applied_on=today - timedelta(days=300 - i * 20), health_certificate_on=today - timedelta(days=320 - i * 20),
                      family_consent=True, wishes="Trẻ em dưới 12 tuổi", reasons="Muốn giúp đỡ trẻ em có hoàn cảnh khó khăn.",
                      created_by="demo")
        session.add(carer)
        session.flush()
        if verified is not None:
            day = today - timedelta(days=280 - i * 20)
            session.add(CarerVerification(carer_id=carer.id, verified_on=day, verifier=worker, answers={},
                                          findings="Nhà ở ổn định, gia đình đồng thuận.",
                                          conclusion="du_dieu_kien" if verified else "khong_du_dieu_kien",
                                          confirmed_by=chairman, confirmed_at=_at(day + timedelta(days=1), 15),
                                          created_by="demo"))
        carers.append(carer)
    session.flush()

    def need(child_id: int, assessed: date, *, source="cach_ly", grounds=("62_2",), complete=True,
             facility_child_id=None) -> CareNeed:
        case_id = cases.get(child_id) if source == "cach_ly" else None
        if source == "cach_ly" and case_id is None:
            source = "cong_dong"
        n = CareNeed(child_id=child_id, case_id=case_id, facility_child_id=facility_child_id, source=source,
                     grounds=list(grounds), assessed_on=assessed, assessor=worker,
                     situation="Cha mẹ không có khả năng bảo vệ, nuôi dưỡng trẻ em.",
                     health="Sức khỏe bình thường.", needs="Một gia đình an toàn, gần trường.",
                     wishes="Được đi học, được ở gần anh chị em.", child_opinion="Cháu đồng ý.",
                     preferred_form="than_thich", birth_certificate_on=assessed - timedelta(days=10),
                     health_certificate_on=(assessed - timedelta(days=5)) if complete else None,
                     photos_taken_on=assessed - timedelta(days=5), created_by="demo")
        session.add(n)
        session.flush()
        return n

    def meet(n: CareNeed, carer: Carer, first: date) -> None:
        for k in (0, 7):
            session.add(CareMeeting(care_need_id=n.id, carer_id=carer.id, met_on=first + timedelta(days=k),
                                    place="Nhà người nhận", notes="Trẻ em vui vẻ, muốn gặp lại.", created_by="demo"))

    def place(n: CareNeed, carer: Carer, form: str, decided: date | None, handed: date | None) -> Placement:
        p = Placement(child_id=n.child_id, care_need_id=n.id, carer_id=carer.id, form=form,
                      support="Hỗ trợ chi phí chăm sóc hằng tháng theo quy định.", drafted_by=worker,
                      drafted_at=_at((decided or today) - timedelta(days=3)), recipients="Như Điều 3;\nLưu: VT, VHXH.",
                      created_by="demo")
        if decided is not None:
            p.doc_year, p.doc_number = decided.year, next_number(session, "QĐ", decided.year)
            p.decided_by, p.decided_at = chairman, _at(decided, 10)
        p.handed_over_on = handed
        session.add(p)
        session.flush()
        return p

    def follow(p: Placement, kind: str, day: date) -> None:
        session.add(CareFollowup(placement_id=p.id, kind=kind, report_date=day, reporter=worker,
                                 living_conditions="Nhà ở ấm cúng, có góc học tập.", health="Khỏe mạnh.",
                                 integration="Trẻ em gắn bó với gia đình.", schooling="Đi học đều.",
                                 carer_opinion="Mong được hỗ trợ học phí.", child_opinion="Cháu vui.",
                                 child_safe=True, conclusion="tiep_tuc", created_by="demo"))

    a, b, c, d, e, f, g = child_ids
    relative_c, relative_d, other1, other2, other3 = carers[0], carers[1], carers[2], carers[3], carers[4]
    # A: assessed, a paper missing. B: met twice, draft decision.
    need(a, today - timedelta(days=12), complete=False)
    nb = need(b, today - timedelta(days=30))
    meet(nb, other1, today - timedelta(days=20))
    place(nb, other1, "khong_than_thich", None, None)
    # C: decided 6 days ago, waiting for the hand-over (a relative).
    nc = need(c, today - timedelta(days=40))
    meet(nc, relative_c, today - timedelta(days=30))
    place(nc, relative_c, "than_thich", today - timedelta(days=6), None)
    # D: handed over 40 days ago: the 1-month follow-up is late.
    nd = need(d, today - timedelta(days=90))
    meet(nd, relative_d, today - timedelta(days=80))
    place(nd, relative_d, "than_thich", today - timedelta(days=55), today - timedelta(days=40))
    # E: in care for 8 months, followed up; the carer asked to end; draft Mẫu 16.
    handed_e = _months_back(today, 8)
    ne = need(e, handed_e - timedelta(days=40))
    meet(ne, other2, handed_e - timedelta(days=30))
    pe = place(ne, other2, "khong_than_thich", handed_e - timedelta(days=10), handed_e)
    follow(pe, "1_thang", _months_back(today, 7))
    follow(pe, "3_thang", _months_back(today, 5))
    follow(pe, "6_thang", _months_back(today, 2))
    session.add(CareEndRequest(placement_id=pe.id, requested_on=today - timedelta(days=5), requested_by=other2.full_name,
                               ground="69_1_c", reason="Gia đình chuyển đi tỉnh khác làm ăn.", created_by="demo"))
    session.flush()
    session.add(CareEndDecision(placement_id=pe.id, end_request_id=None, ground="69_1_c",
                                reasons="Theo đơn đề nghị của người nhận chăm sóc thay thế.", new_form="khong_than_thich",
                                new_arrangement="Tìm cá nhân, gia đình khác nhận chăm sóc thay thế.", drafted_by=worker,
                                recipients="Như Điều 3;\nLưu: VT, VHXH.", created_by="demo"))
    # F: ended a month ago (the child went back to the family).
    handed_f = _months_back(today, 14)
    nf = need(f, handed_f - timedelta(days=40))
    meet(nf, other3, handed_f - timedelta(days=30))
    pf = place(nf, other3, "khong_than_thich", handed_f - timedelta(days=10), handed_f)
    follow(pf, "1_thang", _months_back(today, 13))
    follow(pf, "3_thang", _months_back(today, 11))
    follow(pf, "6_thang", _months_back(today, 8))
    follow(pf, "6_thang", _months_back(today, 2))
    ended = today - timedelta(days=30)
    session.add(CareEndDecision(placement_id=pf.id, ground="69_1_dd", reasons="Gia đình đã bảo đảm an toàn cho trẻ em.",
                                new_form="ve_gia_dinh", new_arrangement="Trẻ em về sống với mẹ.", drafted_by=worker,
                                doc_year=ended.year, doc_number=next_number(session, "QĐ", ended.year),
                                decided_by=chairman, decided_at=_at(ended, 10), ended_on=ended,
                                recipients="Như Điều 3;\nLưu: VT, VHXH.", created_by="demo"))
    nf.closed_at, nf.closed_reason = _at(ended, 16), "Trẻ em về sống với gia đình (Mẫu 16)."
    # G: a child from a facility's list (Mẫu 14), assessed.
    fc = FacilityChild(facility_name="Trung tâm Công tác xã hội tỉnh", list_date=today - timedelta(days=20), child_id=g,
                       entered_facility_on=today - timedelta(days=700), situation="Trẻ em bị bỏ rơi tại bệnh viện.",
                       created_by="demo")
    session.add(fc)
    session.flush()
    need(g, today - timedelta(days=10), source="co_so", grounds=("62_1",), facility_child_id=fc.id)
    session.flush()
    return 5
