"""Exporting the period report (to a USB stick) and, at the receiving end, merging communes' reports."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QSpinBox, QWidget,
)

from models.clock import today
from desktop.actions.reports import export_report, merge_reports, pdf_path
from models.reports.merge import MergeError
from models.reports.period import PeriodError, custom_period, named_period
from models.reports.protect import MIN_PASSWORD, PasswordError, check_password
from models.reports.safe_write import ReportWriteError, verify_checksum
from models.security.roles import NotAllowed

from desktop.common.frame import DialogFrame
from desktop.common.worker import Cancelled, run_cancellable, run_with_progress

KINDS = [("H1", "6 tháng đầu năm"), ("9M", "9 tháng đầu năm"), ("Y", "Cả năm"), ("range", "Khoảng ngày tự chọn")]
USER_ERRORS = (PeriodError, PasswordError, ReportWriteError, NotAllowed, MergeError)


def _default_kind(d: date) -> str:
    """The report due next (seed 003: 6 months by 15/5, 9 months by 15/9, the year by 10/11)."""
    if d.month < 7:
        return "H1"
    if d.month < 10:
        return "9M"
    return "Y"


class ExportReportDialog(QDialog):
    HELP_PAGE = "bao-cao-dinh-ky"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, ws, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.result_path: Path | None = None
        self.result_pdf: Path | None = None
        self.setWindowTitle("Xuất báo cáo gửi cấp trên")
        self.setMinimumWidth(560)
        now = today()

        self.kind = QComboBox()
        for code, label in KINDS:
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex([k for k, _ in KINDS].index(_default_kind(now)))
        self.year = QSpinBox()
        self.year.setRange(2017, 2100)
        self.year.setValue(now.year)
        self.start = QDateEdit(QDate(now.year, 1, 1))
        self.end = QDateEdit(QDate(now.year, now.month, now.day))
        for d in (self.start, self.end):
            d.setDisplayFormat("dd/MM/yyyy")
            d.setCalendarPopup(True)
        self.range_row = QWidget()
        rr = QHBoxLayout(self.range_row)
        rr.setContentsMargins(0, 0, 0, 0)
        rr.addWidget(QLabel("Từ ngày"))
        rr.addWidget(self.start)
        rr.addWidget(QLabel("đến ngày"))
        rr.addWidget(self.end)
        self.period_text = QLabel()
        self.period_text.setWordWrap(True)

        self.with_names = QCheckBox("Kèm họ tên và nơi ở của trẻ em (tệp bắt buộc đặt mật khẩu)")
        self.protect = QCheckBox("Đặt mật khẩu cho tệp")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText(f"ít nhất {MIN_PASSWORD} ký tự")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.Password)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("Ví dụ ổ USB: E:\\")
        browse = QPushButton("Chọn thư mục…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("Kỳ báo cáo", self.kind)
        form.addRow("Năm", self.year)
        form.addRow("", self.range_row)
        form.addRow("", self.period_text)
        form.addRow("", self.with_names)
        form.addRow("", self.protect)
        form.addRow("Mật khẩu", self.password)
        form.addRow("Nhập lại mật khẩu", self.confirm)
        form.addRow("Lưu vào thư mục", folder_row)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Xuất báo cáo", QDialogButtonBox.AcceptRole)
        self.buttons.addButton("Đóng", QDialogButtonBox.RejectRole)
        self.export_button.clicked.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        self.frame = DialogFrame(self, width=560)
        layout = self.frame.body
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.result)
        self.frame.set_buttons(self.buttons)

        for signal in (self.kind.currentIndexChanged, self.year.valueChanged, self.start.dateChanged,
                       self.end.dateChanged, self.with_names.toggled, self.protect.toggled):
            signal.connect(self._refresh)
        self._refresh()

    def choose_period(self, code: str) -> None:
        """Preset the period (from a report deadline of the to-do list)."""
        from models.reports.period import parse_period

        p = parse_period(code)
        kind = {f"{p.start.year}-H1": "H1", f"{p.start.year}-9M": "9M", str(p.start.year): "Y"}.get(p.code, "range")
        self.kind.setCurrentIndex([k for k, _ in KINDS].index(kind))
        self.year.setValue(p.end.year)
        if kind == "range":
            self.start.setDate(QDate(p.start.year, p.start.month, p.start.day))
            self.end.setDate(QDate(p.end.year, p.end.month, p.end.day))
        self._refresh()

    # -- state --------------------------------------------------------------------------------------------
    def period(self):
        code = self.kind.currentData()
        if code == "range":
            return custom_period(self.start.date().toPython(), self.end.date().toPython())
        return named_period(self.year.value(), code)

    def _refresh(self) -> None:
        is_range = self.kind.currentData() == "range"
        self.range_row.setVisible(is_range)
        self.year.setEnabled(not is_range)
        try:
            p = self.period()
            self.period_text.setText(f"Số liệu {p.range_text}.")
        except PeriodError as exc:
            self.period_text.setText(str(exc))
        if self.with_names.isChecked():
            self.protect.setChecked(True)
        self.protect.setEnabled(not self.with_names.isChecked())
        on = self.protect.isChecked()
        self.password.setEnabled(on)
        self.confirm.setEnabled(on)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu báo cáo (ví dụ ổ USB)", self.folder.text())
        if folder:
            self.folder.setText(folder)

    # -- action -------------------------------------------------------------------------------------------
    def export(self) -> Path | None:
        self.error.clear()
        self.result.clear()
        try:
            period = self.period()
        except PeriodError as exc:
            self.error.setText(str(exc))
            return None
        folder = self.folder.text().strip()
        if not folder:
            self.error.setText("Chọn thư mục lưu báo cáo (ví dụ ổ USB).")
            return None
        if not Path(folder).is_dir():
            self.error.setText(f"Không tìm thấy thư mục {folder}. Nếu lưu vào ổ USB, hãy kiểm tra ổ đã được cắm "
                               "và mở được, rồi chọn lại thư mục.")
            return None
        password = None
        with_names = self.with_names.isChecked()
        if self.protect.isChecked() or with_names:
            # Ticked "Đặt mật khẩu" means a password: an empty one is refused, never a file without one.
            password = self.password.text()
            if not password:
                self.error.setText(
                    f"Báo cáo có họ tên trẻ em phải được đặt mật khẩu. Hãy nhập mật khẩu (ít nhất {MIN_PASSWORD} "
                    "ký tự) hai lần." if with_names else
                    f"Đã chọn «Đặt mật khẩu cho tệp» nhưng chưa nhập mật khẩu. Hãy nhập mật khẩu (ít nhất "
                    f"{MIN_PASSWORD} ký tự) hai lần, hoặc bỏ chọn «Đặt mật khẩu cho tệp».")
                self.password.setFocus()
                return None
            try:
                check_password(password)
            except PasswordError as exc:
                self.error.setText(str(exc))
                self.password.setFocus()
                return None
            if password != self.confirm.text():
                self.error.setText("Hai lần nhập mật khẩu không giống nhau.")
                self.confirm.setFocus()
                return None
        try:
            path = run_cancellable(self, "Đang xuất báo cáo…", lambda progress: export_report(
                self.ws, period, Path(folder), with_names=with_names, password=password, progress=progress))
        except Cancelled:
            self.error.setText("Đã huỷ xuất báo cáo. Không có tệp nào được ghi.")
            return None
        except USER_ERRORS as exc:
            self.error.setText(str(exc))
            return None
        self.result_path = path
        checked = "đã kiểm tra mã SHA-256" if verify_checksum(path) else "chưa kiểm tra được mã SHA-256"
        pdf = pdf_path(path)
        self.result_pdf = pdf if pdf.exists() else None
        self.result.setText(
            f"Đã lưu báo cáo {period.label} vào:\n{path}\n(kèm tệp mã kiểm tra {path.name}.sha256; {checked})."
            + (f"\nBáo cáo bằng văn bản (có số, ngày, chữ ký): {pdf.name}" if self.result_pdf else "")
            + ("\nTệp có mật khẩu: hãy báo mật khẩu cho người nhận qua điện thoại, không gửi kèm tệp." if password else "")
        )
        return path


class MergeDialog(QDialog):
    """The receiving side: choose the communes' files and where to write the consolidated workbook."""
    HELP_PAGE = "bao-cao-dinh-ky"  # F1: this screen's page of the guide (resources/help)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.report = None
        self.setWindowTitle("Tổng hợp báo cáo của các xã")
        self.files = QListWidget()
        add = QPushButton("Thêm tệp…")
        add.clicked.connect(self._add)
        remove = QPushButton("Bỏ tệp đã chọn")
        remove.clicked.connect(lambda: [self.files.takeItem(self.files.row(i)) for i in self.files.selectedItems()])
        self.output = QLineEdit()
        self.output.setPlaceholderText("Tệp tổng hợp, ví dụ D:\\Bao cao\\tong-hop-6-thang.xlsx")
        out_button = QPushButton("Chọn…")
        out_button.clicked.connect(self._choose_output)
        self.expected = QLineEdit()
        self.expected.setPlaceholderText("Không bắt buộc: tệp Excel hoặc CSV, mỗi dòng một tên xã")
        self.expected.setToolTip("Danh sách các xã, phường, đặc khu phải báo cáo. Có danh sách này, bản tổng hợp "
                                 "liệt kê các xã chưa gửi báo cáo. Chọn một lần, lần sau được nhớ lại.")
        self.expected.setText(self._remembered_expected())
        expected_button = QPushButton("Chọn…")
        expected_button.clicked.connect(self._choose_expected)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)

        top = QHBoxLayout()
        top.addWidget(add)
        top.addWidget(remove)
        top.addStretch(1)
        out_row = QHBoxLayout()
        out_row.addWidget(QLabel("Lưu tổng hợp vào"))
        out_row.addWidget(self.output, 1)
        out_row.addWidget(out_button)
        expected_row = QHBoxLayout()
        expected_row.addWidget(QLabel("Danh sách xã của tỉnh"))
        expected_row.addWidget(self.expected, 1)
        expected_row.addWidget(expected_button)
        buttons = QDialogButtonBox()
        self.merge_button = buttons.addButton("Tổng hợp", QDialogButtonBox.AcceptRole)
        buttons.addButton("Đóng", QDialogButtonBox.RejectRole)
        self.merge_button.clicked.connect(self.merge)
        buttons.rejected.connect(self.reject)

        self.frame = DialogFrame(self, width=640, height=480)
        layout = self.frame.body
        layout.addWidget(QLabel("Các tệp báo cáo của xã (.xlsx):"))
        layout.addLayout(top)
        layout.addWidget(self.files, 1)
        layout.addLayout(out_row)
        layout.addLayout(expected_row)
        layout.addWidget(self.error)
        layout.addWidget(self.summary, 1)
        self.frame.set_buttons(buttons)

    def add_files(self, paths) -> None:
        have = set(self.paths())
        for p in paths:
            if str(p) not in have:
                self.files.addItem(str(p))

    def paths(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def _add(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(self, "Chọn các tệp báo cáo của xã", "", "Bảng tính Excel (*.xlsx)")
        self.add_files(chosen)

    def _choose_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp tổng hợp", self.output.text(), "Bảng tính Excel (*.xlsx)")
        if path:
            self.output.setText(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def _settings(self):
        """The main window's small settings file (per data folder), or None outside the main window."""
        getter = getattr(self.parent(), "_window_settings", None)
        return getter() if callable(getter) and getattr(self.parent(), "ws", None) is not None else None

    def _remembered_expected(self) -> str:
        settings = self._settings()
        value = settings.value("merge/expected_communes", "") if settings is not None else ""
        return value if isinstance(value, str) else ""

    def _choose_expected(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn danh sách xã của tỉnh", self.expected.text(),
                                              "Danh sách xã (*.xlsx *.csv *.txt)")
        if path:
            self.expected.setText(path)

    def merge(self):
        self.error.clear()
        self.summary.clear()
        paths = self.paths()
        if not paths:
            self.error.setText("Thêm ít nhất một tệp báo cáo của xã.")
            return None
        out = self.output.text().strip()
        if not out:
            self.error.setText("Chọn nơi lưu tệp tổng hợp.")
            return None
        expected = self.expected.text().strip() or None
        try:
            self.report = run_with_progress(self, "Đang tổng hợp báo cáo…",
                                            lambda: merge_reports(paths, Path(out), expected=expected))
        except USER_ERRORS as exc:
            self.error.setText(str(exc))
            return None
        settings = self._settings()
        if settings is not None:  # the list serves every period: offered again next time
            settings.setValue("merge/expected_communes", expected or "")
        self.summary.setPlainText(self.report.summary_text())
        return self.report
