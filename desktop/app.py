"""Starting the window: one window per data folder, first-run settings, crash reporting, drafts offered again."""
from __future__ import annotations

import logging
import os
import sys
import threading
import traceback

from PySide6.QtCore import QLockFile, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPlainTextEdit, QPushButton

from models import __version__, paths
from models.security.vault import Vault
from models.errors import UserError

# The database layer and the screens (SQLAlchemy and the entities are most of the start-up) are imported by
# a thread while Qt starts, the log-in dialog waits for the password and Argon2id derives the key (in C,
# without Python's lock): by the time the window is built they are loaded.
_PRELOAD = (
    "models.db", "models.entities", "models.services.accounts", "models.services.cases", "models.services.tasks",
    "models.services.office", "models.stages",
)

from desktop.common.frame import DialogFrame

log = logging.getLogger("bvte")
LOCK_NAME = "bvte-window.lock"


def peak_memory_mb() -> float:
    """The process's peak memory (resident set / working set) in MB, on Windows and elsewhere."""
    if sys.platform == "win32":  # `resource` does not exist on Windows
        import psutil

        return psutil.Process().memory_info().peak_wset / 2**20
    import resource

    scale = 2**20 if sys.platform == "darwin" else 2**10  # ru_maxrss: bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _setup_logging() -> None:
    folder = paths.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(
            filename=folder / "bvte.log", encoding="utf-8", level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
        )
    except OSError:
        logging.basicConfig(level=logging.INFO)


def _crash_dialog(exc_type, exc, tb) -> None:
    """The window's one place for what a screen did not handle itself: a user error (models.errors.UserError)
    is shown as its calm Vietnamese message; anything else is a bug: log it and show details the user can copy
    to the support person."""
    if isinstance(exc, UserError):
        from desktop.common import messages

        messages.choose(QApplication.activeWindow(), "Chưa làm được", str(exc), ["Đóng"])
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("Unhandled error\n%s", details)
    dialog = QDialog()
    dialog.setWindowTitle("BVTE gặp lỗi")
    dialog.HELP_PAGE = "khi-gap-su-co"
    text = QPlainTextEdit(
        "Chương trình gặp lỗi không mong muốn. Dữ liệu đã lưu không bị ảnh hưởng.\n"
        "Hãy sao chép nội dung dưới đây gửi cho người hỗ trợ kỹ thuật.\n\n"
        f"BVTE {__version__}\n{details}"
    )
    text.setReadOnly(True)
    frame = DialogFrame(dialog, width=700, height=400)
    frame.body.addWidget(text)
    close = QPushButton("Đóng")
    close.clicked.connect(dialog.accept)
    frame.bar.addStretch(1)
    frame.bar.addWidget(close)
    dialog.exec()


def _preload() -> threading.Thread:
    def work() -> None:
        import importlib

        try:
            for name in _PRELOAD:
                importlib.import_module(name)
        except Exception:  # the main thread imports the same modules and reports any error itself
            log.exception("Preloading modules failed")

    thread = threading.Thread(target=work, name="bvte-preload", daemon=True)
    thread.start()
    return thread


def _env_sign_in(folder, user: str, password: str):
    """For scripts (the start-up benchmark): the same variables the command line reads. Argon2id runs in a
    thread while this one imports the database layer."""
    from models.server_keys import bring_up_to_date

    bring_up_to_date(folder)  # the server mode: the office server's newer key file, if any
    vault = Vault.load(folder)
    failures_before = vault.data["accounts"].get(user.strip().lower(), {}).get("failures", 0)
    result: dict = {}

    def unlock() -> None:
        try:
            result["key"] = vault.unlock_account(user, password)
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=unlock, name="bvte-unlock")
    thread.start()
    from models.services.accounts import open_unlocked

    thread.join()
    if "error" in result:
        raise result["error"]
    return open_unlocked(folder, vault, result["key"], user, failures_before, password)


