"""The People table's reads: ids for a filter and sort, then rows for a page of ids.

The table never holds whole rows: it asks for the ordered ids once (cheap even at
100,000 people) and for the rows of the page it is about to paint.

Everything here is plain SQL and takes an ORM Session, a Core Connection or a sqlite3
connection alike: `PeopleReads` runs it over Database.plain_read(), so the desktop app
paints its first page before SQLAlchemy, its ORM and the models are imported (about
0.3 s of start-up). SQLAlchemy is imported here only when a Session or Connection is
passed in (it is loaded by then), and search.py only for a query with text.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from crm.services.common import as_date, as_datetime, chunks
from crm.services.people_data import FieldInfo, PeopleQuery, PersonRow

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    from crm.services.database import Database

    # Every reader here takes any of these (see the module docstring).
    _Conn: TypeAlias = Session | Connection | sqlite3.Connection

_SORTS = {
    "name": "p.display_name COLLATE NOCASE",
    "organisation": "nullif(p.organisation, '') COLLATE NOCASE",
    "last_interaction": "p.last_interaction_at",
    "next_follow_up": "p.next_follow_up",
    "archived_at": "p.archived_at",
    "roles": "(SELECT min(role) FROM person_role WHERE person_id = p.id)",
    "tags": "(SELECT min(t.name) FROM person_tag pt JOIN tag t ON t.id = pt.tag_id "
    "WHERE pt.person_id = p.id)",
    "communities": "(SELECT min(c.name) FROM membership m JOIN community c "
    "ON c.id = m.community_id WHERE m.person_id = p.id)",
}


def _sort_expr(sort: str) -> str:
    if sort.startswith("field:"):
        fid = int(sort.split(":", 1)[1])
        return (
            f"(SELECT coalesce(fv.number, nullif(fv.text, '')) FROM field_value fv "
            f"WHERE fv.field_id = {fid} AND fv.entity_id = p.id)"
        )
    if sort not in _SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    return _SORTS[sort]


def query_ids(session: _Conn, q: PeopleQuery) -> list[int]:
    where = ["p.archived_at IS NOT NULL" if q.archived else "p.archived_at IS NULL"]
    params: dict[str, object] = {}
    match = None
    if q.text:  # search.py imports SQLAlchemy: not for the start-up query, which has no text
        from crm.services.search import fts_query

        match = fts_query(q.text)
    if match is not None:
        where.append("p.id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH :match)")
        params["match"] = match
    if q.role:
        where.append("p.id IN (SELECT person_id FROM person_role WHERE role = :role)")
        params["role"] = q.role
    if q.tag:
        where.append(
            "p.id IN (SELECT pt.person_id FROM person_tag pt JOIN tag t ON t.id = pt.tag_id "
            "WHERE t.name = :tag)"
        )
        params["tag"] = q.tag
    if q.community_id is not None:
        where.append("p.id IN (SELECT person_id FROM membership WHERE community_id = :cid)")
        params["cid"] = q.community_id
    expr = _sort_expr(q.sort)
    direction = "DESC" if q.descending else "ASC"
    cond = " AND ".join(where)
    if q.sort == "name":  # never empty: the order comes straight off ix_person_active_name
        return _ids(
            session,
            f"SELECT p.id FROM person p WHERE {cond} ORDER BY {expr} {direction}, p.id {direction}",
            params,
        )
    if q.sort in _INDEXED:
        # Empty values last, whichever the direction: two index-ordered reads, joined,
        # instead of one full sort on "(x IS NULL), x".
        dated = _ids(
            session,
            f"SELECT p.id FROM person p WHERE {cond} AND {expr} IS NOT NULL "
            f"ORDER BY {expr} {direction}, p.id {direction}",
            params,
        )
        empty = _ids(
            session,
            f"SELECT p.id FROM person p WHERE {cond} AND {expr} IS NULL ORDER BY p.id {direction}",
            params,
        )
        return dated + empty
    return _ids(
        session,
        f"SELECT p.id FROM person p WHERE {cond} "
        f"ORDER BY ({expr}) IS NULL, {expr} {direction}, p.id {direction}",
        params,
    )


# Plain columns with a partial index over the people not in the Trash (revision 0002).
_INDEXED = frozenset({"last_interaction", "next_follow_up"})


def _ids(session: _Conn, sql: str, params: dict[str, object]) -> list[int]:
    """Straight from the sqlite3 cursor: SQLAlchemy's row processing would double the
    cost of 100,000 ids. (One group_concat string parsed as JSON is faster still, but
    SQLite does not promise group_concat's order before 3.44, and order is the point.)
    """
    if isinstance(session, sqlite3.Connection):
        raw: Any = session
    else:
        from sqlalchemy import text
        from sqlalchemy.engine import Connection

        conn = session if isinstance(session, Connection) else session.connection()
        raw = conn.connection.dbapi_connection
        if raw is None or not hasattr(raw, "execute"):
            return list(session.execute(text(sql), params).scalars())
    return [r[0] for r in raw.execute(sql, params)]


def rows(session: _Conn, ids: Sequence[int]) -> list[PersonRow]:
    """Rows for these ids, in the order given; ids that no longer exist are left out."""
    out: list[PersonRow] = []
    for part in chunks(list(ids)):
        marks = ",".join(str(int(i)) for i in part)
        base = {
            r[0]: r
            for r in _execute(
                session,
                "SELECT id, display_name, organisation, last_interaction_at, "
                f"next_follow_up, archived_at FROM person WHERE id IN ({marks})",
            )
        }
        roles = _grouped(
            session,
            f"SELECT person_id, role FROM person_role WHERE person_id IN ({marks}) ORDER BY role",
        )
        tags = _grouped(
            session,
            "SELECT pt.person_id, t.name FROM person_tag pt JOIN tag t "
            f"ON t.id = pt.tag_id WHERE pt.person_id IN ({marks}) ORDER BY t.name",
        )
        comms = _grouped(
            session,
            "SELECT m.person_id, c.name FROM membership m JOIN community c "
            f"ON c.id = m.community_id WHERE m.person_id IN ({marks}) "
            "ORDER BY c.name",
        )
        custom: dict[int, dict[int, str]] = defaultdict(dict)
        for pid, fid, value in _execute(
            session,
            "SELECT fv.entity_id, fv.field_id, fv.text FROM field_value fv JOIN field_def fd "
            f"ON fd.id = fv.field_id AND fd.entity = 'person' WHERE fv.entity_id IN ({marks})",
        ):
            custom[pid][fid] = value
        for pid in part:
            r = base.get(pid)
            if r is None:
                continue
            out.append(
                PersonRow(
                    id=pid,
                    name=r[1],
                    roles=tuple(roles.get(pid, ())),
                    organisation=r[2],
                    communities=tuple(comms.get(pid, ())),
                    tags=tuple(tags.get(pid, ())),
                    last_interaction=as_datetime(r[3]),
                    next_follow_up=as_date(r[4]),
                    custom=dict(custom.get(pid, {})),
                    archived_at=as_datetime(r[5]),
                )
            )
    return out


def _execute(session: _Conn, sql: str, params: dict[str, object] | None = None) -> Any:
    """Rows of plain SQL (named :params) on whichever connection the caller holds."""
    if isinstance(session, sqlite3.Connection):
        return session.execute(sql, params or {})
    from sqlalchemy import text

    return session.execute(text(sql), params or {})


def _grouped(session: _Conn, sql: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for key, value in _execute(session, sql):
        out[key].append(value)
    return out


def field_definitions(session: _Conn, entity: str) -> list[FieldInfo]:
    """The custom fields of people or communities, in the order the user set."""
    rows = _execute(
        session,
        "SELECT id, entity, name, type, choices FROM field_def WHERE entity = :e "
        "ORDER BY position, id",
        {"e": entity},
    )
    return [FieldInfo(i, e, n, t, tuple(json.loads(c) if c else ())) for i, e, n, t, c in rows]


class PeopleReads:
    """The People table's reads over Database.plain_read(): no ORM, no engine, no models.

    The same SQL as PeopleService.query_ids / rows and FieldService.definitions; the
    table uses these so that its first page is painted before the ORM is imported.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._prefetch: tuple[PeopleQuery, threading.Thread, list[list[int]]] | None = None

    def prefetch_ids(self, q: PeopleQuery) -> None:
        """Start query_ids(q) on a thread; the next query_ids takes its result if it asks
        the same question. At start-up SQLite finds the ids (GIL released) while the GUI
        thread imports and builds the window."""
        found: list[list[int]] = []

        def run() -> None:
            # On any error nothing is found: query_ids asks again and reports it then.
            with contextlib.suppress(Exception):
                found.append(self._query_ids(q))

        thread = threading.Thread(target=run, name="people-ids-prefetch", daemon=True)
        thread.start()
        self._prefetch = (q, thread, found)

    def query_ids(self, q: PeopleQuery) -> list[int]:
        if self._prefetch is not None:  # one use only: later queries may follow writes
            asked, thread, found = self._prefetch
            self._prefetch = None
            thread.join()
            if asked == q and found:
                return found[0]
        return self._query_ids(q)

    def _query_ids(self, q: PeopleQuery) -> list[int]:
        with self.db.plain_read() as conn:
            return query_ids(conn, q)

    def rows(self, ids: Sequence[int]) -> list[PersonRow]:
        with self.db.plain_read() as conn:
            return rows(conn, ids)

    def field_definitions(self, entity: str = "person") -> list[FieldInfo]:
        with self.db.plain_read() as conn:
            return field_definitions(conn, entity)
