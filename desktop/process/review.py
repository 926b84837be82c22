"""Mẫu số 06 — review at the plan's end: the end-stage ratings with computed totals and conclusion, what
changed, and the outcome: close the case (with the reason) or build a new plan (back to Mẫu 03)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit

from models.services import review as service
from models.services.plan import running_version
from models.process_rules import process_form

from desktop.common.fields import RadioChoice, date_edit, multiline
from desktop.process.base import ProcessDialog, fmt_date, qdate, wrap_label
from desktop.process.widgets import RatingTables, conclusion_html


class ReviewDialog(ProcessDialog):
    HELP_PAGE = "ra-soat-mau-06"  # F1: this screen's page of the guide (resources/help)
    FORM = "06"
    TITLE = "Mẫu số 06 — Rà soát, đánh giá tình trạng của trẻ em sau khi thực hiện kế hoạch"
    DRAFTS = True

    def build(self) -> None:
        spec = self.spec = process_form("06")
        labels = {f["id"]: f["label"] for f in spec["header_fields"]}
        self.state = wrap_label("")
        self.state.setObjectName("review_state")
        self.body.addWidget(self.state)
        form = self.section("Người thực hiện")
        self.add_field(form, "reviewer", labels["reviewer"], QLineEdit(), required=True)
        self.add_field(form, "reviewed_on", labels["reviewed_on"], date_edit(), required=True)
        form = self.section(spec["part1"]["heading"])
        self.ratings = RatingTables("06")
        self.add_field(form, "ratings", None, self.ratings)
        self.errors.update({f"ratings.{key}": mark for key, mark in self.ratings.marks.items()})
        self.conclusion = QLabel()
        self.conclusion.setObjectName("conclusion")
        self.conclusion.setWordWrap(True)
        form.addRow(self.conclusion)
        self.ratings.changed.connect(self._update_conclusion)
        for part, key in (("part2", "activities_result"), ("part3", "family_change"), ("part4", "community_change")):
            form = self.section(spec[part]["heading"])
            self.add_field(form, key, None, multiline(height=55))
        form = self.section(spec["part5"]["heading"])
        self.add_field(form, "outcome", None, RadioChoice(spec["part5"]["outcomes"], vertical=True), required=True)
        self.add_field(form, "outcome_reason", "Lý do đề xuất", multiline(height=55), required=True,
                       hint="Khi kết thúc kế hoạch, hồ sơ được đóng với lý do này và ngày rà soát.")
        self.save_button = self.add_button("Lưu Mẫu 06", "save", self.save, allowed=self.can_edit())
        self._update_conclusion()
        self.plan = None

    def _update_conclusion(self) -> None:
        self.conclusion.setText(conclusion_html(self.ratings.conclusion(), "06", len(self.ratings.missing())))

    def load(self) -> None:
        latest_ra = max((r.id for r in self.case.risk_assessments), default=None)
        plans = [p for p in self.case.plans if p.risk_assessment_id == latest_ra] or self.case.plans
        self.plan = plans[-1] if plans else None
        review = next((r for r in self.case.reviews if self.plan and r.plan_id == self.plan.id), None)
        self.widgets["reviewed_on"].setDate(qdate(review.reviewed_on if review else None))
        if review is not None:
            w = self.widgets
            w["reviewer"].setText(review.reviewer)
            self.ratings.set_value(review.ratings)
            for key in ("activities_result", "family_change", "community_change", "outcome_reason"):
                w[key].setPlainText(getattr(review, key))
            w["outcome"].set_value(review.outcome)
            self.state.setText(f"Kế hoạch đã được rà soát ngày {fmt_date(review.reviewed_on)}: "
                               f"{self.spec['part5']['outcomes'][review.outcome]}.")
            editable = False
        elif self.plan is None or running_version(self.plan) is None:
            self.state.setText("Chưa có kế hoạch đã phê duyệt để rà soát.")
            editable = False
        else:
            if not self.widgets["reviewer"].text():
                self.widgets["reviewer"].setText((self.office.worker_name if self.office else "") or self.actor.full_name)
            a = running_version(self.plan).approval
            self.state.setText(f"Rà soát kế hoạch thực hiện từ {fmt_date(a.effective_from)} đến "
                               f"{fmt_date(a.effective_to)}.")
            editable = self.can_edit()
        for w in self.widgets.values():
            w.setEnabled(editable)
        self.save_button.setEnabled(editable)

    def draft_ready(self) -> bool:
        return self.save_button.isEnabled()

    def save(self) -> None:
        ok, _ = self.run(lambda: service.record_review(self.db, self.actor, self.plan.id, self.values()))
        if ok:
            closed = self.values().get("outcome") == "ket_thuc"
            self.done_saving("Đã lưu Mẫu số 06 và đóng hồ sơ." if closed else
                             "Đã lưu Mẫu số 06. Bước tiếp theo: đánh giá lại nguy cơ (Mẫu số 03) để xây dựng kế hoạch mới.")
