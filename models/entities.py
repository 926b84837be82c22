"""The office's records: settings, children, the people around them, cases and their Mẫu 01 intake.

Portable SQL only (a shared PostgreSQL server is a later step): no SQLite-only types or constructs.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .field_crypto import Protected
from .base import AwareDateTime, Base
from .clock import now


class Office(Base):
    """Office settings (one row): what the printouts put in their headers and signature blocks."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    province: Mapped[str] = mapped_column(String(120), default="")
    commune_name: Mapped[str] = mapped_column(String(120), default="")
    commune_kind: Mapped[str] = mapped_column(String(10), default="xa")
    agency_name: Mapped[str] = mapped_column(String(200), default="")
    agency_abbrev: Mapped[str] = mapped_column(String(30), default="UBND")
    place_name: Mapped[str] = mapped_column(String(120), default="")
    chairman_name: Mapped[str] = mapped_column(String(120), default="")
    vice_chairmen: Mapped[str] = mapped_column(Text, default="")  # one name per line
    worker_name: Mapped[str] = mapped_column(String(120), default="")
    worker_phone: Mapped[str] = mapped_column(String(30), default="")
    report_recipient: Mapped[str] = mapped_column(String(200), default="")
    idle_lock_minutes: Mapped[int] = mapped_column(Integer, default=10)  # 0 = never lock
    backup_reminder_days: Mapped[int] = mapped_column(Integer, default=7)  # external-drive backup reminder
    # The periodic reports' due dates ("15/5, 15/9, 10/11, 20/7"); "" = seed 003's (models/reports/deadlines.py)
    report_deadlines: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # Demo data (made by `bvte demo` or "Dùng thử với dữ liệu mẫu"): marked on screen, printouts and exports.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now, onupdate=now)

    @property
    def vice_chairman_list(self) -> list[str]:
        return [line.strip() for line in self.vice_chairmen.splitlines() if line.strip()]


class Child(Base):
    """One child, one file: every case about the child hangs from this record."""

    __tablename__ = "child"
    # The names of many children (the to-do list's open cases) without reading their wide rows (on the server the
    # encrypted names: half the to-do list's first query at 200,000 children, migration 0900).
    __table_args__ = (Index("ix_child_id_name", "id", "full_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(Protected(120, "child.full_name"))
    # Derived keys kept in columns so the database can search and sort 50,000 rows by itself.
    name_key: Mapped[str] = mapped_column(Protected(120, "child.name_key"), index=True)
    sort_key: Mapped[str] = mapped_column(Protected(400, "child.sort_key"), index=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    estimated_age: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str] = mapped_column(String(12), default="khong_biet")
    ethnicity: Mapped[str] = mapped_column(String(60), default="")
    personal_id: Mapped[str | None] = mapped_column(Protected(12, "child.personal_id"), index=True)
    village: Mapped[str] = mapped_column(Protected(120, "child.village"), default="")  # thôn / tổ dân phố
    address: Mapped[str] = mapped_column(Protected(300, "child.address"), default="")  # số nhà, đường, xóm
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now, onupdate=now)

    relations: Mapped[list[ChildRelation]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="ChildRelation.id"
    )
    cases: Mapped[list[Case]] = relationship(back_populates="child", order_by="Case.opened_at")


class Person(Base):
    """A parent, caregiver or other adult named in a file."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(Protected(120, "person.full_name"))
    age: Mapped[int | None] = mapped_column(Integer)
    occupation: Mapped[str] = mapped_column(Protected(120, "person.occupation"), default="")
    phone: Mapped[str] = mapped_column(Protected(30, "person.phone"), default="")
    address: Mapped[str] = mapped_column(Protected(300, "person.address"), default="")


class ChildRelation(Base):
    """Who a person is to a child (cha, mẹ, người chăm sóc)."""

    __tablename__ = "child_relation"
    __table_args__ = (UniqueConstraint("child_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    child: Mapped[Child] = relationship(back_populates="relations")
    person: Mapped[Person] = relationship(lazy="joined")


class Case(Base):
    """One report about one child and everything done about it afterwards."""

    __tablename__ = "case_file"
    # The open cases alone (the to-do list reads them a dozen times): a small index, whatever the closed ones.
    __table_args__ = (Index("ix_case_file_open", "id", "child_id", "code", "opened_at", "closed_at",
                            sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # "HS-2026-0007", shown to the worker
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="RESTRICT"), index=True)
    opened_at: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    closed_reason: Mapped[str] = mapped_column(Protected(None, "case_file.closed_reason"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(120), default="")

    child: Mapped[Child] = relationship(back_populates="cases")
    intake: Mapped[Intake | None] = relationship(back_populates="case", uselist=False)
    abuse_forms: Mapped[list[CaseAbuseForm]] = relationship(
        cascade="all, delete-orphan", order_by="CaseAbuseForm.code"
    )


class CaseAbuseForm(Base):
    """A form of abuse (Luật Trẻ em Điều 4.5) the case concerns; a case may have several."""

    __tablename__ = "case_abuse_form"
    __table_args__ = (UniqueConstraint("case_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(30))


class Intake(Base):
    """Mẫu số 01 — Báo cáo tiếp nhận thông tin trẻ em: every field of the form."""

    __tablename__ = "intake"
    # The category of the open cases' intakes without their long texts (to-do list: reports of abuse).
    __table_args__ = (UniqueConstraint("doc_year", "doc_number"), Index("ix_intake_category_case", "category", "case_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), unique=True
    )
    doc_year: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[int] = mapped_column(Integer)  # "Số: 07/BC-UBND", never reused
    report_date: Mapped[date] = mapped_column(Date)  # the date line of the header
    category: Mapped[str] = mapped_column(String(30))  # footnote (4): completes the title
    source: Mapped[str] = mapped_column(String(30))  # điện thoại / gặp trực tiếp / người khác báo
    received_at: Mapped[datetime] = mapped_column(AwareDateTime)
    receiving_officer: Mapped[str] = mapped_column(String(120))
    incident_place: Mapped[str] = mapped_column(Protected(None, "intake.incident_place"), default="")
    child_condition: Mapped[str] = mapped_column(Protected(None, "intake.child_condition"), default="")
    predicted_consequences: Mapped[str] = mapped_column(Protected(None, "intake.predicted_consequences"), default="")
    family_situation: Mapped[str] = mapped_column(Protected(None, "intake.family_situation"), default="")
    current_caregiver: Mapped[str] = mapped_column(Protected(None, "intake.current_caregiver"), default="")
    prior_actions: Mapped[str] = mapped_column(Protected(None, "intake.prior_actions"), default="")
    informant_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    informant_name: Mapped[str] = mapped_column(Protected(120, "intake.informant_name"), default="")
    informant_phone: Mapped[str] = mapped_column(Protected(30, "intake.informant_phone"), default="")
    informant_address: Mapped[str] = mapped_column(Protected(300, "intake.informant_address"), default="")
    notes: Mapped[str] = mapped_column(Protected(None, "intake.notes"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)

    case: Mapped[Case] = relationship(back_populates="intake")


class DocumentCounter(Base):
    """Last number issued per document kind and year; only ever goes up, so numbers are never reused."""

    __tablename__ = "document_counter"
    __table_args__ = (UniqueConstraint("kind", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "BC", later "QĐ", "KH"
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Draft(Base):
    """A wizard's unfinished pages, saved every few seconds so a power cut loses almost nothing."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    form: Mapped[str] = mapped_column(String(20))  # "01"
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    payload: Mapped[str] = mapped_column(Protected(None, "draft.payload"))  # JSON of the wizard's fields
    created_by: Mapped[str] = mapped_column(String(40), default="")  # offered again only to its author
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now, onupdate=now)


