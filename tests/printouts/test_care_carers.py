"""The carers' papers read back as a person reads them: Mẫu 08 (the application), Mẫu 11 (the verification, each
condition in one of three states), Mẫu 09 (the quarter's list, PDF and workbook, exactly the verified carers, no
formula in the workbook); the blanks; the audit entries of what left the program."""
from __future__ import annotations

import io
from datetime import datetime

import pdfplumber
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop.actions import printing
from models import forms
from models.clock import VN
from models.entities import AuditEvent
from models.services import carers
from models.services.accounts import add_account, login
from models.services.tasks import compute_tasks
from models.wording import shipped_definition
from tests.models.test_carers import AT, CAL, person, verify


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in doc.pages)


@pytest.fixture
def leader(workspace, data_dir):
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    ws = login(data_dir, "chutich", "mat-khau-chu-tich")
    yield ws
    ws.close()


@pytest.fixture
def three(office_db, workspace, leader):
    """A verified individual, a verified family, a carer still waiting (with a name like a formula), a withdrawn
    verified carer."""
    actor = workspace.actor
    ok = carers.register_carer(office_db, actor, person(), at=AT)
    fam = carers.register_carer(office_db, actor, person(
        kind="gia_dinh", full_name="Phạm Thị Hoa", personal_id="030085004321", members=[
            {"full_name": "Nguyễn Văn Bình", "year_of_birth": "1983", "relation": "Chồng"}],
        wishes="=HYPERLINK(\"http://x\")", village="Thôn Tây"), at=AT)
    waiting = carers.register_carer(office_db, actor, person(full_name="Đỗ Văn Chờ", personal_id=""), at=AT)
    gone = carers.register_carer(office_db, actor, person(full_name="Vũ Thị Đi", personal_id=""), at=AT)
    for cid in (ok, fam, gone):
        vid = verify(office_db, actor, cid, {"a": True, "b": True, "c": True, "d": True}, "du_dieu_kien")
        carers.confirm_verification(leader.db, leader.actor, vid, confirmed_by="Phạm Văn Hùng", at=AT)
    carers.withdraw_carer(office_db, actor, gone, "Chuyển đi nơi khác", confirmed=True)
    verify(office_db, actor, waiting, {"a": True, "b": False}, None)
    return ok, fam, waiting, gone


def test_the_registry_knows_the_three_forms_and_their_wording_is_marked_not_official():
    for code, subject in (("08", "carer"), ("09", "office"), ("11", "carer")):
        form = forms.get(code)
        assert form.subject == subject and form.screen_package == "care"
        spec = shipped_definition(code)
        assert spec["official_text"] is False and "Điều" in spec["follows"]
    assert forms.normalise("8") == "08"


def test_form08_prints_the_application_and_refuses_a_relatives_notice(workspace, three):
    ok, fam, *_ = three
    paper = printing.care_form(workspace, "08", fam)
    text = text_of(paper.pdf)
    assert "ĐƠN ĐĂNG KÝ NHẬN CHĂM SÓC THAY THẾ" in text
    assert "Họ và tên: Phạm Thị Hoa" in text and "Nguyễn Văn Bình" in text and "Chồng" in text
    assert "Mẫu số 08" not in text  # not the decree's text: the paper does not claim the form's number
    assert paper.file_name == f"NCS-{fam}-mau08.pdf"


def test_form11_prints_each_condition_in_three_states_and_the_chairmans_confirmation(workspace, three):
    ok, fam, waiting, _ = three
    text = text_of(printing.care_form(workspace, "11", waiting).pdf)
    assert "CHƯA XÁC NHẬN" in text and "BÁO CÁO XÁC MINH ĐIỀU KIỆN" in text
    table = []
    with pdfplumber.open(io.BytesIO(printing.care_form(workspace, "11", waiting).pdf)) as doc:
        for page in doc.pages:
            table += [row for t in page.extract_tables() for row in t]
    marks = {row[0][:2]: row[1:] for row in table if row[0] and row[0][1:2] == ")"}
    assert marks["a)"] == ["■", "□", "□"]  # met
    assert marks["b)"] == ["□", "■", "□"]  # not met
    assert marks["c)"] == ["□", "□", "■"] and marks["d)"] == ["□", "□", "■"]  # not yet checked, never "không"
    confirmed = text_of(printing.care_form(workspace, "11", ok).pdf)
    assert "CHƯA XÁC NHẬN" not in confirmed and "Phạm Văn Hùng" in confirmed
    assert "■ Cá nhân, gia đình đủ điều kiện nhận chăm sóc thay thế" in confirmed


