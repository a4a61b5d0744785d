"""Department tasks: work handed to another department, for an advocacy note or an event.

A task is overdue when its due date has passed and it is not done. Deleting tasks
returns their rows so that `restore` can put them back (the page's Ctrl+Z).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import delete, insert, select, text

from crm.models import (
    DEPARTMENTS,
    TASK_STATUSES,
    AdvocacyNote,
    DepartmentTask,
    Event,
    utcnow,
)
from crm.services.advocacy import like, read_ids, read_rows
from crm.services.common import ChangeNotifier, NotFound, ValidationError, as_date, chunks
from crm.services.database import Database


@dataclass(frozen=True)
class TaskInput:
    title: str
    department: str = "product"
    owner_name: str = ""
    due_on: date | None = None
    status: str = "open"
    note_id: int | None = None
    event_id: int | None = None
    details: str = ""


@dataclass(frozen=True)
class TaskRow:
    id: int
    title: str
    department: str
    owner_name: str
    due_on: date | None
    status: str
    note_id: int | None
    note_title: str
    event_id: int | None
    event_title: str
    overdue: bool


@dataclass(frozen=True)
class TaskDetail:
    row: TaskRow
    details: str
    created_at: datetime
    done_at: datetime | None

    def to_input(self) -> TaskInput:
        r = self.row
        return TaskInput(
            r.title, r.department, r.owner_name, r.due_on, r.status, r.note_id, r.event_id,
            self.details,
        )  # fmt: skip


@dataclass(frozen=True)
class EventChoice:
    id: int
    title: str
    starts_at: datetime


_OVERDUE = "(t.due_on IS NOT NULL AND t.due_on < :today AND t.status != 'done')"
_STATUS_ORDER = "CASE t.status " + " ".join(
    f"WHEN '{s}' THEN {i}" for i, s in enumerate(TASK_STATUSES)
)
_SORTS = {
    "title": "t.title COLLATE NOCASE",
    "department": "t.department",
    "owner": "nullif(t.owner_name, '') COLLATE NOCASE",
    "due": "t.due_on",
    "status": _STATUS_ORDER + " END",
    "link": "coalesce(n.title, e.title) COLLATE NOCASE",
}
_SELECT = (
    "SELECT t.id, t.title, t.department, t.owner_name, t.due_on, t.status, t.note_id, "
    f"coalesce(n.title, ''), t.event_id, coalesce(e.title, ''), {_OVERDUE} "
    "FROM department_task t LEFT JOIN advocacy_note n ON n.id = t.note_id "
    "LEFT JOIN event e ON e.id = t.event_id "
)


def _row(r: Sequence[object]) -> TaskRow:
    return TaskRow(
        int(r[0]),  # type: ignore[call-overload]
        str(r[1]),
        str(r[2]),
        str(r[3]),
        as_date(r[4]),
        str(r[5]),
        r[6],  # type: ignore[arg-type]
        str(r[7]),
        r[8],  # type: ignore[arg-type]
        str(r[9]),
        bool(r[10]),
    )


class DeptTaskService:
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
        overdue_only: bool = False,
        sort: str = "due",
        descending: bool = False,
    ) -> list[int]:
        where, params = ["1"], {"today": date.today().isoformat()}
        if text_query.strip():
            where.append(
                "(t.title LIKE :q ESCAPE '\\' OR t.owner_name LIKE :q ESCAPE '\\' "
                "OR n.title LIKE :q ESCAPE '\\' OR e.title LIKE :q ESCAPE '\\')"
            )
            params["q"] = like(text_query.strip())
        if status:
            where.append("t.status = :status")
            params["status"] = status
        if department:
            where.append("t.department = :dept")
            params["dept"] = department
        if overdue_only:
            where.append(_OVERDUE)
        expr = _SORTS.get(sort, _SORTS["due"])
        d = "DESC" if descending else "ASC"
        sql = (
            "SELECT t.id FROM department_task t LEFT JOIN advocacy_note n ON n.id = t.note_id "
            f"LEFT JOIN event e ON e.id = t.event_id WHERE {' AND '.join(where)} "
            f"ORDER BY ({expr}) IS NULL, {expr} {d}, t.id {d}"
        )
        return read_ids(self.db, sql, params)

    def rows(self, ids: Sequence[int]) -> list[TaskRow]:
        out: list[TaskRow] = []
        today = {"today": date.today().isoformat()}
        for part in chunks(list(ids)):
            marks = ",".join(str(int(i)) for i in part)
            out.extend(
                _row(r) for r in read_rows(self.db, _SELECT + f"WHERE t.id IN ({marks})", today)
            )
        return out

    def get(self, task_id: int) -> TaskDetail:
        rows = self.rows([task_id])
        if not rows:
            raise NotFound(f"No task with id {task_id}")
        with self.db.read() as s:
            t = s.get(DepartmentTask, task_id)
            assert t is not None
            return TaskDetail(rows[0], t.details, t.created_at, t.done_at)

    def count(self) -> int:
        return int(read_rows(self.db, "SELECT count(*) FROM department_task")[0][0])

    def count_overdue(self) -> int:
        with self.db.read() as s:
            sql = f"SELECT count(*) FROM department_task t WHERE {_OVERDUE}"
            return int(s.execute(text(sql), {"today": date.today().isoformat()}).scalar_one())

    def event_choices(self, text_query: str = "", limit: int = 30) -> list[EventChoice]:
        """Events whose title matches: the coming ones, soonest first, then the past."""
        now = utcnow()
        with self.db.read() as s:
            q = select(Event.id, Event.title, Event.starts_at)
            if text_query.strip():
                q = q.where(Event.title.like(like(text_query.strip()), escape="\\"))
            coming = q.where(Event.starts_utc >= now).order_by(Event.starts_utc).limit(limit)
            past = q.where(Event.starts_utc < now).order_by(Event.starts_utc.desc()).limit(limit)
            rows = [EventChoice(*r) for r in s.execute(coming)]
            rows += [EventChoice(*r) for r in s.execute(past)]
        return rows[:limit]

    # ---- writes ----------------------------------------------------------------
    def create(self, data: TaskInput) -> int:
        with self.db.session() as s:
            clean = self._validate(s, data)
            t = DepartmentTask()
            _apply(t, clean)
            s.add(t)
            s.flush()
            tid = t.id
        self.notifier.emit("tasks", "advocacy", ids=[tid])
        return tid

    def update(self, task_id: int, data: TaskInput) -> None:
        with self.db.session() as s:
            t = s.get(DepartmentTask, task_id)
            if t is None:
                raise NotFound(f"No task with id {task_id}")
            _apply(t, self._validate(s, data))
        self.notifier.emit("tasks", "advocacy", ids=[task_id])

    def set_status(self, task_id: int, status: str) -> None:
        if status not in TASK_STATUSES:
            raise ValidationError({"status": f"Unknown status: {status}"})
        with self.db.session() as s:
            t = s.get(DepartmentTask, task_id)
            if t is None:
                raise NotFound(f"No task with id {task_id}")
            t.status = status
            t.done_at = (t.done_at or utcnow()) if status == "done" else None
        self.notifier.emit("tasks", "advocacy", ids=[task_id])

    def delete(self, ids: Sequence[int]) -> tuple[dict[str, object], ...]:
        """Delete tasks; returns their rows for restore()."""
        ids = list(dict.fromkeys(int(i) for i in ids))
        table = DepartmentTask.__table__
        with self.db.session() as s:
            conn = s.connection()
            snap = tuple(
                dict(r._mapping) for r in conn.execute(select(table).where(table.c.id.in_(ids)))
            )
            s.execute(delete(DepartmentTask).where(DepartmentTask.id.in_(ids)))
        self.notifier.emit("tasks", "advocacy", ids=ids)
        return snap

    def restore(self, rows: Sequence[dict[str, object]]) -> None:
        """Put deleted tasks back; a link to a note or event gone meanwhile is dropped."""
        with self.db.session() as s:
            notes = set(s.scalars(select(AdvocacyNote.id)))
            events = set(s.scalars(select(Event.id)))
            fixed = [
                {
                    **r,
                    "note_id": r["note_id"] if r["note_id"] in notes else None,
                    "event_id": r["event_id"] if r["event_id"] in events else None,
                }
                for r in rows
            ]
            if fixed:
                s.execute(insert(DepartmentTask.__table__), fixed)
        self.notifier.emit("tasks", "advocacy", ids=[int(r["id"]) for r in rows])  # type: ignore[call-overload]

    @staticmethod
    def _validate(s, d: TaskInput) -> TaskInput:  # type: ignore[no-untyped-def]
        errors: dict[str, str] = {}
        title = " ".join(d.title.split())
        if not title:
            errors["title"] = "A task needs a title."
        elif len(title) > 300:
            errors["title"] = "The title is too long (300 characters at most)."
        if d.department not in DEPARTMENTS:
            errors["department"] = f"Unknown department: {d.department}"
        if d.status not in TASK_STATUSES:
            errors["status"] = f"Unknown status: {d.status}"
        owner = " ".join(d.owner_name.split())
        if len(owner) > 200:
            errors["owner_name"] = "The owner's name is too long (200 characters at most)."
        if d.note_id is not None and s.get(AdvocacyNote, d.note_id) is None:
            errors["note_id"] = f"No advocacy note with id {d.note_id}"
        if d.event_id is not None and s.get(Event, d.event_id) is None:
            errors["event_id"] = f"No event with id {d.event_id}"
        if errors:
            raise ValidationError(errors)
        return replace(d, title=title, owner_name=owner, details=d.details.strip())


def _apply(t: DepartmentTask, d: TaskInput) -> None:
    t.title, t.department, t.owner_name, t.due_on = d.title, d.department, d.owner_name, d.due_on
    t.note_id, t.event_id, t.details = d.note_id, d.event_id, d.details
    if d.status == "done" and t.status != "done":
        t.done_at = utcnow()
    elif d.status != "done":
        t.done_at = None
    t.status = d.status
