"""What every case-process screen shares: the case header, fields with their message beneath them, the
message about the whole form at the top, calling a service and spreading its ProcessError over the
fields, and drafts saved every few seconds (so a power cut loses at most a few seconds of typing).

A screen is a dialog on one case. Subclasses build their fields in `build()`, fill them from the stored
record in `load()`, and read them back in `values()` (the raw mapping the service takes).
"""
from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any, Callable

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from models.clock import VN, fmt_date, fmt_datetime, now, time_left
from models.db import storage_error_message
from models.security.roles import NotAllowed
from models.services import drafts
from models.services.accounts import Workspace
from models.services.calendar_edits import load_calendar
from models.services.cases import load_case
from models.services.office import get_office
from models.services.process_common import ProcessError
from models.stages import STAGES, stage_of

from desktop.common import messages
from desktop.common.frame import DialogFrame, field_row
from desktop.common.fields import CheckList, ErrorLabel, read_value, write_value

AUTOSAVE_MS = 3000
HINT_STYLE = "color:#555;"
LATE_COLOUR = "#b00020"


def qdatetime(moment: datetime | None) -> QDateTime:
    if moment is None:
        moment = now()
        _OPENED_MINUTES.add(moment.astimezone(VN).strftime("%H:%M %d/%m/%Y"))
    moment = moment.astimezone(VN)
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))


def qdate(day: date | None) -> QDate:
    day = day or now().date()
    return QDate(day.year, day.month, day.day)


def wrap_label(text: str, *, bold: bool = False, style: str = "") -> QLabel:
    label = QLabel(f"<b>{escape(text)}</b>" if bold else escape(text))
    label.setTextFormat(Qt.RichText)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    return label


def read_any(widget: QWidget):
    """read_value, plus the screens' own composite widgets (anything with value())."""
    return widget.value() if hasattr(widget, "value") and hasattr(widget, "set_value") else read_value(widget)


def write_any(widget: QWidget, value) -> None:
    if hasattr(widget, "value") and hasattr(widget, "set_value"):
        widget.set_value(value)
    else:
        write_value(widget, value)


def wording_note(form: str) -> QLabel:
    """The calm note saying whose words the form prints: not the decree's own text (with the articles it
    follows), an office's local form, or a local file refused. Hidden for the decree's own text."""
    from models import forms
    from models.wording import wording_of

    label = QLabel()
    label.setObjectName("wording_note")
    label.setWordWrap(True)
    label.setStyleSheet("color:#37474f; background:#eceff1; padding:4px 6px; border-radius:3px;")
    text = wording_of(form).notice() if form in forms.BY_CODE else ""
    label.setText(text)
    label.setVisible(bool(text))
    return label


def dialog_head(dialog, header_name: str, form: str = "") -> QWidget:
    """The top of a form's screen, above its scrolled body: who or what it is about (`dialog.header`), whose words
    the form prints (`dialog.wording_note`), the message not tied to one field (`dialog.top_error`, also
    `dialog.errors[""]`) and a calm green notice after a save (`dialog.notice`, hidden)."""
    head = QWidget()
    top = QVBoxLayout(head)
    top.setContentsMargins(0, 0, 0, 0)
    dialog.header = QLabel()
    dialog.header.setObjectName(header_name)
    dialog.header.setWordWrap(True)
    top.addWidget(dialog.header)
    dialog.wording_note = wording_note(form)
    top.addWidget(dialog.wording_note)
    dialog.top_error = ErrorLabel()
    dialog.top_error.setObjectName("error_")
    dialog.errors[""] = dialog.top_error
    top.addWidget(dialog.top_error)
    dialog.notice = QLabel()
    dialog.notice.setObjectName("notice")
    dialog.notice.setWordWrap(True)
    dialog.notice.setStyleSheet("color:#1b5e20;")
    dialog.notice.hide()
    top.addWidget(dialog.notice)
    return head


def VerticalChecks(options: dict[str, str], parent=None) -> CheckList:
    """Several codes may be chosen, one per line (long labels); value() is the list of chosen codes."""
    return CheckList(options, parent, vertical=True)


