"""The incident report screen driven like a worker: opened from the to-do list's step, the phone report
recorded ("reported by phone at HH:MM to …"), the written report typed and issued with its number."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from sqlalchemy import select

from desktop.main_window import MainWindow
from models.incident_entities import IncidentReport
from models.services.intake import create_intake, parse_intake
from tests.conftest import intake_raw
from tests.desktop.helpers import type_text

SCREENS = Path(os.environ.get("BVTE_SCREENS", "/tmp/screens-incident"))


def test_phone_report_then_written_report_from_the_to_do_list(qtbot, workspace, office_db):
    db, actor = office_db, workspace.actor
    data, errors = parse_intake(intake_raw(received_at="08:30 20/11/2026"))
    assert errors == {}
    case_id = create_intake(db, data, actor)
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.show()
    win.tasks_view.refresh()
    assert [t.form for t in win.tasks_view.model.tasks].count("bao_cao_vu_viec") == 1
    screen = win.open_process_screen(case_id, "bao_cao_vu_viec")
    assert screen.FORM == "bao_cao_vu_viec"
    assert "Hạn báo cáo bằng văn bản: hết ngày 21/11/2026" in screen.state.text()
    assert "Chưa ghi báo cáo bằng điện thoại" in screen.state.text()
    assert screen.widgets["anonymised"].isChecked()  # anonymous unless the worker decides
    assert not screen.widgets["phoned_at"].isEnabled()
    screen.phoned.click()
    screen.widgets["phoned_at"].setDateTime(QDateTime.fromString("09:10 20/11/2026", "HH:mm dd/MM/yyyy"))
    type_text(screen.widgets["phoned_to"], "Ông Trần Văn Đức, Sở Y tế")
    qtbot.mouseClick(screen.save_button, Qt.LeftButton)
    assert "Đã báo cáo bằng điện thoại lúc 09:10 20/11/2026 cho Ông Trần Văn Đức, Sở Y tế" in screen.state.text()
    qtbot.mouseClick(screen.issue_button, Qt.LeftButton)  # no summary yet: refused beside the field
    assert "tóm tắt" in screen.errors["summary"].text().lower()
    qtbot.mouseClick(screen.issue_button, Qt.LeftButton)  # a second try makes no second report
    with db.session() as s:
        assert len(s.scalars(select(IncidentReport).where(IncidentReport.case_id == case_id)).all()) == 1
    type_text(screen.widgets["summary"], "Trẻ em bị cha dượng đánh, có vết bầm.")
    screen.widgets["report_date"].setDate(screen.widgets["report_date"].date().fromString("20/11/2026", "dd/MM/yyyy"))
    SCREENS.mkdir(parents=True, exist_ok=True)
    screen.resize(1024, 700)
    screen.grab().save(str(SCREENS / "incident-report.png"))
    qtbot.mouseClick(screen.issue_button, Qt.LeftButton)
    assert "Báo cáo số 02/BC-UBND" in screen.state.text()
    assert not screen.issue_button.isEnabled() and not screen.widgets["summary"].isEnabled()
    with db.session() as s:
        rep = s.scalar(select(IncidentReport).where(IncidentReport.case_id == case_id))
        assert (rep.doc_number, rep.phoned_to, rep.signer, rep.anonymised) == (2, "Ông Trần Văn Đức, Sở Y tế",
                                                                               "Phạm Văn Hùng", True)
    assert "bao_cao_vu_viec" not in [t.form for t in win.tasks_view.model.tasks]  # done: off the to-do list
    screen.close()  # deleted on close, as in the window: no stray top-level window for the next test
