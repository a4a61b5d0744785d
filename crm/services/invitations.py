"""Invitations: who is invited to an event, in what role, and how they answered.

People are invited one by one, from a selection, or by tag, role or community; those
already invited are skipped and counted, never duplicated. Recording attendance
(attended) logs one "event attendance" interaction on the person's timeline and keeps
its id on the invitation, so that taking it back removes exactly that interaction.
An event with 1,000+ invitations is read like the People table: ids first, rows a
page at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from crm.models import INVITATION_ROLES, INVITATION_STATUSES, Event, utcnow
from crm.services.attendance import CancelFn, Loaded, ProgressFn, StatusBefore, change_status
from crm.services.attendance_undo import undo_change
from crm.services.common import (
    ChangeNotifier,
    NotFound,
    ValidationError,
    as_datetime,
    chunks,
)
from crm.services.database import Database
from crm.services.interactions import refresh_last_interaction

ATTENDANCE = ("attended", "no-show")


@dataclass(frozen=True)
class InvitationRow:
    id: int
    event_id: int
    person_id: int
    name: str
    email: str
    organisation: str
    role: str
    status: str
    invited_at: datetime | None
    responded_at: datetime | None
    attendance_logged: bool
    note: str


@dataclass(frozen=True)
class PersonInvitation:
    """One of a person's invitations, for their detail."""

    event_id: int
    title: str
    starts_at: datetime
    time_zone: str
    role: str
    status: str


@dataclass(frozen=True)
class InvitationResult:
    """What a write did: how many changed, how many were skipped, and any warning."""

    changed: int
    skipped: int = 0
    warning: str | None = None
    # What a status change replaced, for undo_status (None for other writes).
    before: StatusBefore | None = field(default=None, compare=False, repr=False)

    def summary(self, verb: str = "Invited") -> str:
        text_ = f"{verb} {self.changed:,} {'person' if self.changed == 1 else 'people'}"
        if self.skipped:
            text_ += f"; {self.skipped:,} already invited, skipped"
        return text_ + "."


_SORTS = {
    "name": "p.display_name COLLATE NOCASE",
    "email": "(SELECT min(e.address) FROM email e WHERE e.person_id = p.id) COLLATE NOCASE",
    "organisation": "nullif(p.organisation, '') COLLATE NOCASE",
    "role": "CASE i.role "
    + " ".join(f"WHEN '{r}' THEN {n}" for n, r in enumerate(INVITATION_ROLES))
    + " END",
    "status": "CASE i.status "
    + " ".join(f"WHEN '{st}' THEN {n}" for n, st in enumerate(INVITATION_STATUSES))
    + " END",
    "invited_at": "i.invited_at",
    "responded_at": "i.responded_at",
}


