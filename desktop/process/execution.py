"""Carrying out the plan: each activity of the running (approved) version with its status, its dated
progress notes, and activities past their expected end flagged in red.

The screen opens on the activity the user came for (from the to-do list), else on the first one not yet
done; the status box always starts at the chosen activity's stored status. Moving a status backwards
(Hoàn thành → Đang thực hiện…) asks for a reason and a confirmation: finished work is not undone by a
click."""
from __future__ import annotations

from html import escape

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from models.clock import now
from models.services import plan as service
from models.process_rules import ACTIVITY_STATUSES, DONE_STATUSES, activity_status_label, is_backward

from desktop.common import messages
from desktop.common.fields import date_edit, multiline
from desktop.process.base import LATE_COLOUR, ProcessDialog, fmt_date, qdate, wrap_label
from desktop.common.frame import read_only_table

COLUMNS = ("Stt", "Tên hoạt động", "Cán bộ thực hiện", "Bắt đầu", "Dự kiến kết thúc", "Trạng thái")


class ExecutionDialog(ProcessDialog):
    HELP_PAGE = "thuc-hien-ke-hoach"  # F1: this screen's page of the guide (resources/help)
    FORM = "hoat_dong"
    TITLE = "Thực hiện kế hoạch hỗ trợ, can thiệp"

    def build(self) -> None:
        self.state = wrap_label("")
        self.state.setObjectName("execution_state")
        self.body.addWidget(self.state)
        self.table = read_only_table(QTableWidget(0, len(COLUMNS)), "activities", widths=(40, 0, 170, 90, 120, 170))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.setMinimumHeight(180)
        self.table.currentCellChanged.connect(self._row_changed)
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
        # Shown only when the chosen status goes backwards: the reason is then required.
        self.reason_box = QWidget()
        box = QVBoxLayout(self.reason_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        reason = multiline(height=45)
        reason.setObjectName("reason")
        reason.setMaximumHeight(90)
        box.addWidget(reason)
        box.addWidget(wrap_label("Bắt buộc khi chuyển một hoạt động về trạng thái trước đó (ví dụ từ «Hoàn thành» "
                                 "về «Đang thực hiện»). Lý do được lưu trong hồ sơ và nhật ký.", style="color:#555;"))
        self.widgets["reason"] = reason
        self.errors["reason"] = self.add_error("reason", box)
        self.reason_label = QLabel("Lý do chuyển trạng thái lùi lại *")
        self.reason_label.setWordWrap(True)
        self.reason_label.setMinimumWidth(180)
        self.reason_label.setBuddy(reason)
        form.addRow(self.reason_label, self.reason_box)
        self.reason_label.hide()
        self.reason_box.hide()
        status.currentIndexChanged.connect(lambda _i: self._status_changed())
        self.record_button = self.add_button("Ghi tiến độ", "record", self.record, allowed=self.can_edit())
        self.plan = None
        self.version = None
        self._focus_key: int | None = None

    def load(self) -> None:
        latest_ra = max((r.id for r in self.case.risk_assessments), default=None)
        plans = [p for p in self.case.plans if p.risk_assessment_id == latest_ra] or self.case.plans
        self.plan = plans[-1] if plans else None
        self.version = service.running_version(self.plan) if self.plan else None
        self.widgets["noted_on"].setDate(qdate(None))
        current = self._activity()
        keep = current.key if current is not None else self._focus_key
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.table.blockSignals(False)
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
        keys = [act.key for act in self.version.activities]
        if keep not in keys:  # the first activity not yet done: the one most likely to need a note
            keep = next((act.key for act in self.version.activities
                         if statuses.get(act.key, "chua_bat_dau") not in DONE_STATUSES), keys[0] if keys else None)
        self.table.blockSignals(True)
        self.table.setCurrentCell(keys.index(keep) if keep in keys else -1, 0)
        self.table.blockSignals(False)
        self.record_button.setEnabled(self.table.rowCount() > 0)
        self._row_changed()

    def focus_item(self, key: int) -> None:
        """Open on the activity the user came for (its key, from the to-do list)."""
        self._focus_key = key
        if self.version is not None:
            keys = [act.key for act in self.version.activities]
            if key in keys:
                self.table.setCurrentCell(keys.index(key), 0)

    def stored_status(self, act=None) -> str:
        act = act or self._activity()
        if act is None or self.plan is None:
            return "chua_bat_dau"
        return service.activity_statuses(self.plan).get(act.key, "chua_bat_dau")

    def _row_changed(self, *_args) -> None:
        """Another activity chosen: the fields start at its stored status, nothing carried over."""
        combo = self.widgets["status"]
        combo.blockSignals(True)
        combo.setCurrentIndex(max(combo.findData(self.stored_status()), 0))
        combo.blockSignals(False)
        self.widgets["reason"].clear()
        self._status_changed()
        self._show_history()

    def _backward(self) -> bool:
        return self._activity() is not None and is_backward(self.stored_status(), self.widgets["status"].currentData())

    def _status_changed(self) -> None:
        backward = self._backward()
        self.reason_label.setVisible(backward)
        self.reason_box.setVisible(backward)

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
                        f"{': ' + escape(p.note) if p.note else ''}"
                        f"{' (chuyển lùi, lý do: ' + escape(p.reason) + ')' if p.reason else ''}</li>" for p in notes)
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
        old, new = self.stored_status(act), raw["status"]
        if self._backward():
            self.clear_errors()
            if not raw["reason"].strip():
                self.errors["reason"].show_message(
                    f"Hoạt động đang ở trạng thái «{activity_status_label(old)}»: muốn chuyển về "
                    f"«{activity_status_label(new)}», ghi rõ lý do.")
                self.widgets["reason"].setFocus()
                return
            answer = messages.choose(
                self, "Chuyển trạng thái lùi lại",
                f"Hoạt động «{act.name}» đang ở trạng thái «{activity_status_label(old)}».\n\n"
                f"Chuyển về «{activity_status_label(new)}»? Lý do bạn ghi được lưu trong hồ sơ và nhật ký.",
                [f"Chuyển về «{activity_status_label(new)}»", f"Giữ «{activity_status_label(old)}»"],
                default=1, escape=1)
            if answer != 0:
                self._row_changed()  # back to the stored status; nothing written
                self.say(f"Đã giữ nguyên trạng thái «{activity_status_label(old)}».")
                return
        else:
            raw["reason"] = ""
        ok, _ = self.run(lambda: service.record_progress(self.db, self.actor, self.plan.id, act.key, raw))
        if ok:
            self.widgets["note"].clear()
            self.widgets["reason"].clear()
            self.done_saving(f"Đã ghi tiến độ: {act.name}.")
