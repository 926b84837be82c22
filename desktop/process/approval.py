"""Mẫu số 05 — the chairman approves the plan: the plan as submitted, who signs and in which capacity
(Chủ tịch, or KT. Chủ tịch – Phó Chủ tịch), when, from which day to which day. Leader accounts only.

Approving shows the decision and the plan as they will be signed (PDF preview) and asks for confirmation;
the chairman may instead return the plan to the worker for changes, with a comment."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QComboBox, QLabel

from models import validation as v
from models.services import plan as service
from models.process_rules import activity_kinds, format_vnd, printed_objectives, process_form

from desktop.common.fields import RadioChoice, date_edit, date_time_edit, multiline
from desktop.process.base import ProcessDialog, moment_or_now, fmt_date, fmt_datetime, qdate, qdatetime, wrap_label
from desktop.process.widgets import signer_names, version_label


def plan_html(version) -> str:
    spec = process_form("04")
    printed = {o["id"]: o["text"] for o in printed_objectives()}
    kinds = activity_kinds()
    objectives = "".join(f"<li>{escape(printed.get(o.printed_id, '') if o.printed_id else o.text)}</li>"
                         for o in version.objectives) or "<li><i>Chưa có mục tiêu</i></li>"
    head = "".join(f"<th>{escape(h)}</th>" for h in
                   ("Stt", spec["organisation"]["columns"][1], "Loại", spec["organisation"]["columns"][2],
                    spec["organisation"]["columns"][3], spec["organisation"]["columns"][4],
                    spec["organisation"]["extra_columns"]["labels"]["provider"], "Kinh phí (đồng)"))
    rows = "".join(
        f"<tr><td>{i}</td><td>{escape(a.name)}</td><td>{escape(kinds.get(a.kind, '').rstrip(';.'))}</td>"
        f"<td>{escape(a.responsible)}</td><td>{escape(a.coordinating)}</td>"
        f"<td>{fmt_date(a.start_on)} – {fmt_date(a.end_on)}</td><td>{escape(a.provider)}</td>"
        f"<td align='right'>{format_vnd(a.cost)}</td></tr>"
        for i, a in enumerate(version.activities, start=1))
    if not rows:
        rows = "<tr><td colspan='8'><i>Chưa có hoạt động nào</i></td></tr>"
    total = sum(a.cost for a in version.activities)
    return (f"<b>{escape(spec['objectives']['heading'])}</b><ul>{objectives}</ul>"
            f"<b>{escape(spec['organisation']['heading'])}</b>"
            f"<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr>{head}</tr>{rows}</table>"
            f"<p><b>{escape(spec['budget']['heading'])}:</b> tổng cộng {format_vnd(total)} đồng</p>")


class ApprovalDialog(ProcessDialog):
    HELP_PAGE = "phe-duyet-mau-05"  # F1: this screen's page of the guide (resources/help)
    FORM = "05"
    TITLE = "Mẫu số 05 — Quyết định phê duyệt kế hoạch hỗ trợ, can thiệp"

    def build(self) -> None:
        spec = self.spec = process_form("05")
        f = {k: v["label"] for k, v in spec["fields"].items()}
        self.state = wrap_label("")
        self.state.setObjectName("approval_state")
        self.body.addWidget(self.state)
        form = self.section("Kế hoạch trình phê duyệt (Mẫu số 04)")
        self.plan_view = QLabel()
        self.plan_view.setObjectName("plan_view")
        self.plan_view.setWordWrap(True)
        form.addRow(self.plan_view)
        self.add_error("activities", form)
        self.add_error("objectives", form)

        form = self.sign_form = self.section("Phê duyệt")
        capacities = {k: f"{c['label']} ({' – '.join(c['lines'])})" for k, c in spec["signing_capacities"].items()}
        capacity = RadioChoice(capacities)
        capacity.set_value("chu_tich")
        self.add_field(form, "signing_capacity", f["signing_capacity"], capacity)
        signer = QComboBox()
        signer.setEditable(True)
        self.add_field(form, "approved_by", f["approved_by"], signer, required=True)
        for button in capacity._buttons.values():
            button.toggled.connect(self._fill_signers)
        self.add_field(form, "approved_at", f["approved_at"], date_time_edit(), required=True)
        self.add_field(form, "effective_from", f["effective_from"], date_edit())
        self.add_field(form, "effective_to", f["effective_to"], date_edit())
        self.add_field(form, "recipients", spec["recipients"]["heading"].rstrip(":"), multiline(height=60))
        leader = self.actor.can("approve")
        form = self.return_form = self.section("Trả lại để người làm công tác bảo vệ trẻ em sửa")
        self.add_field(form, "return_comment", "Ý kiến: cần sửa những gì", multiline(height=50),
                       hint="Ý kiến hiện trong danh sách việc cần làm của người lập kế hoạch và trong lịch sử hồ sơ.")
        self.return_form.parentWidget().setVisible(leader)
        self.return_button = self.add_button("Trả lại để sửa…", "return_plan", self.return_plan, allowed=leader)
        self.approve_button = self.add_button("Xem và phê duyệt kế hoạch…", "approve", self.approve, allowed=leader)
        if not leader:
            self.body.addWidget(wrap_label("Chỉ Chủ tịch hoặc Phó Chủ tịch (đăng nhập bằng tài khoản lãnh đạo) "
                                           "phê duyệt được kế hoạch.", style="color:#555;"))
        self._fill_signers()

    def _fill_signers(self, *_args) -> None:
        combo: QComboBox = self.widgets["approved_by"]
        combo.clear()
        names = signer_names(self.office, self.widgets["signing_capacity"].value())
        if self.widgets["signing_capacity"].value() == "chu_tich" and self.actor.full_name not in names \
                and self.actor.can("approve") and not names:
            names = [self.actor.full_name]
        combo.addItems(names)

    def _version(self):
        """The version waiting for approval (the latest submitted, not approved), else the latest."""
        latest_ra = max((r.id for r in self.case.risk_assessments), default=None)
        plans = [p for p in self.case.plans if p.risk_assessment_id == latest_ra] or self.case.plans
        if not plans:
            return None
        return service.latest_version(plans[-1])

    def load(self) -> None:
        version = self._version()
        self.widgets["approved_at"].setDateTime(qdatetime(None))
        if version is None:
            self.plan_view.setText("<i>Hồ sơ chưa có kế hoạch hỗ trợ, can thiệp.</i>")
            self.state.setText("")
            self.sign_form.parentWidget().setEnabled(False)
            self.approve_button.setEnabled(False)
            self.return_form.parentWidget().setEnabled(False)
            self.return_button.setEnabled(False)
            return
        self.plan_view.setText(plan_html(version))
        text = version_label(version) + "."
        if version.reason:
            text += f" Lý do điều chỉnh: {version.reason}."
        a = version.approval
        if a is not None:
            cap = " – ".join(self.spec["signing_capacities"][a.signing_capacity]["lines"])
            text += (f" Quyết định số {service.decision_number(a)} do {a.approved_by} ({cap}) ký lúc "
                     f"{fmt_datetime(a.approved_at)}; thực hiện từ {fmt_date(a.effective_from)} đến "
                     f"{fmt_date(a.effective_to)}.")
            self.widgets["approved_by"].setEditText(a.approved_by)
            self.widgets["signing_capacity"].set_value(a.signing_capacity)
            self.widgets["effective_from"].setDate(qdate(a.effective_from))
            self.widgets["effective_to"].setDate(qdate(a.effective_to))
            self.widgets["recipients"].setPlainText(a.recipients)
        else:
            if version.activities:
                self.widgets["effective_from"].setDate(qdate(min(x.start_on for x in version.activities)))
                self.widgets["effective_to"].setDate(qdate(max(x.end_on for x in version.activities)))
            if not self.widgets["recipients"].toPlainText():
                self.widgets["recipients"].setPlainText("\n".join(self.spec["recipients"]["default"]))
            if version.submitted_at is None:
                text += " Người làm công tác bảo vệ trẻ em chưa trình kế hoạch này."
            if version.returned_at is not None and version.submitted_at is None:
                text += (f" Đã trả lại để sửa lúc {fmt_datetime(version.returned_at)} ({version.returned_by}): "
                         f"{version.return_comment}")
        self.state.setText(text)
        open_ = a is None and self.actor.can("approve") and self.case.closed_at is None
        self.sign_form.parentWidget().setEnabled(open_)
        self.approve_button.setEnabled(open_)
        can_return = open_ and version.submitted_at is not None
        self.return_form.parentWidget().setEnabled(can_return)
        self.return_button.setEnabled(can_return)

    def save(self) -> None:
        self.approve()

    def values(self) -> dict:
        return {k: v for k, v in super().values().items() if k != "return_comment"}

    def approve(self) -> None:
        """Show the decision and the plan as they will be signed; approve only when confirmed."""
        from printouts import form05

        from desktop.common.signing import SigningPreview, render

        version = self._version()
        raw = self.values()
        if version is None or not self.run(lambda: service.refuse_empty(version))[0]:
            return
        if version.submitted_at is None:
            self.top_error.show_message("Kế hoạch chưa được trình phê duyệt.")
            return
        if not str(raw.get("approved_by") or "").strip():
            self.errors["approved_by"].show_message("Ghi họ tên người ký quyết định.")
            return
        day = _parse(v.parse_datetime, raw.get("approved_at"))
        doc = form05.signing_document(
            self.case, self.office, version, signer=raw["approved_by"], capacity=raw["signing_capacity"] or "chu_tich",
            day=day.date() if day else None, effective_from=_parse(v.parse_date, raw.get("effective_from")),
            effective_to=_parse(v.parse_date, raw.get("effective_to")), recipients=raw.get("recipients") or "")
        self.sign_preview = SigningPreview(
            render(doc), title=f"Xem trước khi ký — Quyết định phê duyệt kế hoạch ({self.case.code})",
            question=f"Đây là quyết định phê duyệt kế hoạch hỗ trợ, can thiệp cho trẻ em {self.case.child.full_name} "
                     f"và kế hoạch kèm theo, như sẽ được ký bởi {raw['approved_by']}. Đọc kỹ rồi bấm "
                     "«Ký phê duyệt» để phê duyệt; số quyết định được cấp khi ký.",
            confirm_text="Ký phê duyệt", parent=self)
        self.sign_preview.confirmed.connect(lambda: self._approve(version, raw))
        self.sign_preview.open()

    def _approve(self, version, raw: dict) -> None:
        raw = dict(raw)
        raw["approved_at"] = moment_or_now(raw["approved_at"])
        ok, number = self.run(lambda: service.approve_plan(self.db, self.actor, version.id, raw))
        if ok:
            self.done_saving(f"Đã phê duyệt kế hoạch: quyết định số {number}.")

    def return_plan(self) -> None:
        version = self._version()
        comment = self.widgets["return_comment"].toPlainText()
        ok, _ = self.run(lambda: service.return_plan(self.db, self.actor, version.id, comment))
        if ok:
            self.widgets["return_comment"].clear()
            self.done_saving("Đã trả lại kế hoạch để sửa. Ý kiến đã chuyển vào danh sách việc cần làm của người "
                             "lập kế hoạch.")


def _parse(parser, text):
    try:
        return parser(text)
    except v.Invalid:
        return None
