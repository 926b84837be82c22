"""The commune's register of children in special circumstances: the 14 groups, the list, one child's file,
and the worker's edits (group memberships, support received, identity), each audited.

Import/export, duplicate detection and merging live beside this module (register_*.py).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from sqlalchemy import Select, and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session, selectinload

from .. import validation as v
from ..clock import fmt_date, now, today
from ..db import Database
from ..entities import Case, Child, ChildRelation, Person
from ..register_entities import GroupMembership, SupportEntry
from ..security import audit
from ..security.roles import Actor
from ..field_crypto import name_order, protects
from ..name_search import name_matches, personal_id_is, personal_id_starts, village_is
from ..textnorm import fold, nfc, vn_sort_key
from ..vocab import GENDERS

# -- the 14 groups ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecialGroup:
    code: str
    article: str
    title: str
    subgroups: tuple[str, ...]
    reconstructed: frozenset[int]  # sub-group numbers whose wording is not yet checked against the decree
    citations: tuple[str, ...] = ()  # "Nghị định 56/2017/NĐ-CP, khoản 7 Điều 5", one per sub-group

    def subgroup_text(self, n: int | None) -> str:
        if n is None or not 1 <= n <= len(self.subgroups):
            return ""
        return self.subgroups[n - 1]

    def subgroup_citation(self, n: int | None) -> str:
        if n is None or not 1 <= n <= len(self.citations):
            return ""
        return self.citations[n - 1]


@lru_cache(maxsize=1)
def special_groups() -> dict[str, SpecialGroup]:
    """The 14 groups (Luật Trẻ em Điều 10) with their sub-groups (NĐ 56/2017 Điều 3–16), in the law's order."""
    text = resources.files("resources").joinpath("special_groups.json").read_text(encoding="utf-8")
    data = json.loads(text)
    groups: dict[str, SpecialGroup] = {}
    for g in data["groups"]:
        code = nfc(g["code"])
        groups[code] = SpecialGroup(
            code=code, article=g["article"], title=nfc(g["title"]),
            subgroups=tuple(nfc(s["text"]) for s in g["subgroups"]),
            reconstructed=frozenset(s["n"] for s in g["subgroups"] if s.get("status") != "verified"),
            citations=tuple(nfc(s.get("citation", "")) for s in g["subgroups"]),
        )
    return groups


GROUP_ORDER = "a b c d đ e g h i k l m n o".split()


def format_group_code(code: str, subgroup: int | None) -> str:
    """'c.11', or 'đ' when the sub-group is not known."""
    return f"{code}.{subgroup}" if subgroup else code


_CODE = re.compile(r"^(dd|đ|[a-z])\s*[.\-/ ]?\s*(\d{1,2})?$")


def parse_group_code(raw: str) -> tuple[str, int | None]:
    """'c.11', 'C11', 'c 11', 'đ', 'dd' (đ typed without a Vietnamese keyboard) → ('c', 11) …; raises Invalid."""
    text = nfc(raw).lower().replace(" ", "") if raw else ""
    m = _CODE.match(text)
    groups = special_groups()
    letters = ", ".join(GROUP_ORDER)
    if not m:
        raise v.Invalid(f"Mã nhóm «{nfc(raw)}» không đúng dạng; viết chữ cái của nhóm, có thể kèm số diện, ví dụ c.11 hoặc d.")
    letter = "đ" if m.group(1) == "dd" else m.group(1)
    if letter not in groups:
        raise v.Invalid(f"Mã nhóm «{nfc(raw)}» không có trong 14 nhóm trẻ em có hoàn cảnh đặc biệt ({letters}).")
    sub = int(m.group(2)) if m.group(2) else None
    count = len(groups[letter].subgroups)
    if sub is not None and not 1 <= sub <= count:
        raise v.Invalid(
            f"Nhóm {letter} chỉ có {count} diện ({letter}.1–{letter}.{count}); không có diện «{nfc(raw)}»."
            if count > 1 else f"Nhóm {letter} chỉ có một diện ({letter}.1); không có diện «{nfc(raw)}»."
        )
    if sub is None and count == 1:
        sub = 1
    return letter, sub


