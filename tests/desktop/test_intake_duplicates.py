"""Mẫu 01 proposes register children like the one being typed: the worker attaches the report to one of them,
or says it is another child (and is not asked about that record again)."""
from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select

from desktop.cases import duplicate_prompt

from desktop.common import messages
from desktop.cases.duplicate_prompt import BACK, DIFFERENT, SAME, Decision, DuplicatePrompt
from desktop.cases.wizard01 import IntakeWizard
from models.clock import VN
from models.entities import Case, Child
from models.register_entities import NotDuplicate
from models.services.intake import ProposedChild, create_intake, parse_intake
from tests.conftest import intake_raw
from tests.desktop.helpers import type_text

SCREENS = Path(os.environ.get("BVTE_SCREENS", "/tmp/screens-dup"))


def snap(widget, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SCREENS / f"{name}.png"))


@pytest.fixture
def known_child(workspace) -> int:
    """Nguyễn Thị Ánh, born 05/09/2015 in Thôn Phú Lộc, already has one case (no personal ID recorded)."""
    at = datetime(2025, 3, 1, 9, 0, tzinfo=VN)
    raw = intake_raw(personal_id="", ethnicity="", received_at="08:30 01/03/2025", report_date="01/03/2025")
    case_id = create_intake(workspace.db, parse_intake(raw, at=at)[0], workspace.actor)
    with workspace.db.session() as s:
        return s.get(Case, case_id).child_id


@pytest.fixture
def answers(monkeypatch):
    """Stands in for the worker at the 'Có thể trẻ này đã có trong hồ sơ' question."""
    calls: list[tuple[str, list[ProposedChild]]] = []
    replies: list = []

    def ask(parent, entered, proposals):
        calls.append((entered, proposals))
        reply = replies.pop(0)
        return reply(proposals) if callable(reply) else reply

    monkeypatch.setattr(duplicate_prompt, "ask", ask)
    # Closing a wizard with typing in it asks about the draft: keep it, without a real message box.
    monkeypatch.setattr(messages, "choose", lambda *a, **k: 0)
    return calls, replies


def _wizard(qtbot, workspace) -> IntakeWizard:
    wiz = IntakeWizard(workspace, worker_name="Trần Thị Lan")
    qtbot.addWidget(wiz)
    wiz.show()
    when = QDateTime(QDate.currentDate().addDays(-1), QTime(8, 30))
    wiz.widgets["category"].button("bi_xam_hai").click()
    wiz.widgets["source"].button("gap_truc_tiep").click()
    wiz.widgets["received_at"].setDateTime(when)
    wiz.widgets["report_date"].setDate(when.date())
    wiz.next()
    assert wiz.currentId() == 1
    return wiz


def _type_child(wiz, name="Nguyen Thi Anh", dob="05/09/2015", village="Thôn Phú Lộc"):
    type_text(wiz.widgets["child_name"], name)
    type_text(wiz.widgets["date_of_birth"], dob)
    wiz.widgets["gender"].button("nu").click()
    type_text(wiz.widgets["ethnicity"].lineEdit(), "Kinh")
    type_text(wiz.widgets["village"], village)


def _finish(wiz):
    wiz.next()
    type_text(wiz.widgets["child_condition"], "Cháu bị bỏ đói.")
    wiz.next()
    wiz.next()
    wiz.button(QWizard.FinishButton).click()
    assert wiz.case_id is not None


def test_the_worker_attaches_the_report_to_the_child_already_in_the_register(qtbot, workspace, known_child, answers):
    calls, replies = answers
    replies.append(lambda proposals: Decision(SAME, proposals[0].child_id))
    wiz = _wizard(qtbot, workspace)
    _type_child(wiz)
    wiz.next()
    assert wiz.currentId() == 2
    entered, proposals = calls[0]
    assert entered == "Nguyen Thi Anh, sinh 05/09/2015, Thôn Phú Lộc"
    assert [p.child_id for p in proposals] == [known_child]
    assert proposals[0].full_name == "Nguyễn Thị Ánh" and proposals[0].cases == 1
    assert "Cha: Nguyễn Văn Dũng" in proposals[0].parents
    # The child's page says where the report will go, and going back and on does not ask again.
    wiz.back()
    assert wiz.attached_box.isVisible()
    assert "hồ sơ đã có của trẻ Nguyễn Thị Ánh" in wiz.attached_note.text()
    snap(wiz, "wizard-attached")
    wiz.next()
    assert len(calls) == 1
    _finish(wiz)
    with workspace.db.session() as s:
        assert s.scalar(select(func.count(Child.id))) == 1
        child = s.get(Child, known_child)
        assert len(child.cases) == 2
        assert child.full_name == "Nguyễn Thị Ánh"  # the register's spelling is kept
        assert child.ethnicity == "Kinh"  # an empty field is filled from the report


def test_another_child_is_saved_apart_and_not_proposed_again(qtbot, workspace, known_child, answers):
    calls, replies = answers
    replies.append(Decision(DIFFERENT))
    wiz = _wizard(qtbot, workspace)
    _type_child(wiz, name="Nguyễn Thị Anh")
    wiz.next()
    assert wiz.currentId() == 2 and len(calls) == 1
    assert not wiz.attached_box.isVisible()
    wiz.back()
    wiz.widgets["address"].setText("Xóm 4")  # not part of the comparison: no new question
    wiz.next()
    assert len(calls) == 1
    _finish(wiz)
    with workspace.db.session() as s:
        assert s.scalar(select(func.count(Child.id))) == 2
        new_child = s.get(Case, wiz.case_id).child_id
        pair = s.scalar(select(NotDuplicate))
        assert (pair.child_a, pair.child_b) == (known_child, new_child)
    # The register's file of the new girl no longer lists the other record as a likely duplicate.
    from models.services.register_duplicates import find_duplicates
    with workspace.db.session() as s:
        assert find_duplicates(s, "Nguyễn Thị Anh", date(2015, 9, 5), "Thôn Phú Lộc", exclude_id=new_child) == []
    # A later report about either girl proposes both: only the worker can tell which one it is.
    replies.append(Decision(BACK))
    wiz2 = _wizard(qtbot, workspace)
    _type_child(wiz2, name="Nguyễn Thị Anh")
    wiz2.next()
    assert {p.child_id for p in calls[1][1]} == {new_child, known_child}


