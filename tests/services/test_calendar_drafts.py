"""Email drafts: one .eml per invitee, read back with the email package part by part."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

import icalendar
import pytest

from crm.services import ServiceError, Services
from tests.services.ics_data import (
    add_event,
    add_person,
    event_uid,
    invite,
    set_organiser,
    update_event,
)


def _read(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _setup(services: Services) -> int:
    set_organiser(services, "Ada Lead", "lead@example.org")
    eid = add_event(services, "Rust & Coffee", status="announced", location="Café Zürich")
    invite(services, eid, add_person(services, "Zoë Ünal", "zoe@example.org"), role="speaker")
    invite(services, eid, add_person(services, "Bob Builder", "bob@example.org"))
    invite(services, eid, add_person(services, "Bob Builder", "bob2@example.org"))
    invite(services, eid, add_person(services, "No Mail"))
    return eid


def test_one_draft_per_invitee_with_the_invitation_parts(
    services: Services, tmp_path: Path
) -> None:
    eid = _setup(services)
    folder = tmp_path / "drafts"
    result = services.calendar.write_drafts(eid, folder)
    assert sorted(p.name for p in result.files) == [
        "bob-builder-2.eml",
        "bob-builder.eml",
        "zoe-unal.eml",
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in result.files)
    assert [lo.name for lo in result.left_out] == ["No Mail"]

    msg = _read(folder / "zoe-unal.eml")
    assert msg["From"].addresses[0].addr_spec == "lead@example.org"
    assert msg["From"].addresses[0].display_name == "Ada Lead"
    assert msg["To"].addresses[0].addr_spec == "zoe@example.org"
    assert msg["To"].addresses[0].display_name == "Zoë Ünal"
    assert msg["Subject"].startswith("Invitation: Rust & Coffee — Sat 29 Mar 2025, 18:00–20:30")
    assert msg["X-Unsent"] == "1"
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, cal_part = alternative.iter_parts()
    assert plain.get_content_type() == "text/plain"
    body = plain.get_content()
    assert "Hello Zoë" in body and "as a speaker" in body and "Café Zürich" in body
    assert "(Europe/Berlin, CET)" in body
    assert cal_part.get_content_type() == "text/calendar"
    assert cal_part.get_param("method") == "REQUEST"
    assert cal_part.get_content_charset() == "utf-8"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_content().decode("utf-8") == cal_part.get_content()

    cal = icalendar.Calendar.from_ical(cal_part.get_content())
    assert cal["METHOD"] == "REQUEST"
    ev = cal.walk("VEVENT")[0]
    assert str(ev["UID"]) == event_uid(services, eid)
    assert str(ev["ORGANIZER"]) == "mailto:lead@example.org"
    # Only the recipient is named: no member's address goes to everyone.
    attendee = ev["ATTENDEE"]
    assert str(attendee) == "mailto:zoe@example.org"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT" and attendee.params["RSVP"] == "TRUE"


def test_drafts_of_a_cancelled_event_cancel_it(services: Services, tmp_path: Path) -> None:
    eid = _setup(services)
    update_event(services, eid, status="cancelled")
    result = services.calendar.write_drafts(eid, tmp_path / "d")
    assert result.method == "CANCEL"
    msg = _read(result.files[0])
    assert msg["Subject"].startswith("Cancelled: Rust & Coffee")
    cal_part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    assert cal_part.get_param("method") == "CANCEL"
    ev = icalendar.Calendar.from_ical(cal_part.get_content()).walk("VEVENT")[0]
    assert ev["STATUS"] == "CANCELLED" and int(ev["SEQUENCE"]) == 1


def test_drafts_are_refused_whole(services: Services, tmp_path: Path) -> None:
    eid = _setup(services)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(ServiceError, match="is a file"):
        services.calendar.write_drafts(eid, a_file)
    with pytest.raises(ServiceError, match="does not exist"):
        services.calendar.write_drafts(eid, tmp_path / "no" / "such")
    folder = tmp_path / "cancelled"
    asked: list[int] = []

    def cancel_after_two() -> bool:  # two drafts are made, then the user cancels
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(ServiceError, match="Cancelled"):
        services.calendar.write_drafts(eid, folder, cancelled=cancel_after_two)
    assert len(asked) == 3
    assert list(folder.iterdir()) == []
