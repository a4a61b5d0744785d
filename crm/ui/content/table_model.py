"""The Content table: ids for the current filter and sort, rows fetched a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from crm.services import Services
from crm.services.content import ContentFilter
from crm.services.content_data import ContentRow
from crm.ui.content.style import dot
from crm.ui.paged_model import Column, PagedTableModel

_Index = QModelIndex | QPersistentModelIndex


def day_text(d: date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else ""


COLUMNS: tuple[Column[ContentRow], ...] = (
    Column("Title", "title", lambda r: r.title),
    Column("Kind", "kind", lambda r: r.kind.capitalize()),
    Column("Status", "status", lambda r: r.status.capitalize()),
    Column("Due", "due_on", lambda r: day_text(r.due_on)),
    Column("Publish", "publish_on", lambda r: day_text(r.publish_on)),
    Column("Channel", "channel", lambda r: r.channel),
    Column("Owner", "owner", lambda r: r.owner),
    Column("Guest author", "guest_author", lambda r: r.guest_author),
)
STATUS_COLUMN = 2


_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
# The roles PagedTableModel answers; every other role is None.
_ANSWERED = frozenset(
    int(r.value)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
    )
) | {int(PagedTableModel.IdRole)}


class ContentTableModel(PagedTableModel[ContentRow]):
    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self.services = services
        self.filters = ContentFilter()
        self.sort_key = "due_on"

    def query_ids(self) -> list[int]:
        return self.services.content.query_ids(
            self.filters, sort=self.sort_key or "due_on", descending=self.descending
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[ContentRow]:
        return self.services.content.rows(ids)

    def set_filter(self, filters: ContentFilter) -> None:
        if filters != self.filters:
            self.filters = filters
            self.reload()

    def sort_column(self) -> int:
        for i, col in enumerate(self.columns):
            if col.sort_key == self.sort_key:
                return i
        return 0

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called ~10 times a cell on every paint: plain ints, and an early None for the
        # roles no column uses (comparing with Qt's enum members costs microseconds).
        if role == _DECORATION:
            if index.column() != STATUS_COLUMN:
                return None
            row = self.row_at(index.row())
            return dot(row.status) if row is not None else None
        if role not in _ANSWERED:
            return None
        return super().data(index, role)
