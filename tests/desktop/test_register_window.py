"""The register screens driven like a worker: search and filters, the child file with its groups and
support, the import dialog (mapping, preview, cancel, import), duplicates and merge, export."""
from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from desktop.common import messages
from desktop.register.register_window import RegisterWindow
from models.clock import today
from models.entities import Child
from models.register_entities import GroupMembership, SupportEntry
from models.services import register as reg
from models.textnorm import fold, vn_sort_key
from tests.desktop.helpers import type_text
from tests.models.test_register_import import messy_workbook

SCREENS = Path(os.environ.get("BVTE_SCREENS", "/tmp/screens-register"))


def snap(widget, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SCREENS / f"{name}.png"))


def add_child(db, name, dob, village="Thôn Phú Lộc", gender="nu", pid=None):
    with db.transaction() as s:
        c = Child(full_name=name, name_key=fold(name), sort_key=vn_sort_key(name), date_of_birth=dob,
                  village=village, gender=gender, personal_id=pid)
        s.add(c)
        s.flush()
        return c.id


@pytest.fixture
def register(qtbot, workspace):
    db, actor = workspace.db, workspace.actor
    ids = {
        "anh": add_child(db, "Nguyễn Thị Ánh", date(2015, 9, 5), pid="030315001234"),
        "dung": add_child(db, "Đỗ Văn Dũng", date(2012, 6, 1), "Thôn Đông", "nam"),
        "binh": add_child(db, "Trần Văn Bình", today() - timedelta(days=500), "Thôn Đông", "nam"),
        "anh2": add_child(db, "Nguyễn Thị Anh", date(2015, 9, 5)),  # the same girl entered again without accents
    }
    reg.add_membership(db, actor, ids["anh"], {"group": "c.11", "from_date": "01/03/2024", "note": "Cha mẹ còn nhỏ tuổi"})
    reg.add_membership(db, actor, ids["dung"], {"group": "d.2", "from_date": "01/09/2020"})
    reg.add_support(db, actor, ids["anh"], {"kind": "tien_mat", "given_on": "02/09/2025", "amount": "500.000",
                                            "description": "Quà Trung thu", "provider": "Hội Phụ nữ xã"})
    win = RegisterWindow(workspace)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win, ids


def visible_names(win):
    return [win.model.index(r, 0).data() for r in range(win.model.rowCount())]


def test_search_filters_and_child_file(qtbot, register):
    win, ids = register
    assert visible_names(win) == ["Nguyễn Thị Anh", "Nguyễn Thị Ánh", "Trần Văn Bình", "Đỗ Văn Dũng"]
    type_text(win.search, "nguyen thi anh")
    qtbot.waitUntil(lambda: win.model.total == 2)
    win.search.clear()
    type_text(win.search, "Dũng")
    qtbot.waitUntil(lambda: visible_names(win) == ["Đỗ Văn Dũng"])
    win.search.clear()
    win.group.setCurrentIndex(win.group.findData("c"))
    assert visible_names(win) == ["Nguyễn Thị Ánh"]
    win.group.setCurrentIndex(win.group.findData(reg.ANY_GROUP))
    win.village.setCurrentIndex(win.village.findData("Thôn Đông"))
    assert visible_names(win) == ["Đỗ Văn Dũng"] and win.count_label.text() == "1 trẻ em"
    win.group.setCurrentIndex(0)
    win.age.setCurrentIndex(win.age.findData("0-2"))
    assert visible_names(win) == ["Trần Văn Bình"]
    win.age.setCurrentIndex(0)
    win.village.setCurrentIndex(0)
    win.gender.setCurrentIndex(win.gender.findData("nu"))
    assert visible_names(win) == ["Nguyễn Thị Anh", "Nguyễn Thị Ánh"]

    win.table.selectRow(1)
    view = win.child_view
    assert view.title.text() == "Nguyễn Thị Ánh"
    assert "030315001234" in view.identity.text()
    assert view.groups.item(0, 1).text() == "c.11" and view.groups.item(0, 3).text() == "đang thuộc nhóm"
    assert "500.000 đồng" in view.support.item(0, 2).text()
    assert view.dup_box.isVisibleTo(win) and "Nguyễn Thị Anh" in view.dup_label.text()
    snap(win, "01-register-list")


