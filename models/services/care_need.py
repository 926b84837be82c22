"""The child's side of alternative care (chăm sóc thay thế): Mẫu 10 — the worker's assessment of the child's
situation, needs and wishes, with the child's file of NĐ 56 Điều 38.3 —, Mẫu 14 — a child on a social
assistance facility's list (Điều 45.1) —, and the meetings between the child and a prospective carer before
the placement (TT 14/2020 Điều 10.4.c, 11.2: at least two).

The rules said here, once:
  * the grounds are Luật Trẻ em Điều 62's cases (resources/forms/mau10.json);
  * the child's opinion is required from age 7 (NĐ 56 Điều 42.1), or a written reason why it could not be
    taken; with no date of birth the stricter way is taken: an estimated age of 6 or more, or no age at all,
    counts as possibly 7;
  * the file (Điều 38.3): birth certificate or ID, health certificate, two 8×10 cm photos **taken no more than
    6 months before**, Mẫu 10 itself, and (if any) the abandonment record or the Mẫu 07 decision;
  * a child coming from a separation names the case, whose Mẫu 07 must be signed.
Every write is audited (entities "mau10", "mau14", "gap_mat_cstt"; the child's id).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import validation as v
from ..care_entities import Carer, CareMeeting, CareNeed, FacilityChild
from ..clock import fmt_date, now
from ..db import Database
from ..entities import Case, Child
from ..name_search import name_matches
from ..security import audit
from ..security.roles import Actor
from ..textnorm import fold, vn_sort_key
from ..wording import form_definition
from .process_common import (
    Checker, ProcessError, apply_values, check_day_between, chosen_record, get_case, reason_given,
)

SOURCES = ("cach_ly", "co_so", "cong_dong")
OPINION_AGE = 7  # NĐ 56 Điều 42.1: "lấy ý kiến của trẻ em từ đủ 07 tuổi trở lên"
PHOTO_MONTHS = 6  # Điều 38.3.c: "ảnh … chụp không quá 06 tháng"
MIN_MEETINGS = 2  # TT 14/2020: at least two meetings child–carer before the placement


def grounds() -> dict[str, str]:
    """Luật Trẻ em Điều 62's cases: id → the law's words."""
    return {g["id"]: g["text"] for g in form_definition("10")["grounds"]["items"]}


def source_words() -> dict[str, str]:
    return dict(form_definition("10")["sources"])


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the last day of that month when it has no such day): the start of
    a period counted in months (Bộ luật Dân sự Điều 147)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return _clamped(year, month, day.day)


def months_after(day: date, months: int) -> date:
    month = day.month + months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return _clamped(year, month, day.day)


def _clamped(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def opinion_required(child: Child, on: date) -> bool:
    """Whether the child's opinion must be taken on `on` (Điều 42.1). Without a date of birth the stricter way:
    an estimated age of 6 or more (the child may already be 7) or no age at all."""
    if child.date_of_birth is not None:
        return v.age_on(child.date_of_birth, on) >= OPINION_AGE
    if child.estimated_age is not None:
        return child.estimated_age >= OPINION_AGE - 1
    return True


def photos_fresh(taken_on: date | None, on: date) -> bool | None:
    """Whether photos taken on `taken_on` are still under 6 months old on `on` (None: no photos yet)."""
    if taken_on is None:
        return None
    return taken_on >= months_before(on, PHOTO_MONTHS)


@dataclass(frozen=True)
class FileItem:
    id: str
    text: str  # the law's item
    ok: bool
    note: str  # "Đã có (ngày …)" / "Còn thiếu" / "Ảnh đã quá 06 tháng …"
    required: bool = True


def file_status(need: CareNeed, on: date, *, separation_decided: bool | None = None) -> list[FileItem]:
    """The child's file (Điều 38.3) as it stands on `on`: each paper, received or still missing. The origin
    paper (abandonment record or Mẫu 07) is required only when the child comes from a separation (the signed
    Mẫu 07 is then in the case) or was abandoned (Điều 62.1 ground); otherwise it is "nếu có"."""
    words = {i["id"]: i["text"] for i in form_definition("10")["file"]["items"]}

    def got(day: date | None) -> str:
        return f"Đã có (ngày {fmt_date(day)})" if day else "Còn thiếu"

    photo_ok = photos_fresh(need.photos_taken_on, on)
    if photo_ok is None:
        photo_note = "Còn thiếu"
    elif photo_ok:
        photo_note = f"Đã có (chụp ngày {fmt_date(need.photos_taken_on)})"
    else:
        photo_note = (f"Ảnh chụp ngày {fmt_date(need.photos_taken_on)} đã quá {PHOTO_MONTHS:02d} tháng: "
                      "cần chụp lại")
    if need.source == "cach_ly":
        decided = separation_decided if separation_decided is not None else _separation_decided(need)
        origin = FileItem("origin", words["origin"], decided,
                          "Quyết định tạm thời cách ly (Mẫu số 07) đã ký, trong hồ sơ vụ việc" if decided
                          else "Mẫu số 07 của hồ sơ vụ việc chưa được ký")
    elif need.abandonment_record_on is not None:
        origin = FileItem("origin", words["origin"], True, got(need.abandonment_record_on))
    else:
        origin = FileItem("origin", words["origin"], True, "Không có (chỉ cần khi có)", required=False)
    return [
        FileItem("birth_certificate", words["birth_certificate"], need.birth_certificate_on is not None,
                 got(need.birth_certificate_on)),
        FileItem("health_certificate", words["health_certificate"], need.health_certificate_on is not None,
                 got(need.health_certificate_on)),
        FileItem("photos", words["photos"], bool(photo_ok), photo_note),
        FileItem("mau10", words["mau10"], True, f"Đã lập ngày {fmt_date(need.assessed_on)}"),
        origin,
    ]


def missing(need: CareNeed, on: date) -> list[FileItem]:
    return [i for i in file_status(need, on) if not i.ok]


def _separation_decided(need: CareNeed) -> bool:
    case = need.case
    if case is None:
        return False
    return any(s.decided_at is not None for s in case.separations)


def get_need(session: Session, care_need_id: int) -> CareNeed:
    need = session.get(CareNeed, care_need_id)
    if need is None:
        raise ProcessError("Không tìm thấy bản đánh giá trẻ em cần chăm sóc thay thế (Mẫu số 10).")
    return need


def get_open_need(session: Session, care_need_id: int, closed: str = "Bản đánh giá này đã đóng.") -> CareNeed:
    """The Mẫu 10 `care_need_id`, refused with `closed` once it has been closed."""
    need = get_need(session, care_need_id)
    if need.closed_at is not None:
        raise ProcessError(closed)
    return need


def open_need_of(db: Database, child_id: int) -> int | None:
    """The child's Mẫu 10 still open (at most one), if any."""
    with db.session() as session:
        return session.scalar(select(CareNeed.id).where(CareNeed.child_id == child_id, CareNeed.closed_at.is_(None)))


