"""Placements of alternative care: choosing the carer (NĐ 56 Điều 42.2–42.3), the decision (Mẫu 12) and the
hand-over within 15 working days (Điều 42.7), the follow-ups (Mẫu 13: after 1 and 3 months, then every 6
months, and on a change of carer or form — Điều 43.2, TT 14/2020 Điều 13.3), and the end (the carer's request,
Mẫu 15; the chairman's decision, Mẫu 16 — Điều 48). The child's register groups follow the hand-over and the end.

Rules said here, once:
  * only a carer whose standing (models.services.carers.standing) is "du_dieu_kien" receives a child. A relative
    only notifies the commune (Luật Điều 65.4), but until the carers' side says otherwise a relative also needs a
    confirmed verification (Mẫu 11): the stricter reading;
  * Luật Điều 63.2.d: a relative must be an adult (18); any other carer at least 20 years older than the child
    (`age_gap_ok`). Without the child's date of birth an estimated age n counts as n + 1 (the stricter way);
  * candidates in the order of Điều 42.2 (form: relatives, non-relatives, a facility) and 42.3 (carer: relatives;
    a carer where the child lives; Vietnamese citizens in Việt Nam; foreigners in Việt Nam); choosing one below a
    suitable one needs a written reason;
  * at least two meetings child–carer on or before the decision (TT 14/2020 Điều 10.4.c, 11.2), the child's file
    complete (Điều 38.3, photos under 6 months on the day of decision);
  * the hand-over: within 15 working days of the decision (office calendar); a later one is recorded with the
    reason; never before the decision. For a child from a facility, the facility's end within 5 working days
    (Điều 48.3 counts from the day the decision is received: counted here from the day it is signed, the
    stricter way);
  * follow-ups due on the same day 1, 3, 6, 12, 18 … months after the hand-over (Bộ luật Dân sự Điều 147), moved to
    the next working day when that day is off (Điều 148); a change of carer or form (a Mẫu 15 request, or a
    follow-up concluding "chuyển đổi"/"chấm dứt") asks for a report "khi chuyển đổi" before the Mẫu 16.
Nothing here stores a state: `stage` and `next_step` are derived from the records. Every write is audited
(entities "mau12", "mau13", "mau15", "mau16" with the placement's id; "child_group" for the register).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import numbering
from .. import validation as v
from ..calendar_days import WorkCalendar, end_of_day
from ..care_entities import (
    CareEndDecision, CareEndRequest, CareFollowup, CareNeed, Carer, Placement,
)
from ..clock import VN, fmt_date, now
from ..db import Database
from ..entities import Child, Office
from ..numbering import next_number
from ..register_entities import GroupMembership
from ..security import audit
from ..security.roles import Actor
from ..wording import form_definition
from . import care_need as needs
from .carers import STANDINGS, age_gap_ok, standing  # age_gap_ok: Luật Điều 63.2.d, said once (carers)
from .process_common import (
    Checker, ProcessError, apply_values, check_day_between, check_signer, chosen_id, reason_given, yes_no,
)

FORMS_ORDER = ("than_thich", "khong_than_thich", "co_so")  # Điều 42.2
HANDOVER_WORKING_DAYS = 15  # Điều 42.7
FACILITY_RELEASE_WORKING_DAYS = 5  # Điều 48.3
_HORIZON = timedelta(days=14)  # a follow-up joins the to-do list two weeks before it falls due
FOLLOWUP_KINDS = ("1_thang", "3_thang", "6_thang", "chuyen_doi")
CARE_FORMS_AFTER_END = ("than_thich", "khong_than_thich", "co_so")  # a new placement follows

# Điều 42.3's order of the carer, with what a person reads.
RANKS: dict[int, str] = {
    1: "Người thân thích của trẻ em (Nghị định 56/2017/NĐ-CP, điểm a khoản 3 Điều 42)",
    2: "Cá nhân, gia đình nơi trẻ em cư trú (điểm b)",
    3: "Công dân Việt Nam cư trú trong nước (điểm c)",
    4: "Người nước ngoài cư trú tại Việt Nam (điểm d)",
    5: "Chưa rõ nơi cư trú, quốc tịch (cần bổ sung thông tin người nhận)",
}


def form_words() -> dict[str, str]:
    return dict(form_definition("12")["forms"])


# --- the carer's conditions -----------------------------------------------------------------------------
def is_relative(carer: Carer, child_id: int) -> bool:
    return carer.registration == "thong_bao_than_thich" and carer.relative_of_child_id == child_id


def _child_birth(child: Child, on: date) -> date | None:
    """The child's date of birth, or, from an estimated age n, the stricter one (the child n + 1 years old)."""
    if child.date_of_birth is not None:
        return child.date_of_birth
    if child.estimated_age is not None:
        return needs.months_before(on, 12 * (child.estimated_age + 1))
    return None


def age_gap_problem(carer: Carer, child: Child, on: date) -> str:
    """"" when Điều 63.2.d is met; otherwise what the worker reads."""
    relative = is_relative(carer, child.id)
    ok = age_gap_ok(carer, _child_birth(child, on), relative=relative, on=on)
    if ok:
        return ""
    if carer.date_of_birth is None:
        return f"Chưa có ngày sinh của {carer.full_name}: chưa kiểm tra được điều kiện tuổi (Luật Trẻ em, điểm d khoản 2 Điều 63)."
    if relative:
        return (f"{carer.full_name} chưa đủ 18 tuổi: người thân thích nhận chăm sóc thay thế phải là người thành "
                "niên (Luật Trẻ em, điểm d khoản 2 Điều 63).")
    if ok is None:
        return "Chưa có ngày sinh hoặc tuổi của trẻ em: chưa kiểm tra được điều kiện hơn trẻ em từ 20 tuổi trở lên."
    return (f"{carer.full_name} không hơn trẻ em từ 20 tuổi trở lên (Luật Trẻ em, điểm d khoản 2 Điều 63: người "
            "không phải người thân thích phải hơn trẻ em từ 20 tuổi trở lên).")


