"""Migration 0005 on stored memberships: same meaning → the decree's sub-group; no equivalent → kept, flagged
"cần xem lại" with its former code and words, until the worker re-checks it. Nothing is dropped."""
from __future__ import annotations

import os

from alembic import command
from sqlalchemy import func, select, text

from models.db import Database, alembic_config
from models.migrations import head_revisions
from models.register_entities import GroupMembership
from models.services import register as reg

OLD_ROWS = [  # (group, sub-group as numbered before 0005, from_date)
    ("a", 2, "2024-01-01"), ("c", 7, "2024-01-01"), ("c", 9, "2024-01-01"), ("g", 1, "2024-01-01"),
    ("g", 2, "2024-01-01"), ("k", 3, "2024-01-01"), ("k", 4, "2024-01-01"), ("o", 2, "2024-01-01"),
    ("d", None, "2024-01-01"), ("e", 2, "2023-05-01"),
]


def _database_before_0005(folder) -> Database:
    folder.mkdir()
    db = Database(folder, os.urandom(32))
    for target in ("0003", "0004"):
        with db.engine.begin() as conn:
            cfg = alembic_config(db.engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
    assert db.current_revisions() == {"0003", "0004"}
    return db


def test_stored_sub_groups_are_mapped_or_flagged(tmp_path, actor):
    db = _database_before_0005(tmp_path / "cu")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO child (id, full_name, name_key, sort_key, gender, ethnicity, village, address, "
                          "created_at, updated_at) VALUES (1, 'Lò Thị Mai', 'lo thi mai', 'mai', 'nu', '', '', '', "
                          "'2024-01-01T00:00:00+07:00', '2024-01-01T00:00:00+07:00')"))
        for i, (code, sub, start) in enumerate(OLD_ROWS, start=1):
            conn.execute(text("INSERT INTO child_group (id, child_id, group_code, subgroup, from_date, note, "
                              "created_at, created_by) VALUES (:i, 1, :c, :s, :d, 'ghi chú', "
                              "'2024-01-01T00:00:00+07:00', 'canbo')"), {"i": i, "c": code, "s": sub, "d": start})
    db.upgrade()
    assert db.current_revisions() == head_revisions()  # 0005 and everything after it (0005 is no longer a head)
    with db.session() as s:
        rows = {m.id: m for m in s.scalars(select(GroupMembership))}
    assert len(rows) == len(OLD_ROWS)  # nothing dropped
    got = {i: (rows[i].group_code, rows[i].subgroup, rows[i].review_needed, rows[i].old_subgroup)
           for i in rows}
    assert got[1] == ("a", 2, False, None)  # unchanged
    assert got[2] == ("c", 8, False, 7)  # "cả cha và mẹ … cơ sở trợ giúp xã hội" is now clause 8
    assert got[3] == ("c", None, True, 9)  # the app's c.9 does not exist in the decree
    assert got[4] == ("g", 2, False, 1) and got[5] == ("g", 1, False, 2)  # swapped
    assert got[6] == ("k", 3, False, None)  # same number, same meaning
    assert got[7] == ("k", None, True, 4)  # would be a second k.3 from the same day: flagged, not merged
    assert got[8] == ("o", None, True, 2)  # split by migrant type, the decree splits by nationality
    assert got[9] == ("d", None, False, None)  # "not yet known" stays so, not flagged
    assert got[10] == ("e", 1, False, 2)
    assert "lánh nạn" in rows[8].old_subgroup_text and all(r.note == "ghi chú" for r in rows.values())

    with db.session() as s:
        assert reg.children_to_review(s) == 1
        listed = reg.fetch_children(s, reg.RegisterFilter(group=reg.REVIEW_GROUP))
    assert [r.id for r in listed] == [1]
    assert "o.2" in reg.review_text(rows[8]) and "Nghị định 56/2017/NĐ-CP" in reg.review_text(rows[8])

    # the worker must choose a sub-group; choosing one that already exists that day is refused
    assert "Chọn một diện" in reg.recheck_membership(db, actor, 3, None)["subgroup"]
    assert "đã có" in reg.recheck_membership(db, actor, 7, 3)["subgroup"]
    for rid, sub in ((3, 7), (7, 4), (8, 2)):
        assert reg.recheck_membership(db, actor, rid, sub) == {}
    with db.session() as s:
        assert reg.children_to_review(s) == 0
        m = s.get(GroupMembership, 3)
        assert (m.subgroup, m.review_needed, m.old_subgroup, m.reviewed_by) == (7, False, 9, actor.username)
        assert s.scalar(select(func.count()).select_from(GroupMembership)) == len(OLD_ROWS)
    db.dispose()
