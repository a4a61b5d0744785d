"""Events: create, edit, archive and restore them, and read them as lists that scale.

The list of events shows invitation counts by status; they come from one GROUP BY
over the (event_id, status) index for the events asked for, never from loading
invitations. Every change that matters to invitees (time, zone, place, link, title,
description, status) raises the event's iCalendar SEQUENCE by one, so that a re-sent
invitation replaces the old one in the recipient's calendar.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from crm.models import EVENT_KINDS, EVENT_STATUSES, AuditEntry, Community, Event, utcnow
from crm.services import event_times, trash
from crm.services.common import ChangeNotifier, NotFound, ValidationError, as_datetime, chunks
from crm.services.database import Database
from crm.services.interactions import refresh_last_interaction
from crm.services.trash import Impact

# Fields whose change an invitee must hear about: each raises SEQUENCE.
INVITEE_FIELDS = (
    "title",
    "status",
    "starts_at",
    "ends_at",
    "time_zone",
    "location",
    "online_url",
    "description",
)
SCOPES = ("upcoming", "past", "all", "archived")


@dataclass(frozen=True)
class EventInput:
    title: str
    starts_at: datetime  # wall clock in time_zone (naive)
    ends_at: datetime
    time_zone: str = "UTC"
    kind: str = "meetup"
    status: str = "planning"
    location: str = ""
    online_url: str = ""
    capacity: int | None = None
    description: str = ""
    community_id: int | None = None


@dataclass(frozen=True)
class EventRow:
    """One line of the events list, with its invitation counts by status."""

    id: int
    title: str
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    starts_utc: datetime
    location: str
    online_url: str
    capacity: int | None
    counts: Mapping[str, int] = field(default_factory=dict)
    archived_at: datetime | None = None

    @property
    def invited(self) -> int:
        return sum(self.counts.values())

    @property
    def coming(self) -> int:
        """Accepted plus attended: what the capacity is measured against."""
        return self.counts.get("accepted", 0) + self.counts.get("attended", 0)


@dataclass(frozen=True)
class EventDetail:
    id: int
    uid: str
    sequence: int
    title: str
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    starts_utc: datetime
    location: str
    online_url: str
    capacity: int | None
    description: str
    community_id: int | None
    community: str
    counts: Mapping[str, int]
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None

    def to_input(self) -> EventInput:
        return EventInput(
            self.title,
            self.starts_at,
            self.ends_at,
            self.time_zone,
            self.kind,
            self.status,
            self.location,
            self.online_url,
            self.capacity,
            self.description,
            self.community_id,
        )


_ROW_COLUMNS = (
    "id, title, kind, status, starts_at, ends_at, time_zone, starts_utc, location, "
    "online_url, capacity, archived_at"
)
_SORTS = {
    "starts": "e.starts_utc",
    "title": "e.title COLLATE NOCASE",
    "kind": "e.kind",
    "status": "e.status",
    "location": "nullif(e.location, '') COLLATE NOCASE",
    "capacity": "e.capacity",
    "archived_at": "e.archived_at",
    "invited": "(SELECT count(*) FROM invitation i WHERE i.event_id = e.id)",
    "accepted": "(SELECT count(*) FROM invitation i WHERE i.event_id = e.id "
    "AND i.status IN ('accepted', 'attended'))",
}


class EventService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- reads -----------------------------------------------------------------
    def query_ids(
        self,
        scope: str = "upcoming",
        text_query: str = "",
        *,
        day: date | None = None,
        sort: str = "starts",
        descending: bool | None = None,
        now: datetime | None = None,
    ) -> list[int]:
        """Event ids for a scope (upcoming, past, all, archived), a search and a day.

        Upcoming events are those not yet over; they sort soonest first, past ones most
        recent first, unless `descending` says otherwise. `day` keeps the events whose
        (wall-clock) start falls on that day.
        """
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}")
        now = now or utcnow()
        where = ["e.archived_at IS NOT NULL" if scope == "archived" else "e.archived_at IS NULL"]
        params: dict[str, object] = {}
        # "Over" is measured on the end: the length of an event is ends - starts in wall
        # time, which is its real length except across a DST switch (off by an hour).
        end_utc = (
            "datetime(e.starts_utc, '+' || CAST(round((julianday(e.ends_at) - "
            "julianday(e.starts_at)) * 86400) AS INTEGER) || ' seconds')"
        )
        if scope == "upcoming":
            where.append(f"{end_utc} >= :now")
            params["now"] = now.isoformat(" ")
        elif scope == "past":
            where.append(f"{end_utc} < :now")
            params["now"] = now.isoformat(" ")
        if words := text_query.strip():
            for i, word in enumerate(words.split()):
                where.append(
                    f"(e.title LIKE :w{i} ESCAPE '\\' OR e.location LIKE :w{i} ESCAPE '\\' "
                    f"OR e.kind LIKE :w{i} ESCAPE '\\')"
                )
                params[f"w{i}"] = "%" + _escape_like(word) + "%"
        if day is not None:
            where.append("e.starts_at >= :d0 AND e.starts_at < :d1")
            params["d0"] = day.isoformat()
            params["d1"] = (day + timedelta(days=1)).isoformat()
        if descending is None:
            descending = scope == "past" and sort == "starts"
        expr = _SORTS[sort]
        d = "DESC" if descending else "ASC"
        sql = (
            f"SELECT e.id FROM event e WHERE {' AND '.join(where)} "
            f"ORDER BY ({expr}) IS NULL, {expr} {d}, e.id {d}"
        )
        with self.db.read() as s:
            return [r[0] for r in s.execute(text(sql), params)]

    def rows(self, ids: Sequence[int]) -> list[EventRow]:
        """Rows for these ids, in order, with counts from one GROUP BY per 500 ids."""
        out: list[EventRow] = []
        with self.db.read() as s:
            for part in chunks(list(ids)):
                marks = ",".join(str(int(i)) for i in part)
                found = {
                    r[0]: r
                    for r in s.execute(
                        text(f"SELECT {_ROW_COLUMNS} FROM event WHERE id IN ({marks})")
                    )
                }
                counts = _counts(s, f"WHERE event_id IN ({marks})")
                out.extend(_row(found[i], counts.get(i, {})) for i in part if i in found)
        return out

    def list_events(self, scope: str = "all", now: datetime | None = None) -> list[EventRow]:
        """Every event of a scope with its counts: one query for events, one GROUP BY."""
        ids = self.query_ids(scope, now=now)
        with self.db.read() as s:
            found = {
                r[0]: r
                for r in s.execute(
                    text(f"SELECT {_ROW_COLUMNS} FROM event WHERE archived_at IS NULL")
                    if scope != "archived"
                    else text(f"SELECT {_ROW_COLUMNS} FROM event WHERE archived_at IS NOT NULL")
                )
            }
            counts = _counts(s, "")
        return [_row(found[i], counts.get(i, {})) for i in ids if i in found]

    def get(self, event_id: int) -> EventDetail:
        with self.db.read() as s:
            e = s.get(Event, event_id)
            if e is None:
                raise NotFound(f"No event with id {event_id}")
            community = ""
            if e.community_id is not None:
                community = s.scalar(select(Community.name).where(Community.id == e.community_id))
            counts = _counts(s, f"WHERE event_id = {int(event_id)}").get(event_id, {})
            return EventDetail(
                e.id,
                e.uid,
                e.sequence,
                e.title,
                e.kind,
                e.status,
                e.starts_at,
                e.ends_at,
                e.time_zone,
                e.starts_utc,
                e.location,
                e.online_url,
                e.capacity,
                e.description,
                e.community_id,
                community or "",
                counts,
                e.created_at,
                e.updated_at,
                e.archived_at,
            )

    def count(self, archived: bool = False) -> int:
        cond = "archived_at IS NOT NULL" if archived else "archived_at IS NULL"
        with self.db.read() as s:
            return int(s.execute(text(f"SELECT count(*) FROM event WHERE {cond}")).scalar_one())

    def month(self, year: int, month: int) -> dict[date, list[tuple[int, str, str]]]:
        """Events starting in a calendar month, by wall-clock day: (id, title, status)."""
        first = date(year, month, 1)
        after = date(year + month // 12, month % 12 + 1, 1)
        out: dict[date, list[tuple[int, str, str]]] = {}
        with self.db.read() as s:
            for eid, title, status, starts in s.execute(
                text(
                    "SELECT id, title, status, starts_at FROM event WHERE archived_at IS NULL "
                    "AND starts_at >= :a AND starts_at < :b ORDER BY starts_at, id"
                ),
                {"a": first.isoformat(), "b": after.isoformat()},
            ):
                day = (as_datetime(starts) or datetime.min).date()
                out.setdefault(day, []).append((eid, title, status))
        return out

    def names(self, ids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        with self.db.read() as s:
            for part in chunks(list(ids)):
                out.update(s.execute(select(Event.id, Event.title).where(Event.id.in_(part))).all())  # type: ignore[arg-type]
        return out

    # ---- writes ----------------------------------------------------------------
    def create(self, data: EventInput) -> int:
        with self.db.session() as s:
            clean = self._validate(s, data)
            e = Event(title=clean.title, sequence=0)
            _apply(e, clean)
            s.add(e)
            s.flush()
            s.add(AuditEntry(action="create", entity="event", entity_id=e.id, detail={}))
            eid = e.id
        self.notifier.emit("events", ids=[eid])
        return eid

    def update(self, event_id: int, data: EventInput) -> bool:
        """Save an edit; True when invitees must hear of it (SEQUENCE was raised)."""
        with self.db.session() as s:
            e = s.get(Event, event_id)
            if e is None:
                raise NotFound(f"No event with id {event_id}")
            clean = self._validate(s, data)
            before = {f: getattr(e, f) for f in INVITEE_FIELDS}
            moved = (e.starts_utc, e.starts_at, e.time_zone)
            _apply(e, clean)
            bumped = any(getattr(e, f) != v for f, v in before.items())
            if bumped:
                e.sequence += 1
            touched: list[int] = []
            if (e.starts_utc, e.starts_at, e.time_zone) != moved:
                touched = _move_attendance(s, e.id, e.starts_utc)
        self.notifier.emit("events", ids=[event_id])
        if touched:
            self.notifier.emit("interactions", "people", ids=touched)
        return bumped

    def set_status(self, event_id: int, status: str) -> None:
        detail = self.get(event_id)
        self.update(event_id, _replace(detail.to_input(), status=status))

    def archive(self, ids: Sequence[int]) -> int:
        return self._set_archived(ids, True)

    def restore(self, ids: Sequence[int]) -> int:
        return self._set_archived(ids, False)

    def _set_archived(self, ids: Sequence[int], archived: bool) -> int:
        n = 0
        with self.db.session() as s:
            cond = Event.archived_at.is_(None) if archived else Event.archived_at.is_not(None)
            for part in chunks(list(ids)):
                res = s.execute(
                    update(Event)
                    .where(Event.id.in_(part), cond)
                    .values(archived_at=utcnow() if archived else None)
                )
                n += res.rowcount or 0
            s.add(
                AuditEntry(
                    action="archive" if archived else "restore",
                    entity="event",
                    detail={"ids": list(ids)},
                )
            )
        self.notifier.emit("events", "trash", ids=ids)
        return n

    def purge_impact(self, ids: Sequence[int], others: trash.Others | None = None) -> Impact:
        """What purge(ids) would delete with the events, and what it would leave; `others`:
        the ids of other kinds deleted in the same go (crm.services.trash)."""
        with self.db.read() as s:
            return trash.event_impact(s, ids, others)

    def purge(self, ids: Sequence[int]) -> int:
        """Delete archived events for good, with their invitations, agenda and logistics.

        Attendance interactions stay on people's timelines (they happened), their link
        to the event replaced by a note (crm.services.trash.unlink_attendance); outreach
        cards, surveys and tasks that aimed at an event stay, without it.
        """
        with self.db.session() as s:
            doomed = trash.archived_ids(s, "event", ids)
            people = trash.unlink_attendance(s, doomed, utcnow().date())
            for part in chunks(doomed):
                marks = ",".join(str(int(i)) for i in part)
                s.execute(text(f"DELETE FROM event WHERE id IN ({marks})"))
            s.add(AuditEntry(action="purge", entity="event", detail={"count": len(doomed)}))
        self.notifier.emit("events", "trash", "invitations", "outreach", ids=doomed)
        if people:
            self.notifier.emit("interactions", "people", ids=people)
        return len(doomed)

    # ---- validation -------------------------------------------------------------
    def _validate(self, s: Session, d: EventInput) -> EventInput:
        errors: dict[str, str] = {}
        title = " ".join(d.title.split())
        if not title:
            errors["title"] = "An event needs a title."
        elif len(title) > 300:
            errors["title"] = "Keep the title under 300 characters."
        if d.kind not in EVENT_KINDS:
            errors["kind"] = f"Unknown kind: {d.kind} (one of {', '.join(EVENT_KINDS)})"
        if d.status not in EVENT_STATUSES:
            errors["status"] = f"Unknown status: {d.status} (one of {', '.join(EVENT_STATUSES)})"
        zone = d.time_zone.strip()
        if event_times.zone(zone) is None:
            errors["time_zone"] = f"“{zone}” is not a time zone (use a name such as Europe/Berlin)"
        starts = _naive(d.starts_at, zone)
        ends = _naive(d.ends_at, zone)
        if ends <= starts:
            errors["ends_at"] = "The event must end after it starts."
        if "time_zone" not in errors:
            for key, wall in (("starts_at", starts), ("ends_at", ends)):
                if key not in errors and (msg := event_times.gap_message(wall, zone)):
                    errors[key] = msg
        if d.capacity is not None and d.capacity < 0:
            errors["capacity"] = "Capacity cannot be negative."
        url = d.online_url.strip()
        if url and not url.startswith(("http://", "https://")):
            if "://" in url or " " in url:
                errors["online_url"] = "The online link must be a web address (https://…)."
            else:
                url = "https://" + url
        if len(url) > 500:
            errors["online_url"] = "The online link is too long (500 characters at most)."
        location = " ".join(d.location.split())
        if len(location) > 300:
            errors["location"] = "Keep the location under 300 characters."
        if d.community_id is not None and s.get(Community, d.community_id) is None:
            errors["community"] = f"No community with id {d.community_id}"
        if errors:
            raise ValidationError(errors)
        return EventInput(
            title,
            starts,
            ends,
            zone,
            d.kind,
            d.status,
            location,
            url,
            d.capacity,
            d.description.strip(),
            d.community_id,
        )


def _apply(e: Event, d: EventInput) -> None:
    e.title, e.kind, e.status = d.title, d.kind, d.status
    e.starts_at, e.ends_at, e.time_zone = d.starts_at, d.ends_at, d.time_zone
    e.starts_utc = event_times.to_utc(d.starts_at, d.time_zone)
    e.location, e.online_url, e.capacity = d.location, d.online_url, d.capacity
    e.description, e.community_id = d.description, d.community_id


def _move_attendance(s: Session, event_id: int, starts_utc: datetime) -> list[int]:
    """Attendance interactions follow the event's new start; returns the people touched."""
    rows = s.execute(
        text(
            "SELECT attendance_interaction_id, person_id FROM invitation "
            "WHERE event_id = :e AND attendance_interaction_id IS NOT NULL"
        ),
        {"e": event_id},
    ).all()
    if not rows:
        return []
    for part in chunks([r[0] for r in rows]):
        marks = ",".join(str(int(i)) for i in part)
        s.execute(
            text(f"UPDATE interaction SET occurred_at = :t WHERE id IN ({marks})"),
            {"t": starts_utc.isoformat(" ")},
        )
    people = [r[1] for r in rows]
    refresh_last_interaction(s, people)
    return people


