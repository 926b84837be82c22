"""Mẫu số 04 — the support and intervention plan: objectives (the three printed ones and free ones), the
activities table with the cost total computed live, submitting to the chairman, and versions: an
approved version is frozen and shown read-only; "Điều chỉnh kế hoạch…" makes a new version with a reason."""
from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from models import validation as v
from models.services import plan as service
from models.services.process_common import money
from models.process_rules import activity_kinds, format_vnd, printed_objectives, process_form

from desktop.common import messages
from desktop.common.frame import fit_columns
from desktop.common.fields import date_edit, multiline
from desktop.process.base import ProcessDialog, fmt_date, fmt_datetime, qdate, wrap_label
from desktop.process.widgets import version_label

# (key, header) — the Mẫu 04 table plus what Điều 28.3 requires per activity (mau04.json extra_columns).
def activity_columns() -> list[tuple[str, str]]:
    spec = process_form("04")["organisation"]
    extra = spec["extra_columns"]["labels"]
    printed = spec["columns"]  # Stt | Tên hoạt động | Cán bộ thực hiện | Cán bộ phối hợp | Thời gian thực hiện
    return [("kind", extra["kind"]), ("name", printed[1]), ("responsible", printed[2]), ("coordinating", printed[3]),
            ("start_on", extra["start_on"]), ("end_on", extra["end_on"]), ("provider", extra["provider"]),
            ("cost", extra["cost"])]


ERROR_BRUSH = QBrush(QColor("#fde0e0"))


