"""Correcting a child's identity from the register's child file: messages under the fields, the audit trail,
and only for the worker."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.register.register_child import ChildFileView
from models.entities import AuditEvent, Child
from models.services.accounts import add_account, login
from models.textnorm import fold, vn_sort_key
from tests.desktop.helpers import type_text

SCREENS = Path(os.environ.get("BVTE_SCREENS", "/tmp/screens-dup"))


def snap(widget, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SCREENS / f"{name}.png"))


def add_child(db, name, dob=None, village="Thôn Phú Lộc", pid=None, estimated_age=None):
    with db.transaction() as s:
        c = Child(full_name=name, name_key=fold(name), sort_key=vn_sort_key(name), date_of_birth=dob,
                  estimated_age=estimated_age, village=village, gender="khong_biet", personal_id=pid)
        s.add(c)
        s.flush()
        return c.id


@pytest.fixture
def view(qtbot, workspace):
    v = ChildFileView(workspace)
    qtbot.addWidget(v)
    v.resize(900, 700)
    v.show()
    return v


def test_the_worker_corrects_a_childs_identity(qtbot, workspace, view):
    child_id = add_child(workspace.db, "Nguyen Thi Anh", date(2015, 9, 5), village="Phú Lộc")
    add_child(workspace.db, "Đỗ Văn Dũng", date(2012, 6, 1), village="Thôn Phú Lộc")  # a thôn already in use
    view.show_child(child_id)
    assert view.edit_child.isVisible() and view.edit_child.isEnabled()
    dlg = view.open_edit_dialog()
    qtbot.waitExposed(dlg)
    assert dlg.windowTitle() == "Sửa thông tin trẻ"
    assert dlg.full_name.text() == "Nguyen Thi Anh" and dlg.date_of_birth.text() == "05/09/2015"
    assert dlg.gender.currentText() == "Không biết" and dlg.village.currentText() == "Phú Lộc"
    assert dlg.village.findText("Thôn Phú Lộc") >= 0  # known thôn are offered

    dlg.full_name.clear()
    type_text(dlg.full_name, "Nguyễn Thị Ánh")
    dlg.gender.setCurrentIndex(dlg.gender.findData("nu"))
    dlg.ethnicity.setEditText("")
    type_text(dlg.ethnicity.lineEdit(), "Tày")
    type_text(dlg.personal_id, "0303 1500 1234")
    dlg.village.setCurrentIndex(dlg.village.findText("Thôn Phú Lộc"))
    type_text(dlg.address, "Xóm 3")
    snap(dlg, "child-edit")
    with qtbot.waitSignal(view.changed):
        dlg.save_button.click()
    assert not dlg.isVisible()
    assert view.title.text() == "Nguyễn Thị Ánh"
    qtbot.wait(50)  # let the layout take the new text before the picture
    snap(view, "child-file")
    assert "030315001234" in view.identity.text() and "Tày" in view.identity.text()
    with workspace.db.session() as s:
        c = s.get(Child, child_id)
        assert (c.full_name, c.name_key, c.gender, c.ethnicity, c.personal_id, c.village, c.address) == (
            "Nguyễn Thị Ánh", "nguyen thi anh", "nu", "Tày", "030315001234", "Thôn Phú Lộc", "Xóm 3")
        assert c.date_of_birth == date(2015, 9, 5)
        changed = {e.field: (e.old_value, e.new_value) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "child", AuditEvent.action == "update",
                                     AuditEvent.entity_id == str(child_id)))}
    assert changed["full_name"] == ("Nguyen Thi Anh", "Nguyễn Thị Ánh")
    assert changed["village"] == ("Phú Lộc", "Thôn Phú Lộc")
    assert "date_of_birth" not in changed  # unchanged fields are not written


def test_bad_input_is_explained_beside_each_field_and_nothing_changes(qtbot, workspace, view):
    child_id = add_child(workspace.db, "Trần Văn Bình", date(2014, 1, 2))
    add_child(workspace.db, "Lê Thị Hoa", date(2013, 3, 4), pid="030315009999")
    view.show_child(child_id)
    dlg = view.open_edit_dialog()
    dlg.full_name.clear()
    dlg.date_of_birth.clear()
    type_text(dlg.date_of_birth, "31/02/2014")
    type_text(dlg.personal_id, "03031500123")
    dlg.save_button.click()
    assert dlg.isVisible()
    assert dlg.errors["full_name"].isVisible() and "không được để trống" in dlg.errors["full_name"].text()
    assert "không có thật" in dlg.errors["date_of_birth"].text()
    assert dlg.errors["personal_id"].text() == "Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập 11 chữ số)."
    assert not dlg.errors["village"].isVisible()
    snap(dlg, "child-edit-errors")

    type_text(dlg.full_name, "Trần Văn Bình")
    dlg.date_of_birth.clear()
    type_text(dlg.date_of_birth, "02/01/2014")
    dlg.personal_id.clear()
    type_text(dlg.personal_id, "030315009999")  # another child's number
    dlg.save_button.click()
    assert dlg.isVisible()
    assert not dlg.errors["full_name"].isVisible() and not dlg.errors["date_of_birth"].isVisible()
    assert "đã thuộc về trẻ Lê Thị Hoa" in dlg.errors["personal_id"].text()
    with workspace.db.session() as s:
        assert s.get(Child, child_id).personal_id is None
        assert s.scalars(select(AuditEvent).where(AuditEvent.entity == "child", AuditEvent.action == "update")).all() == []
    dlg.cancel_button.click()
    assert not dlg.isVisible()


def test_a_child_known_only_by_estimated_age_gets_a_date_of_birth(qtbot, workspace, view):
    child_id = add_child(workspace.db, "Hoàng Văn Nam", estimated_age=8)
    view.show_child(child_id)
    dlg = view.open_edit_dialog()
    assert dlg.date_of_birth.text() == ""
    assert "khoảng 8 tuổi" in dlg.findChild(type(dlg.errors["full_name"]).__mro__[1], "estimated_age").text()
    type_text(dlg.date_of_birth, "15/06/2017")
    dlg.save_button.click()
    with workspace.db.session() as s:
        assert s.get(Child, child_id).date_of_birth == date(2017, 6, 15)
    assert "15/06/2017" in view.identity.text()


def test_only_the_worker_may_edit(qtbot, workspace, data_dir):
    child_id = add_child(workspace.db, "Trần Văn Bình", date(2014, 1, 2))
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    leader = login(data_dir, "chutich", "mat-khau-chu-tich")
    try:
        v = ChildFileView(leader)
        qtbot.addWidget(v)
        v.show()
        v.show_child(child_id)
        assert v.title.text() == "Trần Văn Bình"  # the leader reads the file …
        assert not v.edit_child.isVisible()  # … but does not correct it
    finally:
        leader.close()
