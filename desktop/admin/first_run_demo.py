"""First start on a machine without data: begin with an empty office, or try BVTE with demo data.

`offer_demo(parent, folder)` asks the question (Vietnamese buttons). With demo data it does what
`bvte demo` does — office, accounts admin / canbo / chutich sharing one password the user types, realistic
demo children and cases — in a worker thread, then signs in as admin and returns the workspace.
None means "set up a real office" (the caller then shows the set-up dialog as before).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QThread, Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QProgressDialog, QWidget,
)

from models import paths
from models.security.vault import KEYS_FILENAME, LOCK_SUFFIX, MIN_PASSWORD, VaultError, check_password_strength
from models.services.accounts import Workspace, login, office_exists
from models.errors import UserError

from desktop.common.frame import DialogFrame
from desktop.common.messages import choose
from desktop.common.password_dialog import MISMATCH_PLAIN, error_label, password_edit

DEMO_CHILDREN, DEMO_CASES = 300, 120
QUESTION = (
    "Chưa có dữ liệu BVTE trên máy này.\n\n"
    "• Thiết lập cơ quan: nhập thông tin cơ quan và tạo tài khoản quản trị để bắt đầu làm việc thật.\n"
    "• Dùng thử với dữ liệu mẫu: chương trình tạo một xã giả định với trẻ em và hồ sơ mẫu (không phải người thật) "
    "và ba tài khoản admin (quản trị), canbo (cán bộ), chutich (lãnh đạo) dùng chung một mật khẩu bạn chọn.\n"
    "• Nối máy chủ trong cơ quan: máy này dùng dữ liệu chung của cơ quan trên máy chủ (khi nhiều người cùng làm "
    "việc; cán bộ kỹ thuật cho biết địa chỉ máy chủ và tệp khoá).\n\n"
    "Dữ liệu mẫu nằm trong một thư mục riêng, không bao giờ lẫn với dữ liệu thật; cửa sổ, mọi bản in và mọi tệp "
    "xuất đều ghi rõ \"DỮ LIỆU MẪU\". Khi muốn làm việc thật, quản trị viên chọn "
    "\"Xoá dữ liệu mẫu, bắt đầu thật\" trong mục Cơ quan."
)
DEMO_SUFFIX = "-du-lieu-mau"


def demo_folder(folder: Path) -> Path:
    """Where the demo office of the data folder `folder` lives: a sibling folder of its own."""
    return folder.parent / f"{folder.name}{DEMO_SUFFIX}"


def is_demo_folder(folder: Path) -> bool:
    return folder.name.endswith(DEMO_SUFFIX)
ANSWERS = ["Thiết lập cơ quan", "Dùng thử với dữ liệu mẫu", "Nối máy chủ trong cơ quan…"]
FIRST_RUN_TITLE = "BVTE — Bắt đầu"
DEMO_ACCOUNTS = (("canbo", "Trần Thị Lan", ["worker"]), ("chutich", "Phạm Văn Hùng", ["leader"]))


def create_demo_office(folder: Path, password: str, *, children: int = DEMO_CHILDREN, cases: int = DEMO_CASES,
                       progress=None) -> None:
    """What `bvte demo` does on a new folder (Qt-free): the office, three accounts, the demo records.

    All or nothing: if anything fails, the files made here are removed, so the next start asks again.
    """
    from models.demo import generate_demo
    from models.services.accounts import add_account, setup_office

    if office_exists(folder):
        raise VaultError(f"Thư mục {folder} đã có dữ liệu BVTE; không tạo dữ liệu mẫu đè lên.")
    made = [folder / KEYS_FILENAME, folder / (KEYS_FILENAME + LOCK_SUFFIX)] + [
        Path(str(paths.db_path(folder)) + s) for s in ("", "-wal", "-shm")]
    ws = None
    try:
        ws = setup_office(folder, "admin", "Quản trị viên", password, also_worker=False)
        for username, full_name, roles in DEMO_ACCOUNTS:
            add_account(ws, username, full_name, roles, password)
        generate_demo(ws.db, ws.actor, children=children, cases=cases, progress=progress)
    except BaseException:
        if ws is not None:
            ws.close()
            ws = None
        for path in made:
            path.unlink(missing_ok=True)
        raise
    finally:
        if ws is not None:
            ws.close()


class _DemoWorker(QThread):
    """Runs create_demo_office off the UI thread; never touches widgets."""

    progressed = Signal(int, int)
    failed = Signal(str)

    def __init__(self, folder: Path, password: str, children: int, cases: int, parent=None):
        super().__init__(parent)
        self.folder, self.password, self.children, self.cases = folder, password, children, cases
        self.error: str | None = None

    def run(self) -> None:
        from models.db import storage_error_message

        try:
            create_demo_office(self.folder, self.password, children=self.children, cases=self.cases,
                               progress=lambda done, total: self.progressed.emit(done, total))
        except UserError as exc:
            self.error = str(exc)
        except Exception as exc:  # disk full, read-only folder… in plain words; anything else as it is
            self.error = storage_error_message(exc) or f"{type(exc).__name__}: {exc}"


class DemoPasswordDialog(QDialog):
    """The one password of the three demo accounts, typed twice, checked by the vault's own rule."""
    HELP_PAGE = "bat-dau"  # F1: this screen's page of the guide (resources/help)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("BVTE — Mật khẩu dữ liệu mẫu")
        self.setMinimumWidth(460)
        self.frame = DialogFrame(self)
        layout = self.frame.body
        intro = QLabel("Chọn mật khẩu chung cho ba tài khoản mẫu admin, canbo và chutich. "
                       "Dữ liệu mẫu cũng được mã hoá như dữ liệu thật; hãy ghi nhớ mật khẩu này.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.new = password_edit("password")
        self.confirm = password_edit("confirm")
        form = QFormLayout()
        form.addRow(f"Mật khẩu (ít nhất {MIN_PASSWORD} ký tự)", self.new)
        form.addRow("Nhập lại mật khẩu", self.confirm)
        layout.addLayout(form)
        self.message = error_label()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Tạo dữ liệu mẫu")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Quay lại")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.frame.set_buttons(self.buttons)
        self.password: str | None = None
        self.new.setFocus()

    def accept(self) -> None:
        if self.new.text() != self.confirm.text():
            self.message.setText(MISMATCH_PLAIN)
            self.confirm.clear()
            self.confirm.setFocus()
            return
        try:
            check_password_strength(self.new.text())
        except VaultError as exc:
            self.message.setText(str(exc))
            self.new.setFocus()
            return
        self.password = self.new.text()
        super().accept()


