"""Duplicates are proposed (same personal ID; similar name + same birth date, or same year and thôn);
merging keeps every case, group membership, support entry and family member, and is recorded."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from datetime import datetime

from models.clock import VN
from tests.conftest import intake_raw
from models.entities import AuditEvent, Case, Child, ChildRelation
from models.register_entities import ChildMerge, GroupMembership, SupportEntry
from models.security.roles import Actor, NotAllowed
from models.services import register as reg
from models.services.intake import create_intake, parse_intake
from models.services.register_duplicates import all_duplicate_pairs, find_duplicates
from models.services.register_merge import MergeRefused, mark_not_duplicate, merge_children
from models.textnorm import fold, vn_sort_key


AT = datetime(2026, 11, 25, 9, 0, tzinfo=VN)


def add_child(db, name, dob=None, village="Thôn Phú Lộc", pid=None, gender="nu"):
    with db.transaction() as s:
        c = Child(full_name=name, name_key=fold(name), sort_key=vn_sort_key(name), date_of_birth=dob,
                  village=village, personal_id=pid, gender=gender)
        s.add(c)
        s.flush()
        return c.id


def test_duplicates_are_proposed(db):
    anh = add_child(db, "Nguyễn Thị Ánh", date(2015, 9, 5), pid="030315001234")
    add_child(db, "Nguyễn Thị Ánh", date(2013, 1, 1))  # same name, other year: a different child
    oanh = add_child(db, "Nguyễn Thị Oanh", date(2015, 3, 2))  # sibling-like name, same year, same thôn
    add_child(db, "Trần Văn Bình", date(2015, 9, 5))
    with db.session() as s:
        # Typed without diacritics, same date of birth.
        hits = find_duplicates(s, "nguyen thi anh", date(2015, 9, 5), "Thôn Phú Lộc")
        assert [h.child_id for h in hits][:1] == [anh] and "cùng ngày sinh" in hits[0].reason
        # Same personal ID whatever the name.
        hits = find_duplicates(s, "Nguyễn Ánh", None, "", "030315001234")
        assert hits[0].child_id == anh and hits[0].reason == "cùng số định danh cá nhân"
        # Similar name, same year and thôn.
        hits = find_duplicates(s, "Nguyễn Thị Oanh", date(2015, 11, 30), "Thôn Phú Lộc")
        assert [h.child_id for h in hits] == [oanh, anh] and "cùng năm sinh và cùng thôn" in hits[0].reason
        # Another thôn, another date: nobody.
        assert find_duplicates(s, "Nguyễn Thị Oanh", date(2015, 11, 30), "Thôn Đông") == []
        pairs = all_duplicate_pairs(s)
    assert [(p.a.id, p.b.id) for p in pairs] == [(anh, oanh)]


def test_not_duplicate_is_remembered(db, actor):
    a = add_child(db, "Lê Văn Hùng", date(2014, 2, 2))
    b = add_child(db, "Lê Văn Hưng", date(2014, 2, 2))  # twins
    with db.session() as s:
        assert len(all_duplicate_pairs(s)) == 1
    mark_not_duplicate(db, actor, b, a)
    with db.session() as s:
        assert all_duplicate_pairs(s) == []
        assert find_duplicates(s, "Lê Văn Hưng", date(2014, 2, 2), "Thôn Phú Lộc", exclude_id=b) == []


def test_merge_keeps_everything(office_db, actor):
    db = office_db
    data, errors = parse_intake(intake_raw(personal_id=""), at=AT)
    assert errors == {}
    case1 = create_intake(db, data, actor)
    data2, _ = parse_intake(intake_raw(child_name="Nguyen Thi Anh", personal_id="030315001234", received_at="09:00 21/11/2026",
                                       report_date="21/11/2026", father_name="", mother_name="Đặng Thị Hương"), at=AT)
    # The second report created a second record: the first had no personal ID to recognise the child by.
    case2 = create_intake(db, data2, actor)
    with db.session() as s:
        keep = s.get(Case, case1).child_id
        gone = s.get(Case, case2).child_id
    assert keep != gone
    assert reg.add_membership(db, actor, keep, {"group": "c.11", "from_date": "01/03/2024"})[1] == {}
    assert reg.add_membership(db, actor, gone, {"group": "c.11", "from_date": "01/03/2024", "note": "Mẹ 15 tuổi"})[1] == {}
    assert reg.add_membership(db, actor, gone, {"group": "l.4", "from_date": "20/11/2026"})[1] == {}
    assert reg.add_support(db, actor, gone, {"kind": "tam_ly", "given_on": "22/11/2026", "description": "Tư vấn 3 buổi"})[1] == {}
    assert reg.add_support(db, actor, keep, {"kind": "tien_mat", "given_on": "22/11/2026", "amount": 500000})[1] == {}

    result = merge_children(db, actor, keep, gone)
    assert (result.cases, result.groups, result.support) == (1, 1, 1)
    assert "personal_id" in result.filled
    with db.session() as s:
        assert s.get(Child, gone) is None
        child = s.get(Child, keep)
        assert child.personal_id == "030315001234"
        assert {c.code for c in s.scalars(select(Case).where(Case.child_id == keep))} == {"HS-2026-0001", "HS-2026-0002"}
        groups = {(m.group_code, m.subgroup): m.note for m in s.scalars(select(GroupMembership).where(GroupMembership.child_id == keep))}
        assert groups == {("c", 11): "Mẹ 15 tuổi", ("l", 4): ""}
        assert s.scalar(select(func.count(SupportEntry.id)).where(SupportEntry.child_id == keep)) == 2
        roles = sorted(r.role for r in s.scalars(select(ChildRelation).where(ChildRelation.child_id == keep)))
        assert roles == ["cha", "me"]  # the mother named on both reports is kept once
        history = s.scalar(select(ChildMerge))
        assert history.kept_child_id == keep and history.removed_child_id == gone
        assert json.loads(history.removed_snapshot)["full_name"] == "Nguyen Thi Anh"
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "merge"))
        assert f"#{gone}" in event.detail and "1 hồ sơ vụ việc" in event.detail


def test_merge_refuses_two_personal_ids_and_leaders(db, actor):
    a = add_child(db, "Nguyễn Văn An", date(2016, 4, 3), pid="030216001111")
    b = add_child(db, "Nguyễn Văn An", date(2016, 4, 3), pid="030216002222")
    with pytest.raises(MergeRefused, match="hai số định danh khác nhau"):
        merge_children(db, actor, a, b)
    leader = Actor("lanhdao", "Phạm Văn Hùng", frozenset({"leader"}))
    with pytest.raises(NotAllowed):
        merge_children(db, leader, a, b)


def test_register_list_filters(db, actor):
    today = date(2026, 11, 20)
    ids = {
        "anh": add_child(db, "Nguyễn Thị Ánh", date(2015, 9, 5), "Thôn Phú Lộc"),
        "binh": add_child(db, "Trần Văn Bình", date(2024, 1, 20), "Thôn Đông", gender="nam"),
        "dung": add_child(db, "Đỗ Văn Dũng", date(2012, 6, 1), "Thôn Đông", gender="nam"),
        "an": add_child(db, "Lê Thị An", date(2019, 2, 2), "Thôn Tây"),
    }
    assert reg.add_membership(db, actor, ids["anh"], {"group": "c.11", "from_date": "01/03/2024"})[1] == {}
    assert reg.add_membership(db, actor, ids["dung"], {"group": "đ", "from_date": "01/03/2020", "to_date": "01/01/2021"})[1] == {}
    assert reg.add_membership(db, actor, ids["binh"], {"group": "d.1", "from_date": "01/03/2025"})[1] == {}

    def names(**kw):
        with db.session() as s:
            flt = reg.RegisterFilter(on=today, **kw)
            rows = reg.fetch_children(s, flt)
            assert reg.count_children(s, flt) == len(rows)
            return [r.full_name for r in rows]

    assert names() == ["Lê Thị An", "Nguyễn Thị Ánh", "Trần Văn Bình", "Đỗ Văn Dũng"]  # by given name
    assert names(text="dung") == ["Đỗ Văn Dũng"] and names(text="NGUYEN anh") == ["Nguyễn Thị Ánh"]
    assert names(group=reg.ANY_GROUP) == ["Nguyễn Thị Ánh", "Trần Văn Bình"]  # đ ended in 2021
    assert names(group="d") == ["Trần Văn Bình"]
    assert names(village="Thôn Đông", gender="nam") == ["Trần Văn Bình", "Đỗ Văn Dũng"]
    assert names(age_band="0-2") == ["Trần Văn Bình"] and names(age_band="11-15") == ["Nguyễn Thị Ánh", "Đỗ Văn Dũng"]
    with db.session() as s:
        row = reg.fetch_children(s, reg.RegisterFilter(text="anh", on=today))[0]
        assert row.groups == "c.11"


def test_edits_keep_name_keys_and_are_audited(db, actor):
    cid = add_child(db, "Nguyen Van A", date(2016, 4, 3))
    assert reg.update_child(db, actor, cid, {"full_name": "Nguyễn Văn  Ân", "personal_id": "0302160011"}) == {
        "personal_id": "Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập 10 chữ số)."}
    assert reg.update_child(db, actor, cid, {"full_name": "nguyễn văn  ân"}) == {}
    with db.session() as s:
        c = s.get(Child, cid)
        assert (c.full_name, c.name_key, c.sort_key) == ("Nguyễn Văn Ân", "nguyen van an", vn_sort_key("Nguyễn Văn Ân"))
        assert s.scalar(select(AuditEvent).where(AuditEvent.field == "full_name")).new_value == "Nguyễn Văn Ân"
    _id, errors = reg.add_membership(db, actor, cid, {"group": "x", "from_date": "32/01/2020"})
    assert set(errors) == {"group", "from_date"}
    _id, errors = reg.add_support(db, actor, cid, {"kind": "tien_mat", "given_on": "01/01/2025"})
    assert errors == {"description": "Ghi số tiền hoặc mô tả nội dung hỗ trợ."}
