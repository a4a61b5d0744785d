"""The base of every big table: holds the ordered ids, fetches rows a page at a time.

A query for 100,000 ids takes milliseconds and a list of ints costs little memory;
rows are fetched from the service only for pages the view paints, and a small cache
keeps scrolling back and forth cheap. Subclasses say which columns there are, how to
get the ids and how to fetch rows.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
_Index = QModelIndex | QPersistentModelIndex
# Built once: flags() runs for every painted cell, and combining enum flags costs.
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    sort_key: str | None  # what the service sorts by; None: not sortable
    text: Callable[[Row], str]
    align_right: bool = False


class PagedTableModel(QAbstractTableModel, Generic[Row]):
    PAGE = 100
    CACHE_PAGES = 40
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns: list[Column[Row]] = list(columns)
        self._ids: list[int] = []
        self._pages: OrderedDict[int, list[Row | None]] = OrderedDict()
        self.sort_key: str | None = columns[0].sort_key if columns else None
        self.descending = False
        self.loaded = False  # no query runs before the first reload()

    # ---- what subclasses provide -----------------------------------------------
    def query_ids(self) -> list[int]:
        raise NotImplementedError

    def fetch_rows(self, ids: Sequence[int]) -> list[Row]:
        """Rows for these ids, in order; missing ids may be left out."""
        raise NotImplementedError

    def row_id(self, row: Row) -> int:
        return row.id  # type: ignore[attr-defined,no-any-return]

    # ---- refreshing --------------------------------------------------------------
    def reload(self) -> None:
        """Ask for the ids again (filter or sort changed, or rows were added/removed)."""
        self.beginResetModel()
        self._ids = self.query_ids()
        self._pages.clear()
        self.loaded = True
        self.endResetModel()

    def invalidate_rows(self, ids: Sequence[int] | None = None) -> None:
        """Rows changed in place: drop cached pages and repaint."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1)
            )

    def set_columns(self, columns: Sequence[Column[Row]]) -> None:
        self.beginResetModel()
        self.columns = list(columns)
        self._pages.clear()
        self.endResetModel()

    # ---- access --------------------------------------------------------------------
    @property
    def ids(self) -> list[int]:
        return self._ids

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: int) -> int:
        try:
            return self._ids.index(item_id)
        except ValueError:
            return -1

    def row_at(self, row: int) -> Row | None:
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // self.PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page[row - page_no * self.PAGE]

    def _load_page(self, page_no: int) -> list[Row | None]:
        start = page_no * self.PAGE
        ids = self._ids[start : start + self.PAGE]
        found = {self.row_id(r): r for r in self.fetch_rows(ids)}
        page: list[Row | None] = [found.get(i) for i in ids]
        self._pages[page_no] = page
        while len(self._pages) > self.CACHE_PAGES:
            self._pages.popitem(last=False)
        return page

    # ---- Qt model interface -----------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == self.IdRole:
            return self._ids[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self.row_at(index.row())
            if row is None:
                return "" if role == Qt.ItemDataRole.DisplayRole else None
            return self.columns[index.column()].text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()].align_right:
            return _RIGHT
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title if 0 <= section < len(self.columns) else None
        return section + 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].sort_key
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        if not self.loaded:  # a restored header state: remember the order, query later
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        moved = [self.id_at(i.row()) for i in persistent]
        self._ids = self.query_ids()
        self._pages.clear()
        if persistent:
            where = {item: row for row, item in enumerate(self._ids)}
            self.changePersistentIndexList(
                persistent,
                [
                    self.index(where[item], old.column()) if item in where else QModelIndex()
                    for old, item in zip(persistent, moved, strict=True)
                ],
            )
        self.layoutChanged.emit()