def start_from_separation(db: Database, case_id: int) -> dict[str, Any]:
    """What a new Mẫu 10 starts with when the worker starts alternative care from a case's signed Mẫu 07:
    the child, the case, the source, and the ground of Điều 62.2 (the worker may change it)."""
    with db.session() as session:
        case = get_case(session, case_id, must_be_open=False)
        if not any(s.decided_at is not None for s in case.separations):
            raise ProcessError("Hồ sơ này chưa có quyết định tạm thời cách ly (Mẫu số 07) đã ký.")
        return {"child_id": case.child_id, "case_id": case.id, "source": "cach_ly", "grounds": ["62_2"]}


def _parse(check: Checker, session: Session, raw: Mapping[str, Any], at: datetime) -> dict[str, Any]:
    g = raw.get
    today = at.date()
    child_id = g("child_id")
    child = chosen_record(session, Child, child_id)
    if child is None:
        check.fail("child_id", "Chọn trẻ em cần chăm sóc thay thế.")
    source = str(g("source") or "")
    if source not in SOURCES:
        check.fail("source", "Chọn trẻ em đến từ đâu: sau cách ly (Mẫu 07), từ cơ sở trợ giúp xã hội (Mẫu 14) "
                             "hoặc đang sống tại cộng đồng.")
    chosen = list(dict.fromkeys(str(x) for x in (g("grounds") or [])))
    if not chosen:
        check.fail("grounds", "Chọn ít nhất một trường hợp cần chăm sóc thay thế (Điều 62 Luật Trẻ em).")
    elif any(x not in grounds() for x in chosen):
        check.fail("grounds", "Trường hợp đã chọn không có trong Điều 62 Luật Trẻ em.")
    assessed_on = check("assessed_on", v.parse_date, g("assessed_on"), required=True, what="Ngày đánh giá")
    check_day_between(check, "assessed_on", assessed_on, today=today, what="Ngày đánh giá")
    case_id = g("case_id") or None
    facility_child_id = g("facility_child_id") or None
    if source == "cach_ly":
        case = chosen_record(session, Case, case_id)
        if case is None:
            check.fail("case_id", "Trẻ em sau cách ly: chọn hồ sơ vụ việc có quyết định tạm thời cách ly (Mẫu 07).")
        elif child is not None and case.child_id != child.id:
            check.fail("case_id", f"Hồ sơ {case.code} là của trẻ em khác.")
        elif not any(s.decided_at is not None for s in case.separations):
            check.fail("case_id", f"Hồ sơ {case.code} chưa có quyết định tạm thời cách ly (Mẫu 07) đã ký.")
    else:
        case_id = None
    if source == "co_so":
        fc = chosen_record(session, FacilityChild, facility_child_id)
        if fc is None:
            check.fail("facility_child_id", "Trẻ em từ cơ sở: chọn trẻ trong danh sách của cơ sở (Mẫu 14).")
        elif child is not None and fc.child_id != child.id:
            check.fail("facility_child_id", "Mục danh sách của cơ sở đã chọn là của trẻ em khác.")
    else:
        facility_child_id = None
    values = {key: check(key, v.text, g(key), what=what) or "" for key, what in (
        ("assessor", "Người đánh giá"), ("situation", "Hoàn cảnh"), ("health", "Sức khỏe"), ("needs", "Nhu cầu"),
        ("wishes", "Nguyện vọng"), ("child_opinion", "Ý kiến của trẻ em"),
        ("opinion_not_taken_reason", "Lý do chưa lấy ý kiến"))}
    if not values["assessor"]:
        check.fail("assessor", "Ghi họ tên người đánh giá.")
    if not values["situation"]:
        check.fail("situation", "Ghi hoàn cảnh của trẻ em.")
    if not values["needs"]:
        check.fail("needs", "Ghi nhu cầu của trẻ em.")
    if child is not None and assessed_on is not None and opinion_required(child, assessed_on) \
            and not values["child_opinion"] and not values["opinion_not_taken_reason"]:
        age = (f"{v.age_on(child.date_of_birth, assessed_on)} tuổi" if child.date_of_birth
               else "chưa rõ ngày sinh, có thể đã đủ 07 tuổi")
        check.fail("child_opinion", f"Trẻ em {age}: phải lấy ý kiến của trẻ em từ đủ 07 tuổi trở lên (khoản 1 "
                                    "Điều 42 Nghị định 56/2017/NĐ-CP). Ghi ý kiến của trẻ, hoặc ghi rõ lý do chưa "
                                    "lấy được ý kiến.")
    preferred = g("preferred_form") or None
    if preferred is not None and preferred not in form_definition("12")["forms"]:
        check.fail("preferred_form", "Hình thức chăm sóc thay thế không có trong khoản 2 Điều 42 Nghị định 56/2017/NĐ-CP.")
    papers = {}
    for key, what in (("birth_certificate_on", "Ngày nhận giấy khai sinh"),
                      ("health_certificate_on", "Ngày giấy khám sức khỏe"),
                      ("photos_taken_on", "Ngày chụp ảnh"), ("abandonment_record_on", "Ngày biên bản bỏ rơi")):
        day = check(key, v.parse_date, g(key), what=what)
        check_day_between(check, key, day, today=today, what=what)
        papers[key] = day
    photos = papers["photos_taken_on"]
    if photos is not None and assessed_on is not None and not photos_fresh(photos, assessed_on):
        check.fail("photos_taken_on", f"Ảnh chụp ngày {fmt_date(photos)} đã quá {PHOTO_MONTHS:02d} tháng tính đến "
                                      f"ngày đánh giá {fmt_date(assessed_on)}: hồ sơ cần hai ảnh toàn thân 8 x 10 cm "
                                      "chụp không quá 06 tháng (khoản 3 Điều 38 Nghị định 56/2017/NĐ-CP). Chụp lại "
                                      "và ghi ngày chụp mới.")
    return dict(child_id=child.id if child else None, case_id=int(case_id) if case_id else None,
                facility_child_id=int(facility_child_id) if facility_child_id else None, source=source,
                grounds=chosen, assessed_on=assessed_on, preferred_form=preferred, **values, **papers)


