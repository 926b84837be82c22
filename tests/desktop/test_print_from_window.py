"""Printing from the window what the command line prints (issue 12 item 8): the whole case file with its
cover and contents, blank forms, the to-do list, the case list and the register list."""
from __future__ import annotations

import io

import pdfplumber

from desktop.main_window import MainWindow
from models.services.intake import create_intake, parse_intake
from tests.conftest import intake_raw


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in doc.pages)


def _window(qtbot, workspace, office_db):
    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    create_intake(office_db, parse_intake(intake_raw(child_name="Lò Văn Páo", personal_id="030315009999"))[0],
                  workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    return window, case_id


def test_whole_case_file_from_the_case_panel(qtbot, workspace, office_db):
    window, case_id = _window(qtbot, workspace, office_db)
    window.tabs.setCurrentIndex(1)
    window.select_case(case_id)
    button = window.case_view.print_all
    assert button.isVisible() and button.isEnabled()
    button.click()
    text = text_of(window.preview._pdf)
    assert "HỒ SƠ TRƯỜNG HỢP BẢO VỆ TRẺ EM" in text and "Nguyễn Thị Ánh" in text
    assert "MỤC LỤC" in text and "Mẫu số 01" in text
    assert window.preview.windowTitle().startswith("Toàn bộ hồ sơ — HS-")


def test_blank_forms_and_lists_from_the_print_menu(qtbot, workspace, office_db):
    window, _case_id = _window(qtbot, workspace, office_db)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&In")
    texts = [a.text() for a in menu.actions()]
    assert "In danh sách việc cần làm…" in texts and any(t.startswith("In toàn bộ hồ sơ") for t in texts)
    blank = next(a.menu() for a in menu.actions() if a.menu() is not None)
    next(a for a in blank.actions() if a.text() == "Mẫu số 02").trigger()
    assert "BÁO CÁO ĐÁNH GIÁ NGUY CƠ BAN ĐẦU" in text_of(window.preview._pdf)
    assert window.preview.windowTitle() == "Mẫu số 02 — mẫu trắng"
    window.print_cases_action.trigger()
    cases = text_of(window.preview._pdf)
    assert "DANH SÁCH HỒ SƠ TRƯỜNG HỢP TRẺ EM" in cases
    assert "Nguyễn Thị Ánh" in cases and "Lò Văn Páo" in cases and "Tổng cộng: 2 mục" in cases
    window.search.setText("pao")
    window.apply_filter()
    window.print_cases_action.trigger()
    filtered = text_of(window.preview._pdf)
    assert "Lò Văn Páo" in filtered and "Nguyễn Thị Ánh" not in filtered and "Phạm vi: pao" in filtered
    qtbot.waitUntil(lambda: window.tasks_view.model.rowCount() > 0, timeout=10000)
    window.print_tasks_action.trigger()
    tasks = text_of(window.preview._pdf)
    # for each of the two cases of abuse: its Mẫu 02 and its incident report upward (NĐ 56, seed 003)
    assert window.tasks_view.model.rowCount() == 4
    assert "DANH SÁCH VIỆC CẦN LÀM" in tasks and "Tổng cộng: 4 mục" in tasks
    window.print_register_action.trigger()
    register = text_of(window.preview._pdf)
    assert "DANH SÁCH TRẺ EM TRONG SỔ THEO DÕI" in register and "Lò Văn Páo" in register
    assert "DỮ LIỆU MẪU" not in cases + tasks + register  # a real office: no demo mark
