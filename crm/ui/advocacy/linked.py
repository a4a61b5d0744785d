"""What a person's detail shows of advocacy and moderation (crm.ui.people.linked).

The moderation lines are the only place besides the Moderation page where case notes
appear: the count, the latest severity and action, and repeated cases in red.
"""

from __future__ import annotations

import html

from crm.services import Services
from crm.ui.people.detail_sections import item_link

SHOWN = 8


def advocacy_lines(services: Services, person_id: int) -> list[str]:
    notes = services.advocacy.for_person(person_id)
    lines = [
        f"{item_link('advocacy', n.id, n.title)} "
        f"<span style='color:gray'>· {html.escape(n.status)} · {n.voices:,} behind it</span>"
        for n in notes[:SHOWN]
    ]
    if len(notes) > SHOWN:
        lines.append(f"<span style='color:gray'>… and {len(notes) - SHOWN} more</span>")
    return lines


def moderation_lines(services: Services, person_id: int) -> list[str]:
    mine = services.moderation.for_person(person_id)
    if not mine.cases:
        return (
            [f"<span style='color:gray'>Reported {mine.reported} case(s) about others</span>"]
            if mine.reported
            else []
        )
    latest = mine.cases[0].row
    head = (
        f"{mine.count} cases — repeated" if mine.repeated else "1 case"
    ) + f"; latest: {html.escape(latest.severity)}, {html.escape(latest.action)}"
    colour = "#b42318" if mine.repeated else "inherit"
    lines = [f"<b style='color:{colour}'>{head}</b>"]
    for c in mine.cases[:SHOWN]:
        r = c.row
        text = f"{r.occurred_on:%d %b %Y} · {r.guideline} · {r.severity} · {r.action} · {r.status}"
        line = item_link("moderation", r.id, text)
        if c.notes:
            line += f"<br><span style='color:gray'>{html.escape(c.notes)}</span>"
        lines.append(line)
    return lines
