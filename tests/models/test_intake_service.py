"""Mẫu 01 rules: what is refused and with which words, numbering, one child one file."""
from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest
from sqlalchemy import delete, func, select

from models.clock import VN
from models.entities import Case, Child, Intake
from models.services.intake import ChildIdConflict, create_intake, parse_intake
from tests.conftest import intake_raw

AT = datetime(2026, 11, 25, 10, 0, tzinfo=VN)


def errors_of(**overrides):
    return parse_intake(intake_raw(**overrides), at=AT)[1]


def test_a_complete_report_is_accepted():
    data, errors = parse_intake(intake_raw(), at=AT)
    assert errors == {}
    assert data.child_name == "Nguyễn Thị Ánh" and data.personal_id == "030315001234"


@pytest.mark.parametrize("overrides, field, words", [
    ({"received_at": "08:00 26/11/2026", "report_date": "25/11/2026"}, "received_at", "tương lai"),
    ({"report_date": "30/11/2026"}, "report_date", "tương lai"),
    ({"report_date": "19/11/2026"}, "report_date", "trước ngày nhận"),
    ({"date_of_birth": "21/11/2026"}, "date_of_birth", "sau ngày nhận thông tin"),
    ({"date_of_birth": "19/11/2010"}, "date_of_birth", "dưới 16 tuổi"),
    ({"date_of_birth": "", "estimated_age": "16"}, "estimated_age", "dưới 16 tuổi"),
    ({"estimated_age": "4"}, "estimated_age", "không khớp với ngày sinh"),
    ({"child_name": "   "}, "child_name", "không được để trống"),
    ({"child_condition": ""}, "child_condition", "không được để trống"),
    ({"category": ""}, "category", "đối tượng"),
    ({"source": "email"}, "source", "nguồn nhận thông tin"),
    ({"child_name": "Lý 李小龍"}, "child_name", "không dùng được"),
    ({"child_name": "Ánh 🙂"}, "child_name", "không dùng được"),
    ({"child_name": "Nguyễn Văn 2"}, "child_name", "chỉ gồm chữ cái"),
    ({"child_name": "A" * 121}, "child_name", "quá dài"),
    ({"personal_id": "03031500123"}, "personal_id", "đúng 12 chữ số (đã nhập 11"),
    ({"personal_id": "03031500123X"}, "personal_id", "chỉ gồm chữ số"),
    ({"date_of_birth": "31/02/2015"}, "date_of_birth", "không có thật"),
    ({"date_of_birth": "2015/13/45"}, "date_of_birth", "ngày/tháng/năm"),
    ({"informant_consent": False}, "informant_name", "khi họ đồng ý"),
    ({"informant_phone": "12"}, "informant_phone", "Số điện thoại"),
    ({"notes": "x" * 20_001}, "notes", "quá dài"),
])
def test_bad_input_gets_a_clear_vietnamese_message(overrides, field, words):
    errors = errors_of(**overrides)
    assert field in errors, errors
    assert words in errors[field]


def test_text_is_stored_composed_and_long_text_is_kept():
    nfd = unicodedata.normalize("NFD", "Cháu ở với bà ngoại")
    data, errors = parse_intake(intake_raw(family_situation=nfd, notes="Dòng một. " * 1000), at=AT)
    assert errors == {}
    assert data.family_situation == "Cháu ở với bà ngoại"
    assert len(data.notes) == 9_999


def test_numbers_go_up_per_year_and_are_never_reused(db, actor):
    ids = [create_intake(db, parse_intake(intake_raw(personal_id=None, child_name=f"Trần Văn {n}"), at=AT)[0], actor)
           for n in ("An", "Bình", "Cường")]
    with db.transaction() as s:
        s.execute(delete(Case).where(Case.id == ids[-1]))  # the last one is deleted …
    new_id = create_intake(db, parse_intake(intake_raw(personal_id=None, child_name="Trần Văn Dũng"), at=AT)[0], actor)
    with db.session() as s:
        numbers = s.scalars(select(Intake.doc_number).order_by(Intake.doc_number)).all()
        assert numbers == [1, 2, 4]  # … and its number 3 is not given again
        assert s.get(Case, new_id).code == "HS-2026-0004"
    data = parse_intake(intake_raw(received_at="09:00 02/01/2027", report_date="02/01/2027", personal_id=None),
                        at=datetime(2027, 1, 2, 10, 0, tzinfo=VN))[0]
    with db.session() as s:
        assert s.get(Case, create_intake(db, data, actor)).intake.doc_number == 1  # a new year starts again at 1


def test_one_child_one_file_by_personal_id(db, actor):
    first = create_intake(db, parse_intake(intake_raw(), at=AT)[0], actor)
    second = create_intake(db, parse_intake(intake_raw(child_name="nguyễn thị ánh", category="nguy_co_bao_luc"), at=AT)[0], actor)
    with db.session() as s:
        assert s.get(Case, first).child_id == s.get(Case, second).child_id
        assert s.scalar(select(func.count(Child.id))) == 1
    with pytest.raises(ChildIdConflict, match="đã thuộc về trẻ Nguyễn Thị Ánh"):
        create_intake(db, parse_intake(intake_raw(child_name="Phạm Văn Tú"), at=AT)[0], actor)
    with db.session() as s:
        assert s.scalar(select(func.count(Case.id))) == 2  # the refused report left nothing behind


# -- a report about a child already in the register ----------------------------------------------------

