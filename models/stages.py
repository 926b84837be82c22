"""The stage of a case, derived from its records (never stored), and its next steps with legal time limits.

One set of facts decides the stage (`CaseFacts`, built from a loaded Case by `facts_of`, or in bulk by
models.services.tasks); `stage_from_facts` is the rule in Python and `stage_expression` the same rule in
SQL for filtering 20,000 cases in the database. A test keeps the two in agreement.

The rule (first match wins):
  closed_at set                                              → da_dong
  reopened after the latest Mẫu 03 (or with none)            → mo_lai
  a Mẫu 03 exists (the latest one leads the round):
      its plan was reviewed (Mẫu 06, new plan needed)        → da_ra_soat
      its plan has an approved version (Mẫu 05)              → dang_thuc_hien
      its plan has a submitted version                       → cho_phe_duyet
      it has a plan                                          → du_thao_ke_hoach
      a meeting was held on it                               → da_hop
      otherwise                                              → da_danh_gia
  Mẫu 02 completed:
      a decided separation still running (Mẫu 07)            → cach_ly
      emergency needed, no separation decided, no measure    → khan_cap
      otherwise                                              → danh_gia_ban_dau
  otherwise                                                  → tiep_nhan
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Connection, and_, bindparam, exists, func, literal, or_, select, text
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .calendar_days import WorkCalendar, end_of_day
from .clock import VN, fmt_date, fmt_datetime, now, time_left
from . import process_rules as rules
from .entities import Case, Child, Intake
from .incident_entities import IncidentReport
from .portable import index_hint
from .process_rules import DONE_STATUSES, separation_end, separation_reminder
from .process_entities import (
    ActivityProgress, CaseMeeting, CaseReview, CaseStatusEvent, EmergencyMeasure, InitialAssessment, PlanActivity,
    PlanApproval, PlanVersion, RiskAssessment, Separation, SupportPlan,
)

CHILD_NAME_INDEX = "ix_child_id_name"  # (id, full_name): the names of many children without their rows
NAMES_PER_QUERY = 10_000  # ids in one query (written into its text: `_inline`)

# In process order; the labels are what the list, the filter and `bvte cases` show.
STAGES: dict[str, str] = {
    "tiep_nhan": "Đã tiếp nhận, chờ đánh giá ban đầu (Mẫu 01)",
    "khan_cap": "Cần can thiệp khẩn cấp (Mẫu 02)",
    "danh_gia_ban_dau": "Đã đánh giá ban đầu (Mẫu 02)",
    "cach_ly": "Đang tạm thời cách ly (Mẫu 07)",
    "da_danh_gia": "Đã đánh giá nguy cơ cụ thể (Mẫu 03)",
    "da_hop": "Đã họp xác định nhu cầu",
    "du_thao_ke_hoach": "Đang xây dựng kế hoạch (Mẫu 04)",
    "cho_phe_duyet": "Chờ phê duyệt kế hoạch (Mẫu 05)",
    "dang_thuc_hien": "Đang thực hiện kế hoạch",
    "da_ra_soat": "Đã rà soát, cần kế hoạch mới (Mẫu 06)",
    "mo_lai": "Đã mở lại hồ sơ",
    "da_dong": "Đã đóng hồ sơ",
}

EMERGENCY_HOURS = 12  # NĐ 56 Điều 26.3, 31.2 and 32.2: emergency measures or separation within 12 clock hours
EMERGENCY_BASIS = "Nghị định 56/2017/NĐ-CP, khoản 3 Điều 26, khoản 2 Điều 31 và khoản 2 Điều 32"
PLAN_WORKING_DAYS = 5  # NĐ 56 Điều 28.1: 05 working days, from no stated moment: counted from the end of Mẫu 02 (strictest)
APPROVAL_WORKING_DAYS = 2  # NĐ 56 Điều 28.4: the chairman approves within 02 working days
INCIDENT_CATEGORY = "bi_xam_hai"  # Mẫu 01 "trẻ em bị xâm hại": reported upward by phone at once, in writing within 1 day


# ----- facts --------------------------------------------------------------------------------------------

@dataclass
class CaseFacts:
    """What the stage and the time limits depend on, for one case."""

    case_id: int
    received_at: datetime
    code: str = ""
    child_name: str = ""
    closed_at: datetime | None = None
    ia_completed_at: datetime | None = None
    needs_emergency: bool = False
    has_emergency_measure: bool = False
    separation_decided: bool = False  # any separation decided, whatever its outcome
    separation_pending: bool = False  # a separation drafted, not yet decided
    active_separation: tuple[datetime, int] | None = None  # (start_at, duration_days) decided, no outcome
    latest_ra_id: int | None = None
    latest_ra_at: datetime | None = None
    meeting_on_latest_ra: bool = False
    plan_id: int | None = None  # the plan built on the latest Mẫu 03
    plan_submitted_at: datetime | None = None  # latest version submitted and not approved
    plan_approved: bool = False
    adjustment_pending: bool = False  # approved plan with a newer version not yet approved
    effective_to: date | None = None  # of the latest approved version
    reviewed_at: datetime | None = None  # the plan's Mẫu 06 (new plan needed)
    last_reopen_at: datetime | None = None
    last_review_at: datetime | None = None  # any plan's Mẫu 06: a new round's plan limit runs from it
    open_activities: list[tuple[str, date, int]] = field(default_factory=list)  # (name, end_on, key) of the running plan's activities not done, by end date
    plan_return_comment: str = ""  # the leader returned the latest version for changes (not yet resubmitted)
    incident_report_due: bool = False  # a case of abuse whose written report upward is not yet issued
    incident_phoned_at: datetime | None = None  # when it was reported upward by phone, if recorded


def facts_of(case: Case) -> CaseFacts:
    """The facts of a Case loaded with its process records (they load with it: see process_entities)."""
    received = case.intake.received_at if case.intake is not None else case.opened_at
    f = CaseFacts(case_id=case.id, received_at=received, code=case.code, closed_at=case.closed_at,
                  child_name=case.child.full_name if case.child is not None else "")
    ia = case.initial_assessment
    if ia is not None and ia.completed_at is not None:
        f.ia_completed_at = ia.completed_at
        f.needs_emergency = ia.needs_emergency
    f.has_emergency_measure = bool(case.emergency_measures)
    for sep in case.separations:
        if sep.decided_at is None:
            f.separation_pending = f.separation_pending or not sep.outcome
        else:
            f.separation_decided = True
            if not sep.outcome:
                f.active_separation = (sep.start_at, sep.duration_days)
    if case.risk_assessments:
        ra = max(case.risk_assessments, key=lambda r: r.id)
        f.latest_ra_id, f.latest_ra_at = ra.id, ra.created_at
        f.meeting_on_latest_ra = any(m.risk_assessment_id == ra.id for m in case.meetings)
        plans = [p for p in case.plans if p.risk_assessment_id == ra.id]
        if plans:
            plan = max(plans, key=lambda p: p.id)
            _plan_facts(f, plan.id, [(v.version, v.submitted_at, v.approval.effective_to if v.approval else None,
                                      v.activities if v.approval else None) for v in plan.versions],
                        {(p.activity_key): p.status for p in plan.progress})
            newest = max(plan.versions, key=lambda v: v.version) if plan.versions else None
            f.plan_return_comment = returned_comment(newest.returned_at, newest.submitted_at, newest.return_comment,
                                                     newest.approval is not None) if newest else ""
            review = next((r for r in case.reviews if r.plan_id == plan.id), None)
            if review is not None:
                f.reviewed_at = review.created_at
    f.last_review_at = max((r.created_at for r in case.reviews), default=None)
    reports = list(getattr(case, "incident_reports", None) or ())
    f.incident_report_due = (case.intake is not None and case.intake.category == INCIDENT_CATEGORY
                             and not any(r.issued_at is not None or r.untracked for r in reports))
    f.incident_phoned_at = max((r.phoned_at for r in reports if r.phoned_at is not None), default=None)
    reopens = [e.at for e in case.status_events if e.kind == "mo_lai"]
    f.last_reopen_at = max(reopens) if reopens else None
    return f


def returned_for_changes(returned_at, submitted_at, approved: bool) -> bool:
    """A version the leader returned that waits for the worker's changes."""
    return returned_at is not None and submitted_at is None and not approved


