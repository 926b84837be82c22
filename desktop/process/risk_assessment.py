"""Mẫu số 03 — specific risk assessment: part 1 answers, the two rating tables with each level's printed
explanation, the "Tổng số" counts and the conclusion computed live (never typed), problems in priority
order, opinions, service needs."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, QVBoxLayout, QWidget,
)

from models.services import assessment
from models.process_rules import process_form

from desktop.common.fields import date_edit, multiline
from desktop.process.base import ProcessDialog, VerticalChecks, fmt_date, qdate, wrap_label
from desktop.process.widgets import RatingTables, conclusion_html


class ProblemList(QWidget):
    """Problems of the child in priority order: add, move up / down, remove."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.entry = QLineEdit()
        self.entry.setObjectName("problem_entry")
        self.entry.setPlaceholderText("Gõ một vấn đề rồi bấm Thêm")
        self.entry.returnPressed.connect(self.add)
        add = QPushButton("Thêm")
        add.setObjectName("problem_add")
        add.setAutoDefault(False)
        add.clicked.connect(self.add)
        row.addWidget(self.entry, 1)
        row.addWidget(add)
        layout.addLayout(row)
        self.list = QListWidget()
        self.list.setObjectName("problem_list")
        self.list.setMaximumHeight(110)
        layout.addWidget(self.list)
        moves = QHBoxLayout()
        for text, name, slot in (("Lên trên", "problem_up", lambda: self.move(-1)),
                                 ("Xuống dưới", "problem_down", lambda: self.move(1)),
                                 ("Xoá", "problem_remove", self.remove)):
            b = QPushButton(text)
            b.setObjectName(name)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            moves.addWidget(b)
        moves.addStretch(1)
        layout.addLayout(moves)

    def add(self) -> None:
        text = self.entry.text().strip()
        if text:
            self.list.addItem(text)
            self.entry.clear()

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def value(self) -> list[str]:
        items = [self.list.item(i).text() for i in range(self.list.count())]
        pending = self.entry.text().strip()  # typed but not yet added: kept, not lost
        return items + ([pending] if pending else [])

    def set_value(self, problems) -> None:
        self.list.clear()
        self.list.addItems(list(problems or []))


