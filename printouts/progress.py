"""The progress sheet of a plan (NĐ 56 Điều 29: carrying out the plan, monitoring each activity): each
activity of the plan with its dated progress notes and status, for the case file after Mẫu 04/05.

No numbered form exists for it. Its words come from resources/forms/mau04.json: the ``progress`` section
(title, plan label, columns), the statuses (``activity_statuses``) and the child's label (``child_label``).
"""
from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from models.entities import Case, Office
from models.process_entities import SupportPlan
from models.services import plan as plan_service

from . import admin_layout as L
from . import process_layout as P

WIDTHS = [11 * mm, 52 * mm, 24 * mm, 28 * mm, 50 * mm]


def wording() -> dict[str, Any]:
    return P.spec("04")["progress"]


def has_progress(plan: SupportPlan) -> bool:
    return plan_service.running_version(plan) is not None


def _story(case: Case, office: Office | None, plan: SupportPlan) -> list[Flowable]:
    w = wording()
    statuses = P.spec("04")["activity_statuses"]["values"]
    running = plan_service.running_version(plan) or plan.versions[-1]
    names: dict[int, str] = {}
    for version in plan.versions:  # an activity dropped by an adjustment keeps its name
        for a in version.activities:
            names[a.key] = a.name
    order = [a.key for a in running.activities] + [k for k in names if k not in {a.key for a in running.activities}]
    notes: dict[int, list] = {}
    for note in plan.progress:
        notes.setdefault(note.activity_key, []).append(note)
    story: list[Flowable] = [*P.title(w["title"])]
    story.append(P.label_value(P.spec("04")["child_label"], case.child.full_name if case.child else ""))
    approval = running.approval
    number = plan_service.decision_number(approval, P.abbrev_of(office)) if approval else L.BLANK
    story.append(P.label_value(w["plan_label"], number))
    rows: list[list[Any]] = [P.head_cells(w["columns"])]
    for i, key in enumerate(order, start=1):
        entries = notes.get(key) or [None]
        for j, note in enumerate(entries):
            status = statuses.get(note.status, note.status) if note else statuses.get("chua_bat_dau", "")
            rows.append([
                P.cell(str(i) if j == 0 else "", "cell_center"),
                P.cell(names.get(key, "") if j == 0 else ""),
                P.cell(P.fmt_day(note.noted_on) if note else "", "cell_center"),
                P.cell(status),
                P.cell(L.clean(note.note).strip() if note else ""),
            ])
    story.append(P.grid(rows, WIDTHS))
    return story


def document(case: Case, office: Office | None, plan: SupportPlan) -> P.Doc:
    title = wording()["title"]
    return P.Doc(_story(case, office, plan), L.Metadata(title=title, subject=case.code),
                 f"{title.capitalize()} ({plan.plan_no})")
