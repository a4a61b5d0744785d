"""Undo of an invitation status change: put back exactly what the change replaced.

A status change keeps a `StatusBefore` (crm/services/attendance.py): the invitations'
columns as they were, the attendance interactions it logged, and the rows of those it
deleted. Undo puts back the invitations that are still as the change left them (same
status, same attendance link) and leaves the others alone, as the calendar's "leave as
not sent" does: what the user did to them since wins. For those, the interactions the
change logged are deleted, and the ones it deleted come back under their own ids with
their participants (people purged since are left out), so timelines, the search index
(its triggers) and last_interaction_at are what they were. An id taken meanwhile by a
new interaction (the table has no AUTOINCREMENT, so a deleted top id is reused) is
replaced by a fresh one, and the invitation links to that.
"""

from __future__ import annotations

import json
from typing import Any

from crm.services.attendance import (
    ATTENDED,
    INTERACTION_COLUMNS,
    INVITATION_COLUMNS,
    PARTICIPANT_COLUMNS,
    PARTICIPANT_KEY,
    StatusBefore,
    rows_of,
)
from crm.services.common import chunks
from crm.services.interactions import refresh_last_interaction


def undo_change(s: Any, before: StatusBefore) -> tuple[int, list[int]]:
    """Inside the caller's transaction: (invitations put back, people touched)."""
    conn = s.connection()
    logged = dict(before.logged)
    old_link = {int(row[0]): row[5] for row in before.invitations}
    now = {
        int(r[0]): (r[1], r[5])
        for r in rows_of(conn, "invitation", INVITATION_COLUMNS, list(old_link))
    }

    def left_by_change(inv: int) -> tuple[str, int | None]:
        if inv in logged:
            return before.status, logged[inv]
        return before.status, old_link[inv] if before.status == ATTENDED else None

    ok = {inv for inv in old_link if now.get(inv) == left_by_change(inv)}
    people: list[int] = []
    drop = [logged[inv] for inv in ok if inv in logged]
    if drop:
        people += [
            int(p)
            for _, p in rows_of(conn, "participant", PARTICIPANT_COLUMNS, drop, PARTICIPANT_KEY)
        ]
        for part in chunks(drop, 5_000):
            marks = ",".join(str(int(i)) for i in part)
            conn.exec_driver_sql(f"DELETE FROM interaction WHERE id IN ({marks})")

    back = {old_link[inv] for inv in ok if inv not in logged and old_link[inv] is not None}
    rows = [r for r in before.deleted if r[0] in back]
    new_id: dict[int, int] = {}
    if rows:
        taken = {r[0] for r in rows_of(conn, "interaction", "id", [r[0] for r in rows])}
        top = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM interaction").scalar())
        for r in rows:
            if r[0] in taken:
                top += 1
                new_id[int(r[0])] = top
            else:
                new_id[int(r[0])] = int(r[0])
        # One statement for all of them, so the search index flushes once (see
        # attendance.py): the rows travel as one JSON array.
        picks = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(len(rows[0])))
        conn.exec_driver_sql(
            f"INSERT INTO interaction ({INTERACTION_COLUMNS}) SELECT {picks} FROM json_each(?)",
            (json.dumps([[new_id[int(r[0])], *r[1:]] for r in rows]),),
        )
        parts = [(new_id[i], p) for i, p in before.participants if i in new_id]
        conn.exec_driver_sql(
            "INSERT INTO participant (interaction_id, person_id) SELECT ?, ? "
            "WHERE EXISTS (SELECT 1 FROM person WHERE id = ?)",
            [(i, p, p) for i, p in parts],
        )
        people += [p for _, p in parts]

    restore = [
        (*row[1:5], new_id.get(row[5], row[5]) if row[5] is not None else None, row[0])
        for row in before.invitations
        if int(row[0]) in ok
    ]
    if restore:
        conn.exec_driver_sql(
            "UPDATE invitation SET status = ?, invited_at = ?, responded_at = ?, "
            "updated_at = ?, attendance_interaction_id = ? WHERE id = ?",
            restore,
        )
    if people:
        refresh_last_interaction(s, people)
    return len(ok), people
