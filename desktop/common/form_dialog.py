"""The small form dialog of the register's screens (a child's groups, supports, edits)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from desktop.common.fields import ErrorLabel
from desktop.common.frame import DialogFrame


class FormDialog(QDialog):
    """A small form: one field a row, its message underneath (never squeezing the field), Lưu / Huỷ always
    visible at the bottom. Sub-classes add rows and implement save()."""

    saved = Signal()

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.errors: dict[str, ErrorLabel] = {}
        self.save_button = QPushButton("Lưu")
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("Huỷ")
        self.cancel_button.setObjectName("cancel")
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        # Error messages take room under their fields (the content grows and scrolls, never squeezing a field).
        self.frame = DialogFrame(self)
        self.frame.body.addLayout(self.form)
        self.frame.body.addStretch(1)
        self.frame.set_buttons(buttons)

    def add_row(self, key: str, label: str, widget: QWidget) -> QWidget:
        widget.setObjectName(key)
        err = ErrorLabel()
        err.setObjectName(f"error_{key}")
        self.errors[key] = err
        self.form.addRow(label, widget)
        self.form.addRow("", err)  # its own row under the field: showing it never squeezes the field
        return widget

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.show_message(errors.get(key, ""))
        unknown = [m for k, m in errors.items() if k not in self.errors]
        if unknown:
            next(iter(self.errors.values())).show_message(" ".join(unknown))

    def save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def date_line(placeholder: str = "ngày/tháng/năm, ví dụ 05/09/2025") -> QLineEdit:
    line = QLineEdit()
    line.setPlaceholderText(placeholder)
    return line
