"""A paged table model that works out each row's cells once and answers from them.

A view asks data() about ten roles per painted cell on every paint (and again on
every hover or selection change); formatting dates, counts and colours each time
was a quarter of the Events page's first paint. Here a row's texts, colours and
tooltips are computed the first time the row is asked about and kept, keyed by id,
until the rows are reloaded or invalidated; roles no cell uses answer None at once.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from crm.ui.paged_model import PagedTableModel

Row = TypeVar("Row")
_Index = QModelIndex | QPersistentModelIndex

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_ID = int(PagedTableModel.IdRole)
_SERVED = frozenset((_DISPLAY, _TOOLTIP, _FOREGROUND, _ALIGNMENT, _ID))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NOTHING: dict[int, Any] = {}


class Cells(NamedTuple):
    texts: tuple[str, ...]
    colours: dict[int, QColor]  # column -> foreground
    tips: dict[int, str]  # column -> tooltip, when not the text itself


class CellCachedModel(PagedTableModel[Row]):
    """Subclasses may give colours() and tips() per row; texts come from the columns."""

    def __init__(self, columns: Any, parent: Any = None) -> None:
        super().__init__(columns, parent)
        self._cells: dict[int, Cells] = {}

    # ---- what subclasses may provide ---------------------------------------------
    def colours(self, row: Row) -> dict[int, QColor]:
        return _NOTHING

    def tips(self, row: Row) -> dict[int, str]:
        return _NOTHING

    # ---- cache ------------------------------------------------------------------------
    def reload(self) -> None:
        self._cells = {}
        super().reload()

    def invalidate_rows(self, ids: Any = None) -> None:
        self._cells = {}
        super().invalidate_rows(ids)

    def set_columns(self, columns: Any) -> None:
        self._cells = {}
        super().set_columns(columns)

    def cells(self, row_no: int) -> Cells | None:
        item_id = self._ids[row_no]
        found = self._cells.get(item_id)
        if found is not None:
            return found
        row = self.row_at(row_no)
        if row is None:
            return None
        if len(self._cells) >= self.PAGE * self.CACHE_PAGES:
            self._cells = {}
        found = Cells(tuple(c.text(row) for c in self.columns), self.colours(row), self.tips(row))
        self._cells[item_id] = found
        return found

    # ---- Qt model interface ---------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _SERVED or not index.isValid():
            return None
        r = index.row()
        if r >= len(self._ids):
            return None
        if role == _ID:
            return self._ids[r]
        c = index.column()
        if role == _ALIGNMENT:
            return _RIGHT if self.columns[c].align_right else None
        cells = self.cells(r)
        if cells is None:
            return "" if role == _DISPLAY else None
        if role == _DISPLAY:
            return cells.texts[c]
        if role == _FOREGROUND:
            return cells.colours.get(c)
        return cells.tips.get(c, cells.texts[c])
