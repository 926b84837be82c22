"""Mẫu số 01: checking what the worker entered, saving it in one transaction, and the values it prints."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import validation as v
from ..clock import VN, day_number, fmt_date, fmt_hour_phrase, month_number, now
from ..db import Database
from ..entities import Case, CaseAbuseForm, Child, ChildRelation, Draft, Intake, Office, Person
from ..name_search import personal_id_is
from ..wording import form_definition
from .. import numbering
from ..numbering import next_number
from ..register_entities import NotDuplicate
from ..security import audit
from ..security.roles import Actor
from ..textnorm import fold, vn_sort_key
from ..vocab import ABUSE_FORMS, GENDERS
from .register_duplicates import find_duplicates

FORM = "01"
# A clock a few minutes fast on the office PC must not block a report received "just now".


@dataclass
class IntakeData:
    """Mẫu 01 as checked, typed values."""

    category: str
    source: str
    received_at: datetime
    report_date: date
    receiving_officer: str
    child_name: str
    date_of_birth: date | None = None
    estimated_age: int | None = None
    gender: str = "khong_biet"
    ethnicity: str = ""
    personal_id: str | None = None
    village: str = ""
    address: str = ""
    incident_place: str = ""
    child_condition: str = ""
    predicted_consequences: str = ""
    father_name: str = ""
    father_age: int | None = None
    father_occupation: str = ""
    mother_name: str = ""
    mother_age: int | None = None
    mother_occupation: str = ""
    family_situation: str = ""
    current_caregiver: str = ""
    prior_actions: str = ""
    informant_consent: bool = False
    informant_name: str = ""
    informant_phone: str = ""
    informant_address: str = ""
    notes: str = ""
    abuse_forms: list[str] = field(default_factory=list)
    # The worker's answer to "Có thể trẻ này đã có trong hồ sơ": the register child this report is about,
    # and the records the worker said are other children (they are not proposed again).
    existing_child_id: int | None = None
    not_duplicate_of: list[int] = field(default_factory=list)


def _record_id(value: Any) -> int | None:
    """A child's id handed over by the window (an int, or its text in a draft); anything else is ignored."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in {"1", "true", "yes", "co", "có"}


