"""Events and invitations for the calendar tests, written with the ORM models directly
(the calendar files must not depend on how the events pages edit them)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from crm.models import Email, Event, Invitation, Person
from crm.services import Services


def set_organiser(services: Services, name: str = "Ada Lead", email: str = "lead@example.org"):
    services.settings.set_organiser(name, email)


def add_person(services: Services, name: str, *emails: str, archived: bool = False) -> int:
    with services.db.session() as s:
        p = Person(display_name=name, archived_at=datetime(2025, 1, 1) if archived else None)
        p.emails = [Email(address=e) for e in emails]
        s.add(p)
        s.flush()
        return p.id


def add_event(
    services: Services,
    title: str = "Python Meetup",
    start: datetime = datetime(2025, 3, 29, 18, 0),
    end: datetime = datetime(2025, 3, 29, 20, 30),
    zone: str = "Europe/Berlin",
    **fields: object,
) -> int:
    try:
        tz = ZoneInfo(zone)
    except (ValueError, KeyError):  # a damaged row, for the tests that refuse it
        tz = ZoneInfo("UTC")
    utc = start.replace(tzinfo=tz).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    with services.db.session() as s:
        ev = Event(
            title=title, starts_at=start, ends_at=end, time_zone=zone, starts_utc=utc, **fields
        )
        s.add(ev)
        s.flush()
        return ev.id


def update_event(services: Services, event_id: int, **fields: object) -> None:
    """A change that matters to invitees: raises SEQUENCE, as the events service does."""
    with services.db.session() as s:
        ev = s.get(Event, event_id)
        assert ev is not None
        for k, v in fields.items():
            setattr(ev, k, v)
        ev.sequence += 1


def invite(
    services: Services,
    event_id: int,
    person_id: int,
    role: str = "attendee",
    status: str = "invited",
) -> int:
    with services.db.session() as s:
        inv = Invitation(event_id=event_id, person_id=person_id, role=role, status=status)
        s.add(inv)
        s.flush()
        return inv.id


def invitation(services: Services, invitation_id: int) -> Invitation:
    with services.db.read() as s:
        inv = s.get(Invitation, invitation_id)
        assert inv is not None
        s.expunge(inv)
        return inv


def event_uid(services: Services, event_id: int) -> str:
    with services.db.read() as s:
        ev = s.get(Event, event_id)
        assert ev is not None
        return ev.uid


REPLY = """BEGIN:VCALENDAR\r
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r
VERSION:2.0\r
METHOD:REPLY\r
BEGIN:VEVENT\r
UID:{uid}\r
SEQUENCE:{sequence}\r
DTSTAMP:{stamp}\r
DTSTART;TZID=Europe/Berlin:20250329T180000\r
SUMMARY:Python Meetup\r
ORGANIZER;CN=Ada Lead:mailto:lead@example.org\r
ATTENDEE;CN="{name}";PARTSTAT={partstat}:{address}\r
END:VEVENT\r
END:VCALENDAR\r
"""


def reply(
    uid: str,
    address: str,
    partstat: str = "ACCEPTED",
    *,
    name: str = "Someone",
    sequence: int = 0,
    stamp: str = "20250301T120000Z",
) -> bytes:
    return REPLY.format(
        uid=uid, address=address, partstat=partstat, name=name, sequence=sequence, stamp=stamp
    ).encode()