def rank(carer: Carer, child_id: int) -> int:
    """Điều 42.3: 1 relative, 2 where the child lives, 3 Vietnamese citizen in Việt Nam, 4 foreigner in Việt Nam,
    5 not yet known."""
    if is_relative(carer, child_id):
        return 1
    if carer.lives_in_commune is True:
        return 2
    if carer.is_foreigner is False:
        return 3
    if carer.is_foreigner is True:
        return 4
    return 5


@dataclass(frozen=True)
class Candidate:
    carer_id: int
    name: str
    form: str  # "than_thich" | "khong_than_thich"
    rank: int
    rank_words: str
    standing: str
    meetings: int
    problems: tuple[str, ...] = ()  # why this carer cannot receive the child now

    @property
    def suitable(self) -> bool:
        return not self.problems


def candidates(session: Session, need: CareNeed, on: date | None = None, *, all_carers: bool = False
               ) -> list[Candidate]:
    """The carers who may receive the child, in Điều 42.2 then 42.3 order: only verified ones ("du_dieu_kien"),
    unless `all_carers` (then the others come with their problem, never as suitable)."""
    on = on or now().date()
    child = need.child
    out = []
    for carer in session.scalars(select(Carer).where(Carer.withdrawn_at.is_(None))):
        if carer.registration == "thong_bao_than_thich" and carer.relative_of_child_id not in (None, child.id):
            continue  # a relative of another child
        st = standing(carer)
        if st != "du_dieu_kien" and not all_carers:
            continue
        problems = []
        if st != "du_dieu_kien":
            problems.append(f"Chưa đủ điều kiện: {STANDINGS.get(st, st)} (chỉ giao trẻ cho người đã xác minh đủ "
                            "điều kiện, Mẫu 11 được Chủ tịch xác nhận).")
        gap = age_gap_problem(carer, child, on)
        if gap:
            problems.append(gap)
        r = rank(carer, child.id)
        out.append(Candidate(carer.id, carer.full_name, "than_thich" if r == 1 else "khong_than_thich", r, RANKS[r],
                             st, len(needs.meetings_with(need, carer.id)), tuple(problems)))
    out.sort(key=lambda c: (FORMS_ORDER.index(c.form), c.rank, not c.suitable, c.name))
    return out


def departs_from_order(session: Session, need: CareNeed, form: str, carer_id: int | None, on: date) -> str:
    """"" when the choice follows Điều 42.2–42.3; otherwise which better choice exists (a reason is then needed)."""
    suitable = [c for c in candidates(session, need, on) if c.suitable]
    if not suitable:
        return ""
    best = suitable[0]
    if form == "co_so":
        return (f"Còn người nhận chăm sóc thay thế phù hợp ({best.name}, {best.rank_words}) mà chọn cơ sở trợ giúp xã "
                "hội (Nghị định 56/2017/NĐ-CP, khoản 2 Điều 42: cơ sở là lựa chọn sau cùng).")
    chosen = next((c for c in suitable if c.carer_id == carer_id), None)
    if chosen is None:
        return ""
    if (FORMS_ORDER.index(best.form), best.rank) < (FORMS_ORDER.index(chosen.form), chosen.rank):
        return (f"Có người được ưu tiên hơn: {best.name} ({best.rank_words}); người đã chọn thuộc diện "
                f"«{chosen.rank_words}» (khoản 2 và khoản 3 Điều 42 Nghị định 56/2017/NĐ-CP).")
    return ""


# --- the decision (Mẫu 12) ----------------------------------------------------------------------------------
def get_placement(session: Session, placement_id: int) -> Placement:
    p = session.get(Placement, placement_id)
    if p is None:
        raise ProcessError("Không tìm thấy quyết định giao, nhận trẻ em (Mẫu số 12).")
    return p


def _ended(p: Placement) -> bool:
    """Whether the placement's end (Mẫu 16) has been signed."""
    return p.end_decision is not None and p.end_decision.decided_at is not None


def _ground_ids(form: str) -> set[str]:
    """The grounds a form lists (Mẫu 15, 16: the points of Điều 69 Luật Trẻ em), by id."""
    return {i["id"] for i in form_definition(form)["grounds"]["items"]}


def _check_carer(check: Checker, session: Session, need: CareNeed, carer: Carer | None, form: str, on: date) -> None:
    if carer is None:
        check.fail("carer_id", "Chọn cá nhân, gia đình nhận chăm sóc thay thế.")
        return
    st = standing(carer)
    if st != "du_dieu_kien":
        check.fail("carer_id", f"{carer.full_name}: {STANDINGS.get(st, st)}. Chỉ giao trẻ em cho cá nhân, gia đình "
                               "đã được xác minh đủ điều kiện (Mẫu số 11 được Chủ tịch xác nhận; khoản 1 Điều 42 "
                               "Nghị định 56/2017/NĐ-CP). Người thân thích cũng cần biên bản xác minh đã xác nhận.")
        return
    gap = age_gap_problem(carer, need.child, on)
    if gap:
        check.fail("carer_id", gap)
    relative = is_relative(carer, need.child_id)
    if form == "than_thich" and not relative:
        check.fail("form", f"{carer.full_name} không được ghi là người thân thích của trẻ em này: chọn hình thức "
                           "«không phải là người thân thích».")
    if form == "khong_than_thich" and relative:
        check.fail("form", f"{carer.full_name} là người thân thích của trẻ em: chọn hình thức «người thân thích».")


def _parse_draft(check: Checker, session: Session, need: CareNeed, raw: Mapping[str, Any], on: date) -> dict[str, Any]:
    g = raw.get
    form = str(g("form") or "")
    if form not in FORMS_ORDER:
        check.fail("form", "Chọn hình thức chăm sóc thay thế (Nghị định 56/2017/NĐ-CP, khoản 2 Điều 42).")
    carer_id = chosen_id(g("carer_id"))
    facility_name = check("facility_name", v.text, g("facility_name"), max_len=200, what="Tên cơ sở") or ""
    carer = None
    if form == "co_so":
        carer_id = None
        if not facility_name:
            check.fail("facility_name", "Ghi tên cơ sở trợ giúp xã hội nhận trẻ em.")
    elif form:
        carer = session.get(Carer, carer_id) if carer_id else None
        _check_carer(check, session, need, carer, form, on)
        facility_name = ""
    reason = check("preference_reason", v.text, g("preference_reason"), what="Lý do") or ""
    if form and not check.errors:
        departs = departs_from_order(session, need, form, carer_id, on)
        if departs and not reason:
            check.fail("preference_reason", departs + " Ghi rõ lý do chọn khác thứ tự ưu tiên.")
    support = check("support", v.text, g("support"), what="Hỗ trợ") or ""
    recipients = check("recipients", v.text, g("recipients"), what="Nơi nhận") or ""
    from_facility = yes_no(g("from_facility"))
    if need.source == "co_so":
        from_facility = True
    return dict(form=form, carer_id=carer_id, facility_name=facility_name, preference_reason=reason,
                support=support, recipients=recipients, from_facility=from_facility)


