"""Advocacy notes: what members voice, carried to a department, and what came of it.

A note's weight is the number of members linked to it (see _VOICES). Its status moves
open → shared → acknowledged → planned → shipped, or declined; every move is kept as a
dated step, so the detail can show when each happened. Deleting notes returns a
snapshot that `restore` puts back as it was (the page's Ctrl+Z).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, select, text, update

from crm.models import (
    ADVOCACY_KINDS,
    ADVOCACY_STATUSES,
    DEPARTMENTS,
    AdvocacyNote,
    AdvocacyStep,
    AdvocacyVoice,
    DepartmentTask,
    Person,
    utcnow,
)
from crm.services.common import ChangeNotifier, NotFound, ValidationError, as_datetime, chunks
from crm.services.database import Database

CLOSED = ("shipped", "declined")  # a note in these is no longer a request to carry
_HOST = re.compile(r"[A-Za-z0-9][A-Za-z0-9.:-]*")  # a host name, IPv4 or IPv6 address


@dataclass(frozen=True)
class NoteInput:
    title: str
    kind: str = "request"
    details: str = ""
    department: str = "product"
    ticket_url: str = ""
    outcome: str = ""


@dataclass(frozen=True)
class NoteRow:
    id: int
    title: str
    kind: str
    department: str
    status: str
    voices: int
    ticket_url: str
    updated_at: datetime


@dataclass(frozen=True)
class StepData:
    status: str
    on: date


@dataclass(frozen=True)
class VoiceData:
    person_id: int
    name: str
    added_on: date | None
    in_trash: bool = False


@dataclass(frozen=True)
class TaskBrief:
    id: int
    title: str
    status: str
    due_on: date | None


@dataclass(frozen=True)
class NoteDetail:
    id: int
    title: str
    kind: str
    details: str
    department: str
    status: str
    ticket_url: str
    outcome: str
    created_at: datetime
    updated_at: datetime
    steps: tuple[StepData, ...]
    voices: tuple[VoiceData, ...]
    tasks: tuple[TaskBrief, ...]

    def to_input(self) -> NoteInput:
        return NoteInput(
            self.title, self.kind, self.details, self.department, self.ticket_url, self.outcome
        )


@dataclass(frozen=True)
class TopRequest:
    id: int
    title: str
    department: str
    status: str
    voices: int


@dataclass(frozen=True)
class PersonNote:
    id: int
    title: str
    status: str
    voices: int


@dataclass(frozen=True)
class DeletedNotes:
    """Everything a delete took, to put back on undo."""

    notes: tuple[dict[str, object], ...]
    steps: tuple[dict[str, object], ...]
    voices: tuple[dict[str, object], ...]
    task_links: tuple[tuple[int, int], ...]  # (task id, note id) that were unlinked

    @property
    def ids(self) -> list[int]:
        return [int(n["id"]) for n in self.notes]  # type: ignore[call-overload]


def read_rows(db: Database, sql: str, params: dict[str, object] | None = None) -> list[tuple]:  # type: ignore[type-arg]
    """Rows of a plain-SQL query, read without the ORM's per-row work.

    A table view asks for every id of its filter and sort (5,000 notes) and then a
    page of rows; through a Session each row costs ~10 µs of SQLAlchemy and each
    query a session set-up, on a bare sqlite3 cursor ~1 µs. Dates come back as text
    (the callers parse them with as_date / as_datetime either way).
    """
    with db.plain_read() as con:
        if isinstance(con, sqlite3.Connection):
            return con.execute(sql, params or {}).fetchall()
        return [tuple(r) for r in con.execute(text(sql), params or {})]


def read_ids(db: Database, sql: str, params: dict[str, object]) -> list[int]:
    return [r[0] for r in read_rows(db, sql, params)]


def like(text_query: str) -> str:
    """A LIKE pattern matching the text anywhere, with % and _ taken literally."""
    esc = text_query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def http_url(value: str) -> tuple[str, str | None]:
    """(clean url, None) or (value, message): only http(s) links with a host are kept."""
    url = value.strip()
    if not url:
        return "", None
    if "://" not in url:
        url = "https://" + url
    message = "The ticket link must be an http:// or https:// address."
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 -- raises for "javascript:alert(1)" read as host:port
    except ValueError:
        return value, message
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not _HOST.fullmatch(host) or " " in url:
        return value, message
    return url, None


# A note's weight counts every linked member, those in the Trash too (until deleted for
# good): telling them apart costs a person-row read per link, 20x the count itself at
# 50,000 links, and the detail marks who is in the Trash.
_VOICES = "(SELECT count(*) FROM advocacy_voice v WHERE v.note_id = n.id)"
_STATUS_ORDER = "CASE n.status " + " ".join(
    f"WHEN '{s}' THEN {i}" for i, s in enumerate(ADVOCACY_STATUSES)
)
_SORTS = {
    "title": "n.title COLLATE NOCASE",
    "kind": "n.kind",
    "department": "n.department",
    "status": _STATUS_ORDER + " END",
    "voices": _VOICES,
    "updated": "n.updated_at",
    "created": "n.created_at",
}


class AdvocacyService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- reads -----------------------------------------------------------------
    def query_ids(
        self,
        text_query: str = "",
        *,
        status: str | None = None,
        department: str | None = None,
        kind: str | None = None,
        open_only: bool = False,
        sort: str = "updated",
        descending: bool = False,
    ) -> list[int]:
        """Note ids matching the filters, sorted in the database (open_only: not closed)."""
        where, params = ["1"], {}
        if text_query.strip():
            where.append("(n.title LIKE :q ESCAPE '\\' OR n.details LIKE :q ESCAPE '\\')")
            params["q"] = like(text_query.strip())
        for col, value in (("status", status), ("department", department), ("kind", kind)):
            if value:
                where.append(f"n.{col} = :{col}")
                params[col] = value
        if open_only:
            where.append("n.status NOT IN ('shipped', 'declined')")
        expr = _SORTS.get(sort, _SORTS["updated"])
        source = "advocacy_note n"
        if sort == "voices":  # one pass over the voice index instead of a count per note
            source += (
                " LEFT JOIN (SELECT note_id, count(*) AS c FROM advocacy_voice "
                "GROUP BY note_id) w ON w.note_id = n.id"
            )
            expr = "coalesce(w.c, 0)"
        d = "DESC" if descending else "ASC"
        sql = f"SELECT n.id FROM {source} WHERE {' AND '.join(where)} ORDER BY {expr} {d}, n.id {d}"
        return read_ids(self.db, sql, params)

    def rows(self, ids: Sequence[int]) -> list[NoteRow]:
        out: list[NoteRow] = []
        for part in chunks(list(ids)):
            marks = ",".join(str(int(i)) for i in part)
            sql = (
                "SELECT n.id, n.title, n.kind, n.department, n.status, "
                f"{_VOICES}, n.ticket_url, n.updated_at FROM advocacy_note n "
                f"WHERE n.id IN ({marks})"
            )
            for r in read_rows(self.db, sql):
                out.append(NoteRow(*r[:7], as_datetime(r[7])))  # type: ignore[arg-type]
        return out

    def count(self) -> int:
        return int(read_rows(self.db, "SELECT count(*) FROM advocacy_note")[0][0])

    def top_requests(self, limit: int = 20, department: str | None = None) -> list[TopRequest]:
        """Open notes (not shipped or declined) with the most members behind them."""
        dept = "AND n.department = :dept " if department else ""
        # Counted off the voice table's primary-key index, then joined to the notes.
        sql = (
            "SELECT n.id, n.title, n.department, n.status, w.c FROM (SELECT note_id, "
            "count(*) AS c FROM advocacy_voice GROUP BY note_id) w "
            "JOIN advocacy_note n ON n.id = w.note_id "
            f"WHERE n.status NOT IN ('shipped', 'declined') {dept}"
            "ORDER BY w.c DESC, n.id LIMIT :limit"
        )
        with self.db.read() as s:
            return [
                TopRequest(*r)
                for r in s.execute(text(sql), {"limit": int(limit), "dept": department})
            ]

    def get(self, note_id: int) -> NoteDetail:
        with self.db.read() as s:
            n = s.get(AdvocacyNote, note_id)
            if n is None:
                raise NotFound(f"No advocacy note with id {note_id}")
            steps = tuple(
                StepData(st, on)
                for st, on in s.execute(
                    select(AdvocacyStep.status, AdvocacyStep.on)
                    .where(AdvocacyStep.note_id == note_id)
                    .order_by(AdvocacyStep.on, AdvocacyStep.id)
                )
            )
            voices = tuple(
                VoiceData(pid, name, on, archived is not None)
                for pid, name, on, archived in s.execute(
                    select(
                        Person.id, Person.display_name, AdvocacyVoice.added_on, Person.archived_at
                    )
                    .join(AdvocacyVoice, AdvocacyVoice.person_id == Person.id)
                    .where(AdvocacyVoice.note_id == note_id)
                    .order_by(Person.display_name, Person.id)
                )
            )
            tasks = tuple(
                TaskBrief(*r)
                for r in s.execute(
                    select(
                        DepartmentTask.id,
                        DepartmentTask.title,
                        DepartmentTask.status,
                        DepartmentTask.due_on,
                    )
                    .where(DepartmentTask.note_id == note_id)
                    .order_by(DepartmentTask.due_on.is_(None), DepartmentTask.due_on)
                )
            )
            return NoteDetail(
                n.id,
                n.title,
                n.kind,
                n.details,
                n.department,
                n.status,
                n.ticket_url,
                n.outcome,
                n.created_at,
                n.updated_at,
                steps,
                voices,
                tasks,
            )

    def for_person(self, person_id: int) -> list[PersonNote]:
        """The notes this person is behind, newest first (for their detail)."""
        sql = (
            f"SELECT n.id, n.title, n.status, {_VOICES} FROM advocacy_note n "
            "JOIN advocacy_voice me ON me.note_id = n.id AND me.person_id = :pid "
            "ORDER BY n.updated_at DESC, n.id DESC"
        )
        with self.db.read() as s:
            return [PersonNote(*r) for r in s.execute(text(sql), {"pid": person_id})]

    def choices(self, text_query: str = "", limit: int = 30) -> list[tuple[int, str]]:
        """(id, title) of notes whose title matches, newest first: for pickers."""
        with self.db.read() as s:
            q = select(AdvocacyNote.id, AdvocacyNote.title)
            if text_query.strip():
                q = q.where(AdvocacyNote.title.like(like(text_query.strip()), escape="\\"))
            q = q.order_by(AdvocacyNote.updated_at.desc(), AdvocacyNote.id.desc()).limit(limit)
            return [(i, t) for i, t in s.execute(q)]

    # ---- writes ----------------------------------------------------------------
    def create(self, data: NoteInput, on: date | None = None) -> int:
        clean = self._validate(data)
        with self.db.session() as s:
            n = AdvocacyNote(status="open")
            _apply(n, clean)
            s.add(n)
            s.flush()
            s.add(AdvocacyStep(note_id=n.id, status="open", on=on or date.today()))
            nid = n.id
        self.notifier.emit("advocacy", ids=[nid])
        return nid

    def update(self, note_id: int, data: NoteInput) -> None:
        clean = self._validate(data)
        with self.db.session() as s:
            n = s.get(AdvocacyNote, note_id)
            if n is None:
                raise NotFound(f"No advocacy note with id {note_id}")
            _apply(n, clean)
        self.notifier.emit("advocacy", ids=[note_id])

    def set_status(self, note_id: int, status: str, on: date | None = None) -> None:
        """Move the note to status on that day (today by default), recording the step."""
        on = on or date.today()
        if status not in ADVOCACY_STATUSES:
            raise ValidationError({"status": f"Unknown status: {status}"})
        if on > date.today():
            raise ValidationError({"on": "A step cannot be dated in the future."})
        with self.db.session() as s:
            n = s.get(AdvocacyNote, note_id)
            if n is None:
                raise NotFound(f"No advocacy note with id {note_id}")
            if n.status == status:
                raise ValidationError({"status": f"The note is already {status}."})
            last = s.scalar(
                select(AdvocacyStep.on)
                .where(AdvocacyStep.note_id == note_id)
                .order_by(AdvocacyStep.on.desc())
                .limit(1)
            )
            if last is not None and on < last:
                raise ValidationError(
                    {"on": f"The last step was on {last:%d %b %Y}; a new one cannot be earlier."}
                )
            n.status = status
            n.updated_at = utcnow()
            s.add(AdvocacyStep(note_id=note_id, status=status, on=on))
        self.notifier.emit("advocacy", ids=[note_id])

    def add_voices(self, note_id: int, person_ids: Sequence[int], on: date | None = None) -> int:
        """Link people to the note (those already behind it stay as they were)."""
        wanted = list(dict.fromkeys(int(p) for p in person_ids))
        with self.db.session() as s:
            if s.get(AdvocacyNote, note_id) is None:
                raise NotFound(f"No advocacy note with id {note_id}")
            found: set[int] = set()
            have: set[int] = set()
            for part in chunks(wanted):
                found.update(s.scalars(select(Person.id).where(Person.id.in_(part))))
                have.update(
                    s.scalars(
                        select(AdvocacyVoice.person_id).where(
                            AdvocacyVoice.note_id == note_id, AdvocacyVoice.person_id.in_(part)
                        )
                    )
                )
            if missing := [p for p in wanted if p not in found]:
                raise NotFound(f"No person with id {missing[0]}")
            new = [p for p in wanted if p not in have]
            for pid in new:
                s.add(AdvocacyVoice(note_id=note_id, person_id=pid, added_on=on or date.today()))
            if new:
                s.execute(
                    update(AdvocacyNote)
                    .where(AdvocacyNote.id == note_id)
                    .values(updated_at=utcnow())
                )
        self.notifier.emit("advocacy", "people", ids=[note_id, *new])
        return len(new)

    def remove_voices(self, note_id: int, person_ids: Sequence[int]) -> int:
        with self.db.session() as s:
            res = s.execute(
                delete(AdvocacyVoice).where(
                    AdvocacyVoice.note_id == note_id,
                    AdvocacyVoice.person_id.in_(list(person_ids)),
                )
            )
            n = res.rowcount or 0  # type: ignore[attr-defined]
        self.notifier.emit("advocacy", "people", ids=[note_id, *person_ids])
        return n

    def what_goes(self, ids: Sequence[int]) -> tuple[int, int, int]:
        """(voices, steps, tasks) a delete of these notes would remove or unlink."""
        marks = ",".join(str(int(i)) for i in ids) or "NULL"
        with self.db.read() as s:
            return tuple(  # type: ignore[return-value]
                int(
                    s.execute(
                        text(f"SELECT count(*) FROM {t} WHERE note_id IN ({marks})")
                    ).scalar_one()
                )
                for t in ("advocacy_voice", "advocacy_step", "department_task")
            )

    def delete(self, ids: Sequence[int]) -> DeletedNotes:
        """Delete notes with their voices and steps; their tasks stay, unlinked."""
        ids = list(dict.fromkeys(int(i) for i in ids))
        with self.db.session() as s:
            conn = s.connection()

            def rows(table: str, col: str) -> tuple[dict[str, object], ...]:
                t = AdvocacyNote.metadata.tables[table]
                return tuple(
                    dict(r._mapping) for r in conn.execute(select(t).where(t.c[col].in_(ids)))
                )

            snap = DeletedNotes(
                rows("advocacy_note", "id"),
                rows("advocacy_step", "note_id"),
                rows("advocacy_voice", "note_id"),
                tuple(
                    (t, n)
                    for t, n in s.execute(
                        select(DepartmentTask.id, DepartmentTask.note_id).where(
                            DepartmentTask.note_id.in_(ids)
                        )
                    )
                ),
            )
            s.execute(
                update(DepartmentTask).where(DepartmentTask.note_id.in_(ids)).values(note_id=None)
            )
            s.execute(delete(AdvocacyVoice).where(AdvocacyVoice.note_id.in_(ids)))
            s.execute(delete(AdvocacyStep).where(AdvocacyStep.note_id.in_(ids)))
            s.execute(delete(AdvocacyNote).where(AdvocacyNote.id.in_(ids)))
        self.notifier.emit("advocacy", "tasks", "people", ids=ids)
        return snap

    def restore(self, snap: DeletedNotes) -> None:
        """Put deleted notes back with their steps, voices and task links (undo).

        Voices of people deleted for good meanwhile are left out.
        """
        tables = AdvocacyNote.metadata.tables
        with self.db.session() as s:
            if snap.notes:
                s.execute(insert(tables["advocacy_note"]), list(snap.notes))
            if snap.steps:
                s.execute(insert(tables["advocacy_step"]), list(snap.steps))
            people = {int(v["person_id"]) for v in snap.voices}  # type: ignore[call-overload]
            alive: set[int] = set()
            for part in chunks(sorted(people)):
                alive.update(s.scalars(select(Person.id).where(Person.id.in_(part))))
            voices = [v for v in snap.voices if v["person_id"] in alive]
            if voices:
                s.execute(insert(tables["advocacy_voice"]), voices)
            for task_id, note_id in snap.task_links:
                s.execute(
                    update(DepartmentTask)
                    .where(DepartmentTask.id == task_id, DepartmentTask.note_id.is_(None))
                    .values(note_id=note_id)
                )
        self.notifier.emit("advocacy", "tasks", "people", ids=snap.ids)

    @staticmethod
    def _validate(d: NoteInput) -> NoteInput:
        errors: dict[str, str] = {}
        title = " ".join(d.title.split())
        if not title:
            errors["title"] = "A note needs a title."
        elif len(title) > 300:
            errors["title"] = "The title is too long (300 characters at most)."
        if d.kind not in ADVOCACY_KINDS:
            errors["kind"] = f"Unknown kind: {d.kind}"
        if d.department not in DEPARTMENTS:
            errors["department"] = f"Unknown department: {d.department}"
        url, err = http_url(d.ticket_url)
        if err:
            errors["ticket_url"] = err
        elif len(url) > 500:
            errors["ticket_url"] = "The ticket link is too long (500 characters at most)."
        if errors:
            raise ValidationError(errors)
        return replace(
            d, title=title, ticket_url=url, details=d.details.strip(), outcome=d.outcome.strip()
        )


def _apply(n: AdvocacyNote, d: NoteInput) -> None:
    n.title, n.kind, n.details, n.department = d.title, d.kind, d.details, d.department
    n.ticket_url, n.outcome = d.ticket_url, d.outcome
    n.updated_at = utcnow()