def save_care_need(db: Database, actor: Actor, raw: Mapping[str, Any], *, care_need_id: int | None = None,
                   at: datetime | None = None) -> int:
    """Write (or correct) a child's Mẫu 10 and file. Returns its id. A need closed, or one with a decided
    placement, is not corrected here."""
    actor.require("case.edit")
    at = at or now()
    with db.transaction() as session:
        check = Checker()
        values = _parse(check, session, raw, at)
        check.raise_if_any()
        if care_need_id is None:
            open_need = session.scalar(select(CareNeed).where(CareNeed.child_id == values["child_id"],
                                                              CareNeed.closed_at.is_(None)))
            if open_need is not None:
                raise ProcessError(f"Trẻ em này đã có bản đánh giá Mẫu 10 ngày {fmt_date(open_need.assessed_on)} "
                                   "đang mở: mở bản đó để sửa.")
            need = CareNeed(created_by=actor.username, **values)
            session.add(need)
            session.flush()
            audit.record(session, actor, "create", "mau10", need.child_id, detail=f"Mẫu 10 #{need.id}")
        else:
            need = get_open_need(session, care_need_id, "Bản đánh giá này đã đóng; không sửa được.")
            if values["child_id"] != need.child_id:
                raise ProcessError({"child_id": "Không đổi được trẻ em của một bản đánh giá đã lưu."})
            changes = apply_values(need, values, loaded_version=raw.get("row_version"),
                                   conflict=(session, "mau10", str(need.child_id), "Mẫu số 10"))
            audit.record(session, actor, "update", "mau10", need.child_id, detail=f"Mẫu 10 #{need.id}",
                         changes=changes)
        return need.id


