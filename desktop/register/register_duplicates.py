"""Records that may be the same child: side by side, with 'merge' (choosing which record to keep) and
'not the same child'. A merge keeps every case, group and support entry of both records."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    
)

from models.clock import fmt_date
from models.services.accounts import Workspace
from models.services.register_duplicates import ChildKey, DuplicatePair, all_duplicate_pairs
from models.services.register_merge import MergeRefused, mark_not_duplicate, merge_children

from desktop.common.frame import DialogFrame, read_only_table
from desktop.common import messages


def _who(key: ChildKey) -> str:
    parts = [key.full_name, f"sinh {fmt_date(key.date_of_birth)}" if key.date_of_birth else "chưa rõ ngày sinh"]
    if key.village:
        parts.append(key.village)
    if key.personal_id:
        parts.append(f"số ĐD {key.personal_id}")
    return ", ".join(parts)


class DuplicatesDialog(QDialog):
    HELP_PAGE = "nhap-danh-sach"  # F1: this screen's page of the guide (resources/help)
    merged = Signal(int)  # the kept child's id

    def __init__(self, ws: Workspace, parent=None, pairs: list[DuplicatePair] | None = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("Trẻ có thể bị ghi trùng")
        self.table = read_only_table(QTableWidget(0, 3), "pairs")
        self.table.setHorizontalHeaderLabels(["Hồ sơ thứ nhất", "Hồ sơ thứ hai", "Vì sao nghi trùng"])
        for c in range(3):
            self.table.horizontalHeader().setSectionResizeMode(c, QHeaderView.Stretch)
        self.info = QLabel()
        self.info.setObjectName("info")
        self.info.setWordWrap(True)
        self.merge_button = QPushButton("Gộp hai hồ sơ…")
        self.merge_button.setObjectName("merge")
        self.different_button = QPushButton("Không phải cùng một trẻ")
        self.different_button.setObjectName("different")
        self.close_button = QPushButton("Đóng")
        self.merge_button.clicked.connect(self.merge_selected)
        self.different_button.clicked.connect(self.mark_selected_different)
        self.close_button.clicked.connect(self.accept)
        allowed = ws.actor.can("case.edit")
        self.merge_button.setEnabled(allowed)
        self.different_button.setEnabled(allowed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.different_button)
        buttons.addWidget(self.close_button)
        self.frame = DialogFrame(self, width=1000, height=520)
        layout = self.frame.body
        layout.addWidget(QLabel("Các cặp hồ sơ có cùng số định danh, hoặc tên gần giống và cùng ngày sinh "
                                "(hoặc cùng năm sinh và cùng thôn/tổ). Gộp sẽ giữ mọi hồ sơ vụ việc, nhóm và lần hỗ trợ."))
        layout.addWidget(self.table, 1)
        self.frame.set_buttons(buttons)
        self.pairs: list[DuplicatePair] = []
        self.load(pairs)

    def load(self, pairs: list[DuplicatePair] | None = None) -> None:
        if pairs is None:
            with self.ws.db.session() as session:
                pairs = all_duplicate_pairs(session)
        self.pairs = pairs
        self.table.setRowCount(len(pairs))
        for r, p in enumerate(pairs):
            for c, text in enumerate((_who(p.a), _who(p.b), p.reason.capitalize())):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        if pairs:
            self.table.selectRow(0)
        self.info.setText(f"{len(pairs)} cặp cần xem." if pairs else "Không thấy cặp hồ sơ nào nghi trùng.")

    def _selected(self) -> DuplicatePair | None:
        row = self.table.currentRow()
        return self.pairs[row] if 0 <= row < len(self.pairs) else None

    def merge_selected(self) -> None:
        pair = self._selected()
        if pair is None:
            return
        answer = messages.choose(
            self, "Gộp hai hồ sơ",
            "Giữ hồ sơ nào? Mọi hồ sơ vụ việc, nhóm, lần hỗ trợ và người thân của hồ sơ kia sẽ chuyển sang hồ sơ được giữ; "
            "thông tin còn trống sẽ được bổ sung từ hồ sơ kia. Việc gộp được ghi vào nhật ký.\n\n"
            f"1. {_who(pair.a)}\n2. {_who(pair.b)}",
            ["Giữ hồ sơ 1", "Giữ hồ sơ 2", "Huỷ"], default=2,
        )
        if answer not in (0, 1):
            return
        keep, gone = (pair.a, pair.b) if answer == 0 else (pair.b, pair.a)
        try:
            result = merge_children(self.ws.db, self.ws.actor, keep.id, gone.id)
        except MergeRefused as exc:
            self.info.setText(str(exc))
            return
        self.load()
        self.info.setText(f"Đã gộp: {result.cases} hồ sơ vụ việc, {result.groups} nhóm, {result.support} lần hỗ trợ "
                          f"chuyển sang hồ sơ của {keep.full_name}.")
        self.merged.emit(keep.id)

    def mark_selected_different(self) -> None:
        pair = self._selected()
        if pair is None:
            return
        mark_not_duplicate(self.ws.db, self.ws.actor, pair.a.id, pair.b.id)
        self.load()
        self.info.setText("Đã ghi nhận: hai hồ sơ là hai trẻ khác nhau; sẽ không đề xuất gộp nữa.")
