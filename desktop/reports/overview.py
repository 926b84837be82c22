"""The "Tổng quan" tab: the commune's situation at a glance (open cases by stage, overdue steps, cases by month
this year, children in the register by group). Each bar is a button into the filtered list.

Bars are painted with QPainter (no chart library, nothing loaded at start-up); the tab is built the first time
it is opened. The overdue steps come from the to-do list the window has already computed.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from models.clock import fmt_datetime
from models.services.overview import Bar, Overview, overdue_by_step, overview

BAR_COLOUR = QColor("#2F5597")
LATE_COLOUR = QColor("#B00020")


class BarChart(QWidget):
    """Horizontal bars with their label and value; a click on a bar emits its key."""

    bar_clicked = Signal(object)

    def __init__(self, title: str, empty_text: str, colour: QColor = BAR_COLOUR, parent=None):
        super().__init__(parent)
        self.title = title
        self.empty_text = empty_text
        self.colour = colour
        self.bars: list[Bar] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.setAccessibleName(title)

    def set_bars(self, bars: list[Bar] | None) -> None:
        self.bars = list(bars or [])
        self.setMinimumHeight(self.sizeHint().height())  # every bar shown: the tab scrolls instead
        self.updateGeometry()
        self.update()

    def _row_h(self) -> int:
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:
        return QSize(420, self._row_h() * (max(len(self.bars), 1) + 2) + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, self._row_h() * 3)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        fm = self.fontMetrics()
        row_h = self._row_h()
        w = self.width()
        bold = p.font()
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QRectF(4, 2, w - 8, row_h), Qt.AlignLeft | Qt.AlignVCenter,
                   QFontMetrics(bold).elidedText(self.title, Qt.ElideRight, w - 8))
        p.setFont(self.font())
        if not self.bars:
            p.setPen(QColor("#555"))
            p.drawText(QRectF(4, row_h + 4, w - 8, row_h), Qt.AlignLeft | Qt.AlignVCenter, self.empty_text)
            return
        label_w = min(int(w * 0.55), max(fm.horizontalAdvance(b.label) for b in self.bars) + 10)
        value_w = fm.horizontalAdvance("000.000") + 6
        top = max(b.value for b in self.bars) or 1
        avail = max(w - label_w - value_w - 12, 20)
        for i, bar in enumerate(self.bars):
            y = row_h * (i + 1) + 4
            p.setPen(self.palette().windowText().color())
            p.drawText(QRectF(4, y, label_w - 8, row_h), Qt.AlignRight | Qt.AlignVCenter,
                       fm.elidedText(bar.label, Qt.ElideRight, label_w - 8))
            length = avail * bar.value / top
            rect = QRectF(label_w, y + 3, max(length, 1), row_h - 6)
            p.fillRect(rect, self.colour)
            p.drawText(QRectF(label_w + length + 4, y, value_w, row_h), Qt.AlignLeft | Qt.AlignVCenter,
                       f"{bar.value:,}".replace(",", "."))

    def rows(self) -> list[tuple[QRectF, Bar]]:
        """Where each bar's row is (its label, bar and value): the area a click on it takes."""
        row_h = self._row_h()
        return [(QRectF(0, row_h * (i + 1) + 4, self.width(), row_h), bar) for i, bar in enumerate(self.bars)]

    def bar_at(self, pos) -> Bar | None:
        return next((bar for rect, bar in self.rows() if rect.contains(pos)), None)

    def mouseMoveEvent(self, event) -> None:
        bar = self.bar_at(event.position())
        self.setCursor(Qt.PointingHandCursor if bar else Qt.ArrowCursor)
        self.setToolTip(f"{bar.label}: {bar.value} — bấm để xem danh sách" if bar else "")

    def mouseReleaseEvent(self, event) -> None:
        bar = self.bar_at(event.position())
        if bar is not None and event.button() == Qt.LeftButton:
            self.bar_clicked.emit(bar.key)


