"""A table model over a database query, filled page by page as the view scrolls (never all rows at once).

Subclasses say how to count and fetch rows for a filter, and what each cell shows; this class does the
Qt bookkeeping shared by the case list, the register and the audit log.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Generic, Sequence, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

F = TypeVar("F")
R = TypeVar("R")
PAGE = 200


class PagedTableModel(QAbstractTableModel, Generic[F, R]):
    columns: Sequence[str] = ()
    page = PAGE

    def __init__(self, flt: F, parent=None, *, visible: bool = True):
        super().__init__(parent)
        self._filter = flt
        self._visible = visible  # an account that may not read these rows sees an empty list
        self._rows: list[R] = []
        self._total = 0
        self.refresh()

    # -- what subclasses provide ---------------------------------------------------------------------
    def count_rows(self, flt: F) -> int:
        raise NotImplementedError

    def fetch_rows(self, flt: F, offset: int, limit: int) -> list[R]:
        raise NotImplementedError

    def fetch_after(self, flt: F, last: R, offset: int, limit: int) -> list[R]:
        """The page after `last` (the last row held). Lists that can seek past a row (keyed paging: every page
        costs the same, however far the user scrolls) override this; the default counts rows (OFFSET)."""
        return self.fetch_rows(flt, offset, limit)

    def cell(self, row: R, column: int) -> Any:
        raise NotImplementedError

    def tooltip(self, row: R, column: int) -> Any:
        return self.cell(row, column)

    # -- for the window ------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return self._total

    @property
    def filter(self) -> F:
        return self._filter

    def set_filter(self, flt: F) -> None:
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        if self._visible:
            self._total = self.count_rows(self._filter)
            self._rows = self.fetch_rows(self._filter, 0, self.page)
        else:
            self._rows, self._total = [], 0
        self.endResetModel()

    def row_at(self, index: int) -> R | None:
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def row_where(self, predicate) -> int | None:
        return next((i for i, r in enumerate(self._rows) if predicate(r)), None)

    # -- Qt model interface --------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        more = (self.fetch_after(self._filter, self._rows[-1], len(self._rows), self.page) if self._rows
                else self.fetch_rows(self._filter, 0, self.page))
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.columns[section]
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return self.cell(row, index.column())
        if role == Qt.ToolTipRole:
            return self.tooltip(row, index.column())
        return None


class QueryListModel(PagedTableModel[F, R]):
    """A list of database rows that each have an `id` (the case list, the register …), read through the service's
    two functions: `count(session, flt)` and `fetch(session, flt, offset, limit, *, after=None)` (keyed paging
    after the last row held). Clicking a sortable column (`sorts`: column → the filter's `order` ascending,
    descending) changes only the filter's `order`."""

    sorts: dict[int, tuple[str, str]] = {}
    count: Any = None  # staticmethod(the service's count function)
    fetch: Any = None  # staticmethod(the service's fetch function)

    def __init__(self, db, flt: F, parent=None, *, visible: bool = True):
        self._db = db
        super().__init__(flt, parent, visible=visible)

    def count_rows(self, flt: F) -> int:
        with self._db.session() as session:
            return self.count(session, flt)

    def fetch_rows(self, flt: F, offset: int, limit: int) -> list[R]:
        with self._db.session() as session:
            return self.fetch(session, flt, offset, limit)

    def fetch_after(self, flt: F, last: R, offset: int, limit: int) -> list[R]:
        with self._db.session() as session:
            return self.fetch(session, flt, limit=limit, after=last)

    def id_at(self, row: int) -> int | None:
        found = self.row_at(row)
        return found.id if found else None

    def row_of(self, row_id: int) -> int | None:
        return self.row_where(lambda r: r.id == row_id)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if column not in self.sorts:
            return
        ascending, descending = self.sorts[column]
        chosen = ascending if order == Qt.AscendingOrder else descending
        if chosen != self._filter.order:
            self.set_filter(replace(self._filter, order=chosen))
