"""First start without data: the user may begin with an empty office or with the demo data."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

import desktop.admin.first_run_demo as first_run
from models.entities import Case, Child, Office
from models.services.accounts import login, office_exists
from tests.desktop.helpers import type_text

PASSWORD = "mat-khau-dung-thu"


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "BVTE"  # as on a new machine: the data folder does not exist yet


def _answer(monkeypatch, index: int) -> list:
    asked = []

    def fake_choose(parent, title, text, answers, **kw):
        asked.append((title, text, answers))
        return index

    monkeypatch.setattr(first_run, "choose", fake_choose)
    return asked


def test_empty_office_leaves_the_folder_to_the_set_up_dialog(qtbot, folder, monkeypatch):
    asked = _answer(monkeypatch, 0)
    assert first_run.offer_demo(None, folder) is None
    assert asked[0][2] == ["Thiết lập cơ quan", "Dùng thử với dữ liệu mẫu", "Nối máy chủ trong cơ quan…"]
    assert not office_exists(folder)


def test_demo_data_makes_three_accounts_and_signs_in_as_admin(qtbot, folder, monkeypatch):
    _answer(monkeypatch, 1)
    monkeypatch.setattr(first_run, "ask_demo_password", lambda parent: PASSWORD)
    ws = first_run.offer_demo(None, folder, children=20, cases=8)
    assert ws is not None
    try:
        assert ws.actor.username == "admin" and ws.actor.can("settings")
        with ws.db.session() as session:
            assert session.scalar(select(func.count(Child.id))) == 20
            assert session.scalar(select(func.count(Case.id))) == 8
            assert session.scalar(select(Office.commune_name)) != ""  # the settings dialog is not needed
            assert session.scalar(select(Office.is_demo)) is True  # marked as demo in the data
        # Its own folder, beside the real one: the real data folder stays empty for the real office.
        assert ws.folder == first_run.demo_folder(folder) and ws.folder.name.endswith("-du-lieu-mau")
        assert not office_exists(folder)
    finally:
        ws.close()
    for username, roles in (("canbo", {"worker"}), ("chutich", {"leader"})):
        other = login(first_run.demo_folder(folder), username, PASSWORD)
        assert set(other.actor.roles) == roles
        other.close()


def test_the_real_question_has_vietnamese_buttons(qtbot, folder, monkeypatch):
    seen = []

    def click_demo():
        box = QApplication.activeModalWidget()
        seen.extend(b.text() for b in box.buttons())
        next(b for b in box.buttons() if b.text() == "Dùng thử với dữ liệu mẫu").click()

    QTimer.singleShot(0, click_demo)
    monkeypatch.setattr(first_run, "ask_demo_password", lambda parent: None)  # then the user goes back
    assert first_run.offer_demo(None, folder) is None
    assert sorted(seen) == sorted(first_run.ANSWERS)
    assert not office_exists(folder)


def test_the_password_dialog_checks_like_the_vault(qtbot):
    dialog = first_run.DemoPasswordDialog()
    qtbot.addWidget(dialog)
    type_text(dialog.new, "ngan")
    type_text(dialog.confirm, "ngan")
    dialog.accept()
    assert "ít nhất 8 ký tự" in dialog.message.text() and dialog.password is None
    dialog.new.clear()
    dialog.confirm.clear()
    type_text(dialog.new, PASSWORD)
    type_text(dialog.confirm, PASSWORD + "x")
    dialog.accept()
    assert dialog.message.text() == "Hai lần nhập mật khẩu không giống nhau."
    type_text(dialog.confirm, PASSWORD)
    dialog.accept()
    assert dialog.password == PASSWORD and dialog.result() == dialog.DialogCode.Accepted


def test_a_failure_half_way_leaves_no_office_behind(qtbot, folder, monkeypatch):
    _answer(monkeypatch, 1)
    monkeypatch.setattr(first_run, "ask_demo_password", lambda parent: PASSWORD)

    def disk_full(*args, **kwargs):
        raise OSError("database or disk is full")

    import models.demo

    monkeypatch.setattr(models.demo, "generate_demo", disk_full)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    assert first_run.offer_demo(None, folder, children=5, cases=2) is None
    assert "Ổ đĩa đã đầy" in warnings[0]
    demo = first_run.demo_folder(folder)
    assert not office_exists(folder) and not office_exists(demo)
    assert [p.name for p in demo.iterdir()] == []  # next start asks again, on a clean folder


def test_demo_window_says_so_and_the_admin_can_discard_it(qtbot, folder, monkeypatch):
    """Title, printouts and exports carry "DỮ LIỆU MẪU"; "Xoá dữ liệu mẫu, bắt đầu thật" removes the demo
    folder only, and the next start asks again on the (still empty) real folder."""
    import io

    import pdfplumber

    from desktop.common import messages
    from desktop.main_window import MainWindow
    from models.services.register_export import export_register

    _answer(monkeypatch, 1)
    monkeypatch.setattr(first_run, "ask_demo_password", lambda parent: PASSWORD)
    ws = first_run.offer_demo(None, folder, children=12, cases=4)
    worker = login(ws.folder, "canbo", PASSWORD)
    worker_window = MainWindow(worker)
    qtbot.addWidget(worker_window)
    assert "DỮ LIỆU MẪU" in worker_window.windowTitle()
    assert not worker_window.discard_demo_action.isEnabled()  # the administrator's decision
    pdf = worker_window.print_blank("01")._pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert all("DỮ LIỆU MẪU" in (page.extract_text() or "") for page in doc.pages)
    out = folder.parent / "danh-sach.xlsx"
    export_register(worker.db, worker.actor, out)
    worker_window.close()
    worker.close()
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    assert "DỮ LIỆU MẪU" in window.windowTitle()
    from openpyxl import load_workbook

    book = load_workbook(out, read_only=True)
    assert book.sheetnames[0] == "DỮ LIỆU MẪU"
    book.close()
    assert window.discard_demo_action.isVisible() and window.discard_demo_action.isEnabled()
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    with qtbot.waitSignal(window.signed_out_changed, timeout=5000):
        window.discard_demo_action.trigger()
    assert window.discard_demo_requested and window.signed_out
    demo = ws.folder
    ws.close()
    first_run.discard_demo_office(demo)
    assert not demo.exists() and not office_exists(folder)


def test_only_a_demo_folder_can_be_discarded(tmp_path):
    import pytest

    from models.security.vault import VaultError

    real = tmp_path / "BVTE"
    real.mkdir()
    with pytest.raises(VaultError):
        first_run.discard_demo_office(real)
    assert real.exists()
