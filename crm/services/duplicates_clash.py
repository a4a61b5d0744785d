"""When both people of a merge hold a row that may exist once per person: one row stays.

Two records of one person are often both invited to the same event, both voices of
the same advocacy note, both in the same initiative or community. Those tables
allow one row per person and event (note, initiative …), so moving every row to
the kept person would collide. Before the move, each colliding pair is settled:
the more informative row stays (the invitation with the further status, the
participant with the better result), filled with what only the other row holds
(a note, an earlier date), and the other row is deleted. Unmerge puts both rows back
from the journal's snapshots, so nothing is lost for good.

The tables are found from the schema (unique keys holding a person column), like
the merge finds its tables, so a table added later is settled too; ranking a
table's rows is the only thing written down per table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from crm.services.duplicates_rows import Link

# table → SQL expressions whose values, compared in order, rank a row (higher stays).
# Without an entry the kept person's row stays. Statuses rank by how far they got.
RANK: dict[str, tuple[str, ...]] = {
    "invitation": (
        "CASE status WHEN 'attended' THEN 6 WHEN 'no-show' THEN 5 WHEN 'accepted' THEN 4 "
        "WHEN 'declined' THEN 4 WHEN 'tentative' THEN 3 WHEN 'invited' THEN 2 ELSE 1 END",
        "coalesce(responded_at, '')",
        "coalesce(invited_at, '')",
    ),
    "initiative_participant": (
        "CASE result WHEN 'winner' THEN 3 WHEN 'submitted' THEN 2 ELSE 1 END",
    ),
    "membership": ("role != 'member'",),
}
# table → date columns where the earlier of the two rows' values is the true one.
EARLIEST: dict[str, tuple[str, ...]] = {
    "invitation": ("created_at",),
    "advocacy_voice": ("added_on",),
    "initiative_participant": ("joined_on",),
    "membership": ("since",),
}


def settle(cur: sqlite3.Cursor, keep: int, other: int, links: Iterable[Link]) -> None:
    """Leave at most one row per unique key among keep's and other's rows."""
    parents = _referenced_tables(cur)
    for link in links:
        if link.table in parents:
            continue  # deleting a row would take rows of another table with it
        for key in _unique_keys(cur, link):
            _settle_key(cur, link, key, keep, other)


def _settle_key(
    cur: sqlite3.Cursor, link: Link, key: tuple[str, ...], keep: int, other: int
) -> None:
    t, col = link.table, link.column
    on = " AND ".join(f'k."{c}" = o."{c}"' for c in key) or "1"
    pairs = cur.execute(
        f'SELECT k.rowid, o.rowid FROM "{t}" k JOIN "{t}" o ON {on} '
        f'WHERE k."{col}" = ? AND o."{col}" = ?',
        (keep, other),
    ).fetchall()
    if not pairs:
        return
    rank = RANK.get(t, ())
    names = [r[1] for r in cur.execute(f'PRAGMA table_info("{t}")')]
    fixed = {col, *key, *link.pk, "id"}
    for kept_rowid, other_rowid in pairs:
        k, o = _row(cur, t, names, rank, kept_rowid), _row(cur, t, names, rank, other_rowid)
        k_rank = tuple("" if v is None else v for v in k[1])
        o_rank = tuple("" if v is None else v for v in o[1])
        (win, win_rowid), lose = (
            ((o[0], other_rowid), k[0]) if o_rank > k_rank else ((k[0], kept_rowid), o[0])
        )
        fills: dict[str, object] = {
            c: lose[c]
            for c in names
            if c not in fixed and win[c] in (None, "") and lose[c] not in (None, "")
        }
        for c in EARLIEST.get(t, ()):
            if win[c] is not None and lose[c] is not None and lose[c] < win[c]:
                fills[c] = lose[c]
        lose_rowid = kept_rowid if win_rowid == other_rowid else other_rowid
        cur.execute(f'DELETE FROM "{t}" WHERE rowid = ?', (lose_rowid,))
        if fills:
            sets = ", ".join(f'"{c}" = ?' for c in fills)
            cur.execute(f'UPDATE "{t}" SET {sets} WHERE rowid = ?', (*fills.values(), win_rowid))


def _row(
    cur: sqlite3.Cursor, table: str, names: list[str], rank: tuple[str, ...], rowid: int
) -> tuple[dict[str, object], tuple[object, ...]]:
    exprs = ", ".join([*(f'"{n}"' for n in names), *rank])
    values = cur.execute(f'SELECT {exprs} FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
    return dict(zip(names, values[: len(names)], strict=True)), tuple(values[len(names) :])


def _unique_keys(cur: sqlite3.Cursor, link: Link) -> list[tuple[str, ...]]:
    """The other columns of each full unique key (primary key included) holding the link."""
    keys: list[tuple[str, ...]] = []
    for _seq, name, unique, _origin, partial in cur.execute(
        f'PRAGMA index_list("{link.table}")'
    ).fetchall():
        if not unique or partial:
            continue
        cols = [r[2] for r in cur.execute(f'PRAGMA index_info("{name}")').fetchall()]
        if link.column in cols and None not in cols:  # None: an expression index
            keys.append(tuple(c for c in cols if c != link.column))
    return keys


def _referenced_tables(cur: sqlite3.Cursor) -> set[str]:
    tables = [
        r[0]
        for r in cur.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    found: set[str] = set()
    for table in tables:
        found.update(fk[2] for fk in cur.execute(f'PRAGMA foreign_key_list("{table}")'))
    return found
