"""One event's invitations as a paged table: ids for the filter and sort, rows by page.

An event may have a thousand invitations or more; like the People table, only the
ids are held and rows are read for the pages the view paints.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from PySide6.QtGui import QColor

from crm.services import Services
from crm.services.invitations import InvitationRow
from crm.ui.events.cells import CellCachedModel
from crm.ui.events.style import INVITATION_COLOURS
from crm.ui.paged_model import Column


def _date(moment: datetime | None) -> str:
    return f"{moment:%d %b %Y}" if moment else ""


COLUMNS: tuple[Column[InvitationRow], ...] = (
    Column("Name", "name", lambda r: r.name),
    Column("Email", "email", lambda r: r.email),
    Column("Organisation", "organisation", lambda r: r.organisation),
    Column("Role", "role", lambda r: r.role.capitalize()),
    Column("Status", "status", lambda r: r.status.capitalize()),
    Column("Invited", "invited_at", lambda r: _date(r.invited_at)),
    Column("Answered", "responded_at", lambda r: _date(r.responded_at)),
)
STATUS_COLUMN = 4


@cache
def _colour(status: str) -> QColor:
    return QColor(INVITATION_COLOURS.get(status, "#6b7280"))


class InvitationsModel(CellCachedModel[InvitationRow]):
    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self.services = services
        self.event_id: int | None = None
        self.text = ""
        self.status: str | None = None

    def query_ids(self) -> list[int]:
        if self.event_id is None:
            return []
        return self.services.invitations.query_ids(
            self.event_id,
            self.text,
            status=self.status,
            sort=self.sort_key or "name",
            descending=self.descending,
        )

    def fetch_rows(self, ids: Sequence[int]) -> list[InvitationRow]:
        return self.services.invitations.rows(ids)

    def set_event(self, event_id: int | None) -> bool:
        """Show an event's invitations; False when it was a refresh that found the
        same rows in the same order: those are repainted in place, without a reset,
        so the view keeps its selection and scroll position (after a status change
        of 1,000 selected rows, a reset and re-selecting cost ~100 ms of GUI)."""
        if event_id == self.event_id and self.loaded and event_id is not None:
            ids = self.query_ids()
            if ids == self.ids:
                self.invalidate_rows()
                return False
        self.event_id = event_id
        self.reload()
        return True

    def set_filter(self, text: str, status: str | None) -> None:
        if (text, status) == (self.text, self.status):
            return
        self.text, self.status = text, status
        self.reload()

    def colours(self, row: InvitationRow) -> dict[int, QColor]:
        return {STATUS_COLUMN: _colour(row.status)}

    def tips(self, row: InvitationRow) -> dict[int, str]:
        if not row.attendance_logged:
            return {}
        tip = f"{row.name} attended: logged on their timeline"
        return dict.fromkeys(range(len(self.columns)), tip)
