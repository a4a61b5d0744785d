"""An event's agenda (time slots with titles and speakers) and logistics checklist.

Agenda times are wall-clock times in the event's zone, like the event's own. A slot
may run outside the event's hours (a speakers' dinner the evening before), so only
its own start and end are checked against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from crm.models import AgendaItem, Event, LogisticsTask, Person, utcnow
from crm.services.common import ChangeNotifier, NotFound, ValidationError, as_date, as_datetime
from crm.services.database import Database


@dataclass(frozen=True)
class AgendaInput:
    starts_at: datetime
    ends_at: datetime
    title: str
    speaker_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class AgendaRow:
    id: int
    event_id: int
    starts_at: datetime
    ends_at: datetime
    title: str
    speaker_id: int | None
    speaker: str
    notes: str


@dataclass(frozen=True)
class TaskInput:
    task: str
    owner: str = ""
    due_on: date | None = None


@dataclass(frozen=True)
class TaskRow:
    id: int
    event_id: int
    task: str
    owner: str
    due_on: date | None
    done_at: datetime | None
    position: int

    @property
    def done(self) -> bool:
        return self.done_at is not None


class EventPlanService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- agenda ------------------------------------------------------------------
    def agenda(self, event_id: int) -> list[AgendaRow]:
        """The slots in time order. Plain SQL: read each time an event is opened."""
        with self.db.read() as s:
            return [
                AgendaRow(
                    r[0],
                    r[1],
                    as_datetime(r[2]) or datetime.min,
                    as_datetime(r[3]) or datetime.min,
                    r[4],
                    r[5],
                    r[6] or "",
                    r[7],
                )
                for r in s.execute(
                    text(
                        "SELECT a.id, a.event_id, a.starts_at, a.ends_at, a.title, a.speaker_id, "
                        "p.display_name, a.notes FROM agenda_item a LEFT JOIN person p "
                        "ON p.id = a.speaker_id WHERE a.event_id = :e ORDER BY a.starts_at, a.id"
                    ),
                    {"e": event_id},
                )
            ]

    def add_agenda_item(self, event_id: int, data: AgendaInput) -> int:
        with self.db.session() as s:
            _event(s, event_id)
            clean = _valid_slot(s, data)
            item = AgendaItem(event_id=event_id, **_slot_fields(clean))
            s.add(item)
            s.flush()
            iid = item.id
        self.notifier.emit("events", ids=[event_id])
        return iid

    def update_agenda_item(self, item_id: int, data: AgendaInput) -> None:
        with self.db.session() as s:
            item = s.get(AgendaItem, item_id)
            if item is None:
                raise NotFound(f"No agenda item with id {item_id}")
            clean = _valid_slot(s, data)
            for name, value in _slot_fields(clean).items():
                setattr(item, name, value)
            eid = item.event_id
        self.notifier.emit("events", ids=[eid])

    def delete_agenda_item(self, item_id: int) -> None:
        with self.db.session() as s:
            item = s.get(AgendaItem, item_id)
            if item is None:
                return
            eid = item.event_id
            s.delete(item)
        self.notifier.emit("events", ids=[eid])

    # ---- logistics -------------------------------------------------------------------
    def tasks(self, event_id: int) -> list[TaskRow]:
        with self.db.read() as s:
            return [
                TaskRow(r[0], r[1], r[2], r[3], as_date(r[4]), as_datetime(r[5]), r[6])
                for r in s.execute(
                    text(
                        "SELECT id, event_id, task, owner, due_on, done_at, position "
                        "FROM logistics_task WHERE event_id = :e ORDER BY position, id"
                    ),
                    {"e": event_id},
                )
            ]

    def add_task(self, event_id: int, data: TaskInput) -> int:
        with self.db.session() as s:
            _event(s, event_id)
            clean = _valid_task(data)
            last = s.scalar(
                select(func.max(LogisticsTask.position)).where(LogisticsTask.event_id == event_id)
            )
            t = LogisticsTask(
                event_id=event_id,
                task=clean.task,
                owner=clean.owner,
                due_on=clean.due_on,
                position=(last or 0) + 1,
            )
            s.add(t)
            s.flush()
            tid = t.id
        self.notifier.emit("events", ids=[event_id])
        return tid

    def update_task(self, task_id: int, data: TaskInput) -> None:
        with self.db.session() as s:
            t = _task(s, task_id)
            clean = _valid_task(data)
            t.task, t.owner, t.due_on = clean.task, clean.owner, clean.due_on
            eid = t.event_id
        self.notifier.emit("events", ids=[eid])

    def set_done(self, task_id: int, done: bool) -> None:
        with self.db.session() as s:
            t = _task(s, task_id)
            if done and t.done_at is None:
                t.done_at = utcnow()
            elif not done:
                t.done_at = None
            eid = t.event_id
        self.notifier.emit("events", ids=[eid])

    def delete_task(self, task_id: int) -> None:
        with self.db.session() as s:
            t = s.get(LogisticsTask, task_id)
            if t is None:
                return
            eid = t.event_id
            s.delete(t)
        self.notifier.emit("events", ids=[eid])

    def task_counts(self, event_id: int) -> tuple[int, int]:
        """(done, total) of an event's checklist."""
        with self.db.read() as s:
            done, total = s.execute(
                select(func.count(LogisticsTask.done_at), func.count()).where(
                    LogisticsTask.event_id == event_id
                )
            ).one()
        return int(done), int(total)


def _event(s: Session, event_id: int) -> Event:
    e = s.get(Event, event_id)
    if e is None:
        raise NotFound(f"No event with id {event_id}")
    return e


def _task(s: Session, task_id: int) -> LogisticsTask:
    t = s.get(LogisticsTask, task_id)
    if t is None:
        raise NotFound(f"No logistics task with id {task_id}")
    return t


def _valid_slot(s: Session, d: AgendaInput) -> AgendaInput:
    errors: dict[str, str] = {}
    title = " ".join(d.title.split())
    if not title:
        errors["title"] = "Give the slot a title."
    elif len(title) > 300:
        errors["title"] = "Keep the title under 300 characters."
    starts = d.starts_at.replace(tzinfo=None, second=0, microsecond=0)
    ends = d.ends_at.replace(tzinfo=None, second=0, microsecond=0)
    if ends <= starts:
        errors["ends_at"] = "A slot must end after it starts."
    if d.speaker_id is not None and s.get(Person, d.speaker_id) is None:
        errors["speaker"] = f"No person with id {d.speaker_id}"
    if errors:
        raise ValidationError(errors)
    return AgendaInput(starts, ends, title, d.speaker_id, d.notes.strip())


def _slot_fields(d: AgendaInput) -> dict[str, object]:
    return {
        "starts_at": d.starts_at,
        "ends_at": d.ends_at,
        "title": d.title,
        "speaker_id": d.speaker_id,
        "notes": d.notes,
    }


def _valid_task(d: TaskInput) -> TaskInput:
    errors: dict[str, str] = {}
    task = " ".join(d.task.split())
    if not task:
        errors["task"] = "Say what needs doing."
    elif len(task) > 300:
        errors["task"] = "Keep the task under 300 characters."
    owner = " ".join(d.owner.split())
    if len(owner) > 200:
        errors["owner"] = "Keep the owner under 200 characters."
    if errors:
        raise ValidationError(errors)
    return TaskInput(task, owner, d.due_on)
