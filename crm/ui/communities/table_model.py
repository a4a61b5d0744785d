"""The Communities table: ids for the current filter and sort, rows fetched a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from crm.services import Services
from crm.services.communities import CommunityRow
from crm.services.fields import FieldInfo
from crm.ui.communities.style import status_dot
from crm.ui.paged_model import Column, PagedTableModel

_Index = QModelIndex | QPersistentModelIndex


def _size(row: CommunityRow) -> str:
    return "" if row.size is None else f"{row.size:,}"


def _website(row: CommunityRow) -> str:
    return row.website.removeprefix("https://").removeprefix("http://").rstrip("/")


BASE_COLUMNS: tuple[Column[CommunityRow], ...] = (
    Column("Name", "name", lambda r: r.name),
    Column("Kind", "kind", lambda r: r.kind.capitalize()),
    Column("Status", "status", lambda r: r.status.capitalize()),
    Column("Members", "members", lambda r: f"{r.members:,}", align_right=True),
    Column("Liaisons", "liaisons", lambda r: ", ".join(r.liaisons)),
    Column("Size", "size", _size, align_right=True),
    Column("Website", "website", _website),
)
STATUS_COLUMN = 2


def field_column(info: FieldInfo) -> Column[CommunityRow]:
    fid = info.id
    return Column(
        info.name,
        f"field:{fid}",
        lambda r: r.custom.get(fid, ""),
        align_right=info.type == "number",
    )


# Qt asks for flags once per cell when a big selection changes (Select All on 50,000
# rows); a precomputed value avoids rebuilding the enum on each of those calls.
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class CommunityTableModel(PagedTableModel[CommunityRow]):
    """Communities matching a search text and a kind, sorted in the database."""

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(BASE_COLUMNS, parent)
        self.services = services
        self.text = ""
        self.kind: str | None = None
        self._fields: list[FieldInfo] = []

    def query_ids(self) -> list[int]:
        return self.services.communities.query_ids(
            self.text,
            kind=self.kind,
            sort=self.sort_key or "name",
            descending=self.descending,
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[CommunityRow]:
        return self.services.communities.rows(ids)

    def set_filter(self, text: str, kind: str | None) -> None:
        if (text, kind) == (self.text, self.kind):
            return
        self.text, self.kind = text, kind
        self.reload()

    def load_fields(self) -> None:
        """Columns for the community custom fields, after the fixed ones."""
        fields = self.services.fields.definitions("community")
        if fields == self._fields:
            return
        self._fields = fields
        known = {f"field:{f.id}" for f in fields}
        if self.sort_key and self.sort_key.startswith("field:") and self.sort_key not in known:
            self.sort_key, self.descending = "name", False
        self.set_columns([*BASE_COLUMNS, *(field_column(f) for f in fields)])

    def sort_column(self) -> int:
        """The column the current sort key belongs to, for the header's indicator."""
        for i, col in enumerate(self.columns):
            if col.sort_key == self.sort_key:
                return i
        return 0

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DecorationRole
            and index.isValid()
            and index.column() == STATUS_COLUMN
        ):
            row = self.row_at(index.row())
            return status_dot(row.status) if row is not None else None
        return super().data(index, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            side = (
                Qt.AlignmentFlag.AlignRight
                if self.columns[section].align_right
                else (Qt.AlignmentFlag.AlignLeft)
            )
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