def save_placement_draft(db: Database, actor: Actor, care_need_id: int, raw: Mapping[str, Any], *,
                         placement_id: int | None = None, at: datetime | None = None) -> int:
    """The worker drafts (or corrects the draft of) the Mẫu 12 decision for the chairman. Returns its id."""
    actor.require("case.edit")
    at = at or now()
    with db.transaction() as session:
        need = needs.get_open_need(session, care_need_id, "Bản đánh giá Mẫu 10 của trẻ em này đã đóng.")
        check = Checker()
        values = _parse_draft(check, session, need, raw, at.date())
        check.raise_if_any()
        if placement_id is None:
            if _running(session, need.child_id) is not None:
                raise ProcessError("Trẻ em đang được chăm sóc thay thế theo một quyết định khác chưa chấm dứt.")
            p = Placement(child_id=need.child_id, care_need_id=need.id, drafted_by=actor.full_name, drafted_at=at,
                          created_by=actor.username, **values)
            session.add(p)
            session.flush()
            audit.record(session, actor, "create", "mau12", p.id, detail=f"Dự thảo Mẫu 12 cho trẻ #{need.child_id}")
        else:
            p = get_placement(session, placement_id)
            if p.decided_at is not None:
                raise ProcessError("Quyết định đã ký; không sửa được.")
            changes = apply_values(p, values, loaded_version=raw.get("row_version"),
                                   conflict=(session, "mau12", str(p.id), "Dự thảo Mẫu số 12"))
            audit.record(session, actor, "update", "mau12", p.id, detail="Dự thảo Mẫu 12", changes=changes)
        return p.id


def delete_placement_draft(db: Database, actor: Actor, placement_id: int, reason: str) -> None:
    """A Mẫu 12 draft the chairman has not signed is withdrawn (a wrong carer, a child gone home …): only with a
    reason (the screen asks to confirm). The child's Mẫu 10 then waits for a carer again; its meetings stay. A
    signed decision is never deleted (it ends with Mẫu 16)."""
    from ..attachment_entities import Attachment

    actor.require("case.edit")
    text = reason_given(reason, "reason", "Ghi lý do xoá dự thảo Mẫu 12.")
    with db.transaction() as session:
        p = get_placement(session, placement_id)
        if p.decided_at is not None:
            raise ProcessError("Quyết định đã ký; không xoá được. Muốn chấm dứt, làm dự thảo Mẫu 16.")
        attached = session.scalar(select(func.count(Attachment.id)).where(
            Attachment.owner_kind == "placement", Attachment.owner_id == p.id, Attachment.removed_at.is_(None)))
        if attached:
            raise ProcessError(f"Dự thảo có {attached} tệp đính kèm: gỡ bỏ các tệp đó trước khi xoá dự thảo.")
        audit.record(session, actor, "delete", "mau12", p.id,
                     detail=f"Xoá dự thảo Mẫu 12 của trẻ #{p.child_id}: {text}")
        session.delete(p)


def _running(session: Session, child_id: int, *, but: int | None = None) -> Placement | None:
    """The child's decided placement not yet ended (at most one)."""
    for p in session.scalars(select(Placement).where(Placement.child_id == child_id, Placement.decided_at.is_not(None))):
        if p.id != but and not _ended(p):
            return p
    return None


def decide_placement(db: Database, actor: Actor, placement_id: int, *, decided_by: str,
                     signing_capacity: str = "chu_tich", decided_at: datetime | str | None = None,
                     at: datetime | None = None) -> str:
    """The chairman decides the placement (Mẫu 12): the number "…/QĐ-UBND" is issued. Refused when the carer is
    not (or no longer) verified, too young, when the child and carer met fewer than twice, or the child's file is
    incomplete. Returns the number as printed."""
    actor.require("approve")
    at = at or now()
    with db.transaction() as session:
        p = get_placement(session, placement_id)
        if p.decided_at is not None:
            raise ProcessError("Quyết định này đã được ký.")
        need = p.care_need
        check = Checker()
        name, moment = check_signer(check, decided_by, decided_at, signing_capacity, at)
        if moment is not None:
            day = moment.astimezone(VN).date()
            if moment > at + v.FUTURE_TOLERANCE:
                check.fail("decided_at", "Thời điểm ký không thể ở tương lai.")
            if need is not None and day < need.assessed_on:
                check.fail("decided_at", f"Không thể ký trước ngày đánh giá Mẫu 10 ({fmt_date(need.assessed_on)}).")
            if p.form != "co_so":
                _check_carer(check, session, need, p.carer, p.form, day)
                met = needs.meetings_with(need, p.carer_id, until=day) if need is not None else []
                if len(met) < needs.MIN_MEETINGS:
                    check.fail("meetings", f"Trẻ em và {p.carer.full_name if p.carer else 'người nhận'} mới gặp nhau "
                                           f"{len(met)} lần: cần ít nhất {needs.MIN_MEETINGS} lần gặp trước khi quyết "
                                           "định (Thông tư 14/2020/TT-BLĐTBXH). Ghi các buổi gặp trước.")
            if need is not None:
                lacking = needs.missing(need, day)
                if lacking:
                    check.fail("file", "Hồ sơ của trẻ em còn thiếu: " + "; ".join(
                        f"{i.text} ({i.note})" for i in lacking) + " (khoản 3 Điều 38 Nghị định 56/2017/NĐ-CP).")
        check.raise_if_any()
        if _running(session, p.child_id, but=p.id) is not None:
            raise ProcessError("Trẻ em đang được chăm sóc thay thế theo một quyết định khác chưa chấm dứt.")
        p.doc_year = moment.year
        p.doc_number = next_number(session, "QĐ", moment.year)
        p.decided_by, p.signing_capacity, p.decided_at = name, signing_capacity, moment
        number = numbering.document_number(p.doc_number, "QĐ", session.scalar(select(Office).limit(1)))
        audit.record(session, actor, "approve", "mau12", p.id, detail=f"Quyết định giao, nhận trẻ em số {number}")
        return number


