"""Reading iTIP replies (RFC 5546 METHOD:REPLY) that mail clients save as .ics files.

Pure: no database. The service matches what this returns against invitations.

The content lines are read here, one by one with icalendar's own line parser, rather
than through `Calendar.from_ical()`: icalendar is lenient (a line it cannot read is
set aside in `component.errors`), and a broken file must be refused with the number
of the line that is wrong. Values are decoded with icalendar's types.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import UTC, date, datetime

# PARTSTAT of a reply → our invitation status. Anything else is not an answer.
ANSWERS = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}


class IcsError(ValueError):
    """The file cannot be used as it is; `line` is where (0: the file as a whole)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Reply:
    """One attendee's answer to one event, as a reply file states it."""

    line: int  # the ATTENDEE line
    uid: str
    sequence: int
    stamp: datetime | None  # DTSTAMP as naive UTC: when the reply was made
    email: str  # lower case, without mailto:
    name: str
    partstat: str  # upper case, as written


def decode(data: bytes) -> str:
    """Text of a calendar file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def content_lines(text: str) -> list[tuple[int, str]]:
    """(line number of the first physical line, unfolded line), blank lines dropped."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if raw[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + raw[1:])
        elif raw.strip():
            out.append((number, raw))
    return out


def email_of(value: str) -> str:
    """The address of a CAL-ADDRESS: mailto: (any case) stripped, lower case."""
    value = value.strip()
    if value[:7].lower() == "mailto:":
        value = value[7:]
    return value.strip().lower()


def _stamp(value: str, line: int) -> datetime:
    from icalendar import vDDDTypes

    try:
        moment = vDDDTypes.from_ical(value)
    except ValueError:
        raise IcsError(line, f"DTSTAMP {value!r} is not a date and time") from None
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        return moment.replace(tzinfo=None)
    if isinstance(moment, date):
        return datetime(moment.year, moment.month, moment.day)
    raise IcsError(line, f"DTSTAMP {value!r} is not a date and time")


def read_replies(data: bytes) -> list[Reply]:
    """Every answer in a METHOD:REPLY file. Raises IcsError for a broken file or one
    that is not a reply; the caller names the file."""
    from icalendar.parser import Contentline

    lines = content_lines(decode(data))
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise IcsError(lines[0][0] if lines else 0, "not an iCalendar file (no BEGIN:VCALENDAR)")
    stack: list[tuple[str, int]] = []
    method: tuple[str, int] | None = None
    replies: list[Reply] = []
    event: dict[str, tuple[str, int]] = {}
    attendees: list[tuple[int, str, str, str]] = []
    events = 0
    for number, line in lines:
        try:
            name, params, value = Contentline(line).parts()
        except ValueError:
            raise IcsError(number, f"not an iCalendar content line: {line[:60]!r}") from None
        name = name.upper()
        if name == "BEGIN":
            stack.append((value.strip().upper(), number))
            if stack[-1][0] == "VEVENT":
                event, attendees = {}, []
            continue
        if name == "END":
            kind = value.strip().upper()
            if not stack or stack[-1][0] != kind:
                open_ = f"BEGIN:{stack[-1][0]} on line {stack[-1][1]}" if stack else "nothing"
                raise IcsError(number, f"END:{kind} does not close {open_}")
            _kind, begun = stack.pop()
            if kind == "VEVENT" and len(stack) == 1:
                events += 1
                replies.extend(_event_replies(begun, event, attendees))
            continue
        if not stack:
            raise IcsError(number, f"{name} after END:VCALENDAR")
        where = stack[-1][0]
        if where == "VCALENDAR" and name == "METHOD":
            method = (value.strip().upper(), number)
        elif where == "VEVENT" and len(stack) == 2:
            if name == "ATTENDEE":
                cn = str(params.get("CN", ""))
                partstat = str(params.get("PARTSTAT", "NEEDS-ACTION")).upper()
                attendees.append((number, value, cn, partstat))
            elif name in ("UID", "SEQUENCE", "DTSTAMP") and name not in event:
                event[name] = (value, number)
    if stack:
        raise IcsError(stack[-1][1], f"BEGIN:{stack[-1][0]} is never closed")
    if method is None or method[0] != "REPLY":
        said = f"METHOD:{method[0]}" if method else "no METHOD"
        raise IcsError(
            method[1] if method else 0,
            f"not a reply to an invitation ({said}; replies say METHOD:REPLY)",
        )
    if not events:
        raise IcsError(0, "holds no event (no VEVENT)")
    return replies


def _event_replies(
    begun: int, event: dict[str, tuple[str, int]], attendees: list[tuple[int, str, str, str]]
) -> list[Reply]:
    if "UID" not in event or not event["UID"][0].strip():
        raise IcsError(begun, "the event has no UID, so it matches no invitation")
    uid = event["UID"][0].strip()
    sequence = 0
    if "SEQUENCE" in event:
        value, number = event["SEQUENCE"]
        try:
            sequence = int(value.strip())
        except ValueError:
            raise IcsError(number, f"SEQUENCE {value!r} is not a number") from None
    stamp = _stamp(*event["DTSTAMP"]) if "DTSTAMP" in event else None
    if not attendees:
        raise IcsError(begun, "the reply names no attendee (no ATTENDEE line)")
    return [
        Reply(number, uid, sequence, stamp, email_of(value), cn, partstat)
        for number, value, cn, partstat in attendees
    ]
