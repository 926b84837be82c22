"""The carers' tab driven like a commune worker and the chairman would: register an individual and a family
(Mẫu 08), a relative's notice, bad inputs each with its message under its field, the Mẫu 11 verification with a
condition left unchecked (no "đủ điều kiện"), the chairman's confirmation, withdrawal, the quarter's Mẫu 09 sent
from the to-do item (PDF and workbook read back)."""
from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from desktop.care.carer_verification import VerificationDialog
from desktop.care.carers import CarerDialog
from desktop.common import messages
from desktop.main_window import CARERS_TAB, MainWindow
from models.care_entities import Carer
from models.clock import VN
from models.entities import Case
from models.services import carers
from models.services.accounts import add_account, login
from models.services.intake import create_intake, parse_intake
from tests.conftest import intake_raw
from tests.desktop.helpers import type_text


@pytest.fixture
def window(qtbot, workspace, office_db, monkeypatch):
    monkeypatch.setattr(messages, "choose", lambda *a, **k: 0)
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def leader(workspace, data_dir):
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    ws = login(data_dir, "chutich", "mat-khau-chu-tich")
    yield ws
    ws.close()


def error(dialog, key) -> str:
    label = dialog.errors[key]
    return label.text() if not label.isHidden() else ""


def fill(dialog: CarerDialog, **values) -> None:
    w = dialog.widgets
    for key, value in values.items():
        widget = w[key]
        if key in ("kind", "gender"):
            widget.button(value).setChecked(True)
        elif key in ("is_foreigner", "lives_in_commune", "family_consent"):
            widget.button(value).setChecked(True)
        elif key in ("wishes", "reasons"):
            widget.setPlainText(value)
        else:
            widget.clear()
            type_text(widget, value)


def carers_tab(window):
    window.tabs.setCurrentIndex(next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == CARERS_TAB))
    return window.carers


GOOD = dict(kind="ca_nhan", full_name="Lê Văn Thành", date_of_birth="12/03/1980", gender="nam", is_foreigner="no",
            personal_id="030080001234", village="Thôn Đông", address="Số 5", applied_on="02/11/2026",
            health_certificate_on="20/10/2026", wishes="Trẻ em gái từ 6 đến 10 tuổi")


def test_register_bad_inputs_then_an_individual_and_a_family(qtbot, window, workspace):
    view = carers_tab(window)
    assert view.counts.text().startswith("<b>0</b> người")
    dialog = view.open_new()
    fill(dialog, **{**GOOD, "full_name": "!!! ...", "date_of_birth": "01/01/2012", "applied_on": "01/01/0001",
                    "health_certificate_on": "01/04/2026"})
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "chỉ gồm chữ cái tiếng Việt" in error(dialog, "full_name")
    assert "nằm ngoài khoảng cho phép" in error(dialog, "applied_on")
    fill(dialog, applied_on="02/11/2026")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert error(dialog, "date_of_birth").startswith("Người nhận chăm sóc thay thế phải là người thành niên")
    assert error(dialog, "health_certificate_on").startswith("Giấy khám sức khỏe phải trong thời gian 06 tháng")
    # A foreigner resident for too short a time, with too little residence left.
    fill(dialog, **{**GOOD, "is_foreigner": "yes", "personal_id": "C1234567", "residence_from": "01/08/2026",
                    "residence_until": "01/06/2027"})
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "ít nhất 06 tháng" in error(dialog, "residence_from")
    assert "ít nhất 12 tháng" in error(dialog, "residence_until")
    assert dialog.isVisible()
    fill(dialog, **GOOD)
    dialog.widgets["is_foreigner"].button("no").setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert not dialog.isVisible() and error(dialog, "full_name") == ""
    family = view.open_new()
    fill(family, **{**GOOD, "kind": "gia_dinh", "full_name": "Phạm Thị Hoa", "gender": "nu",
                    "personal_id": "030085004321", "health_certificate_on": ""})
    qtbot.mouseClick(family.findChild(type(family.save_button), "add_member"), Qt.LeftButton)
    from PySide6.QtWidgets import QTableWidgetItem
    for col, text in enumerate(("Nguyễn Văn Bình", "1983", "Chồng", "Lái xe")):
        family.members.setItem(0, col, QTableWidgetItem(text))
    qtbot.mouseClick(family.save_button, Qt.LeftButton)
    assert not family.isVisible()
    names = [r.full_name for r in view.model.rows]
    assert names == ["Lê Văn Thành", "Phạm Thị Hoa"]
    shown = [view.model.index(1, c).data() for c in range(7)]
    assert shown[2] == "Gia đình (2 người)" and shown[5] == "Chờ xác minh (Mẫu 11)"
    assert "Giấy khám sức khỏe" in shown[6]  # still missing from the family's file
    view.search.setText("thanh")
    assert [r.full_name for r in view.model.rows] == ["Lê Văn Thành"]


def test_a_relatives_notice(qtbot, window, workspace, office_db):
    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    with office_db.session() as s:
        child_id = s.get(Case, case_id).child_id
    view = carers_tab(window)
    dialog = view.open_new("thong_bao_than_thich")
    fill(dialog, **{**GOOD, "full_name": "Đặng Thị Lựu", "health_certificate_on": "", "date_of_birth": "03/04/1960"})
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert error(dialog, "relative_of_child_id").startswith("Người thân thích thông báo nhận chăm sóc trẻ em nào?")
    type_text(dialog.child_search, "anh")
    assert dialog.widgets["relative_of_child_id"].currentData() == child_id
    type_text(dialog.widgets["relation_to_child"], "Bà ngoại")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert not dialog.isVisible()
    row = view.model.rows[0]
    assert row.registration == "thong_bao_than_thich" and row.missing == ()


