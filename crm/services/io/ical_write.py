"""Writing iCalendar (RFC 5545) and iTIP (RFC 5546) files from plain event records.

Pure: no database. The service reads the rows and hands them over as `CalEvent` and
`CalAttendee`; this module turns them into text.

Why the VEVENT lines are written here and not by icalendar's `to_ical()`: a calendar
of 1,000 events with 50 attendees each takes icalendar ≈ 2 s to serialise (its generic
property and parameter machinery runs for every one of the 50,000 ATTENDEE lines), and
the export must keep pace with that. The lines we write are few and fixed, so they
are formatted directly, with the RFC's escaping (§3.3.11), parameter quoting (§3.2)
and folding at 75 octets (§3.1, never inside a UTF-8 character). icalendar still
builds every VTIMEZONE (from zoneinfo, the hard part), and the tests parse every file
back with icalendar and vobject and import it into khal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PRODID = "-//Rapport//Rapport community CRM//EN"
UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Zulu", "Zulu", "UCT", "Universal"})

# Our event status → iCalendar STATUS.
EVENT_STATUS = {
    "planning": "TENTATIVE",
    "announced": "CONFIRMED",
    "done": "CONFIRMED",
    "cancelled": "CANCELLED",
}
# Our invitation status → PARTSTAT. "Not sent" and "invited" have no answer yet;
# attended and no-show come after the event, when the answer was (at least) yes.
PARTSTAT = {
    "not sent": "NEEDS-ACTION",
    "invited": "NEEDS-ACTION",
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentative": "TENTATIVE",
    "attended": "ACCEPTED",
    "no-show": "ACCEPTED",
}
# Our invitation role → ROLE: the host chairs; speakers (panelists speak too) must be
# there; everyone else is welcome.
ROLE = {"host": "CHAIR", "speaker": "REQ-PARTICIPANT", "panelist": "REQ-PARTICIPANT"}
OPTIONAL = "OPT-PARTICIPANT"


class CalendarDataError(ValueError):
    """An event cannot be written (an unknown time zone, say); the message names it."""


@dataclass(frozen=True)
class CalEvent:
    uid: str
    sequence: int
    title: str
    starts_at: datetime  # naive wall clock in time_zone
    ends_at: datetime
    time_zone: str
    status: str = "planning"
    location: str = ""
    online_url: str = ""
    description: str = ""
    created_at: datetime | None = None  # naive UTC
    updated_at: datetime | None = None  # naive UTC


@dataclass(frozen=True)
class CalPerson:
    name: str
    email: str


@dataclass(frozen=True)
class CalAttendee:
    name: str
    email: str
    role: str = "attendee"
    status: str = "invited"


# ---- value formatting ----------------------------------------------------------------
_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": ""})
_CONTROLS = {c: None for c in range(32) if c not in (9, 10)} | {127: None}


def text(value: str) -> str:
    """A TEXT value (§3.3.11): backslash, semicolon, comma and newline escaped."""
    if value.isprintable() and not any(c in value for c in "\\;,"):
        return value
    return value.replace("\r\n", "\n").translate(_CONTROLS).translate(_TEXT_ESCAPES)


def param(value: str) -> str:
    """A parameter value (§3.2): quoted when it holds ; : or , — a quote cannot appear."""
    if not value.isprintable() or '"' in value:  # rare: most names are plain
        value = value.replace("\n", " ").replace("\t", " ").translate(_CONTROLS)
        value = value.replace('"', "'")
    if ";" in value or ":" in value or "," in value:
        return f'"{value}"'
    return value


def quoted(value: str) -> str:
    """A parameter value always in quotes: for CN, as Outlook and icalendar write it
    (some readers split an unquoted name at a space or a non-ASCII letter)."""
    if not value.isprintable() or '"' in value:
        value = value.replace("\n", " ").replace("\t", " ").translate(_CONTROLS)
        value = value.replace('"', "'")
    return f'"{value}"'


def uri(value: str) -> str:
    """A URI value: no escaping (it is not TEXT), but no line breaks or controls."""
    if value.isprintable():
        return value.strip()
    return value.translate(_CONTROLS).replace("\n", "").replace("\t", "").strip()


def mailto(email: str) -> str:
    return "mailto:" + uri(email)


def utc_stamp(moment: datetime) -> str:
    """A UTC DATE-TIME (…Z). Naive datetimes are taken as UTC (that is what we store)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """A content line folded at 75 octets (§3.1), never inside a UTF-8 character."""
    if len(line) <= 75 and (line.isascii() or len(line.encode("utf-8")) <= 75):
        return line
    if line.isascii():  # one octet per character: cut by position
        return "\r\n ".join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))])
    data = line.encode("utf-8")
    parts: list[str] = []
    start, limit = 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: step back to its start
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    parts.append(data[start:].decode("utf-8"))
    return "\r\n ".join(parts)