def handover_deadline(p: Placement, cal: WorkCalendar) -> datetime | None:
    """The end of the 15th working day after the decision (Điều 42.7); None before the decision."""
    return cal.add_working_days(p.decided_at, HANDOVER_WORKING_DAYS) if p.decided_at else None


def facility_release_deadline(p: Placement, cal: WorkCalendar) -> datetime | None:
    """For a child from a facility: the end of the 5th working day after the decision (Điều 48.3, counted from
    the signature: the stricter way)."""
    return cal.add_working_days(p.decided_at, FACILITY_RELEASE_WORKING_DAYS) if p.decided_at and p.from_facility \
        else None


def record_handover(db: Database, actor: Actor, placement_id: int, *, handed_over_on: date | str,
                    note: str = "", cal: WorkCalendar | None = None, at: datetime | None = None) -> list[str]:
    """The child was handed over on that day. Not before the decision, not in the future; after the 15 working
    days only with the reason in `note`. The child's register groups follow (returns what changed, in words)."""
    actor.require("case.edit")
    at = at or now()
    with db.transaction() as session:
        p = get_placement(session, placement_id)
        if p.decided_at is None:
            raise ProcessError("Quyết định giao, nhận trẻ em chưa được ký: chưa thể giao trẻ.")
        if p.handed_over_on is not None:
            raise ProcessError(f"Đã ghi việc giao trẻ em ngày {fmt_date(p.handed_over_on)}.")
        check = Checker()
        day = check("handed_over_on", v.parse_date, handed_over_on, required=True, what="Ngày giao trẻ em")
        text = check("handover_note", v.text, note, what="Ghi chú") or ""
        decided_day = p.decided_at.astimezone(VN).date()
        if check_day_between(check, "handed_over_on", day, today=at.date(), what="Ngày giao trẻ em",
                             earliest=decided_day, too_early=f"Ngày giao trẻ em không thể trước ngày ký quyết định "
                                                             f"({fmt_date(decided_day)})."):
            limit = handover_deadline(p, cal or _calendar(session))
            if end_of_day(day) > limit and not text:
                check.fail("handover_note", f"Ngày giao trẻ em sau thời hạn 15 ngày làm việc (hạn cuối "
                                            f"{fmt_date(limit)}, khoản 7 Điều 42 Nghị định 56/2017/NĐ-CP): ghi "
                                            "rõ lý do giao muộn.")
        check.raise_if_any()
        p.handed_over_on, p.handover_note = day, text
        audit.record(session, actor, "update", "mau12", p.id, detail=f"Giao trẻ em ngày {fmt_date(day)}",
                     changes=[("handed_over_on", None, day)])
        return _groups_on_handover(session, actor, p, day)


def record_facility_release(db: Database, actor: Actor, placement_id: int, released_on: date | str) -> None:
    """The day the facility's care of the child ended (Điều 48.3)."""
    actor.require("case.edit")
    with db.transaction() as session:
        p = get_placement(session, placement_id)
        if p.decided_at is None or not p.from_facility:
            raise ProcessError("Chỉ ghi khi trẻ em từ cơ sở trợ giúp xã hội và quyết định đã ký.")
        day = v.parse_date(released_on, required=True, what="Ngày cơ sở chấm dứt chăm sóc")
        if day < p.decided_at.astimezone(VN).date():
            raise ProcessError({"facility_release_on": "Không thể trước ngày ký quyết định giao, nhận trẻ em."})
        old, p.facility_release_on = p.facility_release_on, day
        audit.record(session, actor, "update", "mau12", p.id, detail="Cơ sở chấm dứt việc chăm sóc",
                     changes=[("facility_release_on", old, day)])


def undo_handover(db: Database, actor: Actor, placement_id: int, reason: str) -> None:
    """A hand-over recorded by mistake is taken back: only with a reason (the screen asks to confirm). The
    register groups it changed are taken back too."""
    actor.require("case.edit")
    text = reason_given(reason, "reason", "Ghi lý do huỷ việc ghi giao trẻ em.")
    with db.transaction() as session:
        p = get_placement(session, placement_id)
        if p.handed_over_on is None:
            raise ProcessError("Chưa ghi việc giao trẻ em.")
        if p.followups or _ended(p):
            raise ProcessError("Đã có báo cáo theo dõi hoặc quyết định chấm dứt: không huỷ được việc giao trẻ.")
        day = p.handed_over_on
        for m in session.scalars(select(GroupMembership).where(GroupMembership.child_id == p.child_id)):
            if m.note.startswith(_GROUP_NOTE) and m.from_date == day:
                session.delete(m)
            elif m.to_date == day and _GROUP_CLOSED in m.note:
                m.to_date = None
                m.note = m.note.replace(_GROUP_CLOSED, "").strip()
        p.handed_over_on = None
        audit.record(session, actor, "update", "mau12", p.id, detail=f"Huỷ ghi giao trẻ em: {text}",
                     changes=[("handed_over_on", day, None)])


def _calendar(session: Session) -> WorkCalendar:
    from .calendar_edits import load_calendar

    return load_calendar(session)


# --- the register's groups ------------------------------------------------------------------------------
_GROUP_NOTE = "Theo quyết định chăm sóc thay thế"
_GROUP_CLOSED = "(kết thúc do được chăm sóc thay thế)"


def placed_subgroup(group: str, form: str) -> int | None:
    """The sub-group of NĐ 56 that says "được (nhận) chăm sóc thay thế" for a child of this group:
    a.3 (orphan living with relatives), a.4 (orphan cared for by non-relatives), a.2 (orphan in a facility);
    b.2 (abandoned child in alternative care); m.2 (trafficked child back, in alternative care)."""
    if group == "a":
        return {"than_thich": 3, "khong_than_thich": 4, "co_so": 2}.get(form)
    if group in ("b", "m"):
        return 2
    return None


