"""Printing, once for the window and the command line (desktop.actions.printing): permission, render, audit."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop.actions import printing
from models.entities import AuditEvent
from models.errors import UserError
from models.security.roles import NotAllowed
from models.services.accounts import add_account, login
from models.services.cases import NoSuchCase
from models.services.intake import create_intake, parse_intake
from printouts.process_layout import NotPrintable
from tests.conftest import intake_raw


@pytest.fixture
def case_id(office_db, actor):
    data, errors = parse_intake(intake_raw())
    assert errors == {}
    return create_intake(office_db, data, actor)


def _print_details(db) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "print")))


def test_a_form_saved_to_a_file_is_recorded_first(workspace, case_id, tmp_path):
    paper = printing.form(workspace, case_id, "1")
    assert paper.pdf.startswith(b"%PDF") and paper.forms == ("01",)
    assert paper.file_name.endswith("-mau01.pdf") and paper.title.startswith("Mẫu số 01 — HS-")
    usb = tmp_path / "USB"
    usb.mkdir()
    out = printing.save(workspace, paper, usb / "in.pdf")
    assert out.read_bytes() == paper.pdf
    assert [p.name for p in usb.iterdir()] == ["in.pdf"]  # no temporary file left beside it
    assert _print_details(workspace.db) == ["Mẫu số 01 → in.pdf"]


def test_a_case_by_its_code_and_the_refusals(workspace, case_id, tmp_path):
    code = printing.form(workspace, case_id, "01").case_code
    assert printing.form(workspace, code.lower(), "01").case_code == code  # the code, typed in lower case
    with pytest.raises(NoSuchCase):
        printing.form(workspace, "HS-1999-9999", "01")
    with pytest.raises(NotPrintable) as missing:
        printing.form(workspace, case_id, "03")  # the case has no Mẫu 03 yet
    assert "chưa có Mẫu số 03" in str(missing.value)
    with pytest.raises(NotPrintable):
        printing.blank(workspace, "bao_cao_vu_viec")  # the incident report has no blank form
    for error in (NoSuchCase, NotPrintable):
        assert issubclass(error, UserError)


def test_a_blank_form_is_not_a_childs_paper(workspace, tmp_path):
    paper = printing.blank(workspace, "minutes")
    assert paper.case_code == "" and paper.file_name == "bien-ban-hop-mau-trang.pdf"
    printing.save(workspace, paper, tmp_path / "blank.pdf")
    assert _print_details(workspace.db) == []


def test_a_role_without_printing_is_refused(workspace, data_dir, case_id):
    add_account(workspace, "qt2", "Quản Trị Hai", ["admin"], "mat-khau-quan-tri-2")
    other = login(data_dir, "qt2", "mat-khau-quan-tri-2")
    try:
        with pytest.raises(NotAllowed):
            printing.form(other, case_id, "01")
    finally:
        other.close()