def close_care_need(db: Database, actor: Actor, care_need_id: int, reason: str) -> None:
    """The child no longer needs a placement (returned home, adopted …): closed with a reason. A need with a
    placement still running is not closed."""
    actor.require("case.edit")
    from ..care_entities import Placement

    text = reason_given(reason, "closed_reason", "Ghi lý do trẻ em không còn cần chăm sóc thay thế.")
    with db.transaction() as session:
        need = get_open_need(session, care_need_id)
        running = session.scalar(select(Placement.id).where(Placement.care_need_id == need.id,
                                                            Placement.decided_at.is_not(None)))
        if running is not None and not _placement_ended(session, running):
            raise ProcessError("Trẻ em đang được chăm sóc thay thế theo quyết định đã ký; chấm dứt bằng Mẫu 16.")
        need.closed_at, need.closed_reason = now(), text
        audit.record(session, actor, "update", "mau10", need.child_id, detail=f"Đóng Mẫu 10 #{need.id}: {text}")


def _placement_ended(session: Session, placement_id: int) -> bool:
    from ..care_entities import CareEndDecision

    return session.scalar(select(CareEndDecision.id).where(CareEndDecision.placement_id == placement_id,
                                                           CareEndDecision.decided_at.is_not(None))) is not None


# --- Mẫu 14: a child on a facility's list -------------------------------------------------------------------
def add_facility_child(db: Database, actor: Actor, raw: Mapping[str, Any], *, at: datetime | None = None) -> int:
    """A child on a social assistance facility's list (Mẫu 14), entered by hand: an existing child of the
    register (`child_id`) or a new one (`full_name`, `date_of_birth`, `gender`). Returns the FacilityChild id."""
    actor.require("case.edit")
    at = at or now()
    g = raw.get
    check = Checker()
    facility = check("facility_name", v.text, g("facility_name"), required=True, max_len=200,
                     what="Tên cơ sở trợ giúp xã hội") or ""
    list_date = check("list_date", v.parse_date, g("list_date"), required=True, what="Ngày lập danh sách")
    entered = check("entered_facility_on", v.parse_date, g("entered_facility_on"), what="Ngày vào cơ sở")
    for key, day in (("list_date", list_date), ("entered_facility_on", entered)):
        check_day_between(check, key, day, today=at.date(), what="Ngày")
    if entered and list_date and entered > list_date:
        check.fail("entered_facility_on", "Ngày vào cơ sở không thể sau ngày lập danh sách.")
    situation = check("situation", v.text, g("situation"), what="Hoàn cảnh") or ""
    note = check("note", v.text, g("note"), what="Ghi chú") or ""
    child_id = g("child_id")
    name = dob = None
    gender = str(g("gender") or "khong_biet")
    if not child_id:
        name = check("full_name", v.person_name, g("full_name"), required=True, what="Họ và tên trẻ em")
        dob = check("date_of_birth", v.parse_date, g("date_of_birth"), what="Ngày sinh")
        if gender not in ("nam", "nu", "khong_biet"):
            check.fail("gender", "Chọn giới tính.")
    check.raise_if_any()
    with db.transaction() as session:
        if child_id:
            child = session.get(Child, int(child_id))
            if child is None:
                raise ProcessError({"child_id": "Không tìm thấy trẻ này trong sổ."})
        else:
            child = _new_listed_child(session, actor, facility, name, dob, gender)
        fc = _facility_row(session, actor, facility, list_date, child, entered, situation, note)
        audit.record(session, actor, "create", "mau14", child.id, detail=f"Mẫu 14 #{fc.id}: {facility}")
        return fc.id