class ActivityTable(QWidget):
    """The activities of a plan version; value() is the list of raw activity mappings."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns = activity_columns()
        self.kinds = activity_kinds()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(self.columns))
        self.table.setObjectName("activity_table")
        self.table.setHorizontalHeaderLabels([h for _, h in self.columns])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col, width in enumerate((190, 220, 140, 130, 95, 110, 160, 110)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(QHeaderView.Interactive)
        fit_columns(self.table)  # every header whole; the table scrolls sideways if the window is narrow
        header.setStretchLastSection(False)
        self.table.setMinimumHeight(200)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton("Thêm hoạt động")
        self.add_button.setObjectName("activity_add")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = QPushButton("Xoá hoạt động đang chọn")
        self.remove_button.setObjectName("activity_remove")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_row)
        self.total = QLabel()
        self.total.setObjectName("total")
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.total)
        layout.addLayout(row)
        hint = wrap_label("Ngày ghi dạng ngày/tháng/năm (ví dụ 26/11/2026); kinh phí bằng đồng (ví dụ 1.500.000).",
                          style="color:#555;")
        layout.addWidget(hint)
        self.keys: list[int | None] = []
        self.table.itemChanged.connect(lambda _item: self.update_total())
        self.update_total()

    def add_row(self, act: dict | None = None) -> int:
        act = act or {}
        r = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(r)
        self.keys.append(act.get("key"))
        combo = QComboBox()
        combo.addItem("— chọn —", "")
        for code, text in self.kinds.items():
            combo.addItem(text.rstrip(";."), code)
        combo.setCurrentIndex(max(combo.findData(act.get("kind", "")), 0))
        self.table.setCellWidget(r, 0, combo)
        for col, (key, _) in enumerate(self.columns[1:], start=1):
            value = act.get(key, "")
            if key in ("start_on", "end_on") and value and not isinstance(value, str):
                value = fmt_date(value)
            if key == "cost" and isinstance(value, int):
                value = format_vnd(value)
            self.table.setItem(r, col, QTableWidgetItem(str(value or "")))
        self.table.blockSignals(False)
        self.update_total()
        return r

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            del self.keys[r]
            self.update_total()

    def set_cell(self, row: int, key: str, text: str) -> None:
        if key == "kind":
            combo = self.table.cellWidget(row, 0)
            combo.setCurrentIndex(combo.findData(text))
            return
        col = [k for k, _ in self.columns].index(key)
        self.table.item(row, col).setText(text)

    def value(self) -> list[dict]:
        out = []
        for r in range(self.table.rowCount()):
            act = {"key": self.keys[r], "kind": self.table.cellWidget(r, 0).currentData()}
            for col, (key, _) in enumerate(self.columns[1:], start=1):
                item = self.table.item(r, col)
                act[key] = item.text().strip() if item else ""
            out.append(act)
        return out

    def set_value(self, acts) -> None:
        self.table.setRowCount(0)
        self.keys = []
        for act in acts or []:
            self.add_row(act)

    def total_cost(self) -> int | None:
        total = 0
        for act in self.value():
            try:
                total += money(act["cost"])
            except v.Invalid:
                return None
        return total

    def update_total(self) -> None:
        total = self.total_cost()
        self.total.setText(f"Tổng kinh phí: <b>{format_vnd(total)} đồng</b>" if total is not None
                           else "Tổng kinh phí: <b style='color:#b00020'>có ô kinh phí ghi chưa đúng</b>")

    def mark_errors(self, errors: dict[str, str]) -> None:
        names = [k for k, _ in self.columns]
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            for col in range(1, len(names)):
                item = self.table.item(r, col)
                if item is not None:
                    item.setBackground(ERROR_BRUSH if f"activities.{r}.{names[col]}" in errors else QBrush())
        self.table.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers if read_only else
                                   QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                   | QAbstractItemView.AnyKeyPressed | QAbstractItemView.SelectedClicked)
        for r in range(self.table.rowCount()):
            self.table.cellWidget(r, 0).setEnabled(not read_only)
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)


class ObjectiveList(QWidget):
    """The three printed objectives as check boxes, then free objectives one per line."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for obj in printed_objectives():
            box = QCheckBox(obj["text"])
            box.setObjectName(f"obj_{obj['id']}")
            self.boxes[obj["id"]] = box
            layout.addWidget(box)
        layout.addWidget(QLabel("Mục tiêu khác (mỗi dòng một mục tiêu):"))
        self.free = multiline(height=55)
        self.free.setObjectName("free_objectives")
        self.free.setMaximumHeight(80)
        layout.addWidget(self.free)

    def value(self) -> list[dict]:
        out = [{"printed_id": pid} for pid, box in self.boxes.items() if box.isChecked()]
        out += [{"text": line.strip()} for line in self.free.toPlainText().splitlines() if line.strip()]
        return out

    def set_value(self, objectives) -> None:
        chosen = {o.get("printed_id") for o in objectives or [] if o.get("printed_id")}
        for pid, box in self.boxes.items():
            box.setChecked(pid in chosen)
        self.free.setPlainText("\n".join(o.get("text", "") for o in objectives or [] if not o.get("printed_id")))

    def set_read_only(self, read_only: bool) -> None:
        for box in self.boxes.values():
            box.setEnabled(not read_only)
        self.free.setReadOnly(read_only)


def version_content(version) -> dict:
    return {
        "drafted_by": version.drafted_by, "drafted_on": fmt_date(version.drafted_on),
        "objectives": [{"printed_id": o.printed_id, "text": o.text} for o in version.objectives],
        "activities": [{"key": a.key, "kind": a.kind, "name": a.name, "responsible": a.responsible,
                        "coordinating": a.coordinating, "start_on": a.start_on, "end_on": a.end_on,
                        "provider": a.provider, "cost": a.cost} for a in version.activities],
    }


