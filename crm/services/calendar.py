"""Calendar files: events as .ics, invitations as iTIP requests and email drafts, and
replies (METHOD:REPLY) read back into the invitations' RSVP status.

Every file is written atomically (crm.services.io.atomic): a failed or cancelled
export leaves the old file or none. The organiser of invitations is the community
lead, from the database's settings (crm.services.settings owns the keys).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from crm.services.calendar_marks import Marked, mark_sent, remark, unmark
from crm.services.calendar_replies import ReplyReport, import_replies
from crm.services.common import ChangeNotifier, NotFound, ServiceError, as_datetime
from crm.services.database import Database
from crm.services.io.atomic import write_atomic
from crm.services.io.ical_write import (
    CalAttendee,
    CalendarDataError,
    CalEvent,
    CalPerson,
    calendar,
)
from crm.services.settings import ORGANISER_EMAIL, ORGANISER_NAME

NO_ORGANISER = (
    "Set the organiser's name and email in Settings first: invitations need them, "
    "so that replies know where to go"
)
ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

_EVENT_COLUMNS = (
    "id, uid, sequence, title, status, starts_at, ends_at, time_zone, location, "
    "online_url, description, created_at, updated_at"
)
# Host first, then speakers and panelists, then everyone else; by name within each.
_INVITEES = """
SELECT i.event_id, i.person_id, p.display_name, p.archived_at IS NOT NULL, i.role, i.status,
       (SELECT e.address FROM email e WHERE e.person_id = i.person_id ORDER BY e.id LIMIT 1)
FROM invitation i JOIN person p ON p.id = i.person_id
WHERE {where}
ORDER BY i.event_id, CASE i.role WHEN 'host' THEN 0 WHEN 'speaker' THEN 1
         WHEN 'panelist' THEN 2 ELSE 3 END, p.display_name COLLATE NOCASE, i.person_id
