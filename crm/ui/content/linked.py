"""The "Content" section of a person's detail: what they wrote as a guest author."""

from __future__ import annotations

import html

from crm.services import Services
from crm.ui.content.table_model import day_text
from crm.ui.people.detail_sections import item_link


def guest_content(services: Services, person_id: int) -> list[str]:
    lines = []
    for r in services.content.by_author(person_id):
        day = r.publish_on if r.status == "published" and r.publish_on else r.due_on
        when = f" · {'published' if r.status == 'published' else r.status} {day_text(day)}"
        if r.status != "published":
            when = f" · {r.status}" + (f", due {day_text(r.due_on)}" if r.due_on else "")
        lines.append(f"{item_link('content', r.id, r.title)} — {html.escape(r.kind)}{when}")
    return lines
