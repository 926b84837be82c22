"""The case list as a Qt model over the database: rows are fetched a page at a time as the view scrolls."""
from __future__ import annotations

from PySide6.QtCore import Qt

from models.clock import fmt_date
from models.db import Database
from models.services.cases import CaseFilter, CaseRow, count_cases, fetch_cases
from models.stages import STAGES
from models.textnorm import estimated_age_text
from models.vocab import GENDERS

from desktop.common.paged_model import PagedTableModel

COLUMNS = ["Mã hồ sơ", "Họ và tên trẻ em", "Ngày sinh / tuổi", "Giới tính", "Thôn / tổ", "Ngày tiếp nhận", "Giai đoạn"]
# Which sort order each sortable column means (ascending, descending).
SORTS = {0: ("oldest", "newest"), 1: ("name", "name_desc"), 5: ("oldest", "newest")}


class CaseListModel(PagedTableModel[CaseFilter, CaseRow]):
    columns = COLUMNS

    def __init__(self, db: Database, parent=None, *, visible: bool = True):
        self._db = db
        super().__init__(CaseFilter(), parent, visible=visible)

    def count_rows(self, flt: CaseFilter) -> int:
        with self._db.session() as session:
            return count_cases(session, flt)

    def fetch_rows(self, flt: CaseFilter, offset: int, limit: int) -> list[CaseRow]:
        with self._db.session() as session:
            return fetch_cases(session, flt, offset, limit)

    def fetch_after(self, flt: CaseFilter, last: CaseRow, offset: int, limit: int) -> list[CaseRow]:
        with self._db.session() as session:
            return fetch_cases(session, flt, limit=limit, after=last)

    def case_id(self, row: int) -> int | None:
        found = self.row_at(row)
        return found.id if found else None

    def row_of(self, case_id: int) -> int | None:
        return self.row_where(lambda r: r.id == case_id)

    def cell(self, row: CaseRow, column: int):
        if column == 0:
            return row.code
        if column == 1:
            return row.child_name
        if column == 2:
            return fmt_date(row.date_of_birth) if row.date_of_birth else estimated_age_text(row.estimated_age)
        if column == 3:
            return GENDERS.get(row.gender, row.gender)
        if column == 4:
            return row.village
        if column == 5:
            return fmt_date(row.opened_at)
        return STAGES.get(row.stage, row.stage)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if column not in SORTS:
            return
        ascending, descending = SORTS[column]
        chosen = ascending if order == Qt.AscendingOrder else descending
        if chosen != self._filter.order:
            self.set_filter(CaseFilter(self._filter.text, self._filter.year, self._filter.stage, chosen))
