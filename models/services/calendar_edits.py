"""The office's own edits to the working-day calendar (extra Tết days, swapped Saturdays, a new holiday,
a listed day off the office worked), stored in `calendar_edit` and fed to WorkCalendar as data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import validation as v
from ..calendar_days import DAY_OFF, WORKING_DAY, WorkCalendar
from ..clock import fmt_date
from ..db import Database
from ..process_entities import CalendarEdit
from ..security import audit
from ..security.roles import Actor
from .process_common import ProcessError

REMOVED = "removed"
KINDS = {DAY_OFF: "Ngày nghỉ", WORKING_DAY: "Ngày làm việc", REMOVED: "Bỏ ngày nghỉ"}


@dataclass(frozen=True)
class CalendarEditRow:
    day: date
    kind: str
    name: str


def _require(actor: Actor) -> None:
    # The worker keeps the calendar the deadlines run on; the administrator may too (office settings).
    if not (actor.can("case.edit") or actor.can("settings")):
        actor.require("settings")


def list_calendar_edits(session: Session) -> list[CalendarEditRow]:
    return [CalendarEditRow(e.day, e.kind, e.name)
            for e in session.scalars(select(CalendarEdit).order_by(CalendarEdit.day))]


def calendar_from_edits(edits: list[CalendarEditRow]) -> WorkCalendar:
    return WorkCalendar(
        user_days_off={e.day: e.name for e in edits if e.kind == DAY_OFF},
        user_working_days={e.day: e.name for e in edits if e.kind == WORKING_DAY},
        user_removed=[e.day for e in edits if e.kind == REMOVED],
    )


def load_calendar(session: Session) -> WorkCalendar:
    """The office's WorkCalendar: library + official days off + the user's edits."""
    return calendar_from_edits(list_calendar_edits(session))


def set_calendar_day(db: Database, actor: Actor, day: date | str, kind: str, name: str = "") -> None:
    """Add or change the user's edit of one day: "day_off", "working_day" or "removed"."""
    _require(actor)
    if kind not in KINDS:
        raise ProcessError({"kind": "Chọn: ngày nghỉ, ngày làm việc, hoặc bỏ ngày nghỉ."})
    try:
        d = v.parse_date(day, required=True, what="Ngày")
        label = v.text(name, max_len=120, what="Tên ngày")
    except v.Invalid as exc:
        raise ProcessError({"day": str(exc)}) from None
    with db.transaction() as session:
        row = session.scalar(select(CalendarEdit).where(CalendarEdit.day == d))
        if row is None:
            session.add(CalendarEdit(day=d, kind=kind, name=label, created_by=actor.username))
            changes = [("kind", "", kind)]
        else:
            changes = [("kind", row.kind, kind), ("name", row.name, label)]
            row.kind, row.name = kind, label
        audit.record(session, actor, "update", "calendar", fmt_date(d), detail=f"{KINDS[kind]}: {label}", changes=changes)


def remove_calendar_edit(db: Database, actor: Actor, day: date | str) -> None:
    _require(actor)
    d = v.parse_date(day, required=True, what="Ngày")
    with db.transaction() as session:
        row = session.scalar(select(CalendarEdit).where(CalendarEdit.day == d))
        if row is None:
            raise ProcessError(f"Ngày {fmt_date(d)} không có chỉnh sửa nào của người dùng.")
        session.delete(row)
        audit.record(session, actor, "delete", "calendar", fmt_date(d), detail=f"Bỏ chỉnh sửa: {row.name}")