def _active_memberships(session: Session, child_id: int, day: date) -> list[GroupMembership]:
    return [m for m in session.scalars(select(GroupMembership).where(GroupMembership.child_id == child_id))
            if (m.from_date is None or m.from_date <= day) and (m.to_date is None or m.to_date >= day)]


def _groups_on_handover(session: Session, actor: Actor, p: Placement, day: date) -> list[str]:
    """The child's groups a, b, m move to their "in alternative care" sub-group from the hand-over day. A child
    in none of them is not put into one (nothing decided by default)."""
    from .register import format_group_code

    said = []
    active = _active_memberships(session, p.child_id, day)
    for group in ("a", "b", "m"):
        mine = [m for m in active if m.group_code == group]
        if not mine:
            continue
        target = placed_subgroup(group, p.form)
        if target is None or any(m.subgroup == target for m in mine):
            continue
        for m in mine:
            old = m.to_date
            m.to_date = day
            m.note = (m.note + " " + _GROUP_CLOSED).strip()
            audit.record(session, actor, "update", "child_group", p.child_id,
                         detail=f"Nhóm {format_group_code(group, m.subgroup)}", changes=[("to_date", old, day)])
        session.add(GroupMembership(child_id=p.child_id, group_code=group, subgroup=target, from_date=day,
                                    note=f"{_GROUP_NOTE} (Mẫu 12 #{p.id})", created_by=actor.username))
        audit.record(session, actor, "create", "child_group", p.child_id,
                     detail=f"Nhóm {format_group_code(group, target)} từ {fmt_date(day)} (giao trẻ em, Mẫu 12)")
        said.append(f"Nhóm {format_group_code(group, mine[0].subgroup)} → {format_group_code(group, target)} "
                    f"từ {fmt_date(day)}")
    return said


def _groups_on_end(session: Session, actor: Actor, p: Placement, day: date, new_form: str) -> list[str]:
    """At the end: when no new placement follows, the placement's sub-groups end that day and the worker is told
    to choose the child's sub-group again (the program does not guess it)."""
    from .register import format_group_code

    if new_form in CARE_FORMS_AFTER_END:
        return []
    said = []
    for m in _active_memberships(session, p.child_id, day):
        if m.note.startswith(_GROUP_NOTE):
            old = m.to_date
            m.to_date = day
            audit.record(session, actor, "update", "child_group", p.child_id,
                         detail=f"Nhóm {format_group_code(m.group_code, m.subgroup)} (chấm dứt chăm sóc thay thế)",
                         changes=[("to_date", old, day)])
            said.append(f"Nhóm {format_group_code(m.group_code, m.subgroup)} kết thúc ngày {fmt_date(day)}: chọn lại "
                        "diện nhóm của trẻ em trong sổ theo dõi")
    return said


# --- follow-ups (Mẫu 13) ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Due:
    kind: str
    title: str
    due: date | None  # None: no limit of its own (before the Mẫu 16)
    done: CareFollowup | None = None


def followup_schedule(p: Placement, cal: WorkCalendar, *, until: date | None = None) -> list[Due]:
    """The follow-ups due from the hand-over: 1 and 3 months, then every 6 months (up to `until`, and always the
    next one), each on its own day rolled to a working day; plus one "khi chuyển đổi" when a change is asked.
    Reports of a kind answer the due ones of that kind in order."""
    if p.handed_over_on is None:
        return []
    kinds = form_definition("13")["kinds"]
    by_kind: dict[str, list[CareFollowup]] = {k: [] for k in FOLLOWUP_KINDS}
    for f in sorted(p.followups, key=lambda f: (f.report_date, f.id or 0)):
        by_kind.setdefault(f.kind, []).append(f)
    start = p.handed_over_on
    out = []
    for kind, months in (("1_thang", 1), ("3_thang", 3)):
        done = by_kind[kind][0] if by_kind[kind] else None
        out.append(Due(kind, f"Mẫu 13 — {kinds[kind]}", cal.next_working_day(needs.months_after(start, months)), done))
    six = by_kind["6_thang"]
    until = until or now().date()
    n = 1
    while True:
        day = cal.next_working_day(needs.months_after(start, 6 * n))
        done = six[n - 1] if len(six) >= n else None
        out.append(Due("6_thang", f"Mẫu 13 — {kinds['6_thang']} (lần {n})", day, done))
        if done is None and day > until:
            break
        if n > 60:
            break
        n += 1
    if change_asked(p):
        done = by_kind["chuyen_doi"][-1] if by_kind["chuyen_doi"] else None
        out.append(Due("chuyen_doi", f"Mẫu 13 — {kinds['chuyen_doi']}", None, done))
    return out


def change_asked(p: Placement) -> bool:
    """A change of carer or form is asked: a Mẫu 15 request, or a follow-up concluding "chuyển đổi" or "chấm dứt"."""
    return bool(p.end_requests) or any(f.conclusion in ("chuyen_doi", "cham_dut") for f in p.followups)


