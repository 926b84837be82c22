"""Backups from the window: save, restore, the daily automatic copy, and a damaged file recovered at sign-in."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from desktop.admin import backup_actions

from desktop.common import messages
from desktop.admin.login import LoginDialog
from desktop.main_window import MainWindow
from models.backup import automatic_backup
from models.entities import Case
from models.services.accounts import login
from models.services.intake import create_intake, parse_intake
from tests.conftest import PASSWORD, intake_raw
from tests.desktop.helpers import type_text


def _cases(ws) -> int:
    with ws.db.session() as s:
        return s.scalar(select(func.count(Case.id)))


def _quiet(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    return shown


def test_backup_then_restore_from_the_window(qtbot, workspace, office_db, data_dir, tmp_path, monkeypatch):
    shown = _quiet(monkeypatch)
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert window.backup_action.isEnabled() and window.restore_action.isEnabled()
    usb = tmp_path / "usb"
    usb.mkdir()
    saved = backup_actions.backup_now(window, workspace, usb / "van-phong.bvtebak")
    assert saved.exists() and "Đã sao lưu 1 hồ sơ" in shown[-1]

    # More work after the backup, then the restore brings the office back to the backup's state.
    create_intake(office_db, parse_intake(intake_raw(personal_id=None, child_name="Lê Văn Tám"))[0], workspace.actor)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    assert backup_actions.restore_from_file(window, workspace, saved, PASSWORD)
    assert "Đã khôi phục dữ liệu" in shown[-1]
    again = login(data_dir, "admin", PASSWORD)
    assert _cases(again) == 1
    again.close()


def test_a_truncated_backup_is_refused_in_the_window(qtbot, workspace, office_db, tmp_path, monkeypatch):
    shown = _quiet(monkeypatch)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    good = backup_actions.backup_now(window, workspace, tmp_path / "a.bvtebak")
    cut = tmp_path / "cut.bvtebak"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: pytest_fail())
    assert not backup_actions.restore_from_file(window, workspace, cut, PASSWORD)
    assert "bị hỏng hoặc không đầy đủ" in shown[-1]


def pytest_fail():
    raise AssertionError("a damaged file must be refused before any question")


def test_daily_automatic_backup_at_start(qtbot, workspace, office_db, data_dir, monkeypatch):
    _quiet(monkeypatch)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    monkeypatch.setattr(messages, "choose", lambda parent, title, text, answers, **k: answers.index("Để sau"))
    with qtbot.waitSignal(window.check_finished, timeout=20000) as checked:
        window.after_start()  # the check and the backup run in the background: the window is usable at once
    assert checked.args == [True]
    made = list((data_dir / "backups").glob("bvte-*.bvtebak"))
    assert len(made) == 1
    assert "Đã sao lưu tự động" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.check_finished, timeout=20000):
        window.after_start()  # the same day: no second copy
    assert len(list((data_dir / "backups").glob("bvte-*.bvtebak"))) == 1


def test_backup_at_closing_only_when_something_changed(qtbot, workspace, office_db, data_dir, monkeypatch):
    from models.backup import inspect_backup
    from models.services.cases import open_case

    _quiet(monkeypatch)
    automatic_backup(workspace, force=True)
    backups = lambda: sorted((data_dir / "backups").glob("bvte-*.bvtebak"))  # noqa: E731
    first = backups()
    window = MainWindow(workspace, backup_on_exit=True)
    qtbot.addWidget(window)
    window.close()  # signed in, looked around: nothing to back up, the window closes at once
    assert backups() == first

    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    open_case(office_db, workspace.actor, case_id)  # reading is recorded, but it is no change
    window = MainWindow(workspace, backup_on_exit=True)
    qtbot.addWidget(window)
    window.close()
    newest = backups()[-1]
    assert newest not in first and inspect_backup(newest)["case_count"] == 1

    window = MainWindow(workspace, backup_on_exit=True)
    qtbot.addWidget(window)
    open_case(office_db, workspace.actor, case_id)
    window.close()
    assert backups()[-1] == newest  # only a read since: no new copy


def test_a_damaged_file_found_by_the_check_in_the_background(qtbot, workspace, office_db, monkeypatch):
    from models.integrity import CheckResult, OpeningCheck

    monkeypatch.setattr(OpeningCheck, "run", lambda self: CheckResult(False, True))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    found = []
    monkeypatch.setattr(window, "damaged_file_found", lambda: found.append(True))
    monkeypatch.setattr(messages, "choose", lambda parent, title, text, answers, **k: answers.index("Để sau"))
    with qtbot.waitSignal(window.check_finished, timeout=20000) as checked:
        window.after_start()
    assert checked.args == [False] and found == [True]
    assert not list((workspace.folder / "backups").glob("bvte-*.bvtebak"))  # a damaged file is not backed up


def test_a_damaged_database_is_recovered_from_the_newest_good_backup(qtbot, workspace, office_db, data_dir, monkeypatch):
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    automatic_backup(workspace, force=True)
    workspace.close()
    db_file = data_dir / "bvte.sqlite3"
    for extra in ("-wal", "-shm"):
        Path(str(db_file) + extra).unlink(missing_ok=True)
    raw = bytearray(db_file.read_bytes())
    raw[100:4000] = b"\x00" * 3900  # a power cut or a bad sector wrecked the first page
    db_file.write_bytes(bytes(raw))

    asked = []
    monkeypatch.setattr(messages, "choose", lambda parent, title, text, answers, **k: asked.append(text) or 0)
    dialog = LoginDialog(data_dir, username="admin")
    qtbot.addWidget(dialog)
    type_text(dialog.password, PASSWORD)
    dialog.accept()
    assert asked and "Tệp dữ liệu bị hỏng" in asked[0]
    assert dialog.workspace is not None
    assert _cases(dialog.workspace) == 1
    assert dialog.workspace.db.integrity_ok()
    dialog.workspace.close()
