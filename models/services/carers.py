"""The carers' side of alternative care: Mẫu 08 (application), Mẫu 09 (the commune's list, sent up every quarter),
Mẫu 11 (verification of the carer's conditions) — NĐ 56 Điều 39–42, Luật Trẻ em Điều 63.2 and 65, TT 14/2020
Điều 6–8.

A carer's standing is derived, never stored (`standing`): the placement side (models/services/placements.py)
may only place a child with a carer whose standing is "du_dieu_kien", and checks the age gap with the child
(Luật Điều 63.2.d) with `age_gap_ok` / `age_gap_problem`.

What the placement side and the lead call:
  * standing(carer) -> "cho_xac_minh" | "du_dieu_kien" | "khong_du_dieu_kien" | "da_rut"; STANDINGS (words);
  * age_gap_ok(carer, child_dob, *, relative=None) -> True / False / None (a date of birth missing);
    age_gap_problem(carer, child_dob, *, relative=None) -> "" or the Vietnamese message for the field;
  * carer_label(carer) -> "Nguyễn Văn A (gia đình, thôn Đông)"; list_carers(db, ...) -> [CarerRow];
  * list_tasks(session, calendar, at) -> [Task] (called from models.services.tasks.compute_tasks);
  * count_registered(session, start, end) -> int (carers registered in a period, for the period report).

Three-state everywhere: a condition of Mẫu 11 not yet checked is absent from `answers`, never False; the
conclusion stays None until the worker concludes; "đủ điều kiện" only when every condition is met.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import validation as v
from ..calendar_days import WorkCalendar, end_of_day
from ..care_entities import Carer, CarerListSending, CarerVerification
from ..clock import VN, fmt_date, now, time_left, today
from ..db import Database
from ..entities import Child
from ..field_crypto import name_order, protects
from ..name_search import name_matches
from ..security import audit
from ..security.roles import Actor
from ..textnorm import fold
from ..wording import form_definition
from .process_common import Checker, ProcessError, apply_values, yes_no

# A carer's standing on the commune's list, with what a person reads.
STANDINGS: dict[str, str] = {
    "cho_xac_minh": "Chờ xác minh (Mẫu 11)",
    "du_dieu_kien": "Đủ điều kiện (đã xác minh)",
    "khong_du_dieu_kien": "Không đủ điều kiện",
    "da_rut": "Đã rút khỏi danh sách",
}

REGISTRATIONS: dict[str, str] = {
    "don_dang_ky": "Đơn đăng ký (Mẫu 08)",
    "thong_bao_than_thich": "Người thân thích thông báo (khoản 4 Điều 65 Luật Trẻ em)",
}
KINDS: dict[str, str] = {"ca_nhan": "Cá nhân", "gia_dinh": "Gia đình"}
GENDERS: dict[str, str] = {"nam": "Nam", "nu": "Nữ", "khong_biet": "Chưa rõ"}

ADULT_AGE = 18  # Bộ luật Dân sự 2015 Điều 20: người thành niên là người từ đủ 18 tuổi trở lên
AGE_GAP_YEARS = 20  # Luật Trẻ em Điều 63.2.d: non-relatives at least 20 years older than the child
HEALTH_CERTIFICATE_MONTHS = 6  # NĐ 56 Điều 41.1.b
FOREIGN_RESIDED_MONTHS = 6  # NĐ 56 Điều 39.3
FOREIGN_REMAINING_MONTHS = 12  # NĐ 56 Điều 39.3
CONDITIONS = ("a", "b", "c", "d")  # Luật Trẻ em Điều 63.2 (mau11.json "conditions")
LIST_DUE_RULE = (
    "Khoản 1 Điều 40 Nghị định 56/2017/NĐ-CP: hằng quý cập nhật danh sách gửi cơ quan cấp trên. Luật không nói ngày "
    "nào trong quý; phần mềm tính cách chặt nhất: hạn là ngày làm việc cuối cùng của quý.")


def _w08() -> dict[str, Any]:
    return form_definition("08")


def _w11() -> dict[str, Any]:
    return form_definition("11")


def condition_texts() -> dict[str, str]:
    """Condition id → its short label (Mẫu 11, Luật Điều 63.2 a–d)."""
    return {c["id"]: c["short"] for c in _w11()["conditions"]["items"]}


# ----- derived standing and age rules ----------------------------------------------------------------------

def standing(carer: Carer) -> str:
    """"da_rut" once withdrawn; else the conclusion of the newest *confirmed* verification (Mẫu 11 confirmed by
    the chairman); "cho_xac_minh" while there is none (a draft verification decides nothing)."""
    if carer.withdrawn_at is not None:
        return "da_rut"
    confirmed = [v for v in carer.verifications if v.confirmed_at is not None and v.conclusion]
    if not confirmed:
        return "cho_xac_minh"
    newest = max(confirmed, key=lambda v: (v.verified_on, v.confirmed_at, v.id or 0))
    return newest.conclusion


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier, negative); the month's last day when it has no such day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _is_relative(carer: Carer, relative: bool | None) -> bool:
    return carer.registration == "thong_bao_than_thich" if relative is None else relative


def age_gap_ok(carer: Carer, child_dob: date | None, *, relative: bool | None = None,
               on: date | None = None) -> bool | None:
    """Luật Trẻ em Điều 63.2.d for one child: a relative must be an adult (≥ 18 on `on`, default today); anyone
    else must be at least 20 years older than the child. None when a date of birth needed is missing (not
    known is not "no"). `relative` defaults to the carer's own registration (a relative's notice)."""
    if carer.date_of_birth is None:
        return None
    if _is_relative(carer, relative):
        return v.age_on(carer.date_of_birth, on or today()) >= ADULT_AGE
    if child_dob is None:
        return None
    return add_months(carer.date_of_birth, 12 * AGE_GAP_YEARS) <= child_dob


def age_gap_problem(carer: Carer, child_dob: date | None, *, relative: bool | None = None,
                    on: date | None = None) -> str:
    """The message for the placement's field when age_gap_ok is not True ("" when it is)."""
    ok = age_gap_ok(carer, child_dob, relative=relative, on=on)
    if ok:
        return ""
    if _is_relative(carer, relative):
        if ok is None:
            return "Chưa có ngày sinh của người thân thích: chưa kiểm tra được người này đã thành niên chưa."
        return (f"Người thân thích nhận chăm sóc thay thế phải là người thành niên (đủ {ADULT_AGE} tuổi) "
                "(điểm d khoản 2 Điều 63 Luật Trẻ em).")
    if ok is None:
        return "Chưa có ngày sinh của người nhận chăm sóc hoặc của trẻ em: chưa kiểm tra được khoảng cách tuổi."
    return (f"Người nhận chăm sóc thay thế không phải người thân thích phải hơn trẻ em từ {AGE_GAP_YEARS} tuổi trở "
            f"lên (điểm d khoản 2 Điều 63 Luật Trẻ em): sinh {fmt_date(carer.date_of_birth)}, trẻ em sinh "
            f"{fmt_date(child_dob)}.")