def test_back_keeps_the_worker_on_the_childs_page_and_a_changed_identity_asks_again(qtbot, workspace, known_child,
                                                                                   answers):
    calls, replies = answers
    replies.extend([Decision(BACK), Decision(DIFFERENT)])
    wiz = _wizard(qtbot, workspace)
    _type_child(wiz)
    wiz.next()
    assert wiz.currentId() == 1 and len(calls) == 1
    assert wiz.focusWidget() is wiz.widgets["child_name"]
    wiz.next()
    assert wiz.currentId() == 2 and len(calls) == 2
    # A child with nothing alike in the register: no question at all.
    wiz.back()
    wiz.widgets["child_name"].clear()
    type_text(wiz.widgets["child_name"], "Phạm Văn Tú")
    wiz.next()
    assert wiz.currentId() == 2 and len(calls) == 2


def test_the_worker_can_undo_the_attachment(qtbot, workspace, known_child, answers):
    calls, replies = answers
    replies.append(lambda proposals: Decision(SAME, proposals[0].child_id))
    wiz = _wizard(qtbot, workspace)
    _type_child(wiz)
    wiz.next()
    wiz.back()
    wiz.detach_button.click()
    assert not wiz.attached_box.isVisible() and wiz.existing_child is None
    _finish(wiz)
    with workspace.db.session() as s:
        assert s.scalar(select(func.count(Child.id))) == 2
        assert s.scalar(select(func.count(NotDuplicate.id))) == 1


def test_a_child_merged_away_meanwhile_is_reported_beside_the_name(qtbot, workspace, known_child, answers):
    calls, replies = answers
    replies.append(lambda proposals: Decision(SAME, proposals[0].child_id))
    wiz = _wizard(qtbot, workspace)
    _type_child(wiz)
    wiz.next()
    # The proposal now names a record that no longer exists (e.g. merged on another screen).
    wiz.existing_child = ProposedChild(known_child + 99, "Nguyễn Thị Ánh", date(2015, 9, 5), None, "", None, "", 0, "", 100)
    wiz.next()
    type_text(wiz.widgets["child_condition"], "Cháu bị bỏ đói.")
    wiz.next()
    wiz.next()
    wiz.button(QWizard.FinishButton).click()
    assert wiz.case_id is None and wiz.currentId() == 1
    assert "Không tìm thấy hồ sơ trẻ đã chọn" in wiz.errors["child_name"].text()
    assert wiz.existing_child is None and not wiz.attached_box.isVisible()


def _proposals() -> list[ProposedChild]:
    return [
        ProposedChild(4, "Nguyễn Thị Ánh", date(2015, 9, 5), None, "Thôn Phú Lộc", "030315001234",
                      "Cha: Nguyễn Văn Dũng; Mẹ: Đặng Thị Hương", 2, "tên gần giống (93%), cùng ngày sinh", 93),
        ProposedChild(9, "Nguyễn Thị Oanh", None, 10, "Thôn Phú Lộc", None, "", 0,
                      "cùng họ tên và cùng thôn/tổ (cả hai chưa có ngày sinh)", 90),
    ]


def test_the_question_shows_who_is_alike_and_returns_the_answer(qtbot):
    dlg = DuplicatePrompt("Nguyen Thi Anh, sinh 05/09/2015, Thôn Phú Lộc", _proposals())
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.windowTitle() == "Có thể trẻ này đã có trong hồ sơ"
    assert dlg.same_button.text() == "Đúng là trẻ này"
    assert dlg.different_button.text() == "Không phải, đây là trẻ khác"
    cells = [[dlg.table.item(r, c).text() for c in range(dlg.table.columnCount())] for r in range(2)]
    assert cells[0][0] == "Nguyễn Thị Ánh" and cells[0][1].startswith("05/09/2015 (")
    assert cells[0][3] == "Cha: Nguyễn Văn Dũng\nMẹ: Đặng Thị Hương" and cells[0][4] == "2"
    assert cells[1][1] == "khoảng 10 tuổi" and cells[1][3] == "chưa ghi"
    assert cells[0][5] == "Tên gần giống (93%), cùng ngày sinh"
    snap(dlg, "duplicate-prompt")
    dlg.table.selectRow(1)
    dlg.same_button.click()
    assert dlg.decision == Decision(SAME, 9)

    dlg2 = DuplicatePrompt("Nguyen Thi Anh", _proposals()[:1])
    qtbot.addWidget(dlg2)
    dlg2.show()
    snap(dlg2, "duplicate-prompt-one")
    dlg2.different_button.click()
    assert dlg2.decision == Decision(DIFFERENT)
    dlg3 = DuplicatePrompt("Nguyen Thi Anh", _proposals()[:1])
    qtbot.addWidget(dlg3)
    dlg3.back_button.click()
    assert dlg3.decision == Decision(BACK)
