"""Mẫu 11 — the verification of a carer's conditions (NĐ 56 Điều 42.1; Luật Trẻ em Điều 63.2; TT 14/2020 Điều 7, 8).

The worker records each condition a–d as Đạt / Không đạt / Chưa xác minh ("Chưa xác minh" chosen until answered:
nothing is "Không đạt" by default), what was found, and the conclusion ("Chưa kết luận" until chosen; "đủ điều
kiện" only when every condition is met — else the message names the conditions). The chairman then reads the report
as it will print and confirms it (desktop.common.signing): from then on the carer's standing is its conclusion.
A confirmed report is read-only; a new verification can follow when things change.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, )

from desktop.common.fields import ErrorLabel, RadioChoice, multiline
from desktop.common.form_dialog import date_line
from desktop.common.frame import DialogFrame
from desktop.process.base import dialog_head
from models.care_entities import CarerVerification
from models.clock import fmt_date, fmt_datetime, now
from models.services import carers as svc
from models.services.accounts import Workspace
from models.services.office import get_office
from models.services.process_common import ProcessError
from models.wording import form_definition

ANSWERS = {"met": True, "not_met": False}


class VerificationDialog(QDialog):
    """The newest verification of a carer: the draft to finish, or a new one. `saved(carer_id)` after a write."""
    HELP_PAGE = "nguoi-nhan-cham-soc-thay-the"

    saved = Signal(int)

    def __init__(self, ws: Workspace, carer_id: int, parent=None):
        super().__init__(parent)
        self.ws, self.db, self.actor = ws, ws.db, ws.actor
        self.carer_id = carer_id
        self.errors: dict[str, ErrorLabel] = {}
        self.conditions: dict[str, RadioChoice] = {}
        spec = form_definition("11")
        # A confirmed report is read-only but must stay easy to read, not faded out (as desktop/process/base.py).
        self.setStyleSheet("QPlainTextEdit:disabled, QLineEdit:disabled, QRadioButton:disabled, QLabel:disabled "
                           "{ color: #262626; }")
        head = dialog_head(self, "carer_header", "11")
        self.frame = DialogFrame(self, width=880, height=700, above=head)
        body = self.frame.body

        def error(key: str) -> ErrorLabel:
            label = ErrorLabel()
            label.setObjectName(f"error_{key}")
            self.errors[key] = label
            return label

        box = QGroupBox("Người xác minh")
        form = QFormLayout(box)
        self.verified_on = date_line()
        self.verified_on.setObjectName("verified_on")
        form.addRow(spec["fields"]["verified_on"]["label"], self.verified_on)
        form.addRow("", error("verified_on"))
        self.verifier = QLineEdit()
        self.verifier.setObjectName("verifier")
        form.addRow(spec["fields"]["verifier"]["label"], self.verifier)
        form.addRow("", error("verifier"))
        body.addWidget(box)

        cond = spec["conditions"]
        box = QGroupBox(cond["heading"])
        layout = QVBoxLayout(box)
        answers = spec["answers"]
        for item in cond["items"]:
            text = QLabel(item["text"])
            text.setWordWrap(True)
            layout.addWidget(text)
            choice = RadioChoice({"met": answers["met"], "not_met": answers["not_met"]}, none_label=answers["unknown"])
            choice.setObjectName(f"cond_{item['id']}")
            self.conditions[item["id"]] = choice
            layout.addWidget(choice)
        self.hints = QLabel()
        self.hints.setObjectName("hints")
        self.hints.setWordWrap(True)
        self.hints.setStyleSheet("color:#37474f;")
        layout.addWidget(self.hints)
        layout.addWidget(error("answers"))
        body.addWidget(box)

        box = QGroupBox(spec["findings"]["heading"])
        layout = QVBoxLayout(box)
        self.findings = multiline(height=90)
        self.findings.setObjectName("findings")
        layout.addWidget(self.findings)
        layout.addWidget(error("findings"))
        body.addWidget(box)

        c = spec["conclusion"]
        box = QGroupBox(c["heading"])
        layout = QVBoxLayout(box)
        self.conclusion = RadioChoice(c["options"], vertical=True, none_label="Chưa kết luận")
        self.conclusion.setObjectName("conclusion")
        layout.addWidget(self.conclusion)
        layout.addWidget(error("conclusion"))
        body.addWidget(box)

        box = QGroupBox("Chủ tịch UBND xã xác nhận")
        form = QFormLayout(box)
        self.confirmed_by = QLineEdit()
        self.confirmed_by.setObjectName("confirmed_by")
        form.addRow(spec["fields"]["confirmed_by"]["label"], self.confirmed_by)
        form.addRow("", error("confirmed_by"))
        form.addRow("", error("confirmed_at"))
        self.confirm_state = QLabel()
        self.confirm_state.setObjectName("confirm_state")
        self.confirm_state.setWordWrap(True)
        form.addRow(self.confirm_state)
        self.confirm_box = box
        body.addWidget(box)

        self.close_button = QPushButton("Đóng cửa sổ")
        self.close_button.setObjectName("close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        self.new_button = QPushButton("Lập báo cáo xác minh mới")
        self.new_button.setObjectName("new_verification")
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton("Lưu báo cáo xác minh")
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save)
        self.sign_button = QPushButton("Xem và xác nhận (Chủ tịch)…")
        self.sign_button.setObjectName("confirm")
        self.sign_button.clicked.connect(self.confirm)
        bar = self.frame.bar
        bar.addWidget(self.close_button)
        bar.addStretch(1)
        for b in (self.new_button, self.save_button, self.sign_button):
            bar.addWidget(b)
        self.current: CarerVerification | None = None
        self.refresh()

    # -- state -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        with self.db.session() as session:
            carer = svc.get_carer(session, self.carer_id)
            carer.verifications  # noqa: B018
            session.expunge(carer)
        self.carer = carer
        self.setWindowTitle(f"Xác minh điều kiện (Mẫu 11) — {carer.full_name}")
        what = svc.REGISTRATIONS[carer.registration]
        born = f", sinh {fmt_date(carer.date_of_birth)}" if carer.date_of_birth else ""
        self.header.setText(f"<b>{escape(carer.full_name)}</b>{escape(born)} · {escape(what)} · Tình trạng: "
                            f"<b>{escape(svc.STANDINGS[svc.standing(carer)])}</b>")
        self.hints.setText("Hồ sơ cho thấy: " + "; ".join(svc.verification_hints(carer)) + ". Người xác minh vẫn tự "
                           "chọn từng điều kiện.")
        versions = list(carer.verifications)
        self.current = versions[-1] if versions else None
        self._show(self.current)

    def _show(self, ver: CarerVerification | None) -> None:
        office = get_office(self.db)
        if ver is None:
            self.verified_on.setText(fmt_date(now()))
            self.verifier.setText(office.worker_name if office and office.worker_name else self.actor.full_name)
            for choice in self.conditions.values():
                choice.set_value(None)
            self.findings.setPlainText("")
            self.conclusion.set_value(None)
        else:
            self.verified_on.setText(fmt_date(ver.verified_on))
            self.verifier.setText(ver.verifier)
            for key, choice in self.conditions.items():
                answer = (ver.answers or {}).get(key)
                choice.set_value({True: "met", False: "not_met"}.get(answer))
            self.findings.setPlainText(ver.findings)
            self.conclusion.set_value(ver.conclusion)
        confirmed = ver is not None and ver.confirmed_at is not None
        withdrawn = self.carer.withdrawn_at is not None
        can_edit = self.actor.can("case.edit") and not confirmed and not withdrawn
        for w in [self.verified_on, self.verifier, self.findings, self.conclusion, *self.conditions.values()]:
            w.setEnabled(can_edit)
        self.save_button.setVisible(self.actor.can("case.edit"))
        self.save_button.setEnabled(can_edit)
        self.new_button.setVisible(self.actor.can("case.edit") and confirmed and not withdrawn)
        leader = self.actor.can("approve")
        self.sign_button.setVisible(leader)
        self.sign_button.setEnabled(leader and ver is not None and not confirmed and ver.conclusion is not None
                                    and not withdrawn)
        self.confirmed_by.setEnabled(leader and not confirmed)
        if confirmed:
            self.confirmed_by.setText(ver.confirmed_by)
            self.confirm_state.setText(f"Đã xác nhận lúc {fmt_datetime(ver.confirmed_at)}. Báo cáo đã xác nhận không "
                                       "sửa được; khi điều kiện thay đổi, lập báo cáo xác minh mới.")
        else:
            if leader and not self.confirmed_by.text():
                self.confirmed_by.setText(self.actor.full_name)
            self.confirm_state.setText(
                "Chưa xác nhận." + ("" if ver is not None and ver.conclusion else
                                    " Người làm công tác bảo vệ trẻ em lưu báo cáo có kết luận trước."))

    def start_new(self) -> None:
        self.current = None
        self._show(None)
        for w in [self.verified_on, self.verifier, self.findings, self.conclusion, *self.conditions.values()]:
            w.setEnabled(True)
        self.save_button.setEnabled(True)
        self.new_button.setVisible(False)
        self.sign_button.setEnabled(False)

    def raw(self) -> dict:
        answers = {key: ANSWERS.get(choice.value()) for key, choice in self.conditions.items()}
        return {"verified_on": self.verified_on.text(), "verifier": self.verifier.text(),
                "answers": {k: a for k, a in answers.items() if a is not None}, "findings": self.findings.toPlainText(),
                "conclusion": self.conclusion.value() or None,
                "row_version": self.current.row_version if self.current is not None else None}

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.show_message(errors.get(key, ""))
        unknown = [m for k, m in errors.items() if k not in self.errors]
        if unknown:
            self.top_error.show_message(" ".join(unknown))

    def _done(self, text: str) -> None:
        self.show_errors({})
        self.refresh()
        self.notice.setText(text)
        self.notice.show()
        self.saved.emit(self.carer_id)

    # -- actions -----------------------------------------------------------------------------------------
    def save(self) -> bool:
        try:
            svc.save_verification(self.db, self.actor, self.carer_id, self.raw(),
                                  verification_id=self.current.id if self.current is not None else None)
        except ProcessError as exc:
            self.show_errors(exc.errors)
            return False
        self._done("Đã lưu báo cáo xác minh. Trình Chủ tịch xác nhận (tài khoản lãnh đạo)."
                   if self.conclusion.value() else "Đã lưu báo cáo xác minh (chưa kết luận).")
        return True

    def confirm(self):
        """Show the report as it will read once confirmed; confirm only when the chairman clicks."""
        from printouts import form11

        from desktop.common.signing import SigningPreview, render

        ver = self.current
        self.show_errors({})
        if ver is None or ver.confirmed_at is not None:
            return None
        signer = self.confirmed_by.text().strip()
        if not signer:
            self.errors["confirmed_by"].show_message("Ghi họ tên Chủ tịch (hoặc Phó Chủ tịch) xác nhận.")
            return None
        moment = now()
        doc = form11.signing_document(self.carer, get_office(self.db), ver, signer=signer, moment=moment)
        conclusion = form_definition("11")["conclusion"]["options"].get(ver.conclusion or "", "")
        self.sign_preview = SigningPreview(
            render(doc), title=f"Xem trước khi xác nhận — Mẫu 11 ({self.carer.full_name})",
            question=f"Báo cáo xác minh điều kiện của {self.carer.full_name}, kết luận: {conclusion}. Đọc kỹ rồi bấm "
                     "«Xác nhận báo cáo» để xác nhận.",
            confirm_text="Xác nhận báo cáo", parent=self)
        self.sign_preview.confirmed.connect(lambda: self._confirm(ver.id, signer))
        self.sign_preview.open()
        return self.sign_preview

    def _confirm(self, verification_id: int, signer: str) -> None:
        try:
            result = svc.confirm_verification(self.db, self.actor, verification_id, confirmed_by=signer)
        except ProcessError as exc:
            self.show_errors(exc.errors)
            return
        self._done(f"Đã xác nhận. Tình trạng: {svc.STANDINGS[result]}.")