# ----- the carer's file (NĐ 56 Điều 41.1) ------------------------------------------------------------------

@dataclass(frozen=True)
class FileItem:
    text: str
    present: bool | None  # None: not required for this carer


def file_items(carer: Carer) -> list[FileItem]:
    """The carer's file as the law lists it (NĐ 56 Điều 41.1), each paper received or still missing. A relative
    only notifies the commune (Luật Điều 65.4, NĐ 56 Điều 41.2): no file."""
    if carer.registration == "thong_bao_than_thich":
        return [FileItem("Thông báo của người thân thích với UBND xã (khoản 4 Điều 65 Luật Trẻ em; không cần đơn "
                         "Mẫu 08 và hồ sơ theo khoản 1 Điều 41)", carer.applied_on is not None)]
    items = [FileItem("Đơn đăng ký nhận chăm sóc thay thế (Mẫu số 08)", carer.applied_on is not None),
             FileItem("Giấy khám sức khỏe trong thời gian 06 tháng tính đến ngày nộp hồ sơ",
                      carer.health_certificate_on is not None)]
    if carer.is_foreigner is None:
        items.append(FileItem("Chưa trả lời có phải người nước ngoài không: chưa biết có cần lý lịch tư pháp", False))
    elif carer.is_foreigner:
        items.append(FileItem("Lý lịch tư pháp (người nước ngoài)", carer.criminal_record_on is not None))
    return items


def missing_papers(carer: Carer) -> list[str]:
    return [i.text for i in file_items(carer) if i.present is False]


# ----- registering, editing, withdrawing --------------------------------------------------------------------

