"""Records of the Nghị định 56 case process after intake: Mẫu 02–07, the case meeting, plan execution.

Imported by models.entities so that every table is on Base.metadata. Portable SQL only.

Nothing here stores a case's stage or a computed result: the stage is derived from which records exist
(models.stages), and the Mẫu 03/06 totals and conclusions are computed from the stored ratings
(models.process_rules). Each record keeps who wrote it and when, for the file and the audit.

Relationships towards the case are declared here with `backref`s on Case (models.entities stays
untouched) and load eagerly with "selectin": a Case read for the case view or a printout arrives with its
whole process, so that it can be used after its session has closed. Bulk screens (the list, the to-do
list) never load Case objects; they query columns.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from .field_crypto import Protected
from .base import AwareDateTime, Base
from .clock import now
from .entities import Case


def _case_backref(name: str, order_by: str) -> Any:
    return backref(name, lazy="selectin", cascade="all, delete-orphan", order_by=order_by)


class InitialAssessment(Base):
    """Mẫu số 02 — đánh giá nguy cơ ban đầu (NĐ 56 Điều 26, 31.1). One per case.

    `needs_emergency_by_rule` is what the answers say (Điều 31.1); `needs_emergency` is the worker's
    confirmed conclusion, which may differ only with `override_reason` written down.
    `completed_at` None = answers recorded, conclusion not yet confirmed (the 12-hour clock still runs).
    Every yes/no answer is three-state: None = not answered (never read as "Không"); a completed
    assessment has every answer and its conclusion."""

    __tablename__ = "initial_assessment"
    # What the to-do list asks of the open cases' assessments, without their texts.
    __table_args__ = (Index("ix_initial_assessment_case_done", "case_id", "completed_at", "needs_emergency"),)
    # Optimistic versioning: a save names the version it was made from; another workstation's save in
    # between is reported (who, what), never overwritten (models/services/process_common.check_version).
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), unique=True)
    assessor: Mapped[str] = mapped_column(String(120))
    assessed_at: Mapped[datetime] = mapped_column(AwareDateTime)
    threat_life: Mapped[bool | None] = mapped_column(Boolean)
    threat_health: Mapped[bool | None] = mapped_column(Boolean)
    threat_dignity: Mapped[bool | None] = mapped_column(Boolean)
    threat_description: Mapped[str] = mapped_column(Protected(None, "initial_assessment.threat_description"), default="")
    caregiver_is_abuser: Mapped[bool | None] = mapped_column(Boolean)
    abuser_can_reach: Mapped[bool | None] = mapped_column(Boolean)
    abuser_access_description: Mapped[str] = mapped_column(Protected(None, "initial_assessment.abuser_access_description"), default="")
    safety_measures: Mapped[str] = mapped_column(Protected(None, "initial_assessment.safety_measures"), default="")
    needs_emergency_by_rule: Mapped[bool | None] = mapped_column(Boolean)
    needs_emergency: Mapped[bool | None] = mapped_column(Boolean)
    override_reason: Mapped[str] = mapped_column(Protected(None, "initial_assessment.override_reason"), default="")
    completed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    case: Mapped[Case] = relationship(backref=backref("initial_assessment", uselist=False, lazy="selectin",
                                                      cascade="all, delete-orphan"))


class EmergencyMeasure(Base):
    """An emergency protection measure taken (Luật Trẻ em Điều 50), other than a separation decision."""

    __tablename__ = "emergency_measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # resources/forms/mau02.json emergency_measures.kinds
    description: Mapped[str] = mapped_column(Protected(None, "emergency_measure.description"), default="")
    taken_at: Mapped[datetime] = mapped_column(AwareDateTime)
    decided_by: Mapped[str] = mapped_column(String(120), default="")  # the chairman who ordered it
    carried_out_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    case: Mapped[Case] = relationship(backref=_case_backref("emergency_measures", "EmergencyMeasure.taken_at"))


class Separation(Base):
    """Mẫu số 07 — tạm thời cách ly trẻ em (NĐ 56 Điều 32): drafted by the worker, decided by the chairman.

    Not decided while `decided_at` is None. The number "Số: …/QĐ-UBND" is issued at decision.
    More than 15 days only with an authority's order recorded (order_*). Outcome: "huy_bo" (child returns
    home) or "de_nghi_toa_an" (the court is asked to continue), with its moment."""

    __tablename__ = "separation"
    __table_args__ = (UniqueConstraint("doc_year", "doc_number"),)
    # Optimistic versioning: a save names the version it was made from; another workstation's save in
    # between is reported (who, what), never overwritten (models/services/process_common.check_version).
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    grounds: Mapped[list[str]] = mapped_column(JSON, default=list)  # ids from mau07.json grounds.items
    separated_from: Mapped[str] = mapped_column(Protected(None, "separation.separated_from"), default="")
    safe_place: Mapped[str] = mapped_column(Protected(None, "separation.safe_place"), default="")
    carer_kind: Mapped[str] = mapped_column(String(30), default="nguoi_cham_soc_thay_the")
    carer_name: Mapped[str] = mapped_column(Protected(200, "separation.carer_name"), default="")
    carer_address: Mapped[str] = mapped_column(Protected(300, "separation.carer_address"), default="")
    executing_officer: Mapped[str] = mapped_column(String(200), default="")
    recipients: Mapped[str] = mapped_column(Protected(None, "separation.recipients"), default="")  # one per line
    start_at: Mapped[datetime] = mapped_column(AwareDateTime)
    duration_days: Mapped[int] = mapped_column(Integer, default=15)
    # The decision as signed, kept when an authority's order extends it (None: never extended).
    original_duration_days: Mapped[int | None] = mapped_column(Integer)
    original_order_number: Mapped[str] = mapped_column(String(60), default="")
    original_order_date: Mapped[date | None] = mapped_column(Date)
    original_order_body: Mapped[str] = mapped_column(String(200), default="")
    order_number: Mapped[str] = mapped_column(String(60), default="")
    order_date: Mapped[date | None] = mapped_column(Date)
    order_body: Mapped[str] = mapped_column(String(200), default="")
    drafted_by: Mapped[str] = mapped_column(String(120), default="")
    drafted_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    doc_year: Mapped[int | None] = mapped_column(Integer)
    doc_number: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    signing_capacity: Mapped[str] = mapped_column(String(20), default="chu_tich")
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    decided_by_user: Mapped[str] = mapped_column(String(40), default="")
    outcome: Mapped[str] = mapped_column(String(20), default="")  # "", "huy_bo", "de_nghi_toa_an"
    outcome_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    outcome_note: Mapped[str] = mapped_column(Protected(None, "separation.outcome_note"), default="")

    case: Mapped[Case] = relationship(backref=_case_backref("separations", "Separation.id"))


class RiskAssessment(Base):
    """Mẫu số 03 — thu thập thông tin, xác minh và đánh giá nguy cơ cụ thể. A case may have several
    (reassessment after a separation, a new plan after a review); the latest one leads the plan.

    `answers` = {question id: {answer id: text}} and `ratings` = {"harm": {item id: level},
    "self_protection": {item id: level}}, ids from resources/forms/mau03.json. Counts and the conclusion
    are never stored (process_rules.risk_conclusion)."""

    __tablename__ = "risk_assessment"
    # Optimistic versioning: a save names the version it was made from; another workstation's save in
    # between is reported (who, what), never overwritten (models/services/process_common.check_version).
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}
    # Covering index for the to-do list: (case, moment, id) without reading the large JSON rows. (SQLite's index
    # entries hold the row id; PostgreSQL's are told to, here and below: `postgresql_include`, migration 0900.)
    __table_args__ = (Index("ix_risk_assessment_case_created", "case_id", "created_at", postgresql_include=["id"]),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    assessor: Mapped[str] = mapped_column(String(120))
    assessed_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)  # in priority order
    child_opinion: Mapped[str] = mapped_column(Protected(None, "risk_assessment.child_opinion"), default="")
    parents_opinion: Mapped[str] = mapped_column(Protected(None, "risk_assessment.parents_opinion"), default="")
    parents_opinion_skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    parents_skip_reason: Mapped[str] = mapped_column(Protected(None, "risk_assessment.parents_skip_reason"), default="")
    service_needs: Mapped[list[str]] = mapped_column(JSON, default=list)  # ids from mau03.json part7.needs
    service_needs_note: Mapped[str] = mapped_column(Protected(None, "risk_assessment.service_needs_note"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    case: Mapped[Case] = relationship(backref=_case_backref("risk_assessments", "RiskAssessment.id"))


class CaseMeeting(Base):
    """Biên bản họp: the case meeting chaired by the chairman (NĐ 56 Điều 27.2).

    `risk_assessment_id` ties the meeting to the Mẫu 03 it discussed (set by the service to the latest
    one), which is how the stage knows the meeting of the current round was held.
    `attendees` = [{"name": …, "role": role id from bien_ban_hop.json, "position": free text}]."""

    __tablename__ = "case_meeting"
    # Optimistic versioning: a save names the version it was made from; another workstation's save in
    # between is reported (who, what), never overwritten (models/services/process_common.check_version).
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}
    # Covering index for the to-do list (the rows hold long minutes).
    __table_args__ = (Index("ix_case_meeting_case_ra", "case_id", "risk_assessment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    risk_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("risk_assessment.id", ondelete="RESTRICT"), index=True)
    purpose: Mapped[str] = mapped_column(String(30), default="xac_dinh_nhu_cau")
    held_at: Mapped[datetime] = mapped_column(AwareDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    chair_name: Mapped[str] = mapped_column(String(120))
    chair_title: Mapped[str] = mapped_column(String(120), default="Chủ tịch UBND xã")
    secretary: Mapped[str] = mapped_column(String(120), default="")
    attendees: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    content: Mapped[str] = mapped_column(Protected(None, "case_meeting.content"), default="")
    conclusions: Mapped[str] = mapped_column(Protected(None, "case_meeting.conclusions"), default="")
    measures: Mapped[str] = mapped_column(Protected(None, "case_meeting.measures"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    case: Mapped[Case] = relationship(backref=_case_backref("meetings", "CaseMeeting.held_at"))


class SupportPlan(Base):
    """Mẫu số 04 — a support/intervention plan of a case (plan_no 1, 2, … per case), built on one Mẫu 03.

    Its content lives in versions: a version is edited while a draft, then submitted, then approved
    (Mẫu 05) and frozen. Changing an approved plan makes a new version (an adjustment, with its reason)."""

    __tablename__ = "support_plan"
    __table_args__ = (UniqueConstraint("case_id", "plan_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    plan_no: Mapped[int] = mapped_column(Integer)
    risk_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("risk_assessment.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    case: Mapped[Case] = relationship(backref=_case_backref("plans", "SupportPlan.plan_no"))
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanVersion.version", lazy="selectin")
    progress: Mapped[list[ActivityProgress]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by=lambda: (ActivityProgress.noted_on, ActivityProgress.id), lazy="selectin")


class PlanVersion(Base):
    """One version of a plan. Draft while `submitted_at` is None; awaiting approval once submitted;
    approved (frozen) once it has an approval. `reason` says why an adjustment was made."""

    __tablename__ = "plan_version"
    # A plan's versions and where each stands, without their texts (the to-do list, for the open cases).
    __table_args__ = (UniqueConstraint("plan_id", "version"),
                      Index("ix_plan_version_plan_state", "plan_id", "version", "submitted_at", "returned_at",
                            postgresql_include=["id"]))

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plan.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Protected(None, "plan_version.reason"), default="")
    drafted_by: Mapped[str] = mapped_column(String(120), default="")
    drafted_on: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    submitted_by: Mapped[str] = mapped_column(String(40), default="")
    # The leader sent the submitted version back for changes, with a comment (until it is submitted again).
    returned_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    returned_by: Mapped[str] = mapped_column(String(120), default="")
    return_comment: Mapped[str] = mapped_column(Protected(None, "plan_version.return_comment"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now, onupdate=now)

    plan: Mapped[SupportPlan] = relationship(back_populates="versions")
    objectives: Mapped[list[PlanObjective]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="PlanObjective.position", lazy="selectin")
    activities: Mapped[list[PlanActivity]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="PlanActivity.position", lazy="selectin")
    approval: Mapped[PlanApproval | None] = relationship(
        back_populates="version", uselist=False, cascade="all, delete-orphan", lazy="selectin")

    @property
    def is_approved(self) -> bool:
        return self.approval is not None

    @property
    def total_cost(self) -> int:
        return sum(a.cost for a in self.activities)


class PlanObjective(Base):
    """An objective of Mẫu 04 part 1: one of the three printed ones (`printed_id`) or a free one."""

    __tablename__ = "plan_objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    printed_id: Mapped[str] = mapped_column(String(40), default="")  # mau04.json objectives.printed id, or ""
    text: Mapped[str] = mapped_column(Protected(None, "plan_objective.text"), default="")  # the free objective's words

    version: Mapped[PlanVersion] = relationship(back_populates="objectives")


class PlanActivity(Base):
    """One row of Mẫu 04 part 3 plus what Điều 28.3 requires per activity.

    `key` identifies the same activity across versions (copied with it), so that its status and progress
    notes (ActivityProgress) follow it through adjustments."""

    __tablename__ = "plan_activity"
    # A version's activities by end date (the to-do list reads those due soon or late from the index alone).
    __table_args__ = (Index("ix_plan_activity_version_due", "version_id", "end_on", "key", postgresql_include=["id"]),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"))
    key: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))  # mau04.json activity_kinds.kinds id
    name: Mapped[str] = mapped_column(Protected(None, "plan_activity.name"))
    responsible: Mapped[str] = mapped_column(String(200), default="")
    coordinating: Mapped[str] = mapped_column(String(200), default="")
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    provider: Mapped[str] = mapped_column(String(200), default="")
    cost: Mapped[int] = mapped_column(Integer, default=0)  # đồng (VND), whole

    version: Mapped[PlanVersion] = relationship(back_populates="activities")


class PlanApproval(Base):
    """Mẫu số 05 — Quyết định phê duyệt kế hoạch: the chairman (or a vice-chairman, "KT. CHỦ TỊCH")
    approves one plan version. Numbers: the decision "…/QĐ-UBND" and the plan "…/KH-UBND"."""

    __tablename__ = "plan_approval"
    # An approval's end date by its version from an index on the server (SQLite reads the row through the unique
    # index of the version whatever else exists: there it would only cost).
    __table_args__ = (UniqueConstraint("doc_year", "doc_number"), UniqueConstraint("plan_doc_year", "plan_doc_number"),
                      Index("ix_plan_approval_version_end", "version_id", "effective_to", info={"engines": ("postgresql",)})
                      .ddl_if(dialect="postgresql"))

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="RESTRICT"), unique=True)
    doc_year: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[int] = mapped_column(Integer)
    plan_doc_year: Mapped[int] = mapped_column(Integer)
    plan_doc_number: Mapped[int] = mapped_column(Integer)
    approved_by: Mapped[str] = mapped_column(String(120))
    signing_capacity: Mapped[str] = mapped_column(String(20), default="chu_tich")
    approved_at: Mapped[datetime] = mapped_column(AwareDateTime)
    approved_by_user: Mapped[str] = mapped_column(String(40), default="")
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date] = mapped_column(Date)
    recipients: Mapped[str] = mapped_column(Protected(None, "plan_approval.recipients"), default="")

    version: Mapped[PlanVersion] = relationship(back_populates="approval")


class ActivityProgress(Base):
    """A dated note on carrying out an activity, with the activity's status from then on.
    The activity's current status is its latest note's (none yet: "chua_bat_dau"). `reason` says why a
    status moved backwards (a finished activity reopened), confirmed by the user."""

    __tablename__ = "activity_progress"
    # Covering index for the to-do list: each activity's latest status without reading the notes.
    __table_args__ = (Index("ix_activity_progress_status", "plan_id", "noted_on", "activity_key", "status",
                            postgresql_include=["id"]),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plan.id", ondelete="CASCADE"), index=True)
    activity_key: Mapped[int] = mapped_column(Integer)
    noted_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # mau04.json activity_statuses.values
    note: Mapped[str] = mapped_column(Protected(None, "activity_progress.note"), default="")
    reason: Mapped[str] = mapped_column(Protected(None, "activity_progress.reason"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    plan: Mapped[SupportPlan] = relationship(back_populates="progress")


class CaseReview(Base):
    """Mẫu số 06 — rà soát, đánh giá after a plan. `ratings` as in RiskAssessment (tables of mau06.json).
    Outcome "ket_thuc" closes the case; "ke_hoach_moi" sends it back to Mẫu 03 for a new plan."""

    __tablename__ = "case_review"
    # A case's reviews, their plan and moment, without their texts (the to-do list, for the open cases).
    __table_args__ = (Index("ix_case_review_case_plan", "case_id", "plan_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plan.id", ondelete="RESTRICT"), unique=True)
    reviewer: Mapped[str] = mapped_column(String(120))
    reviewed_on: Mapped[date] = mapped_column(Date)
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    activities_result: Mapped[str] = mapped_column(Protected(None, "case_review.activities_result"), default="")
    family_change: Mapped[str] = mapped_column(Protected(None, "case_review.family_change"), default="")
    community_change: Mapped[str] = mapped_column(Protected(None, "case_review.community_change"), default="")
    outcome: Mapped[str] = mapped_column(String(20))  # "ket_thuc" | "ke_hoach_moi"
    outcome_reason: Mapped[str] = mapped_column(Protected(None, "case_review.outcome_reason"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    case: Mapped[Case] = relationship(backref=_case_backref("reviews", "CaseReview.id"))


class CaseStatusEvent(Base):
    """History of closing and reopening a case (Case.closed_at/closed_reason hold only the current state)."""

    __tablename__ = "case_status_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "dong" | "mo_lai"
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    reason: Mapped[str] = mapped_column(Protected(None, "case_status_event.reason"), default="")
    review_id: Mapped[int | None] = mapped_column(ForeignKey("case_review.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(40), default="")

    case: Mapped[Case] = relationship(backref=_case_backref("status_events", "CaseStatusEvent.id"))


class CalendarEdit(Base):
    """The user's own change to the working-day calendar: an extra day off, a swapped working day, or a
    library/official day off removed (models.calendar_days.WorkCalendar takes them as data)."""

    __tablename__ = "calendar_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # "day_off" | "working_day" | "removed"
    name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")
