"""The six steps of the process (resources/help/quy-trinh.json) drawn as a picture, with the position of the
case it was opened from: the steps behind it ticked, its current step framed in colour."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from models import help as guide
from models.stages import STAGES

from desktop.common.frame import DialogFrame

CURRENT = QColor("#1565c0")
DONE_FILL = QColor("#e8f5e9")
DONE_MARK = QColor("#2e7d32")
BOX_FILL = QColor("#ffffff")
BORDER = QColor("#607d8b")
LIMIT = QColor("#8a3b00")


def step_states(stage: str | None) -> tuple[int | None, bool]:
    """(current step or None, closed) for a case at `stage` (None: no case)."""
    if stage is None:
        return None, False
    if stage == guide.process()["closed_stage"]:
        return None, True
    return guide.step_of_stage(stage), False


class ProcessDiagram(QWidget):
    """Two rows of three boxes (1 → 2 → 3, then 4 → 5 → 6), the way back from 6 to 3 below."""

    def __init__(self, stage: str | None = None, parent=None):
        super().__init__(parent)
        self.current, self.closed = step_states(stage)
        self.setMinimumSize(640, 380)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(900, 470)

    def boxes(self) -> list[QRectF]:
        w, h = self.width(), self.height()
        margin, gap_x, gap_y = 12.0, 34.0, 40.0
        bottom_room = 44.0
        box_w = (w - 2 * margin - 2 * gap_x) / 3
        box_h = (h - 2 * margin - gap_y - bottom_room) / 2
        out = []
        for i in range(6):
            row, col = divmod(i, 3)
            out.append(QRectF(margin + col * (box_w + gap_x), margin + row * (box_h + gap_y), box_w, box_h))
        return out

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        steps = guide.process()["steps"]
        boxes = self.boxes()
        base = QFont(self.font())
        for i, (step, box) in enumerate(zip(steps, boxes)):
            done = self.closed or (self.current is not None and step["no"] < self.current)
            here = step["no"] == self.current
            painter.setPen(QPen(CURRENT if here else BORDER, 4 if here else 1.2))
            painter.setBrush(DONE_FILL if done else BOX_FILL)
            painter.drawRoundedRect(box, 8, 8)
            inner = box.adjusted(10, 8, -10, -8)
            head = QFont(base)
            head.setBold(True)
            painter.setFont(head)
            painter.setPen(CURRENT if here else Qt.black)
            mark = " — đã qua" if done else (" — hồ sơ đang ở đây" if here else "")
            painter.drawText(inner, Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, f"Bước {step['no']}{mark}")
            line = painter.fontMetrics().lineSpacing()
            title_rect = inner.adjusted(0, line + 2, 0, 0)
            big = QFont(head)
            big.setPointSizeF(head.pointSizeF() * 1.08)
            painter.setFont(big)
            painter.setPen(Qt.black)
            used = painter.boundingRect(title_rect, Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, step["title"])
            painter.drawText(title_rect, Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, step["title"])
            painter.setFont(base)
            rest = title_rect.adjusted(0, used.height() + 4, 0, 0)
            text = f"{step['forms']}\n"
            used = painter.boundingRect(rest, Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, text)
            painter.drawText(rest, Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, text)
            painter.setPen(LIMIT)
            limit_rect = rest.adjusted(0, used.height(), 0, 0)
            painter.drawText(limit_rect, Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap,
                             f"Thời hạn: {step['limit']}\n{step['basis']}")
            painter.setPen(BORDER)
            if i % 3 != 2:  # → to the next box in the row
                self._arrow(painter, QPointF(box.right() + 4, box.center().y()),
                            QPointF(boxes[i + 1].left() - 4, box.center().y()))
        # 3 → 4: down from the end of the first row to the start of the second
        b3, b4 = boxes[2], boxes[3]
        path = QPainterPath(QPointF(b3.center().x(), b3.bottom() + 2))
        mid_y = (b3.bottom() + b4.top()) / 2
        path.lineTo(b3.center().x(), mid_y)
        path.lineTo(b4.center().x(), mid_y)
        painter.setBrush(Qt.NoBrush)
        painter.drawPath(path)
        self._arrow(painter, QPointF(b4.center().x(), mid_y), QPointF(b4.center().x(), b4.top() - 3))
        # 6 → 3 again when the child is still at risk
        b6 = boxes[5]
        y = b6.bottom() + 20
        painter.setPen(QPen(BORDER, 1.2, Qt.DashLine))
        back = QPainterPath(QPointF(b6.center().x(), b6.bottom() + 2))
        back.lineTo(b6.center().x(), y)
        back.lineTo(self.width() - 4, y)
        back.lineTo(self.width() - 4, boxes[2].center().y())
        painter.drawPath(back)
        self._arrow(painter, QPointF(self.width() - 4, boxes[2].center().y()),
                    QPointF(boxes[2].right() + 3, boxes[2].center().y()))
        painter.setPen(Qt.black)
        note = QRectF(boxes[3].left(), y + 2, b6.center().x() - boxes[3].left() - 8, 22)
        painter.drawText(note, Qt.AlignRight | Qt.AlignVCenter, guide.process()["loop_back"])
        painter.end()

    @staticmethod
    def _arrow(painter: QPainter, start: QPointF, end: QPointF) -> None:
        painter.drawLine(start, end)
        direction = end - start
        length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1)
        ux, uy = direction.x() / length, direction.y() / length
        size = 8
        left = QPointF(end.x() - size * ux + size / 2 * uy, end.y() - size * uy - size / 2 * ux)
        right = QPointF(end.x() - size * ux - size / 2 * uy, end.y() - size * uy + size / 2 * ux)
        painter.save()
        painter.setPen(Qt.NoPen)
        painter.setBrush(BORDER)
        painter.drawPolygon(QPolygonF([end, left, right]))
        painter.restore()


class ProcessDiagramDialog(QDialog):
    HELP_PAGE = "quy-trinh"

    def __init__(self, stage: str | None = None, case_label: str = "", parent=None):
        super().__init__(parent)
        self.setWindowFlag(Qt.Window, True)
        self.setWindowTitle("Sơ đồ quy trình hỗ trợ, can thiệp" + (f" — {case_label}" if case_label else ""))
        self.frame = DialogFrame(self, width=940, height=600)
        current, closed = step_states(stage)
        if stage is None:
            words = "Sáu bước theo Nghị định 56/2017/NĐ-CP, Điều 25–32. Mở sơ đồ khi đang chọn một hồ sơ để thấy hồ sơ đang ở bước nào."
        elif closed:
            words = f"Hồ sơ {case_label}: {STAGES[stage]}. Mọi bước đã qua."
        else:
            words = f"Hồ sơ {case_label}: {STAGES.get(stage, stage)} — đang ở bước {current}."
        self.caption = QLabel(words)
        self.caption.setObjectName("diagram_caption")
        self.caption.setWordWrap(True)
        self.diagram = ProcessDiagram(stage)
        self.frame.body.addWidget(self.caption)
        self.frame.body.addWidget(self.diagram, 1)
        guide_button = QPushButton("Đọc hướng dẫn về quy trình…")
        guide_button.clicked.connect(self._open_guide)
        close = QPushButton("Đóng")
        close.clicked.connect(self.close)
        bar = QHBoxLayout()
        bar.addWidget(guide_button)
        bar.addStretch(1)
        bar.addWidget(close)
        self.frame.set_buttons(bar)

    def _open_guide(self) -> None:
        from desktop.help.f1 import open_help

        open_help(self, "quy-trinh")