# ---- time zones ----------------------------------------------------------------------
def zone_of(name: str) -> ZoneInfo | None:
    """The zone, or None for UTC (written with a Z, needing no VTIMEZONE)."""
    if name in UTC_ZONES:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise CalendarDataError(f"unknown time zone {name!r}") from None


def vtimezones(events: Sequence[CalEvent]) -> list[str]:
    """A VTIMEZONE (icalendar, from zoneinfo) for every zone the events use, covering
    the years from one before the first event to one after the last in that zone."""
    from icalendar import Timezone

    spans: dict[str, tuple[date, date]] = {}
    for ev in events:
        if ev.time_zone in UTC_ZONES:
            continue
        first, last = ev.starts_at.date(), ev.ends_at.date()
        if ev.time_zone in spans:
            lo, hi = spans[ev.time_zone]
            spans[ev.time_zone] = (min(lo, first), max(hi, last))
        else:
            spans[ev.time_zone] = (first, last)
    out = []
    for name in sorted(spans):
        zone = zone_of(name)
        lo, hi = spans[name]
        tz = Timezone.from_tzinfo(
            zone, tzid=name, first_date=date(lo.year - 1, 1, 1), last_date=date(hi.year + 2, 1, 1)
        )
        out.append(tz.to_ical().decode("utf-8").rstrip("\r\n"))
    return out


def _when(prop: str, wall: datetime, zone: str) -> str:
    if zone in UTC_ZONES:
        return f"{prop}:{wall.strftime('%Y%m%dT%H%M%S')}Z"
    return f"{prop};TZID={param(zone)}:{wall.strftime('%Y%m%dT%H%M%S')}"


# ---- components ----------------------------------------------------------------------
def vevent(
    ev: CalEvent,
    *,
    stamp: str,
    organiser: CalPerson | None = None,
    attendees: Iterable[CalAttendee] = (),
    cancel: bool = False,
) -> list[str]:
    """The folded lines of one VEVENT. `cancel` forces STATUS:CANCELLED (METHOD:CANCEL)."""
    status = "CANCELLED" if cancel else EVENT_STATUS.get(ev.status, "CONFIRMED")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{text(ev.uid)}",
        f"SEQUENCE:{int(ev.sequence)}",
        f"DTSTAMP:{stamp}",
        _when("DTSTART", ev.starts_at, ev.time_zone),
        _when("DTEND", ev.ends_at, ev.time_zone),
        fold(f"SUMMARY:{text(ev.title)}"),
        f"STATUS:{status}",
    ]
    if ev.created_at is not None:
        lines.append(f"CREATED:{utc_stamp(ev.created_at)}")
    if ev.updated_at is not None:
        lines.append(f"LAST-MODIFIED:{utc_stamp(ev.updated_at)}")
    location = ev.location.strip() or ev.online_url.strip()
    if location:
        lines.append(fold(f"LOCATION:{text(location)}"))
    if ev.online_url.strip():
        lines.append(fold(f"URL:{uri(ev.online_url)}"))
    if ev.description.strip():
        lines.append(fold(f"DESCRIPTION:{text(ev.description.strip())}"))
    if organiser is not None:
        lines.append(fold(f"ORGANIZER;CN={quoted(organiser.name)}:{mailto(organiser.email)}"))
    for a in attendees:
        lines.append(
            fold(
                f"ATTENDEE;CN={quoted(a.name)};ROLE={ROLE.get(a.role, OPTIONAL)};"
                f"PARTSTAT={PARTSTAT.get(a.status, 'NEEDS-ACTION')};RSVP=TRUE:{mailto(a.email)}"
            )
        )
    lines.append("END:VEVENT")
    return lines


def calendar(
    items: Sequence[tuple[CalEvent, Sequence[CalAttendee]]],
    *,
    method: str | None = "PUBLISH",
    organiser: CalPerson | None = None,
    now: datetime | None = None,
) -> str:
    """A whole VCALENDAR: the VTIMEZONEs first (some clients need them before use),
    then one VEVENT per item. METHOD:CANCEL marks every event cancelled."""
    stamp = utc_stamp(now or datetime.now(UTC))
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    lines.extend(vtimezones([ev for ev, _ in items]))
    cancel = method == "CANCEL"
    for ev, attendees in items:
        lines.extend(
            vevent(ev, stamp=stamp, organiser=organiser, attendees=attendees, cancel=cancel)
        )
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
