"""The "Initiatives" section of a person's detail: which initiatives, with their result."""

from __future__ import annotations

from crm.services import Services
from crm.ui.people.detail_sections import item_link


def initiative_lines(services: Services, person_id: int) -> list[str]:
    return [
        f"{item_link('initiative', i.id, i.title)} — {i.kind}, {i.result}"
        + (f" ({i.starts_on:%Y-%m-%d})" if i.starts_on else "")
        for i in services.initiatives.person_initiatives(person_id)
    ]
