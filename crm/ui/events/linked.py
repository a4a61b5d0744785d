"""What a person's detail shows of events: their invitations, newest event first."""

from __future__ import annotations

import html

from crm.services import Services
from crm.ui.events.style import INVITATION_COLOURS
from crm.ui.people.detail_sections import item_link

MAX_LINES = 12


def invitation_lines(services: Services, person_id: int) -> list[str]:
    rows = services.invitations.for_person(person_id)
    lines = []
    for r in rows[:MAX_LINES]:
        colour = INVITATION_COLOURS.get(r.status, "gray")
        role = "" if r.role == "attendee" else f" as {html.escape(r.role)}"
        lines.append(
            f"{item_link('event', r.event_id, r.title)} — {r.starts_at:%d %b %Y}{role}: "
            f"<span style='color:{colour}'>{html.escape(r.status)}</span>"
        )
    if len(rows) > MAX_LINES:
        lines.append(f"<span style='color:gray'>and {len(rows) - MAX_LINES} earlier</span>")
    return lines
