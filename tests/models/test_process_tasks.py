"""The to-do list (most urgent first, over all open cases) and the demo's case process."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from models.care_entities import CareEndDecision, Placement
from models.clock import VN
from models.demo import generate_demo
from models.entities import Case, DocumentCounter, Intake
from models.process_entities import (
    CaseReview, CaseStatusEvent, InitialAssessment, PlanApproval, PlanVersion, RiskAssessment, Separation,
)
from models.services import assessment, plan
from models.services.cases import load_case
from models.services.intake import create_intake, parse_intake
from models.services.tasks import compute_tasks
from models.stages import STAGES, stage_expression, stage_of
from tests.conftest import intake_raw
from tests.models.test_process_data import CAL, ia_raw, plan_raw, ra_raw

AT = datetime(2026, 11, 25, 10, 0, tzinfo=VN)


def _intake(db, actor, **overrides) -> int:
    # children at risk, not abused: no incident report upward (tests/models/test_incident_report.py)
    overrides.setdefault("category", "nguy_co_bao_luc")
    data, errors = parse_intake(intake_raw(personal_id="", **overrides), at=AT)
    assert errors == {}
    return create_intake(db, data, actor)


def test_tasks_overdue_first_then_soonest(office_db, actor):
    db = office_db
    fresh = _intake(db, actor, received_at="08:00 25/11/2026", report_date="25/11/2026", child_name="Lê Văn Nam")
    old = _intake(db, actor, received_at="08:00 23/11/2026", report_date="23/11/2026", child_name="Phạm Thị Hoa")
    emergency = _intake(db, actor, received_at="20:00 24/11/2026", report_date="24/11/2026", child_name="Đỗ Minh Khôi")
    planning = _intake(db, actor, received_at="08:00 20/11/2026", report_date="20/11/2026", child_name="Vũ Thu Trang")
    assessment.save_initial_assessment(db, actor, emergency, ia_raw(assessed_at="21:00 24/11/2026"), at=AT)
    assessment.save_initial_assessment(db, actor, planning, ia_raw(), at=datetime(2026, 11, 20, 10, tzinfo=VN))
    assessment.save_risk_assessment(db, actor, planning, ra_raw(), at=AT)
    plan.create_plan(db, actor, planning, plan_raw(), at=AT)

    tasks = compute_tasks(db, CAL, AT)
    assert [t.case_id for t in tasks] == [old, emergency, fresh, planning]
    assert tasks[0].late and tasks[0].status == "Quá hạn 1 ngày 14 giờ" and "Mẫu số 02" in tasks[0].step
    assert tasks[1].late and tasks[1].form == "07" and tasks[1].status == "Quá hạn 2 giờ"
    assert not tasks[2].late and tasks[2].status == "Còn 10 giờ"
    assert tasks[3].form == "04" and tasks[3].deadline.date() == date(2026, 11, 27)  # 24/11 is a working day
    assert tasks[3].child_name == "Vũ Thu Trang" and tasks[3].case_code.startswith("HS-2026-")
    assert "05 ngày làm việc" in tasks[3].rule


def test_demo_has_every_stage_with_consistent_records(db, actor):
    generate_demo(db, actor, children=2500, cases=3000, today=date(2026, 11, 25))
    with db.session() as s:
        stages = dict(s.execute(select(Case.id, stage_expression())).all())
        found = Counter(stages.values())
        assert set(found) == set(STAGES), found
        # Dates in order: received ≤ Mẫu 02 ≤ Mẫu 03; submitted ≤ approved; nothing in the future.
        end = datetime(2026, 11, 25, tzinfo=VN)
        for received, assessed, done in s.execute(
                select(Intake.received_at, InitialAssessment.assessed_at, InitialAssessment.completed_at)
                .join(InitialAssessment, InitialAssessment.case_id == Intake.case_id)):
            assert received <= assessed <= done < end
        for done, ra_at in s.execute(select(InitialAssessment.completed_at, RiskAssessment.created_at)
                                     .join(RiskAssessment, RiskAssessment.case_id == InitialAssessment.case_id)):
            assert done < ra_at < end
        for submitted, approved in s.execute(select(PlanVersion.submitted_at, PlanApproval.approved_at)
                                             .join(PlanApproval, PlanApproval.version_id == PlanVersion.id)):
            assert submitted <= approved < end
        for closed, event in s.execute(select(Case.closed_at, func.max(CaseStatusEvent.at))
                                       .join(CaseStatusEvent, CaseStatusEvent.case_id == Case.id)
                                       .where(Case.closed_at.is_not(None), CaseStatusEvent.kind == "dong")
                                       .group_by(Case.id)):
            assert closed == event
        assert s.scalar(select(func.count()).select_from(Case).where(
            Case.closed_at.is_not(None), ~Case.id.in_(select(CaseStatusEvent.case_id)))) == 0
        # Numbers continue the counters: the highest decision number per year is the counter.
        qd = dict(s.execute(select(DocumentCounter.year, DocumentCounter.last_number)
                            .where(DocumentCounter.kind == "QĐ")).all())
        for year in qd:
            top = max(s.scalar(select(func.max(PlanApproval.doc_number)).where(PlanApproval.doc_year == year)) or 0,
                      s.scalar(select(func.max(Separation.doc_number)).where(Separation.doc_year == year)) or 0,
                      # alternative care's decisions (Mẫu 12, 16) share the "QĐ" counter (models/demo_care.py)
                      s.scalar(select(func.max(Placement.doc_number)).where(Placement.doc_year == year)) or 0,
                      s.scalar(select(func.max(CareEndDecision.doc_number)).where(CareEndDecision.doc_year == year)) or 0)
            assert top == qd[year]
        assert s.scalar(select(func.count()).select_from(CaseReview)) > 0
    for case_id in list(stages)[-150:]:  # Python and SQL agree on demo cases too
        assert stage_of(load_case(db, case_id)) == stages[case_id]
    tasks = compute_tasks(db, CAL, datetime(2026, 11, 25, 8, tzinfo=VN))
    late = sum(t.late for t in tasks)
    assert tasks and 0 < late < len(tasks)  # mostly met, some late
    assert tasks[0].late and all(not t.late for t in tasks[late:])


def test_a_case_opened_by_another_workstation_while_the_list_is_computed(office_db, actor, data_dir):
    """The to-do list is read in several queries. A case another workstation opens between two of them used to
    stop the list with a KeyError (seen in the server-mode load test); now the list is computed — with or
    without the newcomer — and the next computation shows it."""
    from sqlalchemy import event

    from models.services.accounts import login
    from models.stages import INCIDENT_CATEGORY
    from tests.conftest import PASSWORD

    db = office_db
    _intake(db, actor, received_at="08:00 24/11/2026", report_date="24/11/2026", child_name="Lê Văn Nam")
    other = login(data_dir, "admin", PASSWORD)  # the second workstation
    opened: list[int] = []

    def open_a_case_after_the_first_read(conn, cursor, statement, *_args):
        if not opened and "case_file" in statement:
            opened.append(_intake(other.db, other.actor, received_at="09:00 24/11/2026", report_date="24/11/2026",
                                  category=INCIDENT_CATEGORY,
                                  child_name="Phạm Thị Cúc"))

    event.listen(db.engine, "after_cursor_execute", open_a_case_after_the_first_read)
    try:
        tasks = compute_tasks(db, CAL, AT)
    finally:
        event.remove(db.engine, "after_cursor_execute", open_a_case_after_the_first_read)
        other.close()
    assert opened and len({t.case_id for t in tasks}) in (1, 2)
    assert opened[0] in {t.case_id for t in compute_tasks(db, CAL, AT)}


@pytest.mark.sqlite_only
def test_the_to_do_list_reads_the_open_cases_from_small_indexes(db, actor):
    """At 200,000 children the open cases' wide rows (an intake's texts, a child's address…) no longer stayed in
    the page cache and the list grew faster than the data: every question is answered from an index that holds
    the columns asked (migration 0700), the open cases from their own partial index."""
    from sqlalchemy import event

    generate_demo(db, actor, children=300, cases=200, today=date(2026, 11, 25))
    statements = []
    listen = lambda conn, cursor, statement, params, context, many: statements.append((statement, params))  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        tasks = compute_tasks(db, CAL, AT)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert tasks and any(t.form == "hoat_dong" for t in tasks)
    plans = {}
    with db.engine.connect() as conn:
        for statement, params in statements:
            if "closed_at IS NULL" in statement:
                plans[statement] = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)]
    assert len(plans) >= 10
    for statement, plan_ in plans.items():
        for step in plan_:
            assert not step.startswith("SCAN case_file") or "ix_case_file_open" in step, (statement, plan_)
            for table in ("child", "intake", "initial_assessment", "incident_report", "case_review", "plan_version",
                          "plan_activity", "case_file"):
                if step.startswith((f"SEARCH {table} ", f"SCAN {table} ")) and "name" not in statement.split("FROM")[0]:
                    assert "COVERING INDEX" in step, (statement, plan_)
        if "child.full_name" in statement:
            assert any("SEARCH child USING COVERING INDEX ix_child_id_name" in step for step in plan_), plan_


def test_the_to_do_list_pauses_the_garbage_collector_and_gives_it_back(office_db, actor, monkeypatch):
    """The list builds many objects without cycles with the collector paused (models/collector.py): paused while
    the list is read, on again afterwards, and left off where the caller had turned it off; two threads pausing at
    once do not turn it on under each other."""
    import gc
    import threading

    from models import collector
    from models.services import tasks as tasks_module

    seen = []
    real = tasks_module.load_facts

    def watching(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr("models.services.tasks.load_facts", watching)
    assert gc.isenabled()
    compute_tasks(office_db, CAL, AT)
    assert seen == [False] and gc.isenabled()

    gc.disable()
    try:
        compute_tasks(office_db, CAL, AT)
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()

    inside, leave = threading.Event(), threading.Event()

    def hold():
        with collector.paused():
            inside.set()
            leave.wait(10)

    other = threading.Thread(target=hold)
    other.start()
    assert inside.wait(10)
    with collector.paused():
        pass
    assert not gc.isenabled()  # the other thread still holds it
    leave.set()
    other.join(10)
    assert gc.isenabled()
