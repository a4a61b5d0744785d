"""Goals: a metric, a baseline, a target, a start and a deadline; progress measured live.

Progress is computed each time a goal is read (crm.services.goals_progress), never
stored, so it always agrees with the data. Goals that share a metric and a period are
measured once per read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime

from sqlalchemy import text

from crm.models import AuditEntry, utcnow
from crm.models.goals import GOAL_METRICS, Goal
from crm.services.common import ChangeNotifier, NotFound, ValidationError, as_date, chunks
from crm.services.database import Database
from crm.services.goals_progress import Measure, Progress, measure, measure_key, progress

EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)


@dataclass(frozen=True)
class GoalInput:
    title: str
    metric: str
    baseline: float
    target: float
    starts_on: date
    deadline: date
    notes: str = ""


@dataclass(frozen=True)
class GoalInfo:
    """A goal as written, without its progress (cheap: no metric is measured)."""

    id: int
    title: str
    metric: str
    baseline: float
    target: float
    starts_on: date
    deadline: date
    notes: str

    def to_input(self) -> GoalInput:
        return GoalInput(
            self.title,
            self.metric,
            self.baseline,
            self.target,
            self.starts_on,
            self.deadline,
            self.notes,
        )


@dataclass(frozen=True)
class GoalRow(GoalInfo):
    """A goal with its progress, measured when it was read."""

    progress: Progress


@dataclass(frozen=True)
class DeletedGoal:
    id: int
    data: GoalInput
    created_at: datetime


_SORTS = {
    "title": "title COLLATE NOCASE",
    "metric": "metric",
    "baseline": "baseline",
    "target": "target",
    "starts_on": "starts_on",
    "deadline": "deadline",
}
WHEN = ("all", "current", "upcoming", "past")
_INFO_FIELDS = tuple(f.name for f in fields(GoalInfo))


def check(d: GoalInput) -> tuple[GoalInput, dict[str, str]]:
    errors: dict[str, str] = {}
    title = " ".join(d.title.split())
    if not title:
        errors["title"] = "A goal needs a title."
    elif len(title) > 300:
        errors["title"] = "The title is longer than 300 characters."
    if d.metric not in GOAL_METRICS:
        errors["metric"] = f"Unknown metric: {d.metric}"
    low, high = (-100.0, 100.0) if d.metric == "average NPS" else (0.0, 1e12)
    for key, value in (("baseline", d.baseline), ("target", d.target)):
        if not isinstance(value, int | float) or not math.isfinite(value):
            errors[key] = "Enter a number."
        elif not low <= value <= high:
            errors[key] = (
                "An NPS lies between -100 and 100."
                if d.metric == "average NPS"
                else "Enter a number of 0 or more."
            )
    for key, day in (("starts_on", d.starts_on), ("deadline", d.deadline)):
        if not isinstance(day, date) or not EARLIEST <= day <= LATEST:
            errors[key] = f"Pick a date between {EARLIEST.year} and {LATEST.year}."
    if "starts_on" not in errors and "deadline" not in errors and d.deadline <= d.starts_on:
        errors["deadline"] = "The deadline must come after the start."
    clean = replace(d, title=title, notes=d.notes.strip())
    if not errors:
        clean = replace(clean, baseline=float(d.baseline), target=float(d.target))
    return clean, errors


class GoalService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- reads -----------------------------------------------------------------
    def query_ids(
        self,
        text_query: str = "",
        *,
        metric: str | None = None,
        when: str = "all",
        sort: str = "deadline",
        descending: bool = False,
        today: date | None = None,
    ) -> list[int]:
        """Goals matching a text, a metric and when they run (current, upcoming, past)."""
        where, params = ["1 = 1"], {"today": (today or date.today()).isoformat()}
        for i, word in enumerate(text_query.split()):
            where.append(f"(title LIKE :w{i} OR notes LIKE :w{i} OR metric LIKE :w{i})")
            params[f"w{i}"] = f"%{word}%"
        if metric:
            where.append("metric = :metric")
            params["metric"] = metric
        if when == "current":
            where.append("starts_on <= :today AND deadline >= :today")
        elif when == "upcoming":
            where.append("starts_on > :today")
        elif when == "past":
            where.append("deadline < :today")
        expr, d = _SORTS[sort], "DESC" if descending else "ASC"
        sql = f"SELECT id FROM goal WHERE {' AND '.join(where)} ORDER BY {expr} {d}, id {d}"
        with self.db.read() as s:
            return [r[0] for r in s.execute(text(sql), params)]

    def infos(self, ids: Sequence[int]) -> list[GoalInfo]:
        """Goals as written, in the order of ids (missing ids left out); nothing measured."""
        found: dict[int, GoalInfo] = {}
        with self.db.read() as s:
            for part in chunks(list(ids)):
                marks = ",".join(str(int(i)) for i in part)
                for r in s.execute(
                    text(
                        "SELECT id, title, metric, baseline, target, starts_on, deadline, notes "
                        f"FROM goal WHERE id IN ({marks})"
                    )
                ):
                    start, deadline = as_date(r[5]), as_date(r[6])
                    assert start is not None and deadline is not None
                    found[r[0]] = GoalInfo(r[0], r[1], r[2], r[3], r[4], start, deadline, r[7])
        return [found[i] for i in ids if i in found]

    def info(self, goal_id: int) -> GoalInfo:
        found = self.infos([goal_id])
        if not found:
            raise NotFound(f"No goal with id {goal_id}")
        return found[0]

    def measure(
        self,
        goals: Sequence[GoalInfo],
        *,
        now: datetime | None = None,
        today: date | None = None,
    ) -> dict[int, Progress]:
        """Each goal's progress (now: naive UTC; today: the local date), in one read.

        Goals sharing a measurement (see measure_key) are measured once. This is the
        slow part of a goal (up to tens of milliseconds a metric at 100,000 people),
        so the Goals page calls it on a task, a group of goals at a time.
        """
        now = now or utcnow()
        today = today or date.today()
        measured: dict[tuple[str, date | None, date | None], Measure] = {}
        out: dict[int, Progress] = {}
        with self.db.read() as s:
            for g in goals:
                key = measure_key(g.metric, g.starts_on, g.deadline)
                if key not in measured:
                    measured[key] = measure(s, g.metric, g.starts_on, g.deadline, now)
                out[g.id] = progress(
                    g.metric, g.baseline, g.target, g.starts_on, g.deadline, measured[key], today
                )
        return out

    def rows(
        self, ids: Sequence[int], *, now: datetime | None = None, today: date | None = None
    ) -> list[GoalRow]:
        """Goals with their progress, measured now (naive UTC; today: the local date)."""
        infos = self.infos(ids)
        got = self.measure(infos, now=now, today=today)
        return [
            GoalRow(**{f: getattr(g, f) for f in _INFO_FIELDS}, progress=got[g.id]) for g in infos
        ]

    def get(
        self, goal_id: int, *, now: datetime | None = None, today: date | None = None
    ) -> GoalRow:
        rows = self.rows([goal_id], now=now, today=today)
        if not rows:
            raise NotFound(f"No goal with id {goal_id}")
        return rows[0]

    def count(self) -> int:
        with self.db.read() as s:
            return int(s.execute(text("SELECT count(*) FROM goal")).scalar_one())

    # ---- writes ----------------------------------------------------------------
    @staticmethod
    def _validate(d: GoalInput) -> GoalInput:
        clean, errors = check(d)
        if errors:
            raise ValidationError(errors)
        return clean

    @staticmethod
    def _apply(g: Goal, d: GoalInput) -> None:
        g.title, g.metric, g.baseline, g.target = d.title, d.metric, d.baseline, d.target
        g.starts_on, g.deadline, g.notes = d.starts_on, d.deadline, d.notes

    def create(self, data: GoalInput) -> int:
        clean = self._validate(data)
        with self.db.session() as s:
            g = Goal(title=clean.title, target=clean.target)
            self._apply(g, clean)
            s.add(g)
            s.flush()
            s.add(AuditEntry(action="create", entity="goal", entity_id=g.id, detail={}))
            goal_id = g.id
        self.notifier.emit("goals", ids=[goal_id])
        return goal_id

    def update(self, goal_id: int, data: GoalInput) -> None:
        clean = self._validate(data)
        with self.db.session() as s:
            g = s.get(Goal, goal_id)
            if g is None:
                raise NotFound(f"No goal with id {goal_id}")
            self._apply(g, clean)
        self.notifier.emit("goals", ids=[goal_id])

    def delete(self, goal_id: int) -> DeletedGoal:
        with self.db.session() as s:
            g = s.get(Goal, goal_id)
            if g is None:
                raise NotFound(f"No goal with id {goal_id}")
            gone = DeletedGoal(
                g.id,
                GoalInput(
                    g.title, g.metric, g.baseline, g.target, g.starts_on, g.deadline, g.notes
                ),
                g.created_at,
            )
            s.delete(g)
            s.add(
                AuditEntry(
                    action="delete", entity="goal", entity_id=goal_id, detail={"title": g.title}
                )
            )
        self.notifier.emit("goals", ids=[goal_id])
        return gone

    def restore(self, gone: DeletedGoal) -> None:
        with self.db.session() as s:
            if s.get(Goal, gone.id) is not None:
                raise ValidationError({"": "That goal is already back."})
            g = Goal(
                id=gone.id,
                title=gone.data.title,
                target=gone.data.target,
                created_at=gone.created_at,
            )
            self._apply(g, gone.data)
            s.add(g)
            s.add(AuditEntry(action="restore", entity="goal", entity_id=gone.id, detail={}))
        self.notifier.emit("goals", ids=[gone.id])
