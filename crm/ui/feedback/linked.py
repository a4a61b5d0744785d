"""The "Feedback" section of a person's detail: what they answered, with the score."""

from __future__ import annotations

import html

from crm.services import Services
from crm.ui.people.detail_sections import item_link


def feedback_lines(services: Services, person_id: int) -> list[str]:
    lines = []
    for r in services.feedback.person_responses(person_id, limit=20):
        score = f"{r.scale.upper()} {r.score}" if r.score is not None else "no score"
        link = item_link("survey", r.survey_id, r.survey_title)
        line = f"{link} — {score}, {r.responded_at:%Y-%m-%d}"
        if r.comment:
            short = r.comment if len(r.comment) <= 80 else r.comment[:79] + "…"
            line += f"<br><i>{html.escape(short)}</i>"
        lines.append(line)
    return lines
