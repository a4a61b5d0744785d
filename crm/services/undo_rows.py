"""What a delete took away, kept so Ctrl+Z can put it back as it was.

A delete of surveys, responses or initiatives snapshots the rows it removes, table by
table with parents first (`take`), and returns them; `put_back` inserts them again
under their own ids (those tables never reuse an id: sqlite_autoincrement). What was
deleted for good in between is respected: a reference to a row that is gone now is
cleared where the column may be empty (a response's person or event) and the row is
left out where it may not (a participant whose person was purged, a link to a deleted
event or content item).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Table, insert, select

from crm.models import Base
from crm.services.common import ServiceError, chunks


@dataclass(frozen=True)
class DeletedRows:
    """Rows removed by one delete: (table name, rows as column → value), parents first."""

    what: str  # "survey", "responses", "initiative": for messages
    ids: tuple[int, ...]  # the ids of the first table's rows
    tables: tuple[tuple[str, tuple[Mapping[str, object], ...]], ...]

    def count(self, table: str) -> int:
        return sum(len(rows) for name, rows in self.tables if name == table)


def take(conn: Connection, table: str, column: str, ids: Sequence[int]) -> tuple[dict, ...]:  # type: ignore[type-arg]
    """The rows of `table` whose `column` is one of `ids`, as plain dicts."""
    t = Base.metadata.tables[table]
    out: list[dict] = []  # type: ignore[type-arg]
    for part in chunks(list(ids)):
        out.extend(dict(r._mapping) for r in conn.execute(select(t).where(t.c[column].in_(part))))
    return tuple(out)


def _existing(conn: Connection, table: Table, column: str, values: Iterable[object]) -> set:  # type: ignore[type-arg]
    found: set[object] = set()
    col = table.c[column]
    for part in chunks(sorted(values)):  # type: ignore[type-var]
        found.update(conn.scalars(select(col).where(col.in_(part))))
    return found


def put_back(conn: Connection, deleted: DeletedRows) -> None:
    """Insert the snapshot again in one transaction (the caller's); refuses when the
    first table's rows are already there (undone twice)."""
    first = Base.metadata.tables[deleted.tables[0][0]]
    if _existing(conn, first, "id", deleted.ids):
        raise ServiceError(
            f"The {deleted.what} {'is' if len(deleted.ids) == 1 else 'are'} already back."
        )
    for name, snapshot in deleted.tables:
        table = Base.metadata.tables[name]
        rows = [dict(r) for r in snapshot]
        for fk in table.foreign_keys:
            col = fk.parent.name
            wanted = {r[col] for r in rows if r[col] is not None}
            if not wanted:
                continue
            gone = wanted - _existing(conn, fk.column.table, fk.column.name, wanted)
            if not gone:
                continue
            if fk.parent.nullable:
                for r in rows:
                    if r[col] in gone:
                        r[col] = None
            else:
                rows = [r for r in rows if r[col] not in gone]
        if rows:
            conn.execute(insert(table), rows)
