"""Email drafts of invitations: one .eml per invitee that a mail client opens as a
meeting invitation (Thunderbird, Outlook, Apple Mail and Gmail all read this shape).

The shape is the one those clients send themselves:

    multipart/mixed
      multipart/alternative
        text/plain                       the invitation in words
        text/calendar; method=REQUEST    the iTIP request (what makes it an invitation)
      application/ics  invite.ics        the same calendar, for clients that look there

`X-Unsent: 1` makes Outlook open the file as a draft to send rather than as a
received message. Pure: no database.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from zoneinfo import ZoneInfo

from crm.services.io.ical_write import UTC_ZONES, CalAttendee, CalEvent, CalPerson

ROLE_WORDS = {
    "host": "as the host",
    "speaker": "as a speaker",
    "panelist": "as a panelist",
    "volunteer": "as a volunteer",
}


def when_text(ev: CalEvent) -> str:
    """ "Tue 4 Mar 2025, 18:00–20:00 (Europe/Berlin, CET)" — the time as the event has it."""
    start, end = ev.starts_at, ev.ends_at
    abbreviation = ""
    if ev.time_zone not in UTC_ZONES:
        try:
            abbreviation = start.replace(tzinfo=ZoneInfo(ev.time_zone)).tzname() or ""
        except (ValueError, OSError, KeyError):
            abbreviation = ""
    zone = f"{ev.time_zone}, {abbreviation}" if abbreviation else ev.time_zone
    day = f"{start:%a} {start.day} {start:%b %Y}"
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M} ({zone})"
    return f"{day}, {start:%H:%M} – {end:%a} {end.day} {end:%b %Y}, {end:%H:%M} ({zone})"


def body_text(ev: CalEvent, organiser: CalPerson, to: CalAttendee, cancel: bool) -> str:
    first = to.name.split()[0] if to.name.split() else "there"
    lines = [f"Hello {first},", ""]
    if cancel:
        lines += [
            f"I am sorry to say that “{ev.title}” is cancelled.",
            "",
            f"When: {when_text(ev)}",
        ]
    else:
        role = ROLE_WORDS.get(to.role, "")
        lines += [
            f"You are invited to “{ev.title}”{' ' + role if role else ''}.",
            "",
            f"When: {when_text(ev)}",
        ]
        if ev.location.strip():
            lines.append(f"Where: {ev.location.strip()}")
        if ev.online_url.strip():
            lines.append(f"Online: {ev.online_url.strip()}")
        if ev.description.strip():
            lines += ["", ev.description.strip()]
        lines += [
            "",
            "Please answer with the Accept / Tentative / Decline buttons of your calendar.",
        ]
    lines += ["", organiser.name or organiser.email]
    return "\n".join(lines) + "\n"


def _address(person: CalPerson | CalAttendee) -> Address:
    local, _, domain = person.email.strip().rpartition("@")
    name = " ".join(person.name.split())
    return Address(display_name=name, username=local, domain=domain)


def draft(
    ev: CalEvent,
    organiser: CalPerson,
    to: CalAttendee,
    ics: str,
    *,
    cancel: bool = False,
    now: datetime | None = None,
) -> bytes:
    """One ready-to-send message to `to`, carrying `ics` (a REQUEST or CANCEL)."""
    msg = EmailMessage()
    msg["From"] = _address(organiser)
    msg["To"] = _address(to)
    msg["Subject"] = f"{'Cancelled' if cancel else 'Invitation'}: {ev.title} — {when_text(ev)}"
    if now is not None:
        from email.utils import format_datetime

        msg["Date"] = format_datetime(now)
    msg["X-Unsent"] = "1"
    msg.set_content(body_text(ev, organiser, to, cancel), charset="utf-8")
    method = "CANCEL" if cancel else "REQUEST"
    msg.add_alternative(ics, subtype="calendar", charset="utf-8", params={"method": method})
    msg.add_attachment(
        ics.encode("utf-8"), maintype="application", subtype="ics", filename="invite.ics"
    )
    return msg.as_bytes(policy=SMTP)


def file_stem(name: str, email: str) -> str:
    """A safe file name for a person's draft: letters, digits, dashes."""
    plain = unicodedata.normalize("NFKD", name or email.split("@")[0])
    plain = plain.encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()
    return stem[:60] or "invitee"
