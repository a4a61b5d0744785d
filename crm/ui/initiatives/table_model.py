"""The Initiatives table: ids for the current filter and sort, rows fetched by page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crm.services import Services
from crm.services.initiatives import InitiativeRow, ParticipantData
from crm.ui.paged_model import Column, PagedTableModel


def _date(d: object) -> str:
    return "" if d is None else f"{d:%Y-%m-%d}"


COLUMNS: tuple[Column[InitiativeRow], ...] = (
    Column("Title", "title", lambda r: r.title),
    Column("Kind", "kind", lambda r: r.kind.capitalize()),
    Column("Starts", "starts_on", lambda r: _date(r.starts_on)),
    Column("Ends", "ends_on", lambda r: _date(r.ends_on)),
    Column("Phase", None, lambda r: r.phase().capitalize()),
    Column("People", "participants", lambda r: f"{r.participants:,}", align_right=True),
    Column("Winners", "winners", lambda r: f"{r.winners:,}", align_right=True),
    Column("Goal", "goal", lambda r: r.goal),
)


class InitiativeTableModel(PagedTableModel[InitiativeRow]):
    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self.services = services
        self.sort_key, self.descending = "starts_on", True
        self.text = ""
        self.kind: str | None = None
        self.phase: str | None = None

    def query_ids(self) -> list[int]:
        return self.services.initiatives.query_ids(
            self.text,
            kind=self.kind,
            phase=self.phase,
            sort=self.sort_key or "starts_on",
            descending=self.descending,
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[InitiativeRow]:
        return self.services.initiatives.rows(ids)

    def set_filter(self, text: str, kind: str | None, phase: str | None) -> None:
        if (text, kind, phase) != (self.text, self.kind, self.phase):
            self.text, self.kind, self.phase = text, kind, phase
            self.reload()

    def sort_column(self) -> int:
        keys = [c.sort_key for c in self.columns]
        return keys.index(self.sort_key) if self.sort_key in keys else 0


PARTICIPANT_COLUMNS: tuple[Column[ParticipantData], ...] = (
    Column("Name", "name", lambda p: p.name),
    Column("Result", "result", lambda p: p.result.capitalize()),
    Column("Joined", "joined_on", lambda p: _date(p.joined_on)),
)


class ParticipantTableModel(PagedTableModel[ParticipantData]):
    """The people in one initiative (a programme may have thousands): person ids for the
    current sort, rows fetched by page. Winners first by default."""

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(PARTICIPANT_COLUMNS, parent)
        self.services = services
        self.sort_key, self.descending = "result", False
        self.initiative_id: int | None = None

    def query_ids(self) -> list[int]:
        if self.initiative_id is None:
            return []
        return self.services.initiatives.participant_ids(
            self.initiative_id, sort=self.sort_key or "result", descending=self.descending
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[ParticipantData]:
        if self.initiative_id is None:
            return []
        return self.services.initiatives.participant_rows(self.initiative_id, ids)

    def row_id(self, row: ParticipantData) -> int:
        return row.person_id

    def show(self, initiative_id: int | None) -> None:
        self.initiative_id = initiative_id
        self.reload()
