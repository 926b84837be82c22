"""The export and merge dialogs, driven like a user."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt

from desktop.reports.report_dialog import ExportReportDialog, MergeDialog
from models.reports import protect
from models.reports.safe_write import verify_checksum
from models.services.intake import create_intake, parse_intake
from tests.conftest import intake_raw
from tests.desktop.helpers import type_text


def test_export_anonymous_report_to_the_stick(qtbot, workspace, office_db, tmp_path):
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog = ExportReportDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("Y"))
    dialog.year.setValue(2026)
    assert "01/01/2026" in dialog.period_text.text() and "31/12/2026" in dialog.period_text.text()
    assert not dialog.password.isEnabled()
    type_text(dialog.folder, str(usb))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    path = dialog.result_path
    assert path is not None and path.parent == usb and verify_checksum(path)
    assert "Đã lưu báo cáo năm 2026" in dialog.result.text() and dialog.error.text() == ""
    rows = [r for r in load_workbook(path)["Danh sách trường hợp"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(rows) == 1 and "Nguyễn Thị Ánh" not in rows[0]


def test_names_require_a_password(qtbot, workspace, office_db, tmp_path):
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    dialog = ExportReportDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("range"))
    dialog.start.setDate(QDate(2026, 11, 1))
    dialog.end.setDate(QDate(2026, 11, 30))
    dialog.with_names.setChecked(True)
    assert dialog.protect.isChecked() and not dialog.protect.isEnabled() and dialog.password.isEnabled()
    type_text(dialog.folder, str(tmp_path))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert "phải được đặt mật khẩu" in dialog.error.text() and dialog.result_path is None
    type_text(dialog.password, "mật-khẩu-xã")
    type_text(dialog.confirm, "mật-khẩu-xa")
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert "không giống nhau" in dialog.error.text()
    dialog.confirm.clear()
    type_text(dialog.confirm, "mật-khẩu-xã")
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert dialog.error.text() == "" and dialog.result_path is not None
    data = dialog.result_path.read_bytes()
    assert protect.is_encrypted(data)
    wb = load_workbook(io.BytesIO(protect.decrypt(data, "mật-khẩu-xã")))
    assert "Nguyễn Thị Ánh" in [c.value for r in wb["Danh sách trường hợp"].iter_rows() for c in r]
    assert "điện thoại" in dialog.result.text()


def test_missing_stick_message(qtbot, workspace, office_db, tmp_path):
    dialog = ExportReportDialog(workspace)
    qtbot.addWidget(dialog)
    type_text(dialog.folder, str(tmp_path / "E"))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert "Không tìm thấy thư mục" in dialog.error.text() and "USB" in dialog.error.text()


def test_merge_dialog(qtbot, workspace, office_db, tmp_path):
    from desktop.actions.reports import export_report

    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    a = export_report(workspace, "2026", tmp_path / "a.xlsx")
    b = export_report(workspace, "2026", tmp_path / "b.xlsx")
    dialog = MergeDialog()
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.merge_button, Qt.LeftButton)
    assert "Thêm ít nhất một tệp" in dialog.error.text()
    dialog.add_files([a, b])
    type_text(dialog.output, str(tmp_path / "tổng hợp.xlsx"))
    qtbot.mouseClick(dialog.merge_button, Qt.LeftButton)
    text = dialog.summary.toPlainText()
    assert "Đã tổng hợp 1 tệp báo cáo" in text and "Trùng xã: Cẩm Hưng" in text
    assert (tmp_path / "tổng hợp.xlsx").exists()


def test_a_ticked_password_box_with_no_password_is_refused(qtbot, workspace, office_db, tmp_path):
    """"Đặt mật khẩu" ticked and the password left empty: nothing is written (no unprotected file)."""
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    dialog = ExportReportDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("Y"))
    dialog.year.setValue(2026)
    usb = tmp_path / "usb"
    usb.mkdir()
    type_text(dialog.folder, str(usb))
    dialog.protect.click()
    assert dialog.protect.isChecked() and dialog.password.isEnabled()
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert "chưa nhập mật khẩu" in dialog.error.text() and dialog.result_path is None
    assert list(usb.iterdir()) == []
    type_text(dialog.password, "ngắn")  # too short: refused as on the command line
    type_text(dialog.confirm, "ngắn")
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert "ít nhất 8 ký tự" in dialog.error.text() and list(usb.iterdir()) == []
    for field in (dialog.password, dialog.confirm):
        field.clear()
        type_text(field, "mật-khẩu-xã-2026")
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert dialog.error.text() == "" and dialog.result_path is not None
    assert protect.is_encrypted(dialog.result_path.read_bytes())


def test_the_named_report_is_never_written_without_a_password(qtbot, workspace, office_db, tmp_path):
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    dialog = ExportReportDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("Y"))
    dialog.year.setValue(2026)
    usb = tmp_path / "usb"
    usb.mkdir()
    type_text(dialog.folder, str(usb))
    dialog.with_names.setChecked(True)
    assert dialog.protect.isChecked() and not dialog.protect.isEnabled()
    dialog.protect.setChecked(False)  # even if the box were unticked somehow, the names need a password
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert "phải được đặt mật khẩu" in dialog.error.text() and dialog.result_path is None
    assert list(usb.iterdir()) == []


def test_merge_dialog_lists_communes_without_report_and_remembers_the_list(qtbot, workspace, office_db, tmp_path):
    """The province chooses its list of communes once; the next merge offers it again."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    from desktop.actions.reports import export_report

    class Host(QWidget):  # what the dialog needs of the main window: its data folder's settings file
        ws = workspace

        def _window_settings(self):
            return QSettings(str(tmp_path / "window.ini"), QSettings.IniFormat)

    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    a = export_report(workspace, "2026", tmp_path / "a.xlsx")
    listing = tmp_path / "danh sách xã.csv"
    listing.write_text("Tên xã\nXã Cẩm Hưng\nXã Cẩm Vũ\n", encoding="utf-8")
    host = Host()
    qtbot.addWidget(host)
    dialog = MergeDialog(host)  # owned (and closed) by the host
    assert dialog.expected.text() == ""
    dialog.add_files([a])
    type_text(dialog.output, str(tmp_path / "tổng hợp.xlsx"))
    type_text(dialog.expected, str(listing))
    qtbot.mouseClick(dialog.merge_button, Qt.LeftButton)
    text = dialog.summary.toPlainText()
    assert "Xã chưa gửi báo cáo: 1/2 xã" in text and "- Xã Cẩm Vũ" in text, text
    again = MergeDialog(host)
    assert again.expected.text() == str(listing)
