"""Importing a commune's messy spreadsheet: the report names each rejected row and why; good rows are saved
once (re-importing adds nothing); the export reads back into the same register."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from models import validation as v
from models.entities import AuditEvent, Child, ChildRelation, Person
from models.register_entities import GroupMembership
from desktop.actions.register import export_children_file, import_children_file
from models.services.register_import import prepare, run_import

TODAY = date(2026, 11, 20)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def messy_workbook(path):
    """What a commune's list really looks like: a title above the headers, its own header words, mixed dates,
    decomposed Unicode, trailing spaces, blank rows, a repeated row, and mistakes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "DS tre HCDB"
    ws.append(["DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT XÃ CẨM HƯNG NĂM 2026"])  # row 1
    ws.append([])  # row 2
    ws.append(["TT", "Họ tên trẻ", "Ngày tháng năm sinh", "Giới tính", "Dân tộc", "Số định danh", "Thôn",
               "Họ tên mẹ", "Nhóm HCĐB", "Từ ngày", "Ghi chú"])  # row 3
    ws.append([1, nfd("Nguyễn Thị Ánh") + "  ", "05/09/2015", "Nữ", "Kinh", "030315001234", nfd("Thôn Phú Lộc "),
               nfd("Đặng Thị Hương"), "c.11", "01/03/2024", "Cha mẹ đều 15 tuổi"])  # 4 good (NFD, spaces)
    ws.append([2, "trần văn bình", datetime(2012, 1, 20), "Nam", "Kinh", None, "Thôn Đông", None, "d.2; a.1",
               datetime(2023, 6, 1), None])  # 5 good (real Excel dates, lower case, two groups)
    ws.append([])  # 6 blank
    ws.append([3, "Lê Minh Khang", "31/02/2016", "Nam", "Kinh", None, "Thôn Đông", None, "b", None, None])  # 7 bad date
    ws.append([4, "Phạm Gia Huy", "10/10/2005", "Nam", "Kinh", None, "Thôn Tây", None, "e.1", None, None])  # 8 too old
    ws.append([5, "Vũ Thị Mai", "12/12/2014", "Nữ", "Kinh", None, "Thôn Tây", None, "f.2", None, None])  # 9 unknown group
    ws.append([6, "Đỗ Văn Nam", "01/01/2016", "Nam", "Kinh", 30216001234, "Thôn Tây", None, "", None, None])  # 10 11 digits
    ws.append([7, "   ", "01/01/2017", "Nữ", "Kinh", None, "Thôn Tây", None, "a", None, None])  # 11 empty name
    ws.append([2, "trần văn bình", datetime(2012, 1, 20), "Nam", "Kinh", None, "Thôn Đông", None, "d.2; a.1",
               datetime(2023, 6, 1), None])  # 12 repeated row 5
    ws.append([None, None, None, None, None, None, None, None, None, None, None])  # 13 blank
    ws.append([8, "Hoàng Văn Tú", 42370, "Nam", "Tày", None, "Thôn Bắc", None, "đ", "2020-05-04", None])  # 14 Excel serial date
    ws.append([9, "Ngô Thị Lan", "2030-01-01", "Nữ", "Kinh", None, "Thôn Bắc", None, None, None, None])  # 15 future
    ws.append([10, "Bùi Văn Long", "2014", "Nam", "Kinh", None, "Thôn Bắc", None, None, None, None])  # 16 year only
    wb.save(path)
    return path


def test_messy_spreadsheet_report_and_rows(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr("models.services.register_import.today", lambda: TODAY)
    path = messy_workbook(tmp_path / "danh-sach.xlsx")
    report = import_children_file(workspace, path)

    assert report.header_row == 3
    reasons = {p.row: " ".join(p.reasons) for p in report.rejected}
    assert sorted(reasons) == [7, 8, 9, 10, 11, 15, 16]
    assert "không đọc được" in reasons[7] and "31/02/2016" in reasons[7]
    assert "đã 21 tuổi" in reasons[8] and "dưới 16 tuổi" in reasons[8]
    assert "«f.2» không có trong 14 nhóm" in reasons[9]
    assert "đúng 12 chữ số (đã nhập 11 chữ số)" in reasons[10] and "số 0 ở đầu" in reasons[10]
    assert reasons[11] == "Thiếu họ và tên trẻ em."
    assert "ở tương lai" in reasons[15]
    assert "chỉ có năm (2014)" in reasons[16]
    assert [p.row for p in report.repeated] == [12]
    assert "Giống hệt dòng 5" in report.repeated[0].reasons[0]
    assert report.rows_read == 11 and report.rows_accepted == 3
    assert (report.children_new, report.groups_new, report.written) == (3, 4, True)
    assert "Dòng 10 (Đỗ Văn Nam)" in report.text()

    with workspace.db.session() as s:
        children = {c.full_name: c for c in s.scalars(select(Child))}
        assert set(children) == {"Nguyễn Thị Ánh", "Trần Văn Bình", "Hoàng Văn Tú"}
        anh = children["Nguyễn Thị Ánh"]
        assert anh.full_name == unicodedata.normalize("NFC", anh.full_name)
        assert (anh.name_key, anh.village, anh.personal_id, anh.date_of_birth) == (
            "nguyen thi anh", "Thôn Phú Lộc", "030315001234", date(2015, 9, 5))
        assert children["Hoàng Văn Tú"].date_of_birth == date(2016, 1, 1)  # Excel serial 42370
        groups = {(c, g, sub, f) for c, g, sub, f in s.execute(select(
            Child.full_name, GroupMembership.group_code, GroupMembership.subgroup, GroupMembership.from_date)
            .join(GroupMembership, GroupMembership.child_id == Child.id))}
        assert groups == {("Nguyễn Thị Ánh", "c", 11, date(2024, 3, 1)), ("Trần Văn Bình", "d", 2, date(2023, 6, 1)),
                          ("Trần Văn Bình", "a", 1, date(2023, 6, 1)), ("Hoàng Văn Tú", "đ", 1, date(2020, 5, 4))}
        mother = s.execute(select(Person.full_name).join(ChildRelation).where(ChildRelation.role == "me")).scalar_one()
        assert mother == "Đặng Thị Hương"
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "import")) == 1

    # The same file again: nothing new.
    again = import_children_file(workspace, path)
    assert (again.children_new, again.children_existing, again.groups_new) == (0, 3, 0)
    with workspace.db.session() as s:
        assert s.scalar(select(func.count(Child.id))) == 3
        assert s.scalar(select(func.count(GroupMembership.id))) == 4
        assert s.scalar(select(func.count(Person.id))) == 1


