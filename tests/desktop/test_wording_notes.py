"""The screens and the print preview say whose words a form prints: the decree's own (nothing to say), words
the program built from the articles (with those articles), an office's local form, or a local file refused."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from desktop.main_window import MainWindow
from desktop.process import open_screen
from models import wording as forms
from models.clock import VN
from models.services import assessment
from models.services.intake import create_intake, parse_intake
from tests.conftest import intake_raw
from tests.models.test_process_data import ia_raw


@pytest.fixture(autouse=True)
def shipped_forms():
    forms.use_data_folder(None)
    yield
    forms.use_data_folder(None)


@pytest.fixture
def case_id(workspace, office_db):
    cid = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    assessment.save_initial_assessment(office_db, workspace.actor, cid, ia_raw(),
                                       at=datetime(2026, 11, 20, 10, 0, tzinfo=VN))
    return cid


def shown(label) -> str:
    return label.text() if not label.isHidden() else ""


def test_screens_say_when_the_wording_is_not_the_decree_text(qtbot, workspace, case_id):
    s02 = open_screen("02", workspace, case_id)
    qtbot.addWidget(s02)
    note = shown(s02.wording_note)
    assert "không phải nguyên văn Mẫu số 02" in note and "Điều 26" in note
    s03 = open_screen("03", workspace, case_id)
    qtbot.addWidget(s03)
    assert shown(s03.wording_note) == ""  # the decree's own text: nothing to say


def test_preview_says_it_too_and_names_a_local_form(qtbot, workspace, case_id, data_dir):
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.print_form(case_id, "02")
    qtbot.addWidget(window.preview)
    assert "không phải nguyên văn Mẫu số 02" in shown(window.preview.wording_note)
    window.print_form(case_id, "01")
    qtbot.addWidget(window.preview)
    assert shown(window.preview.wording_note) == ""

    folder = data_dir / forms.LOCAL_FOLDER
    folder.mkdir()
    local = forms.shipped_definition("02")
    local["title"] = "BÁO CÁO ĐÁNH GIÁ NGUY CƠ BAN ĐẦU (THEO MẪU CỦA TỈNH)"
    (folder / "mau02.json").write_text(json.dumps(local, ensure_ascii=False), encoding="utf-8")
    forms.use_data_folder(data_dir)
    window.print_form(case_id, "02")
    qtbot.addWidget(window.preview)
    assert "theo mẫu của địa phương" in shown(window.preview.wording_note)
    screen = open_screen("02", workspace, case_id)
    qtbot.addWidget(screen)
    assert "theo mẫu của địa phương" in shown(screen.wording_note)


def test_a_refused_local_file_is_said_on_the_screen(qtbot, workspace, case_id, data_dir):
    folder = data_dir / forms.LOCAL_FOLDER
    folder.mkdir()
    (folder / "mau03.json").write_text("{ not json", encoding="utf-8")
    forms.use_data_folder(data_dir)
    screen = open_screen("03", workspace, case_id)
    qtbot.addWidget(screen)
    note = shown(screen.wording_note)
    assert "mau-dia-phuong/mau03.json không dùng được" in note and "lời văn có sẵn" in note


def test_intake_wizard_names_a_local_form_01(qtbot, workspace, office_db, data_dir):
    from desktop.cases.wizard01 import IntakeWizard

    wizard = IntakeWizard(workspace)
    qtbot.addWidget(wizard)
    assert shown(wizard.wording_note) == ""  # the decree's own text
    folder = data_dir / forms.LOCAL_FOLDER
    folder.mkdir()
    local = forms.shipped_definition("01")
    local["fields"]["notes"]["label"] = "Ghi chú khác"
    local["local_basis"] = "mẫu của tỉnh"
    (folder / "mau01.json").write_text(json.dumps(local, ensure_ascii=False), encoding="utf-8")
    forms.use_data_folder(data_dir)
    wizard = IntakeWizard(workspace)
    qtbot.addWidget(wizard)
    assert "theo mẫu của địa phương" in shown(wizard.wording_note) and "mẫu của tỉnh" in shown(wizard.wording_note)
