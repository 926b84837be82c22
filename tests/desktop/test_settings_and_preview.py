"""First-run office settings, and the print preview's Print and Save."""
from __future__ import annotations

import pypdf
from PySide6.QtPrintSupport import QPrinter

from desktop.main_window import MainWindow
from desktop.admin.settings_dialog import SettingsDialog
from models.services.intake import create_intake, parse_intake
from models.services.office import get_office
from tests.conftest import OFFICE, intake_raw
from tests.desktop.helpers import type_text


def test_first_run_settings_refuse_missing_fields_then_save(qtbot, workspace, db):
    dialog = SettingsDialog(workspace, first_run=True)
    qtbot.addWidget(dialog)
    assert dialog.widgets["agency_abbrev"].text() == "UBND"
    dialog.accept()
    assert dialog.errors["province"].text() == "Tỉnh / thành phố không được để trống."
    assert get_office(db) is None
    for key, value in OFFICE.items():
        widget = dialog.widgets[key]
        if key == "commune_kind":
            widget.setCurrentIndex(widget.findData(value))
        elif key == "vice_chairmen":
            widget.setPlainText(value)
        else:
            widget.clear()
            type_text(widget, value)
    dialog.widgets["worker_phone"].clear()
    type_text(dialog.widgets["worker_phone"], "abc")
    dialog.accept()
    assert "Số điện thoại" in dialog.errors["worker_phone"].text()
    dialog.widgets["worker_phone"].clear()
    type_text(dialog.widgets["worker_phone"], "0912 345 678")
    dialog.accept()
    office = get_office(db)
    assert office.commune_name == "Cẩm Hưng"
    assert office.vice_chairman_list == ["Nguyễn Thị Hoa", "Lê Văn Tâm"]
    # Editing later shows what was saved.
    again = SettingsDialog(workspace)
    qtbot.addWidget(again)
    assert again.widgets["agency_name"].text() == "Ủy ban nhân dân xã Cẩm Hưng"


def test_preview_saves_and_prints_the_form(qtbot, workspace, office_db, tmp_path):
    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.select_case(case_id)
    assert window.case_view.print01.isEnabled()
    window.case_view.print01.click()
    preview = window.preview
    qtbot.addWidget(preview)
    assert preview.document.pageCount() >= 1
    saved = tmp_path / "mau01.pdf"
    preview.save_to(saved)
    assert "Nguyễn Thị Ánh" in " ".join(p.extract_text() for p in pypdf.PdfReader(saved).pages)

    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    preview.print_to(printer)
    assert len(pypdf.PdfReader(printed).pages) == preview.document.pageCount()