def parse_intake(raw: Mapping[str, Any], *, at: datetime | None = None) -> tuple[IntakeData | None, dict[str, str]]:
    """Check every field of Mẫu 01. Returns the typed data, or None and {field: Vietnamese message}."""
    at = at or now()
    form = form_definition(FORM)
    check = v.Checker()
    g = raw.get

    category = str(g("category") or "")
    if category not in form["categories"]:
        check.errors["category"] = "Chọn trẻ em thuộc đối tượng nào (điền vào tên báo cáo)."
    source = str(g("source") or "")
    if source not in form["sources"]:
        check.errors["source"] = "Chọn nguồn nhận thông tin: điện thoại, gặp trực tiếp hoặc người khác báo."
    gender = str(g("gender") or "khong_biet")
    if gender not in GENDERS:
        check.errors["gender"] = "Chọn giới tính: Nam, Nữ hoặc Không biết."
    abuse_forms = [code for code in (g("abuse_forms") or []) if code]
    if any(code not in ABUSE_FORMS for code in abuse_forms):
        check.errors["abuse_forms"] = "Hình thức xâm hại không có trong danh mục của Luật Trẻ em."

    received_at = check("received_at", v.parse_datetime, g("received_at"), required=True, what="Thời điểm nhận thông tin")
    if received_at and received_at > at + v.FUTURE_TOLERANCE:
        check.errors["received_at"] = "Thời điểm nhận thông tin không thể ở tương lai."
    report_date = check("report_date", v.parse_date, g("report_date"), required=True, what="Ngày lập báo cáo")
    if report_date and report_date > at.date():
        check.errors["report_date"] = "Ngày lập báo cáo không thể ở tương lai."
    elif report_date and received_at and report_date < received_at.date():
        check.errors["report_date"] = "Ngày lập báo cáo không thể trước ngày nhận thông tin."

    officer = check("receiving_officer", v.person_name, g("receiving_officer"), required=True, what="Họ tên cán bộ tiếp nhận")
    child_name = check("child_name", v.person_name, g("child_name"), required=True, what="Họ và tên trẻ em")
    dob = check("date_of_birth", v.parse_date, g("date_of_birth"), what="Ngày sinh")
    est_age = check("estimated_age", v.small_int, g("estimated_age"), lo=0, hi=30, what="Tuổi ước lượng")
    ref_day = received_at.date() if received_at else at.date()
    if dob:
        if dob > ref_day:
            check.errors["date_of_birth"] = "Ngày sinh không thể sau ngày nhận thông tin."
        else:
            age = v.age_on(dob, ref_day)
            if age >= v.CHILD_AGE_LIMIT:
                check.errors["date_of_birth"] = (
                    f"Người này đã {age} tuổi khi nhận thông tin; trẻ em là người dưới 16 tuổi (Luật Trẻ em, Điều 1)."
                )
            elif est_age is not None and abs(est_age - age) > 1:
                check.errors["estimated_age"] = (
                    f"Tuổi ước lượng ({est_age}) không khớp với ngày sinh (trẻ {age} tuổi). Sửa một trong hai, hoặc bỏ tuổi ước lượng."
                )
    if est_age is not None and est_age >= v.CHILD_AGE_LIMIT and "estimated_age" not in check.errors:
        check.errors["estimated_age"] = "Trẻ em là người dưới 16 tuổi (Luật Trẻ em, Điều 1)."

    data = IntakeData(
        category=category, source=source, received_at=received_at, report_date=report_date,
        receiving_officer=officer or "", child_name=child_name or "", date_of_birth=dob,
        estimated_age=est_age, gender=gender,
        ethnicity=check("ethnicity", v.text, g("ethnicity"), max_len=60, what="Dân tộc") or "",
        personal_id=check("personal_id", v.personal_id, g("personal_id")),
        village=check("village", v.text, g("village"), max_len=v.NAME_MAX, what="Thôn / tổ dân phố") or "",
        address=check("address", v.text, g("address"), max_len=v.SHORT_MAX, what="Địa chỉ") or "",
        incident_place=check("incident_place", v.text, g("incident_place"), what="Địa điểm xảy ra vụ việc") or "",
        child_condition=check("child_condition", v.text, g("child_condition"), required=True,
                              what="Tình trạng hiện tại của trẻ em") or "",
        predicted_consequences=check("predicted_consequences", v.text, g("predicted_consequences"), what="Phỏng đoán hậu quả") or "",
        father_name=check("father_name", v.person_name, g("father_name"), what="Họ và tên cha") or "",
        father_age=check("father_age", v.small_int, g("father_age"), lo=12, hi=110, what="Tuổi của cha"),
        father_occupation=check("father_occupation", v.text, g("father_occupation"), max_len=v.NAME_MAX, what="Nghề nghiệp của cha") or "",
        mother_name=check("mother_name", v.person_name, g("mother_name"), what="Họ và tên mẹ") or "",
        mother_age=check("mother_age", v.small_int, g("mother_age"), lo=12, hi=110, what="Tuổi của mẹ"),
        mother_occupation=check("mother_occupation", v.text, g("mother_occupation"), max_len=v.NAME_MAX, what="Nghề nghiệp của mẹ") or "",
        family_situation=check("family_situation", v.text, g("family_situation"), what="Hoàn cảnh gia đình") or "",
        current_caregiver=check("current_caregiver", v.text, g("current_caregiver"), max_len=v.SHORT_MAX, what="Người chăm sóc") or "",
        prior_actions=check("prior_actions", v.text, g("prior_actions"), what="Những hành động đã thực hiện") or "",
        informant_consent=_truthy(g("informant_consent")),
        informant_name=check("informant_name", v.person_name, g("informant_name"), what="Họ tên người cung cấp thông tin") or "",
        informant_phone=check("informant_phone", v.phone, g("informant_phone")) or "",
        informant_address=check("informant_address", v.text, g("informant_address"), max_len=v.SHORT_MAX, what="Địa chỉ người cung cấp thông tin") or "",
        notes=check("notes", v.text, g("notes"), what="Ghi chú") or "",
        abuse_forms=abuse_forms,
        existing_child_id=_record_id(g("existing_child_id")),
        not_duplicate_of=sorted({i for i in map(_record_id, g("not_duplicate_of") or []) if i is not None}),
    )
    if not data.informant_consent and (data.informant_name or data.informant_phone or data.informant_address):
        # Điều 24: the informant's identity is kept only when they agree to give it.
        check.errors.setdefault(
            "informant_name",
            "Chỉ ghi thông tin người cung cấp thông tin khi họ đồng ý. Đánh dấu \"đồng ý\" hoặc xoá các ô này.",
        )
    if check.errors:
        return None, check.errors
    return data, {}


