"""Office settings dialog: shown at first run, and later from the menu."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from models.services.accounts import Workspace
from models.services.office import OFFICE_FIELDS, get_office, save_office
from models.vocab import COMMUNE_KINDS

from desktop.common.frame import DialogFrame
from desktop.common.fields import ErrorLabel, multiline, read_value, write_value


class SettingsDialog(QDialog):
    HELP_PAGE = "cai-dat-co-quan"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, ws: Workspace, *, first_run: bool = False, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.db = ws.db
        self.setWindowTitle("Thiết lập cơ quan" if first_run else "Cài đặt cơ quan")
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.frame = DialogFrame(self, width=720, height=720)
        layout = self.frame.body
        if first_run:
            intro = QLabel(
                "Chào mừng đến với BVTE. Trước khi bắt đầu, hãy nhập thông tin của cơ quan: "
                "các thông tin này được in ở đầu và cuối mỗi văn bản. Có thể sửa lại sau trong mục Cài đặt."
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        for key, label, required in OFFICE_FIELDS:
            if key == "commune_kind":
                widget = QComboBox()
                for code, name in COMMUNE_KINDS.items():
                    widget.addItem(name.capitalize(), code)
            elif key == "vice_chairmen":
                widget = multiline(height=50)
            else:
                widget = QLineEdit()
            widget.setObjectName(key)
            error = ErrorLabel()
            error.setObjectName(f"error_{key}")
            self.widgets[key], self.errors[key] = widget, error
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget)
            box.addWidget(error)
            form.addRow(QLabel(label + (" *" if required else "")), box)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("Lưu")
        buttons.button(QDialogButtonBox.Cancel).setText("Huỷ")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.frame.set_buttons(buttons)
        self._load()

    def _load(self) -> None:
        office = get_office(self.db)
        if office is None:
            self.widgets["agency_abbrev"].setText("UBND")
            return
        for key, widget in self.widgets.items():
            write_value(widget, getattr(office, key))

    def accept(self) -> None:
        raw = {key: read_value(widget) for key, widget in self.widgets.items()}
        errors = save_office(self.db, raw, self.ws.actor)
        for key, error in self.errors.items():
            error.show_message(errors.get(key, ""))
        if not errors:
            super().accept()
