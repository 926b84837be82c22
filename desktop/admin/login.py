"""Who is at the keyboard: first-run administrator, log-in, and the idle lock."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
)

from shiboken6 import isValid as shiboken_valid
from sqlalchemy.exc import SQLAlchemyError

from models.db import WrongKeyError
from models.services.accounts import Workspace, check_password, login, setup_office
from models.security.vault import VaultError
from models.errors import UserError

from desktop.common.frame import DialogFrame
from desktop.common.fields import ERROR_STYLE


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.Password)
    return edit


class _Form(QDialog):
    def __init__(self, title: str, intro: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.frame = DialogFrame(self)
        self.layout_ = self.frame.body
        text = QLabel(intro)
        text.setWordWrap(True)
        self.layout_.addWidget(text)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.layout_.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Cancel).setText("Thoát")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.frame.set_buttons(self.buttons)
        self.workspace: Workspace | None = None


class SetupDialog(_Form):
    """First run on a machine: create the administrator account (and with it the encrypted data)."""
    HELP_PAGE = "bat-dau"  # F1: this screen's page of the guide (resources/help)

    def __init__(self, folder: Path, parent=None):
        super().__init__(
            "BVTE — Thiết lập lần đầu",
            "Đây là lần đầu BVTE chạy với thư mục dữ liệu này. Hãy tạo tài khoản quản trị viên. "
            "Dữ liệu được mã hoá: chỉ người có tài khoản mới mở được. Hãy nhớ mật khẩu; "
            "nếu quên, quản trị viên khác có thể đặt lại, nhưng không ai đọc được dữ liệu khi không còn mật khẩu nào.",
            parent,
        )
        self.folder = folder
        self.username = QLineEdit("admin")
        self.full_name = QLineEdit()
        self.password = _password_edit()
        self.confirm = _password_edit()
        self.also_worker = QCheckBox("Tôi cũng là cán bộ bảo vệ trẻ em (nhập và sửa hồ sơ)")
        self.also_worker.setChecked(True)
        for widget, name in ((self.username, "username"), (self.full_name, "full_name"),
                             (self.password, "password"), (self.confirm, "confirm")):
            widget.setObjectName(name)
        self.form.addRow("Tên đăng nhập", self.username)
        self.form.addRow("Họ và tên", self.full_name)
        self.form.addRow("Mật khẩu (ít nhất 8 ký tự)", self.password)
        self.form.addRow("Nhập lại mật khẩu", self.confirm)
        self.form.addRow(self.also_worker)
        self.buttons.button(QDialogButtonBox.Ok).setText("Tạo tài khoản")

    def accept(self) -> None:
        if self.password.text() != self.confirm.text():
            self.message.setText("Hai lần nhập mật khẩu không giống nhau.")
            return
        try:
            self.workspace = setup_office(self.folder, self.username.text(), self.full_name.text(),
                                          self.password.text(), also_worker=self.also_worker.isChecked())
        except (UserError, OSError) as exc:
            self.message.setText(str(exc))
            return
        super().accept()


class LoginDialog(_Form):
    HELP_PAGE = "dang-nhap"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, folder: Path, parent=None, *, username: str = ""):
        super().__init__("BVTE — Đăng nhập", "Nhập tên đăng nhập và mật khẩu để mở dữ liệu bảo vệ trẻ em.", parent)
        self.folder = folder
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = _password_edit()
        self.password.setObjectName("password")
        self.form.addRow("Tên đăng nhập", self.username)
        self.form.addRow("Mật khẩu", self.password)
        self.buttons.button(QDialogButtonBox.Ok).setText("Đăng nhập")
        (self.password if username else self.username).setFocus()

    def accept(self) -> None:
        username, password = self.username.text(), self.password.text()
        try:
            self.workspace = login(self.folder, username, password)
        except WrongKeyError:
            # The password opened the key file, yet the database does not read: the file is damaged.
            from desktop.admin.recovery import offer_restore_of_damaged

            if offer_restore_of_damaged(self, self.folder, username, password):
                self.accept()  # sign in again, on the restored file
            return
        except UserError as exc:
            self.message.setText(str(exc))
            self.password.clear()
            return
        except SQLAlchemyError as exc:  # another program is writing (two windows, the command line): say so
            from models.db import storage_error_message

            message = storage_error_message(exc)
            if message is None:
                raise
            self.message.setText(message)
            return
        super().accept()


class UnlockDialog(_Form):
    """Shown after the idle period: the same person types the password again; nothing open is lost."""
    HELP_PAGE = "dang-nhap"  # F1: this screen's page of the guide (resources/help)

    SWITCH = 2  # exec() result: another person signs in (the work open is closed as at sign-out)

    def __init__(self, ws: Workspace, parent=None, *, idle: bool = True):
        super().__init__(
            "BVTE — Màn hình đã khoá",
            ("Màn hình đã khoá vì lâu không dùng." if idle else "Màn hình đã khoá.")
            + " Các việc đang làm dở vẫn được giữ nguyên.\n"
            f"Nhập mật khẩu của {ws.actor.full_name} ({ws.actor.username}) để tiếp tục.",
            parent,
        )
        self.ws = ws
        self.password = _password_edit()
        self.password.setObjectName("password")
        self.form.addRow("Mật khẩu", self.password)
        self.buttons.button(QDialogButtonBox.Ok).setText("Mở khoá")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Thoát chương trình")
        switch = self.buttons.addButton("Đổi người dùng…", QDialogButtonBox.ResetRole)
        switch.setObjectName("switch_user")
        switch.setToolTip("Người khác đăng nhập trên máy này (việc đang làm dở được lưu nháp như khi đăng xuất)")
        switch.clicked.connect(lambda: self.done(self.SWITCH))

    def accept(self) -> None:
        try:
            check_password(self.ws, self.password.text())
        except VaultError as exc:
            self.message.setText(str(exc))
            self.password.clear()
            return
        super().accept()


class IdleGuard(QObject):
    """Locks every window after `minutes` without a key press or mouse use."""

    ACTIVITY = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel}

    def __init__(self, ws: Workspace, minutes: int, on_quit, parent=None, *, on_switch=None):
        super().__init__(parent)
        self.ws = ws
        self.on_quit = on_quit
        self.on_switch = on_switch or on_quit
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.timer.stop()
        if minutes > 0:
            self.timer.setInterval(minutes * 60_000)
            self.timer.start()

    def stop(self) -> None:
        """The window closed: nothing is left to lock (a closed window never locks the next one)."""
        self.timer.stop()
        self.minutes = 0
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if not self.locked and self.minutes > 0 and event.type() in self.ACTIVITY:
            self.timer.start()  # any key or mouse use starts the idle period again
        return False

    def lock(self, *, idle: bool = True) -> None:
        """Hide every window (data must not stay on screen), ask for the password, then show them again.
        `idle=False`: "Khoá ngay" from the menu (the worker steps away from a shared PC)."""
        if self.locked:
            return
        self.locked = True
        hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for window in hidden:
            window.hide()
        self.dialog = UnlockDialog(self.ws, idle=idle)
        result = self.dialog.exec()
        self.locked = False
        if result == UnlockDialog.SWITCH:
            self.on_switch()
            return
        if result != QDialog.Accepted:
            self.on_quit()
            return
        for window in hidden:
            if shiboken_valid(window):  # a progress window may have finished and been deleted meanwhile
                window.show()
        if self.minutes > 0:
            self.timer.start()