def test_preview_writes_nothing_and_cancel_rolls_back(workspace, tmp_path, monkeypatch):
    from models.services.register_import import Cancelled

    monkeypatch.setattr("models.services.register_import.today", lambda: TODAY)
    prepared = prepare(messy_workbook(tmp_path / "ds.xlsx"))
    preview = run_import(workspace.db, workspace.actor, prepared, write=False)
    assert preview.children_new == 3 and not preview.written
    calls = iter([False, True])
    with pytest.raises(Cancelled):
        run_import(workspace.db, workspace.actor, prepared, should_stop=lambda: next(calls, True))
    with workspace.db.session() as s:
        assert s.scalar(select(func.count(Child.id))) == 0
        assert s.scalar(select(func.count(GroupMembership.id))) == 0


def test_unknown_headers_need_a_mapping(workspace, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Cột 1", "Cột 2", "Cột 3"])
    ws.append(["Nguyễn Văn An", "03/04/2016", "b"])
    wb.save(tmp_path / "la.xlsx")
    with pytest.raises(v.Invalid, match="Không nhận ra cột «Họ và tên»"):
        import_children_file(workspace, tmp_path / "la.xlsx")
    report = import_children_file(workspace, tmp_path / "la.xlsx",
                                  {"full_name": "A", "date_of_birth": "Cột 2", "groups": 2})
    assert report.children_new == 1 and report.groups_new == 1 and not report.rejected


def test_personal_id_of_another_child_is_refused(workspace, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Số định danh cá nhân"])
    ws.append(["Nguyễn Văn An", "03/04/2016", "030216001111"])
    ws.append(["Trần Thị Bé", "05/06/2017", "030216001111"])
    wb.save(tmp_path / "id.xlsx")
    report = import_children_file(workspace, tmp_path / "id.xlsx")
    assert [p.row for p in report.rejected] == [3]
    assert "đã thuộc về trẻ Nguyễn Văn An" in report.rejected[0].reasons[0]


def test_round_trip_export_import_equals_original(workspace, tmp_path, data_dir):
    from models.services import register as reg
    from models.services.accounts import setup_office

    path = messy_workbook(tmp_path / "ds.xlsx")
    import_children_file(workspace, path)
    db, actor = workspace.db, workspace.actor
    with db.session() as s:
        binh = next(c for c in s.scalars(select(Child)) if c.name_key == "tran van binh")  # (encrypted on a server)
    assert reg.add_support(db, actor, binh.id, {"kind": "tien_mat", "given_on": "02/09/2025", "amount": "1.500.000",
                                                "description": "Quà Tết Trung thu", "provider": "Hội Chữ thập đỏ"})[1] == {}
    assert reg.add_support(db, actor, binh.id, {"kind": "Hỗ trợ học tập", "given_on": "15/08/2025",
                                                "description": "Sách vở, cặp"})[1] == {}
    ms = [m for m in reg.load_child_file(db, binh.id).memberships if m.group_code == "a"]
    assert reg.end_membership(db, actor, ms[0].id, "01/01/2025", "Đã có người nhận nuôi") == {}
    first = tmp_path / "xuat-1.xlsx"
    summary = export_children_file(workspace, first)
    assert (summary.children, summary.rows, summary.support) == (3, 4, 2)

    other = setup_office(tmp_path / "xa-khac", "admin", "Lê Văn Tâm", "mat-khau-thu-nghiem")
    report = import_children_file(other, first)
    assert report.rejected == [] and report.children_new == 3 and report.support_new == 2
    second = tmp_path / "xuat-2.xlsx"
    export_children_file(other, second)
    other.close()

    def cells(p):
        wb = load_workbook(p)
        return {name: [row[1:] for row in wb[name].iter_rows(values_only=True)] for name in ("Danh sách trẻ em", "Hỗ trợ")}

    assert cells(first) == cells(second)
    # Re-importing the export into the register it came from adds nothing.
    again = import_children_file(workspace, first)
    assert (again.children_new, again.groups_new, again.support_new) == (0, 0, 0)


def test_export_one_group(workspace, tmp_path):
    import_children_file(workspace, messy_workbook(tmp_path / "ds.xlsx"))
    summary = export_children_file(workspace, tmp_path / "nhom-d.xlsx", group="d")
    assert summary.children == 1
    rows = list(load_workbook(tmp_path / "nhom-d.xlsx")["Danh sách trẻ em"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["Trần Văn Bình"] and rows[1][12] == "d.2"
    with pytest.raises(v.Invalid, match="không có trong 14 nhóm"):
        export_children_file(workspace, tmp_path / "x.xlsx", group="f")
