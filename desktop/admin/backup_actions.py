"""Backup and restore from the window, the automatic backups, and the external-drive reminder."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from models.backup import (
    BackupError, BackupInfo, automatic_backup, changed_since_last_backup, default_backup_name, external_backup_overdue, inspect_backup,
    last_external_backup, make_backup, needs_daily_backup, restore_backup,
)
from models.clock import fmt_datetime
from models.services.accounts import Workspace
from models.errors import UserError

from desktop.common import messages
from desktop.common.worker import Cancelled, run_cancellable, run_with_progress


def backup_now(parent: QWidget, ws: Workspace, target: Path | None = None) -> Path | None:
    if target is None:
        name, _ = QFileDialog.getSaveFileName(
            parent, "Sao lưu dữ liệu", str(Path.home() / default_backup_name()), "Bản sao lưu BVTE (*.bvtebak)"
        )
        if not name:
            return None
        target = Path(name if name.endswith(".bvtebak") else name + ".bvtebak")
    try:
        info = run_cancellable(parent, "Đang sao lưu và kiểm tra bản sao lưu…",
                               lambda progress: make_backup(ws, target, progress=progress))
    except Cancelled:
        QMessageBox.information(parent, "Đã huỷ sao lưu", "Đã huỷ. Không có tệp sao lưu nào được ghi.")
        return None
    except UserError as exc:
        QMessageBox.warning(parent, "Chưa sao lưu được", str(exc))
        return None
    QMessageBox.information(
        parent, "Đã sao lưu",
        f"Đã sao lưu {info.case_count} hồ sơ vào:\n{info.path}\n\nBản sao lưu đã được đọc lại và kiểm tra. "
        "Tệp được mã hoá: chỉ mở được bằng mật khẩu của một tài khoản.",
    )
    return info.path


def restore_from_file(parent: QWidget, ws: Workspace, file: Path | None = None, password: str | None = None) -> bool:
    """Restore the office from a backup. True if the data was replaced (the program must then restart)."""
    if file is None:
        name, _ = QFileDialog.getOpenFileName(parent, "Chọn bản sao lưu", str(Path.home()), "Bản sao lưu BVTE (*.bvtebak)")
        if not name:
            return False
        file = Path(name)
    try:
        manifest = run_with_progress(parent, "Đang kiểm tra bản sao lưu…", lambda: inspect_backup(file))
    except BackupError as exc:
        QMessageBox.warning(parent, "Không dùng được tệp này", str(exc))
        return False
    made = fmt_datetime(datetime.fromisoformat(manifest["created_at"]))
    if not messages.confirm(
        parent, "Khôi phục dữ liệu",
        f"Bản sao lưu lúc {made}, có {manifest.get('case_count', '?')} hồ sơ.\n\n"
        "Toàn bộ dữ liệu hiện tại sẽ được thay bằng dữ liệu của bản sao lưu này (dữ liệu hiện tại vẫn được "
        "giữ một bản trong thư mục backups). Tiếp tục?",
        "Khôi phục",
    ):
        return False
    if password is None:
        password, ok = QInputDialog.getText(
            parent, "Mật khẩu", f"Mật khẩu của {ws.actor.username} vào thời điểm sao lưu:", QLineEdit.Password
        )
        if not ok:
            return False
    folder = ws.folder
    try:
        # "Huỷ" works until the current data starts being replaced; after that the restore completes.
        safety = run_cancellable(parent, "Đang khôi phục…",
                                 lambda progress: restore_backup(folder, file, ws.actor.username, password,
                                                                 current=ws, progress=progress),
                                 cancel_until=0.75)
    except Cancelled:
        QMessageBox.information(parent, "Đã huỷ khôi phục", "Đã huỷ. Dữ liệu hiện tại giữ nguyên.")
        return False
    except UserError as exc:
        QMessageBox.warning(parent, "Chưa khôi phục được", str(exc))
        return False
    QMessageBox.information(
        parent, "Đã khôi phục",
        "Đã khôi phục dữ liệu từ bản sao lưu lúc " + made + "."
        + (f"\nDữ liệu trước khi khôi phục được giữ ở:\n{safety}" if safety else "")
        + "\n\nChương trình sẽ đóng lại; hãy mở lại và đăng nhập (mật khẩu là mật khẩu vào thời điểm sao lưu).",
    )
    return True


def daily_backup(parent: QWidget, ws: Workspace) -> str:
    """One automatic backup a day, if the data changed since the last one. Returns a line for the status bar
    ('' if nothing was done)."""
    if not needs_daily_backup(ws):
        return ""
    return run_with_progress(parent, "Đang sao lưu tự động…", lambda: daily_backup_in_background(ws))


def daily_backup_in_background(ws: Workspace) -> str:
    """The same, for a worker thread (touches no widget)."""
    try:
        info = automatic_backup(ws, only_if_changed=True)
    except BackupError as exc:
        return f"Chưa sao lưu tự động được: {exc}"
    return f"Đã sao lưu tự động lúc {fmt_datetime(info.created_at)}." if info else ""


def backup_on_exit(parent: QWidget | None, ws: Workspace) -> BackupInfo | None:
    """At closing: a backup when something changed since the newest automatic one, with its progress shown."""
    if not changed_since_last_backup(ws):
        return None
    try:
        return run_with_progress_bar(parent, "Đang sao lưu trước khi thoát…",
                                     lambda progress: automatic_backup(ws, force=True, progress=progress))
    except BackupError as exc:
        QMessageBox.warning(parent, "Chưa sao lưu được", f"{exc}\n\nDữ liệu đã lưu vẫn an toàn trong máy.")
        return None


def run_with_progress_bar(parent: QWidget | None, message: str, fn):
    """fn(progress) in a worker thread; `progress(fraction, text)` from there moves a bar in this thread."""
    from PySide6.QtCore import QEventLoop, QTimer, Qt
    from PySide6.QtWidgets import QProgressDialog

    from desktop.common.worker import _Job

    state = {"fraction": 0.0, "text": message}

    def progress(fraction: float, text: str) -> None:  # called in the worker thread: plain values only
        state["fraction"], state["text"] = fraction, text

    box = QProgressDialog(message, "", 0, 100, parent)
    box.setWindowTitle("BVTE")
    box.setCancelButton(None)
    box.setWindowModality(Qt.ApplicationModal)
    box.setMinimumDuration(0)
    box.setAutoClose(False)
    box.setAutoReset(False)
    box.setValue(0)
    box.show()
    timer = QTimer()
    timer.setInterval(100)
    timer.timeout.connect(lambda: (box.setValue(int(state["fraction"] * 100)), box.setLabelText(state["text"])))
    timer.start()
    job = _Job(lambda: fn(progress))
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    job.start()
    if job.isRunning():
        loop.exec()
    job.wait()
    timer.stop()
    box.close()
    box.deleteLater()
    if job.error is not None:
        raise job.error
    return job.result


def remind_external_backup(parent: QWidget, ws: Workspace) -> None:
    """Every N days (office setting) ask for a copy on a USB drive: a stolen or broken PC takes its backups too."""
    if not ws.actor.can("backup"):
        return
    days = external_backup_overdue(ws)
    if days is None:
        return
    last = last_external_backup(ws)
    when = f"Lần sao lưu ra ổ ngoài gần nhất: {fmt_datetime(last)} ({days} ngày trước)." if last else \
        "Chưa có lần nào sao lưu ra ổ ngoài (USB)."
    answer = messages.choose(
        parent, "Nhắc sao lưu ra ổ ngoài",
        f"{when}\n\nBản sao lưu trong máy không giúp được nếu máy hỏng hoặc bị mất. "
        "Hãy cắm USB và sao lưu ra đó.",
        ["Sao lưu ngay…", "Để sau"],
    )
    if answer == 0:
        backup_now(parent, ws)
