"""Mẫu 06 (review at the plan's end), closing and reopening a case (with their history)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import select

from .. import validation as v
from ..clock import fmt_date, now
from ..db import Database
from ..process_entities import CaseReview, CaseStatusEvent, RiskAssessment, SupportPlan
from ..security import audit
from ..security.roles import Actor
from .. import process_rules as rules
from .assessment import parse_ratings
from .plan import running_version
from .process_common import Checker, ProcessError, check_day, get_case


def record_review(db: Database, actor: Actor, plan_id: int, raw: Mapping[str, Any], *,
                  at: datetime | None = None) -> int:
    """Record the Mẫu 06 of an approved plan. raw: reviewer, reviewed_on, ratings {"harm": {3 items},
    "self_protection": {5 items}}, activities_result, family_change, community_change, outcome
    ("ket_thuc" closes the case with `outcome_reason`; "ke_hoach_moi" sends it back to Mẫu 03),
    outcome_reason (required). Totals and the conclusion are computed (process_rules.risk_conclusion
    with form "06")."""
    actor.require("case.edit")
    at = at or now()
    with db.transaction() as session:
        plan = session.get(SupportPlan, plan_id)
        if plan is None:
            raise ProcessError("Không tìm thấy kế hoạch.")
        case = get_case(session, plan.case_id)
        version = running_version(plan)
        if version is None:
            raise ProcessError("Kế hoạch chưa được phê duyệt: chưa rà soát, đánh giá được.")
        if session.scalar(select(CaseReview.id).where(CaseReview.plan_id == plan_id)):
            raise ProcessError("Kế hoạch này đã được rà soát, đánh giá (Mẫu số 06).")
        check = Checker()
        g = raw.get
        reviewer = check("reviewer", v.person_name, g("reviewer"), required=True, what="Họ tên cán bộ thực hiện")
        reviewed_on = check("reviewed_on", v.parse_date, g("reviewed_on"), required=True, what="Ngày thực hiện")
        check_day(check, "reviewed_on", reviewed_on, case, "Ngày thực hiện", at=at)
        if reviewed_on and reviewed_on < version.approval.approved_at.date():
            check.fail("reviewed_on", f"Ngày rà soát không thể trước ngày phê duyệt kế hoạch "
                                      f"({fmt_date(version.approval.approved_at)}).")
        ratings = parse_ratings(check, g("ratings"), "06")
        outcome = str(g("outcome") or "")
        if outcome not in rules.REVIEW_OUTCOMES:
            check.fail("outcome", "Chọn đề xuất: kết thúc kế hoạch, hoặc xây dựng kế hoạch mới.")
        reason = check("outcome_reason", v.text, g("outcome_reason"), required=True, what="Lý do đề xuất") or ""
        values = dict(
            reviewer=reviewer, reviewed_on=reviewed_on, ratings=ratings, outcome=outcome, outcome_reason=reason,
            activities_result=check("activities_result", v.text, g("activities_result"), what="Mức độ hoàn thành") or "",
            family_change=check("family_change", v.text, g("family_change"), what="Sự thay đổi của gia đình") or "",
            community_change=check("community_change", v.text, g("community_change"), what="Sự thay đổi trong cộng đồng") or "",
        )
        check.raise_if_any()
        review = CaseReview(case_id=case.id, plan_id=plan_id, created_by=actor.username, created_at=at, **values)
        session.add(review)
        session.flush()
        conclusion = rules.risk_conclusion(ratings, "06")
        audit.record(session, actor, "create", "mau06", case.code,
                     detail=f"Mẫu 06 kế hoạch {plan.plan_no}: {rules.process_form('06')['part5']['outcomes'][outcome]}; "
                            f"tổn hại Cao {conclusion.harm_counts['cao']}, tự bảo vệ Cao {conclusion.self_counts['cao']}")
        if outcome == "ket_thuc":
            _close(session, actor, case, reason, at, review_id=review.id)
        return review.id


def delete_review(db: Database, actor: Actor, review_id: int) -> None:
    """Delete a Mẫu 06 entered by mistake: refused when the case was closed by it (reopen first) or when a
    new Mẫu 03 was made after it."""
    actor.require("case.edit")
    with db.transaction() as session:
        review = session.get(CaseReview, review_id)
        if review is None:
            raise ProcessError("Không tìm thấy Mẫu số 06.")
        case = get_case(session, review.case_id)
        if session.scalar(select(RiskAssessment.id).where(RiskAssessment.case_id == case.id,
                                                          RiskAssessment.created_at > review.created_at).limit(1)):
            raise ProcessError("Không xoá được Mẫu số 06: đã có Mẫu số 03 mới lập sau lần rà soát này.")
        session.execute(CaseStatusEvent.__table__.update()
                        .where(CaseStatusEvent.review_id == review_id).values(review_id=None))
        session.delete(review)
        audit.record(session, actor, "delete", "mau06", case.code, detail=f"Mẫu 06 #{review_id}")


def _close(session, actor: Actor, case, reason: str, at: datetime, review_id: int | None = None) -> None:
    old = case.closed_reason
    case.closed_at, case.closed_reason = at, reason
    session.add(CaseStatusEvent(case_id=case.id, kind="dong", at=at, reason=reason, review_id=review_id,
                                created_by=actor.username))
    session.flush()
    audit.record(session, actor, "close", "case", case.code, detail="Đóng hồ sơ",
                 changes=[("closed_at", None, at), ("closed_reason", old, reason)])


def close_case(db: Database, actor: Actor, case_id: int, reason: str, *, at: datetime | None = None) -> None:
    """Close a case with its reason (e.g. the information proved unfounded, the family moved away)."""
    actor.require("case.edit")
    with db.transaction() as session:
        case = get_case(session, case_id)
        reason = v.text(reason)
        if not reason:
            raise ProcessError({"reason": "Ghi lý do đóng hồ sơ."})
        _close(session, actor, case, reason, at or now())


def reopen_case(db: Database, actor: Actor, case_id: int, reason: str, *, at: datetime | None = None) -> None:
    """Reopen a closed case with the reason; the case goes back to the specific assessment (Mẫu 03).
    The closing stays in the history (case_status_event)."""
    actor.require("case.edit")
    at = at or now()
    with db.transaction() as session:
        case = get_case(session, case_id, must_be_open=False)
        if case.closed_at is None:
            raise ProcessError("Hồ sơ đang mở.")
        reason = v.text(reason)
        if not reason:
            raise ProcessError({"reason": "Ghi lý do mở lại hồ sơ."})
        if at < case.closed_at:
            raise ProcessError({"at": "Thời điểm mở lại không thể trước khi hồ sơ được đóng."})
        old_at, old_reason = case.closed_at, case.closed_reason
        case.closed_at, case.closed_reason = None, ""
        session.add(CaseStatusEvent(case_id=case.id, kind="mo_lai", at=at, reason=reason, created_by=actor.username))
        session.flush()
        audit.record(session, actor, "reopen", "case", case.code, detail=f"Mở lại hồ sơ: {reason}",
                     changes=[("closed_at", old_at, None), ("closed_reason", old_reason, "")])
