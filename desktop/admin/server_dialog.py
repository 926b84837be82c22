"""First start: "Máy chủ trong cơ quan" — this workstation uses the office's shared PostgreSQL server.

The province IT officer gives two things (docs/may-chu-postgresql.md): the server's address (a postgresql:// URL with
`sslmode=verify-full` and the office certificate) and the office key file `keys.json` (the BVTE accounts). The dialog
checks both — the address's form and that the server answers and holds an office — before anything is written to
the data folder; then the usual log-in box follows.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget,
)

from models import paths
from models.security.vault import KEYS_FILENAME, Vault, VaultError

from desktop.common.frame import DialogFrame
from desktop.common.password_dialog import error_label

INTRO = ("Máy này sẽ dùng dữ liệu chung của cơ quan trên máy chủ PostgreSQL trong mạng nội bộ. Cán bộ kỹ thuật của "
         "cơ quan cho biết địa chỉ máy chủ và đưa tệp khoá của cơ quan; xem hướng dẫn cài máy chủ.")


class ServerConnectDialog(QDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.folder = folder
        self.setWindowTitle("BVTE — Máy chủ trong cơ quan")
        self.frame = DialogFrame(self, width=640, height=360)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.frame.body.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setObjectName("url")
        self.url.setPlaceholderText("postgresql://bvte_app@may-chu.ubnd.local/bvte_db?sslmode=verify-full&sslrootcert=…")
        form.addRow("Địa chỉ máy chủ", self.url)
        self.keys = QLineEdit()
        self.keys.setObjectName("keys")
        browse = QPushButton("Chọn tệp…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.keys, 1)
        row.addWidget(browse)
        form.addRow("Tệp khoá của cơ quan", row)
        self.frame.body.addLayout(form)
        self.message = error_label()
        self.frame.body.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Kết nối")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Quay lại")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.frame.set_buttons(self.buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Tệp khoá của cơ quan", "", "Tệp khoá (keys.json);;Mọi tệp (*)")
        if name:
            self.keys.setText(name)

    def accept(self) -> None:
        from models.db import Database, DatabaseError
        from models.server import _has_office, parse_url

        url, keys = self.url.text().strip(), Path(self.keys.text().strip())
        try:
            parse_url(url)
        except DatabaseError as exc:
            self.message.setText(str(exc))
            self.url.setFocus()
            return
        try:
            Vault._read(keys)
        except (VaultError, OSError, ValueError):
            self.message.setText("Chưa chọn được tệp khoá của cơ quan, hoặc tệp không đúng. Hãy chọn tệp "
                                 "cán bộ kỹ thuật đưa.")
            self.keys.setFocus()
            return
        db = Database(self.folder, b"", server_url=url)
        try:
            db.check_key()
            if not _has_office(db):
                self.message.setText("Máy chủ trả lời, nhưng cơ sở dữ liệu này chưa có dữ liệu của cơ quan. Hãy kiểm tra "
                                     "địa chỉ với cán bộ kỹ thuật.")
                return
        except DatabaseError as exc:
            self.message.setText(str(exc))
            return
        finally:
            db.dispose()
        from models.server import write_server_url

        self.folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(keys, self.folder / KEYS_FILENAME)
        write_server_url(self.folder, url)
        paths.make_private(self.folder)
        super().accept()


def connect_to_server(parent: QWidget | None, folder: Path) -> bool:
    """True once the folder points at the office server (the caller then shows the log-in box)."""
    return ServerConnectDialog(folder, parent).exec() == QDialog.Accepted