def save_followup(db: Database, actor: Actor, placement_id: int, raw: Mapping[str, Any], *,
                  followup_id: int | None = None, at: datetime | None = None) -> int:
    """A follow-up report (Mẫu 13). Only after the hand-over; the day not in the future."""
    actor.require("case.edit")
    at = at or now()
    g = raw.get
    with db.transaction() as session:
        p = get_placement(session, placement_id)
        if p.handed_over_on is None:
            raise ProcessError("Chưa giao trẻ em: chưa có gì để theo dõi.")
        if _ended(p):
            raise ProcessError("Việc chăm sóc thay thế đã chấm dứt (Mẫu 16).")
        check = Checker()
        kind = str(g("kind") or "")
        if kind not in FOLLOWUP_KINDS:
            check.fail("kind", "Chọn loại báo cáo: sau 01 tháng, sau 03 tháng, định kỳ 06 tháng hoặc khi chuyển đổi.")
        day = check("report_date", v.parse_date, g("report_date"), required=True, what="Ngày báo cáo")
        check_day_between(check, "report_date", day, today=at.date(), what="Ngày báo cáo", earliest=p.handed_over_on,
                          too_early=f"Ngày báo cáo không thể trước ngày giao trẻ em ({fmt_date(p.handed_over_on)}).")
        texts = {k: check(k, v.text, g(k), what=w) or "" for k, w in (
            ("reporter", "Người báo cáo"), ("living_conditions", "Điều kiện sống"), ("health", "Sức khỏe"),
            ("integration", "Sự hòa nhập"), ("schooling", "Học tập"), ("carer_opinion", "Ý kiến người nhận"),
            ("child_opinion", "Ý kiến của trẻ em"), ("recommendations", "Kiến nghị"))}
        for k, what in (("reporter", "họ tên người báo cáo"), ("living_conditions", "điều kiện sống của trẻ em"),
                        ("health", "tình trạng sức khỏe"), ("integration", "sự hòa nhập của trẻ em")):
            if not texts[k]:
                check.fail(k, f"Ghi {what}.")
        conclusion = g("conclusion") or None
        if conclusion is not None and conclusion not in form_definition("13")["conclusions"]:
            check.fail("conclusion", "Chọn kết luận: tiếp tục, chuyển đổi hoặc chấm dứt.")
        safe = yes_no(g("child_safe"))
        if safe is False and conclusion == "tiep_tuc":
            check.fail("conclusion", "Trẻ em không an toàn: không thể kết luận tiếp tục chăm sóc thay thế như cũ "
                                     "(Luật Trẻ em, khoản 2 Điều 69).")
        check.raise_if_any()
        values = dict(kind=kind, report_date=day, child_safe=safe, conclusion=conclusion, **texts)
        if followup_id is None:
            f = CareFollowup(placement_id=p.id, created_by=actor.username, **values)
            session.add(f)
            session.flush()
            audit.record(session, actor, "create", "mau13", p.id, detail=f"Mẫu 13 #{f.id} ({kind}) ngày {fmt_date(day)}")
        else:
            f = session.get(CareFollowup, followup_id)
            if f is None or f.placement_id != p.id:
                raise ProcessError("Không tìm thấy báo cáo theo dõi này.")
            changes = apply_values(f, values, loaded_version=g("row_version"),
                                   conflict=(session, "mau13", str(p.id), "Mẫu số 13"))
            audit.record(session, actor, "update", "mau13", p.id, detail=f"Mẫu 13 #{f.id}", changes=changes)
        return f.id


# --- the end (Mẫu 15, 16) -----------------------------------------------------------------------------------
def save_end_request(db: Database, actor: Actor, placement_id: int, raw: Mapping[str, Any], *,
                     at: datetime | None = None) -> int:
    """The carer's request to end (Mẫu 15; Luật Điều 69.1.c–d), as handed in to the commune."""
    actor.require("case.edit")
    at = at or now()
    g = raw.get
    with db.transaction() as session:
        p = get_placement(session, placement_id)
        if p.decided_at is None or p.form == "co_so":
            raise ProcessError("Chỉ cá nhân, gia đình đang nhận chăm sóc thay thế theo quyết định đã ký mới làm đơn "
                               "này.")
        if _ended(p):
            raise ProcessError("Việc chăm sóc thay thế đã chấm dứt.")
        check = Checker()
        day = check("requested_on", v.parse_date, g("requested_on"), required=True, what="Ngày làm đơn")
        check_day_between(check, "requested_on", day, today=at.date(), what="Ngày làm đơn",
                          earliest=p.decided_at.astimezone(VN).date(),
                          too_early="Ngày làm đơn không thể trước ngày ký quyết định giao trẻ em.")
        by = check("requested_by", v.person_name, g("requested_by") or (p.carer.full_name if p.carer else ""),
                   required=True, what="Người làm đơn")
        ground = g("ground") or None
        if ground not in _ground_ids("15"):
            check.fail("ground", "Chọn lý do đề nghị theo điểm c hoặc điểm d khoản 1 Điều 69 Luật Trẻ em.")
        reason = check("reason", v.text, g("reason"), required=True, what="Lý do cụ thể") or ""
        check.raise_if_any()
        r = CareEndRequest(placement_id=p.id, requested_on=day, requested_by=by, ground=ground, reason=reason,
                           created_by=actor.username)
        session.add(r)
        session.flush()
        audit.record(session, actor, "create", "mau15", p.id, detail=f"Đơn đề nghị chấm dứt ngày {fmt_date(day)}")
        return r.id


def save_end_draft(db: Database, actor: Actor, placement_id: int, raw: Mapping[str, Any], *,
                   at: datetime | None = None) -> int:
    """The worker drafts the chairman's decision to end and change the form (Mẫu 16). Returns its id."""
    actor.require("case.edit")
    at = at or now()
    g = raw.get
    with db.transaction() as session:
        p = get_placement(session, placement_id)
        if p.decided_at is None:
            raise ProcessError("Quyết định giao trẻ em chưa được ký: xoá dự thảo thay vì chấm dứt.")
        check = Checker()
        ground = g("ground") or None
        if ground not in _ground_ids("16"):
            check.fail("ground", "Chọn trường hợp chấm dứt theo Điều 69 Luật Trẻ em.")
        reasons = check("reasons", v.text, g("reasons"), required=True, what="Lý do") or ""
        new_form = str(g("new_form") or "")
        if new_form and new_form not in form_definition("16")["new_forms"]:
            check.fail("new_form", "Hình thức tiếp theo không có trong danh sách.")
        arrangement = check("new_arrangement", v.text, g("new_arrangement"), what="Sắp xếp tiếp theo") or ""
        if not new_form and not arrangement:
            check.fail("new_arrangement", "Ghi trẻ em sẽ được chăm sóc thế nào sau khi chấm dứt.")
        recipients = check("recipients", v.text, g("recipients"), what="Nơi nhận") or ""
        request_id = None
        if ground in ("69_1_c", "69_1_d"):
            request = p.end_requests[-1] if p.end_requests else None
            if request is None:
                check.fail("ground", "Trường hợp này cần đơn đề nghị của cá nhân, gia đình nhận chăm sóc thay thế "
                                     "(Mẫu số 15): ghi đơn trước.")
            else:
                request_id = request.id
        check.raise_if_any()
        values = dict(ground=ground, reasons=reasons, new_form=new_form, new_arrangement=arrangement,
                      recipients=recipients, end_request_id=request_id)
        d = p.end_decision
        if d is None:
            d = CareEndDecision(placement_id=p.id, drafted_by=actor.full_name, drafted_at=at, created_by=actor.username,
                                **values)
            session.add(d)
            session.flush()
            audit.record(session, actor, "create", "mau16", p.id, detail="Dự thảo Mẫu 16")
        else:
            if d.decided_at is not None:
                raise ProcessError("Quyết định chấm dứt đã ký; không sửa được.")
            changes = apply_values(d, values, loaded_version=g("row_version"),
                                   conflict=(session, "mau16", str(p.id), "Dự thảo Mẫu số 16"))
            audit.record(session, actor, "update", "mau16", p.id, detail="Dự thảo Mẫu 16", changes=changes)
        return d.id


