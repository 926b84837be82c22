"""The period reports sent upward ("Báo cáo kết quả công tác bảo vệ trẻ em 6 tháng / 9 tháng / năm"): one row
per issued report, with the number it carries ("Số: NN/BC-UBND", the office's report numbering shared with
Mẫu 01 and the incident report), its date and signer. Written when the report is exported; the to-do list
reads it to know which periodic report is done.

Imported by models.entities so that the table is on Base.metadata.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import AwareDateTime, Base
from .clock import now


class PeriodReport(Base):
    __tablename__ = "period_report"
    __table_args__ = (UniqueConstraint("doc_year", "doc_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_code: Mapped[str] = mapped_column(String(40), index=True)  # "2026-H1", "2026-9M", "2026", a range
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    doc_year: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[int] = mapped_column(Integer)
    report_date: Mapped[date] = mapped_column(Date)
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    made_by_name: Mapped[str] = mapped_column(String(120), default="")  # full name, never the login
    made_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
