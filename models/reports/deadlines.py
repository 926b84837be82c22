"""The periodic reports' due dates in the to-do list (seed 003: the 6-month report by 15/5, the 9-month report
by 15/9, the annual report by 10/11, and the Tháng hành động vì trẻ em report to the province before 20/7).

The dates are resources/report_layouts/periods.json "due", replaced per province by the office setting
"report_deadlines" ("15/5, 15/9, 10/11, 20/7": in that order). A deadline is shown from `remind_days` before
it; it is done when a report of its period has been exported (models.report_entities.PeriodReport).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import VN, fmt_date
from ..entities import Office
from ..report_entities import PeriodReport
from ..validation import Invalid
from .period import Period, _shift, named_period, period_settings

KINDS = ("H1", "9M", "Y", "THD")
TITLES = {"H1": "Báo cáo 6 tháng đầu năm", "9M": "Báo cáo 9 tháng đầu năm", "Y": "Báo cáo năm",
          "THD": "Báo cáo Tháng hành động vì trẻ em"}


def default_text() -> str:
    due = period_settings()["due"]
    return ", ".join(due[k] for k in KINDS)


def parse(text: str | None) -> dict[str, tuple[int, int]]:
    """'15/5, 15/9, 10/11, 20/7' → {kind: (day, month)}; empty → the defaults. Raises Invalid (Vietnamese)."""
    raw = (text or "").strip() or default_text()
    parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
    if len(parts) != len(KINDS):
        raise Invalid(f"Ghi {len(KINDS)} ngày theo thứ tự 6 tháng, 9 tháng, năm, Tháng hành động; "
                      f"ví dụ {default_text()}.")
    out = {}
    for kind, part in zip(KINDS, parts):
        try:
            d, m = (int(x) for x in part.split("/"))
            date(2024, m, d)  # a real day (29/02 allowed)
        except ValueError:
            raise Invalid(f"«{part}» không phải ngày/tháng (ví dụ 15/5).") from None
        out[kind] = (d, m)
    return out


def clean(text: str | None) -> str:
    """The setting as stored: '' for the defaults, else the four dates written the same way."""
    if not (text or "").strip():
        return ""
    dates = parse(text)
    written = ", ".join(f"{d}/{m}" for d, m in (dates[k] for k in KINDS))
    return "" if written == default_text() else written


def period_of(kind: str, year: int) -> Period:
    if kind != "THD":
        return named_period(year, kind)
    spec = period_settings()["thang_hanh_dong"]
    start, end = _shift(year, spec["start"]), _shift(year, spec["end"])
    return Period(f"{start.isoformat()}:{end.isoformat()}", start, end, f"{spec['label']} năm {year}")


@dataclass
class ReportDeadline:
    kind: str
    title: str
    due: date
    period: Period
    done_number: str | None  # "12/BC-UBND" once exported
    done_on: date | None
    late_days: int  # > 0: overdue by this many days (not done)

    @property
    def done(self) -> bool:
        return self.done_number is not None

    def text(self) -> str:
        head = f"{self.title} ({self.period.range_text}): hạn {fmt_date(self.due)}"
        if self.done:
            return f"{head} — đã xuất báo cáo số {self.done_number} ngày {fmt_date(self.done_on)}."
        if self.late_days > 0:
            return f"{head} — quá hạn {self.late_days} ngày, chưa xuất báo cáo."
        return f"{head} — chưa xuất báo cáo."


def report_deadlines(session: Session, at: datetime, *, abbrev: str | None = None) -> list[ReportDeadline]:
    """This year's report deadlines that matter now: due within `remind_days`, overdue and not done, or done
    recently (shown as done until the due day has passed by `remind_days`)."""
    office = session.scalar(select(Office).limit(1))
    try:
        dates = parse(getattr(office, "report_deadlines", "") if office is not None else "")
    except Invalid:
        dates = parse("")
    abbrev = abbrev or (office.agency_abbrev.strip() if office is not None and office.agency_abbrev else "") or "UBND"
    remind = timedelta(days=int(period_settings().get("remind_days", 30)))
    day = at.astimezone(VN).date() if at.tzinfo else at.date()
    out = []
    for kind in KINDS:
        d, m = dates[kind]
        try:
            due = date(day.year, m, d)
        except ValueError:  # 29/02 in a common year
            due = date(day.year, m, 28)
        period = period_of(kind, day.year)
        done = session.scalar(select(PeriodReport).where(PeriodReport.period_start == period.start,
                                                         PeriodReport.period_end == period.end)
                              .order_by(PeriodReport.id).limit(1))
        if day < due - remind:
            continue
        if done is not None and day > due + remind:
            continue
        item = ReportDeadline(kind, TITLES[kind], due, period,
                              f"{done.doc_number:02d}/BC-{abbrev}" if done else None,
                              done.report_date if done else None,
                              0 if done or day <= due else (day - due).days)
        out.append(item)
    out.sort(key=lambda r: (r.done, r.due))
    return out