def parse_group_codes(raw: str) -> list[tuple[str, int | None]]:
    """Several codes in one cell: 'a.1; d.2', 'a1, d2', 'a.1 và d'."""
    parts = [p for p in re.split(r"[;,\n]|\svà\s|\s\+\s", nfc(raw)) if p.strip()]
    return [parse_group_code(p.strip()) for p in parts]


SUPPORT_KINDS: dict[str, str] = {
    "tro_cap": "Trợ cấp xã hội hằng tháng",
    "tien_mat": "Hỗ trợ tiền mặt",
    "hien_vat": "Quà, hiện vật",
    "y_te": "Chăm sóc sức khỏe, bảo hiểm y tế",
    "giao_duc": "Hỗ trợ học tập (miễn, giảm học phí, học bổng, đồ dùng)",
    "tam_ly": "Tư vấn, trị liệu tâm lý",
    "phap_ly": "Trợ giúp pháp lý",
    "cham_soc_thay_the": "Chăm sóc thay thế",
    "khac": "Hỗ trợ khác",
}


def parse_support_kind(raw: str) -> str:
    """A kind given as its code or its words (with or without diacritics)."""
    text = nfc(raw)
    if text in SUPPORT_KINDS:
        return text
    key = fold(text)
    for code, label in SUPPORT_KINDS.items():
        if key in (fold(label), code.replace("_", " ")) or (key and fold(label).startswith(key)):
            return code
    raise v.Invalid(
        f"Loại hỗ trợ «{text}» không có trong danh mục. Dùng một trong: " + "; ".join(SUPPORT_KINDS.values()) + "."
    )


def parse_gender(raw: Any) -> str:
    key = fold(str(raw or ""))
    if key in ("", "khong biet", "khong ro", "?"):
        return "khong_biet"
    if key in ("nam", "trai", "m", "male"):
        return "nam"
    if key in ("nu", "gai", "f", "female"):
        return "nu"
    raise v.Invalid(f"Giới tính «{nfc(str(raw))}» không rõ; ghi Nam, Nữ hoặc để trống.")


# -- the list -----------------------------------------------------------------------------------------

AGE_BANDS: dict[str, tuple[str, int, int]] = {
    "0-2": ("Dưới 3 tuổi", 0, 2),
    "3-5": ("3–5 tuổi", 3, 5),
    "6-10": ("6–10 tuổi", 6, 10),
    "11-15": ("11–15 tuổi", 11, 15),
    "16+": ("Từ 16 tuổi trở lên", 16, 200),
}

ANY_GROUP = "*"  # filter value: in at least one group now
REVIEW_GROUP = "?"  # filter value: a group membership whose sub-group must be checked again (migration 0005)


@dataclass(frozen=True)
class RegisterFilter:
    text: str = ""
    group: str | None = None  # a letter, ANY_GROUP, or None for every child
    village: str | None = None
    age_band: str | None = None
    gender: str | None = None
    order: str = "name"  # "name", "name_desc", "newest"
    on: date | None = None  # the day ages and memberships are counted on (today if None)


@dataclass(frozen=True)
class RegisterRow:
    id: int
    full_name: str
    date_of_birth: date | None
    estimated_age: int | None
    gender: str
    village: str
    personal_id: str | None
    groups: str = ""  # 'a.1, d.2' (current memberships)
    cases: int = 0
    sort_key: str = ""  # where the row stands in name order (the next page starts after it)


