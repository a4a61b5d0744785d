"""A person's interaction timeline, newest first, fetched a page at a time.

Qt asks canFetchMore/fetchMore as the list scrolls to its end, so a person with
thousands of interactions costs one page until someone scrolls.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from crm.services import Services
from crm.services.interactions import InteractionRow

_Index = QModelIndex | QPersistentModelIndex


def describe(row: InteractionRow) -> str:
    """One line of meta text: kind, date, channel, direction."""
    parts = [row.kind.capitalize(), row.occurred_at.strftime("%Y-%m-%d %H:%M")]
    if row.channel:
        parts.append(row.channel)
    if row.direction and row.direction != "mutual":
        parts.append(row.direction)
    return " · ".join(parts)


class TimelineModel(QAbstractListModel):
    PAGE = 50
    RowRole = Qt.ItemDataRole.UserRole + 1
    IdRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self.person_id: int | None = None
        self._rows: list[InteractionRow] = []
        self._total = 0

    # ---- loading --------------------------------------------------------------------
    def set_person(self, person_id: int | None) -> None:
        self.beginResetModel()
        self.person_id = person_id
        self._rows = []
        self._total = 0
        if person_id is not None:
            self._total = self.services.interactions.timeline_count(person_id)
            self._rows = self.services.interactions.timeline(person_id, 0, self.PAGE)
        self.endResetModel()

    def reload(self) -> None:
        """Fetch again as many rows as were shown (an edit may have moved one)."""
        shown = max(len(self._rows), self.PAGE)
        self.beginResetModel()
        if self.person_id is None:
            self._rows, self._total = [], 0
        else:
            self._total = self.services.interactions.timeline_count(self.person_id)
            self._rows = self.services.interactions.timeline(self.person_id, 0, shown)
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def row_at(self, row: int) -> InteractionRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # ---- Qt --------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self.person_id is None:
            return
        more = self.services.interactions.timeline(self.person_id, len(self._rows), self.PAGE)
        if not more:
            self._total = len(self._rows)
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{describe(row)}\n{row.summary}"
        if role == Qt.ItemDataRole.ToolTipRole:
            people = ", ".join(name for _, name in row.participants)
            text = f"{row.summary}\nWith: {people}"
            return f"{text}\n\n{row.details}" if row.details else text
        if role == self.RowRole:
            return row
        if role == self.IdRole:
            return row.id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
