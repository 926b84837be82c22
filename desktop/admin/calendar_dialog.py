"""The working-day calendar the legal deadlines run on: each year's days off (from the holiday library,
the official notices, or added here) with their source; add a day off, add a working Saturday, remove a
day off."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, 
)

from models.calendar_days import SOURCE_USER
from models.clock import fmt_date, now
from models.services.accounts import Workspace
from models.services.calendar_edits import (
    REMOVED, list_calendar_edits, load_calendar, remove_calendar_edit, set_calendar_day,
)
from models.services.process_common import ProcessError

from desktop.common.frame import DialogFrame, read_only_table
from desktop.common import messages
from desktop.common.fields import ErrorLabel, date_edit

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
PROPOSED = "đề xuất"
SOURCES = {"thư viện": "Thư viện ngày lễ", "quy định": "Thông báo chính thức", "người dùng": "Cơ quan tự thêm",
           PROPOSED: "Đề xuất, chưa có hiệu lực"}


class CalendarDialog(QDialog):
    HELP_PAGE = "lich-ngay-lam-viec"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, ws: Workspace, parent=None, *, year: int | None = None):
        super().__init__(parent)
        self.ws, self.db, self.actor = ws, ws.db, ws.actor
        self.setWindowTitle("Lịch ngày làm việc")
        self.allowed = self.actor.can("case.edit") or self.actor.can("settings")
        self.frame = DialogFrame(self, width=820, height=640)
        layout = self.frame.body
        intro = QLabel("Các thời hạn tính theo ngày làm việc (kế hoạch 05 ngày, phê duyệt 02 ngày) bỏ qua thứ Bảy, "
                       "Chủ nhật và các ngày nghỉ dưới đây. Thêm ngày nghỉ bù, ngày làm bù theo thông báo của cấp trên.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        # Where a day off is not yet law (24/11 "Ngày Văn hóa Việt Nam"), it counts as a working day: the
        # stricter way, so no working-day limit is longer than the law allows. Say so, and offer one click.
        self.proposed_note = QLabel()
        self.proposed_note.setObjectName("proposed_note")
        self.proposed_note.setWordWrap(True)
        self.proposed_note.setStyleSheet("background: #fff4d6; padding: 6px; border: 1px solid #e0c26b;")
        self.make_day_off = QPushButton()
        self.make_day_off.setObjectName("make_day_off")
        self.make_day_off.clicked.connect(self.accept_proposed)
        proposed_row = QHBoxLayout()
        proposed_row.addWidget(self.proposed_note, 1)
        proposed_row.addWidget(self.make_day_off, 0, Qt.AlignTop)
        layout.addLayout(proposed_row)
        top = QHBoxLayout()
        top.addWidget(QLabel("Năm:"))
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(year or now().year)
        self.year.valueChanged.connect(self.refresh)
        top.addWidget(self.year)
        top.addStretch(1)
        layout.addLayout(top)
        self.table = read_only_table(QTableWidget(0, 4), "days", widths=(100, 90, 0, 170))
        self.table.setHorizontalHeaderLabels(("Ngày", "Thứ", "Tên ngày", "Nguồn"))
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        self.remove_button = QPushButton("Bỏ ngày nghỉ đang chọn (tính là ngày làm việc)")
        self.remove_button.setObjectName("remove_day")
        self.remove_button.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)

        box = QGroupBox("Thêm một ngày")
        form = QFormLayout(box)
        self.day = date_edit()
        self.day.setObjectName("day")
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setPlaceholderText("Ví dụ: Nghỉ bù Tết theo thông báo của UBND tỉnh")
        form.addRow("Ngày", self.day)
        form.addRow("Tên, lý do", self.name)
        buttons = QHBoxLayout()
        self.add_off = QPushButton("Thêm ngày nghỉ")
        self.add_off.setObjectName("add_day_off")
        self.add_off.clicked.connect(lambda: self.add("day_off"))
        self.add_work = QPushButton("Thêm ngày làm bù (thứ Bảy, Chủ nhật đi làm)")
        self.add_work.setObjectName("add_working_day")
        self.add_work.clicked.connect(lambda: self.add("working_day"))
        buttons.addWidget(self.add_off)
        buttons.addWidget(self.add_work)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.error = ErrorLabel()
        self.error.setObjectName("error")
        form.addRow(self.error)
        layout.addWidget(box)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setStyleSheet("color:#1b5e20;")
        layout.addWidget(self.notice)
        close = QPushButton("Đóng")
        close.setObjectName("close")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        self.frame.set_buttons(bottom)
        for w in (self.remove_button, self.add_off, self.add_work, self.day, self.name, self.make_day_off):
            w.setEnabled(self.allowed)
        self.rows: list[tuple[date, str, str, bool]] = []
        self.refresh()

    def refresh(self) -> None:
        year = self.year.value()
        with self.db.session() as session:
            cal = load_calendar(session)
            edits = {e.day: e for e in list_calendar_edits(session)}
        rows = [(d, n, s, False) for d, n, s in cal.days_off_in_year(year)]
        rows += [(d, n, s, True) for d, n, s in cal.working_weekend_days_in_year(year)]
        rows += [(e.day, e.name or "Ngày nghỉ đã bỏ", SOURCE_USER, True) for e in edits.values()
                 if e.kind == REMOVED and e.day.year == year]
        self.proposed = cal.proposed_days_in_year(year)
        rows += [(d, f"{name} — {status}: đang tính là ngày làm việc", PROPOSED, True)
                 for d, name, status, _basis in self.proposed]
        rows.sort()
        self.rows = rows
        if self.proposed:
            d, name, status, basis = self.proposed[0]
            others = "".join(f"; {fmt_date(x[0])} ({x[1]})" for x in self.proposed[1:])
            self.proposed_note.setText(
                f"Ngày {fmt_date(d)} ({name}{others}): {status}. {basis} Khi chưa chắc một ngày có phải ngày nghỉ "
                "theo luật hay không, phần mềm tính theo cách chặt hơn: coi là ngày làm việc, để thời hạn tính "
                "theo ngày làm việc không dài hơn luật cho phép. Khi đã có văn bản cho nghỉ, bấm nút bên cạnh.")
            self.make_day_off.setText(f"Tính {fmt_date(d)} là ngày nghỉ\n(đã có văn bản)")
        self.proposed_note.setVisible(bool(self.proposed))
        self.make_day_off.setVisible(bool(self.proposed))
        self.table.setRowCount(len(rows))
        for r, (d, name, source, working) in enumerate(rows):
            label = name + (" — làm việc" if working else "")
            for col, text in enumerate((fmt_date(d), WEEKDAYS[d.weekday()], label, SOURCES.get(source, source))):
                item = QTableWidgetItem(text)
                if working:
                    item.setForeground(Qt.darkGreen)
                self.table.setItem(r, col, item)

    def _done(self, text: str) -> None:
        self.error.show_message("")
        self.notice.setText(text)
        self.refresh()

    def add(self, kind: str) -> None:
        day = self.day.date().toPython()
        try:
            set_calendar_day(self.db, self.actor, day, kind, self.name.text())
        except ProcessError as exc:
            self.error.show_message(" ".join(exc.errors.values()))
            return
        self.year.setValue(day.year)
        self.name.clear()
        self._done(f"Đã thêm {'ngày nghỉ' if kind == 'day_off' else 'ngày làm bù'} {fmt_date(day)}. "
                   "Các thời hạn được tính lại theo lịch mới.")

    def accept_proposed(self) -> None:
        """One click once the notice is out: the proposed day (the selected one, or the year's first) becomes
        a day off of the office's own calendar (it can be removed again like any edit)."""
        if not self.proposed:
            return
        r = self.table.currentRow()
        chosen = self.rows[r][0] if 0 <= r < len(self.rows) and self.rows[r][2] == PROPOSED else self.proposed[0][0]
        name = next(n for d, n, *_ in self.proposed if d == chosen)
        try:
            set_calendar_day(self.db, self.actor, chosen, "day_off", f"{name} (đã có văn bản cho nghỉ)")
        except ProcessError as exc:
            self.error.show_message(" ".join(exc.errors.values()))
            return
        self._done(f"Đã tính {fmt_date(chosen)} là ngày nghỉ. Các thời hạn được tính lại theo lịch mới.")

    def remove_selected(self) -> None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.rows):
            self.error.show_message("Chọn một ngày trong bảng trước.")
            return
        day, name, source, working = self.rows[r]
        if source == PROPOSED:
            self.error.show_message("Ngày này đang được tính là ngày làm việc. Khi đã có văn bản cho nghỉ, "
                                    "bấm «Tính … là ngày nghỉ».")
            return
        with self.db.session() as session:
            edited = any(e.day == day for e in list_calendar_edits(session))
        if working and not edited:
            self.error.show_message("Ngày này là ngày làm bù theo thông báo chính thức; không bỏ ở đây được. "
                                    "Muốn nghỉ, thêm nó là ngày nghỉ.")
            return
        if not messages.confirm(self, "Lịch ngày làm việc",
                                f"{'Bỏ chỉnh sửa của cơ quan cho' if edited else 'Tính là ngày làm việc:'} "
                                f"{fmt_date(day)} ({name})?", "Đồng ý"):
            return
        try:
            if edited:
                remove_calendar_edit(self.db, self.actor, day)
            else:
                set_calendar_day(self.db, self.actor, day, REMOVED, f"Đi làm: {name}")
        except ProcessError as exc:
            self.error.show_message(" ".join(exc.errors.values()))
            return
        self._done(f"Đã cập nhật ngày {fmt_date(day)}.")

    def select_day(self, day: date) -> int:
        r = next(i for i, row in enumerate(self.rows) if row[0] == day)
        self.table.selectRow(r)
        return r


