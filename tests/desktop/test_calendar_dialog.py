"""The calendar screen says 24/11 is proposed, not law, counts it as a working day, and makes it a day off in
one click once a notice is published."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from desktop.admin.calendar_dialog import CalendarDialog
from models.services.calendar_edits import load_calendar

SCREENS = Path(os.environ.get("BVTE_SCREENS", "/tmp/screens-calendar"))


def test_24_11_is_proposed_and_one_click_makes_it_a_day_off(qtbot, workspace, office_db):
    dlg = CalendarDialog(workspace, year=2026)
    qtbot.addWidget(dlg)
    dlg.show()
    row = next(r for r in dlg.rows if r[0] == date(2026, 11, 24))
    i = dlg.rows.index(row)
    assert "đề xuất, chưa có hiệu lực" in dlg.table.item(i, 2).text()
    assert "ngày làm việc" in dlg.table.item(i, 2).text()
    note = dlg.proposed_note.text()
    assert dlg.proposed_note.isVisible() and "24/11/2026" in note and "cách chặt hơn" in note
    assert dlg.make_day_off.isVisible() and "24/11/2026" in dlg.make_day_off.text()
    SCREENS.mkdir(parents=True, exist_ok=True)
    dlg.grab().save(str(SCREENS / "calendar-2411.png"))
    qtbot.mouseClick(dlg.make_day_off, Qt.LeftButton)
    with office_db.session() as s:
        cal = load_calendar(s)
    assert not cal.is_working_day(date(2026, 11, 24))
    assert "Đã tính 24/11/2026 là ngày nghỉ" in dlg.notice.text()
    assert not dlg.make_day_off.isVisible() and not dlg.proposed_note.isVisible()
    i = next(k for k, r in enumerate(dlg.rows) if r[0] == date(2026, 11, 24))
    assert dlg.table.item(i, 3).text() == "Cơ quan tự thêm"
