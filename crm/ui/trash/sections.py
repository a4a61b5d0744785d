"""The kinds of thing the Trash holds, as one table: a section per archivable kind.

The page and its model know nothing about people, events or cards; each Section says
its title and nouns, its columns (what identifies the item first, when it was archived
last; every column's sort key is one the service understands), which change areas
concern it, and the service calls that list, read, restore, archive again (the undo of
a restore), size up and delete for good.
Adding a kind to the Trash is adding an entry to SECTIONS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from crm.services import Services
from crm.services.people_data import PeopleQuery
from crm.services.trash import Impact, Others
from crm.ui.paged_model import Column


@dataclass(frozen=True)
class TrashRow:
    """One line of a Trash table: the item's id and its cells, as text, in column order."""

    id: int
    cells: tuple[str, ...]


def when(moment: datetime | None) -> str:
    """Archive time in local time; the database stores naive UTC."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone() if moment.tzinfo is None else moment
    return local.strftime("%Y-%m-%d %H:%M")


def _cell(i: int) -> Callable[[TrashRow], str]:
    return lambda row: row.cells[i] if i < len(row.cells) else ""


def columns(*spec: tuple[str, str] | tuple[str, str, bool]) -> tuple[Column[TrashRow], ...]:
    """Columns from (title, sort key[, right-aligned]) triples, cells read by position."""
    return tuple(
        Column[TrashRow](s[0], s[1], _cell(i), bool(s[2]) if len(s) > 2 else False)  # type: ignore[misc]
        for i, s in enumerate(spec)
    )


Ids = list[int]


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # the segment button's label
    one: str  # "person": for "1 person"
    many: str  # "people": for "2 people", "No archived people"
    columns: tuple[Column[TrashRow], ...]
    widths: tuple[int, ...]  # initial widths of all columns but the last
    areas: tuple[str, ...]  # change areas after which the section reloads
    query_ids: Callable[[Services, str, str, bool], Ids]  # (text, sort, descending)
    rows: Callable[[Services, Sequence[int]], list[TrashRow]]
    restore: Callable[[Services, Ids], int]
    archive: Callable[[Services, Ids], int]
    purge: Callable[[Services, Ids], int]
    # (ids, the other kinds' ids deleted in the same go) -> what goes and what stays
    impact: Callable[[Services, Ids, Others], Impact] | None = None

    def noun(self, n: int) -> str:
        return f"{n:,} {self.one if n == 1 else self.many}"


def _people_rows(services: Services, ids: Sequence[int]) -> list[TrashRow]:
    return [
        TrashRow(p.id, (p.name, p.organisation, when(p.archived_at)))
        for p in services.people.rows(ids)
    ]


def _community_rows(services: Services, ids: Sequence[int]) -> list[TrashRow]:
    return [
        TrashRow(c.id, (c.name, c.kind.capitalize(), when(c.archived_at)))
        for c in services.communities.rows(ids)
    ]


def _event_rows(services: Services, ids: Sequence[int]) -> list[TrashRow]:
    return [
        TrashRow(
            e.id,
            (e.title, f"{e.starts_at:%Y-%m-%d %H:%M}", f"{e.invited:,}", when(e.archived_at)),
        )
        for e in services.events.rows(ids)
    ]


def _card_rows(services: Services, ids: Sequence[int]) -> list[TrashRow]:
    return [
        TrashRow(
            c.id,
            (c.person_name, c.topic, c.stage.capitalize(), c.event_title, when(c.archived_at)),
        )
        for c in services.outreach.trash_rows(ids)
    ]


SECTIONS: tuple[Section, ...] = (
    Section(
        "people",
        "People",
        "person",
        "people",
        columns(("Name", "name"), ("Organisation", "organisation"), ("Archived", "archived_at")),
        (320, 240),
        ("people", "trash"),
        lambda s, text, sort, desc: s.people.query_ids(
            PeopleQuery(text=text, archived=True, sort=sort, descending=desc)
        ),
        _people_rows,
        lambda s, ids: s.people.restore(ids),
        lambda s, ids: s.people.archive(ids),
        lambda s, ids: s.people.purge(ids),
        lambda s, ids, others: s.people.purge_impact(ids, others),
    ),
    Section(
        "communities",
        "Communities",
        "community",
        "communities",
        columns(("Name", "name"), ("Kind", "kind"), ("Archived", "archived_at")),
        (320, 160),
        ("communities", "trash"),
        lambda s, text, sort, desc: s.communities.query_ids(
            text, archived=True, sort=sort, descending=desc
        ),
        _community_rows,
        lambda s, ids: s.communities.restore(ids),
        lambda s, ids: s.communities.archive(ids),
        lambda s, ids: s.communities.purge(ids),
        lambda s, ids, others: s.communities.purge_impact(ids, others),
    ),
    Section(
        "events",
        "Events",
        "event",
        "events",
        columns(
            ("Title", "title"),
            ("Date", "starts"),
            ("Invitations", "invited", True),
            ("Archived", "archived_at"),
        ),
        (360, 150, 110),
        ("events", "invitations", "trash"),
        lambda s, text, sort, desc: s.events.query_ids(
            "archived", text, sort=sort, descending=desc
        ),
        _event_rows,
        lambda s, ids: s.events.restore(ids),
        lambda s, ids: s.events.archive(ids),
        lambda s, ids: s.events.purge(ids),
        lambda s, ids, others: s.events.purge_impact(ids, others),
    ),
    Section(
        "outreach",
        "Outreach",
        "outreach card",
        "outreach cards",
        columns(
            ("Person", "person"),
            ("Talk", "topic"),
            ("Stage", "stage"),
            ("Event", "event"),
            ("Archived", "archived_at"),
        ),
        (200, 280, 110, 260),
        ("outreach", "people", "events", "trash"),
        lambda s, text, sort, desc: s.outreach.trash_ids(text, sort, desc),
        _card_rows,
        lambda s, ids: s.outreach.restore(ids),
        lambda s, ids: s.outreach.archive(ids),
        lambda s, ids: s.outreach.purge(ids),
        lambda s, ids, others: s.outreach.purge_impact(ids, others),
    ),
)
BY_KEY = {s.key: s for s in SECTIONS}