def _active(day: date):
    return or_(GroupMembership.to_date.is_(None), GroupMembership.to_date >= day)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _filtered(session: Session, query: Select, flt: RegisterFilter) -> Select:
    day = flt.on or today()
    words = fold(flt.text[:200]).split()[:20]  # a pasted page is not a search
    if words:
        digits = re.sub(r"\D", "", flt.text)
        name_match = name_matches(session, words)
        if digits and len(digits) >= 4 and digits == flt.text.strip().replace(" ", ""):
            query = query.where(or_(name_match, personal_id_starts(session, digits)))
        else:
            query = query.where(name_match)
    # Group filters select from the (small) membership table first, through its (group, child) index.
    if flt.group == ANY_GROUP:
        query = query.where(Child.id.in_(select(GroupMembership.child_id).where(_active(day))))
    elif flt.group == REVIEW_GROUP:
        query = query.where(Child.id.in_(select(GroupMembership.child_id).where(GroupMembership.review_needed)))
    elif flt.group:
        query = query.where(Child.id.in_(
            select(GroupMembership.child_id).where(GroupMembership.group_code == flt.group, _active(day))))
    if flt.village is not None:
        query = query.where(village_is(session, flt.village))
    if flt.gender:
        query = query.where(Child.gender == flt.gender)
    if flt.age_band:
        _label, lo, hi = AGE_BANDS[flt.age_band]
        # age between lo and hi ⇔ born after (day − (hi+1) years) and on or before (day − lo years)
        born_after = _years_before(day, hi + 1) if hi < 200 else date(1, 1, 1)
        born_by = _years_before(day, lo)
        query = query.where(or_(
            and_(Child.date_of_birth > born_after, Child.date_of_birth <= born_by),
            and_(Child.date_of_birth.is_(None), Child.estimated_age >= lo, Child.estimated_age <= hi),
        ))
    return query


def count_children(session: Session, flt: RegisterFilter) -> int:
    return session.scalar(_filtered(session, select(func.count(Child.id)), flt)) or 0


def fetch_children(session: Session, flt: RegisterFilter, offset: int = 0, limit: int = 200,
                   *, after: RegisterRow | None = None) -> list[RegisterRow]:
    """A page of the register. With `after` (the last row of the previous page) the page starts right after that
    row through the sort order's index (keyed paging: each page costs the same however deep), else at `offset`."""
    query = _filtered(session, select(Child.id, Child.full_name, Child.date_of_birth, Child.estimated_age, Child.gender,
                             Child.village, Child.personal_id, Child.sort_key), flt)
    order = {
        "name": (Child.sort_key.asc(), Child.id.asc()),
        "name_desc": (Child.sort_key.desc(), Child.id.desc()),
        "newest": (Child.id.desc(),),
    }[flt.order]
    if flt.order != "newest" and protects(session):
        # On the server the names are encrypted: ordered here, after decryption (the server never learns the order).
        keyed = session.execute(_filtered(session, select(Child.sort_key, Child.id), flt)).all()
        page = name_order(keyed, descending=flt.order == "name_desc", offset=offset, limit=limit,
                          after=(after.sort_key, after.id) if after is not None else None)
        place = {r[1]: i for i, r in enumerate(page)}
        rows = sorted(session.execute(query.where(Child.id.in_(list(place)))).all(), key=lambda r: place[r[0]])
    else:
        rows = session.execute(_seek(query, flt.order, after).order_by(*order).offset(0 if after is not None else offset)
                               .limit(limit)).all()
    ids = [r[0] for r in rows]
    groups: dict[int, list[str]] = {}
    cases: dict[int, int] = {}
    if ids:
        day = flt.on or today()
        for cid, code, sub in session.execute(
            select(GroupMembership.child_id, GroupMembership.group_code, GroupMembership.subgroup)
            .where(GroupMembership.child_id.in_(ids), _active(day))
            .order_by(GroupMembership.child_id, GroupMembership.group_code, GroupMembership.subgroup)
        ):
            text = format_group_code(code, sub)
            lst = groups.setdefault(cid, [])
            if text not in lst:
                lst.append(text)
        for cid, n in session.execute(
            select(Case.child_id, func.count(Case.id)).where(Case.child_id.in_(ids)).group_by(Case.child_id)
        ):
            cases[cid] = n
    order_key = {code: i for i, code in enumerate(GROUP_ORDER)}
    return [
        RegisterRow(*r[:7], groups=", ".join(sorted(groups.get(r[0], []), key=lambda t: (order_key.get(t[0], 99), t))),
                    cases=cases.get(r[0], 0), sort_key=r[7])
        for r in rows
    ]


