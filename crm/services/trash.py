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

Every count is of the rows the purge really removes or unlinks, read from the schema's
ON DELETE rules and the services' purge code (the tests compare them with the row
counts of every table before and after). When Empty trash deletes several kinds in
one go (people first, then communities, events, cards: the page's order), `others`
holds the ids of the other kinds going too, and each count leaves out what another
kind's purge takes, so that the question adds up to what goes: a person's
invitation to a doomed event is counted once, with the person.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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


# The ids of the other kinds deleted in the same go, by section key ("people",
# "communities", "events", "outreach").
Others = Mapping[str, Sequence[int]]


def _lists(others: Others | None) -> dict[str, str]:
    """{people}, {communities}, {events}, {cards}: "(1,2)" lists ("()" when none)."""
    others = others or {}
    keys = {"people": "people", "communities": "communities", "events": "events"}
    out = {name: f"({_marks(others.get(key, ()))})" for name, key in keys.items()}
    out["cards"] = f"({_marks(others.get('outreach', ()))})"
    return out


def _count(s: Session, sql: str, ids: Sequence[int], others: Others | None = None) -> int:
    """`sql` has an {ids} placeholder (and maybe those of _lists); the count is summed
    over chunks of ids, so it must count rows that belong to one id each."""
    lists = _lists(others)
    return sum(
        int(s.scalar(text(sql.format(ids=_marks(part), **lists))) or 0) for part in chunks(ids)
    )


# (one, many, SQL counting the rows) for what goes with an event and what stays.
_EVENT_GOES = (
    (
        "invitation",
        "invitations",
        "SELECT count(*) FROM invitation WHERE event_id IN ({ids}) AND person_id NOT IN {people}",
    ),
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
        "AND attendance_interaction_id IS NOT NULL AND person_id NOT IN {people}",
    ),
    (
        "outreach card",
        "outreach cards",
        "SELECT count(*) FROM outreach WHERE event_id IN ({ids}) "
        "AND person_id NOT IN {people} AND id NOT IN {cards}",
    ),
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
    s: Session,
    spec: Sequence[tuple[str, str, str]],
    ids: Sequence[int],
    others: Others | None = None,
) -> tuple[Part, ...]:
    parts = (Part(_count(s, sql, ids, others), one, many) for one, many, sql in spec)
    return tuple(p for p in parts if p.count)


def event_impact(s: Session, ids: Sequence[int], others: Others | None = None) -> Impact:
    doomed = archived_ids(s, "event", ids)
    if not doomed:
        return Impact(0)
    return Impact(
        len(doomed),
        _parts(s, _EVENT_GOES, doomed, others),
        _parts(s, _EVENT_STAYS, doomed, others),
    )


_MOVES = ("stage move", "stage moves")


def card_impact(s: Session, ids: Sequence[int], others: Others | None = None) -> Impact:
    doomed = archived_ids(s, "outreach", ids)
    if not doomed:
        return Impact(0)
    # (A doomed card of a person deleted in the same go is counted here, not there.)
    moves = (*_MOVES, "SELECT count(*) FROM outreach_move WHERE outreach_id IN ({ids})")
    return Impact(len(doomed), _parts(s, (moves,), doomed, others))