def returned_comment(returned_at, submitted_at, comment: str, approved: bool) -> str:
    """The leader's comment while a returned version waits for the worker's changes ("" otherwise)."""
    return (comment or "Chủ tịch trả lại để sửa.") if returned_for_changes(returned_at, submitted_at, approved) else ""


def _plan_facts(f: CaseFacts, plan_id: int, versions, status_by_key: dict[int, str]) -> None:
    """versions: (number, submitted_at, effective_to or None, activities of an approved version or None).
    status_by_key: each activity's latest status."""
    f.plan_id = plan_id
    approved = [v for v in versions if v[2] is not None]
    latest = max(versions, key=lambda v: v[0]) if versions else None
    if approved:
        running = max(approved, key=lambda v: v[0])
        f.plan_approved = True
        f.effective_to = running[2]
        f.adjustment_pending = latest is not None and latest[0] > running[0]
        if f.adjustment_pending and latest[1] is not None:
            f.plan_submitted_at = latest[1]
        f.open_activities = sorted(
            ((a.name, a.end_on, a.key) for a in (running[3] or ()) if status_by_key.get(a.key, "chua_bat_dau") not in DONE_STATUSES),
            key=lambda t: t[1],
        )
    elif latest is not None and latest[1] is not None:
        f.plan_submitted_at = latest[1]