def _seek(query: Select, order: str, after: RegisterRow | None) -> Select:
    """The rows after `after` in the order, through the order's index (keyed paging on the single-PC file)."""
    if after is None:
        return query
    if order == "newest":
        return query.where(Child.id < after.id)
    # A row value: the index seeks to it (an OR would scan from the start).
    seek = tuple_(literal(after.sort_key, Child.sort_key.type), literal(after.id, Child.id.type))
    if order == "name_desc":
        return query.where(tuple_(Child.sort_key, Child.id) < seek)
    return query.where(tuple_(Child.sort_key, Child.id) > seek)


def villages(session: Session) -> list[str]:
    """Thôn / tổ dân phố known in the register, in Vietnamese order."""
    if protects(session):  # encrypted on the server: each value differs, so the distinct names are found here
        names = {v_ for (v_,) in session.execute(select(Child.village)) if v_}
    else:
        names = [v_ for (v_,) in session.execute(select(Child.village).where(Child.village != "").distinct())]
    return sorted(names, key=vn_sort_key)


def group_counts(session: Session, on: date | None = None) -> dict[str, int]:
    """How many children are in each group now (a child in two groups counts in both)."""
    day = on or today()
    return {code: n for code, n in session.execute(
        select(GroupMembership.group_code, func.count(func.distinct(GroupMembership.child_id)))
        .where(_active(day)).group_by(GroupMembership.group_code)
    )}


# -- one child's file ---------------------------------------------------------------------------------


@dataclass
class ChildFile:
    child: Child
    memberships: list[GroupMembership]
    support: list[SupportEntry]
    cases: list[Case]
    case_stages: dict[int, str] = field(default_factory=dict)  # case id → stage code

    def caregivers(self) -> dict[str, str]:
        out: dict[str, list[str]] = {}
        for rel in self.child.relations:
            out.setdefault(rel.role, []).append(rel.person.full_name)
        return {role: ", ".join(names) for role, names in out.items()}


def load_child_file(db: Database, child_id: int) -> ChildFile | None:
    with db.session() as session:
        child = session.scalar(
            select(Child).where(Child.id == child_id)
            .options(selectinload(Child.relations).joinedload(ChildRelation.person), selectinload(Child.cases))
        )
        if child is None:
            return None
        memberships = list(session.scalars(
            select(GroupMembership).where(GroupMembership.child_id == child_id)
            .order_by(GroupMembership.to_date.is_not(None), GroupMembership.group_code, GroupMembership.from_date)
        ))
        support = list(session.scalars(
            select(SupportEntry).where(SupportEntry.child_id == child_id)
            .order_by(SupportEntry.given_on.desc(), SupportEntry.id.desc())
        ))
        from ..stages import stage_expression

        stages = dict(session.execute(select(Case.id, stage_expression()).where(Case.child_id == child_id)).all())
        return ChildFile(child, memberships, support, list(child.cases), stages)


def open_child_file(db: Database, actor: Actor, child_id: int) -> ChildFile | None:
    """A person opens a child's file: allowed to roles that read files, and written in the audit trail."""
    actor.require("case.view")
    file = load_child_file(db, child_id)
    if file is not None:
        with db.transaction() as session:
            audit.record(session, actor, "view", "child", child_id)
    return file


# -- the worker's edits -------------------------------------------------------------------------------


def _collect(errors: dict[str, str], key: str, check, *args, **kwargs):
    try:
        return check(*args, **kwargs)
    except v.Invalid as exc:
        errors.setdefault(key, str(exc))
        return None


