"""Mẫu số 01 wizard: the intake report, one page per part of the form.

Each page checks its own fields with the models' rules and shows the message beside the field; the
whole report is written at Finish in one transaction. What is typed is saved as a draft every few
seconds and on close, so a power cut loses at most a few seconds of typing.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QScrollArea,
    QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from sqlalchemy.exc import SQLAlchemyError

from models.db import storage_error_message
from models.services.accounts import Workspace
from models.wording import field_hint, field_label, form_definition
from models.services import drafts
from models.services.intake import (
    ChildGone, ChildIdConflict, ProposedChild, create_intake, likely_duplicates, parse_intake,
)
from models.textnorm import fold
from models.vocab import ABUSE_FORMS, ETHNICITIES, GENDERS

from desktop.cases import duplicate_prompt

from desktop.common import messages
from desktop.common.frame import fit_to_screen
from desktop.common.frame import field_row
from desktop.common.fields import (
    CheckList, ErrorLabel, RadioChoice, date_edit, date_time_edit, multiline, read_value, vn_today, write_value,
)

FORM = "01"
AUTOSAVE_MS = 3000

# (page title, page subtitle, field keys in order)
PAGES: list[tuple[str, str, list[str]]] = [
    ("Nguồn nhận thông tin", "A.1 — Ai báo, báo lúc nào, qua đâu; trẻ em thuộc đối tượng nào.",
     ["category", "source", "received_at", "report_date", "receiving_officer", "abuse_forms"]),
    ("Thông tin về trẻ em", "A.2 — Ghi những gì đã biết; ô nào chưa biết có thể để trống.",
     ["child_name", "date_of_birth", "estimated_age", "gender", "ethnicity", "personal_id", "village", "address"]),
    ("Tình trạng của trẻ em", "A.2 — Vụ việc, tình trạng hiện tại và những gì đã làm.",
     ["incident_place", "child_condition", "predicted_consequences", "prior_actions"]),
    ("Gia đình và người chăm sóc", "A.2 — Cha, mẹ, hoàn cảnh gia đình, người đang chăm sóc trẻ.",
     ["father_name", "father_age", "father_occupation", "mother_name", "mother_age", "mother_occupation",
      "family_situation", "current_caregiver"]),
    ("Người cung cấp thông tin", "A.3 — Chỉ ghi khi người báo đồng ý. Thông tin này được giữ bí mật.",
     ["informant_consent", "informant_name", "informant_phone", "informant_address", "notes"]),
]
REQUIRED = {"category", "source", "received_at", "report_date", "receiving_officer", "child_name", "child_condition"}


def _make_widget(key: str, form: dict) -> QWidget:
    if key == "category":
        return RadioChoice({c: spec["label"] for c, spec in form["categories"].items()}, vertical=True)
    if key == "source":
        return RadioChoice({c: label.capitalize() for c, label in form["sources"].items()})
    if key == "gender":
        return RadioChoice(GENDERS)
    if key == "abuse_forms":
        return CheckList(ABUSE_FORMS)
    if key == "received_at":
        return date_time_edit()
    if key == "report_date":
        return date_edit()
    if key == "ethnicity":
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItems(ETHNICITIES)
        combo.setCurrentIndex(-1)
        return combo
    if key == "informant_consent":
        return QCheckBox(field_label(FORM, key))
    if key in {"incident_place", "child_condition", "predicted_consequences", "prior_actions",
               "family_situation", "notes"}:
        return multiline()
    edit = QLineEdit()
    edit.setPlaceholderText(field_hint(FORM, key))
    if key.endswith("_age") or key == "estimated_age":
        edit.setMaximumWidth(80)
    return edit


class IntakePage(QWizardPage):
    def __init__(self, wizard: "IntakeWizard", title: str, subtitle: str, keys: list[str]):
        super().__init__()
        self._wizard = wizard
        self.keys = keys
        self.setTitle(title)
        self.setSubTitle(subtitle)
        inner = QWidget()
        layout = QFormLayout(inner)
        layout.setRowWrapPolicy(QFormLayout.WrapLongRows)
        form = form_definition(FORM)
        for key in keys:
            widget = _make_widget(key, form)
            widget.setObjectName(key)
            error = ErrorLabel()
            error.setObjectName(f"error_{key}")
            wizard.widgets[key] = widget
            wizard.errors[key] = error
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addLayout(field_row(widget))
            box.addWidget(error)
            if key == "informant_consent":
                layout.addRow(box)
                continue
            label = QLabel(field_label(FORM, key, wizard=True) + (" *" if key in REQUIRED else ""))
            label.setWordWrap(True)
            label.setBuddy(widget)
            layout.addRow(label, box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def validatePage(self) -> bool:
        if not self._wizard.check_fields(self.keys):
            return False
        if "child_name" in self.keys:  # leaving the child's page: is this child already in the register?
            return self._wizard.check_duplicates()
        return True


class IntakeWizard(QWizard):
    """New intake (Mẫu 01). `saved(case_id)` is emitted once the report is in the database."""
    HELP_PAGE = "tiep-nhan-mau-01"  # F1: this screen's page of the guide (resources/help)

    saved = Signal(int)

    def __init__(self, ws: Workspace, *, worker_name: str = "", draft: drafts.DraftInfo | None = None, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.db = ws.db
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.draft_id: int | None = draft.id if draft else None
        self.case_id: int | None = None
        self._last_saved: dict | None = None
        # The worker's answers to "Có thể trẻ này đã có trong hồ sơ" (kept until the child's identity changes).
        self.existing_child: ProposedChild | None = None
        self.not_duplicate_of: set[int] = set()
        self._checked_identity: tuple | None = None
        self.setWindowTitle("Mẫu số 01 — Báo cáo tiếp nhận thông tin trẻ em")
        self.setWizardStyle(QWizard.ClassicStyle)
        self.setOption(QWizard.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.NextButton, "Tiếp theo >")
        self.setButtonText(QWizard.BackButton, "< Quay lại")
        self.setButtonText(QWizard.FinishButton, "Lưu báo cáo")
        self.setButtonText(QWizard.CancelButton, "Đóng")
        fit_to_screen(self, 760, 660)  # at 125 % on 1366×768 the buttons stay on the screen
        self.pages = [IntakePage(self, *spec) for spec in PAGES]
        from desktop.help.f1 import install_f1

        install_f1(self)  # F1: the page on receiving a report
        for page in self.pages:
            self.addPage(page)
        self._build_attached_note(self.pages[1])
        from desktop.process.base import wording_note  # an office's local Mẫu 01 wording (or a refused file) is said here

        self.wording_note = wording_note(FORM)
        self.pages[0].layout().insertWidget(0, self.wording_note)

        self.widgets["receiving_officer"].setText(worker_name)
        self.widgets["report_date"].setMaximumDate(vn_today())  # Vietnam's day, whatever the PC's zone
        self.widgets["gender"].set_value("khong_biet")
        consent = self.widgets["informant_consent"]
        consent.toggled.connect(self._consent_changed)
        self._consent_changed(False)
        if draft is not None:
            self.load_values(draft.payload)
            self._last_saved = self.values()

        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(lambda: self.save_draft() if self.isVisible() else None)  # only while shown
        self._autosave.start()

    # -- values --------------------------------------------------------------------------------------
    def values(self) -> dict:
        return {key: read_value(widget) for key, widget in self.widgets.items()}

    def load_values(self, payload: dict) -> None:
        for key, value in payload.items():
            if key in self.widgets:
                write_value(self.widgets[key], value)

    def _consent_changed(self, checked: bool) -> None:
        for key in ("informant_name", "informant_phone", "informant_address"):
            self.widgets[key].setEnabled(checked)

    # -- checks --------------------------------------------------------------------------------------
    def _all_errors(self) -> dict[str, str]:
        raw = self.values()
        if not raw["informant_consent"]:
            # Fields greyed out are not part of the report.
            raw.update(informant_name="", informant_phone="", informant_address="")
        return parse_intake(raw)[1]

    def check_fields(self, keys: list[str]) -> bool:
        errors = self._all_errors()
        for key in keys:
            self.errors[key].show_message(errors.get(key, ""))
        first = next((k for k in keys if k in errors), None)
        if first:
            self.widgets[first].setFocus()
        return first is None

    # -- likely duplicates ---------------------------------------------------------------------------
    def _build_attached_note(self, page: QWizardPage) -> None:
        """A note on the child's page once the worker said the report is about a child already in the register."""
        self.attached_note = QLabel()
        self.attached_note.setObjectName("attached_child")
        self.attached_note.setWordWrap(True)
        self.detach_button = QPushButton("Không phải trẻ này")
        self.detach_button.setObjectName("detach_child")
        self.detach_button.clicked.connect(self.detach_child)
        self.attached_box = QWidget()
        self.attached_box.setStyleSheet("QWidget#attached_box { background: #e8f1fb; border: 1px solid #9dbbe0; }")
        self.attached_box.setObjectName("attached_box")
        row = QHBoxLayout(self.attached_box)
        row.addWidget(self.attached_note, 1)
        row.addWidget(self.detach_button, 0)
        self.attached_box.hide()
        page.layout().insertWidget(0, self.attached_box)

    def _identity(self, raw: dict) -> tuple:
        return (fold(str(raw.get("child_name") or "")), str(raw.get("date_of_birth") or "").strip(),
                fold(str(raw.get("village") or "")), "".join(str(raw.get("personal_id") or "").split()).replace(".", ""))

    def _entered_text(self, raw: dict) -> str:
        parts = [" ".join(str(raw.get("child_name") or "").split())]
        if str(raw.get("date_of_birth") or "").strip():
            parts.append("sinh " + str(raw["date_of_birth"]).strip())
        elif str(raw.get("estimated_age") or "").strip():
            parts.append(f"khoảng {str(raw['estimated_age']).strip()} tuổi")
        if str(raw.get("village") or "").strip():
            parts.append(str(raw["village"]).strip())
        if str(raw.get("personal_id") or "").strip():
            parts.append("số định danh " + str(raw["personal_id"]).strip())
        return ", ".join(parts)

    def _set_existing(self, proposal: ProposedChild | None) -> None:
        self.existing_child = proposal
        if proposal is None:
            self.attached_box.hide()
            return
        self.attached_note.setText(
            f"Báo cáo này sẽ được ghi vào hồ sơ đã có của trẻ {duplicate_prompt.describe(proposal)}. "
            "Thông tin đã có trong hồ sơ được giữ nguyên; ô nào còn trống được bổ sung từ báo cáo này.")
        self.attached_box.show()

    def detach_child(self) -> None:
        """The worker changed their mind: the report is about another child."""
        if self.existing_child is not None:
            self.not_duplicate_of.add(self.existing_child.child_id)
        self._set_existing(None)

    def check_duplicates(self) -> bool:
        """Propose register children like the one typed; False keeps the worker on the child's page."""
        raw = self.values()
        identity = self._identity(raw)
        if identity == self._checked_identity:
            return True
        try:
            proposals = likely_duplicates(self.db, raw, exclude=self.not_duplicate_of)
        except (SQLAlchemyError, OSError) as exc:
            if storage_error_message(exc) is None:
                raise
            return True  # a locked or unreadable register must not stop the report; Finish will say more
        chosen = self.existing_child
        if chosen is not None and any(p.child_id == chosen.child_id for p in proposals):
            self._set_existing(next(p for p in proposals if p.child_id == chosen.child_id))
            self._checked_identity = identity
            return True
        self._set_existing(None)
        if proposals:
            decision = duplicate_prompt.ask(self, self._entered_text(raw), proposals)
            if decision.answer == duplicate_prompt.SAME:
                self._set_existing(next(p for p in proposals if p.child_id == decision.child_id))
            elif decision.answer == duplicate_prompt.DIFFERENT:
                self.not_duplicate_of.update(p.child_id for p in proposals)
            else:
                self.widgets["child_name"].setFocus()
                return False
        self._checked_identity = identity
        return True

    # -- drafts --------------------------------------------------------------------------------------
    def save_draft(self) -> None:
        """Save what is typed so far, if anything changed since the last save."""
        if self.case_id is not None:
            return
        payload = self.values()
        if payload == self._last_saved:
            return
        try:
            self.draft_id = drafts.save_draft(self.db, FORM, payload, self.draft_id, user=self.ws.actor.username)
            self._last_saved = payload
        except (SQLAlchemyError, OSError) as exc:  # a full disk must not take the typing with it
            message = storage_error_message(exc)
            if message is None:
                raise
            self.setWindowTitle("Mẫu số 01 — CHƯA LƯU ĐƯỢC BẢN NHÁP: " + message)

    # -- finish / close ------------------------------------------------------------------------------
    def accept(self) -> None:
        raw = self.values()
        if not raw["informant_consent"]:
            raw.update(informant_name="", informant_phone="", informant_address="")
        raw.update(existing_child_id=self.existing_child.child_id if self.existing_child else None,
                   not_duplicate_of=sorted(self.not_duplicate_of))
        data, errors = parse_intake(raw)
        if errors:
            for page_index, page in enumerate(self.pages):
                if any(k in errors for k in page.keys):
                    for key in page.keys:
                        self.errors[key].show_message(errors.get(key, ""))
                    while self.currentId() > page_index:
                        self.back()
                    return
        try:
            self.case_id = create_intake(self.db, data, self.ws.actor, draft_id=self.draft_id)
        except ChildIdConflict as exc:
            self.errors["personal_id"].show_message(str(exc))
            while self.currentId() > 1:
                self.back()
            return
        except ChildGone as exc:
            self._set_existing(None)
            self._checked_identity = None  # leaving the page proposes the register's children again
            self.errors["child_name"].show_message(str(exc))
            while self.currentId() > 1:
                self.back()
            return
        except (SQLAlchemyError, OSError) as exc:
            message = storage_error_message(exc)
            if message is None:
                raise  # a bug: the crash dialog and the log take it
            # The transaction was rolled back; the wizard stays open with everything typed.
            QMessageBox.warning(self, "Chưa lưu được báo cáo", message)
            return
        self._autosave.stop()
        self.draft_id = None
        self.saved.emit(self.case_id)
        super().accept()

    def reject(self) -> None:
        if self.case_id is None and self._has_content():
            self.save_draft()
            answer = messages.choose(
                self, "Đóng báo cáo chưa lưu",
                "Báo cáo chưa được lưu. Giữ lại bản nháp để làm tiếp lần sau?",
                ["Giữ bản nháp", "Xoá bản nháp", "Tiếp tục nhập"], escape=2,
            )
            if answer == 2:
                return
            if answer == 1 and self.draft_id is not None:
                drafts.delete_draft(self.db, self.draft_id)
                self.draft_id = None
        self._autosave.stop()
        super().reject()

    def _has_content(self) -> bool:
        raw = self.values()
        typed = ("child_name", "child_condition", "incident_place", "father_name", "mother_name", "notes")
        return any(str(raw.get(k) or "").strip() for k in typed)
