"""Mẫu 02 (initial assessment), emergency measures and Mẫu 03 (specific risk assessment): one function
per user action, each one transaction with its audit entries."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import select

from .. import validation as v
from ..clock import fmt_date, now
from ..db import Database
from ..process_entities import (
    CaseMeeting, EmergencyMeasure, InitialAssessment, RiskAssessment, SupportPlan,
)
from ..security import audit
from ..security.roles import Actor
from .. import process_rules as rules
from .process_common import Checker, ProcessError, apply_values, check_day, check_moment, get_case, truthy, yes_no


# ----- Mẫu 02 -------------------------------------------------------------------------------------------

def save_initial_assessment(db: Database, actor: Actor, case_id: int, raw: Mapping[str, Any], *,
                            complete: bool = True, at: datetime | None = None) -> int:
    """Record (or correct) the case's Mẫu 02. With `complete`, the conclusion is confirmed and the
    assessment ends (its moment starts the 5-working-day plan limit).

    raw: assessor, assessed_at, threat_life, threat_health, threat_dignity, caregiver_is_abuser,
    abuser_can_reach (each True / False, "yes" / "no", "có" / "không"; None or "" = not answered),
    threat_description, abuser_access_description, safety_measures, needs_emergency (optional: default =
    the Điều 31.1 rule), override_reason (required when the confirmed conclusion differs from the rule).
    A complete assessment needs every question answered (an unanswered one is refused, never taken as
    "Không"); without `complete` unanswered questions are stored as None. Returns the Mẫu 02 id."""
    actor.require("case.edit")
    at = at or now()
    with db.transaction() as session:
        case = get_case(session, case_id)
        check = Checker()
        g = raw.get
        assessor = check("assessor", v.person_name, g("assessor"), required=True, what="Họ tên người đánh giá")
        assessed_at = check("assessed_at", v.parse_datetime, g("assessed_at"), required=True, what="Thời gian đánh giá")
        check_moment(check, "assessed_at", assessed_at, case, "Thời gian đánh giá", at)
        questions = [q["id"] for q in rules.process_form("02")["questions"] if q.get("kind") != "text"]
        flags = {k: yes_no(g(k)) for k in questions}
        if complete:
            for key in questions:
                if flags[key] is None:
                    check.fail(key, "Câu hỏi này chưa được trả lời: chọn Có hoặc Không.")
        texts = {k: check(k, v.text, g(k), what=w) or "" for k, w in (
            ("threat_description", "Mô tả tình trạng tổn hại"),
            ("abuser_access_description", "Mô tả khả năng tiếp cận"),
            ("safety_measures", "Các biện pháp bảo đảm an toàn"),
            ("override_reason", "Lý do kết luận"),
        )}
        if (flags["threat_life"] or flags["threat_health"] or flags["threat_dignity"]) and not texts["threat_description"]:
            check.fail("threat_description", "Mô tả mối đe dọa hoặc tổn hại mà trẻ em đang gặp.")
        by_rule = rules.needs_emergency_by_rule(**{k: flags[k] for k in (
            "threat_life", "threat_health", "threat_dignity", "caregiver_is_abuser")})
        chosen = yes_no(g("needs_emergency"))
        confirmed = by_rule if chosen is None else chosen
        if complete and confirmed is not None and by_rule is not None and confirmed != by_rule \
                and not texts["override_reason"]:
            check.fail("override_reason",
                       "Kết luận khác với gợi ý theo các câu trả lời (Nghị định 56, khoản 1 Điều 31): ghi rõ lý do.")
        check.raise_if_any()

        ia = case.initial_assessment
        if ia is not None and ia.completed_at is not None and _has_later_forms(session, case_id):
            raise ProcessError("Đã có Mẫu số 03 hoặc quyết định cách ly dựa trên đánh giá ban đầu này; "
                               "không sửa được Mẫu số 02.")
        values = dict(assessor=assessor, assessed_at=assessed_at, **flags, **texts,
                      needs_emergency_by_rule=by_rule, needs_emergency=confirmed)
        if ia is None:
            ia = InitialAssessment(case_id=case_id, created_by=actor.username, **values)
            session.add(ia)
            changes = None
            action = "create"
        else:
            changes = apply_values(ia, values, loaded_version=g("row_version"),
                                   conflict=(session, "mau02", case.code, "Mẫu số 02"))
            action = "update"
        if complete and ia.completed_at is None:
            ia.completed_at = max(at, assessed_at)
        session.flush()
        detail = "Mẫu 02" + {True: ", kết luận: cần can thiệp khẩn cấp", False: ", kết luận: chưa cần can thiệp khẩn cấp",
                             None: ", chưa có kết luận (còn câu hỏi chưa trả lời)"}[confirmed]
        if complete:
            detail += " (hoàn thành)"
        audit.record(session, actor, action, "mau02", case.code, detail=detail, changes=changes)
        return ia.id


def _has_later_forms(session, case_id: int) -> bool:
    from ..process_entities import Separation
    return bool(
        session.scalar(select(RiskAssessment.id).where(RiskAssessment.case_id == case_id).limit(1))
        or session.scalar(select(Separation.id).where(Separation.case_id == case_id,
                                                      Separation.decided_at.is_not(None)).limit(1))
    )


def delete_initial_assessment(db: Database, actor: Actor, case_id: int) -> None:
    """Delete a Mẫu 02 entered by mistake; refused once later forms depend on it."""
    actor.require("case.edit")
    with db.transaction() as session:
        case = get_case(session, case_id)
        ia = case.initial_assessment
        if ia is None:
            raise ProcessError("Hồ sơ chưa có Mẫu số 02.")
        if _has_later_forms(session, case_id):
            raise ProcessError("Không xoá được Mẫu số 02: đã có Mẫu số 03 hoặc quyết định cách ly dựa trên nó. "
                               "Xoá các văn bản sau trước.")
        session.delete(ia)
        audit.record(session, actor, "delete", "mau02", case.code, detail=f"Mẫu 02 #{ia.id}")


def record_emergency_measure(db: Database, actor: Actor, case_id: int, raw: Mapping[str, Any], *,
                             at: datetime | None = None) -> int:
    """An emergency measure taken (other than a separation): kind (mau02.json emergency_measures.kinds),
    description, taken_at, decided_by, carried_out_by."""
    actor.require("case.edit")
    with db.transaction() as session:
        case = get_case(session, case_id)
        check = Checker()
        g = raw.get
        kinds = rules.process_form("02")["emergency_measures"]["kinds"]
        kind = str(g("kind") or "")
        if kind not in kinds:
            check.fail("kind", "Chọn loại biện pháp khẩn cấp.")
        description = check("description", v.text, g("description"), required=True, what="Nội dung biện pháp")
        taken_at = check("taken_at", v.parse_datetime, g("taken_at"), required=True, what="Thời điểm áp dụng")
        check_moment(check, "taken_at", taken_at, case, "Thời điểm áp dụng", at)
        decided_by = check("decided_by", v.person_name, g("decided_by"), what="Người quyết định") or ""
        carried = check("carried_out_by", v.text, g("carried_out_by"), max_len=v.NAME_MAX * 2, what="Người thực hiện") or ""
        check.raise_if_any()
        m = EmergencyMeasure(case_id=case_id, kind=kind, description=description, taken_at=taken_at,
                             decided_by=decided_by, carried_out_by=carried, created_by=actor.username)
        session.add(m)
        session.flush()
        audit.record(session, actor, "create", "bien_phap", case.code, detail=f"Biện pháp khẩn cấp: {kinds[kind]}")
        return m.id


# ----- Mẫu 03 -------------------------------------------------------------------------------------------

def parse_ratings(check: Checker, raw: Mapping[str, Any] | None, form: str) -> dict[str, dict[str, str]]:
    """Every item of both rating tables must be rated Cao / Trung bình / Thấp."""
    raw = raw or {}
    out: dict[str, dict[str, str]] = {}
    for table in rules.rating_tables(form):
        given = raw.get(table["id"]) or {}
        out[table["id"]] = {}
        for item in table["items"]:
            level = given.get(item["id"])
            if level not in rules.LEVELS:
                check.fail(f"ratings.{table['id']}.{item['id']}",
                           f"Chọn mức độ (Cao, Trung bình, Thấp) cho: {item['number']}. {item['text']}.")
            else:
                out[table["id"]][item["id"]] = level
    return out


def _parse_answers(check: Checker, raw: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    raw = raw or {}
    answers: dict[str, dict[str, str]] = {}
    for q in rules.process_form("03")["part1"]["questions"]:
        given = raw.get(q["id"]) or {}
        if isinstance(given, str):  # a one-answer question may be given as plain text
            given = {q["answers"][0]["id"]: given}
        answers[q["id"]] = {
            a["id"]: check(f"answers.{q['id']}.{a['id']}", v.text, given.get(a["id"]), what="Câu trả lời") or ""
            for a in q["answers"]
        }
    if not any(text for a in answers.values() for text in a.values()):
        check.fail("answers", "Phần 1 (thu thập thông tin) chưa có câu trả lời nào.")
    return answers


def save_risk_assessment(db: Database, actor: Actor, case_id: int, raw: Mapping[str, Any], *,
                         assessment_id: int | None = None, at: datetime | None = None) -> int:
    """Save a Mẫu 03 (new, or correct `assessment_id` while no meeting or plan uses it).

    raw: assessor, assessed_on, answers {question id: {answer id: text}}, ratings {"harm": {item: level},
    "self_protection": {item: level}}, problems [text, … in priority order], child_opinion,
    parents_opinion | parents_opinion_skipped + parents_skip_reason, service_needs [ids], service_needs_note.
    Totals and the conclusion are computed (process_rules.risk_conclusion), never taken from the input."""
    actor.require("case.edit")
    with db.transaction() as session:
        case = get_case(session, case_id)
        ia = case.initial_assessment
        if ia is None or ia.completed_at is None:
            raise ProcessError("Chưa hoàn thành đánh giá nguy cơ ban đầu (Mẫu số 02): làm Mẫu số 02 trước.")
        check = Checker()
        g = raw.get
        assessor = check("assessor", v.person_name, g("assessor"), required=True, what="Họ tên người đánh giá")
        assessed_on = check("assessed_on", v.parse_date, g("assessed_on"), required=True, what="Ngày thực hiện")
        check_day(check, "assessed_on", assessed_on, case, "Ngày thực hiện", at=at)
        if assessed_on and assessed_on < ia.assessed_at.date():
            check.fail("assessed_on", f"Ngày thực hiện Mẫu số 03 không thể trước ngày đánh giá ban đầu "
                                      f"({fmt_date(ia.assessed_at)}).")
        answers = _parse_answers(check, g("answers"))
        ratings = parse_ratings(check, g("ratings"), "03")
        problems = [p for p in (check("problems", v.text, p, max_len=v.SHORT_MAX * 3, what="Vấn đề của trẻ em")
                                for p in (g("problems") or [])) if p]
        if not problems:
            check.fail("problems", "Ghi ít nhất một vấn đề của trẻ em (theo thứ tự ưu tiên).")
        child_opinion = check("child_opinion", v.text, g("child_opinion"), what="Ý kiến của trẻ em") or ""
        skipped = truthy(g("parents_opinion_skipped"))
        parents_opinion = check("parents_opinion", v.text, g("parents_opinion"), what="Ý kiến của cha mẹ") or ""
        skip_reason = check("parents_skip_reason", v.text, g("parents_skip_reason"), what="Lý do") or ""
        if skipped and not skip_reason:
            skip_reason = rules.process_form("03")["part6"]["skip_note"]
        if skipped and parents_opinion:
            check.fail("parents_opinion", "Đã chọn không lấy ý kiến cha, mẹ: xoá ý kiến hoặc bỏ chọn.")
        if not skipped and not parents_opinion:
            check.fail("parents_opinion", "Ghi ý kiến của cha, mẹ, người chăm sóc, hoặc chọn không lấy ý kiến "
                                          "(khi họ là người gây tổn hại) và ghi lý do.")
        needs_spec = rules.process_form("03")["part7"]["needs"]
        needs = list(dict.fromkeys(str(n) for n in (g("service_needs") or [])))
        if any(n not in needs_spec for n in needs):
            check.fail("service_needs", "Nhu cầu dịch vụ không có trong danh mục của Mẫu số 03.")
        needs_note = check("service_needs_note", v.text, g("service_needs_note"), what="Nhu cầu dịch vụ") or ""
        check.raise_if_any()

        values = dict(assessor=assessor, assessed_on=assessed_on, answers=answers, ratings=ratings,
                      problems=problems, child_opinion=child_opinion, parents_opinion=parents_opinion,
                      parents_opinion_skipped=skipped, parents_skip_reason=skip_reason if skipped else "",
                      service_needs=needs, service_needs_note=needs_note)
        conclusion = rules.risk_conclusion(ratings)
        if assessment_id is None:
            ra = RiskAssessment(case_id=case_id, created_by=actor.username, created_at=at or now(), **values)
            session.add(ra)
            session.flush()
            action, changes = "create", None
        else:
            ra = session.get(RiskAssessment, assessment_id)
            if ra is None or ra.case_id != case_id:
                raise ProcessError("Không tìm thấy Mẫu số 03 cần sửa.")
            _refuse_if_used(session, ra, "sửa")
            changes = apply_values(ra, values, loaded_version=raw.get("row_version"),
                                   conflict=(session, "mau03", case.code, "Mẫu số 03"))
            action = "update"
        audit.record(session, actor, action, "mau03", case.code, changes=changes,
                     detail=f"Mẫu 03 #{ra.id}: tổn hại Cao {conclusion.harm_counts['cao']}, tự bảo vệ Cao "
                            f"{conclusion.self_counts['cao']} → nguy cơ {'cao' if conclusion.level == rules.HIGH else 'thấp'}")
        return ra.id


def built_on(ra_id: int, plan_bases, meeting_bases) -> str:
    """What is built on a Mẫu 03 ("plan", "meeting"), which then can no longer change; "" when nothing is.
    `plan_bases` / `meeting_bases`: the risk_assessment_id of the case's plans / meetings. The one rule the
    screen (to say so before anyone types) and the service (to refuse) both use."""
    if ra_id in set(plan_bases):
        return "plan"
    if ra_id in set(meeting_bases):
        return "meeting"
    return ""


def _refuse_if_used(session, ra: RiskAssessment, verb: str) -> None:
    plans = session.scalars(select(SupportPlan.risk_assessment_id).where(SupportPlan.risk_assessment_id == ra.id))
    meetings = session.scalars(select(CaseMeeting.risk_assessment_id).where(CaseMeeting.risk_assessment_id == ra.id))
    used = built_on(ra.id, plans, meetings)
    if used == "plan":
        raise ProcessError(f"Không {verb} được Mẫu số 03 này: đã có kế hoạch hỗ trợ, can thiệp xây dựng trên nó.")
    if used == "meeting":
        raise ProcessError(f"Không {verb} được Mẫu số 03 này: đã có biên bản họp dựa trên nó. Xoá biên bản họp trước.")


def delete_risk_assessment(db: Database, actor: Actor, assessment_id: int) -> None:
    actor.require("case.edit")
    with db.transaction() as session:
        ra = session.get(RiskAssessment, assessment_id)
        if ra is None:
            raise ProcessError("Không tìm thấy Mẫu số 03.")
        case = get_case(session, ra.case_id)
        _refuse_if_used(session, ra, "xoá")
        session.delete(ra)
        audit.record(session, actor, "delete", "mau03", case.code, detail=f"Mẫu 03 #{assessment_id}")