def _counts(s: Session, where: str) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for eid, status, n in s.execute(
        text(f"SELECT event_id, status, count(*) FROM invitation {where} GROUP BY event_id, status")
    ):
        out.setdefault(eid, {})[status] = n
    return out


def _row(r: Sequence[object], counts: Mapping[str, int]) -> EventRow:
    return EventRow(
        id=r[0],  # type: ignore[arg-type]
        title=r[1],  # type: ignore[arg-type]
        kind=r[2],  # type: ignore[arg-type]
        status=r[3],  # type: ignore[arg-type]
        starts_at=as_datetime(r[4]) or datetime.min,
        ends_at=as_datetime(r[5]) or datetime.min,
        time_zone=r[6],  # type: ignore[arg-type]
        starts_utc=as_datetime(r[7]) or datetime.min,
        location=r[8],  # type: ignore[arg-type]
        online_url=r[9],  # type: ignore[arg-type]
        capacity=r[10],  # type: ignore[arg-type]
        counts=dict(counts),
        archived_at=as_datetime(r[11]),
    )


def _naive(moment: datetime, zone: str) -> datetime:
    """The naive wall time in `zone`; seconds are dropped (calendars work in minutes).

    An aware time is converted to the event's zone, not stripped of its own.
    """
    tz = event_times.zone(zone)
    if moment.tzinfo is not None and moment.utcoffset() is not None and tz is not None:
        moment = moment.astimezone(tz)
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _replace(data: EventInput, **changes: object) -> EventInput:
    from dataclasses import replace

    return replace(data, **changes)  # type: ignore[arg-type]