class ProcessDialog(QDialog):
    """One screen of the case process on one case. `saved(case_id)` after each successful write."""
    HELP_PAGE = "quy-trinh"  # F1: this screen's page of the guide (resources/help)

    FORM = ""  # the step's form id ("02", "07", "03", "bien_ban_hop", "04", "05", "hoat_dong", "06", "dong")
    TITLE = ""
    DRAFTS = False  # keep what is typed as a draft (forms with much typing)

    saved = Signal(int)

    def __init__(self, ws: Workspace, case_id: int, parent=None):
        super().__init__(parent)
        self.ws, self.db, self.actor = ws, ws.db, ws.actor
        self.case_id = case_id
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.draft_id: int | None = None
        self._last_draft: dict | None = None
        self.office = get_office(self.db)
        self.case = load_case(self.db, case_id)
        if self.case is None:
            raise ProcessError(f"Không tìm thấy hồ sơ số {case_id}.")
        with self.db.session() as session:
            self.calendar = load_calendar(session)
        self.setWindowTitle(f"{self.TITLE} — {self.case.child.full_name} ({self.case.code})")
        # A record shown read-only (approved, used by later forms) must stay easy to read, not faded out.
        self.setStyleSheet("QPlainTextEdit:disabled, QLineEdit:disabled, QDateEdit:disabled, QDateTimeEdit:disabled, "
                           "QComboBox:disabled, QRadioButton:disabled, QCheckBox:disabled, QLabel:disabled, "
                           "QGroupBox:disabled, QTableWidget:disabled, QListWidget:disabled { color: #262626; }")
        head = dialog_head(self, "case_header", self.FORM)
        # The shared scaffold: the form scrolls, the buttons stay in a fixed bar, the screen limits the size.
        self.frame = DialogFrame(self, width=900, height=700, above=head)
        self.body = self.frame.body
        self.buttons = self.frame.bar
        # Closing the window sits alone on the left, away from the step's own buttons on the right
        # ("Đóng cửa sổ" never beside "Đóng hồ sơ").
        self.close_button = QPushButton("Đóng cửa sổ")
        self.close_button.setToolTip("Đóng cửa sổ này (không thay đổi gì trong hồ sơ)")
        self.buttons.addWidget(self.close_button)
        self.buttons.addStretch(1)
        self.close_button.setObjectName("close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)

        self.build()
        self.body.addStretch(1)
        self.refresh()
        if self.DRAFTS and self.can_edit():
            self._restore_draft()
            self._autosave = QTimer(self)
            self._autosave.setInterval(AUTOSAVE_MS)
            # Only while the screen is shown: a closed screen (its draft saved by reject) writes nothing more.
            self._autosave.timeout.connect(lambda: self.save_draft() if self.isVisible() else None)
            self._autosave.start()

    # -- to override ---------------------------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def load(self) -> None:
        """Fill the fields from the stored records (self.case is fresh)."""

    def values(self) -> dict[str, Any]:
        return {key: read_any(w) for key, w in self.widgets.items() if not key.startswith("_")}

    def draft_ready(self) -> bool:
        """Whether the screen is in a state where typing is worth keeping as a draft."""
        return True

    # -- helpers for building ------------------------------------------------------------------------
    def can_edit(self) -> bool:
        return self.actor.can("case.edit") and self.case.closed_at is None

    def section(self, title: str) -> QFormLayout:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.body.addWidget(box)
        return form

    def add_field(self, form: QFormLayout, key: str, label: str | None, widget: QWidget, *,
                  required: bool = False, hint: str = "") -> QWidget:
        widget.setObjectName(key)
        if isinstance(widget, QPlainTextEdit):
            widget.setMaximumHeight(max(widget.minimumHeight() * 2, 90))
        error = ErrorLabel()
        error.setObjectName(f"error_{key}")
        self.widgets[key] = widget
        self.errors[key] = error
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addLayout(field_row(widget))
        if hint:
            box.addWidget(wrap_label(hint, style=HINT_STYLE))
        box.addWidget(error)
        if label is None:
            form.addRow(box)
        else:
            text = QLabel(escape(label) + (" *" if required else ""))
            text.setWordWrap(True)
            text.setBuddy(widget)
            text.setMinimumWidth(180)
            form.addRow(text, box)
        return widget

    def add_error(self, key: str, layout) -> ErrorLabel:
        """A message place for a key that has no widget of its own (a table, a list)."""
        error = ErrorLabel()
        error.setObjectName(f"error_{key}")
        self.errors[key] = error
        layout.addWidget(error)
        return error

    def add_button(self, text: str, name: str, slot: Callable[[], Any], *, allowed: bool = True) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        button.setVisible(allowed)
        self.buttons.addWidget(button)
        return button

    # -- state ---------------------------------------------------------------------------------------
    def reload_case(self) -> None:
        self.case = load_case(self.db, self.case_id)

    def refresh(self) -> None:
        child = self.case.child
        received = self.case.intake.received_at if self.case.intake else self.case.opened_at
        self.header.setText(
            f"<b style='font-size:13pt'>{escape(self.TITLE)}</b><br>"
            f"Trẻ em: <b>{escape(child.full_name)}</b> · Hồ sơ {escape(self.case.code)} · "
            f"{escape(STAGES[stage_of(self.case)])} · nhận thông tin lúc {escape(fmt_datetime(received))}"
        )
        self.load()

    # -- messages ------------------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.show_message("")

    def error_target(self, key: str) -> str:
        """Which message place shows the message of `key` (e.g. "activities.2.end_on" → "activities")."""
        while key and key not in self.errors:
            key = key.rpartition(".")[0]
        return key

    def show_errors(self, errors: dict[str, str], prefix: str = "") -> None:
        shown: dict[str, list[str]] = {}
        for key, message in errors.items():
            target = self.error_target(prefix + key if key else "")
            if target == "" and key:
                message = message  # no place of its own: shown at the top
            shown.setdefault(target, [])
            if message not in shown[target]:
                shown[target].append(message)
        for target, messages_ in shown.items():
            self.errors[target].show_message("\n".join(messages_))
        first = next((k for k in shown if k and k in self.widgets), None)
        if first:
            self.widgets[first].setFocus()

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def run(self, action: Callable[[], Any], *, prefix: str = "") -> tuple[bool, Any]:
        """Call one service; its refusals become messages beside the fields. (ok, result)."""
        self.clear_errors()
        self.say("")
        try:
            result = action()
        except ProcessError as exc:
            self.show_errors(exc.errors, prefix)
            return False, None
        except NotAllowed as exc:
            self.top_error.show_message(str(exc))
            return False, None
        except (SQLAlchemyError, OSError) as exc:
            message = storage_error_message(exc)
            if message is None:
                raise  # a bug: the crash dialog and the log take it
            messages.choose(self, "Chưa lưu được", message, ["Đóng"])
            return False, None
        return True, result

    def done_saving(self, text: str) -> None:
        """After a write: drop the draft, reload the case, tell the user, tell the window."""
        self._drop_draft()
        self.reload_case()
        self.refresh()
        self.say(text)
        self.saved.emit(self.case_id)

    # -- drafts --------------------------------------------------------------------------------------
    def _draft_payload(self) -> dict:
        return {"case_id": self.case_id, "values": self.values()}

    def _restore_draft(self) -> None:
        if not self.draft_ready():
            return
        mine = [d for d in drafts.list_drafts(self.db, self.FORM, user=self.actor.username)
                if d.payload.get("case_id") == self.case_id]
        if not mine:
            self._last_draft = self._draft_payload()
            return
        draft = mine[-1]
        self.draft_id = draft.id
        self.load_values(draft.payload.get("values") or {})
        self._last_draft = self._draft_payload()
        self.say(f"Đã mở lại phần đang nhập dở, lưu lúc {fmt_datetime(draft.updated_at)}.")

    def load_values(self, values: dict) -> None:
        for key, value in values.items():
            if key in self.widgets:
                write_any(self.widgets[key], value)

    def save_draft(self) -> None:
        if not self.draft_ready():
            return
        payload = self._draft_payload()
        if payload == self._last_draft:
            return
        try:
            self.draft_id = drafts.save_draft(self.db, self.FORM, payload, self.draft_id, user=self.actor.username)
            self._last_draft = payload
        except (SQLAlchemyError, OSError) as exc:
            message = storage_error_message(exc)
            if message is None:
                raise
            self.top_error.show_message("Chưa lưu được bản nháp: " + message)

    def _drop_draft(self) -> None:
        if self.draft_id is not None:
            drafts.delete_draft(self.db, self.draft_id)
            self.draft_id = None
        self._last_draft = self._draft_payload() if self.DRAFTS else None

    def reject(self) -> None:
        if self.DRAFTS and self.can_edit():
            self.save_draft()  # what was typed is kept and comes back when the screen is opened again
        super().reject()

    def done(self, result: int) -> None:
        timer = getattr(self, "_autosave", None)
        if timer is not None:
            timer.stop()
        super().done(result)


_OPENED_MINUTES: set[str] = set()


def moment_or_now(text: str):
    """A date-time field still showing the minute it was filled in with (or the current one) means "now":
    pass the exact moment, so that an action right after another one (approving a plan just submitted) is
    not "before" it by a few seconds."""
    current = now()
    minute = current.strftime("%H:%M %d/%m/%Y")
    return current if text == minute or text in _OPENED_MINUTES else text


def deadline_text(deadline: datetime, at: datetime | None = None) -> str:
    return time_left(deadline, at or now())


__all__ = ["ProcessDialog", "VerticalChecks", "qdate", "qdatetime", "wrap_label", "deadline_text", "fmt_date",
           "fmt_datetime", "LATE_COLOUR"]
