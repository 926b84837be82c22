"""Merging two records of the same child: every case, group membership, support entry and family member
moves to the record that is kept; blanks in the kept record are filled from the other one; the merge is
written in the audit trail and in the merge history (with the removed record's identity)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from .. import validation as v
from ..base import Base
from ..clock import fmt_date
from ..db import Database
from ..entities import Case, Child, ChildRelation
from ..register_entities import ChildMerge, GroupMembership, NotDuplicate, SupportEntry
from ..security import audit
from ..security.roles import Actor
from ..textnorm import fold


class MergeRefused(v.Invalid):
    pass


@dataclass
class MergeResult:
    kept_id: int
    removed_id: int
    cases: int
    groups: int
    support: int
    relations: int
    filled: list[str]


_FILLABLE = ("date_of_birth", "estimated_age", "ethnicity", "personal_id", "village", "address")


def _snapshot(child: Child) -> dict:
    return {
        "id": child.id, "full_name": child.full_name, "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
        "estimated_age": child.estimated_age, "gender": child.gender, "ethnicity": child.ethnicity,
        "personal_id": child.personal_id, "village": child.village, "address": child.address,
        "created_at": child.created_at.isoformat() if child.created_at else None,
    }


def merge_children(db: Database, actor: Actor, keep_id: int, remove_id: int) -> MergeResult:
    """Merge `remove_id` into `keep_id` in one transaction. Raises MergeRefused (Vietnamese message)."""
    actor.require("case.edit")
    if keep_id == remove_id:
        raise MergeRefused("Chọn hai hồ sơ khác nhau để gộp.")
    with db.transaction() as session:
        keep = session.get(Child, keep_id)
        gone = session.get(Child, remove_id)
        if keep is None or gone is None:
            raise MergeRefused("Không tìm thấy một trong hai hồ sơ (có thể đã được gộp trước đó).")
        if keep.personal_id and gone.personal_id and keep.personal_id != gone.personal_id:
            raise MergeRefused(
                f"Hai hồ sơ có hai số định danh khác nhau ({keep.personal_id} và {gone.personal_id}). "
                "Một trẻ chỉ có một số định danh: hãy sửa số sai trước, rồi gộp."
            )
        snapshot = _snapshot(gone)
        # Blanks of the kept record are filled from the other one.
        filled = []
        gone_pid = gone.personal_id
        gone.personal_id = None
        session.flush()
        for name in _FILLABLE:
            mine = getattr(keep, name)
            theirs = gone_pid if name == "personal_id" else getattr(gone, name)
            if (mine is None or mine == "") and theirs not in (None, ""):
                setattr(keep, name, theirs)
                filled.append(name)
        if keep.gender == "khong_biet" and gone.gender != "khong_biet":
            keep.gender = gone.gender
            filled.append("gender")
        session.flush()

        # Cases.
        n_cases = session.execute(update(Case).where(Case.child_id == remove_id).values(child_id=keep_id)).rowcount
        # Family: the same person in the same role is kept once.
        have = {(r.role, fold(r.person.full_name)) for r in keep.relations}
        n_rel = 0
        for rel in list(gone.relations):
            if (rel.role, fold(rel.person.full_name)) in have:
                continue
            session.execute(update(ChildRelation).where(ChildRelation.id == rel.id).values(child_id=keep_id))
            have.add((rel.role, fold(rel.person.full_name)))
            n_rel += 1
        # Groups: an identical membership (same group, sub-group, start) is kept once, notes joined.
        mine = {(m.group_code, m.subgroup, m.from_date): m for m in session.scalars(
            select(GroupMembership).where(GroupMembership.child_id == keep_id))}
        n_groups = 0
        for m in list(session.scalars(select(GroupMembership).where(GroupMembership.child_id == remove_id))):
            twin = mine.get((m.group_code, m.subgroup, m.from_date))
            if twin is not None:
                if m.note and m.note not in twin.note:
                    twin.note = (twin.note + "\n" + m.note).strip()
                if twin.to_date is not None and (m.to_date is None or m.to_date > twin.to_date):
                    twin.to_date = m.to_date
                session.delete(m)
            else:
                m.child_id = keep_id
                n_groups += 1
        # Support received: every entry is kept.
        n_support = session.execute(
            update(SupportEntry).where(SupportEntry.child_id == remove_id).values(child_id=keep_id)).rowcount
        # Attached documents (owner "child", no foreign key): re-wrapped for the kept record (attachments.py).
        from .attachments import move_owner

        n_files = move_owner(session, db, "child", remove_id, keep_id)
        # Any other table that points at a child (later features) follows the kept record.
        # (child_token: the removed record's search tokens go with it; the kept one's are its own.)
        handled = {"case_file", "child_relation", "child_group", "child_support", "child_merge", "child_not_duplicate",
                   "child_token"}
        for table in Base.metadata.sorted_tables:
            if table.name in handled:
                continue
            for fk in table.foreign_keys:
                if fk.column.table.name == "child" and fk.column.name == "id":
                    session.execute(update(table).where(fk.parent == remove_id).values({fk.parent.name: keep_id}))
        session.execute(delete(NotDuplicate).where((NotDuplicate.child_a == remove_id) | (NotDuplicate.child_b == remove_id)))
        session.execute(update(ChildMerge).where(ChildMerge.kept_child_id == remove_id).values(kept_child_id=keep_id))
        session.flush()
        session.expire(gone)
        session.delete(gone)
        moved = {"cases": n_cases, "groups": n_groups, "support": n_support, "relations": n_rel}
        if n_files:
            moved["attachments"] = n_files
        session.add(ChildMerge(kept_child_id=keep_id, removed_child_id=remove_id,
                               removed_snapshot=json.dumps(snapshot, ensure_ascii=False),
                               moved=json.dumps(moved), merged_by=actor.username))
        session.flush()
        born = f", sinh {fmt_date(date.fromisoformat(snapshot['date_of_birth']))}" if snapshot["date_of_birth"] else ""
        audit.record(
            session, actor, "merge", "child", keep_id,
            detail=(f"Gộp hồ sơ trẻ #{remove_id} ({snapshot['full_name']}{born}) vào #{keep_id}: "
                    f"{n_cases} hồ sơ vụ việc, {n_groups} nhóm, {n_support} lần hỗ trợ, {n_rel} người thân"
                    + (f", {n_files} tệp đính kèm" if n_files else "") + " chuyển sang"),
            changes=[(f, "", getattr(keep, f)) for f in filled] or None,
        )
        return MergeResult(keep_id, remove_id, n_cases, n_groups, n_support, n_rel, filled)


def mark_not_duplicate(db: Database, actor: Actor, a: int, b: int) -> None:
    """The worker says two records are two different children: they are not proposed again."""
    actor.require("case.edit")
    a, b = sorted((a, b))
    with db.transaction() as session:
        exists = session.scalar(select(NotDuplicate).where(NotDuplicate.child_a == a, NotDuplicate.child_b == b))
        if exists is None:
            session.add(NotDuplicate(child_a=a, child_b=b, decided_by=actor.username))
            audit.record(session, actor, "update", "child", a, detail=f"Không phải trùng với trẻ #{b}")


def merge_history(session: Session, child_id: int) -> list[ChildMerge]:
    return list(session.scalars(select(ChildMerge).where(ChildMerge.kept_child_id == child_id).order_by(ChildMerge.id)))
