"""Replies to invitations (iTIP METHOD:REPLY .ics files) read back into RSVP statuses.

A reply names the event by its UID and the person by the attendee's email address.
It updates the one invitation to that event of a person with that address (compared
without regard to case, "mailto:" stripped); PARTSTAT ACCEPTED, DECLINED or TENTATIVE
becomes accepted, declined or tentative, and responded_at the reply's DTSTAMP.
Nothing is guessed: a reply that matches no invitation, or more than one, or that is
older than the answer already recorded, is reported with its file and line. Each
file is applied whole or not at all; all files are one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crm.services.common import as_datetime
from crm.services.database import Database
from crm.services.io.ical_read import ANSWERS, IcsError, Reply, read_replies

# After the event the invitation says whether they came; a late answer changes nothing.
_SETTLED = ("attended", "no-show")


@dataclass(frozen=True)
class ReplyApplied:
    file: str
    line: int
    event_id: int
    event_title: str
    invitation_id: int
    person_id: int
    name: str
    email: str
    status: str  # the new status
    previous: str
    note: str = ""  # e.g. the reply answers an older version of the event


@dataclass(frozen=True)
class ReplyProblem:
    file: str
    line: int  # 0: the file as a whole
    reason: str
    unusable: bool = False  # broken or no reply at all, rather than a reply matching nothing


@dataclass(frozen=True)
class ReplyReport:
    applied: tuple[ReplyApplied, ...]
    rejected: tuple[ReplyProblem, ...]
    files: int  # files read
    files_applied: int


def _sql_time(moment: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores, so values sort with the rest."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


class _Refused(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def _match(s: Any, file: str, reply: Reply) -> tuple[ReplyApplied, datetime]:
    """What this reply changes, or _Refused with why it changes nothing."""
    conn = s.connection()
    event = conn.exec_driver_sql(
        "SELECT id, title, sequence, archived_at FROM event WHERE uid = ?", (reply.uid,)
    ).first()
    if event is None:
        raise _Refused(
            reply.line, f"no event with UID {reply.uid} here (a reply to some other calendar?)"
        )
    event_id, title, sequence, archived = event
    if archived is not None:
        raise _Refused(reply.line, f"“{title}” is in the Trash")
    if reply.partstat not in ANSWERS:
        raise _Refused(reply.line, f"PARTSTAT:{reply.partstat} from {reply.email} is not an answer")
    if not reply.email or "@" not in reply.email:
        raise _Refused(reply.line, f"the attendee {reply.email!r} is not an email address")
    rows = conn.exec_driver_sql(
        "SELECT DISTINCT i.id, i.person_id, p.display_name, i.status, i.responded_at "
        "FROM invitation i JOIN person p ON p.id = i.person_id "
        "JOIN email e ON e.person_id = i.person_id "
        "WHERE i.event_id = ? AND lower(trim(e.address)) = ?",
        (event_id, reply.email),
    ).all()
    if not rows:
        known = conn.exec_driver_sql(
            "SELECT count(*) FROM email WHERE lower(trim(address)) = ?", (reply.email,)
        ).scalar()
        who = "nobody here has" if not known else "no one invited to it has"
        raise _Refused(reply.line, f"{reply.email} answers “{title}”, but {who} that email")
    if len(rows) > 1:
        names = ", ".join(r[2] for r in rows)
        raise _Refused(
            reply.line,
            f"{reply.email} belongs to {len(rows)} people invited to “{title}” ({names}); "
            "not guessed — set the answer by hand",
        )
    invitation_id, person_id, name, previous, responded = rows[0]
    if previous in _SETTLED:
        raise _Refused(
            reply.line, f"{name} is already recorded as {previous} at “{title}”; not changed"
        )
    when = reply.stamp or datetime.now(UTC).replace(tzinfo=None)
    responded_at = as_datetime(responded)
    if responded_at is not None and when < responded_at:
        raise _Refused(
            reply.line,
            f"this answer from {name} ({when:%Y-%m-%d %H:%M} UTC) is older than the one "
            f"recorded ({responded_at:%Y-%m-%d %H:%M} UTC); not changed",
        )
    note = ""
    if reply.sequence < (sequence or 0):
        note = (
            f"answers version {reply.sequence} of the invitation; “{title}” has changed "
            f"since (version {sequence})"
        )
    status = ANSWERS[reply.partstat]
    applied = ReplyApplied(
        file,
        reply.line,
        event_id,
        title,
        invitation_id,
        person_id,
        name,
        reply.email,
        status,
        previous,
        note,
    )
    return applied, when


def import_replies(
    db: Database,
    paths: Sequence[str | Path],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ReplyReport:
    applied: list[ReplyApplied] = []
    rejected: list[ReplyProblem] = []
    files_applied = 0
    now = datetime.now(UTC).replace(tzinfo=None)
    with db.session() as s:
        for n, raw in enumerate(paths, 1):
            path = Path(raw)
            name = path.name or str(path)
            try:
                data = path.read_bytes()
                replies = read_replies(data)
                changes = [_match(s, name, r) for r in replies]
            except OSError as exc:
                reason = f"cannot be read ({exc.strerror or exc})"
                rejected.append(ReplyProblem(name, 0, reason, unusable=True))
            except IcsError as exc:
                rejected.append(ReplyProblem(name, exc.line, exc.reason, unusable=True))
            except _Refused as exc:
                rejected.append(ReplyProblem(name, exc.line, exc.reason))
            else:
                for change, when in changes:
                    s.connection().exec_driver_sql(
                        "UPDATE invitation SET status = ?, responded_at = ?, updated_at = ? "
                        "WHERE id = ?",
                        (change.status, _sql_time(when), _sql_time(now), change.invitation_id),
                    )
                applied.extend(c for c, _ in changes)
                files_applied += 1
            if progress is not None:
                progress(n, len(paths))
    return ReplyReport(tuple(applied), tuple(rejected), len(paths), files_applied)
