"""The commune's register of children (14 groups of children in special circumstances): the list with
search and filters on the left, the chosen child's file on the right; import, export and duplicates.

Entry point: RegisterWindow(ws, parent=None), a QWidget the main window can put in a tab or open alone.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from models import validation as v
from models.clock import today
from models.services.accounts import Workspace
from models.services import register as reg
from models.services.register_export import export_register
from models.vocab import GENDERS

from desktop.common.frame import fit_columns, read_only_table
from desktop.register.register_child import ChildFileView
from desktop.register.register_model import RegisterListModel

SEARCH_DELAY_MS = 60


class RegisterWindow(QWidget):
    def __init__(self, ws: Workspace, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("Sổ theo dõi trẻ em có hoàn cảnh đặc biệt")
        self.resize(1280, 760)
        actor = ws.actor
        visible = actor.can("case.view")

        self.import_button = QPushButton("Nhập từ Excel…")
        self.import_button.setObjectName("import")
        self.export_button = QPushButton("Xuất ra Excel…")
        self.export_button.setObjectName("export")
        self.duplicates_button = QPushButton("Trẻ có thể bị ghi trùng…")
        self.duplicates_button.setObjectName("duplicates")
        self.import_button.setEnabled(actor.can("import"))
        self.export_button.setEnabled(actor.can("export"))
        self.duplicates_button.setEnabled(actor.can("case.edit"))
        self.import_button.clicked.connect(lambda: self.open_import())
        self.export_button.clicked.connect(self._choose_export)
        self.duplicates_button.clicked.connect(lambda: self.open_duplicates())
        actions = QHBoxLayout()
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.duplicates_button)
        actions.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        actions.addWidget(self.message, 2)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Tìm theo tên trẻ (có dấu hoặc không dấu) hoặc số định danh…")
        self.search.setClearButtonEnabled(True)
        self.group = QComboBox()
        self.group.setObjectName("group")
        self.group.addItem("Mọi trẻ em", None)
        self.group.addItem("Trẻ có hoàn cảnh đặc biệt (mọi nhóm)", reg.ANY_GROUP)
        self.group.addItem("Trẻ cần xem lại diện nhóm", reg.REVIEW_GROUP)
        for code in reg.GROUP_ORDER:
            g = reg.special_groups()[code]
            self.group.addItem(f"Nhóm {code}: {g.title}", code)
            self.group.setItemData(self.group.count() - 1, f"{g.title} ({g.article})", Qt.ToolTipRole)
        self.group.setMaximumWidth(240)
        self.search.setMinimumWidth(220)
        self.village = QComboBox()
        self.village.setObjectName("village")
        self.age = QComboBox()
        self.age.setObjectName("age")
        self.age.addItem("Mọi độ tuổi", None)
        for code, (label, _lo, _hi) in reg.AGE_BANDS.items():
            self.age.addItem(label, code)
        self.gender = QComboBox()
        self.gender.setObjectName("gender")
        self.gender.addItem("Nam và nữ", None)
        for code, label in GENDERS.items():
            self.gender.addItem(label, code)
        # Search on its own line, the filters below: the list stays usable on a 1024-pixel-wide screen.
        for combo in (self.group, self.village, self.age, self.gender):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        combos = QHBoxLayout()
        combos.addWidget(self.group, 2)
        combos.addWidget(self.village, 1)
        combos.addWidget(self.age, 1)
        combos.addWidget(self.gender, 1)
        filters = QVBoxLayout()
        filters.addWidget(self.search)
        filters.addLayout(combos)

        self.model = RegisterListModel(ws.db, self, visible=visible)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_table(self.table, "children", alternating=True)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.AscendingOrder)
        for col, width in ((1, 150), (2, 70), (3, 130), (4, 90), (5, 100)):
            self.table.setColumnWidth(col, width)
        fit_columns(self.table, room=0, room_min=180)  # the child's name first; no header cut
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addLayout(filters)
        ll.addWidget(self.table)
        ll.addWidget(self.count_label)
        self.child_view = ChildFileView(ws, self)
        self.child_view.changed.connect(self._child_changed)
        self.child_view.merge_requested.connect(lambda a, b: self.open_duplicates(focus=(a, b)))
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.child_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 560])

        # Sub-groups were rewritten from the decree (migration 0005): memberships whose old sub-group had no
        # equivalent wait for the worker until each is re-checked.
        self.review_banner = QLabel()
        self.review_banner.setObjectName("review_banner")
        self.review_banner.setWordWrap(True)
        self.review_banner.setStyleSheet("background: #fff4d6; padding: 6px; border: 1px solid #e0c26b;")
        self.review_button = QPushButton("Xem danh sách")
        self.review_button.setObjectName("review_list")
        self.review_button.clicked.connect(lambda: self.group.setCurrentIndex(self.group.findData(reg.REVIEW_GROUP)))
        self.review_row = QWidget()
        review_layout = QHBoxLayout(self.review_row)
        review_layout.setContentsMargins(0, 0, 0, 0)
        review_layout.addWidget(self.review_banner, 1)
        review_layout.addWidget(self.review_button)

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.review_row)
        layout.addWidget(splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.group, self.village, self.age, self.gender):
            combo.currentIndexChanged.connect(self.apply_filter)
        self._fill_villages()
        self._update_count()
        self._update_review_banner()

    # -- list ------------------------------------------------------------------------------------------
    def _fill_villages(self) -> None:
        current = self.village.currentData()
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem("Mọi thôn, tổ dân phố", None)
        with self.ws.db.session() as session:
            for name in reg.villages(session):
                self.village.addItem(name, name)
        self.village.setCurrentIndex(max(self.village.findData(current), 0))
        self.village.blockSignals(False)

    def apply_filter(self) -> None:
        self._timer.stop()
        flt = reg.RegisterFilter(self.search.text(), self.group.currentData(), self.village.currentData(),
                                 self.age.currentData(), self.gender.currentData(), self.model.filter.order, today())
        self.model.set_filter(flt)
        self._update_count()

    def _update_review_banner(self) -> None:
        with self.ws.db.session() as session:
            n = reg.children_to_review(session)
        self.review_banner.setText(
            f"{n} trẻ cần xem lại nhóm: diện cũ không có diện cùng nghĩa trong Nghị định 56/2017/NĐ-CP Điều 3–16. "
            "Mở hồ sơ từng trẻ, bấm «Xem lại diện…» và chọn diện đúng.")
        self.review_row.setVisible(n > 0)

    def _update_count(self) -> None:
        total = self.model.total
        text = f"{total:,} trẻ em".replace(",", ".") if total else "Không có trẻ nào phù hợp."
        self.count_label.setText(text)

    def _row_changed(self, current, _previous) -> None:
        self.child_view.show_child(self.model.id_at(current.row()) if current.isValid() else None)

    def select_child(self, child_id: int) -> None:
        row = self.model.row_of(child_id)
        if row is not None:
            self.table.selectRow(row)
        self.child_view.show_child(child_id)

    def _child_changed(self, child_id: int) -> None:
        self._update_review_banner()
        self.apply_filter()
        row = self.model.row_of(child_id)
        if row is not None:
            self.table.selectionModel().blockSignals(True)
            self.table.selectRow(row)
            self.table.selectionModel().blockSignals(False)

    # -- actions ---------------------------------------------------------------------------------------
    def open_import(self, path: Path | None = None):
        from desktop.register.register_import import ImportDialog

        dlg = ImportDialog(self.ws, self, path=path)
        dlg.imported.connect(self._imported)
        dlg.open()
        return dlg

    def _imported(self, report) -> None:
        self._fill_villages()
        self.apply_filter()
        self.message.setText(f"Đã nhập {report.children_new} trẻ mới, {report.groups_new} mục nhóm từ {report.file_name}.")

    def _choose_export(self) -> None:
        group = self.group.currentData()
        suggested = f"danh-sach-tre-em{'-nhom-' + group if group and group != reg.ANY_GROUP else ''}.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, "Lưu danh sách trẻ em", suggested, "Tệp Excel (*.xlsx)")
        if name:
            self.export_to(Path(name if name.endswith(".xlsx") else name + ".xlsx"))

    def export_to(self, path: Path) -> None:
        group = self.group.currentData()
        try:
            summary = export_register(self.ws.db, self.ws.actor, path,
                                      group=group if group and group != reg.ANY_GROUP else None,
                                      office_id=str(getattr(getattr(self.ws, "vault", None), "office_id", "") or ""))
        except v.Invalid as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(f"Đã xuất {summary.children} trẻ ra tệp {path.name}. "
                             "Tệp có thông tin riêng tư của trẻ em: chỉ chuyển cho người có trách nhiệm.")

    def open_duplicates(self, focus: tuple[int, int] | None = None):
        from desktop.register.register_duplicates import DuplicatesDialog

        dlg = DuplicatesDialog(self.ws, self)
        if focus:
            for r, p in enumerate(dlg.pairs):
                if {p.a.id, p.b.id} == set(focus):
                    dlg.table.selectRow(r)
        dlg.merged.connect(self._merged)
        dlg.open()
        return dlg

    def _merged(self, kept_id: int) -> None:
        self._update_review_banner()
        self.apply_filter()
        self.select_child(kept_id)
