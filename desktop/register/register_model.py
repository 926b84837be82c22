"""The register list as a Qt model over the database: rows fetched a page at a time as the view scrolls."""
from __future__ import annotations


from models.db import Database
from models.services.register import RegisterFilter, RegisterRow, age_text, count_children, fetch_children
from models.vocab import GENDERS

from desktop.common.paged_model import QueryListModel

COLUMNS = ["Họ và tên trẻ em", "Ngày sinh (tuổi)", "Giới tính", "Thôn / tổ", "Nhóm HCĐB", "Hồ sơ vụ việc"]
SORTS = {0: ("name", "name_desc")}


class RegisterListModel(QueryListModel[RegisterFilter, RegisterRow]):
    columns = COLUMNS
    sorts = SORTS
    count = staticmethod(count_children)
    fetch = staticmethod(fetch_children)

    def __init__(self, db: Database, parent=None, *, visible: bool = True):
        super().__init__(db, RegisterFilter(), parent, visible=visible)

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