def add_membership(db: Database, actor: Actor, child_id: int, raw: Mapping[str, Any]) -> tuple[int | None, dict[str, str]]:
    """Put a child in a group. raw: group ('c.11' or ('c', 11)), from_date, to_date, note.
    Returns (membership id, {}) or (None, {field: message})."""
    actor.require("case.edit")
    errors: dict[str, str] = {}
    grp = raw.get("group")
    if isinstance(grp, tuple):
        code, sub = grp
        if code not in special_groups():
            errors["group"] = "Chọn một trong 14 nhóm."
    else:
        code, sub = _collect(errors, "group", parse_group_code, str(grp or "")) or (None, None)
        if not grp:
            errors["group"] = "Chọn nhóm của trẻ."
    start = _collect(errors, "from_date", v.parse_date, raw.get("from_date"), required=True, what="Từ ngày")
    end = _collect(errors, "to_date", v.parse_date, raw.get("to_date"), what="Đến ngày")
    note = _collect(errors, "note", v.text, raw.get("note"), max_len=2000, what="Ghi chú") or ""
    if start and start > today():
        errors["from_date"] = "Ngày bắt đầu không thể ở tương lai."
    if start and end and end < start:
        errors["to_date"] = "Ngày kết thúc không thể trước ngày bắt đầu."
    if errors:
        return None, errors
    with db.transaction() as session:
        child = session.get(Child, child_id)
        if child is None:
            return None, {"child": "Không tìm thấy trẻ này (có thể đã được gộp vào hồ sơ khác)."}
        same = session.scalar(select(GroupMembership).where(
            GroupMembership.child_id == child_id, GroupMembership.group_code == code,
            GroupMembership.subgroup.is_(sub) if sub is None else GroupMembership.subgroup == sub,
            GroupMembership.from_date == start))
        if same is not None:
            return None, {"group": f"Trẻ đã có trong nhóm {format_group_code(code, sub)} từ ngày {fmt_date(start)}."}
        m = GroupMembership(child_id=child_id, group_code=code, subgroup=sub, from_date=start, to_date=end,
                            note=note, created_by=actor.username)
        session.add(m)
        session.flush()
        audit.record(session, actor, "create", "child_group", child_id,
                     detail=f"Nhóm {format_group_code(code, sub)} từ {fmt_date(start)}"
                            + (f" đến {fmt_date(end)}" if end else ""))
        return m.id, {}


def children_to_review(session: Session) -> int:
    """How many children have a group membership whose sub-group must be chosen again ("cần xem lại")."""
    return session.scalar(select(func.count(func.distinct(GroupMembership.child_id)))
                          .where(GroupMembership.review_needed)) or 0


def review_text(m: GroupMembership) -> str:
    """What the worker sees on a membership to re-check: its former code and words."""
    former = f"{m.group_code}.{m.old_subgroup}" if m.old_subgroup else m.group_code
    return (f"Cần xem lại diện: trước đây ghi «{former} — {m.old_subgroup_text}», không có diện cùng nghĩa "
            f"trong Nghị định 56/2017/NĐ-CP Điều 3–16. Chọn diện đúng của trẻ.")


def recheck_membership(db: Database, actor: Actor, membership_id: int, subgroup: int | None) -> dict[str, str]:
    """The worker chose the right sub-group of a membership flagged "cần xem lại" (or confirmed that it is
    not known yet, subgroup None): the flag is cleared, the former code and words stay for the record."""
    actor.require("case.edit")
    with db.transaction() as session:
        m = session.get(GroupMembership, membership_id)
        if m is None:
            return {"subgroup": "Không tìm thấy mục nhóm này."}
        g = special_groups().get(m.group_code)
        count = len(g.subgroups) if g else 0
        if subgroup is not None and not 1 <= subgroup <= count:
            return {"subgroup": f"Nhóm {m.group_code} không có diện {m.group_code}.{subgroup}."}
        if subgroup is None and count > 1 and m.review_needed:
            return {"subgroup": "Chọn một diện của nhóm theo Nghị định 56/2017/NĐ-CP."}
        if subgroup is not None and subgroup != m.subgroup and session.scalar(select(GroupMembership.id).where(
                GroupMembership.child_id == m.child_id, GroupMembership.group_code == m.group_code,
                GroupMembership.subgroup == subgroup, GroupMembership.from_date.is_(m.from_date)
                if m.from_date is None else GroupMembership.from_date == m.from_date,
                GroupMembership.id != m.id)):
            return {"subgroup": f"Trẻ đã có trong nhóm {format_group_code(m.group_code, subgroup)} từ cùng ngày; "
                                "kết thúc mục này nếu nó trùng."}
        old_sub, was = m.subgroup, m.review_needed
        m.subgroup, m.review_needed = subgroup, False
        m.reviewed_at, m.reviewed_by = now(), actor.username
        audit.record(session, actor, "update", "child_group", m.child_id,
                     detail=f"Xem lại diện nhóm {format_group_code(m.group_code, subgroup)}"
                            + (f" (trước đây {m.group_code}.{m.old_subgroup}: {m.old_subgroup_text})"
                               if m.old_subgroup else ""),
                     changes=[("subgroup", old_sub, subgroup), ("review_needed", was, False)])
    return {}


