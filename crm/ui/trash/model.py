"""One paged table model for any section of the Trash (crm.ui.trash.sections).

The section says what the columns are and which service calls list and read the
items; the model only keeps the search text and the sort, and pages rows in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from crm.services import Services
from crm.ui.paged_model import PagedTableModel
from crm.ui.trash.sections import BY_KEY, Section, TrashRow

_Index = QModelIndex | QPersistentModelIndex
# Qt asks for flags once per cell when a big selection changes (Select All on 50,000
# rows); a precomputed value avoids rebuilding the enum on each of those calls.
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class TrashModel(PagedTableModel[TrashRow]):
    def __init__(self, services: Services, section: str | Section, parent: Any = None) -> None:
        spec = BY_KEY[section] if isinstance(section, str) else section
        super().__init__(spec.columns, parent)
        self.services = services
        self.spec = spec
        self.section = spec.key
        self.text = ""
        # Most recently archived first: what a user looks for after archiving by mistake.
        self.sort_key = "archived_at"
        self.descending = True

    def query_ids(self) -> list[int]:
        return self.spec.query_ids(
            self.services, self.text, self.sort_key or "archived_at", self.descending
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[TrashRow]:
        return self.spec.rows(self.services, ids)

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.reload()

    def sort_column(self) -> int:
        for i, col in enumerate(self.columns):
            if col.sort_key == self.sort_key:
                return i
        return 0

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """A number column's title sits right, over its figures."""
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
            and self.columns[section].align_right
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
