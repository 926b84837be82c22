"""One child's file in the register: identity, family, groups (with sub-groups and dates), support received,
every case about the child, and records that may be the same child. Small dialogs add to it."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from models.clock import fmt_date, fmt_datetime
from models.services.accounts import Workspace
from models.services import register as reg
from models.services.register_duplicates import find_duplicates
from models.stages import STAGES
from models.vocab import GENDERS, RELATION_ROLES

from desktop.common.frame import read_only_table, VerticalScroll
from desktop.common.form_dialog import FormDialog, date_line


def _table(headers: list[str]) -> QTableWidget:
    t = read_only_table(QTableWidget(0, len(headers)), "")
    t.setHorizontalHeaderLabels(headers)
    t.horizontalHeader().setStretchLastSection(True)
    t.setMinimumHeight(110)
    t.resizeColumnsToContents()  # an empty table still shows whole headers
    return t


def _fill(table: QTableWidget, rows: list[list[str]], tips: list[str] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if tips:
                item.setToolTip(tips[r])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.resizeRowsToContents()


class ChildFileView(QWidget):
    """Shows one child's file; emits `changed` after an edit so the list can refresh."""

    changed = Signal(int)
    merge_requested = Signal(int, int)  # (this child, the likely duplicate)
    case_requested = Signal(int)  # a case of the child, double-clicked: open it in the case list
    care_requested = Signal(int)  # "Chăm sóc thay thế…": the child's Mẫu 10 in the care tab

    def __init__(self, ws: Workspace, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.child_id: int | None = None
        self.file: reg.ChildFile | None = None
        self.duplicates = []
        can_edit = ws.actor.can("case.edit")

        self.title = QLabel("Chọn một trẻ trong danh sách để xem hồ sơ.")
        self.title.setObjectName("child_title")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.title.setWordWrap(True)
        self.identity = QLabel()
        self.identity.setObjectName("identity")
        self.identity.setWordWrap(True)
        self.identity.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.edit_child = QPushButton("Sửa thông tin trẻ…")
        self.edit_child.setObjectName("edit_child")
        self.edit_child.setToolTip("Sửa họ tên, ngày sinh, giới tính, dân tộc, số định danh, thôn/tổ, địa chỉ")
        self.edit_child.clicked.connect(self.open_edit_dialog)
        identity_row = QHBoxLayout()  # under the identity: a wrapped label beside a button is cut short
        identity_row.addWidget(self.edit_child)
        identity_row.addStretch(1)

        self.groups = _table(["Nhóm", "Diện", "Từ ngày", "Đến ngày", "Ghi chú"])
        self.groups.setObjectName("groups")
        self.add_group = QPushButton("Thêm nhóm…")
        self.add_group.setObjectName("add_group")
        self.end_group = QPushButton("Kết thúc nhóm đang chọn…")
        self.end_group.setObjectName("end_group")
        self.add_group.clicked.connect(self.open_membership_dialog)
        self.end_group.clicked.connect(self.open_end_dialog)
        self.recheck_group = QPushButton("Xem lại diện…")
        self.recheck_group.setObjectName("recheck_group")
        self.recheck_group.setToolTip("Chọn lại diện theo Nghị định 56/2017/NĐ-CP cho mục nhóm «cần xem lại»")
        self.recheck_group.clicked.connect(self.open_recheck_dialog)
        self.review_note = QLabel()
        self.review_note.setObjectName("review_note")
        self.review_note.setWordWrap(True)
        self.review_note.setStyleSheet("background: #fff4d6; padding: 6px; border: 1px solid #e0c26b;")
        self.review_note.hide()
        group_box = QGroupBox("Nhóm trẻ em có hoàn cảnh đặc biệt")
        gl = QVBoxLayout(group_box)
        gl.addWidget(self.review_note)
        # The recheck button under the note that asks for it: three buttons in one row were wider than the
        # register's half of a 1024-point screen.
        recheck_row = QHBoxLayout()
        recheck_row.addWidget(self.recheck_group)
        recheck_row.addStretch(1)
        gl.addLayout(recheck_row)
        gl.addWidget(self.groups)
        row = QHBoxLayout()
        row.addWidget(self.add_group)
        row.addWidget(self.end_group)
        row.addStretch(1)
        gl.addLayout(row)

        self.support = _table(["Ngày", "Loại hỗ trợ", "Số tiền / nội dung", "Đơn vị hỗ trợ"])
        self.support.setObjectName("support")
        self.add_support = QPushButton("Thêm lần hỗ trợ…")
        self.add_support.setObjectName("add_support")
        self.add_support.clicked.connect(self.open_support_dialog)
        support_box = QGroupBox("Hỗ trợ đã nhận")
        sl = QVBoxLayout(support_box)
        sl.addWidget(self.support)
        row = QHBoxLayout()
        row.addWidget(self.add_support)
        row.addStretch(1)
        sl.addLayout(row)

        self.cases = _table(["Mã hồ sơ", "Ngày tiếp nhận", "Giai đoạn"])
        self.cases.setObjectName("cases")
        self.cases.setToolTip("Nhấp đúp vào một hồ sơ để mở hồ sơ đó.")
        self.cases.cellDoubleClicked.connect(self._case_double_clicked)
        case_box = QGroupBox("Các hồ sơ vụ việc của trẻ")
        case_layout = QVBoxLayout(case_box)
        case_layout.addWidget(self.cases)
        # Alternative care (thẻ «Chăm sóc thay thế»): the child's placements, or a Mẫu 10 waiting for one.
        self.care = QLabel()
        self.care.setObjectName("care_placement")
        self.care.setWordWrap(True)
        self.care.hide()
        case_layout.addWidget(self.care)
        # A child living in the community (orphaned, abandoned …, Luật Trẻ em Điều 62) comes to alternative care from
        # here; a child separated by a Mẫu 07 starts from that case.
        self.start_care = QPushButton("Chăm sóc thay thế…")
        self.start_care.setObjectName("start_care")
        self.start_care.setToolTip("Mở Mẫu 10 (đánh giá trẻ em cần chăm sóc thay thế) của trẻ đang sống tại cộng đồng")
        self.start_care.clicked.connect(lambda: self.child_id is not None and self.care_requested.emit(self.child_id))
        self.start_care.setVisible(can_edit)
        care_row = QHBoxLayout()
        care_row.addWidget(self.start_care)
        care_row.addStretch(1)
        case_layout.addLayout(care_row)

        from desktop.common.attachments import AttachmentsPanel

        self.attachments = AttachmentsPanel(ws, "child", None, default_kind="giay_khai_sinh")
        self.attachments.setObjectName("child_attachments")
        attachment_box = QGroupBox("Giấy tờ đính kèm")
        QVBoxLayout(attachment_box).addWidget(self.attachments)

        self.dup_label = QLabel()
        self.dup_label.setObjectName("duplicates")
        self.dup_label.setWordWrap(True)
        self.dup_label.setStyleSheet("background: #fff4d6; padding: 6px; border: 1px solid #e0c26b;")
        self.merge_button = QPushButton("Xem và gộp…")
        self.merge_button.setObjectName("merge_button")
        self.merge_button.clicked.connect(self._merge_clicked)
        dup_row = QHBoxLayout()
        dup_row.addWidget(self.dup_label, 1)
        dup_row.addWidget(self.merge_button, 0, Qt.AlignTop)
        self.dup_box = QWidget()
        self.dup_box.setLayout(dup_row)
        self.dup_box.hide()

        for b in (self.edit_child, self.add_group, self.end_group, self.add_support, self.merge_button):
            b.setVisible(can_edit)
        self.recheck_group.hide()
        self._can_edit = can_edit
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(self.title)
        layout.addWidget(self.identity)
        layout.addLayout(identity_row)
        layout.addWidget(self.dup_box)
        layout.addWidget(group_box)
        layout.addWidget(support_box)
        layout.addWidget(case_box)
        layout.addWidget(attachment_box)
        layout.addStretch(1)
        scroll = VerticalScroll(inner)
        scroll.setObjectName("child_scroll")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.edit_child, self.add_group, self.end_group, self.add_support, self.groups, self.support, self.cases,
                  self.start_care):
            w.setEnabled(on)

    def _case_double_clicked(self, row: int, _column: int) -> None:
        if self.file is not None and 0 <= row < len(self.file.cases):
            self.case_requested.emit(self.file.cases[row].id)

    def show_child(self, child_id: int | None) -> None:
        self.child_id = child_id
        self.file = reg.open_child_file(self.ws.db, self.ws.actor, child_id) if child_id is not None else None
        self.attachments.set_owner(child_id if self.file is not None else None)
        if self.file is None:
            self.title.setText("Chọn một trẻ trong danh sách để xem hồ sơ.")
            self.identity.setText("")
            for t in (self.groups, self.support, self.cases):
                t.setRowCount(0)
            self.dup_box.hide()
            self.review_note.hide()
            self.recheck_group.hide()
            self._set_enabled(False)
            return
        self._set_enabled(True)
        c = self.file.child
        self.title.setText(c.full_name)
        fam = self.file.caregivers()
        lines = [
            f"Ngày sinh: {reg.age_text(c.date_of_birth, c.estimated_age)}    Giới tính: {GENDERS.get(c.gender, c.gender)}"
            + (f"    Dân tộc: {c.ethnicity}" if c.ethnicity else ""),
            f"Số định danh cá nhân: {c.personal_id or 'chưa có'}",
            "Nơi ở: " + (", ".join(p for p in (c.address, c.village) if p) or "chưa ghi"),
        ]
        for role, label in RELATION_ROLES.items():
            if fam.get(role):
                lines.append(f"{label}: {fam[role]}")
        self.identity.setText("\n".join(lines))
        groups = reg.special_groups()
        rows, tips = [], []
        for m in self.file.memberships:
            g = groups.get(m.group_code)
            code = reg.format_group_code(m.group_code, m.subgroup)
            rows.append([
                f"{m.group_code}. {g.title if g else ''}", code + (" — cần xem lại" if m.review_needed else ""),
                fmt_date(m.from_date), fmt_date(m.to_date) or "đang thuộc nhóm", m.note,
            ])
            tip = g.subgroup_text(m.subgroup) if g else ""
            if g and m.subgroup:
                tip += f" ({g.subgroup_citation(m.subgroup)})"
            tips.append(reg.review_text(m) if m.review_needed else tip)
        _fill(self.groups, rows, tips)
        to_review = [m for m in self.file.memberships if m.review_needed]
        if to_review:
            self.review_note.setText(" ".join(reg.review_text(m) for m in to_review))
            self.review_note.show()
            first = self.file.memberships.index(to_review[0])
            self.groups.selectRow(first)
        else:
            self.review_note.hide()
        self.recheck_group.setVisible(self._can_edit and bool(to_review))
        self.groups.setColumnWidth(0, min(self.groups.columnWidth(0), 260))
        _fill(self.support, [[
            fmt_date(s.given_on), reg.SUPPORT_KINDS.get(s.kind, s.kind),
            "; ".join(p for p in (reg.format_amount(s.amount), s.description) if p), s.provider,
        ] for s in self.file.support])
        _fill(self.cases, [[case.code, fmt_datetime(case.opened_at), STAGES.get(self.file.case_stages.get(case.id, ""), "")]
                           for case in self.file.cases])
        from models.services.placements import child_care_lines

        with self.ws.db.session() as session:
            care = child_care_lines(session, c.id)
        self.care.setText("Chăm sóc thay thế:\n" + "\n".join(f"- {line}" for line in care) if care else "")
        self.care.setVisible(bool(care))
        with self.ws.db.session() as session:
            self.duplicates = find_duplicates(session, c.full_name, c.date_of_birth, c.village, c.personal_id,
                                              exclude_id=c.id)
        if self.duplicates:
            self.dup_label.setText("Có thể trùng với: " + "; ".join(m.describe() for m in self.duplicates[:3]) + ".")
            self.dup_box.show()
        else:
            self.dup_box.hide()

    def _merge_clicked(self) -> None:
        if self.duplicates and self.child_id is not None:
            self.merge_requested.emit(self.child_id, self.duplicates[0].child_id)

    def _after_edit(self) -> None:
        cid = self.child_id
        self.show_child(cid)
        if cid is not None:
            self.changed.emit(cid)

    # -- dialogs ---------------------------------------------------------------------------------------
    def open_edit_dialog(self) -> "QDialog | None":
        if self.file is None:
            return None
        from desktop.register.child_edit_dialog import ChildEditDialog  # it builds on FormDialog below

        dlg = ChildEditDialog(self.ws, self.file.child, self)
        dlg.saved.connect(self._after_edit)
        dlg.open()
        return dlg

    def open_membership_dialog(self) -> "MembershipDialog":
        dlg = MembershipDialog(self.ws, self.child_id, self)
        dlg.saved.connect(self._after_edit)
        dlg.open()
        return dlg

    def open_support_dialog(self) -> "SupportDialog":
        dlg = SupportDialog(self.ws, self.child_id, self)
        dlg.saved.connect(self._after_edit)
        dlg.open()
        return dlg

    def open_recheck_dialog(self) -> "RecheckDialog | None":
        """Choose the right sub-group for the selected (or the first) membership marked "cần xem lại"."""
        if self.file is None:
            return None
        row = self.groups.currentRow()
        items = self.file.memberships
        m = items[row] if 0 <= row < len(items) and items[row].review_needed else \
            next((x for x in items if x.review_needed), None)
        if m is None:
            return None
        dlg = RecheckDialog(self.ws, m, self)
        dlg.saved.connect(self._after_edit)
        dlg.open()
        return dlg

    def open_end_dialog(self) -> "EndMembershipDialog | None":
        row = self.groups.currentRow()
        if self.file is None or not 0 <= row < len(self.file.memberships):
            self.title.setToolTip("")
            return None
        dlg = EndMembershipDialog(self.ws, self.file.memberships[row], self)
        dlg.saved.connect(self._after_edit)
        dlg.open()
        return dlg


