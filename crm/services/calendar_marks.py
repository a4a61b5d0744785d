"""Invitations marked "invited" once their invitation file or drafts are written.

After "Export invitations…" or "Email drafts…" the user sends what was written, so
the invitations still "not sent" of the people it went to become "invited" with
invited_at set — in the same transaction as the file's final move into place, so a
failed export marks nothing. Only "not sent" ones: an answer already recorded stays.
Undo puts back exactly the invitations that were marked, as long as nothing else has
happened to them since (still "invited", no answer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.services.common import chunks

NOT_SENT = "not sent"
INVITED = "invited"


@dataclass(frozen=True)
class Marked:
    """The invitations one export marked "invited", and the time it gave them."""

    event_id: int
    invitation_ids: tuple[int, ...] = ()
    at: datetime | None = None

    def __len__(self) -> int:
        return len(self.invitation_ids)


def sql_time(moment: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores, so values sort with the rest."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _marks(ids: Sequence[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


def mark_sent(s: Any, event_id: int, person_ids: Sequence[int], now: datetime) -> Marked:
    """Mark the "not sent" invitations to `event_id` of these people as "invited"."""
    conn = s.connection()
    found: list[int] = []
    for part in chunks(sorted(set(person_ids))):
        found += [
            r[0]
            for r in conn.exec_driver_sql(
                f"SELECT id FROM invitation WHERE event_id = ? AND status = ? "
                f"AND person_id IN ({_marks(part)})",
                (event_id, NOT_SENT),
            )
        ]
    found.sort()
    stamp = sql_time(now)
    for part in chunks(found):
        conn.exec_driver_sql(
            f"UPDATE invitation SET status = ?, invited_at = ?, responded_at = NULL, "
            f"updated_at = ? WHERE id IN ({_marks(part)})",
            (INVITED, stamp, stamp),
        )
    return Marked(event_id, tuple(found), now)


def unmark(s: Any, marked: Marked, now: datetime) -> int:
    """Undo: those still "invited" without an answer go back to "not sent"."""
    conn = s.connection()
    n = 0
    for part in chunks(marked.invitation_ids):
        res = conn.exec_driver_sql(
            f"UPDATE invitation SET status = ?, invited_at = NULL, responded_at = NULL, "
            f"updated_at = ? WHERE id IN ({_marks(part)}) AND status = ? "
            "AND responded_at IS NULL",
            (NOT_SENT, sql_time(now), INVITED),
        )
        n += res.rowcount or 0
    return n


def remark(s: Any, marked: Marked, now: datetime) -> int:
    """Redo: those still "not sent" become "invited" again, at the export's time."""
    conn = s.connection()
    stamp = sql_time(marked.at or now)
    n = 0
    for part in chunks(marked.invitation_ids):
        res = conn.exec_driver_sql(
            f"UPDATE invitation SET status = ?, invited_at = ?, responded_at = NULL, "
            f"updated_at = ? WHERE id IN ({_marks(part)}) AND status = ?",
            (INVITED, stamp, sql_time(now), NOT_SENT),
        )
        n += res.rowcount or 0
    return n
