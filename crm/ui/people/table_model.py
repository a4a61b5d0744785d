"""The People table's model: ids for the current filter and sort, rows fetched by page.

Sorting is done by the service (SQL ORDER BY), so clicking a header at 100,000 rows
costs one id query, not a Python sort of loaded rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from crm.services import Services
from crm.services.people_data import FieldInfo, PeopleQuery, PersonRow
from crm.ui.paged_model import Column, PagedTableModel

_Index = QModelIndex | QPersistentModelIndex
_OVERDUE = QColor("#b42318")


def when(value: datetime | date | None) -> str:
    """Dates as ISO text: unambiguous in every locale and it sorts as it reads."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    return value.isoformat()


def base_columns() -> list[Column[PersonRow]]:
    return [
        Column("Name", "name", lambda r: r.name),
        Column("Roles", "roles", lambda r: ", ".join(r.roles)),
        Column("Organisation", "organisation", lambda r: r.organisation),
        Column("Communities", "communities", lambda r: ", ".join(r.communities)),
        Column("Tags", "tags", lambda r: ", ".join(r.tags)),
        Column("Last interaction", "last_interaction", lambda r: when(r.last_interaction)),
        Column("Next follow-up", "next_follow_up", lambda r: when(r.next_follow_up)),
    ]


def field_column(info: FieldInfo) -> Column[PersonRow]:
    fid = info.id
    return Column(
        info.name,
        f"field:{fid}",
        lambda r: r.custom.get(fid, ""),
        align_right=info.type == "number",
    )


class PeopleTableModel(PagedTableModel[PersonRow]):
    def __init__(self, services: Services, parent: Any = None, archived: bool = False) -> None:
        super().__init__(base_columns(), parent)
        self.services = services
        self.query = PeopleQuery(archived=archived)
        self.fields: list[FieldInfo] = []
        self._loaded = False
        self.refresh_columns(reset=False)

    # ---- PagedTableModel -----------------------------------------------------------
    def query_ids(self) -> list[int]:
        q = replace(self.query, sort=self.sort_key or "name", descending=self.descending)
        self._loaded = True
        # people_reads: plain SQL over a Core connection, so the first page needs no ORM.
        return self.services.people_reads.query_ids(q)

    def fetch_rows(self, ids: Sequence[int]) -> list[PersonRow]:
        return self.services.people_reads.rows(ids)

    # ---- filters and columns ---------------------------------------------------------
    def set_query(self, **changes: Any) -> None:
        """Change the filter (text, role, tag, …) and fetch the ids again."""
        self.query = replace(self.query, **changes)
        self.reload()

    def refresh_columns(self, reset: bool = True) -> None:
        """One column per person custom field, after the fixed ones."""
        self.fields = self.services.people_reads.field_definitions("person")
        columns = base_columns() + [field_column(f) for f in self.fields]
        keys = {c.sort_key for c in columns}
        if self.sort_key not in keys:
            self.sort_key, self.descending = "name", False
        if reset:
            self.set_columns(columns)
        else:
            self.columns = columns

    def column_keys(self) -> list[str]:
        return [c.sort_key or c.title for c in self.columns]

    def sort_column(self) -> int:
        for i, c in enumerate(self.columns):
            if c.sort_key == self.sort_key:
                return i
        return 0

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query only when the sort really changed (setSortingEnabled sorts at once).

        Before the first reload only the key is noted: the reload fetches in that order.
        """
        if 0 <= column < len(self.columns) and not self._loaded:
            key = self.columns[column].sort_key
            if key is not None:
                self.sort_key = key
                self.descending = order == Qt.SortOrder.DescendingOrder
            return
        if 0 <= column < len(self.columns):
            same = (
                self.columns[column].sort_key == self.sort_key
                and (order == Qt.SortOrder.DescendingOrder) == self.descending
            )
            if same and self._loaded:
                return
        super().sort(column, order)

    # ---- Qt --------------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and self.columns[index.column()].sort_key == "next_follow_up"
        ):
            row = self.row_at(index.row())
            if row is not None and row.next_follow_up and row.next_follow_up <= date.today():
                return _OVERDUE
            return None
        return super().data(index, role)