class Account(Base):
    """A person who may open the data. The password lives only in the key file (keys.json), as a wrapped key."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    roles: Mapped[str] = mapped_column(String(60))  # comma-separated: worker, leader, admin
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    last_login_at: Mapped[datetime | None] = mapped_column(AwareDateTime)

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)


class AuditEvent(Base):
    """One line of the audit trail. Each holds the hash of the previous one, so edits and gaps show."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
    username: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(20))  # view, create, update, print, export, approve, delete, login…
    entity: Mapped[str] = mapped_column(String(20), default="")  # case, child, office, account, backup…
    entity_id: Mapped[str] = mapped_column(String(40), default="", index=True)
    field: Mapped[str] = mapped_column(String(60), default="")
    old_value: Mapped[str] = mapped_column(Protected(None, "audit_event.old_value"), default="")
    new_value: Mapped[str] = mapped_column(Protected(None, "audit_event.new_value"), default="")
    detail: Mapped[str] = mapped_column(Protected(None, "audit_event.detail"), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Since 0.2.0: the account whose key signed the entry, the key's id, and the Ed25519 signature (base64).
    signer: Mapped[str | None] = mapped_column(String(40))
    key_id: Mapped[str | None] = mapped_column(String(16))
    signature: Mapped[str | None] = mapped_column(Text)


class AuditHead(Base):
    """The chain's last hash and length (one row). Updated first in every audit write, which takes the
    write lock before the previous hash is read, so two programs can never fork the chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    # The id from which every entry must be signed (entries before it were written by the first release).
    signed_from: Mapped[int | None] = mapped_column(Integer)


class AppState(Base):
    """Small facts the program remembers (last backup times …), as text."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


# Tables of later capabilities live in their own modules; importing them here puts them on Base.metadata
# for the migrations and for every user of models.entities.
from . import incident_entities, process_entities, register_entities  # noqa: E402,F401
from . import report_entities  # noqa: E402,F401
from . import care_entities  # noqa: E402,F401
from . import attachment_entities  # noqa: E402,F401
