"""Changing the status of many invitations at once, in set-based SQL.

Recording attendance logs one "event attendance" interaction per attendee, and taking
it back deletes that interaction. Done one row at a time, each INSERT or DELETE on
`interaction` is a statement of its own, and every statement makes SQLite's FTS5
index (the `interaction_fts` triggers) flush its pending terms into a new segment
and merge segments: marking 1,000 people attended on the 100k demo database took
2.6–4.4 s, almost all of it in those flushes. Here the interactions of a batch are
written by ONE `INSERT … SELECT` (ids chosen up front, as SQLite would choose them:
one past the largest) and deleted by one `DELETE … WHERE id IN (…)` per batch, so the
index flushes once per batch; participants and invitation rows go through
executemany on the session's connection. The caller's transaction holds it all, so a
cancel (between batches) or an error rolls everything back.

The results are the ones the one-at-a-time code gave: the same interaction rows
(text, channel, date), the same ids in the same order, the same invitation dates and
links, and person.last_interaction_at recomputed for everyone touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm.models import Event
from crm.services.common import ServiceError, chunks
from crm.services.interactions import refresh_last_interaction

ANSWERS = ("accepted", "declined", "tentative")
ATTENDED = "attended"
# Invitations per batch: one interaction INSERT and one DELETE (one FTS flush) each;
# progress and cancel are looked at between batches.
BATCH = 2_000

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class Cancelled(ServiceError):
    """Raised inside the transaction, so everything written so far is rolled back."""

    def __init__(self) -> None:
        super().__init__("Cancelled; nothing was changed.")


@dataclass(frozen=True)
class Loaded:
    """An invitation as a status change finds it."""

    id: int
    person_id: int
    status: str
    interaction_id: int | None


@dataclass(frozen=True)
class StatusBefore:
    """What a status change replaced, so that undo can put it back exactly: the
    invitations' columns as they were, the interactions it deleted (rows and
    participants) and the ones it logged, by invitation."""

    status: str  # the status the change set
    event_id: int
    # (id, status, invited_at, responded_at, updated_at, attendance_interaction_id)
    # as stored before the change
    invitations: tuple[tuple[Any, ...], ...] = ()
    logged: tuple[tuple[int, int], ...] = ()  # (invitation id, new interaction id)
    deleted: tuple[tuple[Any, ...], ...] = ()  # interaction rows, every column
    participants: tuple[tuple[int, int], ...] = ()  # of the deleted interactions

    def __len__(self) -> int:
        return len(self.invitations)


@dataclass
class Outcome:
    changed: int = 0
    touched: list[int] = field(default_factory=list)  # people whose timeline changed
    before: StatusBefore | None = None


def sql_time(moment: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores, so values sort with the rest."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _date_sets(status: str) -> str:
    """The invitation's dates for a new status (attendance leaves them as they are)."""
    if status == "not sent":
        return ", invited_at = NULL, responded_at = NULL"
    if status == "invited":
        return ", invited_at = coalesce(invited_at, :now), responded_at = NULL"
    if status in ANSWERS:
        return ", invited_at = coalesce(invited_at, :now), responded_at = :now"
    return ""


