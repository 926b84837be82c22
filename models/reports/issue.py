"""The number, date and signer of a period report ("Số: NN/BC-UBND", the office's report numbering shared with
Mẫu 01 and the incident report), and the record that it was sent (models.report_entities.PeriodReport).

The number is read before the files are written and taken (the counter moved, the report recorded) only after
both files are safely on the stick: a failed export leaves the database as it was. A second export of the same
period on the same day (the named copy beside the anonymous one) carries the same number.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..entities import DocumentCounter, Office
from ..errors import UserError
from ..numbering import next_number
from ..report_entities import PeriodReport
from .period import Period

KIND = "BC"
SIGNER_LINES = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
# NĐ 56/2017 names the post "người làm công tác bảo vệ trẻ em cấp xã"; the office has no title field.
WORKER_TITLE = "Người làm công tác bảo vệ trẻ em cấp xã"
LEADER_TITLE = "Lãnh đạo Ủy ban nhân dân"


@dataclass(frozen=True)
class ReportIssue:
    number: int
    year: int
    abbrev: str
    report_date: date
    signer_name: str  # the chairman (office settings); "" = not declared
    made_by_name: str  # full name of the person who made the report
    made_by_title: str
    reused: bool = False  # the same number as an earlier export of this period today

    @property
    def number_text(self) -> str:
        return f"{self.number:02d}/BC-{self.abbrev or 'UBND'}"

    @property
    def made_by(self) -> str:
        return f"{self.made_by_name}, {self.made_by_title.lower()}" if self.made_by_title else self.made_by_name


def title_of(actor) -> str:
    roles = getattr(actor, "roles", frozenset())
    if "worker" in roles:
        return WORKER_TITLE
    if "leader" in roles:
        return LEADER_TITLE
    return ""


def prepare(session: Session, period: Period, actor, day: date) -> ReportIssue:
    """The number this report will carry (nothing written)."""
    office = session.scalar(select(Office).limit(1))
    abbrev = (office.agency_abbrev.strip() if office else "") or "UBND"
    signer = (office.chairman_name.strip() if office else "")
    earlier = session.scalar(select(PeriodReport).where(PeriodReport.period_code == period.code,
                                                        PeriodReport.report_date == day)
                             .order_by(PeriodReport.id.desc()).limit(1))
    name, title = actor.full_name, title_of(actor)
    if earlier is not None:
        return ReportIssue(earlier.doc_number, earlier.doc_year, abbrev, day, signer, name, title, reused=True)
    last = session.scalar(select(DocumentCounter.last_number).where(DocumentCounter.kind == KIND,
                                                                    DocumentCounter.year == day.year)) or 0
    return ReportIssue(last + 1, day.year, abbrev, day, signer, name, title)


class NumberTaken(UserError):
    """Another program took the number meanwhile: the files are made again with the next one (the export
    retries; the message is for the unlikely case it still cannot)."""

    def __init__(self) -> None:
        super().__init__("Số báo cáo vừa được cấp cho văn bản khác; hãy xuất lại báo cáo.")


def record(session: Session, period: Period, issue: ReportIssue, made_at: datetime) -> None:
    """Inside the export's final transaction: take the number and record the report."""
    if issue.reused:  # the same report again (the named copy): already recorded
        return
    number = next_number(session, KIND, issue.year)
    if number != issue.number:
        raise NumberTaken
    session.add(PeriodReport(period_code=period.code, period_start=period.start, period_end=period.end,
                             doc_year=issue.year, doc_number=number, report_date=issue.report_date,
                             signer_name=issue.signer_name, made_by_name=issue.made_by_name, made_at=made_at))
