"""What the events screens share: status colours and how a time is written."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from crm.services.event_times import zone_abbreviation

STATUS_COLOURS = {
    "planning": "#d97706",
    "announced": "#2563eb",
    "done": "#16a34a",
    "cancelled": "#6b7280",
}
INVITATION_COLOURS = {
    "not sent": "#6b7280",
    "invited": "#2563eb",
    "accepted": "#16a34a",
    "declined": "#dc2626",
    "tentative": "#d97706",
    "attended": "#15803d",
    "no-show": "#9f1239",
}


class _Timed(Protocol):
    starts_at: datetime
    ends_at: datetime
    time_zone: str


def when_text(row: _Timed) -> str:
    """ "Tue 12 May 2026 18:30 CEST": the wall time in the event's own zone."""
    return f"{row.starts_at:%a %d %b %Y %H:%M} {zone_abbreviation(row.starts_at, row.time_zone)}"


def span_text(row: _Timed) -> str:
    """The whole span, the end's date only when it differs from the start's."""
    end = f"{row.ends_at:%H:%M}"
    if row.ends_at.date() != row.starts_at.date():
        end = f"{row.ends_at:%a %d %b %Y %H:%M}"
    return f"{row.starts_at:%A %d %B %Y, %H:%M} – {end} ({row.time_zone})"