def stage_from_facts(f: CaseFacts) -> str:
    if f.closed_at is not None:
        return "da_dong"
    if f.last_reopen_at is not None and (f.latest_ra_at is None or f.last_reopen_at > f.latest_ra_at):
        return "mo_lai"
    if f.latest_ra_id is not None:
        if f.plan_id is not None:
            if f.reviewed_at is not None:
                return "da_ra_soat"
            if f.plan_approved:
                return "dang_thuc_hien"
            if f.plan_submitted_at is not None:
                return "cho_phe_duyet"
            return "du_thao_ke_hoach"
        return "da_hop" if f.meeting_on_latest_ra else "da_danh_gia"
    if f.ia_completed_at is not None:
        if f.active_separation is not None:
            return "cach_ly"
        if f.needs_emergency and not f.separation_decided and not f.has_emergency_measure:
            return "khan_cap"
        return "danh_gia_ban_dau"
    return "tiep_nhan"


def stage_of(case: Case | CaseFacts) -> str:
    return stage_from_facts(case if isinstance(case, CaseFacts) else facts_of(case))


# ----- the same facts for many cases at once (the to-do list, the register) -------------------------------
def load_open_facts(session: Session, case_ids: list[int] | None = None) -> list[CaseFacts]:
    """CaseFacts of every open case (or of `case_ids`, open or not), with bulk queries."""
    return load_facts(session, case_ids)


class _Facts(dict):
    """The open cases' facts by case id. Each query below reads the open cases anew: a case another workstation
    opened (or closed) between two of them is not in the first read, and its rows are skipped (a throw-away
    CaseFacts is handed back and not kept) — the next computation counts it."""

    def __missing__(self, case_id: int) -> CaseFacts:
        return CaseFacts(case_id=case_id, received_at=None)  # type: ignore[arg-type]


