"""The case list as a Qt model over the database: rows are fetched a page at a time as the view scrolls."""
from __future__ import annotations


from models.clock import fmt_date
from models.db import Database
from models.services.cases import CaseFilter, CaseRow, count_cases, fetch_cases
from models.stages import STAGES
from models.textnorm import estimated_age_text
from models.vocab import GENDERS

from desktop.common.paged_model import QueryListModel

COLUMNS = ["Mã hồ sơ", "Họ và tên trẻ em", "Ngày sinh / tuổi", "Giới tính", "Thôn / tổ", "Ngày tiếp nhận", "Giai đoạn"]
# Which sort order each sortable column means (ascending, descending).
SORTS = {0: ("oldest", "newest"), 1: ("name", "name_desc"), 5: ("oldest", "newest")}


class CaseListModel(QueryListModel[CaseFilter, CaseRow]):
    columns = COLUMNS
    sorts = SORTS
    count = staticmethod(count_cases)
    fetch = staticmethod(fetch_cases)

    def __init__(self, db: Database, parent=None, *, visible: bool = True):
        super().__init__(db, CaseFilter(), parent, visible=visible)

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
