"""The two tables of the Feedback page: surveys, and the responses of one survey.

Both hold ids only and fetch rows a page at a time from the feedback service.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from crm.services import Services
from crm.services.feedback import ResponseRow, SurveyRow
from crm.ui.paged_model import Column, PagedTableModel

_Index = QModelIndex | QPersistentModelIndex


def _date(d: object) -> str:
    return "" if d is None else f"{d:%Y-%m-%d}"


SURVEY_COLUMNS: tuple[Column[SurveyRow], ...] = (
    Column("Title", "title", lambda r: r.title),
    Column("Kind", "kind", lambda r: r.kind.capitalize()),
    Column("Scale", "scale", lambda r: r.scale.upper()),
    Column("Score", "score", lambda r: r.score.text(), align_right=True),
    Column("Responses", "responses", lambda r: f"{r.responses:,}", align_right=True),
    Column("Opened", "opened_on", lambda r: _date(r.opened_on)),
    Column("Closed", "closed_on", lambda r: _date(r.closed_on)),
    Column("Event", "event", lambda r: r.event_title),
)


class SurveyTableModel(PagedTableModel[SurveyRow]):
    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(SURVEY_COLUMNS, parent)
        self.services = services
        self.sort_key, self.descending = "opened_on", True
        self.text = ""
        self.scale: str | None = None

    def query_ids(self) -> list[int]:
        return self.services.feedback.survey_ids(
            self.text,
            scale=self.scale,
            sort=self.sort_key or "opened_on",
            descending=self.descending,
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[SurveyRow]:
        return self.services.feedback.survey_rows(ids)

    def set_filter(self, text: str, scale: str | None) -> None:
        if (text, scale) != (self.text, self.scale):
            self.text, self.scale = text, scale
            self.reload()

    def sort_column(self) -> int:
        keys = [c.sort_key for c in self.columns]
        return keys.index(self.sort_key) if self.sort_key in keys else 0


def _score(r: ResponseRow) -> str:
    return "" if r.score is None else str(r.score)


RESPONSE_COLUMNS: tuple[Column[ResponseRow], ...] = (
    Column("Date", "responded_at", lambda r: f"{r.responded_at:%Y-%m-%d %H:%M}"),
    Column("Score", "score", _score, align_right=True),
    Column("Person", "person", lambda r: r.person_name or "Anonymous"),
    Column("Comment", "comment", lambda r: " ".join(r.comment.split())),
    Column("Tags", "tags", lambda r: ", ".join(r.tags)),
)


class ResponseTableModel(PagedTableModel[ResponseRow]):
    """The responses of one survey (none before a survey is chosen)."""

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(RESPONSE_COLUMNS, parent)
        self.services = services
        self.sort_key, self.descending = "responded_at", True
        self.survey_id: int | None = None
        self.text = ""
        self.band: str | None = None

    def query_ids(self) -> list[int]:
        if self.survey_id is None:
            return []
        return self.services.feedback.response_ids(
            self.survey_id,
            self.text,
            band=self.band,
            sort=self.sort_key or "responded_at",
            descending=self.descending,
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[ResponseRow]:
        return self.services.feedback.response_rows(ids)

    def set_filter(self, survey_id: int | None, text: str, band: str | None) -> None:
        self.survey_id, self.text, self.band = survey_id, text, band
        self.reload()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 3:
            row = self.row_at(index.row())
            return row.comment if row is not None else None
        return super().data(index, role)
