"""The events list: ids for the current scope, search and day; rows a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from crm.services import Services
from crm.services.events import EventRow
from crm.ui.events.cells import CellCachedModel
from crm.ui.events.style import STATUS_COLOURS, when_text
from crm.ui.paged_model import Column

_Index = QModelIndex | QPersistentModelIndex


def _coming(row: EventRow) -> str:
    if row.capacity is None:
        return f"{row.coming:,}"
    return f"{row.coming:,} / {row.capacity:,}"


def _answers(row: EventRow) -> str:
    parts = []
    for status, label in (("declined", "declined"), ("tentative", "maybe"), ("no-show", "no-show")):
        if n := row.counts.get(status):
            parts.append(f"{n:,} {label}")
    return ", ".join(parts)


COLUMNS: tuple[Column[EventRow], ...] = (
    Column("When", "starts", when_text),
    Column("Title", "title", lambda r: r.title),
    Column("Status", "status", lambda r: r.status.capitalize()),
    Column("Invited", "invited", lambda r: f"{r.invited:,}", align_right=True),
    Column("Coming", "accepted", _coming, align_right=True),
    Column("Kind", "kind", lambda r: r.kind if r.kind == "AMA" else r.kind.capitalize()),
    Column("Where", "location", lambda r: r.location or ("Online" if r.online_url else "")),
    Column("Other answers", None, _answers),
)
# The counts sit next to the title, where a narrow list still shows them.
STATUS_COLUMN = 2
COMING_COLUMN = 4
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@cache
def _status_colour(status: str) -> QColor:
    return QColor("#dc2626" if status == "over" else STATUS_COLOURS.get(status, "#6b7280"))


class EventTableModel(CellCachedModel[EventRow]):
    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self.services = services
        self.scope = "upcoming"
        self.text = ""
        self.day: date | None = None
        # Until the user clicks a header, the list keeps each scope's natural order:
        # upcoming soonest first, past most recent first.
        self._explicit_order = False

    def query_ids(self) -> list[int]:
        descending: bool | None = self.descending
        if self.sort_key == "starts" and not self._explicit_order:
            descending = None  # the scope's natural order: soonest / most recent first
        return self.services.events.query_ids(
            self.scope,
            self.text,
            day=self.day,
            sort=self.sort_key or "starts",
            descending=descending,
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[EventRow]:
        return self.services.events.rows(ids)

    def set_filter(self, scope: str, text: str, day: date | None) -> None:
        if (scope, text, day) == (self.scope, self.text, self.day) and self.loaded:
            return
        self.scope, self.text, self.day = scope, text, day
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.loaded:  # a click on a header, not the restored indicator
            self._explicit_order = True
        super().sort(column, order)

    def sort_column(self) -> int:
        for i, col in enumerate(self.columns):
            if col.sort_key == self.sort_key:
                return i
        return 0

    def colours(self, row: EventRow) -> dict[int, QColor]:
        out = {STATUS_COLUMN: _status_colour(row.status)}
        if row.capacity is not None and row.coming > row.capacity:
            out[COMING_COLUMN] = _status_colour("over")
        return out

    def tips(self, row: EventRow) -> dict[int, str]:
        return {0: f"{row.starts_at:%A %d %B %Y, %H:%M} ({row.time_zone})"}

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
                else Qt.AlignmentFlag.AlignLeft
            )
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
