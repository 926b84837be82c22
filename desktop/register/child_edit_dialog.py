"""'Sửa thông tin trẻ': correcting a register child's identity. The checks are the register's own
(models.validation through register.update_child); each message appears under its field, and every changed
field is written in the audit trail by the service."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from models.clock import fmt_date
from models.services import register as reg
from models.services.accounts import Workspace
from models.vocab import ETHNICITIES, GENDERS

from desktop.common.form_dialog import FormDialog, date_line


class ChildEditDialog(FormDialog):
    HELP_PAGE = "so-theo-doi"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, ws: Workspace, child, parent=None):
        """`child`: the Child record shown in the file (read for the current values only)."""
        super().__init__("Sửa thông tin trẻ", parent)
        ws.actor.require("case.edit")
        self.ws, self.child_id = ws, child.id
        self.full_name = self.add_row("full_name", "Họ và tên:", QLineEdit(child.full_name))
        self.date_of_birth = self.add_row("date_of_birth", "Ngày sinh:", date_line())
        self.date_of_birth.setText(fmt_date(child.date_of_birth))
        if child.date_of_birth is None and child.estimated_age is not None:
            hint = QLabel(f"Hồ sơ chưa có ngày sinh, chỉ ghi khoảng {child.estimated_age} tuổi.")
            hint.setObjectName("estimated_age")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")
            self.form.addRow("", hint)
        self.gender = QComboBox()
        for code, label in GENDERS.items():
            self.gender.addItem(label, code)
        self.gender.setCurrentIndex(max(0, self.gender.findData(child.gender or "khong_biet")))
        self.add_row("gender", "Giới tính:", self.gender)
        self.ethnicity = QComboBox()
        self.ethnicity.setEditable(True)
        self.ethnicity.addItems(ETHNICITIES)
        self.ethnicity.setEditText(child.ethnicity or "")
        self.add_row("ethnicity", "Dân tộc:", self.ethnicity)
        pid = QLineEdit(child.personal_id or "")
        pid.setPlaceholderText("12 chữ số, nếu biết")
        self.personal_id = self.add_row("personal_id", "Số định danh cá nhân:", pid)
        # Known thôn / tổ are offered so that one place is not written two ways (duplicates are found by thôn).
        self.village = QComboBox()
        self.village.setEditable(True)
        with ws.db.session() as session:
            self.village.addItems(reg.villages(session))
        self.village.setEditText(child.village or "")
        self.add_row("village", "Thôn / tổ dân phố:", self.village)
        address = QLineEdit(child.address or "")
        address.setPlaceholderText("số nhà, đường, xóm")
        self.address = self.add_row("address", "Địa chỉ:", address)
        # The dialog takes its size from its fields (errors make it grow): give the fields room for a full name
        # and for a message on one line.
        self.form.setRowWrapPolicy(QFormLayout.DontWrapRows)  # labels are short: keep each field beside its label
        for widget in (self.full_name, self.date_of_birth, self.personal_id, self.village, self.address):
            widget.setMinimumWidth(400)

    def raw(self) -> dict[str, str]:
        return {
            "full_name": self.full_name.text(), "date_of_birth": self.date_of_birth.text(),
            # The register reads gender as typed words ("Nam", "Nữ", "Không biết"), as in an imported list.
            "gender": self.gender.currentText(), "ethnicity": self.ethnicity.currentText(),
            "personal_id": self.personal_id.text(), "village": self.village.currentText(),
            "address": self.address.text(),
        }

    def save(self) -> None:
        errors = reg.update_child(self.ws.db, self.ws.actor, self.child_id, self.raw())
        self.show_errors(errors)
        self.adjustSize()
        if errors:
            first = next((k for k in self.errors if k in errors), None)
            if first:
                self.findChild(QWidget, first).setFocus()
            return
        self.saved.emit()
        self.accept()
