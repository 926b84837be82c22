"""The stage rule in Python (stage_of), in SQL (stage_expression) and from the bulk loader of the to-do
list agree on random case shapes; the stage filter of the case list uses it."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models.clock import VN
from models.entities import Case, Child, Intake
from models.process_entities import (
    CaseMeeting, CaseReview, CaseStatusEvent, EmergencyMeasure, InitialAssessment, PlanApproval, PlanVersion,
    RiskAssessment, Separation, SupportPlan,
)
from models.services.cases import CaseFilter, count_cases, load_case
from models.stages import load_facts, load_open_facts
from models.stages import STAGES, facts_of, stage_expression, stage_from_facts, stage_of

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=VN)

shapes = st.fixed_dictionaries({
    "ia": st.sampled_from([None, "draft", "done"]),
    "emergency": st.booleans(),
    "measure": st.booleans(),
    "separations": st.lists(st.sampled_from(["draft", "active", "ended"]), max_size=2),
    "ras": st.integers(0, 3),
    "meeting_on": st.sampled_from([None, "latest", "first"]),
    "plan_on": st.sampled_from([None, "latest", "first"]),
    "versions": st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=3),
    "reviewed": st.booleans(),
    "returned": st.booleans(),  # the latest version, if neither submitted nor approved, returned by the leader
    "events": st.lists(st.tuples(st.sampled_from(["dong", "mo_lai"]), st.integers(-5, 40)), max_size=3),
    "closed": st.booleans(),
})

_counter = {"n": 0}


def make_case(session, shape) -> int:
    _counter["n"] += 1
    n = _counter["n"]
    child = Child(full_name="Nguyễn Văn An", name_key="nguyen van an", sort_key="an")
    case = Case(code=f"HS-T-{n:05d}", child=child, opened_at=T0,
                closed_at=T0 + timedelta(days=50) if shape["closed"] else None)
    case.intake = Intake(doc_year=2026, doc_number=n, report_date=T0.date(), category="bi_xam_hai",
                         source="dien_thoai", received_at=T0, receiving_officer="Trần Thị Lan")
    session.add(case)
    session.flush()
    day = lambda k: T0 + timedelta(days=k)  # noqa: E731
    if shape["ia"]:
        session.add(InitialAssessment(case_id=case.id, assessor="Trần Thị Lan", assessed_at=day(0),
                                      needs_emergency=shape["emergency"],
                                      completed_at=day(0) if shape["ia"] == "done" else None))
    if shape["measure"]:
        session.add(EmergencyMeasure(case_id=case.id, kind="ngan_chan", taken_at=day(0)))
    for state in shape["separations"]:
        session.add(Separation(case_id=case.id, start_at=day(0), duration_days=15,
                               decided_at=None if state == "draft" else day(0),
                               outcome="huy_bo" if state == "ended" else ""))
    ras = []
    for i in range(shape["ras"]):
        ra = RiskAssessment(case_id=case.id, assessor="Trần Thị Lan", assessed_on=date(2026, 3, 3 + 10 * i),
                            created_at=day(1 + 10 * i))
        session.add(ra)
        session.flush()
        ras.append(ra.id)
    if ras:
        pick = {"latest": ras[-1], "first": ras[0], None: None}
        if shape["meeting_on"]:
            session.add(CaseMeeting(case_id=case.id, risk_assessment_id=pick[shape["meeting_on"]], held_at=day(2),
                                    chair_name="Phạm Văn Hùng"))
        if shape["plan_on"]:
            plan = SupportPlan(case_id=case.id, plan_no=1, risk_assessment_id=pick[shape["plan_on"]])
            session.add(plan)
            session.flush()
            for number, (submitted, approved) in enumerate(shape["versions"], start=1):
                v = PlanVersion(plan_id=plan.id, version=number, drafted_on=day(3).date(),
                                submitted_at=day(3) if submitted or approved else None)
                if shape["returned"] and number == len(shape["versions"]) and not (submitted or approved):
                    v.returned_at, v.return_comment = day(4), "Bổ sung kinh phí"
                session.add(v)
                session.flush()
                if approved:
                    session.add(PlanApproval(version_id=v.id, doc_year=2026, doc_number=1000 * n + number,
                                             plan_doc_year=2026, plan_doc_number=1000 * n + number,
                                             approved_by="Phạm Văn Hùng", approved_at=day(4),
                                             effective_from=day(5).date(), effective_to=day(60).date()))
            if shape["reviewed"]:
                session.add(CaseReview(case_id=case.id, plan_id=plan.id, reviewer="Trần Thị Lan",
                                       reviewed_on=day(61).date(), outcome="ke_hoach_moi", created_at=day(61)))
    for kind, offset in shape["events"]:
        session.add(CaseStatusEvent(case_id=case.id, kind=kind, at=day(offset)))
    session.flush()
    return case.id


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=shapes)
def test_python_sql_and_bulk_stage_agree(db, shape):
    with db.transaction() as session:
        case_id = make_case(session, shape)
    loaded = facts_of(load_case(db, case_id))
    python_stage = stage_of(loaded)
    with db.session() as session:
        sql_stage = session.scalar(select(stage_expression()).where(Case.id == case_id))
        bulk = load_open_facts(session, [case_id])
        every_open = {f.case_id: f for f in load_facts(session)}  # the to-do list's way: from the open cases' index
    assert python_stage == sql_stage == stage_from_facts(bulk[0])
    assert (case_id in every_open) == (not shape["closed"])
    if not shape["closed"]:
        assert vars(every_open[case_id]) == vars(bulk[0])
    assert loaded.plan_return_comment == bulk[0].plan_return_comment  # the leader's comment, read apart in bulk
    assert python_stage in STAGES


def test_case_list_filters_by_stage_in_the_database(db):
    shapes_by_stage = {
        "tiep_nhan": dict(ia=None),
        "khan_cap": dict(ia="done", emergency=True),
        "cach_ly": dict(ia="done", emergency=True, separations=["active"]),
        "da_danh_gia": dict(ia="done", ras=1),
        "dang_thuc_hien": dict(ia="done", ras=1, plan_on="latest", versions=[(True, True)]),
        "da_dong": dict(ia="done", closed=True),
    }
    base = dict(ia=None, emergency=False, measure=False, separations=[], ras=0, meeting_on=None, plan_on=None,
                versions=[(False, False)], reviewed=False, returned=False, events=[], closed=False)
    with db.transaction() as session:
        for stage, shape in shapes_by_stage.items():
            make_case(session, {**base, **shape})
    with db.session() as session:
        for stage in shapes_by_stage:
            assert count_cases(session, CaseFilter(stage=stage)) == 1, stage
        assert count_cases(session, CaseFilter(stage="cho_phe_duyet")) == 0
        assert session.scalar(select(func.count(Case.id))) == len(shapes_by_stage)