def end_membership(db: Database, actor: Actor, membership_id: int, to_date: Any, note: str = "") -> dict[str, str]:
    """The child left a group (e.g. was adopted, recovered, turned 16)."""
    actor.require("case.edit")
    errors: dict[str, str] = {}
    end = _collect(errors, "to_date", v.parse_date, to_date, required=True, what="Đến ngày")
    if errors:
        return errors
    with db.transaction() as session:
        m = session.get(GroupMembership, membership_id)
        if m is None:
            return {"to_date": "Không tìm thấy mục nhóm này."}
        if m.from_date and end < m.from_date:
            return {"to_date": "Ngày kết thúc không thể trước ngày bắt đầu."}
        old = m.to_date
        m.to_date = end
        if note:
            m.note = (m.note + "\n" + nfc(note)).strip()
        audit.record(session, actor, "update", "child_group", m.child_id,
                     detail=f"Nhóm {format_group_code(m.group_code, m.subgroup)}",
                     changes=[("to_date", old, end)])
    return {}


def add_support(db: Database, actor: Actor, child_id: int, raw: Mapping[str, Any]) -> tuple[int | None, dict[str, str]]:
    """Record support received. raw: kind, given_on, amount (đồng, optional), description, provider.
    Either an amount or a description is needed."""
    actor.require("case.edit")
    errors: dict[str, str] = {}
    kind = _collect(errors, "kind", parse_support_kind, str(raw.get("kind") or ""))
    given = _collect(errors, "given_on", v.parse_date, raw.get("given_on"), required=True, what="Ngày hỗ trợ")
    amount = _collect(errors, "amount", parse_amount, raw.get("amount"))
    desc = _collect(errors, "description", v.text, raw.get("description"), max_len=2000, what="Nội dung") or ""
    provider = _collect(errors, "provider", v.text, raw.get("provider"), max_len=200, what="Đơn vị hỗ trợ") or ""
    if given and given > today():
        errors["given_on"] = "Ngày hỗ trợ không thể ở tương lai."
    if amount is None and not desc and "amount" not in errors:
        errors["description"] = "Ghi số tiền hoặc mô tả nội dung hỗ trợ."
    if errors:
        return None, errors
    with db.transaction() as session:
        if session.get(Child, child_id) is None:
            return None, {"kind": "Không tìm thấy trẻ này (có thể đã được gộp vào hồ sơ khác)."}
        s = SupportEntry(child_id=child_id, kind=kind, given_on=given, amount=amount, description=desc,
                         provider=provider, created_by=actor.username)
        session.add(s)
        session.flush()
        audit.record(session, actor, "create", "child_support", child_id,
                     detail=f"{SUPPORT_KINDS[kind]} ngày {fmt_date(given)}"
                            + (f", {format_amount(amount)}" if amount is not None else ""))
        return s.id, {}