class MembershipDialog(FormDialog):
    HELP_PAGE = "so-theo-doi"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, ws: Workspace, child_id: int, parent=None):
        super().__init__("Thêm nhóm hoàn cảnh đặc biệt", parent)
        self.ws, self.child_id = ws, child_id
        self.group = QComboBox()
        for code in reg.GROUP_ORDER:
            g = reg.special_groups()[code]
            self.group.addItem(f"{code}. {g.title}", code)
        self.subgroup = QComboBox()
        self.subgroup.setMinimumWidth(460)
        self.group.currentIndexChanged.connect(self._fill_subgroups)
        self.add_row("group", "Nhóm (Luật Trẻ em, Điều 10):", self.group)
        self.add_row("subgroup", "Diện (Nghị định 56/2017):", self.subgroup)
        self.from_date = self.add_row("from_date", "Từ ngày:", date_line())
        self.to_date = self.add_row("to_date", "Đến ngày (nếu đã ra khỏi nhóm):", date_line("để trống nếu trẻ vẫn thuộc nhóm"))
        self.note = self.add_row("note", "Ghi chú:", QLineEdit())
        self._fill_subgroups()

    def _fill_subgroups(self) -> None:
        code = self.group.currentData()
        g = reg.special_groups()[code]
        self.subgroup.clear()
        if len(g.subgroups) > 1:
            self.subgroup.addItem("Chưa xác định diện", None)
        for i, text in enumerate(g.subgroups, start=1):
            self.subgroup.addItem(f"{code}.{i} — {text}", i)
            self.subgroup.setItemData(self.subgroup.count() - 1, text, Qt.ToolTipRole)
        if len(g.subgroups) == 1:
            self.subgroup.setCurrentIndex(0)

    def save(self) -> None:
        _id, errors = reg.add_membership(self.ws.db, self.ws.actor, self.child_id, {
            "group": (self.group.currentData(), self.subgroup.currentData()),
            "from_date": self.from_date.text(), "to_date": self.to_date.text(), "note": self.note.text(),
        })
        self.show_errors(errors)
        if not errors:
            self.saved.emit()
            self.accept()