"""


@dataclass(frozen=True)
class LeftOut:
    person_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class CalendarExport:
    path: Path
    events: int
    attendees: int
    zones: tuple[str, ...]


@dataclass(frozen=True)
class InvitationExport:
    path: Path
    event_id: int
    title: str
    method: str  # "REQUEST", or "CANCEL" for a cancelled event
    sequence: int
    attendees: int
    left_out: tuple[LeftOut, ...]
    marked: Marked = field(default_factory=lambda: Marked(0))  # "not sent" now "invited"


@dataclass(frozen=True)
class DraftsExport:
    folder: Path
    event_id: int
    title: str
    method: str
    files: tuple[Path, ...]
    left_out: tuple[LeftOut, ...]
    marked: Marked = field(default_factory=lambda: Marked(0))


def _naive_utc(moment: datetime | None) -> datetime:
    """What the database stores: naive UTC (a naive `moment` is taken as UTC)."""
    if moment is None:
        return datetime.now(UTC).replace(tzinfo=None)
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _event(row: Sequence[Any]) -> tuple[int, CalEvent]:
    return row[0], CalEvent(
        uid=row[1],
        sequence=row[2] or 0,
        title=row[3],
        status=row[4],
        starts_at=as_datetime(row[5]),  # type: ignore[arg-type]
        ends_at=as_datetime(row[6]),  # type: ignore[arg-type]
        time_zone=row[7] or "UTC",
        location=row[8] or "",
        online_url=row[9] or "",
        description=row[10] or "",
        created_at=as_datetime(row[11]),
        updated_at=as_datetime(row[12]),
    )


class CalendarService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- settings --------------------------------------------------------------------
    def organiser(self) -> CalPerson | None:
        """The community lead who sends invitations, or None while not set (the keys
        are the settings service's, which File → Settings… writes)."""
        with self.db.read() as s:
            rows = dict(
                s.connection()
                .exec_driver_sql(
                    "SELECT key, value FROM setting WHERE key IN (?, ?)",
                    (ORGANISER_NAME, ORGANISER_EMAIL),
                )
                .all()
            )
        email = (rows.get(ORGANISER_EMAIL) or "").strip()
        if not email:
            return None
        return CalPerson((rows.get(ORGANISER_NAME) or "").strip(), email)

    def _organiser(self, given: CalPerson | None) -> CalPerson:
        organiser = given or self.organiser()
        if organiser is None or "@" not in organiser.email:
            raise ServiceError(NO_ORGANISER)
        return organiser

    # ---- reading ---------------------------------------------------------------------
    def _events(self, s: Any, event_ids: Sequence[int] | None) -> list[tuple[int, CalEvent]]:
        sql = f"SELECT {_EVENT_COLUMNS} FROM event WHERE archived_at IS NULL"
        if event_ids is not None:
            ids = ",".join(str(int(i)) for i in event_ids) or "NULL"
            sql += f" AND id IN ({ids})"
        return [_event(r) for r in s.execute(text(sql + " ORDER BY starts_utc, id"))]

    def _invitees(
        self, s: Any, where: str, params: tuple[Any, ...] = ()
    ) -> tuple[dict[int, list[CalAttendee]], list[LeftOut], list[int]]:
        """The attendees of each event with an email; the rest, with the reason; the
        people the attendees are."""
        by_event: dict[int, list[CalAttendee]] = {}
        left_out: list[LeftOut] = []
        people: list[int] = []
        rows = s.connection().exec_driver_sql(_INVITEES.format(where=where), params)
        for event_id, person_id, name, trashed, role, status, email in rows:
            if trashed:
                left_out.append(LeftOut(person_id, name, "in the Trash"))
            elif not email or "@" not in email:
                left_out.append(LeftOut(person_id, name, "no email address"))
            else:
                by_event.setdefault(event_id, []).append(CalAttendee(name, email, role, status))
                people.append(person_id)
        return by_event, left_out, people

    def _one_event(self, s: Any, event_id: int) -> CalEvent:
        found = self._events(s, [event_id])
        if not found:
            raise NotFound(f"No event with id {event_id}")
        return found[0][1]

    # ---- exports ---------------------------------------------------------------------
    def export_calendar(
        self,
        path: str | Path,
        *,
        attendees: bool = False,
        event_ids: Sequence[int] | None = None,
        now: datetime | None = None,
    ) -> CalendarExport:
        """Every event (not in the Trash) as one calendar: METHOD:PUBLISH, for calendar
        apps to subscribe to or import. With `attendees`, each event lists its
        invitees (and there is no METHOD: a plain record, not a message)."""
        organiser = self.organiser()
        with self.db.read() as s:
            events = self._events(s, event_ids)
            invitees: dict[int, list[CalAttendee]] = {}
            if attendees:
                where = "i.event_id IN (SELECT id FROM event WHERE archived_at IS NULL)"
                if event_ids is not None:
                    where = "i.event_id IN ({})".format(
                        ",".join(str(int(i)) for i in event_ids) or "NULL"
                    )
                invitees, _, _ = self._invitees(s, where)
        items = [(ev, invitees.get(eid, ())) for eid, ev in events]
        try:
            body = calendar(
                items,  # type: ignore[arg-type]
                method=None if attendees else "PUBLISH",
                organiser=organiser,
                now=now,
            )
        except CalendarDataError as exc:
            raise ServiceError(f"The calendar cannot be written: {exc}") from None
        write_atomic(path, body)
        zones = sorted({ev.time_zone for _, ev in events})
        return CalendarExport(Path(path), len(events), sum(len(a) for _, a in items), tuple(zones))

    def _invitation_parts(
        self, event_id: int
    ) -> tuple[CalEvent, list[CalAttendee], list[LeftOut], str, list[int]]:
        with self.db.read() as s:
            ev = self._one_event(s, event_id)
            by_event, left_out, people = self._invitees(s, "i.event_id = ?", (event_id,))
        attendees = by_event.get(event_id, [])
        if not attendees:
            if left_out:
                raise ServiceError(
                    f"No one invited to “{ev.title}” has an email address; nothing was written"
                )
            raise ServiceError(f"Nobody is invited to “{ev.title}” yet; nothing was written")
        method = "CANCEL" if ev.status == "cancelled" else "REQUEST"
        return ev, attendees, left_out, method, people

    @contextmanager
    def _marking(
        self, event_id: int, people: list[int], mark: bool, now: datetime | None
    ) -> Iterator[list[Marked]]:
        """The transaction that marks the people's "not sent" invitations "invited"
        (when `mark`), around the export's last step: if that step fails, nothing is
        marked. Yields a list that holds the Marked afterwards."""
        out = [Marked(event_id)]
        if not mark:
            yield out
            return
        with self.db.session() as s:
            out[0] = mark_sent(s, event_id, people, _naive_utc(now))
            yield out
        if out[0]:
            self.notifier.emit("invitations", "events", ids=[event_id])

    def unmark_invited(self, marked: Marked) -> int:
        """Undo an export's marking: back to "not sent" unless answered since."""
        with self.db.session() as s:
            n = unmark(s, marked, _naive_utc(None))
        self.notifier.emit("invitations", "events", ids=[marked.event_id])
        return n

    def mark_invited_again(self, marked: Marked) -> int:
        """Redo an export's marking (those still "not sent")."""
        with self.db.session() as s:
            n = remark(s, marked, _naive_utc(None))
        self.notifier.emit("invitations", "events", ids=[marked.event_id])
        return n

    def export_invitations(
        self,
        event_id: int,
        path: str | Path,
        *,
        organiser: CalPerson | None = None,
        now: datetime | None = None,
        mark: bool = True,
    ) -> InvitationExport:
        """One event as an iTIP request to everyone invited (METHOD:REQUEST), or, once
        cancelled, its cancellation (METHOD:CANCEL). Invitees without an email address
        (or in the Trash) cannot receive it: they are left out and listed. With `mark`,
        the request's invitations still "not sent" become "invited" (see
        crm.services.calendar_marks)."""
        who = self._organiser(organiser)
        ev, attendees, left_out, method, people = self._invitation_parts(event_id)
        try:
            body = calendar([(ev, attendees)], method=method, organiser=who, now=now)
        except CalendarDataError as exc:
            raise ServiceError(f"“{ev.title}” cannot be written: {exc}") from None
        with self._marking(event_id, people, mark and method == "REQUEST", now) as marked:
            write_atomic(path, body)
        return InvitationExport(
            Path(path),
            event_id,
            ev.title,
            method,
            ev.sequence,
            len(attendees),
            tuple(left_out),
            marked[0],
        )

    def write_drafts(
        self,
        event_id: int,
        folder: str | Path,
        *,
        organiser: CalPerson | None = None,
        now: datetime | None = None,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        mark: bool = True,
    ) -> DraftsExport:
        """One .eml per invitee with an email: the invitation in words and as iTIP,
        ready to send. Each draft's calendar names only its own recipient, so no
        member's address goes to everyone. All the drafts or none: they are written
        into a hidden folder beside them and moved into place at the end, when (with
        `mark`) the invitations still "not sent" become "invited"."""
        from crm.services.io.eml_write import draft, file_stem

        who = self._organiser(organiser)
        target = Path(folder)
        if target.exists() and not target.is_dir():
            raise ServiceError(f"{target}: is a file, not a folder")
        if not target.parent.is_dir():
            raise ServiceError(f"{target}: folder {target.parent} does not exist")
        ev, attendees, left_out, method, people = self._invitation_parts(event_id)
        stamp = now or datetime.now(UTC)
        target.mkdir(exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".drafts-", dir=target))
        names: list[str] = []
        try:
            used: set[str] = set()
            for n, person in enumerate(attendees, 1):
                if cancelled is not None and cancelled():
                    raise ServiceError("Cancelled; no drafts were written")
                ics = calendar([(ev, [person])], method=method, organiser=who, now=stamp)
                stem = file_stem(person.name, person.email)
                name, k = f"{stem}.eml", 1
                while name in used:
                    k += 1
                    name = f"{stem}-{k}.eml"
                used.add(name)
                message = draft(ev, who, person, ics, cancel=method == "CANCEL", now=stamp)
                (work / name).write_bytes(message)
                names.append(name)
                if progress is not None:
                    progress(n, len(attendees))
            sending = mark and method == "REQUEST"
            with self._marking(event_id, people, sending, stamp) as marked:
                for name in names:
                    (work / name).replace(target / name)
        except CalendarDataError as exc:
            raise ServiceError(f"“{ev.title}” cannot be written: {exc}") from None
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return DraftsExport(
            target,
            event_id,
            ev.title,
            method,
            tuple(target / name for name in names),
            tuple(left_out),
            marked[0],
        )

    # ---- replies ---------------------------------------------------------------------
    def import_replies(
        self, paths: Sequence[str | Path], *, progress: ProgressFn | None = None
    ) -> ReplyReport:
        """Replies (METHOD:REPLY .ics files) set the RSVP of the invitations they answer.
        See crm.services.calendar_replies for the rules."""
        report = import_replies(self.db, paths, progress=progress)
        if report.applied:
            self.notifier.emit(
                "invitations", "events", ids=sorted({a.event_id for a in report.applied})
            )
        return report
