"""Báo cáo vụ việc — a case of abuse reported to the level above: "reported by phone at HH:MM to …" recorded
at once, then the written report (anonymised by default), issued with its number "NN/BC-UBND" within one day
of reception."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

from models.numbering import office_abbrev
from models.services import incident_report as service
from models.process_rules import process_form
from models.stages import incident_report_deadline

from desktop.common.fields import RadioChoice, date_edit, date_time_edit, multiline
from desktop.process.base import ProcessDialog, fmt_date, fmt_datetime, moment_or_now, qdate, qdatetime, wrap_label
from desktop.process.widgets import signer_names


class IncidentReportDialog(ProcessDialog):
    HELP_PAGE = "bao-cao-len-cap-tren"  # F1: this screen's page of the guide (resources/help)
    FORM = "bao_cao_vu_viec"
    TITLE = "Báo cáo vụ việc lên cấp trên"
    DRAFTS = True

    def build(self) -> None:
        spec = self.spec = process_form(service.FORM)
        f = {k: v["label"] for k, v in spec["fields"].items()}
        self.state = wrap_label("")
        self.state.setObjectName("incident_state")
        self.body.addWidget(self.state)
        self.body.addWidget(wrap_label(spec["deadline_rule"], style="color:#555;"))

        form = self.phone_form = self.section("Báo cáo ngay bằng điện thoại")
        self.phoned = QCheckBox("Đã báo cáo bằng điện thoại")
        self.phoned.setObjectName("_phoned")
        form.addRow(self.phoned)
        self.add_field(form, "phoned_at", f["phoned_at"], date_time_edit())
        self.add_field(form, "phoned_to", f["phoned_to"], QLineEdit())
        self.add_field(form, "phoned_by", f["phoned_by"], QLineEdit())
        self.phoned.toggled.connect(self._phone_enabled)

        form = self.report_form = self.section("Báo cáo bằng văn bản")
        self.add_field(form, "recipient", f["recipient"], QLineEdit(), required=True)
        self.add_field(form, "summary", f["summary"], multiline(height=80), required=True,
                       hint="Chỉ ghi những gì cấp trên cần để chỉ đạo; không ghi thông tin về người báo tin.")
        self.add_field(form, "actions_taken", f["actions_taken"], multiline(height=60))
        self.add_field(form, "proposals", f["proposals"], multiline(height=50))
        anonymous = QCheckBox(f["anonymised"])
        anonymous.setChecked(True)
        self.add_field(form, "anonymised", None, anonymous)
        capacities = {k: f"{c['label']} ({' – '.join(c['lines'])})" for k, c in spec["signing_capacities"].items()}
        capacity = RadioChoice(capacities)
        capacity.set_value("chu_tich")
        self.add_field(form, "signing_capacity", f["signing_capacity"], capacity)
        signer = QComboBox()
        signer.setEditable(True)
        self.add_field(form, "signer", f["signer"], signer, required=True)
        for button in capacity._buttons.values():
            button.toggled.connect(self._fill_signers)
        self._fill_signers()

        form = self.issue_form = self.section("Phát hành (cấp số báo cáo)")
        self.add_field(form, "report_date", f["report_date"], date_edit())

        edit = self.can_edit()
        self.save_button = self.add_button("Lưu", "save", self.save, allowed=edit)
        self.issue_button = self.add_button("Phát hành báo cáo", "issue", self.issue, allowed=edit)

    def _phone_enabled(self, on: bool) -> None:
        for key in ("phoned_at", "phoned_to", "phoned_by"):
            self.widgets[key].setEnabled(on and self.draft_ready())

    def _fill_signers(self, *_args) -> None:
        combo: QComboBox = self.widgets["signer"]
        typed = combo.currentText()
        combo.clear()
        names = signer_names(self.office, self.widgets["signing_capacity"].value())
        combo.addItems(names)
        if typed and typed not in names:
            combo.setEditText(typed)

    @property
    def current(self):
        """The report this screen works on: the latest one of the case (not a pre-upgrade marker)."""
        items = [r for r in self.case.incident_reports if not r.untracked]
        return items[-1] if items else None

    def draft_ready(self) -> bool:
        report = self.current
        return report is None or report.issued_at is None

    def load(self) -> None:
        report = self.current
        w = self.widgets
        w["report_date"].setDate(qdate(None))
        if report is None:
            w["phoned_at"].setDateTime(qdatetime(None))
            if not w["recipient"].text() and self.office is not None:
                w["recipient"].setText(self.office.report_recipient or "")
            self.phoned.setChecked(False)
        else:
            self.phoned.setChecked(report.phoned_at is not None)
            w["phoned_at"].setDateTime(qdatetime(report.phoned_at))
            for key in ("phoned_to", "phoned_by", "recipient"):
                w[key].setText(getattr(report, key))
            for key in ("summary", "actions_taken", "proposals"):
                w[key].setPlainText(getattr(report, key))
            w["anonymised"].setChecked(report.anonymised)
            w["signing_capacity"].set_value(report.signing_capacity)
            self._fill_signers()
            w["signer"].setEditText(report.signer)
        due = incident_report_deadline(self.case.intake.received_at if self.case.intake else self.case.opened_at)
        lines = [escape(service.status_text(self.case))]
        if report is not None and report.issued_at is not None:
            number = service.document_number(report, office_abbrev(self.office))
            lines.append(f"<b>Báo cáo số {number}</b> ngày {fmt_date(report.report_date)}"
                         + (" — quá hạn 01 ngày." if report.issued_at > due else "."))
        else:
            lines.append(f"<b>Hạn báo cáo bằng văn bản: hết ngày {fmt_date(due)}.</b>")
        self.state.setText("<br>".join(lines))
        editable = self.draft_ready() and self.can_edit()
        for key, widget in w.items():
            widget.setEnabled(editable)
        self.phoned.setEnabled(editable)
        self._phone_enabled(self.phoned.isChecked())
        self.save_button.setEnabled(editable)
        self.issue_button.setEnabled(editable)

    def values(self) -> dict:
        raw = {k: v for k, v in super().values().items() if k != "report_date"}
        if not self.phoned.isChecked():
            raw["phoned_at"], raw["phoned_to"], raw["phoned_by"] = "", "", ""
        else:
            raw["phoned_at"] = moment_or_now(raw["phoned_at"])
        return raw

    def save(self) -> None:
        report = self.current
        ok, _ = self.run(lambda: service.save_incident_report(
            self.db, self.actor, self.case_id, {**self.values(), "row_version": report.row_version if report else None},
            report_id=report.id if report else None))
        if ok:
            self.done_saving("Đã lưu báo cáo vụ việc. Phát hành (cấp số) khi gửi báo cáo bằng văn bản.")

    def issue(self) -> None:
        """Save what is on screen (creating the report if needed), then give it its number and date."""
        report = self.current
        ok, rid = self.run(lambda: service.save_incident_report(
            self.db, self.actor, self.case_id, {**self.values(), "row_version": report.row_version if report else None},
            report_id=report.id if report else None))
        if not ok:
            return
        self.reload_case()  # the report now exists: a second click must not make another one
        self.saved.emit(self.case_id)
        day = super().values()["report_date"]
        abbrev = (self.office.agency_abbrev if self.office else "") or "UBND"
        ok, number = self.run(lambda: service.issue_incident_report(
            self.db, self.actor, rid, report_date=day, abbrev=abbrev))
        if ok:
            self.done_saving(f"Đã phát hành báo cáo vụ việc số {number}. In báo cáo từ hồ sơ (nút In).")


__all__ = ["IncidentReportDialog", "fmt_datetime"]