class RecheckDialog(FormDialog):
    """A membership flagged "cần xem lại" after the sub-groups were rewritten from the decree: the former
    words are shown, the worker chooses the sub-group; saving marks it re-checked."""
    HELP_PAGE = "so-theo-doi"  # F1: this screen's page of the guide (resources/help)

    def __init__(self, ws: Workspace, membership, parent=None):
        super().__init__(f"Xem lại diện của nhóm {membership.group_code}", parent)
        self.ws, self.membership_id = ws, membership.id
        g = reg.special_groups()[membership.group_code]
        former = QLabel(reg.review_text(membership))
        former.setObjectName("former")
        former.setWordWrap(True)
        self.form.insertRow(0, former)
        self.subgroup = QComboBox()
        self.subgroup.setMinimumWidth(460)
        self.subgroup.addItem("— chọn diện —", None)
        for i, text in enumerate(g.subgroups, start=1):
            self.subgroup.addItem(f"{membership.group_code}.{i} — {text}", i)
            self.subgroup.setItemData(self.subgroup.count() - 1, f"{text} ({g.subgroup_citation(i)})", Qt.ToolTipRole)
        self.add_row("subgroup", f"Diện ({g.article}):", self.subgroup)
        self.save_button.setText("Lưu và đánh dấu đã xem lại")

    def save(self) -> None:
        errors = reg.recheck_membership(self.ws.db, self.ws.actor, self.membership_id, self.subgroup.currentData())
        self.show_errors(errors)
        if not errors:
            self.saved.emit()
            self.accept()


