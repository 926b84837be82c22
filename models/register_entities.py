"""The register of children in special circumstances: group memberships and support received.

Imported by models.entities so that every table is on Base.metadata. The child itself is `Child`
(one child, one file): the register only adds what the law's 14 groups need around it.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .field_crypto import Protected
from .base import AwareDateTime, Base
from .clock import now
from .entities import Child


class GroupMembership(Base):
    """A child belongs to one of the 14 groups (Luật Trẻ em Điều 10), in one sub-group (NĐ 56 Điều 3–16),
    from a date and possibly until a date. A child may be in several groups at once."""

    __tablename__ = "child_group"
    __table_args__ = (
        UniqueConstraint("child_id", "group_code", "subgroup", "from_date"),
        Index("ix_child_group_code_child", "group_code", "child_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    group_code: Mapped[str] = mapped_column(String(2))  # the law's letter: a b c d đ e g h i k l m n o
    subgroup: Mapped[int | None] = mapped_column(Integer)  # 1-based number of the sub-group; None = not yet known
    from_date: Mapped[date | None] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)  # None while the child is still in the group
    note: Mapped[str] = mapped_column(Protected(None, "child_group.note"), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")
    # Sub-groups were rewritten from NĐ 56 Điều 3–16 (migration 0005): a stored sub-group whose meaning had
    # no single equivalent is kept with subgroup None, flagged, and its former code and words kept here
    # until the worker chooses the right sub-group ("cần xem lại").
    review_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    old_subgroup: Mapped[int | None] = mapped_column(Integer)
    old_subgroup_text: Mapped[str] = mapped_column(Protected(None, "child_group.old_subgroup_text"), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    reviewed_by: Mapped[str] = mapped_column(String(40), default="")


class SupportEntry(Base):
    """Support the child received: kind, date, and an amount of money or a description."""

    __tablename__ = "child_support"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # code, see models.services.register.SUPPORT_KINDS
    given_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int | None] = mapped_column(Integer)  # đồng
    description: Mapped[str] = mapped_column(Protected(None, "child_support.description"), default="")
    provider: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")


class ChildMerge(Base):
    """Two records found to be the same child were merged: which one was kept, and what the other held."""

    __tablename__ = "child_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    removed_child_id: Mapped[int] = mapped_column(Integer)  # the removed row no longer exists
    removed_snapshot: Mapped[str] = mapped_column(Protected(None, "child_merge.removed_snapshot"))  # JSON: the removed record's identity fields
    moved: Mapped[str] = mapped_column(Protected(None, "child_merge.moved"), default="")  # JSON: how many cases, groups, support entries moved
    merged_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    merged_by: Mapped[str] = mapped_column(String(40), default="")


class NotDuplicate(Base):
    """The worker said these two records are different children: never propose them again."""

    __tablename__ = "child_not_duplicate"
    __table_args__ = (UniqueConstraint("child_a", "child_b"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_a: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)  # the smaller id
    child_b: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    decided_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    decided_by: Mapped[str] = mapped_column(String(40), default="")


# Duplicate checks block candidates by year of birth: an index on the child's date of birth lets the
# database hand over one year's children out of 50,000 without reading them all.
Index("ix_child_date_of_birth", Child.__table__.c.date_of_birth)