def parse_amount(value: Any) -> int | None:
    """'1.500.000', '1 500 000 đ', 1500000 → 1500000 (đồng)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise v.Invalid("Số tiền phải là một số (đồng).")
    if isinstance(value, (int, float)):
        number = int(round(value))
    else:
        text = re.sub(r"(?i)\s*(đồng|đ|vnd|vnđ)\s*$", "", nfc(value))
        digits = re.sub(r"[\s.,]", "", text)
        if not digits:
            return None
        if not digits.isdigit():
            raise v.Invalid(f"Số tiền «{nfc(value)}» phải là một số (đồng), ví dụ 1.500.000.")
        number = int(digits)
    if not 0 <= number <= 10_000_000_000:
        raise v.Invalid("Số tiền không hợp lý (từ 0 đến 10 tỉ đồng).")
    return number


def format_amount(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,} đồng".replace(",", ".")


CHILD_FIELDS = {
    "full_name": "Họ và tên", "date_of_birth": "Ngày sinh", "gender": "Giới tính", "ethnicity": "Dân tộc",
    "personal_id": "Số định danh cá nhân", "village": "Thôn / tổ dân phố", "address": "Địa chỉ",
}


def update_child(db: Database, actor: Actor, child_id: int, raw: Mapping[str, Any]) -> dict[str, str]:
    """Correct a child's identity; name keys follow the name. Every changed field goes to the audit trail."""
    actor.require("case.edit")
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if "full_name" in raw:
        values["full_name"] = _collect(errors, "full_name", v.person_name, raw["full_name"], required=True)
    if "date_of_birth" in raw:
        dob = _collect(errors, "date_of_birth", v.parse_date, raw["date_of_birth"], what="Ngày sinh")
        if dob and dob > today():
            errors["date_of_birth"] = "Ngày sinh không thể ở tương lai."
        values["date_of_birth"] = dob
    if "gender" in raw:
        values["gender"] = _collect(errors, "gender", parse_gender, raw["gender"])
    if "ethnicity" in raw:
        values["ethnicity"] = _collect(errors, "ethnicity", v.text, raw["ethnicity"], max_len=60, what="Dân tộc") or ""
    if "personal_id" in raw:
        values["personal_id"] = _collect(errors, "personal_id", v.personal_id, raw["personal_id"])
    if "village" in raw:
        values["village"] = _collect(errors, "village", v.text, raw["village"], max_len=v.NAME_MAX, what="Thôn / tổ dân phố") or ""
    if "address" in raw:
        values["address"] = _collect(errors, "address", v.text, raw["address"], max_len=v.SHORT_MAX, what="Địa chỉ") or ""
    if errors:
        return errors
    with db.transaction() as session:
        child = session.get(Child, child_id)
        if child is None:
            return {"full_name": "Không tìm thấy trẻ này."}
        pid = values.get("personal_id")
        if pid:
            other = session.scalar(select(Child).where(personal_id_is(session, pid), Child.id != child_id))
            if other is not None:
                return {"personal_id": f"Số định danh {pid} đã thuộc về trẻ {other.full_name}. "
                                       "Nếu đó là cùng một trẻ, hãy gộp hai hồ sơ."}
        changes = []
        for key, new in values.items():
            old = getattr(child, key)
            if old != new:
                changes.append((key, old, new))
                setattr(child, key, new)
        if "full_name" in values:
            child.name_key = fold(child.full_name)
            child.sort_key = vn_sort_key(child.full_name)
        if changes:
            audit.record(session, actor, "update", "child", child_id, changes=changes)
    return {}


def set_caregiver(session: Session, child: Child, role: str, name: str) -> bool:
    """Name a parent or caregiver of the child (no duplicate if already there). True if something was added."""
    if not name:
        return False
    key = fold(name)
    for rel in child.relations:
        if rel.role == role and fold(rel.person.full_name) == key:
            return False
    child.relations.append(ChildRelation(role=role, person=Person(full_name=name)))
    return True


def age_text(dob: date | None, estimated_age: int | None, on: date | None = None) -> str:
    if dob:
        return f"{fmt_date(dob)} ({v.age_on(dob, on or today())} tuổi)"
    return f"khoảng {estimated_age} tuổi" if estimated_age is not None else "không rõ"


__all__ = [
    "SpecialGroup", "special_groups", "GROUP_ORDER", "format_group_code", "parse_group_code", "parse_group_codes",
    "SUPPORT_KINDS", "AGE_BANDS", "ANY_GROUP", "REVIEW_GROUP", "children_to_review", "review_text",
    "recheck_membership", "RegisterFilter", "RegisterRow", "count_children", "fetch_children",
    "villages", "group_counts", "ChildFile", "load_child_file", "open_child_file", "add_membership",
    "end_membership", "add_support", "update_child", "GENDERS", "age_text", "parse_amount", "format_amount",
]