class ChildIdConflict(v.Invalid):
    pass


class ChildGone(v.Invalid):
    """The register child the worker chose is no longer there (merged or deleted meanwhile)."""


@dataclass(frozen=True)
class ProposedChild:
    """A register child that may be the one being entered, with what the worker needs to recognise it."""

    child_id: int
    full_name: str
    date_of_birth: date | None
    estimated_age: int | None
    village: str
    personal_id: str | None
    parents: str  # 'Cha: Nguyễn Văn Dũng; Mẹ: Đặng Thị Hương'
    cases: int
    reason: str  # why it is proposed, in Vietnamese
    score: int


def likely_duplicates(db: Database, raw: Mapping[str, Any], *, exclude: set[int] | frozenset[int] = frozenset(),
                      limit: int = 5) -> list[ProposedChild]:
    """Register children that may be the child on the report being typed (Mẫu 01 child fields, raw as typed),
    best first. Fields that do not pass their check are left out of the comparison."""
    def quiet(check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except v.Invalid:
            return None

    name = quiet(v.person_name, raw.get("child_name"))
    if not name:
        return []
    dob = quiet(v.parse_date, raw.get("date_of_birth"))
    village = quiet(v.text, raw.get("village"), max_len=v.NAME_MAX) or ""
    pid = quiet(v.personal_id, raw.get("personal_id"))
    with db.session() as session:
        matches = [m for m in find_duplicates(session, name, dob, village, pid) if m.child_id not in exclude][:limit]
        if not matches:
            return []
        ids = [m.child_id for m in matches]
        children = {c.id: c for c in session.scalars(select(Child).where(Child.id.in_(ids)))}
        cases = dict(session.execute(
            select(Case.child_id, func.count(Case.id)).where(Case.child_id.in_(ids)).group_by(Case.child_id)).all())
        parents: dict[int, list[str]] = {}
        for child_id, role, person in session.execute(
            select(ChildRelation.child_id, ChildRelation.role, Person.full_name)
            .join(Person, ChildRelation.person_id == Person.id)
            .where(ChildRelation.child_id.in_(ids), ChildRelation.role.in_(("cha", "me")))
            .order_by(ChildRelation.role, ChildRelation.id)
        ):
            parents.setdefault(child_id, []).append(f"{'Cha' if role == 'cha' else 'Mẹ'}: {person}")
        out = []
        for m in matches:
            c = children.get(m.child_id)
            if c is None:
                continue
            out.append(ProposedChild(c.id, c.full_name, c.date_of_birth, c.estimated_age, c.village, c.personal_id,
                                     "; ".join(parents.get(c.id, [])), cases.get(c.id, 0), m.reason, m.score))
        return out


def _find_child(session: Session, data: IntakeData) -> Child | None:
    """The existing child with this personal ID, if any (one child, one file)."""
    if not data.personal_id:
        return None
    child = session.scalar(select(Child).where(personal_id_is(session, data.personal_id)))
    if child is not None and fold(child.full_name) != fold(data.child_name):
        raise ChildIdConflict(
            f"Số định danh {data.personal_id} đã thuộc về trẻ {child.full_name}"
            f"{' (sinh ' + fmt_date(child.date_of_birth) + ')' if child.date_of_birth else ''}. Kiểm tra lại số."
        )
    return child


def _relate(child: Child, role: str, name: str, age: int | None, occupation: str) -> None:
    if not name:
        return
    for rel in child.relations:
        if rel.role == role and fold(rel.person.full_name) == fold(name):
            rel.person.age = age if age is not None else rel.person.age
            rel.person.occupation = occupation or rel.person.occupation
            return
    child.relations.append(ChildRelation(role=role, person=Person(full_name=name, age=age, occupation=occupation)))


def create_intake(db: Database, data: IntakeData, actor: Actor, *, draft_id: int | None = None) -> int:
    """Save a new case with its Mẫu 01 in one transaction (and drop the draft it came from). Returns the case id."""
    actor.require("case.create")
    with db.transaction() as session:
        # Numbers first: their UPDATE takes the write lock before any row of this case is flushed.
        year = data.report_date.year
        case_number = next_number(session, "HS", data.received_at.year)
        doc_number = next_number(session, "BC", year)
        filled: list[tuple[str, object, object]] = []
        differs: list[str] = []
        if data.existing_child_id is not None:
            child = _chosen_child(session, data)
            filled, differs = _fill_known_child(child, data)
        else:
            child = _find_child(session, data) or Child(full_name=data.child_name)
            child.full_name = data.child_name
            child.name_key = fold(data.child_name)
            child.sort_key = vn_sort_key(data.child_name)
            child.date_of_birth = data.date_of_birth or child.date_of_birth
            child.estimated_age = data.estimated_age if data.estimated_age is not None else child.estimated_age
            if data.gender != "khong_biet" or child.gender is None:
                child.gender = data.gender
            child.ethnicity = data.ethnicity or child.ethnicity or ""
            child.personal_id = data.personal_id or child.personal_id
            child.village = data.village or child.village or ""
            child.address = data.address or child.address or ""
        _relate(child, "cha", data.father_name, data.father_age, data.father_occupation)
        _relate(child, "me", data.mother_name, data.mother_age, data.mother_occupation)

        case = Case(
            code=f"HS-{data.received_at.year}-{case_number:04d}",
            child=child, opened_at=data.received_at, created_by=actor.username,
            abuse_forms=[CaseAbuseForm(code=c) for c in dict.fromkeys(data.abuse_forms)],
        )
        case.intake = Intake(
            doc_year=year, doc_number=doc_number, report_date=data.report_date,
            category=data.category, source=data.source, received_at=data.received_at,
            receiving_officer=data.receiving_officer, incident_place=data.incident_place,
            child_condition=data.child_condition, predicted_consequences=data.predicted_consequences,
            family_situation=data.family_situation, current_caregiver=data.current_caregiver,
            prior_actions=data.prior_actions, informant_consent=data.informant_consent,
            informant_name=data.informant_name, informant_phone=data.informant_phone,
            informant_address=data.informant_address, notes=data.notes,
        )
        session.add(case)
        if draft_id is not None:
            draft = session.get(Draft, draft_id)
            if draft is not None:
                session.delete(draft)
        session.flush()
        audit.record(session, actor, "create", "case", case.code,
                     detail=f"Mẫu 01 số {doc_number:02d}/{year}, trẻ #{child.id}")
        if filled or differs:
            detail = f"Bổ sung từ Mẫu 01 số {doc_number:02d}/{year} ({case.code})"
            if differs:
                detail += "; báo cáo ghi khác hồ sơ, hồ sơ giữ nguyên: " + "; ".join(differs)
            audit.record(session, actor, "update", "child", child.id, detail=detail, changes=filled or None)
        _record_not_duplicates(session, actor, child.id, data.not_duplicate_of)
        return case.id


# Identity fields a report can fill on a register child, with the words the audit trail uses.
_IDENTITY = {
    "date_of_birth": "Ngày sinh", "estimated_age": "Tuổi ước lượng", "gender": "Giới tính", "ethnicity": "Dân tộc",
    "personal_id": "Số định danh cá nhân", "village": "Thôn / tổ dân phố", "address": "Địa chỉ",
}


def _chosen_child(session: Session, data: IntakeData) -> Child:
    """The register child the worker said this report is about; its personal ID must agree with the report's."""
    child = session.get(Child, data.existing_child_id)
    if child is None:
        raise ChildGone("Không tìm thấy hồ sơ trẻ đã chọn (có thể vừa được gộp vào hồ sơ khác). "
                        "Xem lại thông tin trẻ rồi lưu lại.")
    pid = data.personal_id
    if pid and child.personal_id and child.personal_id != pid:
        raise ChildIdConflict(
            f"Trẻ {child.full_name} trong hồ sơ có số định danh {child.personal_id}, khác số vừa nhập. "
            "Kiểm tra lại số, hoặc xoá số để giữ số trong hồ sơ.")
    if pid:
        other = session.scalar(select(Child).where(personal_id_is(session, pid), Child.id != child.id))
        if other is not None:
            raise ChildIdConflict(f"Số định danh {pid} đã thuộc về trẻ {other.full_name}. Kiểm tra lại số.")
    return child


def _fill_known_child(child: Child, data: IntakeData) -> tuple[list[tuple[str, object, object]], list[str]]:
    """Fill the register child's empty identity fields from the report; known values are kept.
    Returns (changes for the audit trail, the report's differing values in words)."""
    offered: dict[str, object] = {
        "date_of_birth": data.date_of_birth,
        # An estimated age says nothing new about a child whose date of birth is known.
        "estimated_age": data.estimated_age if child.date_of_birth is None and data.date_of_birth is None else None,
        "gender": data.gender if data.gender != "khong_biet" else None,
        "ethnicity": data.ethnicity, "personal_id": data.personal_id, "village": data.village, "address": data.address,
    }
    filled: list[tuple[str, object, object]] = []
    differs: list[str] = []
    if data.child_name != child.full_name:
        differs.append(f"Họ và tên: {data.child_name}")
    for attr, new in offered.items():
        if new in (None, ""):
            continue
        old = getattr(child, attr)
        empty = old in (None, "") or (attr == "gender" and old == "khong_biet")
        if empty:
            setattr(child, attr, new)
            filled.append((attr, old, new))
        elif old != new:
            shown = fmt_date(new) if isinstance(new, date) else GENDERS.get(new, new) if attr == "gender" else new
            differs.append(f"{_IDENTITY[attr]}: {shown}")
    return filled, differs


def _record_not_duplicates(session: Session, actor: Actor, child_id: int, others: list[int]) -> None:
    """The worker said the child on this report is not these register children: not proposed again."""
    for other in others:
        if other == child_id or session.get(Child, other) is None:
            continue
        a, b = sorted((child_id, other))
        if session.scalar(select(NotDuplicate.id).where(NotDuplicate.child_a == a, NotDuplicate.child_b == b)) is None:
            session.add(NotDuplicate(child_a=a, child_b=b, decided_by=actor.username))
            audit.record(session, actor, "update", "child", a, detail=f"Không phải trùng với trẻ #{b}")


def _age_text(value: int | None) -> str:
    return "" if value is None else str(value)


def printed_values(case: Case) -> dict[str, str]:
    """What Mẫu 01 prints in each field of its body (keys as in resources/forms/mau01.json)."""
    intake = case.intake
    child = case.child
    form = form_definition(FORM)
    parents = {rel.role: rel.person for rel in child.relations}
    father, mother = parents.get("cha"), parents.get("me")
    received = intake.received_at
    return {
        "source": form["sources"].get(intake.source, intake.source),
        "received_time": fmt_hour_phrase(received),
        "received_day": day_number(received),
        "received_month": month_number(received),
        "received_year": str(received.astimezone(VN).year),
        "child_name": child.full_name,
        "date_of_birth": fmt_date(child.date_of_birth),
        "estimated_age": _age_text(child.estimated_age),
        "gender": child.gender,
        "incident_place": intake.incident_place,
        "child_condition": intake.child_condition,
        "predicted_consequences": intake.predicted_consequences,
        "father_name": father.full_name if father else "",
        "father_age": _age_text(father.age) if father else "",
        "father_occupation": father.occupation if father else "",
        "mother_name": mother.full_name if mother else "",
        "mother_age": _age_text(mother.age) if mother else "",
        "mother_occupation": mother.occupation if mother else "",
        "family_situation": intake.family_situation,
        "current_caregiver": intake.current_caregiver,
        "prior_actions": intake.prior_actions,
        "informant_name": intake.informant_name if intake.informant_consent else "",
        "informant_phone": intake.informant_phone if intake.informant_consent else "",
        "informant_address": intake.informant_address if intake.informant_consent else "",
        "notes": intake.notes,
        "receiving_officer": intake.receiving_officer,
    }


def document_number(intake: Intake, office: Office | None) -> str:
    return numbering.document_number(intake.doc_number, "BC", office)
