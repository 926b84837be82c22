"""A whole placement through the real screens of the "Chăm sóc thay thế" tab, as the commune worker and the chairman
would do it: from the case view of a case whose Mẫu 07 is signed → Mẫu 10 with the child's file → two meetings →
choosing the carer (in the order of preference) and drafting Mẫu 12 → the chairman signs → hand-over → follow-ups at
1 and 3 months → the carer's request (Mẫu 15) → Mẫu 16 drafted and signed. The clock of the services is set to
01/12/2027 so that every step lies in the past; the dates are typed into the screens."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime
from sqlalchemy import select

from desktop.care.child_side import CareMeetingDialog, CareNeedDialog
from desktop.care.placement_dialogs import (
    EndDecisionDialog, EndRequestDialog, FollowupDialog, HandoverDialog, PlacementDialog, SignDialog,
)
from desktop.common import messages
from desktop.main_window import MainWindow
from models.care_entities import CareFollowup, CareNeed, Placement
from models.register_entities import GroupMembership
from tests.care_data import AT, add_carer
from tests.printouts.test_forms_02_07 import Flow, leader  # noqa: F401  (fixture)


@pytest.fixture
def clock(monkeypatch):
    for module in ("models.services.placements", "models.services.care_need", "desktop.care.child_side",
                   "desktop.care.placement_dialogs", "desktop.care.care_view"):
        monkeypatch.setattr(f"{module}.now", lambda: AT)


@pytest.fixture
def window(qtbot, workspace, office_db, monkeypatch, clock):
    monkeypatch.setattr(messages, "choose", lambda *a, **k: 0)
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.show()
    return win


def day(text: str) -> QDate:
    return QDate.fromString(text, "dd/MM/yyyy")


def moment(text: str) -> QDateTime:
    d, t = text.split(" ")[1], text.split(" ")[0]
    return QDateTime(day(d), QTime.fromString(t, "HH:mm"))


def error(dialog, key: str) -> str:
    label = dialog.errors[key]
    return label.text() if label.isVisible() else ""


def drafted(office_db, workspace, leader) -> tuple[int, int, int]:
    """A separated child with a Mẫu 10, a verified relative met twice and a Mẫu 12 drafted for that relative:
    (care need, carer, placement)."""
    from models.services import care_need, placements
    from tests.care_data import need_raw

    flow = Flow(office_db, workspace.actor, leader).initial().separate()
    case = flow.case()
    nid = care_need.save_care_need(office_db, workspace.actor, need_raw(case.child_id, case.id), at=AT)
    carer = add_carer(office_db, relative_of=case.child_id)
    for when in ("15/12/2026", "22/12/2026"):
        care_need.add_meeting(office_db, workspace.actor, nid, {"carer_id": carer, "met_on": when, "notes": "Tốt."},
                              at=AT)
    pid = placements.save_placement_draft(office_db, workspace.actor, nid, {"form": "than_thich", "carer_id": carer},
                                          at=AT)
    return nid, carer, pid


def test_a_whole_placement_through_the_screens(window, workspace, office_db, leader, qtbot, monkeypatch):
    flow = Flow(office_db, workspace.actor, leader).initial().separate()
    case = flow.case()
    with office_db.transaction() as s:  # an abandoned child not yet in alternative care (NĐ 56 Điều 4.1: b.1)
        s.add(GroupMembership(child_id=case.child_id, group_code="b", subgroup=1, from_date=date(2026, 11, 20)))
    window.apply_filter()
    window.tabs.setCurrentWidget(window.case_view.parentWidget())
    window.select_case(case.id)
    start = window.case_view.care
    assert not start.isHidden() and start.text() == "Chăm sóc thay thế cho trẻ…"
    start.click()
    assert window.tabs.currentWidget() is window.care_view
    need = window.care_view.dialog
    assert isinstance(need, CareNeedDialog)
    assert need.widgets["grounds"].value() == ["62_2"] and not need.widgets["source"].isEnabled()
    assert "không phải nguyên văn" in need.findChild(type(need.header), "wording_note").text() \
        or need.findChild(type(need.header), "wording_note").isVisibleTo(need)
    w = need.widgets
    w["assessed_on"].setDate(day("10/12/2026"))
    w["situation"].setPlainText("Cháu bị cha dượng đánh; mẹ đi làm xa.")
    w["needs"].setPlainText("Một gia đình an toàn gần trường.")
    w["photos_taken_on"].setText("05/12/2026")
    need.save_button.click()
    assert "phải lấy ý kiến của trẻ em" in error(need, "child_opinion")  # the child is 11
    w["child_opinion"].setPlainText("Cháu muốn ở với bà ngoại.")
    w["photos_taken_on"].setText("01/05/2026")
    need.save_button.click()
    assert "quá 06 tháng" in error(need, "photos_taken_on")
    w["photos_taken_on"].setText("05/12/2026")
    need.save_button.click()
    assert need.care_need_id is not None, need.top_error.text()
    assert "Còn thiếu" in need.checklist.text() and "Giấy khám sức khỏe" in need.checklist.text()
    w["birth_certificate_on"].setText("01/12/2026")
    w["health_certificate_on"].setText("05/12/2026")
    need.save_button.click()
    assert "Còn thiếu" not in need.checklist.text()
    need.close()
    care = window.care_view
    care.refresh()
    assert [r.child_name for r in care.need_rows] == [case.child.full_name]

    carer_id = add_carer(office_db, relative_of=case.child_id)
    care.needs.selectRow(0)
    for when in ("15/12/2026", "22/12/2026"):
        care.b_meeting.click()
        meeting = care.dialog
        assert isinstance(meeting, CareMeetingDialog)
        combo = meeting.widgets["carer_id"]
        combo.setCurrentIndex(combo.findData(carer_id))
        meeting.widgets["met_on"].setDate(day(when))
        meeting.widgets["notes"].setPlainText("Cháu vui vẻ, ôm bà.")
        meeting.save_button.click()
        assert meeting.notice.isVisibleTo(meeting), meeting.top_error.text()
        meeting.close()
    care.needs.selectRow(0)
    care.b_choose.click()
    choose = care.dialog
    assert isinstance(choose, PlacementDialog)
    assert choose.table.rowCount() == 1 and "Người thân thích" in choose.table.item(0, 1).text()
    choose.table.selectRow(0)
    assert choose.widgets["form"].value() == "than_thich"
    choose.save_button.click()
    assert choose.placement_id is not None, choose.top_error.text()
    choose.close()
    care.refresh()
    assert [(r.stage, r.receiver) for r in care.rows] == [("du_thao", "Đặng Thị Lựu")]
    assert care.b_sign12.isHidden()  # the worker does not sign
    pid = care.rows[0].placement_id

    sign = SignDialog(leader, pid, which="12")
    qtbot.addWidget(sign)
    sign.widgets["decided_at"].setDateTime(moment("10:00 01/02/2027"))
    sign.save_button.click()
    assert "/QĐ-UBND" in sign.notice.text(), sign.top_error.text()

    care.refresh()
    care.select_placement(pid)
    assert care.rows[0].next_step == "Giao trẻ em cho người nhận chăm sóc thay thế"
    assert care.rows[0].due.date() == date(2027, 3, 1)  # 15 working days across Tết 2027
    care.b_handover.click()
    hand = care.dialog
    assert isinstance(hand, HandoverDialog) and "01/03/2027" in hand.header.text()
    hand.widgets["handed_over_on"].setDate(day("31/01/2027"))
    hand.save_button.click()
    assert "trước ngày ký quyết định" in error(hand, "handed_over_on")
    hand.widgets["handed_over_on"].setDate(day("26/02/2027"))
    hand.save_button.click()
    assert "Nhóm b.1 → b.2 từ 26/02/2027" in hand.notice.text(), hand.top_error.text()
    hand.close()
    # A hand-over recorded by mistake goes back only with a reason and a confirmation, then is recorded again.
    care.refresh()
    care.select_placement(pid)
    care.b_undo.click()
    undo = care.dialog
    undo.save_button.click()
    assert "Ghi lý do" in error(undo, "reason")
    undo.widgets["reason"].setPlainText("Ghi nhầm người nhận ngày.")
    monkeypatch.setattr(messages, "choose", lambda *a, **k: 1)  # "Huỷ" in the confirmation: nothing is done
    undo.save_button.click()
    assert undo.notice.text() == "Chưa huỷ." and undo.save_button.isEnabled()
    with office_db.session() as s:
        assert s.get(Placement, pid).handed_over_on == date(2027, 2, 26)
    monkeypatch.setattr(messages, "choose", lambda *a, **k: 0)  # confirmed
    undo.save_button.click()
    assert undo.notice.text() == "Đã huỷ việc ghi giao trẻ em." and not undo.save_button.isEnabled()
    undo.close()
    with office_db.session() as s:
        assert s.get(Placement, pid).handed_over_on is None
        assert [(m.group_code, m.subgroup, m.to_date) for m in s.scalars(select(GroupMembership))] == [("b", 1, None)]
    care.refresh()
    care.select_placement(pid)
    care.b_handover.click()
    hand = care.dialog
    hand.widgets["handed_over_on"].setDate(day("26/02/2027"))
    hand.save_button.click()
    assert "Nhóm b.1 → b.2" in hand.notice.text(), hand.top_error.text()
    hand.close()
    register = window.open_register()
    register.child_view.show_child(case.child_id)
    care_line = register.child_view.care.text()
    assert "Đang chăm sóc thay thế: Đặng Thị Lựu" in care_line and "giao trẻ em ngày 26/02/2027" in care_line
    groups = [register.child_view.groups.item(r, 1).text() for r in range(register.child_view.groups.rowCount())]
    assert sorted(groups) == ["b.1", "b.2"]

    for kind, when in (("1_thang", "26/03/2027"), ("3_thang", "26/05/2027")):
        care.refresh()
        care.select_placement(pid)
        care.b_followup.click()
        report = care.dialog
        assert isinstance(report, FollowupDialog) and report.widgets["kind"].value() == kind
        report.widgets["report_date"].setDate(day(when))
        for key in ("living_conditions", "health", "integration"):
            report.widgets[key].setPlainText("Tốt.")
        report.widgets["child_safe"].set_value("co")
        report.widgets["conclusion"].set_value("tiep_tuc")
        report.save_button.click()
        assert report.followup_id is not None, report.top_error.text()
        report.close()
    with office_db.session() as s:
        assert [f.kind for f in s.scalars(select(CareFollowup).order_by(CareFollowup.report_date))] == ["1_thang", "3_thang"]

    care.refresh()
    care.select_placement(pid)
    care.b_request.click()
    request = care.dialog
    assert isinstance(request, EndRequestDialog)
    request.widgets["requested_on"].setDate(day("01/06/2027"))
    request.widgets["ground"].set_value("69_1_c")
    request.widgets["reason"].setPlainText("Bà ốm nặng.")
    request.save_button.click()
    assert request.notice.isVisibleTo(request), request.top_error.text()
    request.close()
    care.refresh()
    care.select_placement(pid)
    care.b_end.click()
    end = care.dialog
    assert isinstance(end, EndDecisionDialog) and end.widgets["ground"].value() == "69_1_c"
    end.widgets["reasons"].setPlainText("Theo đơn của bà ngoại.")
    end.widgets["new_form"].set_value("ve_gia_dinh")
    end.save_button.click()
    assert end.notice.isVisibleTo(end), end.top_error.text()
    end.close()
    sign = SignDialog(leader, pid, which="16")
    qtbot.addWidget(sign)
    sign.widgets["decided_at"].setDateTime(moment("09:00 10/06/2027"))
    sign.widgets["ended_on"].setDate(day("10/06/2027"))
    sign.save_button.click()
    assert "chấm dứt số" in sign.notice.text(), sign.top_error.text()
    care.refresh()
    assert care.rows[0].stage == "da_cham_dut"
    with office_db.session() as s:
        p = s.get(Placement, pid)
        assert p.end_decision.ended_on == date(2027, 6, 10) and p.handed_over_on == date(2027, 2, 26)
        assert s.scalar(select(CareNeed.id)) is not None
        groups = {(m.group_code, m.subgroup): m.to_date for m in s.scalars(select(GroupMembership))}
    assert groups == {("b", 1): date(2027, 2, 26), ("b", 2): date(2027, 6, 10)}


def test_facility_list_entered_by_hand_and_imported(window, workspace, office_db, qtbot, tmp_path):
    from openpyxl import Workbook

    from desktop.care.child_side import FacilityChildDialog
    from models.care_entities import FacilityChild

    care = window.care_view
    window.tabs.setCurrentWidget(care)
    care.b_facility.click()
    entry = care.dialog
    assert isinstance(entry, FacilityChildDialog)
    entry.save_button.click()
    assert "không được để trống" in error(entry, "facility_name")
    entry.widgets["facility_name"].setText("Trung tâm Bảo trợ xã hội tỉnh")
    entry.widgets["list_date"].setDate(day("01/12/2026"))
    entry.widgets["full_name"].setText("Hoàng Minh Khôi")
    entry.widgets["date_of_birth"].setText("03/04/2020")
    entry.save_button.click()
    need = care.dialog  # saved: the child's Mẫu 10 opens, from the facility's list
    assert isinstance(need, CareNeedDialog) and need.start["source"] == "co_so"
    need.close()
    wb = Workbook()
    wb.active.append(["Họ và tên trẻ em", "Ngày sinh", "Giới tính"])
    wb.active.append(["Lò Thị Mai", "01/02/2019", "Nữ"])
    path = tmp_path / "danh sách.xlsx"
    wb.save(path)
    assert entry.import_file(str(path)), entry.top_error.text()
    assert "Đã nhập 1 trẻ em" in entry.notice.text()
    with office_db.session() as s:
        assert sorted(f.child.full_name for f in s.scalars(select(FacilityChild))) == ["Hoàng Minh Khôi", "Lò Thị Mai"]


def test_the_hand_over_screen_keeps_the_placements_scanned_papers(window, workspace, office_db, leader, qtbot):
    """The attachments panel (owner «placement») sits in the hand-over screen: a signed Mẫu 12 scanned back in is
    listed there, encrypted like every attachment."""
    from desktop.common.attachments import AttachmentsPanel
    from models.attachment_files import check_bytes
    from models.services import attachments as att
    from models.services import placements
    from tests.attacks.payloads import pdf_bytes
    from tests.care_data import DECIDED

    nid, carer, pid = drafted(office_db, workspace, leader)
    placements.decide_placement(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng", decided_at=DECIDED, at=AT)
    att.add(workspace, "placement", pid, check_bytes(pdf_bytes(1), "mau12-da-ky.pdf"), kind="ban_da_ky",
            note="Bản đã ký Mẫu số 12")
    care = window.care_view
    window.tabs.setCurrentWidget(care)
    care.refresh()
    care.select_placement(pid)
    care.b_handover.click()
    panel = care.dialog.findChild(AttachmentsPanel)
    assert panel is not None and panel.owner_kind == "placement" and panel.owner_id == pid
    assert [i.note for i in panel.items] == ["Bản đã ký Mẫu số 12"]


def test_a_draft_mau_12_withdrawn_from_the_care_tab(window, workspace, office_db, leader, qtbot, monkeypatch):
    """A Mẫu 12 drafted for the wrong carer is withdrawn: a reason, a confirmation (declining does nothing and
    leaves the button for another try), then the child is back among those waiting for a carer."""
    from desktop.care.placement_dialogs import DeleteDraftDialog
    from models.services import placements

    nid, carer, pid = drafted(office_db, workspace, leader)
    care = window.care_view
    window.tabs.setCurrentWidget(care)
    care.refresh()
    assert care.need_rows == [] and [r.placement_id for r in care.rows] == [pid]
    care.select_placement(pid)
    assert care.b_delete.isEnabled() and care.b_delete.text() == "Xoá dự thảo Mẫu 12…"
    care.b_delete.click()
    dialog = care.dialog
    assert isinstance(dialog, DeleteDraftDialog) and "chưa ký" in dialog.header.text()
    dialog.save_button.click()
    assert error(dialog, "reason") == "Ghi lý do xoá dự thảo Mẫu 12."
    dialog.widgets["reason"].setPlainText("Chọn nhầm người nhận.")
    monkeypatch.setattr(messages, "choose", lambda *a, **k: 1)  # "Huỷ" in the confirmation
    dialog.save_button.click()
    assert dialog.notice.text() == "Chưa xoá." and dialog.save_button.isEnabled()
    with office_db.session() as s:
        assert s.get(Placement, pid) is not None
    monkeypatch.setattr(messages, "choose", lambda *a, **k: 0)
    dialog.save_button.click()
    assert dialog.notice.text().startswith("Đã xoá dự thảo Mẫu 12.") and not dialog.save_button.isEnabled()
    dialog.close()
    care.refresh()
    assert [r.care_need_id for r in care.need_rows] == [nid] and care.rows == []
    # A signed decision offers no deletion.
    pid = placements.save_placement_draft(office_db, workspace.actor, nid, {"form": "than_thich", "carer_id": carer},
                                          at=AT)
    placements.decide_placement(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng",
                                decided_at="10:00 01/02/2027", at=AT)
    care.refresh()
    care.select_placement(pid)
    assert not care.b_delete.isEnabled()


def test_a_child_of_the_community_starts_alternative_care_from_the_register(window, workspace, office_db, qtbot):
    """An orphan living with neighbours, known from the register and never a case: «Chăm sóc thay thế…» in the
    child's file opens a new Mẫu 10 whose source is fixed to «đang sống tại cộng đồng»; once saved, the button
    opens that same Mẫu 10 again."""
    from models.services import register as reg
    from tests.desktop.test_register_window import add_child

    child_id = add_child(office_db, "Lò Thị Mai", date(2014, 4, 2), "Thôn Vụ Cầu")
    reg.add_membership(office_db, workspace.actor, child_id, {"group": "a.1", "from_date": "01/06/2026"})
    register = window.open_register()
    register.child_view.show_child(child_id)
    button = register.child_view.start_care
    assert button.isEnabled() and not button.isHidden()
    button.click()
    assert window.tabs.currentWidget() is window.care_view
    need = window.care_view.dialog
    assert isinstance(need, CareNeedDialog) and need.care_need_id is None and "Lò Thị Mai" in need.header.text()
    assert need.widgets["source"].value() == "cong_dong" and not need.widgets["source"].isEnabled()
    w = need.widgets
    w["grounds"].set_value(["62_1"])
    w["assessed_on"].setDate(day("10/12/2026"))
    w["situation"].setPlainText("Cha mẹ mất; cháu ở nhờ nhà hàng xóm.")
    w["needs"].setPlainText("Một gia đình người thân chăm sóc lâu dài.")
    w["child_opinion"].setPlainText("Cháu muốn ở với bác ruột.")
    need.save_button.click()
    assert need.care_need_id is not None, need.top_error.text()
    with office_db.session() as s:
        saved = s.get(CareNeed, need.care_need_id)
        assert (saved.child_id, saved.source, saved.case_id) == (child_id, "cong_dong", None)
    first = need.care_need_id
    need.close()
    window.tabs.setCurrentWidget(register)
    register.child_view.show_child(child_id)
    register.child_view.start_care.click()
    assert window.care_view.dialog.care_need_id == first  # the open Mẫu 10, not a second one