def test_add_group_and_support_from_the_child_file(qtbot, register, workspace):
    win, ids = register
    win.select_child(ids["binh"])
    dlg = win.child_view.open_membership_dialog()
    dlg.group.setCurrentIndex(dlg.group.findData("d"))
    dlg.subgroup.setCurrentIndex(dlg.subgroup.findData(1))
    type_text(dlg.from_date, "31/02/2024")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert "không có thật trên lịch" in dlg.errors["from_date"].text() and dlg.isVisible()
    qtbot.wait(50)  # the layout grows on the next turn of the event loop, as it would on screen
    snap(dlg, "02-add-group-error")
    dlg.from_date.clear()
    type_text(dlg.from_date, "01/02/2024")
    type_text(dlg.note, "Bại não, cần xe lăn")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert not dlg.isVisible()
    assert win.child_view.groups.item(0, 1).text() == "d.1"
    assert win.model.index(win.model.row_of(ids["binh"]), 4).data() == "d.1"

    sdlg = win.child_view.open_support_dialog()
    sdlg.kind.setCurrentIndex(sdlg.kind.findData("hien_vat"))
    type_text(sdlg.given_on, "10/02/2025")
    type_text(sdlg.description, "Xe lăn")
    type_text(sdlg.provider, "Hội Chữ thập đỏ")
    snap(sdlg, "03-add-support")
    qtbot.mouseClick(sdlg.save_button, Qt.LeftButton)
    with workspace.db.session() as s:
        assert s.scalar(select(func.count(SupportEntry.id)).where(SupportEntry.child_id == ids["binh"])) == 1
    assert win.child_view.support.item(0, 1).text() == "Quà, hiện vật"


def test_import_dialog_preview_cancel_then_import(qtbot, register, workspace, tmp_path):
    win, _ids = register
    path = messy_workbook(tmp_path / "danh-sach-xa.xlsx")
    dlg = win.open_import(path)
    assert dlg.combos["full_name"].currentText() == "Họ tên trẻ"
    assert dlg.combos["groups"].currentText() == "Nhóm HCĐB"
    qtbot.mouseClick(dlg.check_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=10000)
    text = dlg.report_view.toPlainText()
    assert "Dòng 10 (Đỗ Văn Nam): Số định danh cá nhân phải gồm đúng 12 chữ số" in text
    assert "Dòng 11: Thiếu họ và tên trẻ em." in text
    assert "Chưa ghi gì vào sổ." in text and dlg.import_button.text() == "Nhập 3 dòng hợp lệ vào sổ"
    # The child already in the register (same personal ID) is recognised, not duplicated.
    assert dlg.report.children_existing == 1 and dlg.report.children_new == 2
    snap(dlg, "04-import-preview")
    qtbot.mouseClick(dlg.cancel_button, Qt.LeftButton)
    with workspace.db.session() as s:
        assert s.scalar(select(func.count(Child.id))) == 4

    dlg = win.open_import(path)
    qtbot.mouseClick(dlg.check_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dlg.import_button.isEnabled(), timeout=10000)
    with qtbot.waitSignal(dlg.imported, timeout=10000):
        qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    snap(dlg, "05-import-done")
    assert dlg.cancel_button.text() == "Đóng"
    with workspace.db.session() as s:
        assert s.scalar(select(func.count(Child.id))) == 6
    assert "Hoàng Văn Tú" in visible_names(win)
    dlg.close()


def test_import_with_column_mapping(qtbot, register, workspace, tmp_path):
    win, _ids = register
    wb = Workbook()
    ws = wb.active
    ws.append(["A", "B", "C"])
    ws.append(["Lò Văn Pấu", "12/03/2017", "o.1"])
    wb.save(tmp_path / "la.xlsx")
    dlg = win.open_import(tmp_path / "la.xlsx")
    assert dlg.combos["full_name"].currentData() is None
    qtbot.mouseClick(dlg.check_button, Qt.LeftButton)
    assert "Chưa chọn cột «Họ và tên»" in dlg.status.text()
    dlg.combos["full_name"].setCurrentIndex(dlg.combos["full_name"].findData(0))
    dlg.combos["date_of_birth"].setCurrentIndex(dlg.combos["date_of_birth"].findData(1))
    dlg.combos["groups"].setCurrentIndex(dlg.combos["groups"].findData(2))
    snap(dlg, "06-import-mapping")
    qtbot.mouseClick(dlg.check_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dlg.import_button.isEnabled(), timeout=10000)
    with qtbot.waitSignal(dlg.imported, timeout=10000):
        qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    with workspace.db.session() as s:
        pau = next(c for c in s.scalars(select(Child)) if c.name_key == "lo van pau")  # (encrypted on a server)
        assert s.scalar(select(GroupMembership.group_code).where(GroupMembership.child_id == pau.id)) == "o"
    dlg.close()


