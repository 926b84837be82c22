"""Việc cần làm — the home screen: every open case's pending step with its legal deadline, overdue
first, then the soonest. Double-click or Enter opens the screen that does the step."""
from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from models.clock import now
from models.services.accounts import Workspace
from models.services.tasks import Task, change_marker, compute_tasks
from models.clock import fmt_datetime

from desktop.common.worker import start_in_background
from desktop.common.frame import read_only_table

log = logging.getLogger("bvte")

FOLLOW_MS = 5_000  # the server mode: how often to look for others' work (one row read)
COLUMNS = ("Hồ sơ", "Trẻ em", "Việc cần làm", "Hạn chót", "Còn lại / quá hạn")
LATE = QColor("#b00020")
SOON = QColor("#7a4d00")
FOR_LEADER = QColor("#fff4d6")  # the chairman's own work, on the chairman's list


class TaskModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.tasks: list[Task] = []
        self.mark_leader = False
        self._bold = QFont()
        self._bold.setBold(True)

    def set_tasks(self, tasks: list[Task]) -> None:
        self.beginResetModel()
        self.tasks = tasks
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.tasks)

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        t = self.tasks[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            return (t.case_code, t.child_name, t.step, fmt_datetime(t.deadline) if t.deadline else "—",
                    t.status)[col]
        if role == Qt.ToolTipRole:  # the whole step (a chairman's comment may be long), then its legal limit
            return f"{t.step}\n{t.rule}" if col == 2 else t.rule
        if role == Qt.ForegroundRole and col in (3, 4):
            return QBrush(LATE if t.late else SOON) if col == 4 or t.late else None
        if role == Qt.FontRole and ((col == 4 and t.late) or (self.mark_leader and t.for_leader and col == 2)):
            return self._bold
        if role == Qt.BackgroundRole and self.mark_leader and t.for_leader:
            return QBrush(FOR_LEADER)
        return None


class TasksView(QWidget):
    """`open_requested(case_id, form, ref)` when the user opens a task (ref: the plan activity's key, or
    None). For a leader, what waits for the leader (approvals, signatures) comes first, tinted."""

    open_requested = Signal(int, str, object)
    report_requested = Signal(str)  # a periodic report due: its period code (opens the export dialog)
    loaded = Signal(int)  # the list is filled (number of tasks)

    def __init__(self, ws: Workspace, parent=None, *, at: datetime | None = None):
        super().__init__(parent)
        self.ws = ws
        self.at = at  # tests fix the moment; the window uses "now" at each refresh
        self.model = TaskModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_table(self.table, "tasks", widths=(110, 190, 460, 130, 200), wrap=False, alternating=True,
                        row_room=10)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.activated.connect(lambda index: self.open_row(index.row()))  # Enter (and platform activation)
        self.summary = QLabel()
        self.summary.setObjectName("tasks_summary")
        self.summary.setWordWrap(True)  # the leader's longer summary must not widen the window past the screen
        self.refresh_button = QPushButton("Làm mới")
        self.refresh_button.setObjectName("refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button = QPushButton("Mở việc đang chọn")
        self.open_button.setObjectName("open_task")
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentIndex().row()))
        self.show_all_button = QPushButton("Hiện mọi việc")  # after "only these overdue steps" (Tổng quan)
        self.show_all_button.setObjectName("show_all_tasks")
        self.show_all_button.setVisible(False)
        self.show_all_button.clicked.connect(lambda: self.show_only(None))
        self.only_step: str | None = None
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_all_button)
        top.addWidget(self.open_button)
        top.addWidget(self.refresh_button)
        # The periodic reports due (models/reports/deadlines.py), for those who export them.
        self.reports_label = QLabel()
        self.reports_label.setObjectName("report_deadlines")
        self.reports_label.setWordWrap(True)
        self.reports_label.setTextFormat(Qt.RichText)
        self.reports_label.linkActivated.connect(self.report_requested.emit)
        self.reports_label.setVisible(False)
        self.report_deadlines = []
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.reports_label)
        layout.addWidget(self.table)
        hint = QLabel("Nhấp đúp (hoặc Enter) vào một dòng để mở đúng màn hình làm việc đó. "
                      "Việc quá hạn màu đỏ, xếp lên đầu.")
        hint.setStyleSheet("color:#555;")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self._loaded = False
        # Following others' work (the server mode, follow_others): the last change marker seen, whether the list is
        # out of date while hidden, whether a look is under way.
        self.follow_timer: QTimer | None = None
        self._marker: int | None = None
        self._stale = False
        self._asking = False
        self.leader = ws.actor.can("approve")
        self.model.mark_leader = self.leader
        self.allowed = ws.actor.can("case.view")
        if not self.allowed:
            self.summary.setText("Tài khoản quản trị không xem hồ sơ trẻ em nên không có danh sách việc cần làm.")
            self.refresh_button.setEnabled(False)
            self.open_button.setEnabled(False)

    def follow_others(self, interval_ms: int = FOLLOW_MS) -> None:
        """Several workstations (the server mode): every few seconds ask, in the background, whether anyone has
        written since the list was computed (one row: models.services.tasks.change_marker); if so, compute the
        list again. While the tab is hidden the list is only marked stale and is computed when shown."""
        if not self.allowed:
            return
        self.follow_timer = QTimer(self)
        self.follow_timer.setInterval(interval_ms)
        self.follow_timer.timeout.connect(self._ask_for_changes)
        self.follow_timer.start()

    def stop_following(self) -> None:
        if self.follow_timer is not None:
            self.follow_timer.stop()

    def _ask_for_changes(self) -> None:
        if self._asking or not self.window().isVisible():  # a closed (or not yet shown) window asks nothing
            return
        self._asking = True

        def answered(marker, error) -> None:
            self._asking = False
            if error is not None or marker is None:
                return  # a failed look is not news: the next tick asks again
            if self._marker is not None and marker != self._marker:
                if self.isVisible():
                    self.refresh_in_background()
                else:
                    self._stale = True
            self._marker = marker

        start_in_background(self, lambda: change_marker(self.ws.db), answered)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loaded or self._stale:
            self._stale = False
            self.refresh_in_background()

    def refresh_in_background(self) -> None:
        """At start-up: the window shows at once; the list (about 0.3 s over 20,000 cases) follows."""
        if not self.allowed:
            return
        self._loaded = True
        at = self.at or now()
        self.summary.setText("Đang tính các việc cần làm…")
        start_in_background(self, lambda: compute_tasks(self.ws.db, at=at, leader_first=self.leader),
                            lambda tasks, error: self._show(tasks, at) if error is None else self._failed(error))

    def _failed(self, error: BaseException) -> None:
        log.error("to-do list not computed", exc_info=error)
        self.summary.setText("Chưa tính được danh sách việc cần làm. Bấm «Làm mới» để thử lại.")

    def refresh(self) -> None:
        if not self.allowed:
            return
        self._loaded = True
        at = self.at or now()
        self._show(compute_tasks(self.ws.db, at=at, leader_first=self.leader), at)

    def show_only(self, step: str | None) -> None:
        """Only the overdue tasks of this step of the process (Task.form; None: every task again)."""
        self.only_step = step
        for row, t in enumerate(self.model.tasks):
            self.table.setRowHidden(row, step is not None and not (t.late and t.form == step))
        self.show_all_button.setVisible(step is not None)

    def _show_reports(self, at: datetime) -> None:
        from html import escape

        from models.reports.deadlines import report_deadlines

        if not self.ws.actor.can("export"):
            return
        with self.ws.db.session() as session:
            self.report_deadlines = report_deadlines(session, at)
        lines = []
        for r in self.report_deadlines:
            colour = "#b00020" if r.late_days else ("#555" if r.done else "#7a4d00")
            link = "" if r.done else f' <a href="{escape(r.period.code)}">Xuất báo cáo…</a>'
            lines.append(f"<span style='color:{colour}'>{'✔' if r.done else '•'} {escape(r.text())}</span>{link}")
        self.reports_label.setText("<b>Báo cáo định kỳ:</b><br>" + "<br>".join(lines) if lines else "")
        self.reports_label.setVisible(bool(lines))

    def _show(self, tasks: list[Task], at: datetime) -> None:
        self.model.set_tasks(tasks)
        self.show_only(self.only_step)
        self._show_reports(at)
        self.loaded.emit(len(tasks))
        late = sum(t.late for t in tasks)
        if not tasks:
            self.summary.setText("Không có việc nào đến hạn. Mọi hồ sơ đều đúng hạn.")
        else:
            waiting = sum(t.for_leader for t in tasks) if self.leader else 0
            self.summary.setText((f"<b>{waiting} việc chờ lãnh đạo</b> phê duyệt, ký (xếp đầu danh sách, tô vàng). "
                                  if waiting else "")
                                 + f"<b>{len(tasks)}</b> việc cần làm"
                                 + (f", trong đó <b style='color:#b00020'>{late} việc quá hạn</b>" if late else "")
                                 + f" (cập nhật lúc {fmt_datetime(at)}).")
        self.open_button.setEnabled(bool(tasks))

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.model.tasks):
            task = self.model.tasks[row]
            self.open_requested.emit(task.case_id, task.form, task.ref)