def load_facts(session: Session, case_ids: list[int] | None = None,
                activities_until: date | None = None) -> list[CaseFacts]:
    """load_open_facts; with `activities_until`, `open_activities` keeps only those ending by that day
    (the to-do list shows no later ones, and reading them is most of the work)."""
    # Case.opened_at is the Mẫu 01 moment of receiving the information (create_intake sets both); reading
    # it here spares a join to the large intake rows.
    # Core rows through the session's connection: the ORM's result machinery costs more than SQLite here.
    conn = session.connection()
    if case_ids is not None:
        base = (select(Case.id, Case.code, Child.full_name, Case.opened_at, Case.closed_at)
                .join(Child, Child.id == Case.child_id).where(Case.id.in_(case_ids)))
    else:
        # The open cases from their own small index (ix_case_file_open, on open cases only), their children's
        # names from the index (id, full_name): one random page of the wide child rows per case otherwise, most
        # of the to-do list's reads at 200,000 children.
        cf, ch = Case.__table__.c, Child.__table__.c
        base = text(f"SELECT case_file.id, case_file.code, child.full_name, case_file.opened_at, case_file.closed_at "
                    f"FROM case_file JOIN child{index_hint(conn, CHILD_NAME_INDEX)} ON child.id = case_file.child_id "
                    "WHERE case_file.closed_at IS NULL").columns(cf.id, cf.code, ch.full_name, cf.opened_at, cf.closed_at)
    facts: dict[int, CaseFacts] = _Facts(
        (cid, CaseFacts(case_id=cid, code=code, child_name=name, received_at=rec, closed_at=closed))
        for cid, code, name, rec, closed in conn.execute(base))
    if not facts:
        return []
    # "case_id IN (open cases)" lets SQLite build the set once and walk each table's case_id index, instead
    # of joining case_file row by row (3× faster on 20,000 cases) or binding thousands of parameters.
    wanted = (select(Case.id).where(Case.id.in_(case_ids)) if case_ids is not None
              else select(Case.id).where(Case.closed_at.is_(None)))

    def scope(query, case_col):
        return query.where(case_col.in_(wanted))

    for cid, done, emergency in conn.execute(scope(
            select(InitialAssessment.case_id, InitialAssessment.completed_at, InitialAssessment.needs_emergency)
            .where(InitialAssessment.completed_at.is_not(None)), InitialAssessment.case_id)):
        f = facts[cid]
        f.ia_completed_at, f.needs_emergency = done, emergency
    for (cid,) in conn.execute(scope(select(EmergencyMeasure.case_id).distinct(), EmergencyMeasure.case_id)):
        facts[cid].has_emergency_measure = True
    for cid, decided, outcome, start, days in conn.execute(scope(
            select(Separation.case_id, Separation.decided_at, Separation.outcome, Separation.start_at,
                   Separation.duration_days).order_by(Separation.id), Separation.case_id)):
        f = facts[cid]
        if decided is None:
            f.separation_pending = f.separation_pending or not outcome
        else:
            f.separation_decided = True
            if not outcome:
                f.active_separation = (start, days)

    # Cases of abuse are reported upward (Báo cáo vụ việc): due until a written report is issued.
    for (cid,) in conn.execute(scope(select(Intake.case_id).where(Intake.category == INCIDENT_CATEGORY),
                                     Intake.case_id)):
        facts[cid].incident_report_due = True
    for cid, issued, untracked, phoned in conn.execute(scope(
            select(IncidentReport.case_id, IncidentReport.issued_at, IncidentReport.untracked,
                   IncidentReport.phoned_at), IncidentReport.case_id)):
        f = facts[cid]
        if issued is not None or untracked:
            f.incident_report_due = False
        if phoned is not None and (f.incident_phoned_at is None or phoned > f.incident_phoned_at):
            f.incident_phoned_at = phoned

    # The latest Mẫu 03 (highest id) per case from the case_id index alone: the rows hold large answers.
    for cid, ra_id in conn.execute(scope(
            select(RiskAssessment.case_id, func.max(RiskAssessment.id)).group_by(RiskAssessment.case_id),
            RiskAssessment.case_id)):
        facts[cid].latest_ra_id = ra_id
    by_ra = {f.latest_ra_id: f for f in facts.values() if f.latest_ra_id is not None}
    for (ra_id,) in conn.execute(scope(select(CaseMeeting.risk_assessment_id).distinct(), CaseMeeting.case_id)):
        if ra_id in by_ra:
            by_ra[ra_id].meeting_on_latest_ra = True

    plan_of_case: dict[int, int] = {}
    for pid, cid, ra_id in conn.execute(scope(
            select(SupportPlan.id, SupportPlan.case_id, SupportPlan.risk_assessment_id), SupportPlan.case_id)):
        if ra_id is not None and facts[cid].latest_ra_id == ra_id and pid > plan_of_case.get(cid, 0):
            plan_of_case[cid] = pid
    reviews = conn.execute(scope(select(CaseReview.case_id, CaseReview.plan_id, CaseReview.created_at),
                                    CaseReview.case_id)).fetchall()
    for cid, _, at in reviews:
        f = facts[cid]
        f.last_review_at = at if f.last_review_at is None else max(f.last_review_at, at)
    if plan_of_case:
        _plan_facts_bulk(conn, facts, plan_of_case, reviews, scope, activities_until)

    for cid, at in conn.execute(scope(
            select(CaseStatusEvent.case_id, func.max(CaseStatusEvent.at)).where(CaseStatusEvent.kind == "mo_lai")
            .group_by(CaseStatusEvent.case_id), CaseStatusEvent.case_id)):
        facts[cid].last_reopen_at = at
    # The latest Mẫu 03's moment matters only against a reopening (stage "mo_lai"). Read by case from the
    # index (case_id, created_at), which holds the row id too: the rows themselves hold the large answers.
    reopened = [f.case_id for f in facts.values() if f.last_reopen_at is not None and f.latest_ra_id]
    for ra_id, ra_at in conn.execute(select(RiskAssessment.id, RiskAssessment.created_at)
                                     .where(RiskAssessment.case_id.in_(_inline(reopened)))):
        if ra_id in by_ra:
            by_ra[ra_id].latest_ra_at = ra_at
    return list(facts.values())


