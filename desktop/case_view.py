"""One case: the child, the forms done so far, and the next step with its legal time limit."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.clock import fmt_date, fmt_datetime, now
from models.textnorm import estimated_age_text
from models.entities import Case
from models.forms import form_definition
from models.services.intake import document_number
from models.stages import STAGES, next_step, stage_of
from models.vocab import ABUSE_FORMS, GENDERS, RELATION_ROLES


def _row(label: str, value: str) -> str:
    return f"<tr><td style='color:#555;padding-right:12px'>{escape(label)}</td><td>{escape(value or '—')}</td></tr>"


class CaseView(QWidget):
    print_requested = Signal(int, str)  # case id, form number
    history_requested = Signal(str)  # case code

    def __init__(self, parent=None):
        super().__init__(parent)
        self._case_id: int | None = None
        self._case_code = ""
        layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.next_step = QLabel()
        self.next_step.setWordWrap(True)
        self.next_step.setObjectName("next_step")
        self.print01 = QPushButton("Xem và in Mẫu 01…")
        self.print01.setObjectName("print01")
        self.print01.clicked.connect(lambda: self.print_requested.emit(self._case_id, "01"))
        self.history = QPushButton("Lịch sử hồ sơ…")
        self.history.setObjectName("history")
        self.history.clicked.connect(lambda: self.history_requested.emit(self._case_code))
        buttons = QHBoxLayout()
        buttons.addWidget(self.print01)
        buttons.addWidget(self.history)
        buttons.addStretch(1)
        layout.addWidget(self.header)
        layout.addWidget(self.details)
        layout.addWidget(self.next_step)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.show_case(None)

    def show_case(self, case: Case | None, office=None) -> None:
        self._case_id = case.id if case else None
        self._case_code = case.code if case else ""
        self.print01.setEnabled(bool(case and case.intake))
        self.history.setEnabled(case is not None)
        if case is None:
            self.header.setText("<i>Chọn một hồ sơ trong danh sách để xem.</i>")
            self.details.clear()
            self.next_step.clear()
            return
        child = case.child
        intake = case.intake
        born = fmt_date(child.date_of_birth) or estimated_age_text(child.estimated_age)
        self.header.setText(
            f"<h2 style='margin:0'>{escape(child.full_name)}</h2>"
            f"<div>Hồ sơ <b>{escape(case.code)}</b> · {escape(STAGES[stage_of(case)])}</div>"
        )
        rows = [
            _row("Ngày sinh", born),
            _row("Giới tính", GENDERS.get(child.gender, child.gender)),
            _row("Dân tộc", child.ethnicity),
            _row("Số định danh", child.personal_id or ""),
            _row("Nơi ở", ", ".join(p for p in (child.address, child.village) if p)),
        ]
        rows += [_row(RELATION_ROLES.get(rel.role, rel.role), rel.person.full_name) for rel in child.relations]
        if case.abuse_forms:
            rows.append(_row("Hình thức xâm hại", ", ".join(ABUSE_FORMS.get(a.code, a.code) for a in case.abuse_forms)))
        forms = []
        if intake:
            category = form_definition("01")["categories"].get(intake.category, {}).get("label", "")
            forms.append(
                f"<li><b>Mẫu số 01</b> — Báo cáo tiếp nhận thông tin, số {escape(document_number(intake, office))}, "
                f"nhận lúc {escape(fmt_datetime(intake.received_at))} ({escape(category)})</li>"
            )
        self.details.setText(
            f"<table>{''.join(rows)}</table><h3>Các mẫu đã lập</h3><ul>{''.join(forms) or '<li>Chưa có</li>'}</ul>"
        )
        step = next_step(case)
        if step is None:
            self.next_step.setText("")
            return
        status = step.status(now())
        colour = "#b00020" if status.startswith("Quá hạn") else "#7a4d00"
        self.next_step.setText(
            f"<h3>Bước tiếp theo</h3><p><b>{escape(step.title)}</b><br>{escape(step.rule)}"
            f"<br><span style='color:{colour}'><b>{escape(status)}</b> (mốc 12 giờ)</span></p>"
        )
