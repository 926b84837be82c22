"""Signing in, what each role's window offers, and the idle lock that keeps open work."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.common import messages

from desktop.admin.login import IdleGuard, LoginDialog, SetupDialog
from desktop.main_window import MainWindow
from models.security.vault import Vault
from models.services.accounts import add_account, login
from models.services.intake import create_intake, parse_intake
from tests.conftest import PASSWORD, intake_raw
from tests.desktop.helpers import type_text


def test_first_run_creates_the_administrator(qtbot, tmp_path):
    folder = tmp_path / "new-office"
    dialog = SetupDialog(folder)
    qtbot.addWidget(dialog)
    type_text(dialog.full_name, "Nguyễn Văn Quản")
    type_text(dialog.password, "mat-khau-dai")
    type_text(dialog.confirm, "mat-khau-khac")
    dialog.accept()
    assert dialog.message.text() == "Hai lần nhập mật khẩu không giống nhau."
    assert not Vault.exists(folder)
    dialog.confirm.clear()
    type_text(dialog.confirm, "mat-khau-dai")
    dialog.accept()
    assert dialog.workspace is not None
    assert dialog.workspace.actor.roles == {"admin", "worker"}
    dialog.workspace.close()
    login(folder, "admin", "mat-khau-dai").close()


def test_login_dialog_says_what_is_wrong(qtbot, workspace, data_dir):
    dialog = LoginDialog(data_dir, username="admin")
    qtbot.addWidget(dialog)
    type_text(dialog.password, "sai-mat-khau")
    dialog.accept()
    assert "Còn 4 lần thử" in dialog.message.text()
    assert dialog.password.text() == ""
    type_text(dialog.password, PASSWORD)
    dialog.accept()
    assert dialog.workspace.actor.username == "admin"
    dialog.workspace.close()


def test_each_role_sees_what_it_may_do(qtbot, workspace, office_db, data_dir):
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    add_account(workspace, "quantri", "Vũ Quản Trị", ["admin"], "mat-khau-quan-tri")

    leader = login(data_dir, "chutich", "mat-khau-chu-tich")
    win = MainWindow(leader)
    qtbot.addWidget(win)
    assert win.model.rowCount() == 1  # the leader reads the files …
    assert not win.new_action.isEnabled()  # … but does not write the worker's forms
    assert not win.settings_action.isEnabled()
    leader.close()

    admin_only = login(data_dir, "quantri", "mat-khau-quan-tri")
    win = MainWindow(admin_only)
    qtbot.addWidget(win)
    assert win.model.rowCount() == 0  # accounts and backups, not children's files
    assert win.settings_action.isEnabled() and not win.new_action.isEnabled()
    admin_only.close()


def test_idle_lock_hides_the_data_and_keeps_the_open_wizard(qtbot, workspace, office_db, monkeypatch):
    # Closing the window at the end of the test asks about the unfinished report: keep the draft.
    monkeypatch.setattr(messages, "choose", lambda parent, title, text, answers, **k: answers.index("Giữ bản nháp"))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    wizard = window.open_intake_wizard()
    type_text(wizard.widgets["child_name"], "Đặng Văn Lâm")
    guard = IdleGuard(workspace, 0, on_quit=window.close, parent=window)
    seen = {}

    def at_the_lock_screen():
        dialog = guard.dialog
        seen["hidden"] = not window.isVisible() and not wizard.isVisible()
        type_text(dialog.password, "khong-dung")
        dialog.accept()
        seen["wrong"] = dialog.message.text()
        type_text(dialog.password, PASSWORD)
        dialog.accept()

    QTimer.singleShot(50, at_the_lock_screen)
    guard.lock()  # what the timer calls after the idle period
    assert seen["hidden"], "the data stayed on screen while locked"
    assert "Sai tên đăng nhập hoặc mật khẩu" in seen["wrong"]
    assert window.isVisible() and wizard.isVisible()
    assert wizard.widgets["child_name"].text() == "Đặng Văn Lâm"


def test_idle_timer_restarts_on_activity(qtbot, workspace, office_db):
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    guard = IdleGuard(workspace, 10, on_quit=window.close, parent=window)
    assert guard.timer.isActive() and guard.timer.interval() == 600_000
    guard.set_minutes(0)
    assert not guard.timer.isActive()  # 0 = never lock
    QApplication.instance().removeEventFilter(guard)
