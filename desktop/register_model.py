"""The register list as a Qt model over the database: rows fetched a page at a time as the view scrolls."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from models.db import Database
from models.services.register import RegisterFilter, RegisterRow, age_text, count_children, fetch_children
from models.vocab import GENDERS

PAGE = 200
COLUMNS = ["Họ và tên trẻ em", "Ngày sinh (tuổi)", "Giới tính", "Thôn / tổ", "Nhóm HCĐB", "Hồ sơ vụ việc"]
SORTS = {0: ("name", "name_desc")}


class RegisterListModel(QAbstractTableModel):
    def __init__(self, db: Database, parent=None, *, visible: bool = True):
        super().__init__(parent)
        self._db = db
        self._visible = visible
        self._filter = RegisterFilter()
        self._rows: list[RegisterRow] = []
        self._total = 0
        self.refresh()

    @property
    def total(self) -> int:
        return self._total

    @property
    def filter(self) -> RegisterFilter:
        return self._filter

    def set_filter(self, flt: RegisterFilter) -> None:
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        if not self._visible:
            self._rows, self._total = [], 0
        else:
            with self._db.session() as session:
                self._total = count_children(session, self._filter)
                self._rows = fetch_children(session, self._filter, 0, PAGE)
        self.endResetModel()

    def child_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, child_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == child_id), None)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        with self._db.session() as session:
            more = fetch_children(session, self._filter, len(self._rows), PAGE)
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid() or role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if col == 0:
            return row.full_name
        if col == 1:
            return age_text(row.date_of_birth, row.estimated_age, self._filter.on)
        if col == 2:
            return GENDERS.get(row.gender, row.gender)
        if col == 3:
            return row.village
        if col == 4:
            return row.groups
        return str(row.cases) if row.cases else ""

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if column not in SORTS:
            return
        ascending, descending = SORTS[column]
        chosen = ascending if order == Qt.AscendingOrder else descending
        if chosen != self._filter.order:
            f = self._filter
            self.set_filter(RegisterFilter(f.text, f.group, f.village, f.age_band, f.gender, chosen, f.on))
