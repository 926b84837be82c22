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
