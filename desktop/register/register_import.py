"""Importing a children list from Excel: choose the file, check (or set) which column is which field,
preview the report, then import all good rows at once — or cancel, and nothing is written.
The checking and the writing run in a worker thread; the worker never touches widgets."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QProgressBar, QPushButton,
    QTableWidget, QTableWidgetItem, 
)

from models import validation as v
from models.services.accounts import Workspace
from models.services.register_import import CHILD_FIELDS, Cancelled, ImportReport, PreparedImport, prepare, run_import

from desktop.common.frame import DialogFrame


class _ImportWorker(QThread):
    finished_ok = Signal(object)  # ImportReport
    failed = Signal(str)
    progressed = Signal(int, int)

    def __init__(self, ws: Workspace, prepared: PreparedImport, write: bool, parent=None):
        super().__init__(parent)
        self.ws, self.prepared, self.write = ws, prepared, write
        self._stop = False

    def stop(self) -> None:
        self._stop = True

    def run(self) -> None:
        try:
            report = run_import(self.ws.db, self.ws.actor, self.prepared, write=self.write,
                                should_stop=lambda: self._stop, progress=lambda d, t: self.progressed.emit(d, t))
        except Cancelled:
            self.failed.emit("Đã huỷ: không có dòng nào được ghi vào sổ.")
        except v.Invalid as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - shown to the user; nothing was written (one transaction)
            self.failed.emit(f"Không nhập được: {exc}. Không có dòng nào được ghi vào sổ.")
        else:
            self.finished_ok.emit(report)


class ImportDialog(QDialog):
    HELP_PAGE = "nhap-danh-sach"  # F1: this screen's page of the guide (resources/help)
    imported = Signal(object)  # ImportReport, after rows were written

    def __init__(self, ws: Workspace, parent=None, path: Path | None = None):
        super().__init__(parent)
        self.ws = ws
        self.prepared: PreparedImport | None = None
        self.report: ImportReport | None = None
        self.worker: _ImportWorker | None = None
        self.setWindowTitle("Nhập danh sách trẻ em từ tệp Excel")

        self.file_label = QLabel("Chưa chọn tệp. Tệp Excel (.xlsx) có một dòng tiêu đề cột; tệp xuất từ BVTE được nhận ra tự động.")
        self.file_label.setObjectName("file_label")
        self.file_label.setWordWrap(True)
        self.choose = QPushButton("Chọn tệp…")
        self.choose.setObjectName("choose")
        self.choose.clicked.connect(self._choose_file)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose)

        self.mapping_hint = QLabel("Ghép cột của tệp với từng trường (chỉ cần «Họ và tên»; trường nào không có thì để «Không dùng»):")
        self.mapping_hint.setWordWrap(True)
        self.mapping = QTableWidget(len(CHILD_FIELDS), 2)
        self.mapping.setObjectName("mapping")
        self.mapping.setHorizontalHeaderLabels(["Trường trong sổ", "Cột trong tệp"])
        self.mapping.verticalHeader().hide()
        self.mapping.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.combos: dict[str, QComboBox] = {}
        for r, f in enumerate(CHILD_FIELDS):
            item = QTableWidgetItem(f.header + (" (bắt buộc)" if f.required else ""))
            item.setFlags(Qt.ItemIsEnabled)
            self.mapping.setItem(r, 0, item)
            combo = QComboBox()
            combo.setObjectName(f"map_{f.key}")
            self.combos[f.key] = combo
            self.mapping.setCellWidget(r, 1, combo)
        self.mapping.setMinimumHeight(200)

        self.report_view = QPlainTextEdit()
        self.report_view.setObjectName("report")
        self.report_view.setReadOnly(True)
        self.report_view.setPlaceholderText("Báo cáo kiểm tra các dòng sẽ hiện ở đây.")
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)

        self.check_button = QPushButton("Kiểm tra các dòng")
        self.check_button.setObjectName("check")
        self.import_button = QPushButton("Nhập vào sổ")
        self.import_button.setObjectName("do_import")
        self.cancel_button = QPushButton("Huỷ")
        self.cancel_button.setObjectName("cancel")
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.do_import)
        self.cancel_button.clicked.connect(self._cancel)
        self.import_button.setEnabled(False)
        self.check_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)

        self.frame = DialogFrame(self, width=900, height=680)
        layout = self.frame.body
        layout.addLayout(top)
        layout.addWidget(self.mapping_hint)
        layout.addWidget(self.mapping, 2)
        layout.addWidget(QLabel("Kết quả kiểm tra:"))
        layout.addWidget(self.report_view, 3)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.frame.set_buttons(buttons)
        if path is not None:
            self.load_file(path)

    # -- file and mapping --------------------------------------------------------------------------------
    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Chọn tệp danh sách trẻ em", "", "Tệp Excel (*.xlsx)")
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        try:
            self.prepared = prepare(path)
        except v.Invalid as exc:
            self.status.setText(str(exc))
            return
        p = self.prepared
        recognised = len(p.mapping)
        where = f"dòng tiêu đề là dòng {p.header_row + 1}" if p.header_row is not None else "không thấy dòng tiêu đề"
        self.file_label.setText(f"Tệp: {p.file_name} — trang «{p.sheet.title}», {where}; "
                                f"nhận ra {recognised} cột.")
        for f in CHILD_FIELDS:
            combo = self.combos[f.key]
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("Không dùng", None)
            for i, h in enumerate(p.headers):
                combo.addItem(h, i)
            combo.setCurrentIndex(combo.findData(p.mapping.get(f.key)) if f.key in p.mapping else 0)
            combo.blockSignals(False)
        self.check_button.setEnabled(True)
        self.import_button.setEnabled(False)
        self.report = None
        self.report_view.clear()
        self.status.setText("" if not p.needs_mapping else "Chọn cột nào là «Họ và tên» của trẻ rồi bấm Kiểm tra.")

    def current_mapping(self) -> dict[str, int]:
        return {key: combo.currentData() for key, combo in self.combos.items() if combo.currentData() is not None}

    # -- checking and importing --------------------------------------------------------------------------
    def _start(self, write: bool) -> None:
        if self.prepared is None:
            return
        self.prepared.mapping = self.current_mapping()
        if self.prepared.needs_mapping:
            self.status.setText("Chưa chọn cột «Họ và tên»: chọn cột chứa họ tên trẻ trong bảng ghép cột.")
            return
        self.worker = _ImportWorker(self.ws, self.prepared, write, self)
        self.worker.finished_ok.connect(lambda report: self._done(report, write))
        self.worker.failed.connect(self._failed)
        self.worker.progressed.connect(self._progress)
        for b in (self.check_button, self.import_button, self.choose):
            b.setEnabled(False)
        self.status.setText("Đang ghi vào sổ…" if write else "Đang kiểm tra các dòng…")
        self.progress.setValue(0)
        self.progress.show()
        self.worker.start()

    def check(self) -> None:
        self._start(write=False)

    def do_import(self) -> None:
        self._start(write=True)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _done(self, report: ImportReport, write: bool) -> None:
        self.progress.hide()
        self.report = report
        self.report_view.setPlainText(report.text())
        self.choose.setEnabled(True)
        self.check_button.setEnabled(not write)
        if write:
            self.status.setText("Đã nhập xong. Báo cáo ở trên; các dòng bị từ chối có thể sửa trong tệp rồi nhập lại.")
            self.import_button.setEnabled(False)
            self.cancel_button.setText("Đóng")
            self.imported.emit(report)
        else:
            good = report.rows_accepted
            self.import_button.setText(f"Nhập {good} dòng hợp lệ vào sổ")
            self.import_button.setEnabled(good > 0)
            self.status.setText(
                "Chưa ghi gì vào sổ. Kiểm tra báo cáo rồi bấm Nhập; bấm Huỷ để không nhập gì."
                if good else "Không có dòng hợp lệ nào để nhập.")

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.status.setText(message)
        self.choose.setEnabled(True)
        self.check_button.setEnabled(self.prepared is not None)

    def _cancel(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.worker.stop()
            self.worker.wait()
        self.reject()

    def closeEvent(self, event) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.worker.stop()
            self.worker.wait()
        super().closeEvent(event)
