"""Changing one's own password (any account)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from models.security.vault import MIN_PASSWORD, BadCredentials
from models.services.accounts import Workspace, change_own_password
from models.errors import UserError

from desktop.common.frame import DialogFrame
from desktop.common.fields import ERROR_STYLE
from desktop.common.worker import run_with_progress

MISMATCH = "Hai lần nhập mật khẩu mới không giống nhau."
MISMATCH_PLAIN = "Hai lần nhập mật khẩu không giống nhau."
# Shown while the data file is re-encrypted with a new key (about 15 s for 50,000 children).
REKEY_MESSAGE = ("Đang đổi khoá mã hoá dữ liệu để mật khẩu cũ không còn mở được dữ liệu…\n"
                 "Việc này có thể mất vài chục giây với dữ liệu lớn. Đừng tắt máy.")


def password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.Password)
    edit.setObjectName(name)
    return edit


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label


def wrong_current_password(exc: BadCredentials) -> str:
    """The vault speaks of "user name or password"; here only the current password can be wrong."""
    rest = str(exc).removeprefix("Sai tên đăng nhập hoặc mật khẩu.").strip()
    return f"Mật khẩu hiện tại không đúng. {rest}".strip()


def file_error(exc: OSError) -> str:
    return f"Không ghi được tệp khoá (keys.json): {exc.strerror or exc}. Chưa có gì thay đổi."


class ChangePasswordDialog(QDialog):
    HELP_PAGE = "quan-tri-tai-khoan"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, ws: Workspace, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("Đổi mật khẩu")
        self.setMinimumWidth(460)
        self.frame = DialogFrame(self)
        layout = self.frame.body
        intro = QLabel(
            f"Đổi mật khẩu của tài khoản {ws.actor.username} ({ws.actor.full_name}). "
            "Lần đăng nhập sau dùng mật khẩu mới; dữ liệu không thay đổi."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.current = password_edit("current")
        self.new = password_edit("new")
        self.confirm = password_edit("confirm")
        form = QFormLayout()
        form.addRow("Mật khẩu hiện tại", self.current)
        form.addRow(f"Mật khẩu mới (ít nhất {MIN_PASSWORD} ký tự)", self.new)
        form.addRow("Nhập lại mật khẩu mới", self.confirm)
        layout.addLayout(form)
        self.message = error_label()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Đổi mật khẩu")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Huỷ")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.frame.set_buttons(self.buttons)
        self.current.setFocus()

    def accept(self) -> None:
        if self.new.text() != self.confirm.text():
            self.message.setText(MISMATCH)
            self.confirm.clear()
            self.confirm.setFocus()
            return
        try:
            current, new = self.current.text(), self.new.text()
            run_with_progress(self, REKEY_MESSAGE, lambda: change_own_password(self.ws, current, new))
        except BadCredentials as exc:
            self.message.setText(wrong_current_password(exc))
            self.current.clear()
            self.current.setFocus()
            return
        except UserError as exc:
            self.message.setText(str(exc))
            return
        except OSError as exc:
            self.message.setText(file_error(exc))
            return
        super().accept()
