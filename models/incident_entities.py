"""The incident report to the level above ("Báo cáo vụ việc"): a case of abuse is reported by phone at
once and in writing no later than one day after (seed 003, the level above's reporting rule).

Imported by models.entities so that the table is on Base.metadata.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from .field_crypto import Protected
from .base import AwareDateTime, Base
from .clock import now
from .entities import Case


class IncidentReport(Base):
    """One report upward about a case. Drafted by the worker; "Số: NN/BC-UBND" (the office's report
    numbering, shared with Mẫu 01) and the report date are given when it is issued. Anonymised by default
    (NĐ 56 Điều 24, 33): the child's name, address and family are not printed unless the worker decides."""

    __tablename__ = "incident_report"
    # Where a case's reports stand, without their texts (the to-do list, for the open cases).
    __table_args__ = (UniqueConstraint("doc_year", "doc_number"),
                      Index("ix_incident_report_case_state", "case_id", "issued_at", "untracked", "phoned_at"))
    # Optimistic versioning: a save names the version it was made from; another workstation's save in
    # between is reported (who, what), never overwritten (models/services/process_common.check_version).
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    phoned_at: Mapped[datetime | None] = mapped_column(AwareDateTime)  # reported by phone at
    phoned_to: Mapped[str] = mapped_column(String(200), default="")  # to whom (name, post, agency)
    phoned_by: Mapped[str] = mapped_column(String(120), default="")
    recipient: Mapped[str] = mapped_column(String(300), default="")  # "Kính gửi" of the written report
    summary: Mapped[str] = mapped_column(Protected(None, "incident_report.summary"), default="")
    actions_taken: Mapped[str] = mapped_column(Protected(None, "incident_report.actions_taken"), default="")
    proposals: Mapped[str] = mapped_column(Protected(None, "incident_report.proposals"), default="")
    anonymised: Mapped[bool] = mapped_column(Boolean, default=True)
    signer: Mapped[str] = mapped_column(String(120), default="")
    signing_capacity: Mapped[str] = mapped_column(String(20), default="chu_tich")
    doc_year: Mapped[int | None] = mapped_column(Integer)
    doc_number: Mapped[int | None] = mapped_column(Integer)
    report_date: Mapped[date | None] = mapped_column(Date)  # the written report's date
    issued_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    issued_by_user: Mapped[str] = mapped_column(String(40), default="")
    # A case of abuse already in the file when this record was introduced (migration 0005): whatever was
    # reported then is on paper; no reminder is shown for it. Never set for a case entered afterwards.
    untracked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    case: Mapped[Case] = relationship(backref=backref(
        "incident_reports", lazy="selectin", cascade="all, delete-orphan", order_by="IncidentReport.id"))