# What goes with people: PeopleService.purge deletes the interactions all of whose
# participants are going, then the people; the schema's ON DELETE CASCADE takes their
# invitations, memberships, outreach cards (with their stage moves), advocacy voices,
# places in initiatives, moderation cases about them and relationships either way,
# besides their own emails, phones, handles, roles, tags, consents and custom values
# (not listed: they are the person). ON DELETE SET NULL keeps the rest without them.
# The interaction counts need every doomed id in one statement (an interaction shared
# by two of them is theirs alone), so people are counted in one go, not by chunks.
_SHARED = (
    "SELECT count(*) FROM (SELECT interaction_id FROM participant WHERE interaction_id IN "
    "(SELECT interaction_id FROM participant WHERE person_id IN ({ids})) "
    "GROUP BY interaction_id HAVING max(person_id NOT IN ({ids})) = %d)"
)
_PEOPLE_GOES = (
    ("interaction only they took part in", "interactions only they took part in", _SHARED % 0),
    (
        "invitation",
        "invitations",
        "SELECT count(*) FROM invitation WHERE person_id IN ({ids})",
    ),
    (
        "community membership",
        "community memberships",
        "SELECT count(*) FROM membership WHERE person_id IN ({ids})",
    ),
    (
        "outreach card",
        "outreach cards",
        "SELECT count(*) FROM outreach WHERE person_id IN ({ids}) AND id NOT IN {cards}",
    ),
    (
        *_MOVES,
        "SELECT count(*) FROM outreach_move WHERE outreach_id IN (SELECT id FROM outreach "
        "WHERE person_id IN ({ids}) AND id NOT IN {cards})",
    ),
    (
        "voice on an advocacy note",
        "voices on advocacy notes",
        "SELECT count(*) FROM advocacy_voice WHERE person_id IN ({ids})",
    ),
    (
        "place in an initiative",
        "places in initiatives",
        "SELECT count(*) FROM initiative_participant WHERE person_id IN ({ids})",
    ),
    (
        "moderation case about them",
        "moderation cases about them",
        "SELECT count(*) FROM moderation_case WHERE subject_id IN ({ids})",
    ),
    (
        "relationship",
        "relationships",
        "SELECT count(*) FROM relationship WHERE person_id IN ({ids}) OR other_id IN ({ids})",
    ),
)
_PEOPLE_STAYS = (
    ("interaction with others", "interactions with others", _SHARED % 1),
    (
        "feedback response (now anonymous)",
        "feedback responses (now anonymous)",
        "SELECT count(*) FROM feedback_response WHERE person_id IN ({ids})",
    ),
    (
        "talk on an event's agenda",
        "talks on events' agendas",
        "SELECT count(*) FROM agenda_item WHERE speaker_id IN ({ids}) AND event_id NOT IN {events}",
    ),
    (
        "content item they guest-wrote",
        "content items they guest-wrote",
        "SELECT count(*) FROM content_item WHERE guest_author_id IN ({ids})",
    ),
    (
        "moderation case they reported",
        "moderation cases they reported",
        "SELECT count(*) FROM moderation_case WHERE reporter_id IN ({ids}) "
        "AND subject_id NOT IN ({ids})",
    ),
    (
        "person they referred",
        "people they referred",
        "SELECT count(*) FROM person WHERE referred_by_id IN ({ids}) AND id NOT IN ({ids})",
    ),
)


def person_impact(s: Session, ids: Sequence[int], others: Others | None = None) -> Impact:
    doomed = archived_ids(s, "person", ids)
    if not doomed:
        return Impact(0)
    lists = _lists(others)
    marks = _marks(doomed)

    def parts(spec: Sequence[tuple[str, str, str]]) -> tuple[Part, ...]:
        counts = (
            (int(s.scalar(text(sql.format(ids=marks, **lists))) or 0), one, many)
            for one, many, sql in spec
        )
        return tuple(Part(n, one, many) for n, one, many in counts if n)

    return Impact(len(doomed), parts(_PEOPLE_GOES), parts(_PEOPLE_STAYS))


# With communities go their memberships (members and liaisons) and custom values; the
# events they host stay, without the host.
_COMMUNITY_GOES = (
    (
        "community membership",
        "community memberships",
        "SELECT count(*) FROM membership WHERE community_id IN ({ids}) "
        "AND person_id NOT IN {people}",
    ),
)
_COMMUNITY_STAYS = (
    (
        "event they host",
        "events they host",
        "SELECT count(*) FROM event WHERE community_id IN ({ids}) AND id NOT IN {events}",
    ),
)


def community_impact(s: Session, ids: Sequence[int], others: Others | None = None) -> Impact:
    doomed = archived_ids(s, "community", ids)
    if not doomed:
        return Impact(0)
    return Impact(
        len(doomed),
        _parts(s, _COMMUNITY_GOES, doomed, others),
        _parts(s, _COMMUNITY_STAYS, doomed, others),
    )


def unlink_attendance(s: Session, event_ids: Sequence[int], today: date) -> list[int]:
    """Before events are deleted: their attendance interactions stay, and `event:<id>` in
    their details becomes "event deleted on <date>". Returns the people concerned.

    The demo's 2,000 events have ~94,000 attendance records: one pattern per event and
    the updates as plain tuples on the session's DBAPI connection (SQLAlchemy's
    per-row parameter handling was a third of the 2.4 s this took).
    """
    people: list[int] = []
    updates: list[tuple[str, int]] = []
    gone = f"event deleted on {today.isoformat()}"
    patterns: dict[int, re.Pattern[str]] = {}
    for part in chunks(list(event_ids)):
        rows = s.execute(
            text(
                "SELECT i.id, i.details, v.event_id, v.person_id FROM invitation v "
                "JOIN interaction i ON i.id = v.attendance_interaction_id "
                f"WHERE v.event_id IN ({_marks(part)})"
            )
        ).all()
        for iid, details, event_id, person_id in rows:
            pattern = patterns.get(event_id)
            if pattern is None:
                pattern = patterns[event_id] = re.compile(rf"\bevent:{int(event_id)}\b")
            new = pattern.sub(gone, details or "")
            if new != details:
                updates.append((new, iid))
            people.append(person_id)
    if updates:
        s.connection().exec_driver_sql("UPDATE interaction SET details = ? WHERE id = ?", updates)
    return people