def decide_end(db: Database, actor: Actor, placement_id: int, *, decided_by: str, signing_capacity: str = "chu_tich",
               decided_at: datetime | str | None = None, ended_on: date | str | None = None,
               at: datetime | None = None) -> tuple[str, list[str]]:
    """The chairman decides the end (Mẫu 16): its number is issued; `ended_on` (default the day of signature) is
    the day the child left the carer. Returns the number and what changed in the register."""
    actor.require("approve")
    at = at or now()
    with db.transaction() as session:
        p = get_placement(session, placement_id)
        d = p.end_decision
        if d is None:
            raise ProcessError("Chưa có dự thảo quyết định chấm dứt (Mẫu 16).")
        if d.decided_at is not None:
            raise ProcessError("Quyết định chấm dứt đã được ký.")
        check = Checker()
        name, moment = check_signer(check, decided_by, decided_at, signing_capacity, at)
        day_left = None
        if moment is not None:
            if moment < p.decided_at:
                check.fail("decided_at", "Không thể ký trước quyết định giao trẻ em (Mẫu 12).")
            elif moment > at + v.FUTURE_TOLERANCE:
                check.fail("decided_at", "Thời điểm ký không thể ở tương lai.")
            day_left = check("ended_on", v.parse_date, ended_on or moment.astimezone(VN).date(),
                             what="Ngày trẻ em rời người nhận chăm sóc")
            if day_left is not None and p.handed_over_on is not None and day_left < p.handed_over_on:
                check.fail("ended_on", "Ngày chấm dứt không thể trước ngày giao trẻ em.")
        check.raise_if_any()
        d.doc_year = moment.year
        d.doc_number = next_number(session, "QĐ", moment.year)
        d.decided_by, d.signing_capacity, d.decided_at, d.ended_on = name, signing_capacity, moment, day_left
        number = numbering.document_number(d.doc_number, "QĐ", session.scalar(select(Office).limit(1)))
        audit.record(session, actor, "approve", "mau16", p.id, detail=f"Quyết định chấm dứt chăm sóc thay thế số {number}")
        said = _groups_on_end(session, actor, p, day_left, d.new_form) if p.handed_over_on else []
        return number, said


# --- where a placement stands -------------------------------------------------------------------------------
STAGES: dict[str, str] = {
    "du_thao": "Dự thảo quyết định (Mẫu 12) chờ ký",
    "cho_giao": "Đã quyết định, chờ giao trẻ em",
    "dang_cham_soc": "Đang chăm sóc thay thế",
    "cho_cham_dut": "Dự thảo chấm dứt (Mẫu 16) chờ ký",
    "da_cham_dut": "Đã chấm dứt",
}


def stage(p: Placement) -> str:
    d = p.end_decision
    if d is not None and d.decided_at is not None:
        return "da_cham_dut"
    if p.decided_at is None:
        return "du_thao"
    if d is not None:
        return "cho_cham_dut"
    if p.handed_over_on is None:
        return "cho_giao"
    return "dang_cham_soc"


@dataclass(frozen=True)
class CareStep:
    title: str
    due: datetime | None
    kind: str  # "mau12" | "giao" | "co_so" | "mau13" | "mau16"
    for_leader: bool = False
    late: bool = False
    rule: str = ""
    extra: tuple[str, ...] = field(default=())


def next_steps(p: Placement, cal: WorkCalendar, at: datetime | None = None) -> list[CareStep]:
    """What the placement waits for, soonest first."""
    at = at or now()
    s = stage(p)
    out: list[CareStep] = []
    if s == "du_thao":
        out.append(CareStep("Chủ tịch ký quyết định giao, nhận trẻ em (Mẫu 12)", None, "mau12", for_leader=True,
                            rule="Sau ít nhất 02 lần gặp giữa trẻ em và người nhận"))
    elif s == "cho_giao":
        limit = handover_deadline(p, cal)
        out.append(CareStep("Giao trẻ em cho người nhận chăm sóc thay thế", limit, "giao", late=at > limit,
                            rule="15 ngày làm việc kể từ ngày ban hành quyết định (Nghị định 56/2017/NĐ-CP, khoản 7 Điều 42)"))
    if s in ("cho_giao", "dang_cham_soc") and p.from_facility and p.facility_release_on is None:
        limit = facility_release_deadline(p, cal)
        out.append(CareStep("Cơ sở trợ giúp xã hội chấm dứt việc chăm sóc trẻ em", limit, "co_so", late=at > limit,
                            rule="05 ngày làm việc kể từ ngày nhận quyết định (Nghị định 56/2017/NĐ-CP, khoản 3 Điều 48)"))
    if s in ("dang_cham_soc", "cho_cham_dut"):
        for due in followup_schedule(p, cal, until=at.date()):
            if due.done is None:
                limit = end_of_day(due.due) if due.due else None
                out.append(CareStep(due.title, limit, "mau13", late=limit is not None and at > limit,
                                    rule="khoản 2 Điều 43 Nghị định 56/2017/NĐ-CP; Điều 13 Thông tư 14/2020"))
        # only the first open periodic one, plus the change one
        periodic = [c for c in out if c.kind == "mau13" and c.due is not None]
        change = [c for c in out if c.kind == "mau13" and c.due is None]
        out = [c for c in out if c.kind != "mau13"] + periodic[:1] + change
    if s == "cho_cham_dut":
        out.append(CareStep("Chủ tịch ký quyết định chấm dứt (Mẫu 16)", None, "mau16", for_leader=True))
    elif s == "dang_cham_soc" and p.end_requests:
        out.append(CareStep("Dự thảo quyết định chấm dứt (Mẫu 16) theo đơn của người nhận (Mẫu 15)", None, "mau16"))
    out.sort(key=lambda c: (c.due is None, c.due or at))
    return out


