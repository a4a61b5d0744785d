"""What a person's detail shows of outreach: their cards with the dates of their moves, and
the talks they give (agenda items they speak in). See crm.ui.people.linked."""

from __future__ import annotations

import html

from crm.services import Services
from crm.ui.people.detail_sections import item_link


def outreach_lines(services: Services, person_id: int) -> list[str]:
    lines = []
    for card in services.outreach.history(person_id):
        head = f"{item_link('outreach', card.id, card.topic or 'No topic yet')} — "
        head += f"<b>{html.escape(card.stage.capitalize())}</b>"
        if card.event_id is not None:
            head += f" for {item_link('event', card.event_id, card.event_title)}"
        moves = " → ".join(f"{html.escape(m.to_stage)} {m.moved_at:%d %b %Y}" for m in card.moves)
        lines.append(f"{head}<br><span style='color:gray'>{moves}</span>")
    return lines


def talk_lines(services: Services, person_id: int) -> list[str]:
    return [
        f"{html.escape(t.title)} — {item_link('event', t.event_id, t.event_title)}, "
        f"{t.starts_at:%d %b %Y %H:%M}"
        for t in services.outreach.talks(person_id)
    ]
