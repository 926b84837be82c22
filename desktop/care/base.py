"""What every screen of alternative care (chăm sóc thay thế) shares: fields with their message beneath them, the
message about the whole form at the top, the note that the form's words are not the decree's (Mẫu 08–16 were
not found), calling a service and spreading its ProcessError over the fields.

A screen builds its fields in `build()` with `add(key, label, widget)`, and saves in `save(values)`, which calls
the service (models/services/care_need.py, placements.py) and returns what to say on success.
"""
from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from models.clock import fmt_date
from models.errors import UserError
from models.services.accounts import Workspace
from models.services.calendar_edits import load_calendar
from models.services.process_common import ProcessError

from desktop.common.fields import ErrorLabel
from desktop.common.frame import DialogFrame, field_row
from desktop.process.base import dialog_head, read_any, wrap_label, write_any

DATE_HINT = "ngày/tháng/năm, ví dụ 05/12/2026; để trống nếu chưa có"


def optional_date(day: date | None = None) -> QLineEdit:
    """A date that may not exist yet (a paper not yet received): typed as text, empty = none."""
    edit = QLineEdit(fmt_date(day) if day else "")
    edit.setPlaceholderText(DATE_HINT)
    edit.setMaxLength(10)
    return edit


class CareDialog(QDialog):
    """One screen of alternative care. `saved()` after each successful write."""

    HELP_PAGE = "cham-soc-thay-the"
    FORM = ""  # "10", "12" …: the wording note shown at the top
    TITLE = ""
    SAVE_TEXT = "Lưu"
    WIDTH, HEIGHT = 860, 680

    saved = Signal()

    def __init__(self, ws: Workspace, parent=None):
        super().__init__(parent)
        self.ws, self.db, self.actor = ws, ws.db, ws.actor
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        with self.db.session() as session:
            self.calendar = load_calendar(session)
        self.setWindowTitle(self.TITLE)
        head = dialog_head(self, "care_header", self.FORM)
        self.frame = DialogFrame(self, width=self.WIDTH, height=self.HEIGHT, above=head)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.frame.body.addLayout(self.form)
        self.save_button = QPushButton(self.SAVE_TEXT)
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        self.close_button = QPushButton("Đóng")
        self.close_button.setObjectName("close")
        self.close_button.clicked.connect(self.reject)
        self.frame.bar.addStretch(1)
        self.frame.bar.addWidget(self.save_button)
        self.frame.bar.addWidget(self.close_button)
        self.build()

    # --- building -----------------------------------------------------------------------------------------
    def build(self) -> None:  # pragma: no cover - every screen has its own
        raise NotImplementedError

    def add(self, key: str, label: str, widget: QWidget, *, hint: str = "") -> QWidget:
        widget.setObjectName(key)
        self.widgets[key] = widget
        error = ErrorLabel()
        error.setObjectName(f"error_{key}")
        self.errors[key] = error
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(field_row(widget))
        if hint:
            column.addWidget(wrap_label(hint, style="color:#555;"))
        column.addWidget(error)
        caption = QLabel(label)
        caption.setWordWrap(True)
        caption.setBuddy(widget)
        self.form.addRow(caption, box)
        return widget

    def add_text(self, text: str, *, bold: bool = False, style: str = "") -> QLabel:
        label = wrap_label(text, bold=bold, style=style)
        self.form.addRow(label)
        return label

    def set_header(self, html: str) -> None:
        self.header.setText(html)

    def fill(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if key in self.widgets and value is not None:
                write_any(self.widgets[key], value)

    # --- saving -------------------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {key: read_any(w) for key, w in self.widgets.items()}

    def save(self, values: dict[str, Any]) -> str:  # pragma: no cover - every screen has its own
        raise NotImplementedError

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.show_message("")
        self.notice.hide()

    def submit(self) -> bool:
        self.clear_errors()
        try:
            said = self.save(self.values())
        except ProcessError as exc:
            shown = False
            for key, message in exc.errors.items():
                target = self.errors.get(key)
                if target is None or key == "":
                    self.top_error.show_message((self.top_error.text() + " " + message).strip())
                else:
                    target.show_message(message)
                shown = True
            if not shown:
                self.top_error.show_message(str(exc))
            return False
        except UserError as exc:
            self.top_error.show_message(str(exc))
            return False
        self.notice.setText(escape(said or "Đã lưu."))
        self.notice.show()
        self.saved.emit()
        self.after_save()
        return True

    def after_save(self) -> None:
        """What the screen does once saved (default: stays open showing the notice)."""