def care_tasks(session: Session, cal: WorkCalendar, at: datetime) -> list[tuple[tuple, Any]]:
    """The to-do items of alternative care, as (urgency key, Task) for models.services.tasks: each open
    placement's next steps with their dates (a follow-up from two weeks before it falls due)."""
    from .tasks import Task
    from ..clock import time_left

    out = []
    for p in session.scalars(select(Placement)):
        if stage(p) == "da_cham_dut":
            continue
        for step in next_steps(p, cal, at):
            if step.due is not None and step.kind == "mau13" and step.due - at > _HORIZON:
                continue  # a follow-up months away is not yet a to-do
            seconds = (step.due - at).total_seconds() if step.due is not None else None
            key = (2, 0.0) if seconds is None else ((0, seconds) if seconds < 0 else (1, seconds))
            out.append((key, Task(case_id=0, case_code=f"CSTT-{p.id}", child_name=p.child.full_name,
                                  stage=STAGES[stage(p)], step=step.title, rule=step.rule, deadline=step.due,
                                  status=time_left(step.due, at) if step.due else "", late=step.late,
                                  form="cstt", ref=p.id, for_leader=step.for_leader)))
    return out



# --- the list of the "Chăm sóc thay thế" tab ----------------------------------------------------------------
@dataclass(frozen=True)
class NeedRow:
    care_need_id: int
    child_id: int
    child_name: str
    source: str  # in words
    assessed_on: date
    missing: tuple[str, ...]  # papers of the child's file still missing today
    meetings: int
    next_step: str


@dataclass(frozen=True)
class PlacementRow:
    placement_id: int
    care_need_id: int | None
    child_id: int
    child_name: str
    receiver: str  # the carer, or the facility
    form: str  # in words
    stage: str  # code (STAGES)
    next_step: str
    due: datetime | None
    late: bool
    decided: bool


def care_overview(session: Session, cal: WorkCalendar, at: datetime | None = None
                  ) -> tuple[list[NeedRow], list[PlacementRow]]:
    """The children waiting for a placement (an open Mẫu 10 with no placement under way) and every placement with
    its next step and date, the late and soonest first, the ended ones last."""
    at = at or now()
    today = at.astimezone(VN).date()
    sources = needs.source_words()
    all_placements = list(session.scalars(select(Placement)))
    busy = {p.care_need_id for p in all_placements if stage(p) != "da_cham_dut"}
    need_rows = []
    for need in session.scalars(select(CareNeed).where(CareNeed.closed_at.is_(None)).order_by(CareNeed.assessed_on)):
        if need.id in busy:
            continue
        lacking = tuple(i.text.split(",")[0] for i in needs.missing(need, today))
        met = {}
        for m in need.meetings:
            met[m.carer_id] = met.get(m.carer_id, 0) + 1
        most = max(met.values(), default=0)
        step = ("Bổ sung hồ sơ của trẻ em" if lacking else
                "Tổ chức gặp giữa trẻ em và người nhận (ít nhất 02 lần)" if most < needs.MIN_MEETINGS else
                "Chọn người nhận, dự thảo quyết định (Mẫu 12)")
        need_rows.append(NeedRow(need.id, need.child_id, need.child.full_name, sources.get(need.source, need.source),
                                 need.assessed_on, lacking, sum(met.values()), step))
    rows = []
    words = form_words()
    for p in all_placements:
        s = stage(p)
        steps = next_steps(p, cal, at) if s != "da_cham_dut" else []
        first = steps[0] if steps else None
        rows.append(PlacementRow(p.id, p.care_need_id, p.child_id, p.child.full_name,
                                 p.carer.full_name if p.carer else p.facility_name, words.get(p.form, p.form), s,
                                 first.title if first else STAGES[s], first.due if first else None,
                                 bool(first and first.late), p.decided_at is not None))
    far = datetime.max.replace(tzinfo=VN)
    rows.sort(key=lambda r: (r.stage == "da_cham_dut", not r.late, r.due or far, r.child_name))
    return need_rows, rows


def child_care_lines(session: Session, child_id: int) -> list[str]:
    """What the register's child file says about the child's alternative care: each placement (receiver, form,
    decision number, hand-over, stage) and an open Mẫu 10 waiting for a placement."""
    office = session.scalar(select(Office).limit(1))
    words = form_words()
    lines = []
    for p in session.scalars(select(Placement).where(Placement.child_id == child_id).order_by(Placement.id)):
        who = p.carer.full_name if p.carer else p.facility_name
        number = numbering.document_number(p.doc_number, "QĐ", office) if p.doc_number else "chưa ký"
        line = f"{STAGES[stage(p)]}: {who} ({words.get(p.form, p.form).lower()}), Mẫu 12 số {number}"
        if p.handed_over_on:
            line += f", giao trẻ em ngày {fmt_date(p.handed_over_on)}"
        d = p.end_decision
        if d is not None and d.decided_at is not None and d.ended_on:
            line += f", chấm dứt ngày {fmt_date(d.ended_on)}"
        lines.append(line)
    busy = {p.care_need_id for p in session.scalars(select(Placement).where(Placement.child_id == child_id))
            if stage(p) != "da_cham_dut"}
    for need in session.scalars(select(CareNeed).where(CareNeed.child_id == child_id, CareNeed.closed_at.is_(None))):
        if need.id not in busy:
            lines.append(f"Cần chăm sóc thay thế: đánh giá Mẫu 10 ngày {fmt_date(need.assessed_on)}, đang tìm người nhận")
    return lines