def _sign_in(folder, *, again: bool = False):
    """The first administrator on a new data folder, otherwise a log-in. None if the user gave up.
    `again`: after "Đăng xuất" / "Đổi người dùng" — always the log-in box, never the scripts' variables."""
    user, password = os.environ.get("BVTE_USER"), os.environ.get("BVTE_PASSWORD")
    if user and password and os.environ.get("BVTE_EXIT_AFTER_START") and Vault.exists(folder) and not again:
        # Only for the start-up benchmark and the installer's smoke test, which set BVTE_EXIT_AFTER_START too: the
        # window then quits as soon as it is up. A window for work always asks for the account and password
        # (variables left in a shared session must never open the children's files).
        return _env_sign_in(folder, user, password)
    from models.services.accounts import office_exists

    from desktop.admin.login import LoginDialog, SetupDialog

    if not office_exists(folder):
        from desktop.admin.first_run_demo import offer_demo

        ws = offer_demo(None, folder)  # an empty office, or one filled with demo data to try things out
        if ws is not None:
            return ws
    dialog = LoginDialog(folder, username=user or "") if office_exists(folder) else SetupDialog(folder)  # name only
    return dialog.workspace if dialog.exec() == QDialog.Accepted else None


def run_gui(data_dir: str | None = None, *, again: bool = False) -> int:
    _setup_logging()
    if not (os.environ.get("BVTE_USER") and os.environ.get("BVTE_PASSWORD")):
        _preload()  # a dialog will wait for the user: import meanwhile (scripts overlap Argon2id instead)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("BVTE")
    app.setApplicationVersion(__version__)
    from desktop.common.qt_vietnamese import install_translator

    install_translator(app)  # Qt's own words (right-click menus, standard buttons) in Vietnamese
    sys.excepthook = _crash_dialog

    folder = paths.data_dir(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        QMessageBox.critical(None, "BVTE", f"Không tạo được thư mục dữ liệu {folder}:\n{exc.strerror}")
        return 3
    lock = QLockFile(str(folder / LOCK_NAME))
    lock.setStaleLockTime(0)  # a lock left by a crashed window is detected by its dead process id
    if not lock.tryLock(100):
        QMessageBox.warning(
            None, "BVTE đang mở",
            "BVTE đang mở trong một cửa sổ khác với cùng thư mục dữ liệu.\n"
            "Hãy dùng cửa sổ đó; hai cửa sổ cùng sửa một hồ sơ có thể ghi đè lên nhau.",
        )
        return 1

    try:
        ws = _sign_in(folder, again=again)
    except UserError as exc:
        QMessageBox.critical(None, "BVTE", str(exc))
        return 3
    if ws is None:
        return 0
    from models.services.office import get_office

    from desktop.main_window import MainWindow
    from desktop.admin.settings_dialog import SettingsDialog

    db = ws.db
    if get_office(db) is None:
        if not ws.actor.can("settings"):
            QMessageBox.warning(None, "BVTE", "Cơ quan chưa được thiết lập. Nhờ quản trị viên đăng nhập để nhập thông tin cơ quan.")
            return 0
        if SettingsDialog(ws, first_run=True).exec() != QDialog.Accepted:
            return 0
    window = MainWindow(ws, backup_on_exit=True)
    # Signed out: leave the event loop once the window has closed (exit(), not quit(): see below).
    window.signed_out_changed.connect(lambda: QTimer.singleShot(0, lambda: app.exit(0)))
    window.show_as_remembered()
    if os.environ.get("BVTE_EXIT_AFTER_START"):
        # The start-up benchmark: the check at opening runs as for a user, in the background.
        window.check_finished.connect(lambda ok: print(f"CHECKED ok={ok}", flush=True))
        window.start_opening_check_after_tasks(then_backup=False)
    if os.environ.get("BVTE_EXIT_AFTER_START"):
        # Used by the start-up benchmark: report once the window is up with its list filled, then quit.
        def report():
            print(f"STARTED rows={window.model.rowCount()} total={window.model.total} peak_mb={peak_memory_mb():.0f}",
                  flush=True)

        def tasks_ready(count):
            print(f"TASKS count={count} peak_mb={peak_memory_mb():.0f}", flush=True)
            app.exit(0)  # not quit(): under Wine it never returns with a window shown

        window.tasks_view.loaded.connect(tasks_ready)
        QTimer.singleShot(0, report)
    else:
        QTimer.singleShot(0, window.after_start)
    code = app.exec()
    if window.opening_check is not None:  # ended without closing the window (app.exit): stop the check too
        window.opening_check.cancel()
    from desktop.common.worker import wait_for_background_jobs

    wait_for_background_jobs()
    lock.unlock()
    ws.close()
    if window.discard_demo_requested:
        from desktop.admin.first_run_demo import discard_demo_office

        discard_demo_office(ws.folder)
    if window.signed_out:  # "Đăng xuất" / "Đổi người dùng": the log-in box for the next person
        window.deleteLater()
        return run_gui(data_dir, again=True)
    return code
