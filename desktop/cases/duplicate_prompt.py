"""'Có thể trẻ này đã có trong hồ sơ': while a child is entered on Mẫu 01, register children that look like the
same child are shown, and the worker says whether the report is about one of them or about another child."""
from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QWidget,
)

from models.services.intake import ProposedChild
from models.services.register import age_text

from desktop.common.frame import DialogFrame, read_only_table

SAME, DIFFERENT, BACK = "same", "different", "back"


@dataclass(frozen=True)
class Decision:
    answer: str  # SAME, DIFFERENT or BACK (the worker wants to look at what was typed again)
    child_id: int | None = None  # with SAME: the register child the report is about


def describe(p: ProposedChild) -> str:
    """One line about a register child, for the wizard's note once the worker chose it."""
    parts = [p.full_name, age_text(p.date_of_birth, p.estimated_age)]
    if p.village:
        parts.append(p.village)
    parts.append(f"{p.cases} hồ sơ vụ việc" if p.cases else "chưa có hồ sơ vụ việc")
    return ", ".join(parts)


class DuplicatePrompt(QDialog):
    HELP_PAGE = "tiep-nhan-mau-01"  # F1: this screen's page of the guide (resources/help)
    COLUMNS = ["Họ và tên", "Ngày sinh / tuổi", "Thôn / tổ", "Cha, mẹ", "Hồ sơ vụ việc", "Vì sao giống"]

    def __init__(self, entered: str, proposals: list[ProposedChild], parent: QWidget | None = None):
        super().__init__(parent)
        self.proposals = proposals
        self.decision = Decision(BACK)
        self.setWindowTitle("Có thể trẻ này đã có trong hồ sơ")
        heading = QLabel(
            f"<b>Trẻ vừa nhập:</b> {html.escape(entered)}<br>"
            + ("Trong sổ theo dõi đã có một trẻ rất giống:" if len(proposals) == 1
               else "Trong sổ theo dõi đã có những trẻ rất giống (chọn đúng trẻ trong bảng):")
        )
        heading.setObjectName("entered")
        heading.setWordWrap(True)
        self.table = read_only_table(QTableWidget(len(proposals), len(self.COLUMNS)), "proposals")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        for r, p in enumerate(proposals):
            values = [p.full_name, age_text(p.date_of_birth, p.estimated_age), p.village or "—",
                      p.parents.replace("; ", "\n") or "chưa ghi", str(p.cases), p.reason.capitalize()]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if p.personal_id:
                    item.setToolTip(f"Số định danh cá nhân: {p.personal_id}")
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        for c in range(len(self.COLUMNS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        header.setSectionResizeMode(5, QHeaderView.Stretch)
        self.table.resizeRowsToContents()
        self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _index: self._same())
        note = QLabel("Nếu đúng là trẻ này, báo cáo mới được ghi vào hồ sơ đã có: thông tin trong hồ sơ được giữ "
                      "nguyên, ô nào còn trống được bổ sung từ báo cáo, mọi thay đổi được ghi vào nhật ký.")
        note.setObjectName("note")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        self.same_button = QPushButton("Đúng là trẻ này")
        self.same_button.setObjectName("same")
        self.different_button = QPushButton("Không phải, đây là trẻ khác")
        self.different_button.setObjectName("different")
        self.back_button = QPushButton("Quay lại xem thông tin")
        self.back_button.setObjectName("back")
        self.same_button.setDefault(True)
        self.same_button.clicked.connect(self._same)
        self.different_button.clicked.connect(self._different)
        self.back_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.same_button)
        buttons.addWidget(self.different_button)
        self.frame = DialogFrame(self, width=900, height=340)
        layout = self.frame.body
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.frame.set_buttons(buttons)

    def _same(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.proposals):
            self.decision = Decision(SAME, self.proposals[row].child_id)
            self.accept()

    def _different(self) -> None:
        self.decision = Decision(DIFFERENT)
        self.accept()


def ask(parent: QWidget | None, entered: str, proposals: list[ProposedChild]) -> Decision:
    """Show the likely matches and wait for the worker's answer (tests replace this function)."""
    dialog = DuplicatePrompt(entered, proposals, parent)
    dialog.exec()
    return dialog.decision
