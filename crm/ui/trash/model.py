"""One paged table model for either section of the Trash (people or communities).

Both sections show the same three columns, so one model class serves both: it maps
the service's PersonRow or CommunityRow to a small TrashRow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from crm.services import Services
from crm.services.people_data import PeopleQuery
from crm.ui.paged_model import Column, PagedTableModel

Section = Literal["people", "communities"]
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class TrashRow:
    id: int
    name: str
    archived_at: datetime | None
    detail: str  # organisation of a person, kind of a community


def when(moment: datetime | None) -> str:
    """Archive time in local time; the database stores naive UTC."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone() if moment.tzinfo is None else moment
    return local.strftime("%Y-%m-%d %H:%M")


def _columns(section: Section) -> list[Column[TrashRow]]:
    detail = (
        Column[TrashRow]("Organisation", "organisation", lambda r: r.detail)
        if section == "people"
        else Column[TrashRow]("Kind", "kind", lambda r: r.detail.capitalize())
    )
    return [
        Column("Name", "name", lambda r: r.name),
        Column("Archived", "archived_at", lambda r: when(r.archived_at)),
        detail,
    ]


# Qt asks for flags once per cell when a big selection changes (Select All on 50,000
# rows); a precomputed value avoids rebuilding the enum on each of those calls.
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class TrashModel(PagedTableModel[TrashRow]):
    def __init__(self, services: Services, section: Section, parent: Any = None) -> None:
        super().__init__(_columns(section), parent)
        self.services = services
        self.section: Section = section
        self.text = ""
        # Most recently archived first: what a user looks for after archiving by mistake.
        self.sort_key = "archived_at"
        self.descending = True

    def query_ids(self) -> list[int]:
        sort = self.sort_key or "archived_at"
        if self.section == "people":
            return self.services.people.query_ids(
                PeopleQuery(text=self.text, archived=True, sort=sort, descending=self.descending)
            )
        return self.services.communities.query_ids(
            self.text, archived=True, sort=sort, descending=self.descending
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[TrashRow]:
        if self.section == "people":
            return [
                TrashRow(p.id, p.name, p.archived_at, p.organisation)
                for p in self.services.people.rows(ids)
            ]
        return [
            TrashRow(c.id, c.name, c.archived_at, c.kind)
            for c in self.services.communities.rows(ids)
        ]

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.reload()

    def sort_column(self) -> int:
        for i, col in enumerate(self.columns):
            if col.sort_key == self.sort_key:
                return i
        return 0

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