def ask_demo_password(parent: QWidget | None) -> str | None:
    """The shared password of the three demo accounts; None if the user goes back."""
    dialog = DemoPasswordDialog(parent)
    return dialog.password if dialog.exec() == QDialog.Accepted else None


def offer_demo(parent: QWidget | None, folder: Path, *, children: int = DEMO_CHILDREN,
               cases: int = DEMO_CASES) -> Workspace | None:
    """Ask how to start on a folder without data. Demo chosen: make it in its own folder (or open the demo
    made before) and return that workspace."""
    if office_exists(folder):
        return None
    answer = choose(parent, FIRST_RUN_TITLE, QUESTION, ANSWERS, default=0, escape=0)
    if answer == 2:  # "Máy chủ trong cơ quan": the folder is pointed at the server, then the log-in box follows
        from .server_dialog import connect_to_server

        if not connect_to_server(parent, folder):
            return offer_demo(parent, folder, children=children, cases=cases)  # back to the question
        return None
    if answer != 1:
        return None
    folder = demo_folder(folder)
    if office_exists(folder):  # tried before: sign in to the same demo office
        from desktop.admin.login import LoginDialog

        dialog = LoginDialog(folder, parent, username="admin")
        return dialog.workspace if dialog.exec() == QDialog.Accepted else None
    password = ask_demo_password(parent)
    if password is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    worker = _DemoWorker(folder, password, children, cases)
    progress = QProgressDialog("Đang tạo dữ liệu mẫu…", None, 0, 0, parent)  # no Cancel: it takes seconds
    progress.setWindowTitle("BVTE — Dữ liệu mẫu")
    progress.setWindowModality(Qt.ApplicationModal)
    progress.setMinimumDuration(600)  # shown only if it takes longer than ~0.6 s
    worker.progressed.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    if not worker.isFinished():
        loop.exec()
    worker.wait()
    progress.close()
    if worker.error is not None:
        QMessageBox.warning(parent, "BVTE", f"Không tạo được dữ liệu mẫu:\n{worker.error}\n\n"
                                            "Bạn có thể thiết lập cơ quan như bình thường.")
        return None
    return login(folder, "admin", password)


def discard_demo_office(folder: Path) -> None:
    """Delete a demo office's folder (never one that is not marked as demo: checked on the files' names and
    on the office setting written when the demo was made)."""
    import shutil

    if not is_demo_folder(folder):
        raise VaultError(f"Thư mục {folder} không phải thư mục dữ liệu mẫu; không xoá.")
    shutil.rmtree(folder)
