"""The members of one community (person, role, since), liaisons first as the service orders them.

A community's member list arrives whole with its detail, so this is a plain table model
over that tuple rather than a paged one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from crm.services.communities import MemberData

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Person", "Role", "Since")


class MembersModel(QAbstractTableModel):
    PersonIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._members: list[MemberData] = []

    def set_members(self, members: Sequence[MemberData]) -> None:
        self.beginResetModel()
        self._members = list(members)
        self.endResetModel()

    def member_at(self, row: int) -> MemberData | None:
        return self._members[row] if 0 <= row < len(self._members) else None

    def row_of(self, person_id: int) -> int:
        for i, m in enumerate(self._members):
            if m.person_id == person_id:
                return i
        return -1

    @property
    def members(self) -> list[MemberData]:
        return self._members

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._members)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._members):
            return None
        m = self._members[index.row()]
        col = index.column()
        if role == self.PersonIdRole:
            return m.person_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return m.name
            if col == 1:
                return m.role.capitalize()
            return m.since.isoformat() if m.since else ""
        if role == Qt.ItemDataRole.FontRole and m.role == "liaison" and col < 2:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return section + 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
