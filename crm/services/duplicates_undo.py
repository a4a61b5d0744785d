"""Undoing a merge: both people back exactly as the journal's snapshots hold them.

The merged person comes back with the same id and UID; every row that was moved to
the kept person goes back to them (interactions to the right participants); the kept
person's own rows and fields return to what they were before the merge. Rows added
to the kept person after the merge are left alone.
"""

from __future__ import annotations

import sqlite3

from crm.services import duplicates_rows as rows
from crm.services.common import ServiceError


def restore(cur: sqlite3.Cursor, keep: int, other: int, before: dict) -> None:  # type: ignore[type-arg]
    kept, merged = before.get("kept") or {}, before.get("merged") or {}
    if not kept.get("person") or not merged.get("person"):
        raise ServiceError("This merge's journal entry is incomplete; it cannot be undone")
    if cur.execute("SELECT 1 FROM person WHERE id = ?", (keep,)).fetchone() is None:
        raise ServiceError(
            f"{kept['person']['display_name']} was deleted after the merge; it cannot be undone"
        )
    if cur.execute("SELECT 1 FROM person WHERE id = ?", (other,)).fetchone() is not None:
        raise ServiceError(f"Person {other} exists again; the merge cannot be undone")
    uid = merged["person"]["uid"]
    if cur.execute("SELECT 1 FROM person WHERE uid = ?", (uid,)).fetchone() is not None:
        raise ServiceError(f"Another person now has the UID {uid}; the merge cannot be undone")

    person = dict(merged["person"])
    ref = person.get("referred_by_id")
    if (
        ref is not None
        and cur.execute("SELECT 1 FROM person WHERE id = ?", (ref,)).fetchone() is None
    ):
        person["referred_by_id"] = None  # the referrer was deleted for good since
    rows.insert(cur, "person", person, replace=False)
    rows.update_person(cur, kept["person"])

    links = {f"{link.table}.{link.column}": link for link in rows.links(cur)}
    kept_keys: dict[str, set[tuple[object, ...]]] = {}
    for key, table_rows in (kept.get("tables") or {}).items():
        link = links.get(key)
        if link is not None and link.pk:
            kept_keys[key] = {tuple(r.get(c) for c in link.pk) for r in table_rows}
    # 1. Take back from the kept person what came from the merged one, and restore it.
    for key, table_rows in (merged.get("tables") or {}).items():
        link = links.get(key)
        if link is None:
            continue  # a table dropped since the merge
        for r in table_rows:
            if link.pk and link.column in link.pk:
                moved = {c: (keep if c == link.column else r.get(c)) for c in link.pk}
                if tuple(moved.values()) not in kept_keys.get(key, set()):
                    rows.delete_row(cur, link.table, moved)
            elif link.pk:
                rows.delete_row(cur, link.table, {c: r.get(c) for c in link.pk})
            else:
                rows.delete_row(cur, link.table, {**r, link.column: keep})
            if _refs_exist(cur, link.table, r):
                rows.insert(cur, link.table, r, replace=True)
    # 2. The kept person's own rows as they were (a merge may have replaced a consent).
    for key, table_rows in (kept.get("tables") or {}).items():
        link = links.get(key)
        if link is None or not link.pk:
            continue  # rows without a key were never changed in place by the merge
        for r in table_rows:
            if _refs_exist(cur, link.table, r):
                rows.insert(cur, link.table, r, replace=True)
    for pid in merged.get("referrals") or []:
        cur.execute(
            "UPDATE person SET referred_by_id = ? WHERE id = ? AND referred_by_id IS ?",
            (other, pid, keep),
        )


def _refs_exist(cur: sqlite3.Cursor, table: str, row: dict) -> bool:  # type: ignore[type-arg]
    """False when a row points at something deleted for good since (an interaction …)."""
    for fk in cur.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
        parent, column, target = fk[2], fk[3], fk[4] or "id"
        value = row.get(column)
        if value is None:
            continue
        found = cur.execute(
            f'SELECT 1 FROM "{parent}" WHERE "{target}" = ? LIMIT 1', (value,)
        ).fetchone()
        if found is None:
            return False
    return True
