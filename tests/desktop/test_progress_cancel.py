"""Long work shows how far it is and can be cancelled, leaving nothing half-done (issue 12 item 13):
manual backup, restore and the period report export, driven from the window with a click on "Huỷ"."""
from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton
from sqlalchemy import func, select

from desktop.admin import backup_actions

from desktop.common import messages, worker
from desktop.main_window import MainWindow
from models.entities import Case
from models.services.intake import create_intake, parse_intake
from tests.conftest import PASSWORD, intake_raw


def _slowed(real):
    """The real operation, with each progress step taking a moment (a large office on a slow PC)."""
    def run(*args, progress, **kwargs):
        def slow(fraction, words=""):
            time.sleep(0.02)
            progress(fraction, words)
        for i in range(40):
            slow(i / 1000, "Đang chuẩn bị…")
        return real(*args, progress=slow, **kwargs)
    return run


def _click_cancel_when_shown(seen: dict):
    def look():
        boxes = [w for w in QApplication.allWidgets() if isinstance(w, QProgressDialog) and w.isVisible()
                 and any(b.text() == "Huỷ" for b in w.findChildren(QPushButton))]
        if not boxes:
            QTimer.singleShot(20, look)
            return
        box = boxes[0]
        seen["percent_shown"] = box.maximum() == 100
        seen["cancel_text"] = [b.text() for b in box.findChildren(QPushButton)]
        next(b for b in box.findChildren(QPushButton) if b.text() == "Huỷ").click()  # as a person does
    QTimer.singleShot(0, look)


def _setup(qtbot, workspace, office_db, monkeypatch):
    monkeypatch.setattr(worker, "SHOW_AFTER_MS", 0)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    return window, shown


def test_cancelled_backup_leaves_no_file(qtbot, workspace, office_db, tmp_path, monkeypatch):
    window, shown = _setup(qtbot, workspace, office_db, monkeypatch)
    monkeypatch.setattr(backup_actions, "make_backup", _slowed(backup_actions.make_backup))
    usb = tmp_path / "usb"
    usb.mkdir()
    seen = {}
    _click_cancel_when_shown(seen)
    assert backup_actions.backup_now(window, workspace, usb / "van-phong.bvtebak") is None
    assert seen["percent_shown"] and "Huỷ" in seen["cancel_text"]
    assert "Đã huỷ" in shown[-1]
    assert list(usb.iterdir()) == []  # no backup, no temporary file


def test_cancelled_restore_keeps_the_current_data(qtbot, workspace, office_db, data_dir, tmp_path, monkeypatch):
    window, shown = _setup(qtbot, workspace, office_db, monkeypatch)
    saved = backup_actions.backup_now(window, workspace, tmp_path / "a.bvtebak")
    create_intake(office_db, parse_intake(intake_raw(personal_id=None, child_name="Lê Văn Tám"))[0], workspace.actor)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(backup_actions, "restore_backup", _slowed(backup_actions.restore_backup))
    before = sorted(p.name for p in (data_dir / "backups").iterdir()) if (data_dir / "backups").exists() else []
    seen = {}
    _click_cancel_when_shown(seen)
    assert backup_actions.restore_from_file(window, workspace, saved, PASSWORD) is False
    assert "Dữ liệu hiện tại giữ nguyên" in shown[-1]
    with workspace.db.session() as session:
        assert session.scalar(select(func.count(Case.id))) == 2  # still the current data
    after = sorted(p.name for p in (data_dir / "backups").iterdir()) if (data_dir / "backups").exists() else []
    assert after == before  # no safety copy made: nothing was replaced


def test_cancelled_report_export_writes_nothing(qtbot, workspace, office_db, tmp_path, monkeypatch):
    from desktop.reports import report_dialog

    window, _shown = _setup(qtbot, workspace, office_db, monkeypatch)
    monkeypatch.setattr(report_dialog, "export_report", _slowed(report_dialog.export_report))
    dialog = report_dialog.ExportReportDialog(workspace, window)
    qtbot.addWidget(dialog)
    out = tmp_path / "usb"
    out.mkdir()
    dialog.folder.setText(str(out))
    seen = {}
    _click_cancel_when_shown(seen)
    assert dialog.export() is None
    assert "Đã huỷ xuất báo cáo" in dialog.error.text()
    assert list(out.iterdir()) == []