def _register_child(db, **fields):
    from models.textnorm import fold, vn_sort_key
    name = fields.pop("full_name", "Nguyễn Thị Ánh")
    with db.transaction() as s:
        child = Child(full_name=name, name_key=fold(name), sort_key=vn_sort_key(name), **fields)
        s.add(child)
        s.flush()
        return child.id


def test_the_finder_proposes_a_register_child_with_parents_and_cases(db, actor):
    from models.services.intake import likely_duplicates
    first = create_intake(db, parse_intake(intake_raw(personal_id=None), at=AT)[0], actor)
    with db.session() as s:
        known = s.get(Case, first).child_id
    # Typed without accents, no personal ID: still proposed (same date of birth, name alike).
    found = likely_duplicates(db, intake_raw(child_name="Nguyen Thi Anh", personal_id=""))
    assert [p.child_id for p in found] == [known]
    assert found[0].full_name == "Nguyễn Thị Ánh" and found[0].cases == 1
    assert found[0].parents == "Cha: Nguyễn Văn Dũng; Mẹ: Đặng Thị Hương"
    assert "ngày sinh" in found[0].reason
    assert likely_duplicates(db, intake_raw(child_name="Nguyen Thi Anh", personal_id=""), exclude={known}) == []
    assert likely_duplicates(db, intake_raw(child_name="Phạm Văn Tú", personal_id="")) == []
    assert likely_duplicates(db, intake_raw(child_name="")) == []  # nothing typed yet: nothing to compare


def test_parse_keeps_the_workers_answer_about_duplicates():
    data = parse_intake(intake_raw(existing_child_id="7", not_duplicate_of=[3, "3", 5, None, "x"]), at=AT)[0]
    assert data.existing_child_id == 7 and data.not_duplicate_of == [3, 5]
    assert parse_intake(intake_raw(), at=AT)[0].existing_child_id is None


def test_attached_report_keeps_known_fields_and_writes_the_audit_trail(db, actor):
    from datetime import date
    from models.entities import AuditEvent
    known = _register_child(db, full_name="Nguyễn Thị Ánh", date_of_birth=date(2015, 9, 5), village="Thôn Phú Lộc",
                            gender="khong_biet", ethnicity="", address="Xóm 1")
    raw = intake_raw(child_name="Nguyễn Thị Anh", existing_child_id=known, address="Xóm 3")
    case_id = create_intake(db, parse_intake(raw, at=AT)[0], actor)
    with db.session() as s:
        assert s.scalar(select(func.count(Child.id))) == 1
        child = s.get(Case, case_id).child
        assert child.id == known
        assert child.full_name == "Nguyễn Thị Ánh"  # the register's spelling is kept …
        assert child.address == "Xóm 1"  # … and so is a known address
        assert (child.gender, child.ethnicity, child.personal_id) == ("nu", "Kinh", "030315001234")  # empty: filled
        assert {r.role for r in child.relations} == {"cha", "me"}
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity == "child",
                                                                 AuditEvent.entity_id == str(known))).all()
    changed = {e.field: (e.old_value, e.new_value) for e in events}
    assert changed["gender"][1] == "nu" and changed["personal_id"][1] == "030315001234" and "ethnicity" in changed
    assert "address" not in changed and "full_name" not in changed
    detail = events[0].detail
    assert "Bổ sung từ Mẫu 01 số 01/2026" in detail
    assert "Họ và tên: Nguyễn Thị Anh" in detail and "Địa chỉ: Xóm 3" in detail  # the differences are written down


def test_attached_report_is_refused_when_the_child_is_gone_or_the_ids_disagree(db, actor):
    from models.services.intake import ChildGone
    other = _register_child(db, full_name="Trần Văn Bình", personal_id="030315009999")
    with pytest.raises(ChildGone):
        create_intake(db, parse_intake(intake_raw(existing_child_id=other + 50), at=AT)[0], actor)
    with pytest.raises(ChildIdConflict, match="khác số vừa nhập"):
        create_intake(db, parse_intake(intake_raw(existing_child_id=other), at=AT)[0], actor)
    target = _register_child(db, full_name="Nguyễn Thị Ánh")
    with pytest.raises(ChildIdConflict, match="đã thuộc về trẻ Trần Văn Bình"):
        create_intake(db, parse_intake(intake_raw(existing_child_id=target, personal_id="030315009999"), at=AT)[0], actor)
    with db.session() as s:
        assert s.scalar(select(func.count(Case.id))) == 0  # nothing half-saved


def test_children_said_to_be_different_are_not_proposed_again(db, actor):
    from datetime import date
    from models.register_entities import NotDuplicate
    from models.services.register_duplicates import find_duplicates
    known = _register_child(db, full_name="Nguyễn Thị Anh", date_of_birth=date(2015, 9, 5), village="Thôn Phú Lộc")
    raw = intake_raw(personal_id=None, not_duplicate_of=[known])
    case_id = create_intake(db, parse_intake(raw, at=AT)[0], actor)
    with db.session() as s:
        new_child = s.get(Case, case_id).child_id
        assert new_child != known
        pair = s.scalar(select(NotDuplicate))
        assert (pair.child_a, pair.child_b) == tuple(sorted((known, new_child))) and pair.decided_by == actor.username
        assert find_duplicates(s, "Nguyễn Thị Ánh", date(2015, 9, 5), "Thôn Phú Lộc", exclude_id=new_child) == []
