"""Every row that hangs off a person, found from the schema itself, for merge and unmerge.

A merge must move EVERYTHING from one person to another and an unmerge must put it
all back. Rather than list the tables by hand (and forget the one added next month),
the tables are read from SQLite's own foreign keys to person.id, plus field_value,
whose entity_id has no foreign key because it serves two kinds of entity.

A snapshot is plain JSON: for each table, the rows of the person as column → value
(bytes as {"$b64": …}), so it can be stored in the merge journal.
"""

from __future__ import annotations

import base64
import sqlite3
from dataclasses import dataclass

# Tables whose rows are search documents, not data: rebuilt, never snapshotted.
_SKIP = {"person_fts"}


@dataclass(frozen=True)
class Link:
    table: str
    column: str  # the column holding the person's id
    pk: tuple[str, ...]  # the table's primary key columns


def links(cur: sqlite3.Cursor) -> list[Link]:
    """Every (table, column) that points at a person, except person.referred_by_id."""
    found: list[Link] = []
    tables = [
        r[0]
        for r in cur.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    for table in tables:
        if table in _SKIP or table == "person":
            continue
        for fk in cur.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
            if fk[2] == "person" and (fk[4] in (None, "id")):
                found.append(Link(table, fk[3], _pk(cur, table)))
    found.append(Link("field_value", "entity_id", ("field_id", "entity_id")))
    return found


def _pk(cur: sqlite3.Cursor, table: str) -> tuple[str, ...]:
    cols = [(r[5], r[1]) for r in cur.execute(f'PRAGMA table_info("{table}")') if r[5]]
    return tuple(name for _, name in sorted(cols))


def _encode(value: object) -> object:
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    return value


def _decode(value: object) -> object:
    if isinstance(value, dict) and "$b64" in value:
        return base64.b64decode(value["$b64"])
    return value


def _select(cur: sqlite3.Cursor, sql: str, params: tuple[object, ...]) -> list[dict[str, object]]:
    rows = cur.execute(sql, params)
    names = [d[0] for d in rows.description]
    return [{k: _encode(v) for k, v in zip(names, r, strict=True)} for r in rows.fetchall()]


def _where(link: Link) -> str:
    if link.table == "field_value":
        return "entity_id = ? AND field_id IN (SELECT id FROM field_def WHERE entity = 'person')"
    return f'"{link.column}" = ?'


def snapshot(cur: sqlite3.Cursor, person_id: int, all_links: list[Link]) -> dict[str, object]:
    """The person's row and every row that points at them, as JSON-ready data."""
    person = _select(cur, "SELECT * FROM person WHERE id = ?", (person_id,))
    tables: dict[str, list[dict[str, object]]] = {}
    for link in all_links:
        rows = _select(cur, f'SELECT * FROM "{link.table}" WHERE {_where(link)}', (person_id,))
        if rows:
            key = f"{link.table}.{link.column}"
            tables[key] = rows
    referrals = [
        r[0] for r in cur.execute("SELECT id FROM person WHERE referred_by_id = ?", (person_id,))
    ]
    return {"person": person[0] if person else None, "tables": tables, "referrals": referrals}


def insert(cur: sqlite3.Cursor, table: str, row: dict[str, object], replace: bool) -> None:
    cols = list(row)
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    cur.execute(
        f'{verb} INTO "{table}"({", ".join(f"{c}" for c in cols)}) '
        f"VALUES ({', '.join('?' * len(cols))})",
        [_decode(row[c]) for c in cols],
    )


def update_person(cur: sqlite3.Cursor, row: dict[str, object]) -> None:
    """Put the person's own row back as it was (an UPDATE: REPLACE would cascade deletes)."""
    cols = [c for c in row if c != "id"]
    cur.execute(
        f"UPDATE person SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
        [*(_decode(row[c]) for c in cols), row["id"]],
    )


def delete_row(cur: sqlite3.Cursor, table: str, keys: dict[str, object]) -> None:
    cur.execute(
        f'DELETE FROM "{table}" WHERE {" AND ".join(f"{k} IS ?" for k in keys)}',
        [_decode(v) for v in keys.values()],
    )


def as_dicts(cur: sqlite3.Cursor, sql: str, *params: object) -> list[dict[str, object]]:
    found = cur.execute(sql, params)
    names = [d[0] for d in found.description]
    return [dict(zip(names, r, strict=True)) for r in found.fetchall()]


def audit_consents(  # type: ignore[no-untyped-def]
    s, cur: sqlite3.Cursor, keep: int, kept: dict, other_name: str, how: str = "merge"
) -> None:
    """Consent history lives in the audit log: a consent a merge or an unmerge changed
    gets its entry, as PeopleService writes one for every change."""
    from crm.models import AuditEntry

    old = {
        r["kind"]: (bool(r["granted"]), r["recorded_on"], r["source"])
        for r in (kept.get("tables") or {}).get("consent.person_id", [])
    }
    for kind, granted, on, source in cur.execute(
        "SELECT kind, granted, recorded_on, source FROM consent WHERE person_id = ?", (keep,)
    ).fetchall():
        if old.get(kind) != (bool(granted), on, source):
            s.add(
                AuditEntry(
                    action="consent",
                    entity="person",
                    entity_id=keep,
                    detail={
                        "kind": kind,
                        "granted": bool(granted),
                        "recorded_on": str(on),
                        "source": source,
                        "via": f"{how} with {other_name}",
                    },
                )
            )