def test_the_quarters_list_pdf_and_workbook_hold_exactly_the_verified_carers(workspace, three, tmp_path):
    ok, fam, waiting, gone = three
    december = datetime(2026, 12, 2, 9, tzinfo=VN)
    assert "Gửi danh sách Mẫu 09 quý 4/2026" in [t.step for t in compute_tasks(workspace.db, CAL, december)]
    pdf, xlsx = printing.send_carer_list(workspace, tmp_path / "mau09.pdf", tmp_path / "mau09.xlsx",
                                         year=2026, quarter=4, recipient="Sở Y tế tỉnh Hà Tĩnh")
    text = text_of(pdf.read_bytes())
    assert "Lê Văn Thành" in text and "Phạm Thị Hoa" in text
    assert "Đỗ Văn Chờ" not in text and "Vũ Thị Đi" not in text
    assert "Quý 4 năm 2026" in text and "Kính gửi: Sở Y tế tỉnh Hà Tĩnh" in text and "Tổng số: 2" in text
    sheet = load_workbook(xlsx).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=6)]
    assert [r[1] for r in rows] == ["Lê Văn Thành", "Phạm Thị Hoa"]
    assert rows[1][4] == "Gia đình (2 người)" and rows[1][7] == "=HYPERLINK(\"http://x\")"
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)  # no formula in the workbook
    assert sheet.cell(7, 8).quotePrefix
    assert "Gửi danh sách Mẫu 09 quý 4/2026" not in [t.step for t in compute_tasks(workspace.db, CAL, december)]
    with workspace.db.session() as s:
        entries = s.execute(select(AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id)
                            .where(AuditEvent.entity == "mau09")).all()
    assert entries == [("print", "mau09", "4/2026"), ("export", "mau09", "4/2026")]


def test_the_blanks_print(workspace, tmp_path):
    for code, words in (("08", "Các thành viên trong gia đình"), ("09", "DANH SÁCH CÁ NHÂN, GIA ĐÌNH"),
                        ("11", "BÁO CÁO XÁC MINH ĐIỀU KIỆN")):
        text = text_of(printing.blank(workspace, code).pdf)
        assert words in text


def test_the_command_line_prints_08_11_and_the_list(workspace, data_dir, three, tmp_path, monkeypatch, capsys):
    from desktop.cli import main
    from tests.conftest import PASSWORD

    ok, fam, waiting, _ = three
    monkeypatch.setenv("BVTE_USER", "admin")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    base = ["print", "--data-dir", str(data_dir)]
    assert main(base + ["--form", "08", "--carer", f"NCS-{fam}", "-o", str(tmp_path / "a.pdf")]) == 0
    assert "Phạm Thị Hoa" in text_of((tmp_path / "a.pdf").read_bytes())
    assert main(base + ["--form", "11", "--carer", str(waiting), "-o", str(tmp_path / "b.pdf")]) == 0
    assert "CHƯA XÁC NHẬN" in text_of((tmp_path / "b.pdf").read_bytes())
    assert main(base + ["--form", "09", "-o", str(tmp_path / "c.pdf")]) == 0
    listed = text_of((tmp_path / "c.pdf").read_bytes())
    assert "Lê Văn Thành" in listed and "Đỗ Văn Chờ" not in listed
    assert "Lưu ý: Lời văn không phải nguyên văn Mẫu số 09" in capsys.readouterr().err
    assert main(base + ["--form", "11", "-o", str(tmp_path / "d.pdf")]) != 0
    assert "ghi --carer SỐ" in capsys.readouterr().err
    with workspace.db.session() as s:
        printed = s.execute(select(AuditEvent.entity, AuditEvent.entity_id).where(AuditEvent.action == "print")).all()
    assert ("carer", f"NCS-{fam}") in printed and ("carer", f"NCS-{waiting}") in printed
