"""Biên bản họp — the case meeting chaired by the chairman: when, where, who (with their roles),
what was concluded and which measures were agreed."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from models.services import meeting as service
from models.process_rules import process_form

from desktop.common.frame import fit_columns
from desktop.common.fields import date_time_edit, multiline
from desktop.process.base import ProcessDialog, fmt_datetime, qdatetime, wrap_label

COLUMNS = ("Họ và tên", "Thành phần", "Chức vụ, đơn vị / quan hệ với trẻ em")


class AttendeeTable(QWidget):
    """Attendees: name, role (pick-list of the minutes' roles), position; rows added and removed."""

    def __init__(self, roles: dict[str, str], parent=None):
        super().__init__(parent)
        self.roles = roles
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("attendee_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Interactive)
        header.setSectionResizeMode(1, QHeaderView.Interactive)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.setColumnWidth(0, 190)
        self.table.setColumnWidth(1, 260)
        fit_columns(self.table, room=2, room_min=120)
        self.table.setMinimumHeight(170)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        add = QPushButton("Thêm người dự họp")
        add.setObjectName("attendee_add")
        add.setAutoDefault(False)
        add.clicked.connect(lambda: self.add_row())
        remove = QPushButton("Xoá dòng đang chọn")
        remove.setObjectName("attendee_remove")
        remove.setAutoDefault(False)
        remove.clicked.connect(self.remove_row)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)

    def add_row(self, name: str = "", role: str = "khac", position: str = "") -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(name))
        combo = QComboBox()
        for code, text in self.roles.items():
            combo.addItem(text, code)
        combo.setCurrentIndex(max(combo.findData(role), 0))
        combo.currentIndexChanged.connect(lambda _i, c=combo: self._role_changed(c))
        self.table.setCellWidget(r, 1, combo)
        self.table.setItem(r, 2, QTableWidgetItem(position))
        return r

    def _role_changed(self, combo: QComboBox) -> None:
        for r in range(self.table.rowCount()):
            if self.table.cellWidget(r, 1) is combo:
                item = self.table.item(r, 2)
                if item is not None and not item.text().strip() and combo.currentData() != "khac":
                    item.setText(combo.currentText())

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)

    def set_cell(self, row: int, column: int, text: str) -> None:
        self.table.item(row, column).setText(text)

    def value(self) -> list[dict[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            name = (self.table.item(r, 0).text() if self.table.item(r, 0) else "").strip()
            position = (self.table.item(r, 2).text() if self.table.item(r, 2) else "").strip()
            role = self.table.cellWidget(r, 1).currentData()
            if name or position:
                out.append({"name": name, "role": role, "position": position})
        return out

    def set_value(self, people) -> None:
        self.table.setRowCount(0)
        for p in people or []:
            self.add_row(p.get("name", ""), p.get("role", "khac"), p.get("position", ""))


class MeetingDialog(ProcessDialog):
    HELP_PAGE = "hop-xac-dinh-nhu-cau"  # F1: this screen's page of the guide (resources/help)
    FORM = "bien_ban_hop"
    TITLE = "Biên bản họp xác định nhu cầu hỗ trợ, can thiệp"
    DRAFTS = True

    def build(self) -> None:
        spec = self.spec = process_form("bien_ban_hop")
        f = {k: v["label"] for k, v in spec["fields"].items()}
        self.state = wrap_label("")
        self.state.setObjectName("meeting_state")
        self.body.addWidget(self.state)
        form = self.section(spec["sections"][0]["heading"])
        purpose = QComboBox()
        for code, text in spec["purposes"].items():
            purpose.addItem(text, code)
        self.add_field(form, "purpose", "Mục đích cuộc họp", purpose)
        self.add_field(form, "held_at", f["held_at"], date_time_edit(), required=True)
        self.add_field(form, "ended_at", "Thời gian kết thúc", date_time_edit())
        self.add_field(form, "place", f["place"], QLineEdit(), required=True)

        form = self.section(spec["sections"][1]["heading"])
        self.add_field(form, "chair_name", f["chair_name"], QLineEdit(), required=True)
        self.add_field(form, "chair_title", f["chair_title"], QLineEdit())
        self.add_field(form, "secretary", f["secretary"], QLineEdit())
        self.add_field(form, "attendees", f["attendees"], AttendeeTable(spec["attendee_roles"]), required=True)

        form = self.section("Nội dung, kết luận và biện pháp")
        self.add_field(form, "content", f["content"], multiline(height=70))
        self.add_field(form, "conclusions", f["conclusions"], multiline(height=70), required=True)
        self.add_field(form, "measures", f["measures"], multiline(height=70))
        self.save_button = self.add_button("Lưu biên bản họp", "save", self.save, allowed=self.can_edit())
        self._meeting_id: int | None = None

    def load(self) -> None:
        latest_ra = max((r.id for r in self.case.risk_assessments), default=None)
        current = [m for m in self.case.meetings if m.risk_assessment_id == latest_ra] if latest_ra else []
        editable = self.can_edit()
        if current:
            m = current[-1]
            self._meeting_id = m.id
            self._loaded_version = m.row_version  # a save by another workstation since is reported
            w = self.widgets
            w["purpose"].setCurrentIndex(max(w["purpose"].findData(m.purpose), 0))
            w["held_at"].setDateTime(qdatetime(m.held_at))
            w["ended_at"].setDateTime(qdatetime(m.ended_at or m.held_at))
            for key in ("place", "chair_name", "chair_title", "secretary"):
                w[key].setText(getattr(m, key))
            w["attendees"].set_value(m.attendees)
            for key in ("content", "conclusions", "measures"):
                w[key].setPlainText(getattr(m, key))
            used = any(p.risk_assessment_id == latest_ra for p in self.case.plans)
            self.state.setText(f"Biên bản cuộc họp lúc {fmt_datetime(m.held_at)}"
                               + (" (đã có kế hoạch dựa trên cuộc họp này)." if used else "; sửa được."))
        else:
            self._meeting_id = None
            self._loaded_version = None
            self.widgets["held_at"].setDateTime(qdatetime(None))
            self.widgets["ended_at"].setDateTime(qdatetime(None))
            o = self.office
            if not self.widgets["chair_name"].text() and o is not None:
                self.widgets["chair_name"].setText(o.chairman_name)
                self.widgets["chair_title"].setText("Chủ tịch UBND xã")
                self.widgets["secretary"].setText(o.worker_name)
                self.widgets["place"].setText(f"Trụ sở UBND {o.commune_name}" if getattr(o, "commune_name", "") else "")
            if self.widgets["attendees"].table.rowCount() == 0:
                if o is not None and o.chairman_name:
                    self.widgets["attendees"].add_row(o.chairman_name, "chu_tich", "Chủ tịch UBND xã")
                if o is not None and o.worker_name:
                    self.widgets["attendees"].add_row(o.worker_name, "can_bo_bvte", "Người làm công tác bảo vệ trẻ em")
            if latest_ra is None:
                self.state.setText("Hồ sơ chưa có Mẫu số 03: cuộc họp xác định nhu cầu thường diễn ra sau khi đánh giá "
                                   "nguy cơ cụ thể.")
        for w in self.widgets.values():
            w.setEnabled(editable)

    def save(self) -> None:
        ok, _ = self.run(lambda: service.save_meeting(self.db, self.actor, self.case_id,
                                                      {**self.values(), "row_version": getattr(self, "_loaded_version", None)},
                                                      meeting_id=self._meeting_id))
        if ok:
            self.done_saving("Đã lưu biên bản họp. Bước tiếp theo: xây dựng kế hoạch hỗ trợ, can thiệp (Mẫu số 04).")
