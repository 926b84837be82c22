"""Việc cần làm: every open case's pending steps with their legal deadlines, most urgent first.

Built for 20,000 cases: a dozen column queries (no Case objects), facts assembled in dictionaries, then the
same `pending_steps` rule the case view uses (models.stages), so the list and the case view never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import collector
from ..calendar_days import WorkCalendar
from ..clock import VN, now
from ..db import Database
from ..portable import consistent_reads
from ..stages import CaseFacts, NextStep, load_facts, pending_steps, stage_from_facts, urgency_key
from .calendar_edits import load_calendar
from .placements import care_tasks

# Activities appear on the list from this long before their expected end (and once late).
ACTIVITY_HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class Task:
    case_id: int
    case_code: str
    child_name: str
    stage: str
    step: str  # what to do
    rule: str  # the legal limit in words
    deadline: datetime | None
    status: str  # "Còn 3 giờ 10 phút" / "Quá hạn 2 ngày 4 giờ"
    late: bool
    form: str  # which screen does it (see NextStep.form); "cstt": alternative care, `ref` the placement (case_id 0)
    remind_from: datetime | None = None
    ref: int | None = None  # what on that screen (the plan activity's key)
    for_leader: bool = False  # waits for the chairman: an approval or a signature


def compute_tasks(source: Session | Database, calendar: WorkCalendar | None = None, at: datetime | None = None, *,
                  activity_horizon: timedelta = ACTIVITY_HORIZON, leader_first: bool = False) -> list[Task]:
    """Every open case's pending steps, overdue first (the latest first), then the soonest deadline.
    Each case's own step is always listed; a plan activity only once it is due within `activity_horizon`
    or late. `calendar` defaults to the office's calendar (with the user's edits). With `leader_first`
    (the chairman's list) what waits for the leader — approvals, signatures — comes before the rest."""
    if isinstance(source, Database):
        with source.session() as session, collector.paused():  # many objects, no cycles: models/collector.py
            consistent_reads(session)  # several workstations write meanwhile: one snapshot for the whole list
            return compute_tasks(session, calendar, at, activity_horizon=activity_horizon, leader_first=leader_first)
    session = source
    at = at or now()
    cal = calendar or load_calendar(session)
    tasks: list[tuple[tuple, Task]] = []
    # Activities ending after this day cannot come within the horizon (the exact test is below).
    until = (at + activity_horizon).astimezone(VN).date() if at.tzinfo is not None else None
    for f in load_facts(session, activities_until=until):
        stage = stage_from_facts(f)
        for step in pending_steps(f, cal):
            if step.form == "hoat_dong" and step.deadline - at > activity_horizon:
                continue
            tasks.append((urgency_key(step, at), _task(f, stage, step, at)))
    # Alternative care's own items (no case): the quarterly list of carers (Mẫu 09).
    from .carers import list_tasks as carer_list_tasks

    for task in carer_list_tasks(session, cal, at):
        tasks.append((urgency_key(task, at), task))
    tasks.extend(care_tasks(session, cal, at))  # alternative care (placements), models.services.placements
    tasks.sort(key=lambda t: ((not t[1].for_leader) if leader_first else False, t[0], t[1].case_code))
    return [t for _, t in tasks]


def _task(f: CaseFacts, stage: str, step: NextStep, at: datetime) -> Task:
    return Task(case_id=f.case_id, case_code=f.code, child_name=f.child_name, stage=stage, step=step.title,
                rule=step.rule, deadline=step.deadline, status=step.status(at), late=step.is_late(at),
                form=step.form, remind_from=step.remind_from, ref=step.ref, for_leader=step.for_leader)


def change_marker(db: Database) -> int | None:
    """A number that moves whenever anyone writes to the office's data: the audit chain's length (every save,
    decision, import … writes an audit entry). One row read: cheap enough to ask every few seconds, so that a
    workstation of the server mode sees others' work without re-reading the cases (desktop/cases/tasks_view)."""
    from ..entities import AuditHead

    with db.session() as session:
        return session.scalar(select(AuditHead.count).order_by(AuditHead.id).limit(1))