def _new_listed_child(session: Session, actor: Actor, facility: str, name: str, dob: date | None,
                      gender: str) -> Child:
    """A child first known from a facility's list, added to the register (audited)."""
    child = Child(full_name=name, name_key=fold(name), sort_key=vn_sort_key(name), date_of_birth=dob, gender=gender)
    session.add(child)
    session.flush()
    audit.record(session, actor, "create", "child", child.id, detail=f"Trẻ em từ danh sách của {facility}")
    return child


def _facility_row(session: Session, actor: Actor, facility: str, list_date: date, child: Child,
                  entered: date | None, situation: str, note: str) -> FacilityChild:
    """One child's line of a facility's list (Mẫu 14)."""
    fc = FacilityChild(facility_name=facility, list_date=list_date, child_id=child.id, entered_facility_on=entered,
                       situation=situation, note=note, created_by=actor.username)
    session.add(fc)
    session.flush()
    return fc


# --- meetings child–carer ---------------------------------------------------------------------------------
def add_meeting(db: Database, actor: Actor, care_need_id: int, raw: Mapping[str, Any], *,
                at: datetime | None = None) -> int:
    """A meeting between the child and a prospective carer (TT 14/2020: at least two before the placement)."""
    actor.require("case.edit")
    at = at or now()
    g = raw.get
    check = Checker()
    met_on = check("met_on", v.parse_date, g("met_on"), required=True, what="Ngày gặp")
    place = check("place", v.text, g("place"), max_len=200, what="Địa điểm") or ""
    notes = check("notes", v.text, g("notes"), what="Diễn biến") or ""
    check_day_between(check, "met_on", met_on, today=at.date(), what="Ngày gặp")
    with db.transaction() as session:
        need = get_need(session, care_need_id)
        carer = chosen_record(session, Carer, g("carer_id"))
        if carer is None:
            check.fail("carer_id", "Chọn cá nhân, gia đình nhận chăm sóc thay thế đã gặp trẻ.")
        if met_on is not None and met_on < need.assessed_on:
            check.fail("met_on", f"Ngày gặp không thể trước ngày đánh giá Mẫu 10 ({fmt_date(need.assessed_on)}).")
        if not notes:
            check.fail("notes", "Ghi diễn biến buổi gặp và phản ứng của trẻ em.")
        check.raise_if_any()
        if need.closed_at is not None:
            raise ProcessError("Bản đánh giá này đã đóng.")
        if any(m.carer_id == carer.id and m.met_on == met_on for m in need.meetings):
            raise ProcessError({"met_on": f"Đã ghi buổi gặp ngày {fmt_date(met_on)} với người này."})
        meeting = CareMeeting(care_need_id=need.id, carer_id=carer.id, met_on=met_on, place=place, notes=notes,
                              created_by=actor.username)
        session.add(meeting)
        session.flush()
        audit.record(session, actor, "create", "gap_mat_cstt", need.child_id,
                     detail=f"Gặp {carer.full_name} ngày {fmt_date(met_on)}")
        return meeting.id


def meetings_with(need: CareNeed, carer_id: int, *, until: date | None = None) -> list[CareMeeting]:
    return [m for m in need.meetings if m.carer_id == carer_id and (until is None or m.met_on <= until)]


# --- Mẫu 14 from the facility's workbook ----------------------------------------------------------------------
MAX_FACILITY_ROWS = 500  # a facility's list is a few dozen children; more is not such a list