class OverviewView(QWidget):
    stage_clicked = Signal(str)
    month_clicked = Signal(int)
    group_clicked = Signal(str)
    overdue_clicked = Signal(str)
    care_clicked = Signal(str)

    def __init__(self, ws, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.data: Overview | None = None
        self.tasks = None
        self.summary = QLabel()
        self.summary.setObjectName("overview_summary")
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton("Làm mới")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)

        self.stages = BarChart("Hồ sơ đang mở theo giai đoạn", "Không có hồ sơ nào đang mở.")
        self.overdue = BarChart("Việc quá hạn theo bước", "Đang tính danh sách việc cần làm…", LATE_COLOUR)
        self.months = BarChart("Hồ sơ tiếp nhận theo tháng (năm nay)", "Năm nay chưa tiếp nhận hồ sơ nào.")
        self.groups = BarChart("Trẻ em có hoàn cảnh đặc biệt theo nhóm (sổ theo dõi)", "Sổ theo dõi chưa có trẻ em nào.")
        self.care = BarChart("Chăm sóc thay thế", "Không có trẻ em nào đang chờ hay đang được chăm sóc thay thế.")
        for name, chart in (("chart_stages", self.stages), ("chart_overdue", self.overdue),
                            ("chart_months", self.months), ("chart_groups", self.groups), ("chart_care", self.care)):
            chart.setObjectName(name)
        self.stages.bar_clicked.connect(lambda key: self.stage_clicked.emit(str(key)))
        self.overdue.bar_clicked.connect(lambda key: self.overdue_clicked.emit(str(key)))
        self.months.bar_clicked.connect(lambda key: self.month_clicked.emit(int(key)))
        self.groups.bar_clicked.connect(lambda key: self.group_clicked.emit(str(key)))
        self.care.bar_clicked.connect(lambda key: self.care_clicked.emit(str(key)))

        grid = QGridLayout()
        for i, chart in enumerate((self.stages, self.overdue, self.months, self.groups, self.care)):
            frame = QFrame()
            frame.setFrameShape(QFrame.StyledPanel)
            box = QVBoxLayout(frame)
            box.addWidget(chart)
            box.addStretch(1)
            grid.addWidget(frame, i // 2, i % 2)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(inner)
        hint = QLabel("Bấm vào một thanh để mở danh sách tương ứng (hồ sơ theo giai đoạn hoặc tháng, việc quá hạn, "
                      "trẻ em theo nhóm, chăm sóc thay thế).")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(hint)
        self.allowed = ws.actor.can("case.view")
        if not self.allowed:
            self.summary.setText("Tài khoản quản trị không xem hồ sơ trẻ em nên không có tổng quan.")
            self.refresh_button.setEnabled(False)

    def refresh(self) -> None:
        if not self.allowed:
            return
        with self.ws.db.session() as session:
            self.data = overview(session, tasks=self.tasks)
        d = self.data
        self.stages.set_bars(d.stages)
        self.months.set_bars(d.months)
        self.groups.set_bars(d.groups)
        self.care.set_bars(d.care)
        if d.overdue is not None:
            self.overdue.set_bars(d.overdue)
        self._summarise()

    def set_tasks(self, tasks) -> None:
        """The to-do list the window computed: its overdue steps, counted by step."""
        self.tasks = tasks
        self.overdue.empty_text = "Không có việc nào quá hạn."
        self.overdue.set_bars(overdue_by_step(tasks))
        if self.data is not None:
            self.data.overdue = self.overdue.bars
            self._summarise()

    def _summarise(self) -> None:
        d = self.data
        late = sum(b.value for b in d.overdue) if d.overdue is not None else None
        this_year = sum(b.value for b in d.months)
        self.summary.setText(
            f"<b>{d.open_cases}</b> hồ sơ đang mở; "
            + (f"<b style='color:#b00020'>{late}</b> việc quá hạn; " if late else
               ("không có việc quá hạn; " if late == 0 else ""))
            + f"<b>{this_year}</b> hồ sơ tiếp nhận từ đầu năm (số liệu lúc {fmt_datetime(d.at)}).")