class EndMembershipDialog(FormDialog):
    HELP_PAGE = "so-theo-doi"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, ws: Workspace, membership, parent=None):
        code = reg.format_group_code(membership.group_code, membership.subgroup)
        super().__init__(f"Kết thúc nhóm {code}", parent)
        self.ws, self.membership_id = ws, membership.id
        self.to_date = self.add_row("to_date", "Trẻ ra khỏi nhóm từ ngày:", date_line())
        self.note = self.add_row("note", "Lý do (ví dụ: đã được nhận nuôi):", QLineEdit())

    def save(self) -> None:
        errors = reg.end_membership(self.ws.db, self.ws.actor, self.membership_id, self.to_date.text(), self.note.text())
        self.show_errors(errors)
        if not errors:
            self.saved.emit()
            self.accept()


class SupportDialog(FormDialog):
    HELP_PAGE = "so-theo-doi"  # F1: this screen's page of the guide (resources/help)
    def __init__(self, ws: Workspace, child_id: int, parent=None):
        super().__init__("Thêm lần hỗ trợ", parent)
        self.ws, self.child_id = ws, child_id
        self.kind = QComboBox()
        for code, label in reg.SUPPORT_KINDS.items():
            self.kind.addItem(label, code)
        self.add_row("kind", "Loại hỗ trợ:", self.kind)
        self.given_on = self.add_row("given_on", "Ngày hỗ trợ:", date_line())
        amount = QLineEdit()
        amount.setPlaceholderText("số đồng, ví dụ 1.500.000 (để trống nếu hỗ trợ bằng hiện vật, dịch vụ)")
        self.amount = self.add_row("amount", "Số tiền:", amount)
        self.description = self.add_row("description", "Nội dung:", QLineEdit())
        self.provider = self.add_row("provider", "Đơn vị hỗ trợ:", QLineEdit())

    def save(self) -> None:
        _id, errors = reg.add_support(self.ws.db, self.ws.actor, self.child_id, {
            "kind": self.kind.currentData(), "given_on": self.given_on.text(), "amount": self.amount.text(),
            "description": self.description.text(), "provider": self.provider.text(),
        })
        self.show_errors(errors)
        if not errors:
            self.saved.emit()
            self.accept()