def test_verify_confirm_withdraw_and_send_the_quarters_list(qtbot, window, workspace, leader, tmp_path):
    ids = [carers.register_carer(workspace.db, workspace.actor, {**GOOD, "registration": "don_dang_ky",
                                                                 "full_name": name, "personal_id": "",
                                                                 "is_foreigner": False})
           for name in ("Lê Văn Thành", "Vũ Thị Đi")]
    view = carers_tab(window)
    view.refresh()
    dialog = view.open_verification(ids[0])
    assert isinstance(dialog, VerificationDialog)
    # Nothing answered by default: every condition "Chưa xác minh", the conclusion "Chưa kết luận".
    assert all(c.value() == "" for c in dialog.conditions.values()) and dialog.conclusion.value() == ""
    for key in "abc":
        dialog.conditions[key].button("met").setChecked(True)
    dialog.conclusion.button("du_dieu_kien").setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert error(dialog, "conclusion").startswith("Chưa thể kết luận đủ điều kiện: còn điều kiện chưa xác minh")
    dialog.conditions["d"].button("met").setChecked(True)
    type_text(dialog.findings, "Nhà cấp 4, thu nhập ổn định")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert error(dialog, "conclusion") == "" and "Trình Chủ tịch xác nhận" in dialog.notice.text()
    assert not dialog.sign_button.isVisible()  # the worker does not confirm
    dialog.close()
    # The chairman reads the report as it will print, then confirms.
    boss = MainWindow(leader)
    qtbot.addWidget(boss)
    boss_view = boss.open_carers()
    chair = boss_view.open_verification(ids[0])
    assert chair.sign_button.isEnabled() and not chair.save_button.isVisible()
    preview = chair.confirm()
    assert "Xác nhận báo cáo" == preview.confirm_button.text()
    qtbot.mouseClick(preview.confirm_button, Qt.LeftButton)
    assert "Đủ điều kiện" in chair.notice.text() and "Đủ điều kiện" in chair.header.text()
    with workspace.db.session() as s:
        assert carers.standing(s.get(Carer, ids[0])) == "du_dieu_kien"
    # Withdraw the second: a reason and the tick are both needed.
    view.refresh()
    withdraw = view.open_withdraw(ids[1])
    qtbot.mouseClick(withdraw.save_button, Qt.LeftButton)
    assert "Lý do rút khỏi danh sách không được để trống" in error(withdraw, "withdrawn_reason")
    type_text(withdraw.reason, "Chuyển đi nơi khác")
    qtbot.mouseClick(withdraw.save_button, Qt.LeftButton)
    assert error(withdraw, "") == "Hãy xác nhận việc rút khỏi danh sách."
    withdraw.confirm_box.setChecked(True)
    qtbot.mouseClick(withdraw.save_button, Qt.LeftButton)
    assert not withdraw.isVisible()
    assert [r.standing for r in view.model.rows] == ["du_dieu_kien", "da_rut"]
    # The quarter's list from the to-do item: only the verified carer, PDF and workbook, marked sent.
    window.tasks_view.refresh()
    tasks = [t for t in window.tasks_view.model.tasks if t.form == "09"]
    at = datetime.now(VN)
    assert tasks and all(t.step.startswith("Gửi danh sách Mẫu 09 quý") for t in tasks)
    current = f"quý {(at.month - 1) // 3 + 1}/{at.year}"
    sender = window.open_process_screen(0, "09", tasks[-1].ref)
    assert sender.quarter_box.currentText().startswith(f"Quý {tasks[-1].ref % 10}/{tasks[-1].ref // 10}")
    sender.quarter_box.setCurrentIndex(sender.quarter_box.count() - 1)  # the current quarter
    sender.folder.setText(str(tmp_path))
    type_text(sender.recipient, "Phòng Văn hóa - Xã hội")
    qtbot.mouseClick(sender.save_button, Qt.LeftButton)
    pdf, xlsx = sender.written
    assert pdf.exists() and xlsx.exists()
    sheet = load_workbook(xlsx).active
    assert [r[1].value for r in sheet.iter_rows(min_row=6)] == ["Lê Văn Thành"]
    assert "đã gửi" in view.list_status.text() and current in view.list_status.text()
    window.tasks_view.refresh()
    assert not [t for t in window.tasks_view.model.tasks if t.form == "09" and current in t.step]
    boss.close()


def test_a_carers_scanned_papers_are_attached_in_the_carers_dialog(qtbot, window, workspace):
    """The scans of a carer's papers (the signed application, the health certificate) are kept with the carer,
    encrypted like everything else: the Mẫu 08 dialog of a saved carer lists them."""
    from models.attachment_files import check_bytes
    from models.services import attachments as att
    from tests.attacks.payloads import png_bytes

    view = carers_tab(window)
    dialog = view.open_new("don_dang_ky")
    assert dialog.attachments.owner_id is None  # a new application: saved first, then its scans
    fill(dialog, **GOOD)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert not dialog.isVisible()
    carer_id = view.model.rows[0].id
    att.add(workspace, "carer", carer_id, check_bytes(png_bytes(), "giay-kham.png"), kind="giay_kham_suc_khoe",
            note="Giấy khám sức khỏe")
    dialog = view.open_edit(carer_id)
    assert dialog.attachments.owner_id == carer_id
    assert [i.note for i in dialog.attachments.items] == ["Giấy khám sức khỏe"]
