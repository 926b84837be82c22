"""The case list as a Qt model over the database: rows are fetched a page at a time as the view scrolls."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from models.clock import fmt_date
from models.textnorm import estimated_age_text
from models.db import Database
from models.services.cases import CaseFilter, CaseRow, count_cases, fetch_cases
from models.stages import STAGES
from models.vocab import GENDERS

PAGE = 200
COLUMNS = ["Mã hồ sơ", "Họ và tên trẻ em", "Ngày sinh / tuổi", "Giới tính", "Thôn / tổ", "Ngày tiếp nhận", "Giai đoạn"]
# Which sort order each sortable column means (ascending, descending).
SORTS = {0: ("oldest", "newest"), 1: ("name", "name_desc"), 5: ("oldest", "newest")}


class CaseListModel(QAbstractTableModel):
    def __init__(self, db: Database, parent=None, *, visible: bool = True):
        super().__init__(parent)
        self._db = db
        self._visible = visible  # an account that may not read files sees an empty list
        self._filter = CaseFilter()
        self._rows: list[CaseRow] = []
        self._total = 0
        self.refresh()

    # -- what the window asks for ---------------------------------------------------------------
    @property
    def total(self) -> int:
        return self._total

    @property
    def filter(self) -> CaseFilter:
        return self._filter

    def set_filter(self, flt: CaseFilter) -> None:
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        if not self._visible:
            self._rows, self._total = [], 0
            self.endResetModel()
            return
        with self._db.session() as session:
            self._total = count_cases(session, self._filter)
            self._rows = fetch_cases(session, self._filter, 0, PAGE)
        self.endResetModel()

    def case_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == case_id), None)

    # -- Qt model interface -----------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        with self._db.session() as session:
            more = fetch_cases(session, self._filter, len(self._rows), PAGE)
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
            return row.code
        if col == 1:
            return row.child_name
        if col == 2:
            if row.date_of_birth:
                return fmt_date(row.date_of_birth)
            return estimated_age_text(row.estimated_age)
        if col == 3:
            return GENDERS.get(row.gender, row.gender)
        if col == 4:
            return row.village
        if col == 5:
            return fmt_date(row.opened_at)
        return STAGES.get(row.stage, row.stage)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if column not in SORTS:
            return
        ascending, descending = SORTS[column]
        chosen = ascending if order == Qt.AscendingOrder else descending
        if chosen != self._filter.order:
            self.set_filter(CaseFilter(self._filter.text, self._filter.year, self._filter.stage, chosen))
