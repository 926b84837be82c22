"""The weekly path of a commune worker: a report comes in, it is recorded on Mẫu 01, found again, printed."""
from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime, Qt
from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select

from desktop.main_window import MainWindow
from models.entities import Case, Child, Intake, Person
from tests.desktop.helpers import type_text


@pytest.fixture
def window(qtbot, workspace, office_db):
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.show()
    return win


def _page1(wiz, when: QDateTime):
    wiz.widgets["category"].button("bi_xam_hai").click()
    wiz.widgets["source"].button("gap_truc_tiep").click()
    wiz.widgets["received_at"].setDateTime(when)
    wiz.widgets["report_date"].setDate(when.date())
    wiz.widgets["abuse_forms"].box("bao_luc").click()


def _fill_child(wiz, name="Nguyễn Thị Ánh"):
    type_text(wiz.widgets["child_name"], name)
    type_text(wiz.widgets["date_of_birth"], "05/09/2015")
    wiz.widgets["gender"].button("nu").click()
    type_text(wiz.widgets["ethnicity"].lineEdit(), "Kinh")
    type_text(wiz.widgets["personal_id"], "030315001234")
    type_text(wiz.widgets["village"], "Thôn Phú Lộc")


def _recent_moment() -> QDateTime:
    return QDateTime(QDate.currentDate().addDays(-1), QTime(8, 30))


def test_worker_records_finds_and_prints_an_intake(qtbot, window, office_db):
    qtbot.mouseClick(window.findChild(type(window.search)), Qt.LeftButton)  # the window is alive
    window.new_action.trigger()
    wiz = window.wizard
    qtbot.waitExposed(wiz)
    assert wiz.widgets["receiving_officer"].text() == "Trần Thị Lan"  # from the office settings

    when = _recent_moment()
    _page1(wiz, when)
    wiz.next()
    assert wiz.currentId() == 1
    _fill_child(wiz)
    wiz.next()
    type_text(wiz.widgets["incident_place"], "Tại nhà riêng")
    type_text(wiz.widgets["child_condition"], "Có vết bầm ở tay, cháu sợ hãi.")
    type_text(wiz.widgets["predicted_consequences"], "Tiếp tục bị đánh.")
    wiz.next()
    type_text(wiz.widgets["father_name"], "nguyễn văn dũng")
    type_text(wiz.widgets["father_age"], "41")
    type_text(wiz.widgets["father_occupation"], "Làm ruộng")
    type_text(wiz.widgets["mother_name"], "Đặng Thị Hương")
    type_text(wiz.widgets["current_caregiver"], "Bà ngoại")
    wiz.next()
    assert not wiz.widgets["informant_name"].isEnabled()  # only with the informant's consent
    wiz.widgets["informant_consent"].click()
    type_text(wiz.widgets["informant_name"], "Lê Thị Mai")
    type_text(wiz.widgets["informant_phone"], "0987 654 321")
    wiz.button(QWizard.FinishButton).click()

    assert wiz.case_id is not None
    with office_db.session() as s:
        child = s.scalar(select(Child))
        intake = s.scalar(select(Intake))
        assert child.full_name == "Nguyễn Thị Ánh"
        assert child.personal_id == "030315001234"
        assert child.gender == "nu"
        assert intake.category == "bi_xam_hai" and intake.source == "gap_truc_tiep"
        assert intake.received_at.strftime("%H:%M %d/%m/%Y") == when.toString("HH:mm dd/MM/yyyy")
        assert intake.child_condition == "Có vết bầm ở tay, cháu sợ hãi."
        assert intake.informant_name == "Lê Thị Mai"
        assert intake.doc_number == 1
        father = next((p for p in s.scalars(select(Person)) if p.full_name == "Nguyễn Văn Dũng"), None)
        assert father is not None and father.age == 41  # the name was typed in lower case: capitalised
        assert s.scalar(select(func.count(Case.id))) == 1

    # The list shows it and the case view shows the next step with its 12-hour limit.
    assert window.model.rowCount() == 1
    assert window.model.index(0, 1).data() == "Nguyễn Thị Ánh"
    assert "Mẫu số 02" in window.case_view.next_step.text()
    assert "12 giờ" in window.case_view.next_step.text()

    # Search ignores diacritics and case.
    for typed in ("nguyen thi anh", "NGUYEN THI ANH", "ánh", "thi a"):
        window.search.clear()
        type_text(window.search, typed)
        window.apply_filter()
        assert window.model.rowCount() == 1, typed
    window.search.clear()
    type_text(window.search, "nguyen van")
    window.apply_filter()
    assert window.model.rowCount() == 0

    # The printout carries the labels and what was typed.
    import pdfplumber, io
    pdf = window.render_pdf(wiz.case_id, "01")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = " ".join((p.extract_text() or "") for p in doc.pages)
    text = " ".join(unicodedata.normalize("NFC", text).split())
    for expected in ("BÁO CÁO", "TIẾP NHẬN THÔNG TIN TRẺ EM BỊ XÂM HẠI", "Họ và tên trẻ em", "Nguyễn Thị Ánh",
                     "Nguyễn Văn Dũng", "Có vết bầm ở tay, cháu sợ hãi.", "Lê Thị Mai", "Số: 01/BC-UBND"):
        assert expected in text, expected


