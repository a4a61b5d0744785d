"""The demo's attendance records: one "event attendance" interaction per attended invitation.

The app logs one when attendance is recorded (crm.services.attendance._log): kind
"event attendance", dated at the event's start, "in person" or "video" (an online-only
event), direction mutual, sentiment 0, summary "Attended <title>", details
"<Kind> · event:<id>" (the link the timeline follows), the attendee as the only
participant, and its id kept on the invitation (attendance_interaction_id), so that
taking the attendance back removes exactly that interaction. The demo writes the same
rows. They count within the demo's interactions: the other touches make up the rest,
and since every "event attendance" interaction now comes from an invitation, the
generic touches no longer invent attendance of events that do not exist.

Ids are given by the interaction generator, which merges these records into its
time-ordered stream (ids follow time there); link() then writes them back into the
invitation rows, with the moment attendance was recorded as the invitation's
updated_at, as set_status would.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from crm.services.demo.clock import ts
from crm.services.demo.events import EventRows

KIND = "event attendance"
# Where the fields sit in the event and invitation rows (EVENT_COLUMNS, INVITATION_COLUMNS).
_E_ID, _E_TITLE, _E_KIND, _E_STARTS_UTC, _E_LOCATION, _E_URL = 0, 3, 4, 9, 10, 11
_I_EVENT, _I_PERSON, _I_STATUS, _I_UPDATED, _I_LINK = 0, 1, 3, 8, 9


class Attended(NamedTuple):
    """One attendance record: when, which invitation row, who, and the interaction's
    columns after its id (INTERACTION_COLUMNS[1:])."""

    occurred: str
    position: int  # index of the invitation in EventRows.invitations
    person_id: int
    columns: tuple[object, ...]


def attendance(rows: EventRows, now: datetime) -> list[Attended]:
    """The attendance records of the demo's attended invitations, oldest first."""
    protos: dict[object, tuple[str, tuple[object, ...]]] = {}
    for e in rows.events:
        starts = str(e[_E_STARTS_UTC])
        # Recorded the day after the event (as a lead would), never after "now".
        recorded = ts(min(datetime.fromisoformat(starts) + timedelta(days=1), now))
        online_only = bool(e[_E_URL]) and not e[_E_LOCATION]
        protos[e[_E_ID]] = (
            starts,
            (
                KIND,
                starts,
                "video" if online_only else "in person",
                "mutual",
                0,
                f"Attended {e[_E_TITLE]}"[:500],
                f"{str(e[_E_KIND]).capitalize()} · event:{e[_E_ID]}",
                recorded,
            ),
        )
    out = []
    for pos, inv in enumerate(rows.invitations):
        if inv[_I_STATUS] == "attended":
            occurred, columns = protos[inv[_I_EVENT]]
            out.append(Attended(occurred, pos, int(inv[_I_PERSON]), columns))  # type: ignore[call-overload]
    out.sort(key=lambda a: (a.occurred, a.position))
    return out


def link(rows: EventRows, records: Sequence[Attended], ids: Sequence[int]) -> None:
    """Put each record's interaction id (ids, in the order of records) on its invitation."""
    inv = rows.invitations
    for a, iid in zip(records, ids, strict=True):
        row = inv[a.position]
        recorded = a.columns[-1]
        updated = max(str(row[_I_UPDATED]), str(recorded))
        inv[a.position] = (*row[:_I_UPDATED], updated, iid)
