"""The audit trail on screen: who did what and when, filtered, with the chain check at the top."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableView, 
)

from models.clock import fmt_datetime
from models.services.accounts import Workspace
from models.services.audit_log import (
    ACTION_WORDS, AuditFilter, AuditRow, audit_actions, audit_users, case_filter, check_chain, count_events,
    fetch_events,
)

from desktop.common.frame import DialogFrame, read_only_table
from desktop.common.fields import ERROR_STYLE, date_edit, vn_today
from desktop.common.paged_model import PagedTableModel

SEARCH_DELAY_MS = 150
OK_STYLE = "color: #1b5e20; font-weight: bold;"
BROKEN_STYLE = ERROR_STYLE + " font-weight: bold;"
COLUMNS = ["Thời gian", "Người dùng", "Việc", "Đối tượng", "Trường", "Giá trị cũ", "Giá trị mới", "Ghi chú"]
OBJECT_COLUMN = 3
LONG_TEXT = 80  # longer values are cut in the cell; the tooltip shows them whole


def _short(text: str) -> str:
    text = " ".join("; ".join(line for line in text.splitlines() if line.strip()).split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


class AuditLogModel(PagedTableModel[AuditFilter, AuditRow]):
    columns = COLUMNS

    def __init__(self, ws: Workspace, flt: AuditFilter, parent=None):
        self._ws = ws
        super().__init__(flt, parent)

    def count_rows(self, flt: AuditFilter) -> int:
        return count_events(self._ws, flt)

    def fetch_rows(self, flt: AuditFilter, offset: int, limit: int) -> list[AuditRow]:
        return fetch_events(self._ws, flt, offset, limit)

    def fetch_after(self, flt: AuditFilter, last: AuditRow, offset: int, limit: int) -> list[AuditRow]:
        return fetch_events(self._ws, flt, limit=limit, after=last)

    def row(self, index: int) -> AuditRow:
        return self._rows[index]

    def cell_text(self, row: AuditRow, col: int) -> str:
        return (
            fmt_datetime(row.at), row.user_words, row.action_word, row.entity_words, row.field_words,
            row.old_words, row.new_words, row.detail,
        )[col]

    def cell(self, row: AuditRow, column: int):
        return _short(self.cell_text(row, column))

    def tooltip(self, row: AuditRow, column: int):
        return self.cell_text(row, column) or None


class AuditLogDialog(QDialog):
    HELP_PAGE = "nhat-ky-truy-cap"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, ws: Workspace, parent=None, *, case_code: str | None = None):
        ws.actor.require("audit.view")
        super().__init__(parent)
        self.ws = ws
        self.case_code = case_code
        self.setWindowTitle(f"Lịch sử hồ sơ {case_code}" if case_code else "Nhật ký sử dụng")
        self.frame = DialogFrame(self, width=1200, height=640)
        layout = self.frame.body

        self.chain_label = QLabel()
        self.chain_label.setObjectName("chain")
        self.chain_label.setWordWrap(True)
        layout.addWidget(self.chain_label)
        if case_code:
            intro = QLabel(f"Mọi lần xem, tạo, sửa, in và xuất hồ sơ {case_code}, mới nhất ở trên.")
            intro.setWordWrap(True)
            layout.addWidget(intro)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Tìm trong nhật ký: mã hồ sơ, tên, nội dung (gõ có dấu hoặc không dấu)…")
        self.search.setClearButtonEnabled(True)
        self.user = QComboBox()
        self.user.setObjectName("user")
        self.user.addItem("Mọi người dùng", None)
        for username, full_name in audit_users(ws):
            self.user.addItem(f"{full_name} ({username})" if full_name else username, username)
        self.action = QComboBox()
        self.action.setObjectName("action")
        self.action.addItem("Mọi việc", None)
        for code in audit_actions(ws):
            self.action.addItem(ACTION_WORDS.get(code, code), code)
        today = vn_today()
        self.use_from = QCheckBox("Từ ngày")
        self.use_from.setObjectName("use_from")
        self.date_from = date_edit()
        self.date_from.setObjectName("date_from")
        self.date_from.setDate(today.addDays(-30))
        self.use_to = QCheckBox("đến ngày")
        self.use_to.setObjectName("use_to")
        self.date_to = date_edit()
        self.date_to.setObjectName("date_to")
        self.date_to.setDate(today)
        for box, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            edit.setEnabled(False)
            box.toggled.connect(edit.setEnabled)

        first = QHBoxLayout()
        first.addWidget(self.search, 1)
        layout.addLayout(first)
        second = QHBoxLayout()
        second.addWidget(QLabel("Người dùng:"))
        second.addWidget(self.user)
        second.addWidget(QLabel("Việc:"))
        second.addWidget(self.action)
        second.addSpacing(12)
        second.addWidget(self.use_from)
        second.addWidget(self.date_from)
        second.addWidget(self.use_to)
        second.addWidget(self.date_to)
        second.addStretch(1)
        layout.addLayout(second)

        self.model = AuditLogModel(ws, self.current_filter(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_table(self.table, "events", widths=(118, 170, 80, 150, 190, 130, 150), wrap=False,
                        alternating=True, row_room=8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.Interactive)
        self.table.setColumnHidden(OBJECT_COLUMN, bool(case_code))
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        bottom.addWidget(self.count_label, 1)
        self.recheck_button = QPushButton("Kiểm tra lại nhật ký")
        self.recheck_button.setAutoDefault(False)
        self.recheck_button.clicked.connect(self.check_chain)
        close = QPushButton("Đóng")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        bottom.addWidget(self.recheck_button)
        bottom.addWidget(close)
        self.frame.set_buttons(bottom)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        for combo in (self.user, self.action):
            combo.currentIndexChanged.connect(self.apply_filter)
        for box in (self.use_from, self.use_to):
            box.toggled.connect(self.apply_filter)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.apply_filter)

        self.check_chain()
        self._update_count()

    # -- filter ----------------------------------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        base = case_filter(self.case_code) if self.case_code else AuditFilter()
        return AuditFilter(
            text=self.search.text(),
            username=self.user.currentData(),
            action=self.action.currentData(),
            entity_id=base.entity_id,
            date_from=self.date_from.date().toPython() if self.use_from.isChecked() else None,
            date_to=self.date_to.date().toPython() if self.use_to.isChecked() else None,
            entity=base.entity,
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.total
        if total:
            self.count_label.setText(f"{total:,} mục".replace(",", "."))
        elif self.case_code and self.model.filter == case_filter(self.case_code):
            self.count_label.setText("Chưa có mục nào về hồ sơ này.")
        else:
            self.count_label.setText("Không có mục nào phù hợp.")

    # -- chain -------------------------------------------------------------------------------------------
    def check_chain(self) -> None:
        report = check_chain(self.ws)
        if report.ok:
            self.chain_label.setStyleSheet(OK_STYLE)
            self.chain_label.setText(f"✓ {report.message}")
        else:
            self.chain_label.setStyleSheet(BROKEN_STYLE)
            self.chain_label.setText(
                f"⚠ {report.message} Nhật ký có thể đã bị sửa ngoài chương trình. "
                "Hãy giữ nguyên tệp dữ liệu và báo cho quản trị viên hoặc lãnh đạo."
            )
        self.chain_ok = report.ok
