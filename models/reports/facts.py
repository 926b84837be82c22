"""The one module that reads the database for the reports: plain rows ("measures") for one period.

Everything else in models/reports works on what this returns, so a change in the case-process or
register tables is adjusted here only. Column queries only (no Case objects): 20,000 cases in well
under a second.

Measures (each a list of dicts; the layouts in resources/report_layouts count them):
  ho_so       cases whose information was received in the period (Intake.received_at, else Case.opened_at)
              case_id, child_id, gender, age (full years at receipt; None = unknown), forms [codes], category,
              month (yyyymm of receipt, Vietnam time: the chart by month)
  tre_em      the children of those cases, each once (gender, age as at the child's first case of the period)
  tre_em_bi_xam_hai  the same for the cases whose Mẫu 01 category is "bị xâm hại" (indicator 0101 of
              Thông tư 13/2021/TT-BLĐTBXH: number of abused children)
  khan_cap    of those, the cases whose confirmed Mẫu 02 conclusion needs emergency protection
              + status: "dung_han" first separation decision / emergency measure within 12 clock hours of
              receipt, "tre_han" later, "chua" none recorded yet
  cach_ly     separation decisions (Mẫu 07) decided in the period; over_15 = duration_days > 15
  ke_hoach    plans whose first approved version was approved (Mẫu 05) in the period
              on_time = submitted within 5 working days of the round's start (Mẫu 02 completed, or the
              review/reopening that started a new round) AND approved within 2 working days of submission;
              submit_late / approve_late
  dieu_chinh  later (adjusted) plan versions approved in the period
  dong        closings in the period (CaseStatusEvent "dong"; Case.closed_at when no event records it)
  mo_lai      reopenings in the period (CaseStatusEvent "mo_lai")
  mo_dau_ky   cases received before the period and open at its first instant
  mo_cuoi_ky  cases received up to the period's end and open at its end (or now, if the end is later)
  hcdb        register memberships (child_group) active at some time in the period: child_id, gender,
              group, subgroup, helped (a support entry given in the period)
and `cases`: one row per case for the list sheet (cases received in the period or open during it).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..clock import VN, now as clock_now
from ..entities import Case, CaseAbuseForm, Child, Intake, Office
from ..validation import age_on
from .period import Period

EMERGENCY_HOURS = 12
PLAN_WORKING_DAYS = 5
APPROVAL_WORKING_DAYS = 2


@dataclass
class OfficeInfo:
    province: str = ""
    commune_name: str = ""
    commune_kind: str = "xa"
    agency_name: str = ""
    worker_name: str = ""
    worker_phone: str = ""
    report_recipient: str = ""
    chairman_name: str = ""
    heading_place: str = ""  # replaces "Xã …" in sheet headings (the province's consolidated workbook)
    is_demo: bool = False  # a demo office: the workbook says "DỮ LIỆU MẪU"


@dataclass
class ReportFacts:
    period: Period
    made_at: datetime
    office: OfficeInfo
    office_id: str = ""
    measures: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    cases: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)  # special_groups.json "groups"
    notes: list[str] = field(default_factory=list)  # what could not be computed, in Vietnamese


@lru_cache(maxsize=1)
def special_groups_data() -> list[dict]:
    try:
        text = resources.files("resources").joinpath("special_groups.json").read_text(encoding="utf-8")
        return json.loads(text)["groups"]
    except (FileNotFoundError, KeyError, ValueError):
        return []


def _age(dob: date | None, estimated: int | None, on: date) -> int | None:
    if dob is not None:
        a = age_on(dob, on)
        return a if a >= 0 else None
    return estimated


def _office(session: Session) -> OfficeInfo:
    o = session.scalar(select(Office).limit(1))
    if o is None:
        return OfficeInfo()
    return OfficeInfo(o.province, o.commune_name, o.commune_kind, o.agency_name, o.worker_name, o.worker_phone,
                      o.report_recipient, o.chairman_name, is_demo=bool(o.is_demo))


def _calendar(session: Session):
    from ..services.calendar_edits import load_calendar
    return load_calendar(session)


def _stage_labels() -> dict[str, str]:
    from ..stages import STAGES
    return dict(STAGES)


class Source:
    """What `collect` reads that does not depend on the period, read once for several periods of one
    session (the report and the periods it is compared with: the same rows, so the same figures as
    separate reads within the session's transaction). Cases are read up to the latest period's end."""

    def __init__(self, session: Session):
        self.session = session
        self._cases: tuple[datetime, bool, list[tuple]] | None = None  # (read up to, with names, rows)
        self._rows: dict[str, list[tuple]] = {}
        self._calendar = None

    def cases(self, end_before: datetime, with_names: bool) -> list[tuple]:
        """(id, code, child id, received, closed at, category, gender, birth date, estimated age[, name,
        village]) of the cases received before `end_before`, in the order the database gives them."""
        if self._cases is not None:
            upto, names, rows = self._cases
            if end_before <= upto and (names or not with_names):
                return rows if end_before == upto else [r for r in rows if r[3] < end_before]
        received_col = func.coalesce(Intake.received_at, Case.opened_at)
        cols = [Case.id, Case.code, Case.child_id, received_col, Case.closed_at, Intake.category,
                Child.gender, Child.date_of_birth, Child.estimated_age]
        if with_names:
            cols += [Child.full_name, Child.village]
        query = (select(*cols).join(Child, Child.id == Case.child_id).outerjoin(Intake, Intake.case_id == Case.id)
                 .where(received_col < end_before))
        rows = [tuple(r) for r in self.session.execute(query)]
        self._cases = (end_before, with_names, rows)
        return rows

    def rows(self, name: str) -> list[tuple]:
        if name not in self._rows:
            self._rows[name] = [tuple(r) for r in self.session.execute(self._query(name))]
        return self._rows[name]

    @staticmethod
    def _query(name: str):
        from ..process_entities import (
            CaseReview, CaseStatusEvent, EmergencyMeasure, InitialAssessment, PlanApproval, PlanVersion,
            Separation, SupportPlan,
        )
        if name == "forms":
            return select(CaseAbuseForm.case_id, CaseAbuseForm.code).order_by(CaseAbuseForm.code)
        if name == "assessments":
            return (select(InitialAssessment.case_id, InitialAssessment.completed_at, InitialAssessment.needs_emergency)
                    .where(InitialAssessment.completed_at.is_not(None)))
        if name == "first_measures":
            return select(EmergencyMeasure.case_id, func.min(EmergencyMeasure.taken_at)).group_by(EmergencyMeasure.case_id)
        if name == "separations":
            return (select(Separation.case_id, Separation.decided_at, Separation.duration_days)
                    .where(Separation.decided_at.is_not(None)))
        if name == "events":
            return (select(CaseStatusEvent.case_id, CaseStatusEvent.kind, CaseStatusEvent.at)
                    .order_by(CaseStatusEvent.at, CaseStatusEvent.id))
        if name == "reviews":
            return select(CaseReview.case_id, CaseReview.created_at)
        if name == "plans":
            return select(SupportPlan.id, SupportPlan.case_id, SupportPlan.created_at)
        if name == "versions":
            return (select(PlanVersion.plan_id, PlanVersion.version, PlanVersion.submitted_at, PlanApproval.approved_at)
                    .outerjoin(PlanApproval, PlanApproval.version_id == PlanVersion.id))
        raise KeyError(name)

    def calendar(self):
        if self._calendar is None:
            self._calendar = _calendar(self.session)
        return self._calendar


def collect(session: Session, period: Period, *, with_names: bool = False, at: datetime | None = None,
            office_id: str = "", with_list: bool = True, source: Source | None = None) -> ReportFacts:
    """The period's measures (and, with `with_list`, the rows of the list sheet with each case's stage: not
    needed for the figures of another period to compare with). `source`: rows already read in this session
    for another period (see Source)."""
    src = source if source is not None else Source(session)
    at = at or clock_now()
    facts = ReportFacts(period, at, _office(session), office_id=office_id, groups=special_groups_data())
    start, end_before = period.start_at, period.end_before
    cutoff = min(end_before, at + timedelta(seconds=1))  # the state "at the end" is never in the future

    # -- the cases and their children ----------------------------------------------------------------
    base: dict[int, dict] = {}
    for row in src.cases(end_before, with_names):
        cid, code, child_id, received, closed_at, category, gender, dob, est = row[:9]
        rec = {"case_id": cid, "code": code, "child_id": child_id, "received": received, "closed_at": closed_at,
               "category": category or None, "gender": gender or "khong_biet",
               "age": _age(dob, est, received.date()), "forms": []}
        if with_names:
            rec["child_name"], rec["village"] = row[9], row[10]
        base[cid] = rec
    for cid, code in src.rows("forms"):
        if cid in base:
            base[cid]["forms"].append(code)

    def person(rec: dict) -> dict:
        return {"case_id": rec["case_id"], "child_id": rec["child_id"], "gender": rec["gender"], "age": rec["age"]}

    received_in = {cid for cid, r in base.items() if r["received"] >= start}
    m = facts.measures
    seen_children: set[int] = set()
    seen_abused: set[int] = set()
    for cid in sorted(received_in):
        r = base[cid]
        local = r["received"].astimezone(VN)
        m["ho_so"].append({**person(r), "forms": list(r["forms"]), "category": r["category"],
                           "month": local.year * 100 + local.month})
        if r["child_id"] not in seen_children:  # each child once, as at its first case of the period
            seen_children.add(r["child_id"])
            m["tre_em"].append(person(r))
        if r["category"] == "bi_xam_hai" and r["child_id"] not in seen_abused:  # the same, of abused children
            seen_abused.add(r["child_id"])
            m["tre_em_bi_xam_hai"].append(person(r))

    # -- the case process (models/process_entities.py) -------------------------------------------------
    ia: dict[int, tuple[datetime, bool]] = {}
    first_response: dict[int, datetime] = {}
    events: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    plan_info: dict[int, dict] = {}
    for cid, done, emergency in src.rows("assessments"):
        ia[cid] = (done, bool(emergency))
    for cid, taken in src.rows("first_measures"):
        first_response[cid] = taken
    for cid, decided, days in src.rows("separations"):
        if cid not in base:
            continue
        if cid not in first_response or decided < first_response[cid]:
            first_response[cid] = decided
        if start <= decided < end_before:
            m["cach_ly"].append({**person(base[cid]), "over_15": (days or 0) > 15})
    for cid, kind, when in src.rows("events"):
        events[cid].append((when, kind))
    review_at: dict[int, list[datetime]] = defaultdict(list)
    for cid, when in src.rows("reviews"):
        review_at[cid].append(when)
    plans = {pid: {"case_id": cid, "created_at": created, "versions": []} for pid, cid, created in src.rows("plans")}
    for pid, number, submitted, approved_at in src.rows("versions"):
        if pid in plans:
            plans[pid]["versions"].append((number, submitted, approved_at))
    cal = src.calendar()
    for pid, p in plans.items():
        cid = p["case_id"]
        if cid not in base:
            continue
        approved = sorted(v for v in p["versions"] if v[2] is not None)
        if not approved:
            continue
        first = approved[0]
        for later in approved[1:]:
            if start <= later[2] < end_before:
                m["dieu_chinh"].append(person(base[cid]))
        submitted = min((v[1] for v in p["versions"] if v[1] is not None and v[0] <= first[0]), default=None)
        anchors = [x for x in [ia.get(cid, (None,))[0], *review_at.get(cid, ()),
                               *(w for w, k in events.get(cid, ()) if k == "mo_lai")]
                   if x is not None and x <= p["created_at"]]
        anchor = max(anchors) if anchors else base[cid]["received"]
        info = {"approved_at": first[2], "submitted": submitted, "anchor": anchor}
        if cid not in plan_info or first[2] < plan_info[cid]["approved_at"]:
            plan_info[cid] = info  # the list shows the case's first approved plan
        if start <= first[2] < end_before:
            timing = _plan_timing(cal, info)
            m["ke_hoach"].append({**person(base[cid]), "on_time": timing[0],
                                  "submit_late": timing[1], "approve_late": timing[2]})
    if not (ia or first_response or events or plans):  # cases kept before the process screens existed
        facts.notes.append("Chưa có dữ liệu quy trình xử lý hồ sơ (Mẫu 02–07): các mục can thiệp khẩn cấp, "
                           "cách ly, kế hoạch bằng 0; tình trạng hồ sơ tính theo ngày đóng hồ sơ.")

    emergency_status: dict[int, str] = {}
    for cid, (done, emergency) in ia.items():
        if not emergency or cid not in base:
            continue
        deadline = base[cid]["received"] + timedelta(hours=EMERGENCY_HOURS)
        resp = first_response.get(cid)
        emergency_status[cid] = "chua" if resp is None else ("dung_han" if resp <= deadline else "tre_han")
        if cid in received_in:
            m["khan_cap"].append({**person(base[cid]), "status": emergency_status[cid]})

    # -- closings, reopenings, open cases ---------------------------------------------------------------
    def closing_moments(cid: int) -> list[tuple[datetime, str]]:
        evs = list(events.get(cid, ()))
        closed_at = base[cid]["closed_at"]
        if closed_at is not None and not any(k == "dong" and w == closed_at for w, k in evs):
            evs.append((closed_at, "dong"))
            evs.sort(key=lambda e: e[0])
        return evs

    moments = {cid: closing_moments(cid) for cid in base}

    def open_at(cid: int, moment: datetime) -> bool:
        """Open just before `moment` (received earlier and not closed by its last event before it)."""
        if base[cid]["received"] >= moment:
            return False
        state = True
        for w, k in moments[cid]:
            if w >= moment:
                break
            state = k == "mo_lai"
        return state

    open_start: set[int] = set()
    for cid, rec in base.items():
        for w, k in moments[cid]:
            if start <= w < end_before:
                m["dong" if k == "dong" else "mo_lai"].append(person(rec))
        if open_at(cid, start):
            open_start.add(cid)
            m["mo_dau_ky"].append(person(rec))
        if open_at(cid, cutoff):
            m["mo_cuoi_ky"].append(person(rec))

    # -- the list sheet -----------------------------------------------------------------------------------
    listed = sorted((cid for cid in base if cid in received_in or cid in open_start),
                    key=lambda c: (base[c]["received"], base[c]["code"])) if with_list else []
    stages = _stages(session, listed)
    labels = _stage_labels()
    for cid in listed:
        r = base[cid]
        closes = [w for w, k in moments[cid] if k == "dong"]
        row = {"case_id": cid, "code": r["code"], "age": r["age"], "gender": r["gender"], "forms": r["forms"],
               "category": r["category"], "stage": labels.get(stages.get(cid, ""), stages.get(cid, "")),
               "received": r["received"], "ia_done": ia[cid][0] if cid in ia else None,
               "emergency": emergency_status.get(cid), "plan_approved": plan_info.get(cid, {}).get("approved_at"),
               "plan_on_time": _plan_timing(cal, plan_info[cid])[0] if cid in plan_info else None,
               "closed": r["closed_at"] if r["closed_at"] is not None else None,
               "closed_any": closes[-1] if closes else None}
        if with_names:
            row["child_name"], row["village"] = r["child_name"], r["village"]
        facts.cases.append(row)

    # -- the register of children in special circumstances (models/register_entities.py) ----------------
    from ..register_entities import GroupMembership, SupportEntry
    helped = set(session.scalars(select(SupportEntry.child_id).distinct().where(
        SupportEntry.given_on >= period.start, SupportEntry.given_on <= period.end)))
    q = (select(GroupMembership.child_id, GroupMembership.group_code, GroupMembership.subgroup, Child.gender)
         .join(Child, Child.id == GroupMembership.child_id)
         .where((GroupMembership.from_date.is_(None)) | (GroupMembership.from_date <= period.end))
         .where((GroupMembership.to_date.is_(None)) | (GroupMembership.to_date >= period.start)))
    for child_id, group, sub, gender in session.execute(q):
        m["hcdb"].append({"child_id": child_id, "group": group, "subgroup": sub,
                          "gender": gender or "khong_biet", "helped": child_id in helped})
    if not m["hcdb"] and session.scalar(select(GroupMembership.id).limit(1)) is None:  # the register not kept
        facts.notes.append("Chưa có sổ theo dõi trẻ em có hoàn cảnh đặc biệt: bảng trẻ em có hoàn cảnh đặc biệt để trống.")
    _alternative_care(session, period, m)
    return facts


def _alternative_care(session: Session, period: Period, m) -> None:
    """Alternative care (models/care_entities.py): children placed in the period by form, in care at its end, care
    ended in the period; carers registered in the period and eligible at its end."""
    from ..care_entities import Carer, Placement
    from ..services.carers import standing

    for p in session.scalars(select(Placement).where(Placement.decided_at.is_not(None))):
        gender = p.child.gender or "khong_biet"
        decided = p.decided_at.astimezone(VN).date()
        end = p.end_decision if p.end_decision is not None and p.end_decision.decided_at is not None else None
        ended = (end.ended_on or end.decided_at.astimezone(VN).date()) if end is not None else None
        if period.start <= decided <= period.end:
            m["cstt"].append({"event": "quyet_dinh", "form": p.form, "gender": gender})
        if p.handed_over_on is not None and p.handed_over_on <= period.end and (ended is None or ended > period.end):
            m["cstt"].append({"event": "dang_cham_soc", "form": p.form, "gender": gender})
        if ended is not None and period.start <= ended <= period.end:
            m["cstt"].append({"event": "cham_dut", "form": p.form, "gender": gender})
    for c in session.scalars(select(Carer)):
        if c.applied_on is not None and period.start <= c.applied_on <= period.end:
            m["nguoi_nhan_cstt"].append({"event": "dang_ky"})
        confirmed = [v for v in c.verifications if v.confirmed_at is not None
                     and v.confirmed_at.astimezone(VN).date() <= period.end]
        withdrawn = c.withdrawn_at is not None and c.withdrawn_at.astimezone(VN).date() <= period.end
        if confirmed and not withdrawn and standing(c) == "du_dieu_kien":
            m["nguoi_nhan_cstt"].append({"event": "du_dieu_kien"})


def _plan_timing(cal, info: dict) -> tuple[bool, bool, bool]:
    """(on time, submitted late, approved late) of a plan's first approval: the plan submitted within
    5 working days of the round's start, approved within 2 working days of its submission."""
    if "timing" not in info:
        submitted = info["submitted"]
        submit_late = submitted is None or submitted > cal.add_working_days(info["anchor"], PLAN_WORKING_DAYS)
        approve_late = submitted is None or info["approved_at"] > cal.add_working_days(submitted, APPROVAL_WORKING_DAYS)
        info["timing"] = (not (submit_late or approve_late), submit_late, approve_late)
    return info["timing"]


def _stages(session: Session, case_ids: list[int]) -> dict[int, str]:
    """Each listed case's stage now, by the process rule in SQL (models.stages.stage_expression)."""
    from ..stages import stage_expression
    expr = stage_expression()
    out: dict[int, str] = {}
    for i in range(0, len(case_ids), 900):
        chunk = case_ids[i:i + 900]
        out.update((cid, stage) for cid, stage in session.execute(select(Case.id, expr).where(Case.id.in_(chunk))))
    return out
