"""Records of alternative care (chăm sóc thay thế): Mẫu 08–16 of Nghị định 56/2017, Điều 38–48, with Luật Trẻ em
Điều 60–69 and Thông tư 14/2020/TT-BLĐTBXH.

Two sides meet in a placement:
  * the carers' side — an application to become a carer (Mẫu 08) or a relative's notice (Luật Điều 65.4), the
    verification of the carer's conditions (Mẫu 11), and the commune's list of willing carers (Mẫu 09) sent up
    every quarter (Điều 40.1);
  * the child's side — the worker's assessment of the child's situation, needs and wishes (Mẫu 10, Điều 38.3),
    children put forward by a social assistance facility (Mẫu 14, Điều 45.1), the meetings between child and carer
    before placement (TT 14/2020);
  * the placement itself (Mẫu 12, hand-over within 15 working days, Điều 42.7), its follow-up reports (Mẫu 13,
    Điều 43.2) and its end (the carer's request, Mẫu 15, and the chairman's decision, Mẫu 16, Điều 48).

A placement belongs to a child, not to a case: an orphan or an abandoned child may need care with no abuse case
open. When it follows a separation (Mẫu 07) the case is named.

As for the case process (models.process_entities): nothing here stores a computed state. A carer's standing, a
placement's stage and its next due date are derived (models/services/care_*.py) from which records exist and
their dates. Every yes/no fact is three-state (None = not answered). Each record keeps who wrote it and when.
Imported by models.entities so that every table is on Base.metadata. Portable SQL only (SQLite and PostgreSQL).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .field_crypto import Protected
from .base import AwareDateTime, Base
from .clock import now
from .entities import Case, Child


class Carer(Base):
    """A person or family willing to care for a child: Mẫu 08 (đơn đăng ký nhận chăm sóc thay thế, NĐ 56 Điều
    39.1) or, for a relative of a given child, a notice to the commune (Luật Trẻ em Điều 65.4: relatives do not
    register). For a family, `full_name` … are the representative's, the other members in `members`.

    Standing on the commune's list (Mẫu 09) is derived from the verification (CarerVerification) and from
    `withdrawn_at`; nothing here says "verified"."""

    __tablename__ = "carer"
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    id: Mapped[int] = mapped_column(primary_key=True)
    registration: Mapped[str] = mapped_column(String(20))  # "don_dang_ky" (Mẫu 08) | "thong_bao_than_thich"
    kind: Mapped[str] = mapped_column(String(12))  # "ca_nhan" | "gia_dinh" (người đại diện gia đình)
    full_name: Mapped[str] = mapped_column(Protected(120, "carer.full_name"))
    name_key: Mapped[str] = mapped_column(Protected(120, "carer.name_key"), index=True)  # models.textnorm.fold of the name
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(12), default="khong_biet")
    personal_id: Mapped[str] = mapped_column(Protected(20, "carer.personal_id"), default="")  # CCCD, or passport for a foreigner
    nationality: Mapped[str] = mapped_column(String(60), default="")  # "" = not yet said
    is_foreigner: Mapped[bool | None] = mapped_column(Boolean)
    # Điều 39.3: a foreigner must have lived in Việt Nam ≥ 6 months and have ≥ 12 months of residence left.
    residence_from: Mapped[date | None] = mapped_column(Date)
    residence_until: Mapped[date | None] = mapped_column(Date)
    occupation: Mapped[str] = mapped_column(Protected(120, "carer.occupation"), default="")
    phone: Mapped[str] = mapped_column(Protected(30, "carer.phone"), default="")
    village: Mapped[str] = mapped_column(Protected(120, "carer.village"), default="")
    address: Mapped[str] = mapped_column(Protected(300, "carer.address"), default="")
    lives_in_commune: Mapped[bool | None] = mapped_column(Boolean)  # Điều 42.3.b: where the child lives
    # A family's other members: [{"full_name", "year_of_birth", "relation", "occupation"}].
    members: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # For a relative's notice: the child and how they are related (Luật Điều 65.4).
    relative_of_child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id", ondelete="SET NULL"),
                                                             index=True)
    relation_to_child: Mapped[str] = mapped_column(Protected(60, "carer.relation_to_child"), default="")
    applied_on: Mapped[date | None] = mapped_column(Date)  # the application's (or notice's) date
    wishes: Mapped[str] = mapped_column(Protected(None, "carer.wishes"), default="")  # the child they could care for (age, gender …)
    reasons: Mapped[str] = mapped_column(Protected(None, "carer.reasons"), default="")  # why they wish to care
    # The carer's file (Điều 41.1): health certificate under 6 months old at filing; criminal record for a
    # foreigner. Dates of the papers as issued; None = not yet handed in.
    health_certificate_on: Mapped[date | None] = mapped_column(Date)
    criminal_record_on: Mapped[date | None] = mapped_column(Date)
    family_consent: Mapped[bool | None] = mapped_column(Boolean)  # Luật Điều 63.2.c
    withdrawn_at: Mapped[datetime | None] = mapped_column(AwareDateTime)  # off the list (with a reason)
    withdrawn_reason: Mapped[str] = mapped_column(Protected(None, "carer.withdrawn_reason"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now, onupdate=now)

    relative_of_child: Mapped[Child | None] = relationship(lazy="joined")
    verifications: Mapped[list[CarerVerification]] = relationship(
        back_populates="carer", lazy="selectin", cascade="all, delete-orphan",
        order_by="CarerVerification.verified_on")


class CarerVerification(Base):
    """Mẫu 11 — báo cáo xác minh điều kiện của cá nhân, gia đình nhận chăm sóc thay thế (NĐ 56 Điều 42.1; TT
    14/2020 Điều 11.1.b): the worker's findings on each condition of Luật Điều 63.2, confirmed by the chairman.

    `answers`: condition id (resources/forms/mau11.json) → True (met) / False (not met) / absent (not yet
    checked). `conclusion` None until the worker concludes; "du_dieu_kien" only when every condition is met.
    Not confirmed while `confirmed_at` is None."""

    __tablename__ = "carer_verification"
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    id: Mapped[int] = mapped_column(primary_key=True)
    carer_id: Mapped[int] = mapped_column(ForeignKey("carer.id", ondelete="CASCADE"), index=True)
    verified_on: Mapped[date] = mapped_column(Date)
    verifier: Mapped[str] = mapped_column(String(120), default="")
    answers: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    findings: Mapped[str] = mapped_column(Protected(None, "carer_verification.findings"), default="")  # what was seen: home, income, the family's views
    conclusion: Mapped[str | None] = mapped_column(String(20))  # "du_dieu_kien" | "khong_du_dieu_kien"
    confirmed_by: Mapped[str] = mapped_column(String(120), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    carer: Mapped[Carer] = relationship(back_populates="verifications")


class CarerListSending(Base):
    """Mẫu 09 sent up: the commune's list of willing carers, updated and sent to the level above every quarter
    (NĐ 56 Điều 40.1). One row per quarter sent; the list itself is computed from Carer at the moment of
    sending, and `carer_ids` keeps who was on it."""

    __tablename__ = "carer_list_sending"
    __table_args__ = (UniqueConstraint("year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)  # 1–4
    sent_on: Mapped[date] = mapped_column(Date)
    doc_year: Mapped[int | None] = mapped_column(Integer)
    doc_number: Mapped[int | None] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(200), default="")
    carer_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    file_name: Mapped[str] = mapped_column(String(260), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")


class CareNeed(Base):
    """Mẫu 10 — the worker's assessment of the situation, needs and wishes of a child who needs alternative care
    (NĐ 56 Điều 38.3.d; TT 14/2020 Điều 4), and the child's file (Điều 38.3).

    `grounds`: ids of Luật Trẻ em Điều 62's cases (resources/forms/mau10.json). The child's opinion is required
    from age 7 (Điều 42.1): `child_opinion`, or `opinion_not_taken_reason` when it could not be taken.
    The child's file: dates of the papers received (None = not yet received); the photos must be under 6
    months old. `source` says where the child comes from: a separation (case_id, Mẫu 07), a facility's list
    (Mẫu 14, facility_child_id), or the community."""

    __tablename__ = "care_need"
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id", ondelete="SET NULL"), index=True)
    facility_child_id: Mapped[int | None] = mapped_column(ForeignKey("facility_child.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(20))  # "cach_ly" | "co_so" | "cong_dong"
    grounds: Mapped[list[str]] = mapped_column(JSON, default=list)
    assessed_on: Mapped[date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(120), default="")
    situation: Mapped[str] = mapped_column(Protected(None, "care_need.situation"), default="")  # family, living conditions, what happened
    health: Mapped[str] = mapped_column(Protected(None, "care_need.health"), default="")  # physical and mental health, schooling
    needs: Mapped[str] = mapped_column(Protected(None, "care_need.needs"), default="")  # what the child needs
    wishes: Mapped[str] = mapped_column(Protected(None, "care_need.wishes"), default="")  # the child's own wishes
    child_opinion: Mapped[str] = mapped_column(Protected(None, "care_need.child_opinion"), default="")  # required from age 7 (Điều 42.1)
    opinion_not_taken_reason: Mapped[str] = mapped_column(Protected(None, "care_need.opinion_not_taken_reason"), default="")
    preferred_form: Mapped[str | None] = mapped_column(String(20))  # Điều 42.2 order: see Placement.form
    # The child's file (Điều 38.3): when each paper was received.
    birth_certificate_on: Mapped[date | None] = mapped_column(Date)  # giấy khai sinh hoặc giấy tờ tùy thân
    health_certificate_on: Mapped[date | None] = mapped_column(Date)
    photos_taken_on: Mapped[date | None] = mapped_column(Date)  # hai ảnh 8×10 cm toàn thân
    abandonment_record_on: Mapped[date | None] = mapped_column(Date)  # biên bản xác nhận trẻ em bị bỏ rơi
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)  # no longer needs care (with a reason)
    closed_reason: Mapped[str] = mapped_column(Protected(None, "care_need.closed_reason"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    child: Mapped[Child] = relationship(lazy="joined")
    case: Mapped[Case | None] = relationship()
    meetings: Mapped[list[CareMeeting]] = relationship(
        back_populates="care_need", lazy="selectin", cascade="all, delete-orphan", order_by="CareMeeting.met_on")


class FacilityChild(Base):
    """Mẫu 14 — a child on a social assistance facility's list of children needing a family (NĐ 56 Điều 45.1,
    every 6 months): entered by hand or imported from the facility's list."""

    __tablename__ = "facility_child"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_name: Mapped[str] = mapped_column(String(200))
    list_date: Mapped[date] = mapped_column(Date)  # the date of the facility's list
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    entered_facility_on: Mapped[date | None] = mapped_column(Date)
    situation: Mapped[str] = mapped_column(Protected(None, "facility_child.situation"), default="")
    note: Mapped[str] = mapped_column(Protected(None, "facility_child.note"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    child: Mapped[Child] = relationship(lazy="joined")


class CareMeeting(Base):
    """A meeting between the child and a prospective carer before placement: at least two (TT 14/2020 Điều
    10.4.c, 11.2)."""

    __tablename__ = "care_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    care_need_id: Mapped[int] = mapped_column(ForeignKey("care_need.id", ondelete="CASCADE"), index=True)
    carer_id: Mapped[int] = mapped_column(ForeignKey("carer.id", ondelete="CASCADE"), index=True)
    met_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Protected(None, "care_meeting.notes"), default="")  # how it went, the child's reaction
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    care_need: Mapped[CareNeed] = relationship(back_populates="meetings")
    carer: Mapped[Carer] = relationship(lazy="joined")


class Placement(Base):
    """Mẫu 12 — quyết định giao, nhận trẻ em cho cá nhân, gia đình nhận chăm sóc thay thế (NĐ 56 Điều 42.7),
    drafted by the worker, decided by the UBND xã where the carer lives; the hand-over within 15 working days of
    the decision. Not decided while `decided_at` is None; the number "Số: …/QĐ-UBND" is issued at decision.

    `form`: Luật Trẻ em Điều 61's forms as ordered by NĐ 56 Điều 42.2: "than_thich" (relatives), "khong_than_thich"
    (non-relatives), "co_so" (a social assistance facility: `facility_name`, no carer). When the choice departs
    from the order of preference, `preference_reason` says why. `from_facility`: the child comes from a facility
    (Điều 48.3: the facility's end within 5 working days of this decision, `facility_release_on`)."""

    __tablename__ = "placement"
    __table_args__ = (UniqueConstraint("doc_year", "doc_number"),)
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    care_need_id: Mapped[int | None] = mapped_column(ForeignKey("care_need.id", ondelete="SET NULL"), index=True)
    carer_id: Mapped[int | None] = mapped_column(ForeignKey("carer.id", ondelete="RESTRICT"), index=True)
    form: Mapped[str] = mapped_column(String(20))
    facility_name: Mapped[str] = mapped_column(String(200), default="")
    preference_reason: Mapped[str] = mapped_column(Protected(None, "placement.preference_reason"), default="")
    support: Mapped[str] = mapped_column(Protected(None, "placement.support"), default="")  # the support decided for carer and child
    from_facility: Mapped[bool | None] = mapped_column(Boolean)
    facility_release_on: Mapped[date | None] = mapped_column(Date)
    drafted_by: Mapped[str] = mapped_column(String(120), default="")
    drafted_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    doc_year: Mapped[int | None] = mapped_column(Integer)
    doc_number: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    signing_capacity: Mapped[str] = mapped_column(String(20), default="chu_tich")
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    recipients: Mapped[str] = mapped_column(Protected(None, "placement.recipients"), default="")  # Nơi nhận, one per line
    handed_over_on: Mapped[date | None] = mapped_column(Date)
    handover_note: Mapped[str] = mapped_column(Protected(None, "placement.handover_note"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    child: Mapped[Child] = relationship(lazy="joined")
    carer: Mapped[Carer | None] = relationship(lazy="joined")
    care_need: Mapped[CareNeed | None] = relationship()
    followups: Mapped[list[CareFollowup]] = relationship(
        back_populates="placement", lazy="selectin", cascade="all, delete-orphan", order_by="CareFollowup.report_date")
    end_requests: Mapped[list[CareEndRequest]] = relationship(
        back_populates="placement", lazy="selectin", cascade="all, delete-orphan", order_by="CareEndRequest.requested_on")
    end_decision: Mapped[CareEndDecision | None] = relationship(
        back_populates="placement", lazy="selectin", cascade="all, delete-orphan", uselist=False)


class CareFollowup(Base):
    """Mẫu 13 — báo cáo theo dõi, đánh giá (NĐ 56 Điều 43.2; TT 14/2020 Điều 13.3): after 1 month, after 3 months,
    then every 6 months from the hand-over, and on any change of carer or form of care; also the UBND xã's
    6-monthly assessment of a family placement (Luật Điều 68.2).

    `kind`: "1_thang" | "3_thang" | "6_thang" | "chuyen_doi". `conclusion` None until concluded."""

    __tablename__ = "care_followup"
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    report_date: Mapped[date] = mapped_column(Date)
    reporter: Mapped[str] = mapped_column(String(120), default="")
    living_conditions: Mapped[str] = mapped_column(Protected(None, "care_followup.living_conditions"), default="")
    health: Mapped[str] = mapped_column(Protected(None, "care_followup.health"), default="")  # sức khỏe, thể chất, tinh thần
    integration: Mapped[str] = mapped_column(Protected(None, "care_followup.integration"), default="")  # sự hòa nhập with the family
    schooling: Mapped[str] = mapped_column(Protected(None, "care_followup.schooling"), default="")
    carer_opinion: Mapped[str] = mapped_column(Protected(None, "care_followup.carer_opinion"), default="")
    child_opinion: Mapped[str] = mapped_column(Protected(None, "care_followup.child_opinion"), default="")
    child_safe: Mapped[bool | None] = mapped_column(Boolean)
    conclusion: Mapped[str | None] = mapped_column(String(20))  # "tiep_tuc" | "chuyen_doi" | "cham_dut"
    recommendations: Mapped[str] = mapped_column(Protected(None, "care_followup.recommendations"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    placement: Mapped[Placement] = relationship(back_populates="followups")


class CareEndRequest(Base):
    """Mẫu 15 — the carer's request to end the placement (NĐ 56 Điều 48.1; Luật Điều 69.1.c–d)."""

    __tablename__ = "care_end_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(120), default="")  # the carer or family representative
    ground: Mapped[str | None] = mapped_column(String(20))  # Luật Điều 69.1 point (resources/forms/mau15.json)
    reason: Mapped[str] = mapped_column(Protected(None, "care_end_request.reason"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    placement: Mapped[Placement] = relationship(back_populates="end_requests")


class CareEndDecision(Base):
    """Mẫu 16 — the chairman's decision to end alternative care and change its form (NĐ 56 Điều 48.2): on the
    follow-up's findings, the carer's request (Mẫu 15) or the child's wish (Luật Điều 69). Not decided while
    `decided_at` is None. `new_form` / `new_arrangement`: where the child goes next ("" when care simply ends,
    e.g. the child comes of age or returns to the parents)."""

    __tablename__ = "care_end_decision"
    __table_args__ = (UniqueConstraint("doc_year", "doc_number"),)
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), unique=True)
    end_request_id: Mapped[int | None] = mapped_column(ForeignKey("care_end_request.id", ondelete="SET NULL"))
    ground: Mapped[str | None] = mapped_column(String(20))  # Luật Điều 69.1 point
    reasons: Mapped[str] = mapped_column(Protected(None, "care_end_decision.reasons"), default="")
    new_form: Mapped[str] = mapped_column(String(20), default="")
    new_arrangement: Mapped[str] = mapped_column(Protected(None, "care_end_decision.new_arrangement"), default="")
    drafted_by: Mapped[str] = mapped_column(String(120), default="")
    drafted_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    doc_year: Mapped[int | None] = mapped_column(Integer)
    doc_number: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    signing_capacity: Mapped[str] = mapped_column(String(20), default="chu_tich")
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    recipients: Mapped[str] = mapped_column(Protected(None, "care_end_decision.recipients"), default="")
    ended_on: Mapped[date | None] = mapped_column(Date)  # the day the child actually left the carer
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")

    placement: Mapped[Placement] = relationship(back_populates="end_decision")
