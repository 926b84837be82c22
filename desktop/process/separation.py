"""Mẫu số 07 — temporary separation: the worker drafts, the chairman (or a vice-chairman signing "KT.")
decides from the leader account, the worker records an authority's extension and how it ended."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QComboBox, QLineEdit

from models.services import separation as service
from models.process_rules import process_form, separation_end, separation_grounds

from desktop.common.fields import RadioChoice, date_time_edit, multiline
from desktop.process.base import ProcessDialog, moment_or_now, fmt_date, fmt_datetime, qdatetime, VerticalChecks, wrap_label
from desktop.process.widgets import signer_names

DRAFT_KEYS = ("grounds", "separated_from", "safe_place", "carer_kind", "carer_name", "carer_address",
              "executing_officer", "recipients", "start_at", "duration_days", "order_number", "order_date",
              "order_body")


class SeparationDialog(ProcessDialog):
    HELP_PAGE = "cach-ly-mau-07"  # F1: this screen's page of the guide (resources/help)
    FORM = "07"
    TITLE = "Mẫu số 07 — Quyết định tạm thời cách ly trẻ em"
    DRAFTS = True

    def build(self) -> None:
        spec = self.spec = process_form("07")
        f = {k: v["label"] for k, v in spec["fields"].items()}
        self.status = wrap_label("")
        self.status.setObjectName("separation_status")
        self.body.addWidget(self.status)

        form = self.draft_form = self.section("Dự thảo quyết định (người làm công tác bảo vệ trẻ em lập)")
        self.add_field(form, "grounds", spec["grounds"]["heading"], VerticalChecks(separation_grounds()), required=True)
        # What the case's records say about each ground (Điều 32.1): a hint; the worker still chooses.
        self.ground_hints = wrap_label("")
        self.ground_hints.setObjectName("ground_hints")
        self.ground_hints.setStyleSheet("color:#5d4037;")
        form.addRow("", self.ground_hints)
        self.add_field(form, "separated_from", f["separated_from"], QLineEdit(), required=True)
        self.add_field(form, "safe_place", f["safe_place"], QLineEdit(), required=True)
        self.add_field(form, "carer_kind", f["carer_kind"], RadioChoice(spec["carer_kinds"]))
        self.add_field(form, "carer_name", f["carer_name"], QLineEdit(), required=True)
        self.add_field(form, "carer_address", f["carer_address"], QLineEdit())
        self.add_field(form, "executing_officer", f["executing_officer"], QLineEdit())
        self.add_field(form, "start_at", f["start_at"], date_time_edit(), required=True)
        days = QLineEdit("15")
        days.setMaximumWidth(80)
        self.add_field(form, "duration_days", f["duration_days"], days, required=True, hint=spec["max_days_rule"])
        self.add_field(form, "order_number", f["order_number"], QLineEdit(),
                       hint="Chỉ ghi khi thời hạn quá 15 ngày.")
        order_date = QLineEdit()
        order_date.setPlaceholderText("ngày/tháng/năm")
        self.add_field(form, "order_date", f["order_date"], order_date)
        self.add_field(form, "order_body", f["order_body"], QLineEdit())
        self.add_field(form, "recipients", f["recipients"], multiline(height=60))

        form = self.decide_form = self.section("Chủ tịch quyết định")
        capacities = {k: f"{c['label']} ({' – '.join(c['lines'])})" for k, c in spec["signing_capacities"].items()}
        capacity = RadioChoice(capacities)
        capacity.set_value("chu_tich")
        self.add_field(form, "d.signing_capacity", "Thẩm quyền ký", capacity)
        signer = QComboBox()
        signer.setEditable(True)
        self.add_field(form, "d.decided_by", f["decided_by"], signer)
        self.add_field(form, "d.decided_at", f["decided_at"], date_time_edit())
        for button in capacity._buttons.values():
            button.toggled.connect(self._fill_signers)
        self._fill_signers()

        form = self.extend_form = self.section("Gia hạn theo văn bản của cơ quan có thẩm quyền")
        days = QLineEdit()
        days.setMaximumWidth(80)
        self.add_field(form, "x.duration_days", "Thời hạn mới (ngày)", days)
        self.add_field(form, "x.order_number", "Số văn bản", QLineEdit())
        order_date = QLineEdit()
        order_date.setPlaceholderText("ngày/tháng/năm")
        self.add_field(form, "x.order_date", "Ngày văn bản", order_date)
        self.add_field(form, "x.order_body", "Cơ quan ban hành", QLineEdit())

        form = self.end_form = self.section("Kết thúc tạm thời cách ly")
        self.add_field(form, "e.outcome", "Kết quả", RadioChoice(spec["outcomes"], vertical=True))
        self.add_field(form, "e.outcome_at", "Thời điểm", date_time_edit())
        self.add_field(form, "e.outcome_note", "Ghi chú", multiline(height=50))

        edit = self.can_edit()
        self.save_button = self.add_button("Lưu dự thảo", "save", self.save, allowed=edit)
        self.decide_button = self.add_button("Xem và ký quyết định cách ly…", "decide", self.decide,
                                             allowed=self.actor.can("approve"))
        self.extend_button = self.add_button("Ghi gia hạn", "extend", self.extend, allowed=edit)
        self.end_button = self.add_button("Ghi kết thúc cách ly", "end", self.end, allowed=edit)

    def _fill_signers(self, *_args) -> None:
        combo: QComboBox = self.widgets["d.decided_by"]
        typed = combo.currentText()
        combo.clear()
        names = signer_names(self.office, self.widgets["d.signing_capacity"].value())
        combo.addItems(names)
        if typed and typed not in names and typed not in signer_names(self.office, "chu_tich") + \
                signer_names(self.office, "kt_pho_chu_tich"):
            combo.setEditText(typed)

    @property
    def current(self):
        """The separation this screen works on: the latest one not ended (None: a new draft)."""
        seps = [s for s in self.case.separations if not s.outcome]
        return seps[-1] if seps else None

    def draft_ready(self) -> bool:
        sep = self.current
        return sep is None or sep.decided_at is None

    def _show_ground_hints(self) -> None:
        hints = service.ground_hints(self.case)
        supported = service.supported_grounds(self.case)
        names = separation_grounds()
        lines = [f"<b>{i}.</b> {escape(hints[key])}" for i, key in enumerate(names, start=1)]
        if supported:
            lines.insert(0, "Hồ sơ ủng hộ căn cứ " + ", ".join(
                str(list(names).index(k) + 1) for k in supported) + ". Người lập dự thảo tự chọn căn cứ.")
        else:
            lines.insert(0, "Hồ sơ chưa đủ để ủng hộ rõ căn cứ nào. Người lập dự thảo tự chọn căn cứ.")
        self.ground_hints.setText("<br>".join(lines))

    def load(self) -> None:
        self._show_ground_hints()
        sep = self.current
        self.widgets["d.decided_at"].setDateTime(qdatetime(None))
        self.widgets["e.outcome_at"].setDateTime(qdatetime(None))
        if sep is None:
            self.widgets["start_at"].setDateTime(qdatetime(None))
            if not self.widgets["recipients"].toPlainText():
                self.widgets["recipients"].setPlainText("\n".join(self.spec["recipients"]["default"]))
            if not self.widgets["executing_officer"].text():
                self.widgets["executing_officer"].setText("Người làm công tác bảo vệ trẻ em cấp xã")
        else:
            w = self.widgets
            w["grounds"].set_value(sep.grounds)
            for key in ("separated_from", "safe_place", "carer_name", "carer_address", "executing_officer",
                        "order_number", "order_body"):
                w[key].setText(getattr(sep, key) or "")
            w["carer_kind"].set_value(sep.carer_kind)
            w["recipients"].setPlainText(sep.recipients)
            w["start_at"].setDateTime(qdatetime(sep.start_at))
            w["duration_days"].setText(str(sep.duration_days))
            w["order_date"].setText(fmt_date(sep.order_date) if sep.order_date else "")
        ended = [s for s in self.case.separations if s.outcome]
        lines = []
        for s in ended:
            lines.append(f"Quyết định số {s.doc_number:02d}/QĐ đã kết thúc lúc {fmt_datetime(s.outcome_at)}: "
                         f"{self.spec['outcomes'][s.outcome]}." if s.doc_number else "")
        if sep is None:
            lines.append("Chưa có dự thảo quyết định tạm thời cách ly đang chờ. Điền dự thảo bên dưới để trình Chủ tịch.")
        elif sep.decided_at is None:
            lines.append(f"Dự thảo do {sep.drafted_by} lập lúc {fmt_datetime(sep.drafted_at)}, chờ Chủ tịch ký.")
        else:
            end = separation_end(sep.start_at, sep.duration_days, self.calendar)
            cap = " – ".join(self.spec["signing_capacities"][sep.signing_capacity]["lines"])
            lines.append(f"<b>Quyết định số {sep.doc_number:02d}/QĐ</b> do {escape(sep.decided_by)} ({escape(cap)}) ký lúc "
                         f"{fmt_datetime(sep.decided_at)}. Cách ly {sep.duration_days} ngày từ "
                         f"{fmt_datetime(sep.start_at)}, <b>hết ngày {fmt_date(end)}</b> (không lùi sang ngày làm "
                         "việc: tối đa không quá 15 ngày, khoản 3 Điều 32 Nghị định 56/2017/NĐ-CP). Trước ngày cuối, "
                         "đánh giá lại (Mẫu số 03) để trẻ em trở về gia đình hoặc đề nghị Tòa án."
                         + (f" Quyết định ký {sep.original_duration_days} ngày; gia hạn theo văn bản số "
                            f"{escape(sep.order_number)}." if sep.original_duration_days is not None else ""))
        self.status.setText("<br>".join(x for x in lines if x))
        undecided = sep is None or sep.decided_at is None
        self.draft_form.parentWidget().setEnabled(undecided and self.can_edit())
        self.save_button.setEnabled(undecided)
        self.decide_form.parentWidget().setEnabled(sep is not None and sep.decided_at is None
                                                   and self.actor.can("approve"))
        self.decide_button.setEnabled(sep is not None and sep.decided_at is None)
        running = sep is not None and sep.decided_at is not None
        for form, button in ((self.extend_form, self.extend_button), (self.end_form, self.end_button)):
            form.parentWidget().setEnabled(running and self.can_edit())
            button.setEnabled(running)

    def values(self) -> dict:
        return {k: v for k, v in super().values().items() if k in DRAFT_KEYS}

    def _part(self, prefix: str) -> dict:
        return {k[len(prefix):]: v for k, v in super().values().items() if k.startswith(prefix)}

    def save(self) -> None:
        sep = self.current
        ok, _ = self.run(lambda: service.save_separation_draft(
            self.db, self.actor, self.case_id, {**self.values(), "row_version": sep.row_version if sep else None},
            separation_id=sep.id if sep else None))
        if ok:
            self.done_saving("Đã lưu dự thảo quyết định tạm thời cách ly. Trình Chủ tịch ký (tài khoản lãnh đạo).")

    def decide(self) -> None:
        """Show the decision as it will be signed; sign only when confirmed."""
        from models.clock import now
        from models.validation import Invalid, parse_datetime
        from printouts import form07

        from desktop.common.signing import SigningPreview, render

        sep = self.current
        raw = self._part("d.")
        self.clear_errors()
        if sep is None or sep.decided_at is not None:
            return
        if not str(raw.get("decided_by") or "").strip():
            self.errors["d.decided_by"].show_message("Ghi họ tên người ký quyết định.")
            return
        try:
            moment = parse_datetime(raw.get("decided_at")) or now()
        except Invalid:
            moment = now()
        doc = form07.signing_document(self.case, self.office, sep, signer=raw["decided_by"],
                                      capacity=raw["signing_capacity"] or "chu_tich", moment=moment)
        self.sign_preview = SigningPreview(
            render(doc), title=f"Xem trước khi ký — Quyết định tạm thời cách ly ({self.case.code})",
            question=f"Đây là quyết định tạm thời cách ly trẻ em {self.case.child.full_name} khỏi "
                     f"{sep.separated_from}, {sep.duration_days} ngày, như sẽ được ký bởi {raw['decided_by']}. "
                     "Đọc kỹ rồi bấm «Ký quyết định» để ký; số quyết định được cấp khi ký.",
            confirm_text="Ký quyết định", parent=self)
        self.sign_preview.confirmed.connect(lambda: self._decide(sep, raw))
        self.sign_preview.open()

    def _decide(self, sep, raw: dict) -> None:
        ok, number = self.run(lambda: service.decide_separation(
            self.db, self.actor, sep.id, decided_by=raw["decided_by"], signing_capacity=raw["signing_capacity"],
            decided_at=moment_or_now(raw["decided_at"])), prefix="d.")
        if ok:
            self.done_saving(f"Đã ký quyết định tạm thời cách ly số {number}.")

    def extend(self) -> None:
        sep = self.current
        ok, _ = self.run(lambda: service.extend_separation(self.db, self.actor, sep.id, self._part("x.")),
                         prefix="x.")
        if ok:
            self.done_saving("Đã ghi gia hạn tạm thời cách ly.")

    def end(self) -> None:
        sep = self.current
        raw = self._part("e.")
        ok, _ = self.run(lambda: service.end_separation(self.db, self.actor, sep.id, outcome=raw["outcome"],
                                                        at=moment_or_now(raw["outcome_at"]), note=raw["outcome_note"]), prefix="e.")
        if ok:
            self.done_saving("Đã ghi kết thúc tạm thời cách ly.")