def _plan_facts_bulk(conn: Connection, facts: dict[int, CaseFacts], plan_of_case: dict[int, int], reviews,
                     scope, activities_until: date | None = None) -> None:
    case_of_plan = {pid: cid for cid, pid in plan_of_case.items()}
    versions: dict[int, list[tuple[int, int, datetime | None, date | None, datetime | None]]] = defaultdict(list)
    # The versions from the index (plan_id, version, submitted_at, returned_at), not their rows; the leader's
    # comment is read below for the few versions it is shown for.
    for pid, vid, number, submitted, eff_to, returned in conn.execute(scope(
            select(PlanVersion.plan_id, PlanVersion.id, PlanVersion.version, PlanVersion.submitted_at,
                   PlanApproval.effective_to, PlanVersion.returned_at)
            .join(SupportPlan, SupportPlan.id == PlanVersion.plan_id)
            .outerjoin(PlanApproval, PlanApproval.version_id == PlanVersion.id), SupportPlan.case_id)):
        if pid in case_of_plan:
            versions[pid].append((number, vid, submitted, eff_to, returned))
    returned_latest = []  # the latest versions the leader returned, waiting for changes
    for rows in versions.values():
        latest = max(rows, key=lambda r: r[0])
        if returned_for_changes(latest[4], latest[2], latest[3] is not None):
            returned_latest.append(latest[1])
    comments = dict(conn.execute(select(PlanVersion.id, PlanVersion.return_comment)
                                 .where(PlanVersion.id.in_(returned_latest))).all()) if returned_latest else {}
    running: dict[int, int] = {}  # running version id -> plan id
    for pid, rows in versions.items():
        f = facts[case_of_plan[pid]]
        f.plan_id = pid
        approved = [r for r in rows if r[3] is not None]
        latest = max(rows, key=lambda r: r[0])
        f.plan_return_comment = returned_comment(latest[4], latest[2], comments.get(latest[1], ""), latest[3] is not None)
        if approved:
            run = max(approved, key=lambda r: r[0])
            f.plan_approved, f.effective_to = True, run[3]
            f.adjustment_pending = latest[0] > run[0]
            if f.adjustment_pending and latest[2] is not None:
                f.plan_submitted_at = latest[2]
            running[run[1]] = pid
        elif latest[2] is not None:
            f.plan_submitted_at = latest[2]
    for _, pid, at in reviews:
        if pid in case_of_plan:
            facts[case_of_plan[pid]].reviewed_at = at
    if not running:
        return
    # The running versions' activities that are not done, with each activity's latest progress status
    # looked up per row (the plan's few progress rows, through ix_activity_progress_status) instead of
    # reading every progress row of every open case. Rows come in id order (each version's own order).
    latest_status = (select(ActivityProgress.status)
                     .where(ActivityProgress.plan_id == PlanVersion.plan_id,
                            ActivityProgress.activity_key == PlanActivity.key)
                     .order_by(ActivityProgress.noted_on.desc(), ActivityProgress.id.desc())
                     .limit(1).correlate(PlanVersion, PlanActivity).scalar_subquery())
    # The status is a selected column, tested here below, not a WHERE condition: PostgreSQL ran such a
    # condition on the activities of every plan (closed cases too) before the join that keeps the open cases.
    # The activities are read from the index (version_id, end_on, key), which holds their ids too; the names
    # only for those not done, from their rows (most activities of the running plans are done or far off).
    query = (select(PlanActivity.id, PlanActivity.version_id, PlanActivity.end_on, PlanActivity.key,
                    func.coalesce(latest_status, "chua_bat_dau"))
             .join(PlanVersion, PlanVersion.id == PlanActivity.version_id)
             .join(PlanApproval, PlanApproval.version_id == PlanVersion.id)
             .join(SupportPlan, SupportPlan.id == PlanVersion.plan_id))
    if activities_until is not None:
        query = query.where(PlanActivity.end_on <= activities_until)
    query = scope(query, SupportPlan.case_id).order_by(PlanActivity.id)
    open_acts: dict[int, list[tuple[int, date, int]]] = defaultdict(list)
    for aid, vid, end_on, key, status in conn.execute(query):
        pid = running.get(vid)
        if pid is not None and status not in rules.DONE_STATUSES:
            open_acts[pid].append((aid, end_on, key))
    ids = [aid for acts in open_acts.values() for aid, _, _ in acts]
    names: dict[int, str] = {}
    for start in range(0, len(ids), NAMES_PER_QUERY):
        names.update(conn.execute(select(PlanActivity.id, PlanActivity.name)
                                  .where(PlanActivity.id.in_(_inline(ids[start:start + NAMES_PER_QUERY])))).all())
    for pid, acts in open_acts.items():
        facts[case_of_plan[pid]].open_activities = sorted(((names[aid], end_on, key) for aid, end_on, key in acts),
                                                          key=lambda t: t[1])