def test_duplicates_merge_from_the_window(qtbot, register, workspace, monkeypatch):
    win, ids = register
    win.select_child(ids["anh2"])
    assert win.child_view.dup_box.isVisibleTo(win)
    monkeypatch.setattr(messages, "choose", lambda *a, **k: 0)  # keep record 1 (the one with the personal ID)
    qtbot.mouseClick(win.child_view.merge_button, Qt.LeftButton)
    dialogs = [w for w in win.findChildren(object) if w.__class__.__name__ == "DuplicatesDialog"]
    dlg = dialogs[0]
    assert dlg.table.rowCount() == 1 and "cùng ngày sinh" in dlg.table.item(0, 2).text()
    snap(dlg, "07-duplicates")
    qtbot.mouseClick(dlg.merge_button, Qt.LeftButton)
    assert "Đã gộp" in dlg.info.text()
    with workspace.db.session() as s:
        assert s.get(Child, ids["anh2"]) is None and s.get(Child, ids["anh"]) is not None
    assert visible_names(win).count("Nguyễn Thị Ánh") == 1 and "Nguyễn Thị Anh" not in visible_names(win)
    assert win.child_view.title.text() == "Nguyễn Thị Ánh" and not win.child_view.dup_box.isVisibleTo(win)
    for d in dialogs:
        d.close()


def test_export_from_the_window(qtbot, register, tmp_path):
    win, _ids = register
    win.group.setCurrentIndex(win.group.findData("d"))
    win.export_to(tmp_path / "nhom-d.xlsx")
    assert "Đã xuất 1 trẻ" in win.message.text()
    rows = list(load_workbook(tmp_path / "nhom-d.xlsx")["Danh sách trẻ em"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["Đỗ Văn Dũng"]


def test_leader_reads_but_cannot_change(qtbot, workspace):
    from models.security.roles import Actor
    from models.services.accounts import Workspace

    leader = Workspace(workspace.db, Actor("lanhdao", "Phạm Văn Hùng", frozenset({"leader"})), workspace.vault)
    win = RegisterWindow(leader)
    qtbot.addWidget(win)
    assert not win.import_button.isEnabled() and not win.export_button.isEnabled()
    assert not win.child_view.add_group.isVisibleTo(win)


def test_the_register_is_a_tab_of_the_main_window(qtbot, workspace, office_db):
    from desktop.main_window import MainWindow
    from desktop.register.register_window import RegisterWindow

    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert window.register is None  # not built until asked for
    register = window.open_register()
    assert isinstance(register, RegisterWindow)
    assert window.tabs.currentWidget() is register


def test_memberships_to_recheck_after_the_new_sub_groups(qtbot, register, workspace):
    """A membership flagged by migration 0005 (its old sub-group had no equivalent): the register shows a
    banner and a filter until the worker chooses the decree's sub-group in the child's file."""
    win, ids = register
    assert not win.review_row.isVisibleTo(win)
    with workspace.db.transaction() as s:
        m = s.scalar(select(GroupMembership).where(GroupMembership.child_id == ids["dung"]))
        m.group_code, m.subgroup, m.review_needed = "o", None, True
        m.old_subgroup, m.old_subgroup_text = 2, "Trẻ em lánh nạn chưa xác định được cha mẹ hoặc không có người chăm sóc"
    win = RegisterWindow(workspace)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    assert win.review_row.isVisibleTo(win) and win.review_banner.text().startswith("1 trẻ cần xem lại nhóm")
    qtbot.mouseClick(win.review_button, Qt.LeftButton)
    assert visible_names(win) == ["Đỗ Văn Dũng"]
    win.table.selectRow(0)
    view = win.child_view
    assert view.groups.item(0, 1).text() == "o — cần xem lại"
    assert view.review_note.isVisibleTo(win) and "o.2 — Trẻ em lánh nạn" in view.review_note.text()
    assert view.recheck_group.isVisibleTo(win)
    snap(win, "08-register-review")
    dlg = view.open_recheck_dialog()
    assert dlg.subgroup.count() == 4  # "— chọn diện —" and the three clauses of Điều 16
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.isVisible() and "Chọn một diện" in dlg.errors["subgroup"].text()
    dlg.subgroup.setCurrentIndex(dlg.subgroup.findData(1))
    snap(dlg, "09-recheck-dialog")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert not dlg.isVisible()
    assert view.groups.item(0, 1).text() == "o.1" and not view.recheck_group.isVisibleTo(win)
    assert not win.review_row.isVisibleTo(win)
    with workspace.db.session() as s:
        m = s.scalar(select(GroupMembership).where(GroupMembership.child_id == ids["dung"]))
        assert (m.subgroup, m.review_needed, m.old_subgroup) == (1, False, 2)
