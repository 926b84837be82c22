"""Account management for the administrator: who may open the data, with which roles."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from models.clock import fmt_datetime
from models.entities import Account
from models.security.roles import ROLES
from models.security.vault import MIN_PASSWORD
from models.services.accounts import Workspace, add_account, disable_account, list_accounts, reset_password
from models.errors import UserError

from desktop.common import messages
from desktop.common.frame import DialogFrame, read_only_table
from desktop.common.fields import ERROR_STYLE
from desktop.common.password_dialog import MISMATCH_PLAIN, REKEY_MESSAGE, error_label, file_error, password_edit
from desktop.common.worker import run_with_progress

OK_STYLE = "color: #1b5e20;"
COLUMNS = ["Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái", "Đăng nhập lần cuối"]


def _left_out_words(left_out) -> str:
    if not left_out:
        return ""
    return (" Các tài khoản chưa đăng nhập lần nào từ khi nâng cấp (" + ", ".join(left_out)
            + ") chưa nhận được khoá mới: hãy đặt lại mật khẩu cho họ.")


def role_words(account: Account) -> str:
    return ", ".join(label for code, label in ROLES.items() if code in account.role_set)


class _PasswordForm(QDialog):
    """A small form with a password and its confirmation; `save()` does the work or raises."""
    HELP_PAGE = "quan-tri-tai-khoan"  # F1: this screen's page of the guide (resources/help)

    def __init__(self, title: str, intro: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.frame = DialogFrame(self)
        layout = self.frame.body
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            layout.addWidget(text)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.password = password_edit("password")
        self.confirm = password_edit("confirm")
        self.message = error_label()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Cancel).setText("Huỷ")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.frame.set_buttons(self.buttons)

    def _password_rows(self, label: str) -> None:
        self.form.addRow(f"{label} (ít nhất {MIN_PASSWORD} ký tự)", self.password)
        self.form.addRow("Nhập lại mật khẩu", self.confirm)

    def save(self) -> None:
        raise NotImplementedError

    def accept(self) -> None:
        if self.password.text() != self.confirm.text():
            self.message.setText(MISMATCH_PLAIN)
            self.confirm.clear()
            self.confirm.setFocus()
            return
        try:
            self.save()
        except UserError as exc:
            self.message.setText(str(exc))
            return
        except OSError as exc:
            self.message.setText(file_error(exc))
            return
        super().accept()


class AddAccountForm(_PasswordForm):
    def __init__(self, ws: Workspace, parent=None):
        super().__init__(
            "Thêm tài khoản",
            "Mỗi người dùng chung máy có một tài khoản riêng, để nhật ký ghi đúng ai đã làm gì. "
            "Báo mật khẩu cho người đó trực tiếp; họ có thể tự đổi sau khi đăng nhập.",
            parent,
        )
        self.ws = ws
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText("ví dụ: lan.tran (chữ không dấu)")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        roles = QWidget()
        roles_layout = QVBoxLayout(roles)
        roles_layout.setContentsMargins(0, 0, 0, 0)
        self.roles: dict[str, QCheckBox] = {}
        for code, label in ROLES.items():
            box = QCheckBox(label)
            box.setObjectName(f"role_{code}")
            self.roles[code] = box
            roles_layout.addWidget(box)
        self.roles["worker"].setChecked(True)
        self.form.addRow("Tên đăng nhập", self.username)
        self.form.addRow("Họ và tên", self.full_name)
        self.form.addRow("Vai trò", roles)
        self._password_rows("Mật khẩu")
        self.buttons.button(QDialogButtonBox.Ok).setText("Thêm tài khoản")
        self.username.setFocus()

    def chosen_roles(self) -> list[str]:
        return [code for code, box in self.roles.items() if box.isChecked()]

    def save(self) -> None:
        add_account(self.ws, self.username.text(), self.full_name.text(), self.chosen_roles(), self.password.text())


class ResetPasswordForm(_PasswordForm):
    def __init__(self, ws: Workspace, account: Account, parent=None):
        super().__init__(
            "Đặt lại mật khẩu",
            f"Đặt mật khẩu mới cho {account.full_name} ({account.username}), ví dụ khi người đó quên mật khẩu "
            "hoặc tài khoản bị tạm khoá. Mật khẩu cũ không còn dùng được nữa.",
            parent,
        )
        self.ws = ws
        self.account_username = account.username
        self._password_rows("Mật khẩu mới")
        self.buttons.button(QDialogButtonBox.Ok).setText("Đặt lại mật khẩu")
        self.password.setFocus()

    def save(self) -> None:
        password = self.password.text()
        self.left_out = run_with_progress(self, REKEY_MESSAGE,
                                          lambda: reset_password(self.ws, self.account_username, password))


class AccountsDialog(QDialog):
    HELP_PAGE = "quan-tri-tai-khoan"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, ws: Workspace, parent=None):
        ws.actor.require("accounts")
        super().__init__(parent)
        self.ws = ws
        self.accounts: list[Account] = []
        self.setWindowTitle("Quản lý tài khoản")
        self.frame = DialogFrame(self, width=900, height=420)
        layout = self.frame.body
        intro = QLabel(
            "Những người được mở dữ liệu bảo vệ trẻ em trên máy này. Tài khoản đã vô hiệu hoá "
            "không đăng nhập được nữa, nhưng tên vẫn giữ trong nhật ký."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.table = read_only_table(QTableWidget(0, len(COLUMNS)), "accounts", alternating=True)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table)

        self.message = error_label()
        layout.addWidget(self.message)

        row = QHBoxLayout()
        self.add_button = QPushButton("Thêm tài khoản…")
        self.add_button.setObjectName("add")
        self.reset_button = QPushButton("Đặt lại mật khẩu…")
        self.reset_button.setObjectName("reset")
        self.disable_button = QPushButton("Vô hiệu hoá")
        self.disable_button.setObjectName("disable")
        close = QPushButton("Đóng")
        for button in (self.add_button, self.reset_button, self.disable_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        self.frame.set_buttons(row)
        self.add_button.clicked.connect(self.add_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.disable_button.clicked.connect(self.disable_account)
        close.clicked.connect(self.reject)
        self.refresh()

    # -- list ----------------------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        self.accounts = list_accounts(self.ws)
        self.table.setRowCount(len(self.accounts))
        for row, account in enumerate(self.accounts):
            state = "Đã vô hiệu hoá" if account.disabled else "Đang hoạt động"
            last = fmt_datetime(account.last_login_at) or "Chưa đăng nhập"
            name = account.full_name + (" (bạn)" if account.username == self.ws.actor.username else "")
            for col, text in enumerate((account.username, name, role_words(account), state, last)):
                item = QTableWidgetItem(text)
                if account.disabled:
                    item.setForeground(Qt.gray)
                self.table.setItem(row, col, item)
        if select is not None:
            self.select(select)
        self._update_buttons()

    def select(self, username: str) -> None:
        for row, account in enumerate(self.accounts):
            if account.username == username:
                self.table.selectRow(row)
                return

    def selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        account = self.selected()
        active = account is not None and not account.disabled
        self.reset_button.setEnabled(active)
        self.disable_button.setEnabled(active)

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def show_done(self, text: str) -> None:
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(text)

    # -- actions -------------------------------------------------------------------------------------
    def add_account(self) -> None:
        form = AddAccountForm(self.ws, self)
        if form.exec() == QDialog.Accepted:
            username = form.username.text().strip().lower()
            self.refresh(select=username)
            self.show_done(f"Đã thêm tài khoản {username}.")

    def reset_password(self) -> None:
        account = self.selected()
        if account is None:
            self.show_error("Chọn một tài khoản trong danh sách trước.")
            return
        form = ResetPasswordForm(self.ws, account, self)
        if form.exec() == QDialog.Accepted:
            self.show_done(f"Đã đặt lại mật khẩu cho {account.username}. Báo mật khẩu mới cho người đó trực tiếp."
                           + _left_out_words(getattr(form, "left_out", [])))

    def disable_account(self) -> None:
        account = self.selected()
        if account is None:
            self.show_error("Chọn một tài khoản trong danh sách trước.")
            return
        if account.username != self.ws.actor.username and not messages.confirm(
            self, "Vô hiệu hoá tài khoản",
            f"Vô hiệu hoá tài khoản {account.username} ({account.full_name})?\n\n"
            "Người này sẽ không đăng nhập được nữa. Việc này không hoàn tác được: nếu người này "
            "cần dùng lại, hãy tạo tài khoản mới với tên đăng nhập khác.",
            "Vô hiệu hoá",
        ):
            return
        try:
            left_out = run_with_progress(self, REKEY_MESSAGE, lambda: disable_account(self.ws, account.username))
        except UserError as exc:
            self.show_error(str(exc))
            return
        except OSError as exc:
            self.show_error(file_error(exc))
            return
        self.refresh(select=account.username)
        self.show_done(f"Đã vô hiệu hoá tài khoản {account.username} và đổi khoá mã hoá dữ liệu."
                       + _left_out_words(left_out))
