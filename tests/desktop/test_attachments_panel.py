"""Attached documents driven through the real widgets: the child's file in the register, the case view's panel,
a signed paper beside its printout; bad files refused with their Vietnamese message; nothing written in clear."""
from __future__ import annotations

import hashlib

import pytest
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop.main_window import MainWindow
from desktop.register.register_window import RegisterWindow
from models.services import attachments as att
from models.services.intake import create_intake, parse_intake
from tests.attacks.payloads import exe_bytes, pdf_bytes, png_bomb_header, png_bytes
from tests.conftest import intake_raw
from tests.desktop.helpers import type_text


@pytest.fixture
def refusals(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    return shown


def _file(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_child_file_add_png_and_pdf_view_and_remove(qtbot, workspace, office_db, tmp_path, refusals):
    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    win = RegisterWindow(workspace)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    view = win.child_view
    from models.services.cases import load_case

    child_id = load_case(workspace.db, case_id).child_id
    view.show_child(child_id)
    panel = view.attachments
    assert panel.empty.isVisible() and panel.add_button.isEnabled() and not panel.view_button.isEnabled()

    # A photo of the birth certificate (PNG) …
    dlg = panel.open_add_dialog(_file(tmp_path, "giay-khai-sinh.png", png_bytes(800, 600)))
    assert dlg.kind.currentText() == "Giấy khai sinh" and "giay-khai-sinh.png" in dlg.findChild(QLabel, "file_summary").text()
    type_text(dlg.note, "Bản chụp giấy khai sinh")
    dlg.save_button.click()
    assert not dlg.isVisible()
    # … and a scanned health check (PDF, two pages): its thumbnail is the first page, drawn in memory.
    pdf = pdf_bytes(2, marker="GIAY KHAM SUC KHOE")
    dlg = panel.open_add_dialog(_file(tmp_path, "kham-suc-khoe.pdf", pdf))
    dlg.kind.setCurrentIndex(dlg.kind.findData("giay_kham_suc_khoe"))
    dlg.save_button.click()
    assert panel.list.count() == 2 and not panel.empty.isVisible()
    texts = [panel.list.item(i).text() for i in range(2)]
    assert texts[0].startswith("Giấy khai sinh: Bản chụp giấy khai sinh\ngiay-khai-sinh.png · Ảnh PNG")
    assert texts[1].startswith("Giấy khám sức khỏe\nkham-suc-khoe.pdf · Tệp PDF, 2 trang")
    assert all(not panel.list.item(i).icon().isNull() for i in range(2))
    assert att.thumbnail(workspace, panel.items[1].id).startswith(b"\x89PNG")  # the PDF's first page

    # View the PDF: shown from memory in a PDF view, same bytes.
    panel.list.setCurrentRow(1)
    viewer = panel.view_selected()
    assert isinstance(viewer.document, QPdfView) and viewer.document.document().pageCount() == 2
    assert hashlib.sha256(viewer._data).hexdigest() == hashlib.sha256(pdf).hexdigest()
    # "Lưu bản sao…": the copy leaves with its audit entry.
    out = viewer.save_to(tmp_path / "ban-sao.pdf")
    assert out.read_bytes() == pdf
    viewer.close()
    # View the image.
    panel.list.setCurrentRow(0)
    viewer = panel.view_selected()
    assert viewer.findChild(QLabel, "attachment_view").pixmap().width() == 760
    viewer.close()

    # Remove the photo: the reason is asked.
    panel.list.setCurrentRow(0)
    dlg = panel.open_remove_dialog()
    dlg.save_button.click()
    assert dlg.isVisible() and "lý do" in dlg.errors["reason"].text()
    type_text(dlg.reason, "Chụp mờ, sẽ chụp lại")
    dlg.save_button.click()
    assert not dlg.isVisible() and panel.list.count() == 1
    [gone] = [i for i in att.list_for(workspace, "child", child_id, include_removed=True) if i.removed]
    assert gone.removed_reason == "Chụp mờ, sẽ chụp lại"
    assert refusals == []


@pytest.mark.parametrize("name, data, words", [
    ("hop-dong.pdf", exe_bytes(), "là một chương trình máy tính"),
    ("anh.jpg", "chỉ là chữ".encode(), "là một tệp chữ"),
    ("bom.png", png_bomb_header(), "triệu điểm ảnh"),
    ("rac.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 50 + b"\n%%EOF", "nội dung bị hỏng"),
])
def test_bad_files_are_refused_in_the_window(qtbot, workspace, office_db, tmp_path, refusals, name, data, words):
    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(1)
    window.select_case(case_id)
    panel = window.case_view.attachments
    assert panel.isVisibleTo(window) and panel.owner_id == case_id
    assert panel.open_add_dialog(_file(tmp_path, name, data)) is None
    assert len(refusals) == 1 and words in refusals[0] and f"«{name}»" in refusals[0]
    assert att.list_for(workspace, "case", case_id) == []


def test_over_size_file_is_refused_in_the_window(qtbot, workspace, office_db, tmp_path, refusals):
    from models.attachment_files import MAX_BYTES

    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.select_case(case_id)
    big = tmp_path / "quet-600dpi.pdf"
    with open(big, "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(MAX_BYTES + 100)
    assert window.case_view.attachments.open_add_dialog(big) is None
    assert "«quet-600dpi.pdf» lớn hơn 20 MB" in refusals[0]


def test_signed_copy_of_a_form_beside_its_printout(qtbot, workspace, office_db, tmp_path, refusals):
    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(1)
    window.select_case(case_id)
    button = window.case_view.findChild(type(window.case_view.print_all), "signed_01")
    assert button is not None and button.text() == "Bản ký…"
    with qtbot.waitSignal(window.case_view.signed_requested):
        button.click()
    dialog = window.findChild(__import__("desktop.cases.signed_paper", fromlist=["x"]).SignedPaperDialog)
    assert dialog is not None and dialog.panel.default_kind == "ban_da_ky"
    signed = pdf_bytes(1, marker="DA KY DONG DAU")
    add = dialog.panel.open_add_dialog(_file(tmp_path, "mau01-da-ky.pdf", signed))
    assert add.kind.currentText() == "Bản đã ký" and add.note.text() == "Bản đã ký Mẫu số 01"
    add.save_button.click()
    [info] = att.list_for(workspace, "form", case_id, form_code="01")
    assert info.form_record_id is not None and info.kind == "ban_da_ky"
    viewer = dialog.view_beside()
    views = viewer.findChildren(QPdfView)
    assert {v.objectName() for v in views} == {"printout_view", "attachment_view"}
    assert all(v.document().pageCount() >= 1 for v in views)
    viewer.close()
    dialog.close()
    # The case view's line says so.
    window.select_case(case_id)
    labels = " ".join(label.text() for label in window.case_view.forms_box.findChildren(QLabel))
    assert "đã có bản ký (1 tệp)" in labels
    assert refusals == []
