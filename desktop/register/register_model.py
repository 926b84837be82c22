"""The register list as a Qt model over the database: rows fetched a page at a time as the view scrolls."""
from __future__ import annotations

from PySide6.QtCore import Qt

from models.db import Database
from models.services.register import RegisterFilter, RegisterRow, age_text, count_children, fetch_children
from models.vocab import GENDERS

from desktop.common.paged_model import PAGE, PagedTableModel  # noqa: F401  (PAGE kept for callers)

COLUMNS = ["Họ và tên trẻ em", "Ngày sinh (tuổi)", "Giới tính", "Thôn / tổ", "Nhóm HCĐB", "Hồ sơ vụ việc"]
SORTS = {0: ("name", "name_desc")}


class RegisterListModel(PagedTableModel[RegisterFilter, RegisterRow]):
    columns = COLUMNS

    def __init__(self, db: Database, parent=None, *, visible: bool = True):
        self._db = db
        super().__init__(RegisterFilter(), parent, visible=visible)

    def count_rows(self, flt: RegisterFilter) -> int:
        with self._db.session() as session:
            return count_children(session, flt)

    def fetch_rows(self, flt: RegisterFilter, offset: int, limit: int) -> list[RegisterRow]:
        with self._db.session() as session:
            return fetch_children(session, flt, offset, limit)

    def fetch_after(self, flt: RegisterFilter, last: RegisterRow, offset: int, limit: int) -> list[RegisterRow]:
        with self._db.session() as session:
            return fetch_children(session, flt, limit=limit, after=last)

    def child_id(self, row: int) -> int | None:
        found = self.row_at(row)
        return found.id if found else None

    def row_of(self, child_id: int) -> int | None:
        return self.row_where(lambda r: r.id == child_id)

    def cell(self, row: RegisterRow, column: int):
        if column == 0:
            return row.full_name
        if column == 1:
            return age_text(row.date_of_birth, row.estimated_age, self._filter.on)
        if column == 2:
            return GENDERS.get(row.gender, row.gender)
        if column == 3:
            return row.village
        if column == 4:
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
