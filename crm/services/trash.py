"""What deleting archived items for good takes with it, and what it leaves behind.

The Trash asks before it deletes, and the question must say how many rows go with the
items (an event's invitations, agenda and logistics; a card's stage history) and what
stays but loses its link (an outreach card that aimed at the event). These counts are
read here, in one query per kind of dependent row, only for items in the Trash.

Attendance records are a decision, made here once: a person's "event attendance"
interaction stays on their timeline when the event is deleted for good — they were
there, and their last-contact date should not move back — but its reference to the
event (`event:<id>` in its details) is replaced by a note that the event was deleted,
so no link points at a row that is gone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from crm.services.common import chunks


@dataclass(frozen=True)
class Part:
    """A count of dependent rows, with the words to say it."""

    count: int
    one: str
    many: str

    @property
    def text(self) -> str:
        return f"{self.count:,} {self.one if self.count == 1 else self.many}"


@dataclass(frozen=True)
class Impact:
    """What deleting some archived items for good would do.

    `items` counts those of the ids asked about that are in the Trash (only those are
    deleted); `goes` are the rows deleted with them, `stays` the rows that remain
    (unlinked from them). Parts with a count of 0 are left out.
    """

    items: int
    goes: tuple[Part, ...] = ()
    stays: tuple[Part, ...] = ()


def _marks(ids: Sequence[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


def archived_ids(s: Session, table: str, ids: Sequence[int]) -> list[int]:
    out: list[int] = []
    for part in chunks(list(ids)):
        out += s.scalars(
            text(f"SELECT id FROM {table} WHERE archived_at IS NOT NULL AND id IN ({_marks(part)})")
        ).all()
    return out


def _count(s: Session, sql: str, ids: Sequence[int]) -> int:
    """`sql` has one {ids} placeholder; the count is summed over chunks of ids."""
    return sum(int(s.scalar(text(sql.format(ids=_marks(part)))) or 0) for part in chunks(ids))


# (one, many, SQL counting the rows) for what goes with an event and what stays.
_EVENT_GOES = (
    ("invitation", "invitations", "SELECT count(*) FROM invitation WHERE event_id IN ({ids})"),
    ("agenda item", "agenda items", "SELECT count(*) FROM agenda_item WHERE event_id IN ({ids})"),
    (
        "logistics task",
        "logistics tasks",
        "SELECT count(*) FROM logistics_task WHERE event_id IN ({ids})",
    ),
    (
        "link to an initiative",
        "links to initiatives",
        "SELECT count(*) FROM initiative_event WHERE event_id IN ({ids})",
    ),
)
_EVENT_STAYS = (
    (
        "attendance record on a timeline",
        "attendance records on people's timelines",
        "SELECT count(*) FROM invitation WHERE event_id IN ({ids}) "
        "AND attendance_interaction_id IS NOT NULL",
    ),
    ("outreach card", "outreach cards", "SELECT count(*) FROM outreach WHERE event_id IN ({ids})"),
    ("survey", "surveys", "SELECT count(*) FROM survey WHERE event_id IN ({ids})"),
    (
        "feedback response",
        "feedback responses",
        "SELECT count(*) FROM feedback_response WHERE event_id IN ({ids})",
    ),
    (
        "department task",
        "department tasks",
        "SELECT count(*) FROM department_task WHERE event_id IN ({ids})",
    ),
)


def _parts(
    s: Session, spec: Sequence[tuple[str, str, str]], ids: Sequence[int]
) -> tuple[Part, ...]:
    parts = (Part(_count(s, sql, ids), one, many) for one, many, sql in spec)
    return tuple(p for p in parts if p.count)


def event_impact(s: Session, ids: Sequence[int]) -> Impact:
    doomed = archived_ids(s, "event", ids)
    if not doomed:
        return Impact(0)
    return Impact(len(doomed), _parts(s, _EVENT_GOES, doomed), _parts(s, _EVENT_STAYS, doomed))


def card_impact(s: Session, ids: Sequence[int]) -> Impact:
    doomed = archived_ids(s, "outreach", ids)
    if not doomed:
        return Impact(0)
    moves = (
        "stage move",
        "stage moves",
        "SELECT count(*) FROM outreach_move WHERE outreach_id IN ({ids})",
    )
    return Impact(len(doomed), _parts(s, (moves,), doomed))


def unlink_attendance(s: Session, event_ids: Sequence[int], today: date) -> list[int]:
    """Before events are deleted: their attendance interactions stay, and `event:<id>` in
    their details becomes "event deleted on <date>". Returns the people concerned."""
    people: list[int] = []
    updates: list[dict[str, object]] = []
    for part in chunks(list(event_ids)):
        rows = s.execute(
            text(
                "SELECT i.id, i.details, v.event_id, v.person_id FROM invitation v "
                "JOIN interaction i ON i.id = v.attendance_interaction_id "
                f"WHERE v.event_id IN ({_marks(part)})"
            )
        ).all()
        for iid, details, event_id, person_id in rows:
            pattern = rf"\bevent:{int(event_id)}\b"
            new = re.sub(pattern, f"event deleted on {today.isoformat()}", details or "")
            if new != details:
                updates.append({"d": new, "i": iid})
            people.append(person_id)
    if updates:
        s.execute(text("UPDATE interaction SET details = :d WHERE id = :i"), updates)
    return people
