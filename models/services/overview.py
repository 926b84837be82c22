"""The overview tab ("Tổng quan"): the commune's situation at a glance, for the worker and the chairman.

Five small counts, each one query over what is open or recent (never a pass over every case):
open cases by stage (the stage rule of models.stages in SQL, over open cases only), overdue steps (from the
to-do list the window has already computed: the same Task list, counted by step), cases received month by
month this year, children in the register by group now, and alternative care (children waiting for a carer,
placements not ended by stage: a commune has a handful of them).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..clock import VN, now
from ..entities import Case
from ..stages import STAGES, stage_expression
from .register import group_counts, special_groups


@dataclass
class Bar:
    key: object  # what a click filters on: a stage code, a month (yyyymm), a group letter, a step
    label: str
    value: int


@dataclass
class Overview:
    at: datetime
    stages: list[Bar] = field(default_factory=list)
    months: list[Bar] = field(default_factory=list)
    groups: list[Bar] = field(default_factory=list)
    care: list[Bar] = field(default_factory=list)
    overdue: list[Bar] | None = None  # None until the to-do list is known

    @property
    def open_cases(self) -> int:
        return sum(b.value for b in self.stages)


def open_by_stage(session: Session) -> list[Bar]:
    stage = stage_expression()
    counts = dict(session.execute(select(stage, func.count()).where(Case.closed_at.is_(None)).group_by(stage)).all())
    return [Bar(code, label, int(counts.get(code, 0))) for code, label in STAGES.items()
            if code != "da_dong" and counts.get(code)]


def by_month(session: Session, year: int, until: date) -> list[Bar]:
    """Cases opened in each month of `year` up to `until` (Vietnam time), as the case list's year filter counts."""
    last = until.month if until.year == year else 12
    bounds = [datetime(year, m, 1, tzinfo=VN) for m in range(1, last + 1)]
    bounds.append(datetime(year + (last == 12), last % 12 + 1, 1, tzinfo=VN))
    # one pass in the database (the ranges use the index on opened_at), no row brought into Python
    sums = [func.coalesce(func.sum(case((Case.opened_at < bounds[i + 1], 1), else_=0)), 0) for i in range(last)]
    cumulative = session.execute(select(*sums).where(Case.opened_at >= bounds[0], Case.opened_at < bounds[-1])).one()
    counts = [int(cumulative[0])] + [int(cumulative[i]) - int(cumulative[i - 1]) for i in range(1, last)]
    return [Bar(year * 100 + m, f"{m:02d}/{year}", counts[m - 1]) for m in range(1, last + 1)]


def by_group(session: Session, on: date) -> list[Bar]:
    counts = group_counts(session, on)
    return [Bar(code, f"{code}) {g.title}", int(counts.get(code, 0))) for code, g in special_groups().items()
            if counts.get(code)]


WAITING = "cho_nguoi_nhan"  # the care chart's first bar: children assessed (Mẫu 10) with no placement under way


def care_by_stage(session: Session) -> list[Bar]:
    """Alternative care: children waiting for a carer (an open Mẫu 10 with no placement under way), then the
    placements not ended, by stage (models.services.placements.stage)."""
    from ..care_entities import CareNeed, Placement
    from . import placements

    stages = Counter()
    busy = set()
    for p in session.scalars(select(Placement)):
        s = placements.stage(p)
        if s != "da_cham_dut":
            stages[s] += 1
            busy.add(p.care_need_id)
    waiting = sum(1 for need_id in session.scalars(select(CareNeed.id).where(CareNeed.closed_at.is_(None)))
                  if need_id not in busy)
    bars = [Bar(WAITING, "Trẻ em chờ tìm người nhận (đã có Mẫu 10)", waiting)] if waiting else []
    return bars + [Bar(code, label, stages[code]) for code, label in placements.STAGES.items() if stages.get(code)]


def _step_label(code: str, fallback: str) -> str:
    from .. import forms

    if code == "cstt":  # alternative care's steps (models.services.placements.care_tasks)
        return "Chăm sóc thay thế"
    try:
        return forms.step_title(code)
    except (KeyError, forms.UnknownForm):
        return fallback


def overdue_by_step(tasks) -> list[Bar]:
    """Overdue steps of the to-do list (models.services.tasks.Task), counted by the step of the process (the
    screen that does it: Mẫu 02, the plan, a plan activity…)."""
    late = [t for t in tasks if t.late]
    counts = Counter(t.form for t in late)
    example = {t.form: t.step for t in late}
    return [Bar(code, _step_label(code, example[code]), n) for code, n in counts.most_common()]


def overview(session: Session, at: datetime | None = None, tasks=None) -> Overview:
    at = at or now()
    day = at.astimezone(VN).date()
    out = Overview(at, open_by_stage(session), by_month(session, day.year, day), by_group(session, day),
                   care_by_stage(session))
    if tasks is not None:
        out.overdue = overdue_by_step(tasks)
    return out