def _members(check: Checker, raw: Any, applied_on: date | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, m in enumerate(raw or [], start=1):
        m = dict(m or {})
        name = str(m.get("full_name") or "").strip()
        if not name and not any(str(m.get(k) or "").strip() for k in ("year_of_birth", "relation", "occupation")):
            continue  # an empty row of the table
        try:
            name = v.person_name(name, required=True, what=f"Họ và tên thành viên thứ {i}")
            yob = v.small_int(m.get("year_of_birth"), lo=v.EARLIEST_YEAR, hi=(applied_on or today()).year,
                              what=f"Năm sinh của thành viên thứ {i}") if m.get("year_of_birth") not in (None, "") \
                else None
            relation = v.text(m.get("relation"), max_len=60, what=f"Quan hệ của thành viên thứ {i}")
            occupation = v.text(m.get("occupation"), max_len=120, what=f"Nghề nghiệp của thành viên thứ {i}")
        except v.Invalid as exc:
            check.fail("members", str(exc))
            continue
        out.append({"full_name": name, "year_of_birth": yob, "relation": relation, "occupation": occupation})
    return out


def _parse(session: Session, check: Checker, raw: Mapping[str, Any], at: datetime | None) -> dict[str, Any]:
    g = raw.get
    f = _w08()["fields"]

    def label(key: str) -> str:
        return f[key]["label"]

    registration = str(g("registration") or "")
    if registration not in REGISTRATIONS:
        check.fail("registration", "Chọn: đơn đăng ký (Mẫu 08) hoặc thông báo của người thân thích.")
    kind = str(g("kind") or "")
    if kind not in KINDS:
        check.fail("kind", "Chọn: cá nhân hoặc gia đình (người đại diện gia đình).")
    full_name = check("full_name", v.person_name, g("full_name"), required=True, what="Họ và tên") or ""
    day = (at or now()).astimezone(VN).date()
    applied_on = check("applied_on", v.parse_date, g("applied_on"), required=True, what=label("applied_on"))
    if applied_on is not None and applied_on > day:
        check.fail("applied_on", f"{label('applied_on')} không thể ở tương lai.")
    dob = check("date_of_birth", v.parse_date, g("date_of_birth"), required=True, what="Ngày sinh")
    if dob is not None and applied_on is not None and "applied_on" not in check.errors:
        if v.age_on(dob, applied_on) < ADULT_AGE:
            check.fail("date_of_birth",
                       f"Người nhận chăm sóc thay thế phải là người thành niên, đủ {ADULT_AGE} tuổi vào ngày nộp đơn "
                       f"(khoản 2 Điều 63 Luật Trẻ em; sinh {fmt_date(dob)} thì mới {v.age_on(dob, applied_on)} tuổi).")
    gender = str(g("gender") or "khong_biet")
    if gender not in GENDERS:
        check.fail("gender", "Giới tính không hợp lệ.")
    is_foreigner = yes_no(g("is_foreigner"))
    raw_id = g("personal_id")
    if is_foreigner:
        pid = check("personal_id", v.text, raw_id, max_len=20, what="Số hộ chiếu") or ""
        if pid and not all(ch.isascii() and (ch.isalnum() or ch in "-") for ch in pid):
            check.fail("personal_id", "Số hộ chiếu chỉ gồm chữ cái không dấu, chữ số và dấu gạch nối.")
    else:
        pid = check("personal_id", v.personal_id, raw_id) or ""
    nationality = check("nationality", v.text, g("nationality"), max_len=60, what="Quốc tịch") or ""
    res_from = check("residence_from", v.parse_date, g("residence_from"), what=label("residence_from"))
    res_until = check("residence_until", v.parse_date, g("residence_until"), what=label("residence_until"))
    if is_foreigner and registration == "don_dang_ky":
        if res_from is None and "residence_from" not in check.errors:
            check.fail("residence_from", "Người nước ngoài: ghi ngày bắt đầu cư trú tại Việt Nam (khoản 3 Điều 39 NĐ 56/2017).")
        if res_until is None and "residence_until" not in check.errors:
            check.fail("residence_until", "Người nước ngoài: ghi thời hạn được cư trú tại Việt Nam (khoản 3 Điều 39 NĐ 56/2017).")
        if applied_on is not None and res_from is not None and add_months(res_from, FOREIGN_RESIDED_MONTHS) > applied_on:
            check.fail("residence_from",
                       f"Người nước ngoài phải cư trú tại Việt Nam ít nhất {FOREIGN_RESIDED_MONTHS:02d} tháng vào thời "
                       f"điểm đăng ký (khoản 3 Điều 39 Nghị định 56/2017): cư trú từ {fmt_date(res_from)}, đến ngày "
                       f"nộp đơn {fmt_date(applied_on)} chưa đủ {FOREIGN_RESIDED_MONTHS:02d} tháng.")
        if applied_on is not None and res_until is not None \
                and res_until < add_months(applied_on, FOREIGN_REMAINING_MONTHS):
            check.fail("residence_until",
                       f"Người nước ngoài phải còn thời hạn cư trú tại Việt Nam ít nhất {FOREIGN_REMAINING_MONTHS} "
                       f"tháng vào thời điểm đăng ký (khoản 3 Điều 39 Nghị định 56/2017): hạn cư trú đến "
                       f"{fmt_date(res_until)}, cần đến ít nhất {fmt_date(add_months(applied_on, FOREIGN_REMAINING_MONTHS))}.")
    if res_from is not None and res_until is not None and res_until < res_from:
        check.fail("residence_until", "Thời hạn cư trú không thể trước ngày bắt đầu cư trú.")
    health = check("health_certificate_on", v.parse_date, g("health_certificate_on"), what=label("health_certificate_on"))
    if health is not None and health > day:
        check.fail("health_certificate_on", "Ngày cấp giấy khám sức khỏe không thể ở tương lai.")
    elif health is not None and applied_on is not None and registration == "don_dang_ky" \
            and health < add_months(applied_on, -HEALTH_CERTIFICATE_MONTHS):
        check.fail("health_certificate_on",
                   f"Giấy khám sức khỏe phải trong thời gian {HEALTH_CERTIFICATE_MONTHS:02d} tháng tính đến ngày nộp "
                   f"hồ sơ (khoản 1 Điều 41 Nghị định 56/2017): cấp ngày {fmt_date(health)}, đã quá "
                   f"{HEALTH_CERTIFICATE_MONTHS:02d} tháng so với ngày nộp đơn {fmt_date(applied_on)}. Đề nghị người "
                   "đăng ký khám lại.")
    record = check("criminal_record_on", v.parse_date, g("criminal_record_on"), what=label("criminal_record_on"))
    if record is not None and record > day:
        check.fail("criminal_record_on", "Ngày cấp lý lịch tư pháp không thể ở tương lai.")
    relative_id = g("relative_of_child_id")
    relation = check("relation_to_child", v.text, g("relation_to_child"), max_len=60,
                     what=label("relation_to_child")) or ""
    child_id = None
    if registration == "thong_bao_than_thich":
        if relative_id in (None, "", 0):
            check.fail("relative_of_child_id", "Người thân thích thông báo nhận chăm sóc trẻ em nào? Chọn trẻ em.")
        else:
            try:
                child_id = int(relative_id)
            except (TypeError, ValueError):
                child_id = None
            if child_id is None or session.get(Child, child_id) is None:
                check.fail("relative_of_child_id", "Không tìm thấy trẻ em này trong sổ theo dõi.")
        if not relation and "relation_to_child" not in check.errors:
            check.fail("relation_to_child", "Ghi quan hệ với trẻ em (ông, bà, cô, dì, chú, bác, anh, chị…).")
    members = _members(check, g("members"), applied_on)
    return dict(
        registration=registration, kind=kind, full_name=full_name, name_key=fold(full_name), date_of_birth=dob,
        gender=gender, personal_id=pid, nationality=nationality, is_foreigner=is_foreigner,
        residence_from=res_from, residence_until=res_until,
        occupation=check("occupation", v.text, g("occupation"), max_len=120, what="Nghề nghiệp") or "",
        phone=check("phone", v.phone, g("phone")) or "",
        village=check("village", v.text, g("village"), max_len=120, what="Thôn, tổ dân phố") or "",
        address=check("address", v.text, g("address"), max_len=v.SHORT_MAX, what="Nơi cư trú") or "",
        lives_in_commune=yes_no(g("lives_in_commune")),
        members=members if kind == "gia_dinh" else [],
        relative_of_child_id=child_id, relation_to_child=relation if registration == "thong_bao_than_thich" else "",
        applied_on=applied_on,
        wishes=check("wishes", v.text, g("wishes"), what=label("wishes")) or "",
        reasons=check("reasons", v.text, g("reasons"), what=label("reasons")) or "",
        health_certificate_on=health, criminal_record_on=record,
        family_consent=yes_no(g("family_consent")),
    )


def _ref(carer: Carer | int) -> str:
    return f"NCS-{carer if isinstance(carer, int) else carer.id}"


def get_carer(session: Session, carer_id: int) -> Carer:
    carer = session.get(Carer, carer_id)
    if carer is None:
        raise ProcessError(f"Không tìm thấy người nhận chăm sóc thay thế số {carer_id}.")
    return carer


def register_carer(db: Database, actor: Actor, raw: Mapping[str, Any], *, at: datetime | None = None) -> int:
    """Record an application (Mẫu 08, individual or a family's representative with its members) or a relative's
    notice (Luật Trẻ em Điều 65.4, with the child and the relation). Returns the carer's id."""
    actor.require("case.edit")
    with db.transaction() as session:
        check = Checker()
        values = _parse(session, check, raw, at)
        check.raise_if_any()
        carer = Carer(created_by=actor.username, **values)
        session.add(carer)
        session.flush()
        audit.record(session, actor, "create", "carer", _ref(carer),
                     detail=f"{REGISTRATIONS[carer.registration]}: {carer.full_name}")
        return carer.id


def update_carer(db: Database, actor: Actor, carer_id: int, raw: Mapping[str, Any], *,
                 at: datetime | None = None) -> None:
    """Correct a carer's record; `raw["row_version"]` (as loaded) guards against overwriting another's save."""
    actor.require("case.edit")
    with db.transaction() as session:
        carer = get_carer(session, carer_id)
        if carer.withdrawn_at is not None:
            raise ProcessError("Người này đã rút khỏi danh sách; không sửa được. Đăng ký lại nếu cần.")
        check = Checker()
        values = _parse(session, check, raw, at)
        check.raise_if_any()
        changes = apply_values(carer, values, loaded_version=raw.get("row_version"),
                               conflict=(session, "carer", _ref(carer), "Hồ sơ người nhận chăm sóc thay thế"))
        changes = [c for c in changes if c[0] != "name_key"]
        if changes:
            audit.record(session, actor, "update", "carer", _ref(carer), detail=carer.full_name, changes=changes)


def withdraw_carer(db: Database, actor: Actor, carer_id: int, reason: str, *, confirmed: bool,
                   at: datetime | None = None) -> None:
    """Take a carer off the list (they asked, moved away, no longer suitable…): a reason and the user's
    confirmation are required; the record stays (the list's history, placements made)."""
    actor.require("case.edit")
    with db.transaction() as session:
        carer = get_carer(session, carer_id)
        if carer.withdrawn_at is not None:
            raise ProcessError("Người này đã rút khỏi danh sách.")
        check = Checker()
        text = check("withdrawn_reason", v.text, reason, required=True, max_len=2000, what="Lý do rút khỏi danh sách")
        if not confirmed:
            check.fail("", "Hãy xác nhận việc rút khỏi danh sách.")
        check.raise_if_any()
        carer.withdrawn_at, carer.withdrawn_reason = at or now(), text
        audit.record(session, actor, "update", "carer", _ref(carer), detail=f"Rút khỏi danh sách: {text}")


# ----- verification (Mẫu 11) ------------------------------------------------------------------------------

def _answers(check: Checker, raw: Any) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for key, value in dict(raw or {}).items():
        if key not in CONDITIONS:
            check.fail("answers", "Điều kiện không có trong Mẫu số 11.")
            continue
        answer = yes_no(value) if not isinstance(value, bool) else value
        if answer is not None:  # not yet checked: absent, never "Không"
            out[key] = answer
    return out


def verification_hints(carer: Carer, on: date | None = None) -> list[str]:
    """What the carer's own record says beside the conditions of Mẫu 11 (the worker still answers each one:
    nothing here answers a condition)."""
    day = on or today()
    out = []
    if carer.date_of_birth is not None:
        age = v.age_on(carer.date_of_birth, day)
        out.append(f"{age} tuổi ({'đã' if age >= ADULT_AGE else 'chưa'} thành niên)")
    else:
        out.append("chưa có ngày sinh")
    if carer.is_foreigner:
        out.append("người nước ngoài" + (f", được cư trú đến {fmt_date(carer.residence_until)}"
                                         if carer.residence_until else ""))
    out.append({True: "các thành viên gia đình đồng thuận", False: "các thành viên gia đình chưa đồng thuận"}.get(
        carer.family_consent, "chưa ghi các thành viên gia đình có đồng thuận không"))
    missing = missing_papers(carer)
    out.append("hồ sơ còn thiếu: " + ", ".join(m.lower() for m in missing) if missing else "hồ sơ đủ giấy tờ")
    return out


def conclusion_problem(answers: Mapping[str, bool], conclusion: str | None) -> str:
    """Why this conclusion cannot be drawn from these answers ("" when it can)."""
    if conclusion is None:
        return ""
    texts = condition_texts()
    unknown = [k for k in CONDITIONS if k not in answers]
    failed = [k for k in CONDITIONS if answers.get(k) is False]
    if conclusion == "du_dieu_kien":
        if failed:
            return ("Chưa thể kết luận đủ điều kiện: điều kiện không đạt — "
                    + "; ".join(texts[k] for k in failed) + ".")
        if unknown:
            return ("Chưa thể kết luận đủ điều kiện: còn điều kiện chưa xác minh — "
                    + "; ".join(texts[k] for k in unknown) + ".")
        return ""
    if conclusion == "khong_du_dieu_kien":
        if not failed:
            return ("Kết luận không đủ điều kiện phải nêu ít nhất một điều kiện không đạt (một điều kiện chưa xác "
                    "minh chưa phải là không đạt).")
        return ""
    return "Chọn kết luận: đủ điều kiện hoặc không đủ điều kiện."


def _parse_verification(check: Checker, raw: Mapping[str, Any], carer: Carer, at: datetime | None) -> dict[str, Any]:
    g = raw.get
    day = (at or now()).astimezone(VN).date()
    verified_on = check("verified_on", v.parse_date, g("verified_on"), required=True, what="Ngày xác minh")
    if verified_on is not None and verified_on > day:
        check.fail("verified_on", "Ngày xác minh không thể ở tương lai.")
    elif verified_on is not None and carer.applied_on is not None and verified_on < carer.applied_on:
        check.fail("verified_on", f"Ngày xác minh không thể trước ngày nộp đơn / thông báo ({fmt_date(carer.applied_on)}).")
    answers = _answers(check, g("answers"))
    conclusion = g("conclusion") or None
    problem = conclusion_problem(answers, conclusion)
    if problem:
        check.fail("conclusion", problem)
    return dict(
        verified_on=verified_on, answers=answers, conclusion=conclusion,
        verifier=check("verifier", v.person_name, g("verifier"), required=True, what="Người xác minh") or "",
        findings=check("findings", v.text, g("findings"), what="Kết quả xác minh") or "",
    )


def _verification(session: Session, verification_id: int) -> CarerVerification:
    ver = session.get(CarerVerification, verification_id)
    if ver is None:
        raise ProcessError("Không tìm thấy báo cáo xác minh (Mẫu 11).")
    return ver


def save_verification(db: Database, actor: Actor, carer_id: int, raw: Mapping[str, Any], *,
                      verification_id: int | None = None, at: datetime | None = None) -> int:
    """The worker records (or corrects, until the chairman confirms) the verification of a carer's conditions
    (Mẫu 11): each condition met / not met / not yet checked, the findings, the conclusion. Returns its id."""
    actor.require("case.edit")
    with db.transaction() as session:
        carer = get_carer(session, carer_id)
        if carer.withdrawn_at is not None:
            raise ProcessError("Người này đã rút khỏi danh sách; không xác minh được.")
        check = Checker()
        values = _parse_verification(check, raw, carer, at)
        check.raise_if_any()
        if verification_id is None:
            ver = CarerVerification(carer_id=carer.id, created_by=actor.username, **values)
            session.add(ver)
            session.flush()
            audit.record(session, actor, "create", "mau11", _ref(carer), detail=f"Mẫu 11 #{ver.id}: {carer.full_name}")
        else:
            ver = _verification(session, verification_id)
            if ver.carer_id != carer.id:
                raise ProcessError("Báo cáo xác minh này không phải của người này.")
            if ver.confirmed_at is not None:
                raise ProcessError("Báo cáo xác minh đã được Chủ tịch xác nhận; không sửa được. Lập báo cáo xác minh mới "
                                   "nếu điều kiện thay đổi.")
            changes = apply_values(ver, values, loaded_version=raw.get("row_version"),
                                   conflict=(session, "mau11", _ref(carer), "Báo cáo xác minh (Mẫu 11)"))
            if changes:
                audit.record(session, actor, "update", "mau11", _ref(carer), detail=f"Mẫu 11 #{ver.id}",
                             changes=changes)
        return ver.id


def confirm_verification(db: Database, actor: Actor, verification_id: int, *, confirmed_by: str,
                         confirmed_at: datetime | str | None = None, at: datetime | None = None) -> str:
    """The chairman confirms the verification (TT 14/2020 Điều 7.2, 8.2): from then on the carer's standing is
    its conclusion. Leader only. Returns the standing now."""
    actor.require("approve")
    with db.transaction() as session:
        ver = _verification(session, verification_id)
        carer = ver.carer
        if ver.confirmed_at is not None:
            raise ProcessError("Báo cáo xác minh này đã được xác nhận.")
        if carer.withdrawn_at is not None:
            raise ProcessError("Người này đã rút khỏi danh sách.")
        check = Checker()
        if ver.conclusion is None:
            check.fail("conclusion", "Người làm công tác bảo vệ trẻ em chưa kết luận: chưa xác nhận được.")
        else:
            problem = conclusion_problem(ver.answers or {}, ver.conclusion)
            if problem:
                check.fail("conclusion", problem)
        name = check("confirmed_by", v.person_name, confirmed_by, required=True, what="Người xác nhận")
        moment = check("confirmed_at", v.parse_datetime, confirmed_at or (at or now()), required=True,
                       what="Thời điểm xác nhận")
        if moment is not None:
            if moment > (at or now()) + v.FUTURE_TOLERANCE:
                check.fail("confirmed_at", "Thời điểm xác nhận không thể ở tương lai.")
            elif moment.astimezone(VN).date() < ver.verified_on:
                check.fail("confirmed_at", f"Thời điểm xác nhận không thể trước ngày xác minh ({fmt_date(ver.verified_on)}).")
        check.raise_if_any()
        ver.confirmed_by, ver.confirmed_at = name, moment
        session.flush()
        audit.record(session, actor, "approve", "mau11", _ref(carer),
                     detail=f"Xác nhận Mẫu 11 #{ver.id}: {_w11()['conclusion']['options'][ver.conclusion]}")
        session.refresh(carer)
        return standing(carer)


def delete_verification_draft(db: Database, actor: Actor, verification_id: int) -> None:
    actor.require("case.edit")
    with db.transaction() as session:
        ver = _verification(session, verification_id)
        if ver.confirmed_at is not None:
            raise ProcessError("Báo cáo xác minh đã xác nhận không xoá được.")
        ref = _ref(ver.carer_id)
        session.delete(ver)
        audit.record(session, actor, "delete", "mau11", ref, detail=f"Dự thảo Mẫu 11 #{verification_id}")


# ----- the list of carers (screens; Mẫu 09) -----------------------------------------------------------------

@dataclass(frozen=True)
class CarerRow:
    id: int
    full_name: str
    registration: str
    kind: str
    members: int
    date_of_birth: date | None
    gender: str
    village: str
    address: str
    occupation: str
    wishes: str
    applied_on: date | None
    standing: str
    verified_on: date | None  # the newest confirmed verification
    missing: tuple[str, ...]
    draft_verification: bool  # a Mẫu 11 waits for the chairman's confirmation

    @property
    def standing_text(self) -> str:
        return STANDINGS[self.standing]


def _row(carer: Carer) -> CarerRow:
    confirmed = [x for x in carer.verifications if x.confirmed_at is not None]
    return CarerRow(
        id=carer.id, full_name=carer.full_name, registration=carer.registration, kind=carer.kind,
        members=len(carer.members or []) + 1 if carer.kind == "gia_dinh" else 1,
        date_of_birth=carer.date_of_birth, gender=carer.gender, village=carer.village, address=carer.address,
        occupation=carer.occupation, wishes=carer.wishes, applied_on=carer.applied_on, standing=standing(carer),
        verified_on=max((x.verified_on for x in confirmed), default=None), missing=tuple(missing_papers(carer)),
        draft_verification=any(x.confirmed_at is None and carer.withdrawn_at is None for x in carer.verifications))


def carer_label(carer: Carer | CarerRow) -> str:
    """"Nguyễn Văn An (gia đình, thôn Đông)": how a carer is named in a choice list."""
    bits = [KINDS.get(carer.kind, "").lower()]
    if carer.village:
        bits.append(carer.village)
    return f"{carer.full_name} ({', '.join(b for b in bits if b)})"


def list_carers(source: Database | Session, *, text: str = "", standing_is: str | None = None, village: str = "",
                include_withdrawn: bool = True) -> list[CarerRow]:
    """Carers in the order of their names, filtered by a piece of the name (without marks), the standing and
    the village. Communes hold tens of carers, not thousands: loaded whole."""
    if isinstance(source, Database):
        with source.session() as session:
            return list_carers(session, text=text, standing_is=standing_is, village=village,
                               include_withdrawn=include_withdrawn)
    # Filtered and ordered here, not by the database: on the office server names and villages are encrypted.
    key = fold(text)
    carers = sorted(source.scalars(select(Carer)).unique(), key=lambda c: (c.name_key, c.id))
    rows = [_row(c) for c in carers if key in c.name_key and (not village or c.village == village)]
    if standing_is:
        rows = [r for r in rows if r.standing == standing_is]
    if not include_withdrawn:
        rows = [r for r in rows if r.standing != "da_rut"]
    return rows


def villages(db: Database) -> list[str]:
    with db.session() as session:
        return sorted({x for x in session.scalars(select(Carer.village)) if x})


def counts(rows: list[CarerRow]) -> dict[str, int]:
    out = {k: 0 for k in STANDINGS}
    for r in rows:
        out[r.standing] += 1
    return out


def count_registered(session: Session, start: date, end: date) -> int:
    """Applications and relatives' notices dated within [start, end] (the period report)."""
    return session.scalar(select(func.count(Carer.id)).where(Carer.applied_on >= start, Carer.applied_on <= end)) or 0


# ----- the quarterly list (Mẫu 09, NĐ 56 Điều 40.1) ---------------------------------------------------------

def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = add_months(start, 3) - timedelta(days=1)
    return start, end


def list_due(year: int, quarter: int, calendar: WorkCalendar) -> date:
    """The last working day of the quarter (the stricter reading: the law says "hằng quý", no day)."""
    day = quarter_bounds(year, quarter)[1]
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


@dataclass
class CarerList:
    """Mẫu 09 as printed and exported: the carers verified eligible (registered by application) at the moment
    the list is made. Pending carers are not on it (Luật Điều 65.2, TT 14/2020 Điều 7.2: the list of those
    "có đủ điều kiện"); the screen shows them, marked."""

    year: int
    quarter: int
    rows: list[CarerRow] = field(default_factory=list)
    made_on: date | None = None
    recipient: str = ""
    sending: CarerListSending | None = None


def current_list(source: Database | Session, year: int | None = None, quarter: int | None = None, *,
                 at: datetime | None = None) -> CarerList:
    day = (at or now()).astimezone(VN).date()
    if year is None or quarter is None:
        year, quarter = quarter_of(day)
    rows = [r for r in list_carers(source) if r.standing == "du_dieu_kien" and r.registration == "don_dang_ky"]
    return CarerList(year, quarter, rows, made_on=day)


def sheet_cells(row: CarerRow, number: int) -> list[str]:
    """One carer of the list as the workbook gives it (mau09.json "sheet_columns": one fact per column); the
    printout (printouts/form09.py) joins some of them to fit the page."""
    s = form_definition("09")
    kind = s["kinds"]["gia_dinh"].format(n=row.members) if row.kind == "gia_dinh" else s["kinds"]["ca_nhan"]
    where = ", ".join(x for x in (row.address.strip(), row.village.strip()) if x)
    return [str(number), row.full_name, str(row.date_of_birth.year) if row.date_of_birth else "",
            s["genders"].get(row.gender, ""), kind, where, row.occupation, row.wishes,
            fmt_date(row.applied_on) if row.applied_on else "", fmt_date(row.verified_on) if row.verified_on else ""]


def write_list_workbook(carer_list: CarerList, out, *, commune: str = "", anchor: dict | None = None) -> None:
    """The list as an .xlsx for the level above: a title, the columns, one row per carer, every text stored as
    text (models.sheet_text: no formula, whatever a name holds); `anchor`, the audit chain's head, in a hidden
    sheet like every workbook that leaves the office (models/security/anchors.py)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..sheet_text import write as put_text

    s = form_definition("09")
    book = Workbook()
    sheet = book.active
    sheet.title = s["sheet"]["name"]
    put_text(sheet, 1, 1, s["title"] + (f" — {commune}" if commune else "")).font = Font(bold=True)
    put_text(sheet, 2, 1, s["subtitle"].format(quarter=carer_list.quarter, year=carer_list.year))
    put_text(sheet, 3, 1, s["sheet"]["note"])
    row = 5
    for col, text in enumerate(s["sheet_columns"], start=1):
        cell = put_text(sheet, row, col, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, r in enumerate(carer_list.rows, start=1):
        for col, text in enumerate(sheet_cells(r, i), start=1):
            put_text(sheet, row + i, col, text).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJ", (6, 28, 9, 9, 14, 30, 18, 30, 13, 13)):
        sheet.column_dimensions[col].width = width
    if anchor is not None:
        from ..security.anchors import add_sheet

        add_sheet(book, anchor)
    book.save(out)


def sent_list(session: Session, year: int, quarter: int) -> CarerListSending | None:
    return session.scalar(select(CarerListSending).where(CarerListSending.year == year,
                                                         CarerListSending.quarter == quarter))


def record_sending(session: Session, actor: Actor, carer_list: CarerList, *, file_name: str,
                   at: datetime | None = None) -> CarerListSending:
    """Within the export's transaction (before the files get their names): the quarter's list was sent. A
    quarter sent again (a correction) updates its row."""
    actor.require("export")
    row = sent_list(session, carer_list.year, carer_list.quarter)
    ids = [r.id for r in carer_list.rows]
    day = (at or now()).astimezone(VN).date()
    if row is None:
        row = CarerListSending(year=carer_list.year, quarter=carer_list.quarter, created_by=actor.username,
                               sent_on=day)
        session.add(row)
    row.sent_on, row.carer_ids, row.file_name = day, ids, file_name[:260]
    row.recipient = (carer_list.recipient or "")[:200]
    session.flush()
    audit.record(session, actor, "export", "mau09", f"{carer_list.quarter}/{carer_list.year}",
                 detail=f"Danh sách Mẫu 09 quý {carer_list.quarter}/{carer_list.year} ({len(ids)} người) → {file_name}")
    return row


def list_tasks(session: Session, calendar: WorkCalendar, at: datetime) -> list:
    """To-do items "Gửi danh sách Mẫu 09 quý N/YYYY": the current quarter's from the first day of its last month,
    and every earlier quarter not sent since the first carer was registered (late). Nothing while the commune
    has no carer at all. Called from models.services.tasks.compute_tasks."""
    from .tasks import Task

    first = session.scalar(select(Carer.applied_on).where(Carer.applied_on.is_not(None))
                           .order_by(Carer.applied_on).limit(1))
    if first is None:
        return []
    day = at.astimezone(VN).date()
    sent = {(y, q) for y, q in session.execute(select(CarerListSending.year, CarerListSending.quarter))}
    out = []
    year, quarter = quarter_of(first)
    now_year, now_quarter = quarter_of(day)
    while (year, quarter) <= (now_year, now_quarter):
        start, end = quarter_bounds(year, quarter)
        due = list_due(year, quarter, calendar)
        current = (year, quarter) == (now_year, now_quarter)
        if (year, quarter) not in sent and (not current or day >= add_months(start, 2)):
            deadline = end_of_day(due)
            out.append(Task(
                case_id=0, case_code="Mẫu 09", child_name="Người nhận chăm sóc thay thế",
                stage="", step=f"Gửi danh sách Mẫu 09 quý {quarter}/{year}",
                rule=f"Hạn: hết ngày {fmt_date(due)} (ngày làm việc cuối cùng của quý). {LIST_DUE_RULE}",
                deadline=deadline, status=time_left(deadline, at), late=at > deadline, form="09",
                ref=year * 10 + quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def children_matching(db: Database, text: str, *, limit: int = 50) -> list[tuple[int, str]]:
    """Children of the register whose name holds `text` (without marks), for a relative's notice: (id, "Nguyễn
    Thị Ánh (sinh 05/09/2015, Thôn Phú Lộc)")."""
    key = fold(text)
    with db.session() as session:
        query = select(Child.id, Child.full_name, Child.date_of_birth, Child.village)
        if key:
            query = query.where(name_matches(session, key.split()))
        if protects(session):  # names encrypted on the server: the order is worked out here
            found = name_order(session.execute(query.add_columns(Child.sort_key)).all(), key=lambda r: (r[4] or "", r[0]),
                               limit=limit)
        else:
            found = session.execute(query.order_by(Child.sort_key, Child.id).limit(limit)).all()
        out = []
        for cid, name, dob, village, *_ in found:
            bits = [f"sinh {fmt_date(dob)}" if dob else "", village or ""]
            out.append((cid, f"{name} ({', '.join(b for b in bits if b)})" if any(bits) else name))
        return out


def list_status(db: Database, calendar: WorkCalendar, at: datetime | None = None) -> str:
    """What the carers' screen says about the current quarter's Mẫu 09: sent (when, to whom) or due (when)."""
    at = at or now()
    year, quarter = quarter_of(at.astimezone(VN).date())
    with db.session() as session:
        row = sent_list(session, year, quarter)
    if row is not None:
        return (f"Danh sách Mẫu 09 quý {quarter}/{year} đã gửi ngày {fmt_date(row.sent_on)}"
                + (f" đến {row.recipient}" if row.recipient else "") + f" ({len(row.carer_ids)} người).")
    due = list_due(year, quarter, calendar)
    return (f"Danh sách Mẫu 09 quý {quarter}/{year} chưa gửi; hạn hết ngày {fmt_date(due)} (ngày làm việc cuối cùng "
            "của quý: luật chỉ nói \"hằng quý\", phần mềm tính cách chặt nhất).")