# ----- the same rule in SQL -----------------------------------------------------------------------------

def stage_expression() -> ColumnElement[str]:
    """The stage as an SQL expression over Case (correlated EXISTS / scalar subqueries, portable SQL), so
    that the case list can filter and count 20,000 cases by stage in the database."""
    ra = RiskAssessment
    # Every subquery correlates to the outer case_file explicitly: nested ones (the latest Mẫu 03 inside
    # the plan's subquery) would otherwise pull their own case_file into FROM.
    latest_ra_id = select(func.max(ra.id)).where(ra.case_id == Case.id).correlate(Case).scalar_subquery()
    latest_ra_at = select(ra.created_at).where(ra.id == latest_ra_id).correlate(Case).scalar_subquery()
    plan_id = (select(func.max(SupportPlan.id))
               .where(SupportPlan.case_id == Case.id, SupportPlan.risk_assessment_id == latest_ra_id)
               .correlate(Case).scalar_subquery())

    def has(*where):
        return exists().where(*where).correlate(Case)

    reopened = has(CaseStatusEvent.case_id == Case.id, CaseStatusEvent.kind == "mo_lai",
                   or_(latest_ra_at.is_(None), CaseStatusEvent.at > latest_ra_at))
    has_ra = has(ra.case_id == Case.id)
    has_plan = plan_id.is_not(None)
    reviewed = has(CaseReview.plan_id == plan_id)
    approved = has(PlanVersion.plan_id == plan_id, PlanApproval.version_id == PlanVersion.id)
    # Submitted for approval = the plan's newest version is submitted (a newer draft supersedes it).
    newest_version = (select(func.max(PlanVersion.version)).where(PlanVersion.plan_id == plan_id)
                      .correlate(Case).scalar_subquery())
    submitted = has(PlanVersion.plan_id == plan_id, PlanVersion.version == newest_version,
                    PlanVersion.submitted_at.is_not(None))
    met = has(CaseMeeting.case_id == Case.id, CaseMeeting.risk_assessment_id == latest_ra_id)
    ia_done = has(InitialAssessment.case_id == Case.id, InitialAssessment.completed_at.is_not(None))
    ia_emergency = has(InitialAssessment.case_id == Case.id, InitialAssessment.completed_at.is_not(None),
                       InitialAssessment.needs_emergency.is_(True))
    sep_active = has(Separation.case_id == Case.id, Separation.decided_at.is_not(None), Separation.outcome == "")
    sep_decided = has(Separation.case_id == Case.id, Separation.decided_at.is_not(None))
    measure = has(EmergencyMeasure.case_id == Case.id)
    return sql_case(
        (Case.closed_at.is_not(None), literal("da_dong")),
        (reopened, literal("mo_lai")),
        (and_(has_ra, has_plan, reviewed), literal("da_ra_soat")),
        (and_(has_ra, has_plan, approved), literal("dang_thuc_hien")),
        (and_(has_ra, has_plan, submitted), literal("cho_phe_duyet")),
        (and_(has_ra, has_plan), literal("du_thao_ke_hoach")),
        (and_(has_ra, met), literal("da_hop")),
        (has_ra, literal("da_danh_gia")),
        (and_(ia_done, sep_active), literal("cach_ly")),
        (and_(ia_emergency, ~sep_decided, ~measure), literal("khan_cap")),
        (ia_done, literal("danh_gia_ban_dau")),
        else_=literal("tiep_nhan"),
    )


# ----- next steps and deadlines -------------------------------------------------------------------------

@dataclass
class NextStep:
    title: str
    rule: str  # the legal time limit in words
    deadline: datetime | None = None
    form: str = ""  # which screen does it: "02", "07", "03", "bien_ban_hop", "04", "05", "06", "hoat_dong"
    remind_from: datetime | None = None  # shown as due soon from this moment (separation end)
    ref: int | None = None  # what on that screen: the plan activity's key ("hoat_dong")
    for_leader: bool = False  # waits for the chairman (an approval, a signature), not the worker

    def status(self, at: datetime) -> str:
        """'Còn 5 giờ 20 phút' / 'Quá hạn 1 ngày 3 giờ', for the case view and the to-do list."""
        if self.deadline is None:
            return ""
        return time_left(self.deadline, at)

    def is_late(self, at: datetime) -> bool:
        return self.deadline is not None and at > self.deadline


