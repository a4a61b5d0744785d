"""Reading the outreach board: the cards by stage, a card's history, conversion, talks.

Plain SQL: the board is one query (cards with the person's name and the event's title),
and conversion is one query over the moves. What the board's first paint reads (the
cards, the counts, the conversion, the events in the filter) goes through a bare sqlite3
cursor (plain_reader): through a Session each row costs ~10 µs of SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import text

from crm.models import utcnow
from crm.services.common import NotFound, as_date, as_datetime, chunks
from crm.services.database import Database
from crm.services.outreach_data import (
    CLOSED,
    DECLINED,
    PIPELINE,
    ArchivedCard,
    Card,
    CardDetail,
    Conversion,
    EventChoice,
    Move,
    StageFunnel,
    Talk,
)

_CARD_SQL = (
    "SELECT o.id, o.person_id, p.display_name, o.topic, o.event_id, coalesce(e.title, ''), "
    "o.stage, o.next_step, o.next_step_on, o.stage_changed_at "
    "FROM outreach o JOIN person p ON p.id = o.person_id "
    "LEFT JOIN event e ON e.id = o.event_id AND e.archived_at IS NULL "
)
# Soonest next step first, cards without one after, then by name.
_CARD_ORDER = (
    " ORDER BY o.next_step_on IS NULL, o.next_step_on, p.display_name COLLATE NOCASE, o.id"
)
# Rank of each pipeline stage, as SQL: declined has none (NULL), it is counted apart.
_RANK = "CASE stage " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(PIPELINE)) + " END"
# The Trash's sort keys for archived cards (declined sorts after the pipeline's stages).
TRASH_SORTS = {
    "person": "p.display_name COLLATE NOCASE",
    "topic": "nullif(o.topic, '') COLLATE NOCASE",
    "stage": "CASE o.stage "
    + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate((*PIPELINE, DECLINED)))
    + " END",
    "event": "nullif(e.title, '') COLLATE NOCASE",
    "archived_at": "o.archived_at",
}


Rows = Callable[[str, Mapping[str, object]], list[Any]]


@contextmanager
def plain_reader(db: Database) -> Iterator[Rows]:
    """`rows(sql, params)` for plain-SQL reads (named :params) without the ORM's per-row
    work, on one of the engine's pooled sqlite3 connections.

    Pooled rather than Database.plain_read()'s fresh connection: SQLite's page cache
    belongs to a connection, and the board's join touches a page of `person` per card.
    On the 100k demo the board query takes ~1.3 ms on a pooled connection and 3-11 ms
    on a fresh one (every page read again from the OS).
    """
    if db.path is not None and db.url.startswith("sqlite"):
        pooled = db.engine.raw_connection()
        try:
            con = pooled.driver_connection
            yield lambda sql, params: con.execute(sql, dict(params)).fetchall()  # type: ignore[union-attr]
        finally:
            pooled.close()
        return
    with db.engine.connect() as conn:
        yield lambda sql, params: list(conn.execute(text(sql), dict(params)).all())


def plain_rows(db: Database, sql: str, params: Mapping[str, object] | None = None) -> list[Any]:
    """The rows of one plain-SQL read (see plain_reader)."""
    with plain_reader(db) as rows:
        return rows(sql, params or {})


def _like(text_query: str) -> str:
    escaped = text_query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class OutreachReads:
    def __init__(self, db: Database) -> None:
        self.db = db

    def board(
        self, *, event_id: int | None = None, search: str = "", today: date | None = None
    ) -> dict[str, list[Card]]:
        """Every card on the board by stage (all stages present, maybe empty)."""
        today = today or date.today()
        where = ["o.archived_at IS NULL", "p.archived_at IS NULL"]
        params: dict[str, object] = {}
        if event_id is not None:
            where.append("o.event_id = :event")
            params["event"] = event_id
        if query := search.strip():
            where.append(
                "(p.display_name LIKE :q ESCAPE '\\' OR o.topic LIKE :q ESCAPE '\\' "
                "OR o.next_step LIKE :q ESCAPE '\\' OR e.title LIKE :q ESCAPE '\\')"
            )
            params["q"] = _like(query)
        sql = _CARD_SQL + "WHERE " + " AND ".join(where) + _CARD_ORDER
        out: dict[str, list[Card]] = {stage: [] for stage in (*PIPELINE, DECLINED)}
        for row in plain_rows(self.db, sql, params):
            card = _card(row, today)
            out.setdefault(card.stage, []).append(card)
        return out

    def get(self, card_id: int) -> CardDetail:
        with self.db.read() as s:
            row = s.execute(
                text(
                    "SELECT o.id, o.person_id, p.display_name, o.topic, o.event_id, "
                    "coalesce(e.title, ''), o.stage, o.next_step, o.next_step_on, o.notes, "
                    "o.stage_changed_at, o.created_at, o.archived_at FROM outreach o "
                    "JOIN person p ON p.id = o.person_id "
                    "LEFT JOIN event e ON e.id = o.event_id WHERE o.id = :id"
                ),
                {"id": card_id},
            ).one_or_none()
            if row is None:
                raise NotFound(f"No outreach card with id {card_id}")
            moves = self._moves(s, [card_id]).get(card_id, ())
        return _detail(row, moves)

    def history(self, person_id: int) -> list[CardDetail]:
        """A person's cards (not those in the Trash), newest first, each with its moves."""
        with self.db.read() as s:
            rows = s.execute(
                text(
                    "SELECT o.id, o.person_id, p.display_name, o.topic, o.event_id, "
                    "coalesce(e.title, ''), o.stage, o.next_step, o.next_step_on, o.notes, "
                    "o.stage_changed_at, o.created_at, o.archived_at FROM outreach o "
                    "JOIN person p ON p.id = o.person_id "
                    "LEFT JOIN event e ON e.id = o.event_id "
                    "WHERE o.person_id = :pid AND o.archived_at IS NULL "
                    "ORDER BY o.created_at DESC, o.id DESC"
                ),
                {"pid": person_id},
            ).all()
            moves = self._moves(s, [r[0] for r in rows])
        return [_detail(r, moves.get(r[0], ())) for r in rows]

    @staticmethod
    def _moves(s, ids: list[int]) -> dict[int, tuple[Move, ...]]:  # type: ignore[no-untyped-def]
        if not ids:
            return {}
        marks = ",".join(str(int(i)) for i in ids)
        out: dict[int, list[Move]] = {}
        for oid, src, dst, at in s.execute(
            text(
                "SELECT outreach_id, from_stage, to_stage, moved_at FROM outreach_move "
                f"WHERE outreach_id IN ({marks}) ORDER BY moved_at, id"
            )
        ):
            out.setdefault(oid, []).append(Move(src, dst, as_datetime(at)))  # type: ignore[arg-type]
        return {k: tuple(v) for k, v in out.items()}

    def conversion(self, *, event_id: int | None = None) -> Conversion:
        """Counts per stage from the recorded moves (see StageFunnel), in one query."""
        cond = "o.archived_at IS NULL AND p.archived_at IS NULL"
        params: dict[str, object] = {}
        if event_id is not None:
            cond += " AND o.event_id = :event"
            params["event"] = event_id
        n = len(PIPELINE)
        reached = ", ".join(f"sum(coalesce(furthest, 0) >= {i})" for i in range(n))
        current = ", ".join(f"sum(stage = '{st}')" for st in (*PIPELINE, DECLINED))
        sql = (
            "WITH cards AS (SELECT o.id, o.stage FROM outreach o "
            f"JOIN person p ON p.id = o.person_id WHERE {cond}), "
            "visits AS (SELECT m.outreach_id AS id, m.to_stage AS stage FROM outreach_move m "
            "JOIN cards c ON c.id = m.outreach_id UNION ALL SELECT id, stage FROM cards), "
            f"furthest AS (SELECT id, max({_RANK}) AS furthest FROM visits GROUP BY id) "
            f"SELECT count(*), {reached}, {current} "
            "FROM cards JOIN furthest USING (id)"
        )
        declined_sql = (
            "WITH cards AS (SELECT o.id FROM outreach o JOIN person p ON p.id = o.person_id "
            f"WHERE {cond} AND o.stage = 'declined') "
            "SELECT m.from_stage, count(*) FROM outreach_move m JOIN cards c "
            "ON c.id = m.outreach_id WHERE m.to_stage = 'declined' AND m.id = ("
            "SELECT max(m2.id) FROM outreach_move m2 WHERE m2.outreach_id = m.outreach_id "
            "AND m2.to_stage = 'declined') GROUP BY m.from_stage"
        )
        with plain_reader(self.db) as rows:
            (row,) = rows(sql, params)
            declined_rows = rows(declined_sql, params)
        declined_from = {str(src or "identified"): int(k) for src, k in declined_rows}
        total = int(row[0])
        reach = [int(x or 0) for x in row[1 : 1 + n]]
        now = [int(x or 0) for x in row[1 + n :]]
        stages = tuple(
            StageFunnel(
                stage,
                reach[i],
                now[i],
                (reach[i + 1] / reach[i]) if i + 1 < n and reach[i] else None,
            )
            for i, stage in enumerate(PIPELINE)
        )
        return Conversion(stages, now[n], declined_from, total)

    def talks(self, person_id: int) -> list[Talk]:
        """Agenda items this person speaks in, newest first."""
        with self.db.read() as s:
            rows = s.execute(
                text(
                    "SELECT a.id, a.title, a.starts_at, e.id, e.title FROM agenda_item a "
                    "JOIN event e ON e.id = a.event_id WHERE a.speaker_id = :pid "
                    "AND e.archived_at IS NULL ORDER BY a.starts_at DESC, a.id DESC"
                ),
                {"pid": person_id},
            ).all()
        return [Talk(r[0], r[1], as_datetime(r[2]), r[3], r[4]) for r in rows]  # type: ignore[arg-type]

    def event_choices(self, now: datetime | None = None) -> list[EventChoice]:
        """Events a card may target: upcoming ones first (soonest first), then past ones."""
        now = now or utcnow()
        rows = plain_rows(
            self.db,
            "SELECT id, title, starts_at, starts_utc < :now FROM event "
            "WHERE archived_at IS NULL ORDER BY starts_utc < :now, "
            "CASE WHEN starts_utc >= :now THEN starts_utc END, starts_utc DESC, id",
            {"now": f"{now:%Y-%m-%d %H:%M:%S.%f}"},
        )
        return [EventChoice(r[0], r[1], as_datetime(r[2]), bool(r[3])) for r in rows]  # type: ignore[arg-type]

    def archived(self) -> list[ArchivedCard]:
        with self.db.read() as s:
            rows = s.execute(
                text(
                    "SELECT o.id, p.display_name, o.topic, o.stage, o.archived_at FROM outreach o "
                    "JOIN person p ON p.id = o.person_id WHERE o.archived_at IS NOT NULL "
                    "ORDER BY o.archived_at DESC, o.id DESC"
                )
            ).all()
        return [ArchivedCard(r[0], r[1], r[2], r[3], as_datetime(r[4])) for r in rows]  # type: ignore[arg-type]

    def trash_ids(
        self, search: str = "", sort: str = "archived_at", descending: bool = True
    ) -> list[int]:
        """Archived cards for the Trash: every word of `search` in the person's name, the
        talk, the stage or the event's title; sorted by a TRASH_SORTS key, then id."""
        where = ["o.archived_at IS NOT NULL"]
        params: dict[str, object] = {}
        for i, word in enumerate(search.split()):
            where.append(
                f"(p.display_name LIKE :w{i} ESCAPE '\\' OR o.topic LIKE :w{i} ESCAPE '\\' "
                f"OR o.stage LIKE :w{i} ESCAPE '\\' OR e.title LIKE :w{i} ESCAPE '\\')"
            )
            params[f"w{i}"] = _like(word)
        expr = TRASH_SORTS[sort]
        d = "DESC" if descending else "ASC"
        sql = (
            "SELECT o.id FROM outreach o JOIN person p ON p.id = o.person_id "
            "LEFT JOIN event e ON e.id = o.event_id "
            f"WHERE {' AND '.join(where)} ORDER BY ({expr}) IS NULL, {expr} {d}, o.id {d}"
        )
        return [r[0] for r in plain_rows(self.db, sql, params)]

    def trash_rows(self, ids: Sequence[int]) -> list[ArchivedCard]:
        """The Trash's rows for these cards, in the order asked (missing ids left out)."""
        found: dict[int, ArchivedCard] = {}
        for part in chunks(list(ids)):
            marks = ",".join(str(int(i)) for i in part)
            for r in plain_rows(
                self.db,
                "SELECT o.id, p.display_name, o.topic, o.stage, o.archived_at, "
                "coalesce(e.title, '') FROM outreach o JOIN person p ON p.id = o.person_id "
                f"LEFT JOIN event e ON e.id = o.event_id WHERE o.id IN ({marks})",
            ):
                found[r[0]] = ArchivedCard(r[0], r[1], r[2], r[3], as_datetime(r[4]), r[5])  # type: ignore[arg-type]
        return [found[i] for i in ids if i in found]

    def count(self, archived: bool = False) -> int:
        cond = "IS NOT NULL" if archived else "IS NULL"
        rows = plain_rows(self.db, f"SELECT count(*) FROM outreach WHERE archived_at {cond}")
        return int(rows[0][0] or 0)

    def counts(self) -> tuple[int, int]:
        """(cards on the board, archived cards) in one read (a card whose person is in
        the Trash is on the board neither)."""
        (row,) = plain_rows(
            self.db,
            "SELECT sum(o.archived_at IS NULL AND p.archived_at IS NULL), "
            "sum(o.archived_at IS NOT NULL) FROM outreach o JOIN person p ON p.id = o.person_id",
        )
        return int(row[0] or 0), int(row[1] or 0)

    def board_events(self, now: datetime | None = None) -> list[EventChoice]:
        """The events the board's cards aim at, for the board's filter: upcoming ones
        first (soonest first), then past ones (latest first), each with its card count.

        Not every event: a filter on an event no card aims at would only show an empty
        board, and the demo's 2,000 events would make a long list to build and scroll.
        """
        now = now or utcnow()
        rows = plain_rows(
            self.db,
            "SELECT e.id, e.title, e.starts_at, e.starts_utc < :now, count(*) FROM outreach o "
            "JOIN person p ON p.id = o.person_id AND p.archived_at IS NULL "
            "JOIN event e ON e.id = o.event_id AND e.archived_at IS NULL "
            "WHERE o.archived_at IS NULL GROUP BY e.id ORDER BY e.starts_utc < :now, "
            "CASE WHEN e.starts_utc >= :now THEN e.starts_utc END, e.starts_utc DESC, e.id",
            {"now": f"{now:%Y-%m-%d %H:%M:%S.%f}"},
        )
        return [
            EventChoice(r[0], r[1], as_datetime(r[2]), bool(r[3]), int(r[4]))  # type: ignore[arg-type]
            for r in rows
        ]


def _card(row, today: date) -> Card:  # type: ignore[no-untyped-def]
    due = as_date(row[8])
    return Card(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        due,
        due is not None and due < today and row[6] not in CLOSED,
        as_datetime(row[9]),  # type: ignore[arg-type]
    )


def _detail(row, moves: tuple[Move, ...]) -> CardDetail:  # type: ignore[no-untyped-def]
    return CardDetail(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        as_date(row[8]),
        row[9],
        as_datetime(row[10]),  # type: ignore[arg-type]
        as_datetime(row[11]),  # type: ignore[arg-type]
        as_datetime(row[12]),
        moves,
    )
