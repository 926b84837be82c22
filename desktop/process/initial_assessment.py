"""Mẫu số 02 — initial assessment, with the Điều 31.1 conclusion computed live (and its 12-hour limit),
and the emergency measures taken."""
from __future__ import annotations

from datetime import timedelta
from html import escape

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from models.services import assessment
from models.process_rules import needs_emergency_by_rule, process_form
from models.stages import EMERGENCY_HOURS

from desktop.common import messages
from desktop.common.fields import RadioChoice, date_time_edit, multiline, yes_no_answer, yes_no_choice, yes_no_value
from desktop.process.base import LATE_COLOUR, ProcessDialog, deadline_text, fmt_datetime, qdatetime

FLAGS = ("threat_life", "threat_health", "threat_dignity", "caregiver_is_abuser", "abuser_can_reach")


class InitialAssessmentDialog(ProcessDialog):
    HELP_PAGE = "danh-gia-ban-dau-mau-02"  # F1: this screen's page of the guide (resources/help)
    FORM = "02"
    TITLE = "Mẫu số 02 — Đánh giá nguy cơ ban đầu"
    DRAFTS = True

    def build(self) -> None:
        spec = process_form("02")
        self.spec = spec
        labels = {f["id"]: f["label"] for f in spec["header_fields"]}
        form = self.section("Người đánh giá")
        self.add_field(form, "assessor", labels["assessor"], QLineEdit(), required=True)
        self.add_field(form, "assessed_at", labels["assessed_at"], date_time_edit(), required=True)

        form = self.section("Nội dung đánh giá")
        for q in spec["questions"]:
            if q.get("kind") == "text":
                self.add_field(form, q["id"], q["text"], multiline(height=60))
            else:  # three states: "Chưa trả lời" until the worker answers (never read as "Không")
                choice = yes_no_choice(spec["answers"]["yes"], spec["answers"]["no"])
                self.add_field(form, q["id"], q["text"], choice, required=True)
                for button in choice.buttons():
                    button.toggled.connect(self._update_conclusion)

        concl = spec["conclusion"]
        form = self.section(concl["heading"])
        self.conclusion = QLabel()
        self.conclusion.setObjectName("conclusion")
        self.conclusion.setWordWrap(True)
        form.addRow(self.conclusion)
        basis = QLabel(concl["rule_basis"])
        basis.setWordWrap(True)
        basis.setStyleSheet("color:#555;")
        form.addRow(basis)
        self.override = QCheckBox("Kết luận của tôi khác với gợi ý trên")
        self.override.setObjectName("override")
        self.override.toggled.connect(self._update_conclusion)
        form.addRow(self.override)
        self.add_field(form, "needs_emergency", "Kết luận", RadioChoice(
            {"yes": "Cần can thiệp khẩn cấp", "no": "Chưa cần can thiệp khẩn cấp"}))
        self.add_field(form, "override_reason", concl["override_label"], multiline(height=50))

        em = spec["emergency_measures"]
        self.kinds = em["kinds"]
        form = self.section(em["heading"])
        self.measures = QLabel()
        self.measures.setObjectName("measures")
        self.measures.setWordWrap(True)
        form.addRow(self.measures)
        kind = QComboBox()
        kind.addItem("— chọn loại biện pháp —", "")
        for code, text in self.kinds.items():
            kind.addItem(text, code)
        self.add_field(form, "m.kind", "Loại biện pháp", kind)
        self.add_field(form, "m.description", "Nội dung biện pháp", multiline(height=50))
        self.add_field(form, "m.taken_at", "Thời điểm áp dụng", date_time_edit())
        self.add_field(form, "m.decided_by", "Người quyết định", QLineEdit())
        self.add_field(form, "m.carried_out_by", "Người thực hiện", QLineEdit())
        self.measure_button = self.add_button("Ghi biện pháp khẩn cấp", "record_measure", self.record_measure,
                                              allowed=self.can_edit())
        self.save_button = self.add_button("Lưu Mẫu 02", "save", self.save, allowed=self.can_edit())
        self.save_button.setDefault(True)

    def load(self) -> None:
        ia = self.case.initial_assessment
        self.widgets["assessed_at"].setDateTime(qdatetime(ia.assessed_at if ia else None))
        self.widgets["m.taken_at"].setDateTime(qdatetime(None))
        if ia is not None:
            self.widgets["assessor"].setText(ia.assessor)
            for key in FLAGS:
                self.widgets[key].set_value(yes_no_value(getattr(ia, key)))
            for key in ("threat_description", "abuser_access_description", "safety_measures", "override_reason"):
                self.widgets[key].setPlainText(getattr(ia, key) or "")
            self.override.setChecked(ia.needs_emergency is not None and ia.needs_emergency_by_rule is not None
                                     and ia.needs_emergency != ia.needs_emergency_by_rule)
            self.widgets["needs_emergency"].set_value(yes_no_value(ia.needs_emergency))
        elif not self.widgets["assessor"].text():
            self.widgets["assessor"].setText((self.office.worker_name if self.office else "") or self.actor.full_name)
        items = [f"<li>{escape(fmt_datetime(m.taken_at))} — {escape(self.kinds.get(m.kind, m.kind))}: "
                 f"{escape(m.description)}</li>" for m in self.case.emergency_measures]
        self.measures.setText("<b>Đã ghi:</b><ul>" + "".join(items) + "</ul>" if items
                              else "<i>Chưa ghi biện pháp khẩn cấp nào.</i>")
        self.measure_button.setEnabled(ia is not None and ia.completed_at is not None)
        self._update_conclusion()

    def values(self) -> dict:
        raw = super().values()
        return raw

    def _raw(self) -> dict:
        raw = {k: v for k, v in self.values().items() if not k.startswith("m.")}
        for key in FLAGS:
            raw[key] = yes_no_answer(raw[key])  # None: not answered (the service refuses it)
        if self.override.isChecked() and raw.get("needs_emergency"):
            raw["needs_emergency"] = yes_no_answer(raw["needs_emergency"])
        else:
            raw["needs_emergency"] = None
            raw["override_reason"] = "" if not self.override.isChecked() else raw["override_reason"]
        ia = self.case.initial_assessment  # as loaded: another workstation's save since then is reported
        raw["row_version"] = ia.row_version if ia is not None else None
        return raw

    def _update_conclusion(self, *_args) -> None:
        answers = {k: yes_no_answer(self.widgets[k].value()) for k in FLAGS}
        by_rule = needs_emergency_by_rule(**{k: answers[k] for k in FLAGS if k != "abuser_can_reach"})
        concl = self.spec["conclusion"]
        received = self.case.intake.received_at if self.case.intake else self.case.opened_at
        deadline = received + timedelta(hours=EMERGENCY_HOURS)
        unanswered = sum(answers[k] is None for k in FLAGS)
        if by_rule is None:
            text = (f"<i>Còn {unanswered} câu hỏi chưa trả lời. Trả lời các câu hỏi Có/Không ở trên để thấy "
                    "kết luận gợi ý.</i>")
        elif by_rule:
            status = deadline_text(deadline)
            colour = LATE_COLOUR if status.startswith("Quá hạn") else "#7a4d00"
            text = (f"<b style='color:{LATE_COLOUR}'>{escape(concl['needs_emergency'])}</b><br>"
                    f"Hạn áp dụng biện pháp khẩn cấp hoặc quyết định tạm thời cách ly: "
                    f"<b>{escape(fmt_datetime(deadline))}</b> ({EMERGENCY_HOURS} giờ kể từ khi nhận thông tin lúc "
                    f"{escape(fmt_datetime(received))}) — <b style='color:{colour}'>{escape(status)}</b>")
        else:
            text = f"<b>{escape(concl['no_emergency'])}</b>"
        if by_rule is not None and unanswered:
            text += f"<br><i>Còn {unanswered} câu hỏi chưa trả lời.</i>"
        self.conclusion.setText("Gợi ý theo các câu trả lời: " + text)
        self.widgets["needs_emergency"].setEnabled(self.override.isChecked())
        self.widgets["override_reason"].setEnabled(self.override.isChecked())

    def save(self) -> None:
        raw = self._raw()
        ia = self.case.initial_assessment
        by_rule = needs_emergency_by_rule(**{k: raw[k] for k in FLAGS if k != "abuser_can_reach"})
        new = raw["needs_emergency"] if raw["needs_emergency"] is not None else by_rule
        if ia is not None and ia.completed_at is not None and new is not None and ia.needs_emergency is not None \
                and new != ia.needs_emergency:
            # A recorded legal conclusion turned around is a step backwards: never by one click.
            words = {True: "cần can thiệp khẩn cấp", False: "chưa cần can thiệp khẩn cấp"}
            answer = messages.choose(
                self, "Đổi kết luận đã lưu",
                f"Mẫu số 02 đã lưu với kết luận: {words[ia.needs_emergency]}.\n\nLưu thay đổi sẽ đổi kết luận thành: "
                f"{words[new]} (ghi vào nhật ký). Tiếp tục?",
                ["Đổi kết luận và lưu", "Không lưu"], default=1, escape=1)
            if answer != 0:
                return
        ok, _ = self.run(lambda: assessment.save_initial_assessment(self.db, self.actor, self.case_id, raw))
        if ok:
            ia = None
            self.done_saving("Đã lưu Mẫu số 02.")
            ia = self.case.initial_assessment
            if ia.needs_emergency:
                self.say("Đã lưu Mẫu số 02. Trẻ em cần can thiệp khẩn cấp: ghi biện pháp khẩn cấp bên dưới, "
                         "hoặc lập dự thảo quyết định tạm thời cách ly (Mẫu số 07) để Chủ tịch ký.")

    def record_measure(self) -> None:
        raw = {k[2:]: v for k, v in self.values().items() if k.startswith("m.")}
        ok, _ = self.run(lambda: assessment.record_emergency_measure(self.db, self.actor, self.case_id, raw),
                         prefix="m.")
        if ok:
            self.widgets["m.description"].clear()
            self.widgets["m.kind"].setCurrentIndex(0)
            self.done_saving("Đã ghi biện pháp khẩn cấp.")