def incident_report_deadline(received: datetime) -> datetime:
    """A case of abuse is reported upward in writing no later than one day after (the level above's rule,
    seed 003): the end of the day after reception, never moved to a working day (the stricter reading)."""
    return end_of_day(received.astimezone(VN).date() + timedelta(days=1))


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """Library + official days off, without the office's own edits (use
    models.services.calendar_edits.load_calendar(session) for those)."""
    return WorkCalendar()


def _plan_deadline_anchor(f: CaseFacts) -> datetime:
    """Where the 5-working-day plan limit runs from: the end of the initial assessment, or the start of a
    new round (a review asking for a new plan, a reopening)."""
    moments = [m for m in (f.ia_completed_at, f.last_review_at, f.last_reopen_at) if m is not None]
    return max(moments) if moments else f.received_at


def pending_steps(f: CaseFacts, calendar: WorkCalendar | None = None) -> list[NextStep]:
    """Every step the case waits for, the stage's own step first."""
    cal = calendar or default_calendar()
    stage = stage_from_facts(f)
    steps: list[NextStep] = []
    if stage == "da_dong":
        return steps
    if stage == "tiep_nhan":
        deadline = cal.add_hours(f.received_at, EMERGENCY_HOURS)
        steps.append(NextStep(
            "Đánh giá nguy cơ ban đầu (Mẫu số 02)",
            "Thực hiện ngay khi nhận thông tin. Nếu trẻ em cần can thiệp khẩn cấp, các biện pháp phải được "
            f"áp dụng trong vòng {EMERGENCY_HOURS} giờ kể từ khi nhận thông tin, tức trước {fmt_datetime(deadline)}.",
            deadline, "02"))
    elif stage == "khan_cap":
        deadline = cal.add_hours(f.received_at, EMERGENCY_HOURS)
        title = ("Chủ tịch quyết định tạm thời cách ly trẻ em (Mẫu số 07)" if f.separation_pending
                 else "Áp dụng biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em (Mẫu số 07)")
        steps.append(NextStep(
            title,
            f"Trong vòng {EMERGENCY_HOURS} giờ kể từ khi nhận thông tin ({fmt_datetime(f.received_at)}), "
            f"tức trước {fmt_datetime(deadline)} ({EMERGENCY_BASIS}).",
            deadline, "07", for_leader=f.separation_pending))
    elif stage == "cho_phe_duyet":
        deadline = cal.add_working_days(f.plan_submitted_at, APPROVAL_WORKING_DAYS)
        steps.append(NextStep(
            "Chủ tịch phê duyệt kế hoạch hỗ trợ, can thiệp (Mẫu số 05)",
            f"Trong {APPROVAL_WORKING_DAYS:02d} ngày làm việc kể từ khi trình ({fmt_datetime(f.plan_submitted_at)}), "
            f"tức hết ngày {fmt_date(deadline)} (Nghị định 56/2017/NĐ-CP, khoản 4 Điều 28).",
            deadline, "05", for_leader=True))
    elif stage == "dang_thuc_hien":
        deadline = end_of_day(f.effective_to)
        steps.append(NextStep(
            "Rà soát, đánh giá tình trạng trẻ em khi kết thúc kế hoạch (Mẫu số 06)",
            f"Khi kết thúc thời gian thực hiện kế hoạch, ngày {fmt_date(f.effective_to)} (Nghị định 56/2017, Điều 30).",
            deadline, "06"))
        if f.adjustment_pending and f.plan_submitted_at is not None:
            d = cal.add_working_days(f.plan_submitted_at, APPROVAL_WORKING_DAYS)
            steps.append(NextStep(
                "Chủ tịch phê duyệt kế hoạch điều chỉnh (Mẫu số 05)",
                f"Trong {APPROVAL_WORKING_DAYS:02d} ngày làm việc kể từ khi trình, tức hết ngày {fmt_date(d)}.",
                d, "05", for_leader=True))
        elif f.adjustment_pending and f.plan_return_comment:
            steps.append(NextStep(
                f"Sửa kế hoạch điều chỉnh theo ý kiến của Chủ tịch: {f.plan_return_comment}",
                "Chủ tịch đã trả lại kế hoạch điều chỉnh để sửa; sửa rồi trình lại (Mẫu số 04).", None, "04"))
    else:  # the round towards a plan: Mẫu 03 → meeting → Mẫu 04 submitted
        deadline = cal.add_working_days(_plan_deadline_anchor(f), PLAN_WORKING_DAYS)
        title = {
            "danh_gia_ban_dau": "Thu thập thông tin, đánh giá nguy cơ cụ thể (Mẫu số 03)",
            "cach_ly": "Đánh giá nguy cơ cụ thể (Mẫu số 03) cho trẻ em đang tạm thời cách ly",
            "da_danh_gia": "Họp xác định nhu cầu hỗ trợ, can thiệp (biên bản họp)",
            "da_hop": "Xây dựng kế hoạch hỗ trợ, can thiệp (Mẫu số 04) và dự thảo quyết định (Mẫu số 05)",
            "du_thao_ke_hoach": "Hoàn thiện và trình kế hoạch hỗ trợ, can thiệp (Mẫu số 04)",
            "da_ra_soat": "Đánh giá lại nguy cơ (Mẫu số 03) để xây dựng kế hoạch mới",
            "mo_lai": "Đánh giá lại nguy cơ (Mẫu số 03) cho hồ sơ mở lại",
        }[stage]
        if stage == "du_thao_ke_hoach" and f.plan_return_comment:
            title = f"Sửa kế hoạch theo ý kiến của Chủ tịch rồi trình lại: {f.plan_return_comment}"
        form = {"da_danh_gia": "bien_ban_hop", "da_hop": "04", "du_thao_ke_hoach": "04"}.get(stage, "03")
        steps.append(NextStep(
            title,
            f"Kế hoạch hỗ trợ, can thiệp trình Chủ tịch trong {PLAN_WORKING_DAYS:02d} ngày làm việc, tức hết ngày "
            f"{fmt_date(deadline)}. Nghị định 56/2017/NĐ-CP, khoản 1 Điều 28 không nói tính từ khi nào; phần mềm "
            "tính từ khi kết thúc đánh giá ban đầu (Mẫu số 02) hoặc mở vòng mới, cách tính chặt nhất.",
            deadline, form))
    if f.active_separation is not None:
        start, days = f.active_separation
        end = separation_end(start, days, cal)  # never moved to a working day (Điều 32.3: at most 15 days)
        remind = separation_reminder(end, cal)
        steps.append(NextStep(
            "Đánh giá lại trước khi hết thời hạn tạm thời cách ly: trở về gia đình hoặc đề nghị Tòa án",
            f"Cách ly {days} ngày từ {fmt_datetime(start)}, hết ngày {fmt_date(end)} (không lùi sang ngày làm "
            f"việc: thời hạn cách ly tối đa không quá 15 ngày, Nghị định 56/2017, khoản 3 Điều 32); đánh giá lại "
            f"(Mẫu số 03) từ ngày {fmt_date(remind)}, trước ngày cuối.",
            end, "07", remind_from=remind))
    if f.incident_report_due:
        due = incident_report_deadline(f.received_at)
        phoned = (f"Đã báo cáo bằng điện thoại lúc {fmt_datetime(f.incident_phoned_at)}" if f.incident_phoned_at
                  else "Chưa ghi báo cáo bằng điện thoại (phải báo cáo ngay)")
        steps.append(NextStep(
            "Báo cáo vụ việc lên cấp trên (bằng điện thoại ngay, bằng văn bản)",
            f"{phoned}. Báo cáo bằng văn bản chậm nhất 01 ngày sau khi tiếp nhận thông tin "
            f"({fmt_datetime(f.received_at)}), tức hết ngày {fmt_date(due)} (theo yêu cầu báo cáo của cấp trên).",
            due, "bao_cao_vu_viec"))
    for name, end_on, key in (f.open_activities if stage == "dang_thuc_hien" else ()):
        steps.append(NextStep(
            f"Hoạt động cần hoàn thành: {name}",
            f"Dự kiến kết thúc ngày {fmt_date(end_on)} theo kế hoạch đã phê duyệt.",
            end_of_day(end_on), "hoat_dong", ref=key))
    return steps


def urgency_key(step: NextStep, at: datetime) -> tuple:
    """Overdue first (the latest first), then the soonest deadline; steps without one last."""
    if step.deadline is None:
        return (2, 0.0)
    seconds = (step.deadline - at).total_seconds()
    return (0, seconds) if seconds < 0 else (1, seconds)


def next_step(case: Case | CaseFacts, calendar: WorkCalendar | None = None, at: datetime | None = None) -> NextStep | None:
    """The step to do next: the most urgent of the case's pending steps at `at` (default now)."""
    f = case if isinstance(case, CaseFacts) else facts_of(case)
    steps = pending_steps(f, calendar)
    if not steps:
        return None
    at = at or now()
    return min(steps, key=lambda s: urgency_key(s, at))


def _inline(ids: list[int]):
    """Thousands of ids written into the query as numbers: bound one by one, psycopg parses a parameter each."""
    return bindparam("ids", ids, expanding=True, literal_execute=True)
