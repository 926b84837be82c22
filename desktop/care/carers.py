"""Người nhận chăm sóc thay thế: the commune's carers (NĐ 56 Điều 39–42; Luật Trẻ em Điều 63.2, 65).

* CarersView — the tab: search by name, standing and village, the counts, the quarter's Mẫu 09 (sent or due);
  buttons to register (Mẫu 08), record a relative's notice, correct, verify (Mẫu 11), withdraw, print, send the
  list up.
* CarerDialog — Mẫu 08's fields (or a relative's notice), the carer's file (Điều 41.1) with what is missing,
  each message under its field.
* WithdrawDialog — a reason and an explicit confirmation.
* SendListDialog — the quarter's list to the level above: the PDF and the workbook (desktop.actions.printing).
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QGridLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop.actions import printing
from desktop.common import messages
from desktop.common.fields import ErrorLabel, RadioChoice, multiline, yes_no_answer, yes_no_choice, yes_no_value
from desktop.common.form_dialog import FormDialog, date_line
from desktop.common.frame import DialogFrame, fit_columns, read_only_table
from desktop.process.base import wording_note
from models.care_entities import Carer
from models.clock import fmt_date, now
from models.errors import UserError
from models.services import carers as svc
from models.services.accounts import Workspace
from models.services.calendar_edits import load_calendar
from models.services.process_common import ProcessError
from models.wording import form_definition

HELP_PAGE = "nguoi-nhan-cham-soc-thay-the"
COLUMNS = ("Họ và tên", "Hình thức", "Cá nhân / gia đình", "Thôn", "Ngày đăng ký", "Tình trạng", "Hồ sơ còn thiếu")
STANDING_COLOURS = {"du_dieu_kien": "#1b5e20", "khong_du_dieu_kien": "#b00020", "da_rut": "#666666",
                    "cho_xac_minh": "#7a4d00"}


def _d(day) -> str:
    return fmt_date(day) if day else ""


class CarerModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[svc.CarerRow] = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            kind = svc.KINDS.get(r.kind, "") + (f" ({r.members} người)" if r.kind == "gia_dinh" else "")
            standing = r.standing_text + (" — chờ Chủ tịch xác nhận Mẫu 11" if r.draft_verification else "")
            registration = "Đơn Mẫu 08" if r.registration == "don_dang_ky" else "Người thân thích"
            missing = "; ".join(r.missing) if r.missing else "Đủ giấy tờ"
            return (r.full_name, registration, kind, r.village, _d(r.applied_on), standing, missing)[col]
        if role == Qt.ToolTipRole and col == 6 and r.missing:
            return "\n".join(r.missing)
        if role == Qt.ForegroundRole and col == 5:
            return QBrush(QColor(STANDING_COLOURS[r.standing]))
        return None


class CarersView(QWidget):
    """The carers' tab. `changed` after any write (the to-do list refreshes)."""
    HELP_PAGE = HELP_PAGE

    changed = Signal()

    def __init__(self, ws: Workspace, parent=None):
        super().__init__(parent)
        self.ws, self.db, self.actor = ws, ws.db, ws.actor
        self.dialog: QWidget | None = None
        self.search = QLineEdit()
        self.search.setObjectName("carer_search")
        self.search.setPlaceholderText("Tìm theo tên (gõ không dấu cũng được)")
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.standing = QComboBox()
        self.standing.setObjectName("carer_standing")
        self.standing.addItem("Mọi tình trạng", None)
        for code, label in svc.STANDINGS.items():
            self.standing.addItem(label, code)
        self.standing.currentIndexChanged.connect(lambda _i: self.refresh())
        self.village = QComboBox()
        self.village.setObjectName("carer_village")
        self.village.addItem("Mọi thôn", "")
        self.village.currentIndexChanged.connect(lambda _i: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Tìm:"))
        filters.addWidget(self.search, 2)
        filters.addWidget(self.standing, 1)
        filters.addWidget(self.village, 1)

        self.model = CarerModel(self)
        self.table = read_only_table(QTableView(), "carers", widths=(200, 110, 130, 110, 100, 330, 150), wrap=False,
                                     alternating=True, row_room=10)
        self.table.setModel(self.model)
        fit_columns(self.table, room=5, room_min=250)  # the standing (and what waits for the chairman) first
        self.table.doubleClicked.connect(lambda _i: self.open_edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())

        self.counts = QLabel()
        self.counts.setObjectName("carer_counts")
        self.counts.setWordWrap(True)
        self.list_status = QLabel()
        self.list_status.setObjectName("carer_list_status")
        self.list_status.setTextFormat(Qt.PlainText)
        self.list_status.setWordWrap(True)

        def button(text: str, name: str, slot, allowed: bool = True) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(slot)
            b.setVisible(allowed)
            return b

        edit = self.actor.can("case.edit")
        self.new_button = button("Đăng ký mới (Mẫu 08)…", "new_carer", lambda: self.open_new("don_dang_ky"), edit)
        self.relative_button = button("Người thân thích thông báo…", "new_relative",
                                      lambda: self.open_new("thong_bao_than_thich"), edit)
        self.edit_button = button("Xem, sửa…", "edit_carer", self.open_edit)
        self.verify_button = button("Xác minh (Mẫu 11)…", "verify_carer", self.open_verification)
        self.withdraw_button = button("Rút khỏi danh sách…", "withdraw_carer", self.open_withdraw, edit)
        can_print = self.actor.can("print")
        self.print08_button = button("In Mẫu 08", "print08", lambda: self.print_form("08"), can_print)
        self.print11_button = button("In Mẫu 11", "print11", lambda: self.print_form("11"), can_print)
        self.print09_button = button("Xem danh sách Mẫu 09", "print09", lambda: self.print_form("09"), can_print)
        self.send_button = button("Gửi danh sách Mẫu 09 lên cấp trên…", "send_list", self.open_send,
                                  self.actor.can("export"))
        grid = QGridLayout()
        for i, b in enumerate((self.new_button, self.relative_button, self.edit_button, self.verify_button,
                               self.withdraw_button)):
            grid.addWidget(b, 0, i)
        for i, b in enumerate((self.print08_button, self.print11_button, self.print09_button, self.send_button)):
            grid.addWidget(b, 1, i)
        hint = QLabel("Danh sách Mẫu 09 gửi cấp trên chỉ gồm người đã được xác minh đủ điều kiện (Mẫu 11 đã được "
                      "Chủ tịch xác nhận); người đang chờ xác minh hiện ở đây nhưng không có trong danh sách gửi đi.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.list_status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)
        layout.addLayout(grid)
        layout.addWidget(hint)
        self.allowed = self.actor.can("case.view")
        if not self.allowed:
            self.counts.setText("Tài khoản quản trị không xem thông tin người nhận chăm sóc thay thế.")
            for b in self.findChildren(QPushButton):
                b.setEnabled(False)
            return
        self.refresh()

    # -- the list -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not getattr(self, "allowed", True):
            return
        village = self.village.currentData() or ""
        shown = self.selected_id()
        rows = svc.list_carers(self.db, text=self.search.text(), standing_is=self.standing.currentData(),
                               village=village)
        self.model.set_rows(rows)
        every = svc.list_carers(self.db)
        known = svc.villages(self.db)
        if [self.village.itemData(i) for i in range(1, self.village.count())] != known:
            self.village.blockSignals(True)
            self.village.clear()
            self.village.addItem("Mọi thôn", "")
            for v in known:
                self.village.addItem(v, v)
            self.village.setCurrentIndex(max(self.village.findData(village), 0))
            self.village.blockSignals(False)
        c = svc.counts(every)
        self.counts.setText(
            f"<b>{len(rows)}</b> người đang hiện / {len(every)} người trong sổ: "
            f"{c['du_dieu_kien']} đủ điều kiện, {c['cho_xac_minh']} chờ xác minh, "
            f"{c['khong_du_dieu_kien']} không đủ điều kiện, {c['da_rut']} đã rút.")
        with self.db.session() as session:
            calendar = load_calendar(session)
        self.list_status.setText(svc.list_status(self.db, calendar))
        if shown is not None:
            self.select(shown)
        self._update_buttons()

    def select(self, carer_id: int) -> None:
        for row, r in enumerate(self.model.rows):
            if r.id == carer_id:
                self.table.selectRow(row)
                return

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()].id

    def selected_row(self) -> svc.CarerRow | None:
        cid = self.selected_id()
        return next((r for r in self.model.rows if r.id == cid), None)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        for b in (self.edit_button, self.verify_button, self.print11_button):
            b.setEnabled(row is not None)
        self.withdraw_button.setEnabled(row is not None and row.standing != "da_rut")
        self.print08_button.setEnabled(row is not None and row.registration == "don_dang_ky")

    def _after_write(self, carer_id: int | None = None) -> None:
        self.refresh()
        if carer_id is not None:
            self.select(carer_id)
        self.changed.emit()

    # -- dialogs ----------------------------------------------------------------------------------------
    def _need_selection(self) -> int | None:
        cid = self.selected_id()
        if cid is None:
            messages.choose(self, "Chưa chọn", "Hãy chọn một người trong danh sách trước.", ["Đóng"])
        return cid

    def open_new(self, registration: str = "don_dang_ky") -> "CarerDialog":
        self.dialog = CarerDialog(self.ws, None, registration=registration, parent=self)
        self.dialog.saved.connect(self._after_write)
        self.dialog.show()
        return self.dialog

    def open_edit(self, carer_id: int | None = None) -> "CarerDialog | None":
        cid = carer_id or self._need_selection()
        if cid is None:
            return None
        self.dialog = CarerDialog(self.ws, cid, parent=self)
        self.dialog.saved.connect(self._after_write)
        self.dialog.show()
        return self.dialog

    def open_verification(self, carer_id: int | None = None):
        from desktop.care.carer_verification import VerificationDialog

        cid = carer_id or self._need_selection()
        if cid is None:
            return None
        self.dialog = VerificationDialog(self.ws, cid, parent=self)
        self.dialog.saved.connect(self._after_write)
        self.dialog.show()
        return self.dialog

    def open_withdraw(self, carer_id: int | None = None) -> "WithdrawDialog | None":
        cid = carer_id or self._need_selection()
        if cid is None:
            return None
        self.dialog = WithdrawDialog(self.ws, cid, self)
        self.dialog.saved.connect(lambda: self._after_write(cid))
        self.dialog.show()
        return self.dialog

    def open_send(self, quarter_ref: int | None = None) -> "SendListDialog":
        """`quarter_ref`: year × 10 + quarter (the to-do item's ref), else the oldest quarter due."""
        self.dialog = SendListDialog(self.ws, self, quarter_ref=quarter_ref)
        self.dialog.saved.connect(self._after_write)
        self.dialog.show()
        return self.dialog

    def print_form(self, code: str):
        from desktop.common.pdf_preview import PdfPreview

        cid = None
        if code != "09":
            cid = self._need_selection()
            if cid is None:
                return None
        try:
            paper = printing.show(self.ws, printing.care_form(self.ws, code, cid))
        except UserError as exc:
            messages.choose(self, "Chưa in được", str(exc), ["Đóng"])
            return None
        self.preview = PdfPreview(paper.pdf, title=paper.title, file_name=paper.file_name, forms=paper.forms,
                                  save=lambda path, _pdf: printing.save(self.ws, paper, path), parent=self)
        self.preview.show()
        return self.preview


def _section(title: str) -> tuple[QWidget, QFormLayout]:
    from PySide6.QtWidgets import QGroupBox

    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setRowWrapPolicy(QFormLayout.WrapLongRows)
    return box, form


class CarerDialog(QDialog):
    """Mẫu 08 (or a relative's notice): new when `carer_id` is None. `saved(carer_id)` after a save."""
    HELP_PAGE = HELP_PAGE

    saved = Signal(int)

    def __init__(self, ws: Workspace, carer_id: int | None, *, registration: str = "don_dang_ky", parent=None):
        super().__init__(parent)
        self.ws, self.db, self.actor = ws, ws.db, ws.actor
        self.carer_id = carer_id
        self.row_version = None
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        carer = None
        if carer_id is not None:
            with self.db.session() as session:
                carer = svc.get_carer(session, carer_id)
                carer.verifications  # noqa: B018
                session.expunge(carer)
            registration = carer.registration
        self.registration = registration
        words = form_definition("08")["fields"]
        title = ("Đăng ký nhận chăm sóc thay thế (Mẫu 08)" if registration == "don_dang_ky"
                 else "Người thân thích thông báo nhận chăm sóc thay thế")
        self.setWindowTitle(title + (f" — {carer.full_name}" if carer else ""))
        head = QWidget()
        top = QVBoxLayout(head)
        top.setContentsMargins(0, 0, 0, 0)
        self.top_error = ErrorLabel()
        self.top_error.setObjectName("error_")
        self.errors[""] = self.top_error
        top.addWidget(self.top_error)
        if registration == "don_dang_ky":
            top.addWidget(wording_note("08"))
        else:
            note = QLabel("Người thân thích của trẻ em không phải làm đơn Mẫu 08 và hồ sơ theo Điều 41 Nghị định "
                          "56/2017, chỉ thông báo với UBND xã (khoản 4 Điều 65 Luật Trẻ em). Vẫn xác minh điều kiện "
                          "(Mẫu 11) trước khi giao trẻ em.")
            note.setWordWrap(True)
            note.setStyleSheet("color:#37474f; background:#eceff1; padding:4px 6px; border-radius:3px;")
            top.addWidget(note)
        self.frame = DialogFrame(self, width=860, height=700, above=head)
        body = self.frame.body

        def add(form: QFormLayout, key: str, widget: QWidget, label: str | None = None) -> QWidget:
            widget.setObjectName(key)
            err = ErrorLabel()
            err.setObjectName(f"error_{key}")
            self.errors[key] = err
            self.widgets[key] = widget
            form.addRow(label or words[key]["label"], widget)
            form.addRow("", err)
            return widget

        box, form = _section("Người đăng ký")
        add(form, "kind", RadioChoice(svc.KINDS))
        add(form, "full_name", QLineEdit())
        add(form, "date_of_birth", date_line())
        add(form, "gender", RadioChoice({k: v for k, v in svc.GENDERS.items() if k != "khong_biet"},
                                        none_label="Chưa rõ"))
        add(form, "is_foreigner", yes_no_choice())
        add(form, "personal_id", QLineEdit())
        add(form, "nationality", QLineEdit())
        add(form, "residence_from", date_line())
        add(form, "residence_until", date_line())
        add(form, "occupation", QLineEdit())
        add(form, "phone", QLineEdit())
        add(form, "village", QLineEdit())
        add(form, "address", QLineEdit())
        add(form, "lives_in_commune", yes_no_choice())
        body.addWidget(box)
        self.widgets["is_foreigner"].setToolTip("Người nước ngoài: cư trú tại Việt Nam ít nhất 06 tháng và còn hạn "
                                               "cư trú ít nhất 12 tháng khi đăng ký (khoản 3 Điều 39 NĐ 56/2017)")
        if registration == "thong_bao_than_thich":
            box, form = _section("Trẻ em là người thân thích")
            self.child_search = QLineEdit()
            self.child_search.setObjectName("child_search")
            self.child_search.setPlaceholderText("Gõ tên trẻ em để tìm trong sổ theo dõi")
            self.child_search.textChanged.connect(self._find_children)
            form.addRow("Tìm trẻ em", self.child_search)
            add(form, "relative_of_child_id", QComboBox())
            add(form, "relation_to_child", QLineEdit())
            body.addWidget(box)
        box, form = _section("Gia đình")
        self.members = QTableWidget(0, 4)
        self.members.setObjectName("members")
        self.members.setHorizontalHeaderLabels(["Họ và tên", "Năm sinh", "Quan hệ", "Nghề nghiệp"])
        self.members.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.members.setMinimumHeight(110)
        add(form, "members", self.members)
        add_member = QPushButton("Thêm thành viên")
        add_member.setObjectName("add_member")
        add_member.clicked.connect(lambda: self.members.insertRow(self.members.rowCount()))
        form.addRow("", add_member)
        add(form, "family_consent", yes_no_choice())
        self.family_box = box
        body.addWidget(box)
        box, form = _section("Đơn và hồ sơ (Nghị định 56/2017, khoản 1 Điều 41)")
        add(form, "applied_on", date_line())
        add(form, "wishes", multiline(height=50))
        add(form, "reasons", multiline(height=50))
        add(form, "health_certificate_on", date_line())
        add(form, "criminal_record_on", date_line())
        self.file_list = QLabel()
        self.file_list.setObjectName("file_list")
        self.file_list.setWordWrap(True)
        self.file_list.setTextFormat(Qt.RichText)
        form.addRow("Hồ sơ", self.file_list)
        body.addWidget(box)
        self.widgets["kind"].button("gia_dinh").toggled.connect(lambda _on: self._kind_changed())
        for code in ("", "yes", "no"):
            self.widgets["is_foreigner"].button(code).toggled.connect(lambda _on: self._foreigner_changed())
        self._foreigner_changed()
        self._kind_changed()
        self.standing_label = QLabel()
        self.standing_label.setObjectName("standing")
        body.addWidget(self.standing_label)
        # The scans of the carer's papers (the application, the health certificate, the criminal record …):
        # encrypted like everything else, listed not included in exports (desktop/common/attachments.py).
        from desktop.common.attachments import AttachmentsPanel

        box, form = _section("Giấy tờ đính kèm (bản quét, ảnh)")
        self.attachments = AttachmentsPanel(ws, "carer", carer_id, default_kind="don_thu", parent=self)
        self.attachments.setObjectName("carer_attachments")
        form.addRow(self.attachments)
        if carer_id is None:
            form.addRow(QLabel("Lưu đơn trước, rồi đính kèm bản quét giấy tờ."))
        body.addWidget(box)

        self.close_button = QPushButton("Đóng")
        self.close_button.setObjectName("close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        self.save_button = QPushButton("Lưu")
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(self.actor.can("case.edit") and (carer is None or carer.withdrawn_at is None))
        bar = self.frame.bar
        bar.addWidget(self.close_button)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        if carer is not None:
            self._fill(carer)
        else:
            self._show_file(None)

    def _kind_changed(self) -> None:
        family = self.widgets["kind"].value() == "gia_dinh"
        self.members.setEnabled(family)

    def _foreigner_changed(self) -> None:
        """The residence dates (NĐ 56 Điều 39.3) and the criminal record concern a foreigner only."""
        foreign = self.widgets["is_foreigner"].value() == "yes"
        for key in ("residence_from", "residence_until", "criminal_record_on"):
            self.widgets[key].setEnabled(foreign)

    def _find_children(self, text: str) -> None:
        combo: QComboBox = self.widgets["relative_of_child_id"]  # type: ignore[assignment]
        keep = combo.currentData()
        combo.clear()
        for cid, label in svc.children_matching(self.db, text):
            combo.addItem(label, cid)
        if keep is not None:
            combo.setCurrentIndex(max(combo.findData(keep), 0))

    def _fill(self, carer: Carer) -> None:
        w = self.widgets
        self.row_version = carer.row_version
        w["kind"].set_value(carer.kind)
        w["full_name"].setText(carer.full_name)
        w["date_of_birth"].setText(_d(carer.date_of_birth))
        w["gender"].set_value(carer.gender if carer.gender != "khong_biet" else None)
        w["is_foreigner"].set_value(yes_no_value(carer.is_foreigner))
        w["lives_in_commune"].set_value(yes_no_value(carer.lives_in_commune))
        w["family_consent"].set_value(yes_no_value(carer.family_consent))
        for key in ("personal_id", "nationality", "occupation", "phone", "village", "address"):
            w[key].setText(getattr(carer, key) or "")
        for key in ("residence_from", "residence_until", "applied_on", "health_certificate_on", "criminal_record_on"):
            w[key].setText(_d(getattr(carer, key)))
        w["wishes"].setPlainText(carer.wishes)
        w["reasons"].setPlainText(carer.reasons)
        for m in carer.members or []:
            row = self.members.rowCount()
            self.members.insertRow(row)
            for col, key in enumerate(("full_name", "year_of_birth", "relation", "occupation")):
                self.members.setItem(row, col, QTableWidgetItem(str(m.get(key) or "")))
        if self.registration == "thong_bao_than_thich" and carer.relative_of_child is not None:
            combo = w["relative_of_child_id"]
            combo.addItem(carer.relative_of_child.full_name, carer.relative_of_child_id)
            w["relation_to_child"].setText(carer.relation_to_child)
        self._kind_changed()
        self._show_file(carer)
        words = svc.STANDINGS[svc.standing(carer)]
        if carer.withdrawn_at is not None:
            words += f" ngày {fmt_date(carer.withdrawn_at)}: {carer.withdrawn_reason}"
        self.standing_label.setText(f"Tình trạng: <b>{escape(words)}</b>")

    def _show_file(self, carer: Carer | None) -> None:
        if carer is None:
            self.file_list.setText("Lưu để xem hồ sơ còn thiếu giấy tờ nào." if self.registration == "don_dang_ky"
                                   else "Người thân thích: không cần hồ sơ theo khoản 1 Điều 41.")
            return
        lines = [("✔ " if item.present else "✘ còn thiếu: ") + escape(item.text) for item in svc.file_items(carer)]
        self.file_list.setText("<br>".join(lines))

    def raw(self) -> dict:
        w = self.widgets
        members = []
        for row in range(self.members.rowCount()):
            cells = [(self.members.item(row, col).text() if self.members.item(row, col) else "") for col in range(4)]
            members.append(dict(zip(("full_name", "year_of_birth", "relation", "occupation"), cells)))
        raw = {
            "registration": self.registration, "kind": w["kind"].value(),
            "gender": w["gender"].value() or "khong_biet",
            "is_foreigner": yes_no_answer(w["is_foreigner"].value()),
            "lives_in_commune": yes_no_answer(w["lives_in_commune"].value()),
            "family_consent": yes_no_answer(w["family_consent"].value()),
            "wishes": w["wishes"].toPlainText(), "reasons": w["reasons"].toPlainText(), "members": members,
            "row_version": self.row_version,
        }
        for key in ("full_name", "date_of_birth", "personal_id", "nationality", "residence_from", "residence_until",
                    "occupation", "phone", "village", "address", "applied_on", "health_certificate_on",
                    "criminal_record_on"):
            raw[key] = w[key].text()
        if self.registration == "thong_bao_than_thich":
            raw["relative_of_child_id"] = w["relative_of_child_id"].currentData()
            raw["relation_to_child"] = w["relation_to_child"].text()
        return raw

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.show_message(errors.get(key, ""))
        unknown = [m for k, m in errors.items() if k not in self.errors]
        if unknown:
            self.top_error.show_message(" ".join(unknown))
        first = next((self.widgets[k] for k in self.widgets if k in errors), None)
        if first is not None:
            self.frame.scroll.ensureWidgetVisible(first)

    def save(self) -> bool:
        try:
            if self.carer_id is None:
                self.carer_id = svc.register_carer(self.db, self.actor, self.raw())
            else:
                svc.update_carer(self.db, self.actor, self.carer_id, self.raw())
        except ProcessError as exc:
            self.show_errors(exc.errors)
            return False
        self.show_errors({})
        with self.db.session() as session:
            carer = svc.get_carer(session, self.carer_id)
            carer.verifications  # noqa: B018
            self.row_version = carer.row_version
            self._show_file(carer)
        self.saved.emit(self.carer_id)
        self.accept()
        return True


class WithdrawDialog(FormDialog):
    """Take a carer off the list: the reason and a tick to confirm (nothing is deleted)."""
    HELP_PAGE = HELP_PAGE

    def __init__(self, ws: Workspace, carer_id: int, parent=None):
        super().__init__("Rút khỏi danh sách người nhận chăm sóc thay thế", parent)
        self.ws, self.carer_id = ws, carer_id
        with ws.db.session() as session:
            name = svc.get_carer(session, carer_id).full_name
        intro = QLabel(f"Rút <b>{escape(name)}</b> khỏi danh sách. Hồ sơ vẫn được giữ; người này không còn trong "
                       "danh sách Mẫu 09 và không được chọn để giao trẻ em.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.reason = self.add_row("withdrawn_reason", "Lý do", multiline(height=60))
        self.confirm_box = QCheckBox("Tôi xác nhận rút người này khỏi danh sách")
        self.confirm_box.setObjectName("confirm_withdraw")
        self.add_row("", "", self.confirm_box)
        self.save_button.setText("Rút khỏi danh sách")

    def save(self) -> None:
        try:
            svc.withdraw_carer(self.ws.db, self.ws.actor, self.carer_id, self.reason.toPlainText(),
                               confirmed=self.confirm_box.isChecked())
        except ProcessError as exc:
            self.show_errors(exc.errors)
            return
        self.saved.emit()
        self.accept()


class SendListDialog(FormDialog):
    """The quarter's Mẫu 09 for the level above: where to write the PDF and the workbook, to whom."""
    HELP_PAGE = HELP_PAGE

    def __init__(self, ws: Workspace, parent=None, *, quarter_ref: int | None = None):
        super().__init__("Gửi danh sách Mẫu 09 lên cấp trên", parent)
        self.ws = ws
        the_list = svc.current_list(ws.db)
        # The quarters to send: those the to-do list holds (a late one first), and the current one.
        with ws.db.session() as session:
            due = {t.ref: t.late for t in svc.list_tasks(session, load_calendar(session), now())}
        refs = list(dict.fromkeys([*sorted(due), the_list.year * 10 + the_list.quarter]))
        self.quarter_box = QComboBox()
        for ref in refs:
            self.quarter_box.addItem(f"Quý {ref % 10}/{ref // 10}" + (" (quá hạn)" if due.get(ref) else ""), ref)
        if quarter_ref in refs:
            self.quarter_box.setCurrentIndex(refs.index(quarter_ref))
        intro = QLabel(f"Danh sách gồm <b>{len(the_list.rows)}</b> cá nhân, gia đình đang đủ điều kiện (đã được xác "
                       "minh, Chủ tịch đã xác nhận). Chương trình ghi bản PDF (để in, ký, đóng dấu) và tệp Excel (để "
                       "cấp trên tổng hợp), ghi vào nhật ký và đánh dấu việc cần làm của quý là đã xong.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.add_row("quarter", "Quý", self.quarter_box)
        self.recipient = self.add_row("recipient", "Nơi nhận", QLineEdit())
        self.recipient.setPlaceholderText(form_definition("09")["default_recipient"])
        self.folder = self.add_row("folder", "Thư mục lưu", QLineEdit(str(Path.home())))
        choose = QPushButton("Chọn thư mục…")
        choose.setObjectName("choose_folder")
        choose.clicked.connect(self._choose)
        self.form.addRow("", choose)
        self.save_button.setText("Ghi và đánh dấu đã gửi")
        self.written: tuple[Path, Path] | None = None

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu danh sách", self.folder.text())
        if folder:
            self.folder.setText(folder)

    @property
    def quarter(self) -> tuple[int, int]:
        ref = self.quarter_box.currentData()
        return ref // 10, ref % 10

    def paths(self) -> tuple[Path, Path]:
        year, quarter = self.quarter
        folder = Path(self.folder.text().strip() or ".")
        stem = f"mau09-danh-sach-nguoi-nhan-cstt-quy{quarter}-{year}"
        return folder / f"{stem}.pdf", folder / f"{stem}.xlsx"

    def save(self) -> None:
        pdf, xlsx = self.paths()
        try:
            self.written = printing.send_carer_list(self.ws, pdf, xlsx, year=self.quarter[0], quarter=self.quarter[1],
                                                    recipient=self.recipient.text())
        except UserError as exc:
            self.show_errors({"folder": str(exc)})
            return
        self.saved.emit()
        self.accept()