def test_bad_input_gets_a_message_beside_the_field_and_saves_nothing(qtbot, window, office_db):
    window.new_action.trigger()
    wiz = window.wizard
    # Nothing chosen yet: the first page refuses to go on, and says why.
    wiz.next()
    assert wiz.currentId() == 0
    assert wiz.errors["category"].isVisible()
    assert "đối tượng" in wiz.errors["category"].text()
    future = QDateTime(QDate.currentDate().addDays(3), QTime(9, 0))
    _page1(wiz, future)
    wiz.widgets["report_date"].setDate(QDate.currentDate())
    wiz.next()
    assert wiz.currentId() == 0
    assert wiz.errors["received_at"].text() == "Thời điểm nhận thông tin không thể ở tương lai."
    wiz.widgets["received_at"].setDateTime(_recent_moment())
    wiz.widgets["report_date"].setDate(QDate.currentDate())
    wiz.next()
    assert wiz.currentId() == 1

    type_text(wiz.widgets["child_name"], "Trần Văn 😀")
    type_text(wiz.widgets["personal_id"], "03031500123")
    type_text(wiz.widgets["date_of_birth"], "01/01/2005")
    wiz.next()
    assert wiz.currentId() == 1
    assert "không dùng được" in wiz.errors["child_name"].text()
    assert wiz.errors["personal_id"].text() == "Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập 11 chữ số)."
    assert "dưới 16 tuổi" in wiz.errors["date_of_birth"].text()

    wiz.widgets["child_name"].clear()
    type_text(wiz.widgets["child_name"], "Trần Văn Nam")
    wiz.widgets["personal_id"].clear()
    wiz.widgets["date_of_birth"].clear()
    type_text(wiz.widgets["date_of_birth"], QDate.currentDate().addDays(5).toString("dd/MM/yyyy"))
    wiz.next()
    assert wiz.errors["date_of_birth"].text() == "Ngày sinh không thể sau ngày nhận thông tin."
    wiz.widgets["date_of_birth"].clear()
    type_text(wiz.widgets["date_of_birth"], "01/06/2020")
    type_text(wiz.widgets["estimated_age"], "12")
    wiz.next()
    assert "không khớp với ngày sinh" in wiz.errors["estimated_age"].text()
    wiz.widgets["estimated_age"].clear()
    wiz.next()
    assert wiz.currentId() == 2
    assert not wiz.errors["child_name"].isVisible()

    # Required field left empty; a 10,000-character paste is accepted and kept whole.
    wiz.next()
    assert wiz.errors["child_condition"].text() == "Tình trạng hiện tại của trẻ em không được để trống."
    long_text = "Cháu kể lại sự việc. " * 500
    wiz.widgets["child_condition"].setPlainText(long_text)
    wiz.next()
    assert wiz.currentId() == 3
    with office_db.session() as s:
        assert s.scalar(select(func.count(Case.id))) == 0  # nothing is written before Finish

    wiz.next()
    # Decomposed Vietnamese pasted from another program is stored composed (NFC).
    wiz.widgets["notes"].setPlainText(unicodedata.normalize("NFD", "Ghi chú của cô giáo chủ nhiệm"))
    wiz.button(QWizard.FinishButton).click()
    with office_db.session() as s:
        intake = s.scalar(select(Intake))
        assert intake.notes == "Ghi chú của cô giáo chủ nhiệm"
        assert unicodedata.is_normalized("NFC", intake.notes)
        assert intake.child_condition == long_text.strip()


def test_search_ignores_marks_and_sorts_the_vietnamese_way(qtbot, workspace, office_db):
    from models.services.intake import create_intake, parse_intake
    from tests.conftest import intake_raw

    names = ["Lê Văn Dũng", "Phạm Thị Dụng", "Đỗ Minh Đức", "Trần Thị An", "Nguyễn Văn Bình", "Hoàng Anh"]
    for i, name in enumerate(names):
        data, errors = parse_intake(intake_raw(child_name=name, personal_id=f"03031500{i:04d}"))
        assert errors == {}
        create_intake(office_db, data, workspace.actor)
    win = MainWindow(workspace)
    qtbot.addWidget(win)

    def shown(text):
        win.search.setText(text)
        win.apply_filter()
        return sorted(win.model.index(r, 1).data() for r in range(win.model.rowCount()))

    assert shown("dung") == ["Lê Văn Dũng", "Phạm Thị Dụng"]
    assert shown("DUNG") == ["Lê Văn Dũng", "Phạm Thị Dụng"]
    assert "Đỗ Minh Đức" in shown("d")
    assert shown("duc") == ["Đỗ Minh Đức"]
    assert shown("HS-2026-0003") == ["Đỗ Minh Đức"]
    # Sorting by name: given name first (An, Anh, Bình, Dũng, Dụng, Đức).
    win.search.setText("")
    win.apply_filter()
    win.table.sortByColumn(1, Qt.AscendingOrder)
    order = [win.model.index(r, 1).data() for r in range(win.model.rowCount())]
    assert order == ["Trần Thị An", "Hoàng Anh", "Nguyễn Văn Bình", "Lê Văn Dũng", "Phạm Thị Dụng", "Đỗ Minh Đức"]
    # Filter by year and stage.
    win.year.setCurrentIndex(win.year.findData(2026))
    assert win.model.total == 6
    win.stage.setCurrentIndex(win.stage.findData("da_dong"))
    assert win.model.total == 0