def _facility_fields():
    from .register_import import Field

    return (
        Field("full_name", "Họ và tên trẻ em", ("ho va ten", "ho ten", "ho va ten tre em", "ho ten tre em", "ten tre"),
              required=True),
        Field("date_of_birth", "Ngày sinh", ("ngay sinh", "ngay thang nam sinh", "sinh ngay")),
        Field("gender", "Giới tính", ("gioi tinh", "gioi", "nam/nu")),
        Field("entered_facility_on", "Ngày vào cơ sở", ("ngay vao co so", "ngay tiep nhan", "ngay vao")),
        Field("situation", "Hoàn cảnh của trẻ em", ("hoan canh", "hoan canh cua tre em", "tinh trang")),
        Field("note", "Ghi chú", ("ghi chu",)),
    )


def import_facility_list(db: Database, actor: Actor, path, *, facility_name: str, list_date: date | str,
                         at: datetime | None = None) -> list[int]:
    """A facility's list of children (Mẫu 14) from its workbook: the file is checked as hostile first
    (models.xlsx_guard: size, zip bombs, password, bounded reading), the header row found by its words, every row
    checked; one bad row refuses the whole file with the rows and reasons (nothing half-imported). A child already
    in the register with the same name and date of birth is not created twice. Returns the FacilityChild ids."""
    from .register import parse_gender
    from .register_import import cell_date, cell_text, detect_header, read_workbook

    actor.require("case.edit")
    at = at or now()
    check = Checker()
    facility = check("facility_name", v.text, facility_name, required=True, max_len=200,
                     what="Tên cơ sở trợ giúp xã hội") or ""
    day = check("list_date", v.parse_date, list_date, required=True, what="Ngày lập danh sách")
    check.raise_if_any()
    sheets = read_workbook(path)  # v.Invalid (a user error) for a hostile or damaged file
    fields = _facility_fields()
    found = None
    for sheet in sheets:
        header, mapping = detect_header(sheet, fields)
        if header is not None and "full_name" in mapping:
            found = (sheet, header, mapping)
            break
    if found is None:
        raise ProcessError({"file": "Không tìm thấy dòng tiêu đề có cột «Họ và tên trẻ em» trong tệp: dùng tệp danh "
                                    "sách theo Mẫu 14 của cơ sở (cột Họ và tên, Ngày sinh, Giới tính, …)."})
    sheet, header, mapping = found
    rows, problems = [], []
    for number, row in enumerate(sheet.rows[header + 1:], start=header + 2):
        def cell(key):
            c = mapping.get(key)
            return row[c] if c is not None and c < len(row) else None

        if all(value in (None, "") for value in row):
            continue
        if len(rows) + len(problems) >= MAX_FACILITY_ROWS:
            problems.append(f"dòng {number}: tệp có quá {MAX_FACILITY_ROWS} trẻ em, không phải một danh sách Mẫu 14")
            break
        try:
            name = v.person_name(cell_text(cell("full_name")), required=True, what="Họ và tên trẻ em")
            dob = cell_date(cell("date_of_birth"), "Ngày sinh")
            if dob is not None and dob > at.date():
                raise v.Invalid("Ngày sinh ở tương lai.")
            entered = cell_date(cell("entered_facility_on"), "Ngày vào cơ sở")
            gender = parse_gender(cell("gender"))
            situation = v.text(cell_text(cell("situation")), what="Hoàn cảnh")
            note = v.text(cell_text(cell("note")), what="Ghi chú")
        except v.Invalid as exc:
            problems.append(f"dòng {number}: {exc}")
            continue
        rows.append((name, dob, gender, entered, situation, note))
    if problems:
        raise ProcessError({"file": "Tệp chưa nhập được (không trẻ em nào được ghi): " + "; ".join(problems[:8])
                                    + ("; …" if len(problems) > 8 else "") + ". Sửa các dòng đó trong tệp rồi nhập lại."})
    if not rows:
        raise ProcessError({"file": "Tệp không có trẻ em nào dưới dòng tiêu đề."})
    ids = []
    with db.transaction() as session:
        for name, dob, gender, entered, situation, note in rows:
            child = next((c for c in session.scalars(select(Child).where(
                name_matches(session, fold(name).split()), Child.date_of_birth == dob)) if c.name_key == fold(name)),
                None) if dob is not None and fold(name) else None
            if child is None:
                child = _new_listed_child(session, actor, facility, name, dob, gender)
            ids.append(_facility_row(session, actor, facility, day, child, entered, situation, note).id)
        audit.record(session, actor, "import", "mau14", "", detail=f"Danh sách Mẫu 14 của {facility}: {len(ids)} trẻ em")
    return ids