class InvitationService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- reads -------------------------------------------------------------------
    def query_ids(
        self,
        event_id: int,
        text_query: str = "",
        *,
        status: str | None = None,
        role: str | None = None,
        sort: str = "name",
        descending: bool = False,
    ) -> list[int]:
        where = ["i.event_id = :e"]
        params: dict[str, object] = {"e": event_id}
        if status:
            where.append("i.status = :st")
            params["st"] = status
        if role:
            where.append("i.role = :r")
            params["r"] = role
        for n, word in enumerate(text_query.split()):
            where.append(
                f"(p.display_name LIKE :w{n} ESCAPE '\\' OR p.organisation LIKE :w{n} "
                f"ESCAPE '\\' OR EXISTS (SELECT 1 FROM email e WHERE e.person_id = p.id "
                f"AND e.address LIKE :w{n} ESCAPE '\\'))"
            )
            params[f"w{n}"] = "%" + word.replace("\\", "\\\\").replace("%", "\\%") + "%"
        expr = _SORTS[sort]
        d = "DESC" if descending else "ASC"
        sql = (
            "SELECT i.id FROM invitation i JOIN person p ON p.id = i.person_id "
            f"WHERE {' AND '.join(where)} ORDER BY ({expr}) IS NULL, {expr} {d}, "
            f"p.display_name COLLATE NOCASE, i.id"
        )
        with self.db.read() as s:
            return [r[0] for r in s.execute(text(sql), params)]

    def rows(self, ids: Sequence[int]) -> list[InvitationRow]:
        found: dict[int, InvitationRow] = {}
        with self.db.read() as s:
            for part in chunks(list(ids)):
                marks = ",".join(str(int(i)) for i in part)
                for r in s.execute(
                    text(
                        "SELECT i.id, i.event_id, i.person_id, p.display_name, "
                        "(SELECT e.address FROM email e WHERE e.person_id = p.id "
                        "ORDER BY e.id LIMIT 1), p.organisation, i.role, i.status, "
                        "i.invited_at, i.responded_at, i.attendance_interaction_id, i.note "
                        "FROM invitation i JOIN person p ON p.id = i.person_id "
                        f"WHERE i.id IN ({marks})"
                    )
                ):
                    found[r[0]] = InvitationRow(
                        r[0],
                        r[1],
                        r[2],
                        r[3],
                        r[4] or "",
                        r[5],
                        r[6],
                        r[7],
                        as_datetime(r[8]),
                        as_datetime(r[9]),
                        r[10] is not None,
                        r[11],
                    )
        return [found[i] for i in ids if i in found]

    def counts(self, event_id: int) -> dict[str, int]:
        with self.db.read() as s:
            return dict(
                s.execute(  # type: ignore[arg-type]
                    text(
                        "SELECT status, count(*) FROM invitation WHERE event_id = :e "
                        "GROUP BY status"
                    ),
                    {"e": event_id},
                ).all()
            )

    def for_person(self, person_id: int) -> list[PersonInvitation]:
        """A person's invitations to events not in the Trash, newest event first."""
        with self.db.read() as s:
            return [
                PersonInvitation(r[0], r[1], as_datetime(r[2]) or datetime.min, r[3], r[4], r[5])
                for r in s.execute(
                    text(
                        "SELECT e.id, e.title, e.starts_at, e.time_zone, i.role, i.status "
                        "FROM invitation i JOIN event e ON e.id = i.event_id "
                        "WHERE i.person_id = :p AND e.archived_at IS NULL "
                        "ORDER BY e.starts_utc DESC, e.id DESC"
                    ),
                    {"p": person_id},
                )
            ]

    def people_for(
        self, *, tag: str | None = None, role: str | None = None, community_id: int | None = None
    ) -> list[int]:
        """Active people with a tag, a role or in a community (all given must hold)."""
        where = ["p.archived_at IS NULL"]
        params: dict[str, object] = {}
        if tag:
            where.append(
                "p.id IN (SELECT pt.person_id FROM person_tag pt JOIN tag t ON t.id = pt.tag_id "
                "WHERE t.name = :tag COLLATE NOCASE)"
            )
            params["tag"] = tag.strip()
        if role:
            where.append("p.id IN (SELECT person_id FROM person_role WHERE role = :role)")
            params["role"] = role
        if community_id is not None:
            where.append("p.id IN (SELECT person_id FROM membership WHERE community_id = :c)")
            params["c"] = community_id
        if len(where) == 1:
            raise ValidationError({"who": "Choose a tag, a role or a community."})
        with self.db.read() as s:
            return [
                r[0]
                for r in s.execute(
                    text(f"SELECT p.id FROM person p WHERE {' AND '.join(where)} ORDER BY p.id"),
                    params,
                )
            ]

    # ---- writes ------------------------------------------------------------------
    def invite(
        self, event_id: int, person_ids: Sequence[int], role: str = "attendee"
    ) -> InvitationResult:
        """Invite people (status "not sent"); those already invited are skipped."""
        if role not in INVITATION_ROLES:
            raise ValidationError({"role": f"Unknown role: {role}"})
        wanted = list(dict.fromkeys(int(p) for p in person_ids))
        if not wanted:
            raise ValidationError({"who": "Choose at least one person to invite."})
        with self.db.session() as s:
            e = _event(s, event_id)
            active: set[int] = set()
            for part in chunks(wanted):
                marks = ",".join(str(i) for i in part)
                active.update(
                    r[0]
                    for r in s.execute(
                        text(f"SELECT id FROM person WHERE id IN ({marks}) AND archived_at IS NULL")
                    )
                )
            if missing := [p for p in wanted if p not in active]:
                raise ValidationError({"who": f"No such person (or in the Trash): {missing[0]}"})
            already = {
                r[0]
                for r in s.execute(
                    text("SELECT person_id FROM invitation WHERE event_id = :e"), {"e": event_id}
                )
            }
            new = [p for p in wanted if p not in already]
            now = utcnow()
            if new:
                s.execute(
                    insert(_table()),
                    [
                        {
                            "event_id": event_id,
                            "person_id": p,
                            "role": role,
                            "status": "not sent",
                            "note": "",
                            "created_at": now,
                            "updated_at": now,
                        }
                        for p in new
                    ],
                )
            result = InvitationResult(len(new), len(wanted) - len(new), _capacity(s, e))
        self.notifier.emit("events", "invitations", ids=[event_id])
        return result

    def invite_by(
        self,
        event_id: int,
        *,
        tag: str | None = None,
        person_role: str | None = None,
        community_id: int | None = None,
        role: str = "attendee",
    ) -> InvitationResult:
        people = self.people_for(tag=tag, role=person_role, community_id=community_id)
        if not people:
            raise ValidationError({"who": "Nobody matches: no one was invited."})
        return self.invite(event_id, people, role)

    def set_status(
        self,
        invitation_ids: Sequence[int],
        status: str,
        *,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> InvitationResult:
        """Change the status of invitations (of one event); attendance logs interactions.

        One transaction, set-based (crm/services/attendance.py), so 1,000 invitations
        take a fraction of a second; `progress` and `cancelled` let a task show how far
        it is and stop it (raising Cancelled, with nothing written).
        """
        if status not in INVITATION_STATUSES:
            raise ValidationError({"status": f"Unknown status: {status}"})
        ids = list(dict.fromkeys(invitation_ids))
        if not ids:
            return InvitationResult(0)
        with self.db.session() as s:
            rows, e = _load(s, ids)
            now = utcnow()
            if status in ATTENDANCE and e.starts_utc > now:
                raise ValidationError(
                    {"status": "Attendance can be recorded once the event has started."}
                )
            out = change_status(s, e, rows, status, now, progress=progress, cancelled=cancelled)
            result = InvitationResult(
                out.changed, len(ids) - out.changed, _capacity(s, e), out.before
            )
            eid = e.id
        self.notifier.emit("events", "invitations", ids=[eid])
        if out.touched:
            self.notifier.emit("interactions", "people", ids=out.touched)
        return result

    def undo_status(self, before: StatusBefore) -> InvitationResult:
        """Undo a set_status exactly (crm/services/attendance_undo.py): `changed` are
        the invitations put back, `skipped` those changed again since, left alone."""
        with self.db.session() as s:
            n, people = undo_change(s, before)
            e = s.get(Event, before.event_id)
            result = InvitationResult(n, len(before) - n, _capacity(s, e) if e else None)
        self.notifier.emit("events", "invitations", ids=[before.event_id])
        if people:
            self.notifier.emit("interactions", "people", ids=people)
        return result

    def set_role(self, invitation_ids: Sequence[int], role: str) -> int:
        if role not in INVITATION_ROLES:
            raise ValidationError({"role": f"Unknown role: {role}"})
        ids = list(dict.fromkeys(invitation_ids))
        n = 0
        with self.db.session() as s:
            eid = _load(s, ids)[1].id if ids else None
            for part in chunks(ids):
                marks = ",".join(str(int(i)) for i in part)
                res = s.execute(
                    text(
                        "UPDATE invitation SET role = :r, updated_at = :now "
                        f"WHERE id IN ({marks}) AND role != :r"
                    ),
                    {"r": role, "now": utcnow()},
                )
                n += res.rowcount or 0  # type: ignore[attr-defined]
        self.notifier.emit("events", "invitations", ids=[eid] if eid else [])
        return n

    def remove(self, invitation_ids: Sequence[int]) -> int:
        """Take invitations back; an attendance interaction goes with its invitation."""
        ids = list(dict.fromkeys(invitation_ids))
        if not ids:
            return 0
        with self.db.session() as s:
            rows, e = _load(s, ids)
            eid = e.id
            logged = [(r.interaction_id, r.person_id) for r in rows if r.interaction_id is not None]
            for part in chunks([r.id for r in rows]):
                marks = ",".join(str(int(i)) for i in part)
                s.execute(text(f"DELETE FROM invitation WHERE id IN ({marks})"))
            for part in chunks([i for i, _ in logged]):
                marks = ",".join(str(int(i)) for i in part)
                s.execute(text(f"DELETE FROM interaction WHERE id IN ({marks})"))
            people = [p for _, p in logged]
            if people:
                refresh_last_interaction(s, people)
        self.notifier.emit("events", "invitations", ids=[eid])
        if people:
            self.notifier.emit("interactions", "people", ids=people)
        return len(rows)

    def capacity_warning(self, event_id: int) -> str | None:
        with self.db.read() as s:
            return _capacity(s, _event(s, event_id))


def _table():  # type: ignore[no-untyped-def]
    from crm.models import Invitation

    return Invitation.__table__


def _event(s: Session, event_id: int) -> Event:
    e = s.get(Event, event_id)
    if e is None:
        raise NotFound(f"No event with id {event_id}")
    return e


def _load(s: Session, ids: Sequence[int]) -> tuple[list[Loaded], Event]:
    """(id, person_id, status, attendance_interaction_id) of invitations of one event.

    Every id must exist, and all must belong to the same event: a bulk change is made
    from one event's table, and the capacity warning is about that event.
    """
    out: list[Loaded] = []
    events: set[int] = set()
    for part in chunks(list(ids)):
        marks = ",".join(str(int(i)) for i in part)
        for r in s.execute(
            text(
                "SELECT id, person_id, status, attendance_interaction_id, event_id "
                f"FROM invitation WHERE id IN ({marks})"
            )
        ):
            out.append(Loaded(r[0], r[1], r[2], r[3]))
            events.add(r[4])
    if len(out) != len(ids):
        found = {r.id for r in out}
        missing = next(i for i in ids if i not in found)
        raise NotFound(f"No invitation with id {missing}")
    if len(events) > 1:
        raise ValidationError({"invitations": "Change the invitations of one event at a time."})
    return out, _event(s, next(iter(events)))


def _capacity(s: Session, e: Event) -> str | None:
    """A warning when accepted + attended exceed the event's capacity."""
    if e.capacity is None:
        return None
    coming = int(
        s.execute(
            text(
                "SELECT count(*) FROM invitation WHERE event_id = :e "
                "AND status IN ('accepted', 'attended')"
            ),
            {"e": e.id},
        ).scalar_one()
    )
    if coming <= e.capacity:
        return None
    over = coming - e.capacity
    return f"{coming:,} accepted or attended for {e.capacity:,} places: {over:,} over capacity."
