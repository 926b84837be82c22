"""The "Chăm sóc thay thế" tab: the children needing alternative care (Mẫu 10) and the placements (Mẫu 12) with
their next step and its date; each step's screen one click away."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from models.clock import fmt_date, now
from models.services import placements
from models.services.accounts import Workspace
from models.services.calendar_edits import load_calendar

from desktop.common.frame import fit_columns, read_only_table

LATE = "#b00020"


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    return read_only_table(table, name)


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class CareView(QWidget):
    """Children needing care and placements; buttons open the step screens (desktop/care/*)."""

    changed = Signal()  # something was saved (the to-do list follows)
    print_requested = Signal(str, int)  # form code, record id (a CareNeed for "10", a Placement otherwise)

    def __init__(self, ws: Workspace, parent=None):
        super().__init__(parent)
        self.ws, self.db, self.actor = ws, ws.db, ws.actor
        self.need_rows: list[placements.NeedRow] = []
        self.rows: list[placements.PlacementRow] = []
        self.dialog = None
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("care_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(_wrapped("<b>Trẻ em cần chăm sóc thay thế</b> (đã đánh giá theo Mẫu 10, chưa có quyết định "
                                  "giao trẻ em)"))
        self.needs = _table(["Trẻ em", "Đến từ", "Ngày đánh giá", "Hồ sơ còn thiếu", "Số buổi gặp", "Việc tiếp theo"],
                            "care_needs")
        layout.addWidget(self.needs, 1)
        edit = self.actor.can("case.edit")
        need_bar = QGridLayout()
        self.b_facility = self._button(need_bar, "Trẻ em từ cơ sở (Mẫu 14)…", self.add_facility_child, edit, 0, 0)
        self.b_need = self._button(need_bar, "Mở Mẫu 10…", self.open_need, edit, 0, 1)
        self.b_meeting = self._button(need_bar, "Ghi buổi gặp…", self.add_meeting, edit, 0, 2)
        self.b_choose = self._button(need_bar, "Chọn người nhận (Mẫu 12)…", self.choose_carer, edit, 1, 0)
        self.b_print10 = self._button(need_bar, "In Mẫu 10…", lambda: self._print_need("10"), self.actor.can("print"),
                                      1, 1)
        layout.addLayout(need_bar)
        layout.addWidget(_wrapped("<b>Quyết định giao, nhận trẻ em</b> (Mẫu 12) và việc theo dõi"))
        self.placements = _table(["Trẻ em", "Người nhận", "Hình thức", "Giai đoạn", "Việc tiếp theo", "Hạn"],
                                 "care_placements")
        layout.addWidget(self.placements, 2)
        grid = QGridLayout()
        approve = self.actor.can("approve")
        self.b_draft = self._button(grid, "Sửa dự thảo Mẫu 12…", self.edit_draft, edit, 0, 0)
        self.b_sign12 = self._button(grid, "Ký quyết định (Mẫu 12)…", lambda: self.sign("12"), approve, 0, 1)
        self.b_handover = self._button(grid, "Ghi giao trẻ em…", self.handover, edit, 0, 2)
        self.b_followup = self._button(grid, "Báo cáo theo dõi (Mẫu 13)…", self.followup, edit, 1, 0)
        self.b_request = self._button(grid, "Đơn chấm dứt (Mẫu 15)…", self.end_request, edit, 1, 1)
        self.b_end = self._button(grid, "Dự thảo chấm dứt (Mẫu 16)…", self.end_draft, edit, 1, 2)
        self.b_sign16 = self._button(grid, "Ký chấm dứt (Mẫu 16)…", lambda: self.sign("16"), approve, 2, 0)
        self.b_print = self._button(grid, "In Mẫu 12…", lambda: self._print_placement("12"), self.actor.can("print"),
                                    2, 1)
        self.b_undo = self._button(grid, "Huỷ ghi giao trẻ em…", self.undo_handover, edit, 2, 2)
        self.b_dossier = self._button(grid, "In toàn bộ hồ sơ…", lambda: self._print_placement("ho_so"),
                                      self.actor.can("print"), 3, 0)
        self.b_delete = self._button(grid, "Xoá dự thảo Mẫu 12…", self.delete_draft, edit, 3, 1)
        layout.addLayout(grid)
        self.needs.itemSelectionChanged.connect(self._enable)
        self.placements.itemSelectionChanged.connect(self._enable)
        self.needs.doubleClicked.connect(lambda _i: self.open_need())

    def _button(self, layout, text: str, slot, allowed: bool, row: int | None = None, col: int | None = None):
        button = QPushButton(text)
        button.clicked.connect(slot)
        button.setVisible(allowed)
        if row is None:
            layout.addWidget(button)
        else:
            layout.addWidget(button, row, col)
        return button

    # --- the lists ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        at = now()
        with self.db.session() as session:
            self.need_rows, self.rows = placements.care_overview(session, load_calendar(session), at)
        self.needs.setRowCount(len(self.need_rows))
        for r, n in enumerate(self.need_rows):
            for c, text in enumerate((n.child_name, n.source, fmt_date(n.assessed_on),
                                      "; ".join(n.missing) or "Đủ", str(n.meetings), n.next_step)):
                self.needs.setItem(r, c, QTableWidgetItem(text))
        self.placements.setRowCount(len(self.rows))
        for r, p in enumerate(self.rows):
            due = fmt_date(p.due) + (" (quá hạn)" if p.late else "") if p.due else ""
            for c, text in enumerate((p.child_name, p.receiver, p.form, placements.STAGES[p.stage], p.next_step, due)):
                item = QTableWidgetItem(text)
                if p.late:
                    item.setForeground(Qt.GlobalColor.red)
                self.placements.setItem(r, c, item)
        if not hasattr(self.needs, "_column_fitter"):  # once: the fitter follows every later change itself
            fit_columns(self.needs, room=5, room_min=220)
            fit_columns(self.placements, room=4, room_min=220)
        else:
            self.needs._column_fitter.fit()
            self.placements._column_fitter.fit()
        late = sum(p.late for p in self.rows)
        running = sum(p.stage in ("cho_giao", "dang_cham_soc", "cho_cham_dut") for p in self.rows)
        self.summary.setText(f"{len(self.need_rows)} trẻ em đang chờ tìm người nhận; {running} trẻ em có quyết định giao "
                             "đang thực hiện" + (f"; <b style='color:{LATE}'>{late} việc quá hạn</b>" if late else "")
                             + ". Hạn giao trẻ em: 15 ngày làm việc kể từ ngày ký Mẫu 12; theo dõi sau 01 tháng, 03 "
                             "tháng, rồi 06 tháng một lần.")
        self._enable()

    def need(self) -> placements.NeedRow | None:
        rows = self.needs.selectionModel().selectedRows()
        return self.need_rows[rows[0].row()] if rows else None

    def placement(self) -> placements.PlacementRow | None:
        rows = self.placements.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def select_placement(self, placement_id: int) -> None:
        for r, p in enumerate(self.rows):
            if p.placement_id == placement_id:
                self.placements.selectRow(r)
                return

    def _enable(self) -> None:
        n, p = self.need(), self.placement()
        for b in (self.b_need, self.b_meeting, self.b_choose, self.b_print10):
            b.setEnabled(n is not None)
        s = p.stage if p else ""
        self.b_draft.setEnabled(s == "du_thao")
        self.b_delete.setEnabled(s == "du_thao")
        self.b_sign12.setEnabled(s == "du_thao")
        self.b_handover.setEnabled(s == "cho_giao")
        self.b_followup.setEnabled(s in ("dang_cham_soc", "cho_cham_dut"))
        self.b_request.setEnabled(s == "dang_cham_soc" and p is not None and p.form != placements.form_words()["co_so"])
        self.b_end.setEnabled(s in ("cho_giao", "dang_cham_soc", "cho_cham_dut"))
        self.b_sign16.setEnabled(s == "cho_cham_dut")
        self.b_print.setEnabled(p is not None)
        self.b_undo.setEnabled(s == "dang_cham_soc")
        self.b_dossier.setEnabled(p is not None)

    # --- opening the screens ------------------------------------------------------------------------------
    def _open(self, dialog) -> object:
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.show()
        return dialog

    def _saved(self) -> None:
        keep = self.placement()
        self.refresh()
        if keep is not None:
            self.select_placement(keep.placement_id)
        self.changed.emit()

    def open_need_for(self, start: dict | None = None, care_need_id: int | None = None):
        from desktop.care.child_side import CareNeedDialog

        return self._open(CareNeedDialog(self.ws, self, care_need_id=care_need_id, start=start))

    def open_need(self):
        n = self.need()
        return self.open_need_for(care_need_id=n.care_need_id) if n else None

    def add_facility_child(self):
        from desktop.care.child_side import FacilityChildDialog

        dialog = FacilityChildDialog(self.ws, self)
        opened: list[int] = []

        def next_step() -> None:  # a child entered by hand: its Mẫu 10 next (once); an imported list: none
            if dialog.facility_child_id is not None and dialog.facility_child_id not in opened:
                opened.append(dialog.facility_child_id)
                self.open_need_for(dialog.start())

        dialog.saved.connect(next_step)
        return self._open(dialog)

    def add_meeting(self):
        from desktop.care.child_side import CareMeetingDialog

        n = self.need()
        return self._open(CareMeetingDialog(self.ws, n.care_need_id, self)) if n else None

    def choose_carer(self):
        from desktop.care.placement_dialogs import PlacementDialog

        n = self.need()
        return self._open(PlacementDialog(self.ws, n.care_need_id, self)) if n else None

    def edit_draft(self):
        from desktop.care.placement_dialogs import PlacementDialog

        p = self.placement()
        return self._open(PlacementDialog(self.ws, p.care_need_id, self, placement_id=p.placement_id)) if p else None

    def sign(self, which: str):
        from desktop.care.placement_dialogs import SignDialog

        p = self.placement()
        return self._open(SignDialog(self.ws, p.placement_id, self, which=which)) if p else None

    def handover(self):
        from desktop.care.placement_dialogs import HandoverDialog

        p = self.placement()
        return self._open(HandoverDialog(self.ws, p.placement_id, self)) if p else None

    def delete_draft(self):
        from desktop.care.placement_dialogs import DeleteDraftDialog

        p = self.placement()
        return self._open(DeleteDraftDialog(self.ws, p.placement_id, self)) if p else None

    def undo_handover(self):
        from desktop.care.placement_dialogs import UndoHandoverDialog

        p = self.placement()
        return self._open(UndoHandoverDialog(self.ws, p.placement_id, self)) if p else None

    def followup(self):
        from desktop.care.placement_dialogs import FollowupDialog

        p = self.placement()
        return self._open(FollowupDialog(self.ws, p.placement_id, self)) if p else None

    def end_request(self):
        from desktop.care.placement_dialogs import EndRequestDialog

        p = self.placement()
        return self._open(EndRequestDialog(self.ws, p.placement_id, self)) if p else None

    def end_draft(self):
        from desktop.care.placement_dialogs import EndDecisionDialog

        p = self.placement()
        return self._open(EndDecisionDialog(self.ws, p.placement_id, self)) if p else None

    def _print_need(self, form: str) -> None:
        n = self.need()
        if n is not None:
            self.print_requested.emit(form, n.care_need_id)

    def _print_placement(self, form: str) -> None:
        p = self.placement()
        if p is not None:
            self.print_requested.emit(form, p.placement_id)

    def open_task(self, placement_id: int):
        """From the to-do list: the placement selected, and the screen of its next step opened."""
        self.refresh()
        self.select_placement(placement_id)
        p = self.placement()
        if p is None:
            return None
        approve = self.actor.can("approve")
        if p.stage == "du_thao":
            return self.sign("12") if approve else self.edit_draft()
        return {"cho_giao": self.handover, "dang_cham_soc": self.followup,
                "cho_cham_dut": (lambda: self.sign("16")) if approve else self.end_draft}.get(p.stage, lambda: None)()