class PlanDialog(ProcessDialog):
    HELP_PAGE = "ke-hoach-mau-04"  # F1: this screen's page of the guide (resources/help)
    FORM = "04"
    TITLE = "Mẫu số 04 — Kế hoạch hỗ trợ, can thiệp"
    DRAFTS = True

    def build(self) -> None:
        spec = self.spec = process_form("04")
        top = QHBoxLayout()
        top.addWidget(QLabel("Phiên bản:"))
        self.version_box = QComboBox()
        self.version_box.setObjectName("versions")
        self.version_box.currentIndexChanged.connect(self._version_chosen)
        top.addWidget(self.version_box, 1)
        self.body.addLayout(top)
        self.state = wrap_label("")
        self.state.setObjectName("plan_state")
        self.body.addWidget(self.state)

        form = self.section("Người xây dựng kế hoạch")
        self.add_field(form, "drafted_by", "Người xây dựng kế hoạch", QLineEdit(), required=True)
        self.add_field(form, "drafted_on", "Ngày xây dựng", date_edit(), required=True)
        form = self.section(spec["objectives"]["heading"])
        self.objectives = ObjectiveList()
        self.add_field(form, "objectives", None, self.objectives)
        form = self.section(f"{spec['activity_kinds']['heading']} và {spec['organisation']['heading'].lower()[3:]}")
        self.activities = ActivityTable()
        self.add_field(form, "activities", None, self.activities)
        form.addRow(wrap_label(f"{spec['budget']['heading']} {spec['budget']['note']}", style="color:#555;"))

        form = self.adjust_form = self.section("Điều chỉnh kế hoạch đã phê duyệt")
        self.add_field(form, "_reason", "Lý do điều chỉnh", multiline(height=45), required=True)
        edit = self.can_edit()
        self.save_button = self.add_button("Lưu dự thảo", "save", self.save, allowed=edit)
        self.submit_button = self.add_button("Trình phê duyệt", "submit", self.submit, allowed=edit)
        self.adjust_button = self.add_button("Điều chỉnh kế hoạch…", "adjust", self.adjust, allowed=edit)
        self.errors["reason"] = self.errors["_reason"]  # the service names it "reason"

    # -- state ---------------------------------------------------------------------------------------
    def _plan(self):
        latest_ra = max((r.id for r in self.case.risk_assessments), default=None)
        plans = [p for p in self.case.plans if p.risk_assessment_id == latest_ra]
        return plans[-1] if plans else None

    def _shown(self):
        plan = self._plan()
        if plan is None:
            return None
        index = self.version_box.currentIndex()
        return plan.versions[index] if 0 <= index < len(plan.versions) else plan.versions[-1]

    def draft_ready(self) -> bool:
        shown = self._shown()
        return shown is None or (shown.approval is None and shown is service.latest_version(self._plan()))

    def load(self) -> None:
        plan = self._plan()
        self.version_box.blockSignals(True)
        self.version_box.clear()
        if plan is not None:
            for ver in plan.versions:
                self.version_box.addItem(version_label(ver), ver.id)
            self.version_box.setCurrentIndex(len(plan.versions) - 1)
        else:
            self.version_box.addItem("Kế hoạch mới (chưa lưu)", None)
        self.version_box.blockSignals(False)
        self._show_version()

    def _version_chosen(self, _index: int) -> None:
        self.clear_errors()
        self._show_version()

    def _show_version(self) -> None:
        plan = self._plan()
        version = self._shown()
        if version is None:
            if not self.widgets["drafted_by"].text():
                self.widgets["drafted_by"].setText((self.office.worker_name if self.office else "") or self.actor.full_name)
            self.widgets["drafted_on"].setDate(qdate(None))
            if not self.case.risk_assessments:
                self.state.setText("Hồ sơ chưa có Mẫu số 03: kế hoạch được xây dựng sau đánh giá nguy cơ cụ thể.")
            else:
                self.state.setText("Kế hoạch mới. Lưu dự thảo rồi bấm \"Trình phê duyệt\" để trình Chủ tịch.")
            frozen = False
        else:
            content = version_content(version)
            self.widgets["drafted_by"].setText(content["drafted_by"])
            self.widgets["drafted_on"].setDate(qdate(version.drafted_on))
            self.objectives.set_value(content["objectives"])
            self.activities.set_value(content["activities"])
            latest = version is service.latest_version(plan)
            frozen = version.approval is not None or not latest
            text = version_label(version) + "."
            if version.reason:
                text += f" Lý do điều chỉnh: {version.reason}."
            if version.returned_at is not None and version.submitted_at is None and version.approval is None:
                text += (f" Ý kiến của {version.returned_by or 'Chủ tịch'}: «{version.return_comment}». Sửa theo ý "
                         "kiến rồi bấm \"Trình phê duyệt\" để trình lại.")
            if version.approval is not None:
                text += " Kế hoạch đã phê duyệt được giữ nguyên; muốn thay đổi, bấm \"Điều chỉnh kế hoạch…\"."
            elif not latest:
                text += " Đây là phiên bản cũ, chỉ xem."
            self.state.setText(text)
        reviewed = plan is not None and any(r.plan_id == plan.id for r in self.case.reviews)
        editable = self.can_edit() and not frozen
        for key in ("drafted_by", "drafted_on"):
            self.widgets[key].setEnabled(editable)
        self.objectives.set_read_only(not editable)
        self.activities.set_read_only(not editable)
        self.save_button.setEnabled(editable)
        self.submit_button.setEnabled(editable)
        can_adjust = (self.can_edit() and version is not None and version.approval is not None
                      and version is service.latest_version(plan) and not reviewed)
        self.adjust_button.setEnabled(can_adjust)
        self.adjust_form.parentWidget().setVisible(can_adjust)

    def values(self) -> dict:
        return {k: v for k, v in super().values().items() if k in ("drafted_by", "drafted_on", "objectives",
                                                                  "activities")}

    def show_errors(self, errors: dict[str, str], prefix: str = "") -> None:
        super().show_errors(errors, prefix)
        self.activities.mark_errors(errors)

    # -- actions -------------------------------------------------------------------------------------
    def _save(self) -> int | None:
        version = self._shown()
        if version is None:
            ok, vid = self.run(lambda: service.create_plan(self.db, self.actor, self.case_id, self.values()))
        else:
            ok, vid = self.run(lambda: service.save_plan(self.db, self.actor, version.id, self.values()))
        if ok:
            self.activities.mark_errors({})
        return vid if ok else None

    def save(self) -> None:
        shown = self._shown()
        if shown is not None and shown.submitted_at is not None and shown.approval is None:
            # Saving a submitted plan takes it back from the chairman: a step backwards, never silent.
            answer = messages.choose(
                self, "Rút kế hoạch về dự thảo",
                f"Kế hoạch đã trình Chủ tịch lúc {fmt_datetime(shown.submitted_at)} và đang chờ phê duyệt.\n\n"
                "Lưu thay đổi sẽ rút kế hoạch về dự thảo (ghi vào nhật ký); sau khi sửa phải trình lại. "
                "Nếu chỉ muốn trình lại bản đã sửa, bấm \"Trình phê duyệt\".",
                ["Rút về dự thảo và lưu", "Không lưu"], default=1, escape=1)
            if answer != 0:
                return
        if self._save() is not None:
            self.done_saving("Đã lưu dự thảo kế hoạch. Khi hoàn thành, bấm \"Trình phê duyệt\".")

    def submit(self) -> None:
        vid = self._save()
        if vid is None:
            return
        ok, _ = self.run(lambda: service.submit_plan(self.db, self.actor, vid))
        self.done_saving("Đã trình Chủ tịch phê duyệt kế hoạch (Mẫu số 05): hạn 02 ngày làm việc." if ok
                         else "Đã lưu dự thảo kế hoạch nhưng chưa trình được.")
        if not ok:
            return

    def adjust(self) -> None:
        plan = self._plan()
        reason = self.widgets["_reason"].toPlainText()
        ok, _ = self.run(lambda: service.adjust_plan(self.db, self.actor, plan.id, reason))
        if ok:
            self.widgets["_reason"].clear()
            self.done_saving("Đã tạo phiên bản điều chỉnh. Sửa nội dung rồi trình phê duyệt lại; phiên bản đã "
                             "phê duyệt vẫn được giữ nguyên.")
