"""One case: the child, the forms done so far, and the next step with its legal time limit."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from models.clock import fmt_date, fmt_datetime, now
from models.textnorm import estimated_age_text
from models.entities import Case
from models import forms
from models.services.case_papers import papers_of
from models.stages import STAGES, facts_of, pending_steps, stage_of, urgency_key
from models.vocab import ABUSE_FORMS, GENDERS, RELATION_ROLES

from desktop.common.frame import VerticalScroll




def _row(label: str, value: str) -> str:
    return f"<tr><td style='color:#555;padding-right:12px'>{escape(label)}</td><td>{escape(value or '—')}</td></tr>"


class CaseView(QWidget):
    print_requested = Signal(int, str)  # case id, form number
    history_requested = Signal(str)  # case code
    dossier_requested = Signal(int)  # case id: print the whole case file
    open_requested = Signal(int, str)  # case id, the screen's form (models.forms.screens())
    help_requested = Signal(str)  # the screen's form: open its page of the guide
    signed_requested = Signal(int, str, int, str)  # case id, form code, record id (-1: none), the paper's title
    care_requested = Signal(int)  # case id: start alternative care for the child of a signed Mẫu 07

    @property
    def case_id(self) -> int | None:
        """The case shown (None: nothing is shown)."""
        return self._case_id

    def __init__(self, parent=None):
        super().__init__(parent)
        self._case_id: int | None = None
        self._case_code = ""
        self.can_print = True
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        inner = QWidget()
        # Never a horizontal scroll bar: texts wrap, buttons stand two to a row, steps one to a row.
        scroll = VerticalScroll(inner)
        scroll.setObjectName("case_scroll")
        outer.addWidget(scroll)
        layout = QVBoxLayout(inner)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.next_step = QLabel()
        self.next_step.setWordWrap(True)
        self.next_step.setObjectName("next_step")
        self.next_step.setTextInteractionFlags(Qt.LinksAccessibleByMouse | Qt.LinksAccessibleByKeyboard)
        self.next_step.linkActivated.connect(self._link)
        self.forms_title = QLabel("<h3 style='margin:0'>Các mẫu đã lập</h3>")
        self.forms_box = QWidget()
        self.forms_box.setObjectName("forms_done")
        self.forms_grid = QVBoxLayout(self.forms_box)
        self.forms_grid.setContentsMargins(0, 0, 0, 0)
        self.forms_grid.setSpacing(2)
        self.steps_box = QWidget()
        self.steps_box.setObjectName("next_steps")
        self.steps_layout = QVBoxLayout(self.steps_box)
        self.steps_layout.setContentsMargins(0, 0, 0, 0)
        self.closure = QPushButton("Đóng / mở lại hồ sơ…")
        self.closure.setObjectName("closure")
        self.closure.clicked.connect(lambda: self.open_requested.emit(self._case_id, "dong"))
        self.print01 = QPushButton("Xem và in Mẫu 01…")
        self.print01.setObjectName("print01")
        self.print01.clicked.connect(lambda: self.print_requested.emit(self._case_id, "01"))
        self.print_all = QPushButton("In toàn bộ hồ sơ…")
        self.print_all.setObjectName("print_dossier")
        self.print_all.setToolTip("Bìa, mục lục và mọi văn bản của hồ sơ theo đúng trình tự, trong một bản in")
        self.print_all.clicked.connect(lambda: self.dossier_requested.emit(self._case_id))
        self.care = QPushButton("Chăm sóc thay thế cho trẻ…")
        self.care.setObjectName("start_care")
        self.care.setToolTip("Sau quyết định tạm thời cách ly (Mẫu 07): đánh giá trẻ em (Mẫu 10), tìm người nhận "
                             "chăm sóc thay thế")
        self.care.clicked.connect(lambda: self.care_requested.emit(self._case_id))
        self.care.hide()
        self.can_start_care = False
        self.history = QPushButton("Lịch sử hồ sơ…")
        self.history.setObjectName("history")
        self.history.clicked.connect(lambda: self.history_requested.emit(self._case_code))
        buttons = QGridLayout()
        buttons.addWidget(self.print01, 0, 0)
        buttons.addWidget(self.print_all, 0, 1)
        buttons.addWidget(self.history, 1, 0)
        buttons.addWidget(self.closure, 1, 1)
        buttons.addWidget(self.care, 2, 0, 1, 2)
        buttons.setColumnStretch(2, 1)
        self.button_grid = buttons
        layout.addWidget(self.header)
        layout.addWidget(self.next_step)
        layout.addWidget(self.steps_box)
        layout.addWidget(self.forms_title)
        layout.addWidget(self.forms_box)
        layout.addLayout(buttons)
        self.attachments_title = QLabel("<h3 style='margin:0'>Giấy tờ đính kèm của hồ sơ</h3>")
        layout.addWidget(self.attachments_title)
        self.attachments_box = QVBoxLayout()
        layout.addLayout(self.attachments_box)
        self.attachments = None  # the AttachmentsPanel, once set_workspace gives the data
        self.attachments_title.hide()
        layout.addWidget(self.details)
        layout.addStretch(1)
        self.show_case(None)

    ws = None
    signed = staticmethod(lambda case_id: {})  # (form, record id) → signed copies; set by set_workspace

    def set_workspace(self, ws) -> None:
        """Attachments need the open data: the case's panel and the signed copies of its papers."""
        from desktop.common.attachments import AttachmentsPanel
        from models.services import attachments as att

        self.ws = ws
        if ws.actor.can("case.view"):
            self.attachments = AttachmentsPanel(ws, "case", None, parent=self)
            self.attachments.setObjectName("case_attachments")
            self.attachments_box.addWidget(self.attachments)
            self.signed = lambda case_id: att.signed_copies(ws, case_id)

    def show_case(self, case: Case | None, office=None, calendar=None, *, can_edit: bool = False) -> None:
        self._case_id = case.id if case else None
        self._case_code = case.code if case else ""
        self.print01.setEnabled(bool(case and case.intake))
        self.print_all.setEnabled(bool(case and case.intake))
        self.history.setEnabled(case is not None)
        self.closure.setEnabled(case is not None)
        self.care.setVisible(bool(self.can_start_care and case is not None
                                  and any(s.decided_at is not None for s in case.separations)))
        self._clear(self.forms_grid)
        self._clear(self.steps_layout)
        self.forms_title.setVisible(case is not None)
        if self.attachments is not None:
            self.attachments_title.setVisible(case is not None)
            self.attachments.setVisible(case is not None)
            self.attachments.set_owner(case.id if case is not None else None)
        if case is None:
            self.header.setText(f"<i>{escape(self.empty_text)}</i>")
            self.details.clear()
            self.next_step.clear()
            return
        child = case.child
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
        if case.closed_at is not None:
            rows.append(_row("Đã đóng hồ sơ", f"{fmt_datetime(case.closed_at)} — {case.closed_reason}"))
        self.details.setText(f"<h3>Thông tin trẻ em</h3><table>{''.join(rows)}</table>")
        signed = self.signed(case.id) if case is not None else {}
        for line in papers_of(case, office):
            title, detail, text, form, can_open = line.title, line.detail, line.text, line.print_code, line.screen
            copies = signed.get((form, line.record_id), []) if form else []
            if copies:
                detail += f" · đã có bản ký ({len(copies)} tệp)"
            label = QLabel(f"<b>{escape(title)}</b><br><span style='color:#444'>{escape(detail)}</span>")
            label.setToolTip(text)
            label.setWordWrap(True)  # with its buttons (Mở, In…, Bản ký…) the line wraps rather than widen the view
            label.setMinimumWidth(200)
            row = QHBoxLayout()
            row.addWidget(label, 1)
            if can_open:
                button = QPushButton("Mở")
                button.setObjectName(f"open_{can_open}")
                button.setToolTip(f"Mở màn hình: {title}")
                button.setMaximumWidth(60)
                button.clicked.connect(lambda _c=False, f=can_open: self.open_requested.emit(self._case_id, f))
                row.addWidget(button)
            if form and self.can_print:
                button = QPushButton("In…")
                button.setObjectName(f"print_{form}")
                button.setToolTip(f"Xem và in: {title}")
                button.setMaximumWidth(60)
                button.clicked.connect(lambda _c=False, f=form: self.print_requested.emit(self._case_id, f))
                row.addWidget(button)
            if form and self.ws is not None and (copies or self.ws.actor.can("case.edit")):
                button = QPushButton("Bản ký…")
                button.setObjectName(f"signed_{form}")
                button.setToolTip(("Xem bản đã ký (quét lại) cạnh bản in: " if copies else
                                   "Đính kèm bản đã ký (quét lại) của: ") + title)
                button.setMaximumWidth(80)
                button.clicked.connect(lambda _c=False, f=form, r=line.record_id, t=f"{title} ({line.detail})":
                                       self.signed_requested.emit(self._case_id, f, -1 if r is None else r, t))
                row.addWidget(button)
            self.forms_grid.addLayout(row)
            for i in range(row.count()):
                row.itemAt(i).widget().show()
        if self.forms_grid.count() == 0:
            self.forms_grid.addWidget(QLabel("Chưa có"))
        at = now()
        steps = sorted(pending_steps(facts_of(case), calendar), key=lambda s: urgency_key(s, at))
        if not steps:
            self.next_step.setText("<h3>Bước tiếp theo</h3><p>Không còn bước nào phải làm.</p>"
                                   if case.closed_at is None else "")
            return
        parts = []
        for step in steps:
            status = step.status(at)
            colour = "#b00020" if status.startswith("Quá hạn") else "#7a4d00"
            parts.append(
                f"<p><b>{escape(step.title)}</b><br>{escape(step.rule)}"
                f"<br>Hạn chót: <b>{escape(fmt_datetime(step.deadline)) if step.deadline else '—'}</b> · "
                f"<span style='color:{colour}'><b>{escape(status)}</b></span>"
                + (f" · <a href='help:{escape(step.form)}'>Hướng dẫn</a>" if step.form else "") + "</p>"
            )
        self.next_step.setText("<h3 style='margin-bottom:0'>Bước tiếp theo</h3>" + "".join(parts))
        row = QVBoxLayout()
        row.setAlignment(Qt.AlignLeft)
        added: set[str] = set()
        for step in steps:
            allowed = can_edit or (step.form in ("05", "07") and self.can_approve)
            if not allowed or step.form in added:
                continue
            added.add(step.form)
            button = QPushButton(forms.step_buttons().get(step.form, "Làm bước này…"))
            button.setObjectName(f"step_{step.form}")
            button.clicked.connect(lambda _c=False, f=step.form: self.open_requested.emit(self._case_id, f))
            row.addWidget(button)
        self.steps_layout.addLayout(row)
        for i in range(row.count()):
            if row.itemAt(i).widget() is not None:
                row.itemAt(i).widget().show()

    can_approve = False

    def _link(self, href: str) -> None:
        if href.startswith("help:"):
            self.help_requested.emit(href[5:])
    empty_text = "Chọn một hồ sơ trong danh sách để xem."

    @staticmethod
    def _clear(layout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().setObjectName("")
                item.widget().deleteLater()
            elif item.layout() is not None:
                CaseView._clear(item.layout())