class RiskAssessmentDialog(ProcessDialog):
    HELP_PAGE = "danh-gia-nguy-co-mau-03"  # F1: this screen's page of the guide (resources/help)
    FORM = "03"
    TITLE = "Mẫu số 03 — Thu thập thông tin, xác minh và đánh giá nguy cơ cụ thể"
    DRAFTS = True

    def build(self) -> None:
        spec = self.spec = process_form("03")
        labels = {f["id"]: f["label"] for f in spec["header_fields"]}
        self.state = wrap_label("")
        self.state.setObjectName("ra_state")
        self.body.addWidget(self.state)
        self.new_button = QPushButton("Lập Mẫu 03 mới (đánh giá lại)")
        self.new_button.setObjectName("new_assessment")
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.start_new)
        self.new_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.fields_box = QWidget()
        self.body.addWidget(self.fields_box)
        outer_body, self.body = self.body, QVBoxLayout(self.fields_box)
        self.body.setContentsMargins(0, 0, 0, 0)

        form = self.section("Người đánh giá")
        self.add_field(form, "assessor", labels["assessor"], QLineEdit(), required=True)
        self.add_field(form, "assessed_on", labels["assessed_on"], date_edit(), required=True)

        form = self.section(spec["part1"]["heading"])
        self.add_error("answers", form)
        for q in spec["part1"]["questions"]:
            form.addRow(wrap_label(q["text"], bold=True))
            for a in q["answers"]:
                self.add_field(form, f"answers.{q['id']}.{a['id']}", a["label"] or "Trả lời", multiline(height=50))

        box = self.section(spec["part2"]["heading"])
        self.ratings = RatingTables("03")
        self.add_field(box, "ratings", None, self.ratings)
        self.errors.update({f"ratings.{key}": mark for key, mark in self.ratings.marks.items()})
        self.ratings.changed.connect(self._update_conclusion)

        form = self.section(spec["part3"]["heading"])
        form.addRow(wrap_label(spec["part3"]["intro"], style="color:#555;"))
        self.conclusion = QLabel()
        self.conclusion.setObjectName("conclusion")
        self.conclusion.setWordWrap(True)
        form.addRow(self.conclusion)

        form = self.section(spec["part4"]["heading"])
        form.addRow(wrap_label(spec["part4"]["intro"], style="color:#555;"))
        self.add_field(form, "problems", None, ProblemList())

        form = self.section(spec["part5"]["heading"])
        self.add_field(form, "child_opinion", None, multiline(height=50))

        part6 = spec["part6"]
        form = self.section(part6["heading"])
        skip = QCheckBox("Không lấy ý kiến vì cha, mẹ, người chăm sóc là người gây tổn hại cho trẻ em")
        self.add_field(form, "parents_opinion_skipped", None, skip)
        self.add_field(form, "parents_skip_reason", "Lý do", QLineEdit())
        self.add_field(form, "parents_opinion", "Ý kiến, nguyện vọng", multiline(height=50))
        skip.toggled.connect(self._skip_changed)

        part7 = spec["part7"]
        form = self.section(part7["heading"])
        self.add_field(form, "service_needs", None, VerticalChecks(part7["needs"]))
        self.add_field(form, "service_needs_note", "Ghi rõ thêm", multiline(height=40))
        self.body = outer_body

        self.save_button = self.add_button("Lưu Mẫu 03", "save", self.save, allowed=self.can_edit())
        self._editing_id: int | None = None
        self._update_conclusion()

    # -- state ---------------------------------------------------------------------------------------
    def _latest(self):
        return max(self.case.risk_assessments, key=lambda r: r.id) if self.case.risk_assessments else None

    def _used(self, ra) -> bool:
        return bool(assessment.built_on(ra.id, (p.risk_assessment_id for p in self.case.plans),
                                        (m.risk_assessment_id for m in self.case.meetings)))

    def draft_ready(self) -> bool:
        return self.fields_box.isEnabled()

    def load(self) -> None:
        ra = self._latest()
        stage_needs_new = ra is not None and self._used(ra)
        if ra is not None and not stage_needs_new:
            self._editing_id = ra.id
            self._loaded_version = ra.row_version  # a save by another workstation since is reported
            self._fill(ra)
            self.state.setText(f"Mẫu số 03 lập ngày {fmt_date(ra.assessed_on)}; còn sửa được vì chưa có biên bản họp "
                               "hay kế hoạch dựa trên nó.")
            self.fields_box.setEnabled(self.can_edit())
        elif ra is not None:
            self._editing_id = None
            self._fill(ra)
            self.state.setText(f"Mẫu số 03 lập ngày {fmt_date(ra.assessed_on)} đã được dùng cho cuộc họp hoặc kế hoạch "
                               "nên chỉ xem được. Khi cần đánh giá lại (hồ sơ mở lại, kế hoạch mới, trước khi hết thời "
                               "hạn cách ly), lập Mẫu 03 mới.")
            self.fields_box.setEnabled(False)
            self.new_button.setVisible(self.can_edit())
        else:
            self._editing_id = None
            self.state.setText("")
            self.fields_box.setEnabled(self.can_edit())
            self._defaults()
        self.save_button.setEnabled(self.fields_box.isEnabled())

    def _defaults(self) -> None:
        if not self.widgets["assessor"].text():
            self.widgets["assessor"].setText((self.office.worker_name if self.office else "") or self.actor.full_name)
        self.widgets["assessed_on"].setDate(qdate(None))
        ia = self.case.initial_assessment
        if ia is not None and ia.caregiver_is_abuser:
            self.widgets["parents_opinion_skipped"].setChecked(True)
        self._skip_changed(self.widgets["parents_opinion_skipped"].isChecked())

    def _fill(self, ra) -> None:
        w = self.widgets
        w["assessor"].setText(ra.assessor)
        w["assessed_on"].setDate(qdate(ra.assessed_on))
        for q, answers in (ra.answers or {}).items():
            for a, text in answers.items():
                if f"answers.{q}.{a}" in w:
                    w[f"answers.{q}.{a}"].setPlainText(text)
        self.ratings.set_value(ra.ratings)
        w["problems"].set_value(ra.problems)
        w["child_opinion"].setPlainText(ra.child_opinion)
        w["parents_opinion_skipped"].setChecked(ra.parents_opinion_skipped)
        w["parents_skip_reason"].setText(ra.parents_skip_reason)
        w["parents_opinion"].setPlainText(ra.parents_opinion)
        w["service_needs"].set_value(ra.service_needs)
        w["service_needs_note"].setPlainText(ra.service_needs_note)
        self._skip_changed(ra.parents_opinion_skipped)

    def start_new(self) -> None:
        """A new round: an empty Mẫu 03 (the old one stays in the file)."""
        self._editing_id = None
        for key, widget in self.widgets.items():
            if key in ("assessor", "assessed_on"):
                continue
            if hasattr(widget, "setPlainText"):
                widget.setPlainText("")
            elif isinstance(widget, QLineEdit):
                widget.clear()
        self.ratings.clear()
        self.widgets["problems"].set_value([])
        self.widgets["service_needs"].set_value([])
        self.widgets["parents_opinion_skipped"].setChecked(False)
        self._defaults()
        self.fields_box.setEnabled(True)
        self.save_button.setEnabled(True)
        self.new_button.hide()
        self.state.setText("Mẫu số 03 mới: đánh giá lại tình trạng của trẻ em.")

    def _skip_changed(self, skipped: bool) -> None:
        reason = self.widgets["parents_skip_reason"]
        if skipped and not reason.text():
            reason.setText(self.spec["part6"]["skip_note"])
        reason.setEnabled(skipped)
        self.widgets["parents_opinion"].setEnabled(not skipped)

    def _update_conclusion(self) -> None:
        self.conclusion.setText(conclusion_html(self.ratings.conclusion(), "03", len(self.ratings.missing())))

    def values(self) -> dict:
        raw = super().values()
        answers: dict[str, dict[str, str]] = {}
        for key in [k for k in raw if k.startswith("answers.")]:
            _, q, a = key.split(".")
            answers.setdefault(q, {})[a] = raw.pop(key)
        raw["answers"] = answers
        if raw["parents_opinion_skipped"]:
            raw["parents_opinion"] = ""
        return raw

    def load_values(self, values: dict) -> None:
        flat = dict(values)
        for q, answers in (flat.pop("answers", None) or {}).items():
            for a, text in answers.items():
                flat[f"answers.{q}.{a}"] = text
        super().load_values(flat)
        self._update_conclusion()

    def save(self) -> None:
        ok, _ = self.run(lambda: assessment.save_risk_assessment(
            self.db, self.actor, self.case_id, {**self.values(), "row_version": self._loaded_version if self._editing_id else None},
            assessment_id=self._editing_id))
        if ok:
            self.done_saving("Đã lưu Mẫu số 03. Bước tiếp theo: họp xác định nhu cầu hỗ trợ, can thiệp (biên bản họp).")
