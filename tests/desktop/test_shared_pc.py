"""A shared PC: "Khoá ngay", "Đổi người dùng…" and "Đăng xuất" from the account menu (issue 12 item 10)."""
from __future__ import annotations

from PySide6.QtCore import QTimer

from desktop import app as app_module
from desktop.admin.login import UnlockDialog
from desktop.main_window import MainWindow
from tests.conftest import PASSWORD
from tests.desktop.helpers import type_text


def _account_menu_texts(window) -> list[str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tài khoản")
    return [a.text() for a in menu.actions() if a.text()]


def test_lock_now_hides_the_data_until_the_password(qtbot, workspace, office_db):
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    assert {"Khoá ngay", "Đổi người dùng…", "Đăng xuất"} <= set(_account_menu_texts(window))
    seen = {}

    def at_the_lock_screen():
        dialog = window.idle_guard.dialog
        seen["hidden"] = not window.isVisible()
        seen["text"] = dialog.findChildren(type(dialog.message))[0].text()
        type_text(dialog.password, PASSWORD)
        dialog.accept()

    QTimer.singleShot(50, at_the_lock_screen)
    window.lock_action.trigger()
    assert seen["hidden"], "the data stayed on screen while locked"
    assert seen["text"].startswith("Màn hình đã khoá.") and "lâu không dùng" not in seen["text"]
    assert window.isVisible()


def test_a_window_that_ends_while_locked_does_not_break_the_unlock(qtbot, workspace, office_db):
    """A progress box open when the screen locks may finish (and be deleted) before the password is typed:
    unlocking shows the windows that are still there and does not crash (seen in CI)."""
    from PySide6.QtWidgets import QProgressDialog
    from shiboken6 import delete, isValid

    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    box = QProgressDialog("Đang làm…", None, 0, 0)
    box.show()

    def at_the_lock_screen():
        assert not box.isVisible()
        delete(box)  # the work ended while the screen was locked
        dialog = window.idle_guard.dialog
        type_text(dialog.password, PASSWORD)
        dialog.accept()

    QTimer.singleShot(50, at_the_lock_screen)
    window.lock_action.trigger()
    assert not isValid(box)
    assert window.isVisible()


def test_switch_user_from_the_lock_screen_signs_out(qtbot, workspace, office_db):
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()

    def at_the_lock_screen():
        dialog = window.idle_guard.dialog
        dialog.findChild(type(dialog.buttons.button(dialog.buttons.StandardButton.Ok)), "switch_user").click()

    QTimer.singleShot(50, at_the_lock_screen)
    with qtbot.waitSignal(window.signed_out_changed, timeout=5000):
        window.idle_guard.lock(idle=False)
    assert window.signed_out and not window.isVisible()


def test_sign_out_brings_back_the_login_box(qtbot, workspace, office_db, data_dir, monkeypatch):
    """run_gui: after "Đăng xuất" the log-in box is shown again (not the scripts' variables), then the next
    person's window."""
    workspace.close()
    calls = []
    from models.services.accounts import login

    def sign_in(folder, *, again=False):  # the log-in box, answered by the administrator
        calls.append(again)
        return login(folder, "admin", PASSWORD) if len(calls) < 3 else None  # the third time: the user gives up

    monkeypatch.setattr(app_module, "_sign_in", sign_in)
    monkeypatch.setattr(MainWindow, "after_start", lambda self: QTimer.singleShot(10, self.sign_out_action.trigger))
    monkeypatch.setattr(app_module.backup_actions if hasattr(app_module, "backup_actions") else MainWindow,
                        "backup_on_exit", lambda *a, **k: None, raising=False)
    code = app_module.run_gui(str(data_dir))
    assert code == 0
    assert calls == [False, True, True], "signed out twice, the log-in box asked each time"
    assert isinstance(UnlockDialog.SWITCH, int)
