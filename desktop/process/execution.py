"""Carrying out the plan: each activity of the running (approved) version with its status, its dated
progress notes, and activities past their expected end flagged in red."""
from __future__ import annotations

from html import escape

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from models.clock import now
from models.services import plan as service
from models.services.process_rules import ACTIVITY_STATUSES, activity_status_label

from ..fields import date_edit, multiline
from .base import LATE_COLOUR, ProcessDialog, fmt_date, qdate, wrap_label

COLUMNS = ("Stt", "Tên hoạt động", "Cán bộ thực hiện", "Bắt đầu", "Dự kiến kết thúc", "Trạng thái")


class ExecutionDialog(ProcessDialog):
    FORM = "hoat_dong"
    TITLE = "Thực hiện kế hoạch hỗ trợ, can thiệp"

    def build(self) -> None:
        self.state = wrap_label("")
        self.state.setObjectName("execution_state")
        self.body.addWidget(self.state)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("activities")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        for col, width in ((0, 40), (2, 170), (3, 90), (4, 120), (5, 170)):
            self.table.setColumnWidth(col, width)
        self.table.setMinimumHeight(180)
        self.table.currentCellChanged.connect(lambda *_: self._show_history())
        self.body.addWidget(self.table)
        self.legend = wrap_label("Dòng màu đỏ: hoạt động đã quá ngày dự kiến kết thúc mà chưa hoàn thành.",
                                 style=f"color:{LATE_COLOUR};")
        self.body.addWidget(self.legend)
        self.history = QLabel()
        self.history.setObjectName("history")
        self.history.setWordWrap(True)
        self.body.addWidget(self.history)

        form = self.section("Ghi tiến độ cho hoạt động đang chọn")
        status = QComboBox()
        for code in ACTIVITY_STATUSES:
            status.addItem(activity_status_label(code), code)
        self.add_field(form, "status", "Trạng thái", status, required=True)
        self.add_field(form, "noted_on", "Ngày ghi", date_edit(), required=True)
        self.add_field(form, "note", "Ghi chú tiến độ", multiline(height=55))
        self.record_button = self.add_button("Ghi tiến độ", "record", self.record, allowed=self.can_edit())
        self.plan = None
        self.version = None

    def load(self) -> None:
        latest_ra = max((r.id for r in self.case.risk_assessments), default=None)
        plans = [p for p in self.case.plans if p.risk_assessment_id == latest_ra] or self.case.plans
        self.plan = plans[-1] if plans else None
        self.version = service.running_version(self.plan) if self.plan else None
        self.widgets["noted_on"].setDate(qdate(None))
        row = max(self.table.currentRow(), 0)
        self.table.setRowCount(0)
        if self.version is None:
            self.state.setText("Chưa có kế hoạch đã được phê duyệt để thực hiện.")
            self.record_button.setEnabled(False)
            self.history.clear()
            return
        a = self.version.approval
        self.state.setText(f"Kế hoạch phiên bản {self.version.version}, quyết định số {service.decision_number(a)}; "
                           f"thực hiện từ {fmt_date(a.effective_from)} đến {fmt_date(a.effective_to)}.")
        statuses = service.activity_statuses(self.plan)
        late = {x.key for x in service.overdue_activities(self.plan, now().date())}
        red = QBrush(QColor(LATE_COLOUR))
        for r, act in enumerate(self.version.activities):
            self.table.insertRow(r)
            cells = (str(r + 1), act.name, act.responsible, fmt_date(act.start_on), fmt_date(act.end_on),
                     activity_status_label(statuses.get(act.key, "chua_bat_dau"))
                     + (" — quá hạn" if act.key in late else ""))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if act.key in late:
                    item.setForeground(red)
                self.table.setItem(r, col, item)
        self.table.setCurrentCell(min(row, self.table.rowCount() - 1), 0)
        self.record_button.setEnabled(self.table.rowCount() > 0)
        self._show_history()

    def _activity(self):
        r = self.table.currentRow()
        if self.version is None or not 0 <= r < len(self.version.activities):
            return None
        return self.version.activities[r]

    def _show_history(self) -> None:
        act = self._activity()
        if act is None:
            self.history.clear()
            return
        notes = [p for p in self.plan.progress if p.activity_key == act.key]
        items = "".join(f"<li>{fmt_date(p.noted_on)} — {escape(activity_status_label(p.status))}"
                        f"{': ' + escape(p.note) if p.note else ''}</li>" for p in notes)
        self.history.setText(f"<b>Tiến độ của hoạt động: {escape(act.name)}</b>"
                             + (f"<ul>{items}</ul>" if items else "<br><i>Chưa ghi tiến độ.</i>"))

    def select_activity(self, row: int) -> None:
        self.table.setCurrentCell(row, 0)

    def record(self) -> None:
        act = self._activity()
        if act is None:
            self.top_error.show_message("Chọn một hoạt động trong bảng trước.")
            return
        raw = self.values()
        ok, _ = self.run(lambda: service.record_progress(self.db, self.actor, self.plan.id, act.key, raw))
        if ok:
            self.widgets["note"].clear()
            self.done_saving(f"Đã ghi tiến độ: {act.name}.")
