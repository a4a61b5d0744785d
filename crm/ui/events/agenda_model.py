"""An event's agenda as a small table: slots in time order with their speakers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from crm.services import Services
from crm.services.event_plan import AgendaRow

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Time", "Title", "Speaker")


class AgendaModel(QAbstractTableModel):
    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self.rows: list[AgendaRow] = []

    def load(self, event_id: int | None) -> None:
        self.beginResetModel()
        self.rows = self.services.event_plan.agenda(event_id) if event_id is not None else []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        a = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                day = (
                    ""
                    if index.row()
                    and self.rows[index.row() - 1].starts_at.date() == a.starts_at.date()
                    else f"{a.starts_at:%a %d %b}  "
                )
                return f"{day}{a.starts_at:%H:%M}–{a.ends_at:%H:%M}"
            if index.column() == 1:
                return a.title
            return a.speaker
        if role == Qt.ItemDataRole.ToolTipRole and a.notes:
            return a.notes
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
