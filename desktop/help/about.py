"""Giới thiệu (version, licence, where the data and the log are) and Có gì mới (shown once after an upgrade)."""
from __future__ import annotations

from html import escape
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton

from models import __version__, help as guide, paths

from desktop.common.frame import DialogFrame

# What ships inside the program, with its licence (the program's own licence comes from its package data).
COMPONENTS = (
    ("Qt for Python (PySide6)", "LGPL phiên bản 3"),
    ("Phông chữ Liberation Serif", "SIL OFL 1.1"),
    ("ReportLab", "BSD"),
    ("SQLAlchemy, Alembic, openpyxl, markdown-it-py", "MIT"),
    ("SQLCipher", "giấy phép kiểu BSD"),
)
SEEN_KEY = "help/seen_version/"  # + user name, in the window settings file beside the data (cua-so.ini)


def program_licence() -> str:
    try:
        meta = metadata.metadata("bvte")
    except metadata.PackageNotFoundError:
        meta = None
    text = ((meta.get("License-Expression") or meta.get("License")) if meta is not None else None) or ""
    return text.strip() or "chưa ghi trong bản phát hành này (hỏi đơn vị cung cấp phần mềm)"


def about_facts(data_folder: Path | None) -> list[tuple[str, str]]:
    return [
        ("Phiên bản", f"BVTE {__version__}"),
        ("Giấy phép của BVTE", program_licence()),
        ("Thư mục dữ liệu", str(data_folder or paths.data_dir())),
        ("Thư mục nhật ký lỗi (log)", str(paths.log_dir())),
    ]


class AboutDialog(QDialog):
    HELP_PAGE = "tro-giup"

    def __init__(self, data_folder: Path | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Giới thiệu BVTE")
        self.facts = about_facts(data_folder)
        self.data_folder = Path(dict(self.facts)["Thư mục dữ liệu"])
        self.frame = DialogFrame(self, width=640)
        rows = "".join(f"<tr><td style='color:#555;padding-right:12px'>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>"
                       for k, v in self.facts)
        parts = "".join(f"<li>{escape(name)}: {escape(lic)}</li>" for name, lic in COMPONENTS)
        self.text = QLabel(
            "<h2 style='margin:0'>BVTE — Bảo Vệ Trẻ Em</h2>"
            "<p>Quản lý hồ sơ bảo vệ trẻ em cấp xã theo Nghị định 56/2017/NĐ-CP. Chạy trên máy này, không cần mạng; "
            "dữ liệu được mã hoá.</p>"
            f"<table>{rows}</table><p>Thành phần dùng trong chương trình:</p><ul>{parts}</ul>")
        self.text.setObjectName("about_text")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.frame.body.addWidget(self.text)
        copy = QPushButton("Chép thông tin (gửi người hỗ trợ)")
        copy.clicked.connect(self.copy_facts)
        folder = QPushButton("Mở thư mục dữ liệu")
        folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_folder))))
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        bar = QHBoxLayout()
        bar.addWidget(copy)
        bar.addWidget(folder)
        bar.addStretch(1)
        bar.addWidget(close)
        self.frame.set_buttons(bar)

    def copy_facts(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(f"{k}: {v}" for k, v in self.facts))


class WhatsNewDialog(QDialog):
    HELP_PAGE = "tro-giup"

    def __init__(self, releases: list[guide.Release] | None = None, parent=None, *, after_upgrade: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Có gì mới trong BVTE")
        self.frame = DialogFrame(self, width=640, height=460)
        releases = guide.releases() if releases is None else releases
        head = (f"<p>BVTE đã được nâng cấp lên phiên bản <b>{escape(__version__)}</b>. Những thay đổi:</p>"
                if after_upgrade else "")
        body = "".join(f"<h3 style='margin-bottom:2px'>Phiên bản {escape(r.version)} {escape(r.heading)}</h3>"
                       f"<ul>{''.join(f'<li>{escape(i)}</li>' for i in r.items)}</ul>" for r in releases)
        self.text = QLabel(head + body)
        self.text.setObjectName("whats_new_text")
        self.text.setWordWrap(True)
        self.frame.body.addWidget(self.text)
        self.frame.body.addStretch(1)
        note = QLabel("Xem lại bất cứ lúc nào: menu Trợ giúp → Có gì mới.")
        note.setStyleSheet("color:#555;")
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        bar = QHBoxLayout()
        bar.addWidget(note)
        bar.addStretch(1)
        bar.addWidget(close)
        self.frame.set_buttons(bar)


def whats_new_once(settings: QSettings, username: str, parent=None) -> WhatsNewDialog | None:
    """After an upgrade, the list of what changed, once per account. The version last shown is kept in the
    window settings file beside the data (no database change). A folder whose window was never opened is a
    new office: nothing is new to it. A folder opened before this version kept the version shown (older
    programs did not): it gets the current version's list."""
    key = SEEN_KEY + username
    seen = settings.value(key)
    if seen is None:
        seen = "" if settings.contains("main/geometry") else None
    settings.setValue(key, __version__)
    settings.sync()
    releases = guide.whats_new(seen, __version__)
    if not releases:
        return None
    dialog = WhatsNewDialog(releases, parent, after_upgrade=True)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.show()  # not modal: the work of the day comes first
    return dialog
