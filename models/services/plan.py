"""Mẫu 04 (plan) and Mẫu 05 (approval): drafting, submitting, approving, adjusting, carrying out.

A plan's content lives in versions. A version is freely edited until approved; once approved it is frozen
and any change becomes a new version (copying the old one, with the reason), so every approved version
stays readable and printable. Activity status and progress notes hang on the activity's `key`, which the
copies keep, so they follow an activity through adjustments.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy import func, select

from .. import validation as v
from ..clock import fmt_date, fmt_datetime, now
from ..db import Database
from .. import numbering
from ..numbering import next_number
from ..process_entities import (
    ActivityProgress, CaseReview, PlanActivity, PlanApproval, PlanObjective, PlanVersion, RiskAssessment,
    SupportPlan,
)
from ..security import audit
from ..security.roles import Actor
from .. import process_rules as rules
from .process_common import Checker, ProcessError, check_day, check_moment, get_case, money


# ----- reading ------------------------------------------------------------------------------------------

def running_version(plan: SupportPlan) -> PlanVersion | None:
    """The latest approved version: what is being carried out."""
    approved = [ver for ver in plan.versions if ver.approval is not None]
    return approved[-1] if approved else None


def latest_version(plan: SupportPlan) -> PlanVersion:
    return plan.versions[-1]


def activity_statuses(plan: SupportPlan) -> dict[int, str]:
    """Each activity's current status by key (its latest progress note's; none: "chua_bat_dau")."""
    out: dict[int, str] = {}
    for p in plan.progress:  # ordered by (noted_on, id)
        out[p.activity_key] = p.status
    return out


def overdue_activities(plan: SupportPlan, on: date) -> list[PlanActivity]:
    """Activities of the running version past their expected end and not finished or cancelled."""
    version = running_version(plan)
    if version is None:
        return []
    status = activity_statuses(plan)
    return [a for a in version.activities
            if a.end_on < on and status.get(a.key, "chua_bat_dau") not in rules.DONE_STATUSES]


def plan_number(approval: PlanApproval, abbrev: str = "UBND") -> str:
    return numbering.document_number(approval.plan_doc_number, "KH", abbrev)


def decision_number(approval: PlanApproval, abbrev: str = "UBND") -> str:
    return numbering.document_number(approval.doc_number, "QĐ", abbrev)


# ----- parsing ------------------------------------------------------------------------------------------

def _parse_content(check: Checker, raw: Mapping[str, Any], case, at) -> dict[str, Any]:
    """raw: drafted_by, drafted_on, objectives [{"printed_id": id} | {"text": free}],
    activities [{key?, kind, name, responsible, coordinating, start_on, end_on, provider, cost}]."""
    g = raw.get
    printed = {o["id"] for o in rules.printed_objectives()}
    kinds = rules.activity_kinds()
    drafted_by = check("drafted_by", v.person_name, g("drafted_by"), required=True, what="Người xây dựng kế hoạch")
    drafted_on = check("drafted_on", v.parse_date, g("drafted_on"), required=True, what="Ngày xây dựng kế hoạch")
    check_day(check, "drafted_on", drafted_on, case, "Ngày xây dựng kế hoạch", at=at)
    objectives: list[dict[str, str]] = []
    for i, obj in enumerate(g("objectives") or []):
        pid = str(obj.get("printed_id") or "")
        text = check(f"objectives.{i}", v.text, obj.get("text"), max_len=v.SHORT_MAX * 3, what="Mục tiêu") or ""
        if pid and pid not in printed:
            check.fail(f"objectives.{i}", "Mục tiêu in sẵn không có trong Mẫu số 04.")
        elif not pid and not text:
            continue
        objectives.append({"printed_id": pid, "text": "" if pid else text})
    activities: list[dict[str, Any]] = []
    for i, act in enumerate(g("activities") or []):
        k = f"activities.{i}"
        kind = str(act.get("kind") or "")
        if kind not in kinds:
            check.fail(f"{k}.kind", f"Hoạt động {i + 1}: chọn loại hoạt động (mục 2 của Mẫu số 04).")
        name = check(f"{k}.name", v.text, act.get("name"), required=True, max_len=v.SHORT_MAX * 2,
                     what=f"Hoạt động {i + 1}: tên hoạt động")
        start = check(f"{k}.start_on", v.parse_date, act.get("start_on"), required=True,
                      what=f"Hoạt động {i + 1}: ngày bắt đầu")
        end = check(f"{k}.end_on", v.parse_date, act.get("end_on"), required=True,
                    what=f"Hoạt động {i + 1}: ngày dự kiến kết thúc")
        check_day(check, f"{k}.start_on", start, case, f"Hoạt động {i + 1}: ngày bắt đầu", future_ok=True)
        if start and end and end < start:
            check.fail(f"{k}.end_on", f"Hoạt động {i + 1}: ngày kết thúc ({fmt_date(end)}) không thể trước ngày "
                                      f"bắt đầu ({fmt_date(start)}).")
        activities.append(dict(
            key=act.get("key"), kind=kind, name=name or "", start_on=start, end_on=end,
            responsible=check(f"{k}.responsible", v.text, act.get("responsible"), required=True, max_len=200,
                              what=f"Hoạt động {i + 1}: cán bộ thực hiện") or "",
            coordinating=check(f"{k}.coordinating", v.text, act.get("coordinating"), max_len=200,
                               what=f"Hoạt động {i + 1}: cán bộ phối hợp") or "",
            provider=check(f"{k}.provider", v.text, act.get("provider"), max_len=200,
                           what=f"Hoạt động {i + 1}: cơ sở cung cấp dịch vụ") or "",
            cost=check(f"{k}.cost", money, act.get("cost"), what=f"Hoạt động {i + 1}: kinh phí") or 0,
        ))
    if not objectives and not activities:
        # An empty form saved by one click is not a plan, not even a draft of one.
        check.fail("objectives", "Kế hoạch chưa có nội dung: chọn mục tiêu (mục 1) hoặc thêm hoạt động (mục 3) "
                                 "trước khi lưu.")
        check.fail("activities", "Chưa có hoạt động nào: bấm «Thêm hoạt động» và điền hoạt động.")
    return dict(drafted_by=drafted_by, drafted_on=drafted_on, objectives=objectives, activities=activities)


def _fill_version(session, version: PlanVersion, content: dict[str, Any]) -> None:
    version.drafted_by = content["drafted_by"]
    version.drafted_on = content["drafted_on"]
    version.objectives = [PlanObjective(position=i + 1, **o) for i, o in enumerate(content["objectives"])]
    plan_id = version.plan_id or version.plan.id
    next_key = (session.scalar(
        select(func.max(PlanActivity.key)).join(PlanVersion).where(PlanVersion.plan_id == plan_id)) or 0) + 1
    used: set[int] = set()
    rows = []
    for i, act in enumerate(content["activities"]):
        key = act["key"]
        if not isinstance(key, int) or key in used:
            key, next_key = next_key, next_key + 1
        used.add(key)
        rows.append(PlanActivity(position=i + 1, **{**act, "key": key}))
    version.activities = rows


def _summary(content: dict[str, Any]) -> str:
    total = sum(a["cost"] for a in content["activities"])
    return f"{len(content['objectives'])} mục tiêu, {len(content['activities'])} hoạt động, {rules.format_vnd(total)} đồng"


# ----- actions ------------------------------------------------------------------------------------------

def create_plan(db: Database, actor: Actor, case_id: int, raw: Mapping[str, Any], *, at: datetime | None = None) -> int:
    """Start the plan of the current round (built on the case's latest Mẫu 03). Returns version 1's id."""
    actor.require("case.edit")
    with db.transaction() as session:
        case = get_case(session, case_id)
        ra_id = session.scalar(select(func.max(RiskAssessment.id)).where(RiskAssessment.case_id == case_id))
        if ra_id is None:
            raise ProcessError("Chưa có Mẫu số 03 (đánh giá nguy cơ cụ thể): kế hoạch được xây dựng sau đánh giá.")
        if session.scalar(select(SupportPlan.id).where(SupportPlan.risk_assessment_id == ra_id)):
            raise ProcessError("Lần đánh giá này đã có kế hoạch; mở kế hoạch đó để sửa hoặc điều chỉnh.")
        check = Checker()
        content = _parse_content(check, raw, case, at)
        check.raise_if_any()
        plan_no = (session.scalar(select(func.max(SupportPlan.plan_no)).where(SupportPlan.case_id == case_id)) or 0) + 1
        plan = SupportPlan(case_id=case_id, plan_no=plan_no, risk_assessment_id=ra_id, created_by=actor.username)
        version = PlanVersion(version=1, drafted_on=content["drafted_on"])
        plan.versions.append(version)
        session.add(plan)
        session.flush()
        _fill_version(session, version, content)
        session.flush()
        audit.record(session, actor, "create", "mau04", case.code,
                     detail=f"Kế hoạch {plan_no}, phiên bản 1: {_summary(content)}")
        return version.id


def save_plan(db: Database, actor: Actor, version_id: int, raw: Mapping[str, Any], *, reason: str = "",
              at: datetime | None = None) -> int:
    """Save the plan's content. An unapproved version is edited in place (a submitted one goes back to
    draft). An approved version is frozen: the content becomes a new version with `reason` (required).
    Returns the id of the version written."""
    actor.require("case.edit")
    with db.transaction() as session:
        version = _version(session, version_id)
        plan = version.plan
        case = get_case(session, plan.case_id)
        check = Checker()
        content = _parse_content(check, raw, case, at)
        reason = check("reason", v.text, reason, what="Lý do điều chỉnh") or ""
        if version.approval is not None and not reason:
            check.fail("reason", "Kế hoạch đã được phê duyệt nên không sửa trực tiếp: việc sửa tạo phiên bản điều "
                                 "chỉnh mới. Ghi lý do điều chỉnh.")
        check.raise_if_any()
        _refuse_if_reviewed(session, plan)
        if version.approval is not None:
            if latest_version(plan).id != version.id:
                raise ProcessError(f"Đã có phiên bản {latest_version(plan).version} mới hơn; sửa phiên bản đó.")
            new = PlanVersion(version=version.version + 1, reason=reason, drafted_on=content["drafted_on"])
            plan.versions.append(new)
            session.flush()
            _fill_version(session, new, content)
            session.flush()
            audit.record(session, actor, "create", "mau04", case.code,
                         detail=f"Điều chỉnh kế hoạch {plan.plan_no}: phiên bản {new.version} ({reason}); {_summary(content)}")
            return new.id
        was_submitted = version.submitted_at is not None
        version.submitted_at, version.submitted_by = None, ""
        _fill_version(session, version, content)
        session.flush()
        audit.record(session, actor, "update", "mau04", case.code,
                     detail=f"Kế hoạch {plan.plan_no}, phiên bản {version.version}: {_summary(content)}"
                            + (" (rút lại để sửa sau khi đã trình)" if was_submitted else ""))
        return version.id


def adjust_plan(db: Database, actor: Actor, plan_id: int, reason: str, *, at: datetime | None = None) -> int:
    """Start an adjustment of an approved plan: a new draft version copying the running one."""
    actor.require("case.edit")
    with db.transaction() as session:
        plan = session.get(SupportPlan, plan_id)
        if plan is None:
            raise ProcessError("Không tìm thấy kế hoạch.")
        case = get_case(session, plan.case_id)
        reason = v.text(reason)
        if not reason:
            raise ProcessError({"reason": "Ghi lý do điều chỉnh kế hoạch."})
        _refuse_if_reviewed(session, plan)
        old = latest_version(plan)
        if old.approval is None:
            raise ProcessError(f"Phiên bản {old.version} chưa được phê duyệt: sửa trực tiếp phiên bản đó.")
        new = PlanVersion(version=old.version + 1, reason=reason, drafted_by=old.drafted_by,
                          drafted_on=(at or now()).date())
        new.objectives = [PlanObjective(position=o.position, printed_id=o.printed_id, text=o.text) for o in old.objectives]
        new.activities = [PlanActivity(key=a.key, position=a.position, kind=a.kind, name=a.name,
                                       responsible=a.responsible, coordinating=a.coordinating, start_on=a.start_on,
                                       end_on=a.end_on, provider=a.provider, cost=a.cost) for a in old.activities]
        plan.versions.append(new)
        session.flush()
        audit.record(session, actor, "create", "mau04", case.code,
                     detail=f"Điều chỉnh kế hoạch {plan.plan_no}: phiên bản {new.version} ({reason})")
        return new.id


def submit_plan(db: Database, actor: Actor, version_id: int, *, at: datetime | None = None) -> None:
    """The worker submits the plan (and the draft Mẫu 05) to the chairman: the 2-working-day limit starts."""
    actor.require("case.edit")
    at = at or now()
    with db.transaction() as session:
        version = _version(session, version_id)
        case = get_case(session, version.plan.case_id)
        _refuse_empty(version)
        if version.approval is not None:
            raise ProcessError("Kế hoạch này đã được phê duyệt.")
        if version.submitted_at is not None:
            raise ProcessError(f"Kế hoạch đã được trình lúc {fmt_datetime(version.submitted_at)}.")
        version.submitted_at, version.submitted_by = at, actor.username
        audit.record(session, actor, "update", "mau04", case.code,
                     detail=f"Trình phê duyệt kế hoạch {version.plan.plan_no}, phiên bản {version.version}")


def approve_plan(db: Database, actor: Actor, version_id: int, raw: Mapping[str, Any], *,
                 at: datetime | None = None) -> str:
    """The chairman approves a submitted version (Mẫu 05). Leader only. raw: approved_by, signing_capacity
    ("chu_tich" | "kt_pho_chu_tich"), approved_at (default now), effective_from / effective_to (default:
    the activities' first start and last end), recipients. Returns the decision number "07/QĐ-UBND"."""
    actor.require("approve")
    at = at or now()
    with db.transaction() as session:
        version = _version(session, version_id)
        plan = version.plan
        case = get_case(session, plan.case_id)
        _refuse_empty(version)
        if version.approval is not None:
            raise ProcessError("Phiên bản kế hoạch này đã được phê duyệt.")
        if version.submitted_at is None:
            raise ProcessError("Kế hoạch chưa được trình phê duyệt.")
        check = Checker()
        g = raw.get
        name = check("approved_by", v.person_name, g("approved_by"), required=True, what="Người ký quyết định")
        capacity = str(g("signing_capacity") or "chu_tich")
        if capacity not in rules.SIGNING_CAPACITIES:
            check.fail("signing_capacity", "Chọn thẩm quyền ký: Chủ tịch hoặc KT. Chủ tịch / Phó Chủ tịch.")
        approved_at = check("approved_at", v.parse_datetime, g("approved_at") or at, required=True, what="Thời điểm phê duyệt")
        check_moment(check, "approved_at", approved_at, case, "Thời điểm phê duyệt", at)
        if approved_at and approved_at < version.submitted_at:
            check.fail("approved_at", f"Thời điểm phê duyệt không thể trước khi kế hoạch được trình "
                                      f"({fmt_datetime(version.submitted_at)}).")
        start = check("effective_from", v.parse_date, g("effective_from"), what="Thực hiện từ ngày") \
            or min(a.start_on for a in version.activities)
        end = check("effective_to", v.parse_date, g("effective_to"), what="Đến ngày") \
            or max(a.end_on for a in version.activities)
        if start and end and end < start:
            check.fail("effective_to", "Ngày kết thúc kế hoạch không thể trước ngày bắt đầu.")
        check_day(check, "effective_from", start, case, "Ngày bắt đầu thực hiện", future_ok=True)
        recipients = check("recipients", v.text, g("recipients"), what="Nơi nhận") or ""
        check.raise_if_any()
        year = approved_at.year
        approval = PlanApproval(
            doc_year=year, doc_number=next_number(session, "QĐ", year),
            plan_doc_year=year, plan_doc_number=next_number(session, "KH", year),
            approved_by=name, signing_capacity=capacity, approved_at=approved_at, approved_by_user=actor.username,
            effective_from=start, effective_to=end, recipients=recipients,
        )
        version.approval = approval
        session.flush()
        number = decision_number(approval)
        audit.record(session, actor, "approve", "mau05", case.code,
                     detail=f"Phê duyệt kế hoạch {plan.plan_no}, phiên bản {version.version}: quyết định {number}, "
                            f"kế hoạch {plan_number(approval)}, từ {fmt_date(start)} đến {fmt_date(end)}")
        return number


def return_plan(db: Database, actor: Actor, version_id: int, comment: str, *, at: datetime | None = None) -> None:
    """The leader sends a submitted plan back to the worker for changes, with a comment (leader only).
    The version becomes a draft again (the worker corrects it and submits it anew); the comment shows in
    the worker's to-do list and on the plan screen, and the audit trail keeps it."""
    actor.require("approve")
    at = at or now()
    with db.transaction() as session:
        version = _version(session, version_id)
        plan = version.plan
        case = get_case(session, plan.case_id)
        if version.approval is not None:
            raise ProcessError("Kế hoạch này đã được phê duyệt; không trả lại được.")
        if version.submitted_at is None:
            raise ProcessError("Kế hoạch chưa được trình (hoặc đã được trả lại); không có gì để trả lại.")
        text = v.text(comment or "")
        if not text:
            raise ProcessError({"return_comment": "Ghi ý kiến: cần sửa những gì trong kế hoạch."})
        old_submitted = version.submitted_at
        version.submitted_at, version.submitted_by = None, ""
        version.returned_at, version.returned_by, version.return_comment = at, actor.full_name, text
        audit.record(session, actor, "return", "mau04", case.code,
                     detail=f"Trả lại kế hoạch {plan.plan_no}, phiên bản {version.version} để sửa: {text}",
                     changes=[("submitted_at", old_submitted, None), ("return_comment", "", text)])


def record_progress(db: Database, actor: Actor, plan_id: int, activity_key: int, raw: Mapping[str, Any], *,
                    at: datetime | None = None) -> int:
    """A dated progress note on an activity of the running plan, with its status from then on.
    raw: status (mau04.json activity_statuses), note, noted_on (default today), reason (required when the
    status moves backwards, e.g. Hoàn thành → Đang thực hiện: stored with the note and audited)."""
    actor.require("case.edit")
    at = at or now()
    with db.transaction() as session:
        plan = session.get(SupportPlan, plan_id)
        if plan is None:
            raise ProcessError("Không tìm thấy kế hoạch.")
        case = get_case(session, plan.case_id)
        version = running_version(plan)
        if version is None:
            raise ProcessError("Kế hoạch chưa được phê duyệt: chưa ghi tiến độ thực hiện được.")
        activity = next((a for a in version.activities if a.key == activity_key), None)
        if activity is None:
            raise ProcessError("Hoạt động này không có trong kế hoạch đang thực hiện.")
        check = Checker()
        g = raw.get
        status = str(g("status") or "")
        if status not in rules.ACTIVITY_STATUSES:
            check.fail("status", "Chọn trạng thái: chưa bắt đầu, đang thực hiện, hoàn thành, tạm dừng hoặc huỷ.")
        noted_on = check("noted_on", v.parse_date, g("noted_on") or at.date(), required=True, what="Ngày ghi")
        check_day(check, "noted_on", noted_on, case, "Ngày ghi", at=at)
        if noted_on and noted_on < version.approval.approved_at.date():
            check.fail("noted_on", f"Ngày ghi không thể trước ngày kế hoạch được phê duyệt "
                                   f"({fmt_date(version.approval.approved_at)}).")
        note = check("note", v.text, g("note"), what="Ghi chú tiến độ") or ""
        if status in ("tam_dung", "huy") and not note:
            check.fail("note", "Ghi lý do tạm dừng hoặc huỷ hoạt động.")
        old = activity_statuses(plan).get(activity_key, "chua_bat_dau")
        if status == old and not note and "status" not in check.errors:
            check.fail("note", f"Hoạt động vẫn ở trạng thái «{rules.activity_status_label(old)}»: chọn trạng thái mới "
                               "hoặc ghi chú tiến độ trước khi ghi.")
        backward = status in rules.ACTIVITY_STATUSES and rules.is_backward(old, status)
        reason = check("reason", v.text, g("reason"), what="Lý do") or ""
        if backward and not reason:
            check.fail("reason", f"Hoạt động đang ở trạng thái «{rules.activity_status_label(old)}»: muốn chuyển về "
                                 f"«{rules.activity_status_label(status)}», ghi rõ lý do.")
        check.raise_if_any()
        row = ActivityProgress(plan_id=plan_id, activity_key=activity_key, noted_on=noted_on, status=status,
                               note=note, reason=reason if backward else "", created_by=actor.username)
        session.add(row)
        session.flush()
        detail = f"Hoạt động: {activity.name}"
        if backward:
            detail += (f"; chuyển lùi từ «{rules.activity_status_label(old)}» về "
                       f"«{rules.activity_status_label(status)}», lý do: {reason}")
        audit.record(session, actor, "update", "hoat_dong", case.code, detail=detail,
                     changes=[("status", old, status)])
        return row.id


def delete_plan_version(db: Database, actor: Actor, version_id: int) -> None:
    """Delete an unapproved version (the whole plan if it was its only version). Approved versions stay."""
    actor.require("case.edit")
    with db.transaction() as session:
        version = _version(session, version_id)
        plan = version.plan
        case = get_case(session, plan.case_id)
        if version.approval is not None:
            raise ProcessError("Kế hoạch đã được phê duyệt không xoá được (mọi phiên bản được giữ lại).")
        if len(plan.versions) == 1:
            session.delete(plan)
            detail = f"Kế hoạch {plan.plan_no} (dự thảo)"
        else:
            plan.versions.remove(version)
            detail = f"Kế hoạch {plan.plan_no}, phiên bản {version.version} (dự thảo)"
        audit.record(session, actor, "delete", "mau04", case.code, detail=detail)


def _version(session, version_id: int) -> PlanVersion:
    version = session.get(PlanVersion, version_id)
    if version is None:
        raise ProcessError("Không tìm thấy kế hoạch.")
    return version


def _refuse_empty(version: PlanVersion) -> None:
    if not version.activities:
        raise ProcessError({"activities": "Kế hoạch chưa có hoạt động nào: thêm ít nhất một hoạt động trước khi trình "
                                          "hoặc phê duyệt."})
    if not version.objectives:
        raise ProcessError({"objectives": "Kế hoạch chưa có mục tiêu nào."})


refuse_empty = _refuse_empty  # the approval screen checks before showing what would be signed


def _refuse_if_reviewed(session, plan: SupportPlan) -> None:
    if session.scalar(select(CaseReview.id).where(CaseReview.plan_id == plan.id)):
        raise ProcessError("Kế hoạch đã được rà soát, đánh giá (Mẫu số 06); không điều chỉnh được nữa.")