def change_status(
    s: Any,
    event: Event,
    rows: Sequence[Loaded],
    status: str,
    now: datetime,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> Outcome:
    """Give `rows` (invitations of `event`) the new status inside the caller's
    transaction; log or unlog their attendance interactions."""
    conn = s.connection()
    todo = [r for r in rows if r.status != status]
    out = Outcome(changed=len(todo))
    stamp = sql_time(now)
    update = (
        "UPDATE invitation SET status = :st, updated_at = :now"
        f"{_date_sets(status)}, attendance_interaction_id = :ai WHERE id = :id"
    )
    total = len(todo)
    saved: list[tuple[Any, ...]] = []
    logged: list[tuple[int, int]] = []
    deleted: list[tuple[Any, ...]] = []
    participants: list[tuple[Any, ...]] = []
    for done, batch in enumerate(chunks(todo, BATCH)):
        if cancelled is not None and cancelled():
            raise Cancelled()
        saved += rows_of(conn, "invitation", INVITATION_COLUMNS, [r.id for r in batch])
        links: dict[int, int | None] = {r.id: r.interaction_id for r in batch}
        if status == ATTENDED:
            new = [r for r in batch if r.interaction_id is None]
            for r, iid in zip(
                new, _log(conn, event, [r.person_id for r in new], stamp), strict=True
            ):
                links[r.id] = iid
                logged.append((r.id, iid))
                out.touched.append(r.person_id)
            gone: list[int] = []
        else:
            gone = [r.interaction_id for r in batch if r.interaction_id is not None]
            deleted += rows_of(conn, "interaction", INTERACTION_COLUMNS, gone)
            participants += rows_of(conn, "participant", PARTICIPANT_COLUMNS, gone, PARTICIPANT_KEY)
            out.touched += [r.person_id for r in batch if r.interaction_id is not None]
            links = dict.fromkeys(links)
        _executemany(
            conn,
            update,
            [{"st": status, "now": stamp, "ai": links[r.id], "id": r.id} for r in batch],
        )
        if gone:
            conn.exec_driver_sql(
                f"DELETE FROM interaction WHERE id IN ({','.join(str(int(i)) for i in gone)})"
            )
        if progress is not None:
            progress(min(total, (done + 1) * BATCH), total)
    if cancelled is not None and cancelled():
        raise Cancelled()
    if out.touched:
        refresh_last_interaction(s, out.touched)
    out.before = StatusBefore(
        status,
        event.id,
        tuple(saved),
        tuple(logged),
        tuple(deleted),
        tuple((int(i), int(p)) for i, p in participants),
    )
    return out


INVITATION_COLUMNS = "id, status, invited_at, responded_at, updated_at, attendance_interaction_id"
INTERACTION_COLUMNS = (
    "id, kind, occurred_at, channel, direction, sentiment, summary, details, created_at"
)
PARTICIPANT_COLUMNS = "interaction_id, person_id"
PARTICIPANT_KEY = "interaction_id"


def rows_of(
    conn: Any, table: str, columns: str, ids: Sequence[int], key: str = "id"
) -> list[tuple[Any, ...]]:
    """Rows of `table` whose `key` is one of `ids`, as stored (raw values)."""
    out: list[tuple[Any, ...]] = []
    for part in chunks(list(ids), 5_000):
        marks = ",".join(str(int(i)) for i in part)
        out += [
            tuple(r)
            for r in conn.exec_driver_sql(
                f"SELECT {columns} FROM {table} WHERE {key} IN ({marks}) ORDER BY {key}"
            )
        ]
    return out


def _executemany(conn: Any, sql: str, params: list[dict[str, object]]) -> None:
    if params:
        from sqlalchemy import text

        conn.execute(text(sql), params)


def _log(conn: Any, e: Event, people: Sequence[int], created: str) -> list[int]:
    """One "event attendance" interaction per person, dated at the event's start, in
    one statement; their ids, in the order of `people`."""
    if not people:
        return []
    base = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM interaction").scalar())
    channel = "video" if e.online_url and not e.location else "in person"
    conn.exec_driver_sql(
        # INSERT first, the WITH inside: Python's sqlite3 opens the transaction only
        # before a statement that starts with INSERT/UPDATE/DELETE/REPLACE.
        "INSERT INTO interaction (id, kind, occurred_at, channel, direction, sentiment, "
        "summary, details, created_at) "
        "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?) "
        "SELECT ? + n, 'event attendance', ?, ?, 'mutual', 0, ?, ?, ? FROM k",
        (
            len(people),
            base,
            sql_time(e.starts_utc),
            channel,
            f"Attended {e.title}"[:500],
            f"{e.kind.capitalize()} · event:{e.id}",
            created,
        ),
    )
    ids = list(range(base + 1, base + 1 + len(people)))
    conn.exec_driver_sql(
        "INSERT INTO participant (interaction_id, person_id) VALUES (?, ?)",
        list(zip(ids, people, strict=True)),
    )
    return ids
