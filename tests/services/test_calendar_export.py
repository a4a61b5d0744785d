"""Calendar exports: every file parsed back with icalendar and vobject, field by field."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
import vobject

from crm.services import ServiceError, Services
from crm.services.io.ical_write import CalPerson
from tests.services.ics_data import (
    add_event,
    add_person,
    event_uid,
    invite,
    set_organiser,
    update_event,
)


def _ical(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def _vobj(path: Path):  # type: ignore[no-untyped-def]
    return vobject.readOne(path.read_text(encoding="utf-8"))


def _tzid(value: datetime) -> str:
    """The TZID vobject read a time with (it moves the parameter into the tzinfo)."""
    return vobject.icalendar.TimezoneComponent.pickTzid(value.tzinfo)


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def test_calendar_across_dst_in_two_zones(services: Services, tmp_path: Path) -> None:
    # The days either side of each zone's switch to summer time in 2025.
    ids = [
        add_event(services, "Berlin before", datetime(2025, 3, 29, 18), datetime(2025, 3, 29, 20)),
        add_event(services, "Berlin after", datetime(2025, 3, 30, 18), datetime(2025, 3, 30, 20)),
        add_event(
            services,
            "NY before",
            datetime(2025, 3, 8, 18),
            datetime(2025, 3, 8, 20),
            zone="America/New_York",
        ),
        add_event(
            services,
            "NY after",
            datetime(2025, 3, 10, 18),
            datetime(2025, 3, 10, 20),
            zone="America/New_York",
        ),
        add_event(
            services, "Online", datetime(2025, 4, 1, 9), datetime(2025, 4, 1, 10), zone="UTC"
        ),
    ]
    out = tmp_path / "all.ics"
    result = services.calendar.export_calendar(out)
    assert result.events == 5
    assert result.zones == ("America/New_York", "Europe/Berlin", "UTC")
    expected = {
        "Berlin before": datetime(2025, 3, 29, 17),  # CET, UTC+1
        "Berlin after": datetime(2025, 3, 30, 16),  # CEST, UTC+2
        "NY before": datetime(2025, 3, 8, 23),  # EST, UTC-5
        "NY after": datetime(2025, 3, 10, 22),  # EDT, UTC-4
        "Online": datetime(2025, 4, 1, 9),
    }

    cal = _ical(out)
    assert cal["METHOD"] == "PUBLISH" and cal["VERSION"] == "2.0" and "Rapport" in cal["PRODID"]
    assert sorted(tz["TZID"] for tz in cal.walk("VTIMEZONE")) == [
        "America/New_York",
        "Europe/Berlin",
    ]
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == set(expected)
    for title, start in expected.items():
        assert _utc(events[title].decoded("DTSTART")) == start, title
    assert events["Berlin after"]["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert "TZID" not in events["Online"]["DTSTART"].params
    assert "ATTENDEE" not in events["Berlin after"]  # PUBLISH names no attendees
    uids = {str(e["UID"]) for e in events.values()}
    assert uids == {event_uid(services, i) for i in ids}

    # vobject reads the times through our VTIMEZONE blocks, not by the zone's name:
    # this checks the VTIMEZONEs themselves.
    vcal = _vobj(out)
    assert vcal.method.value == "PUBLISH"
    seen = {ev.summary.value: ev for ev in vcal.vevent_list}
    for title, start in expected.items():
        assert _utc(seen[title].dtstart.value) == start, title
    assert _tzid(seen["NY after"].dtstart.value) == "America/New_York"
    assert sorted(tz.tzid.value for tz in vcal.vtimezone_list) == [
        "America/New_York",
        "Europe/Berlin",
    ]


def test_text_is_escaped_and_long_lines_folded(services: Services, tmp_path: Path) -> None:
    title = "Résumé clinic; CVs, cover letters \\ and more — " + "ünïcödé " * 12
    description = "Line one, with commas;\nline two\n\n" + "x" * 300
    add_event(
        services,
        title,
        description=description,
        location="Café Zürich, Room 2",
        online_url="https://example.org/meet?a=1,b=2",
    )
    out = tmp_path / "text.ics"
    services.calendar.export_calendar(out)
    raw = out.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines folded at 75 octets"
    raw.decode("utf-8")  # folding never cut a character
    ev = _ical(out).walk("VEVENT")[0]
    assert str(ev["SUMMARY"]) == title
    assert str(ev["DESCRIPTION"]) == description
    assert str(ev["LOCATION"]) == "Café Zürich, Room 2"
    assert str(ev["URL"]) == "https://example.org/meet?a=1,b=2"
    vev = _vobj(out).vevent
    assert vev.summary.value == title
    assert vev.description.value == description


def _invitation_setup(services: Services) -> tuple[int, dict[str, int]]:
    set_organiser(services, "Ada Lead", "lead@example.org")
    eid = add_event(services, status="announced", location="c-base, Berlin")
    people = {
        "host": add_person(services, "Hanna Host", "hanna@example.org"),
        "speaker": add_person(services, "Sam Speaker, PhD", "SAM@Example.org"),
        "attendee": add_person(services, "Ann Attendee", "ann@example.org", "ann2@example.org"),
        "noemail": add_person(services, "Nomail Person"),
        "trashed": add_person(services, "Tom Trash", "tom@example.org", archived=True),
    }
    invite(services, eid, people["host"], role="host", status="accepted")
    invite(services, eid, people["speaker"], role="speaker", status="tentative")
    invite(services, eid, people["attendee"], status="not sent")
    invite(services, eid, people["noemail"])
    invite(services, eid, people["trashed"])
    return eid, people


def test_invitations_are_an_itip_request(services: Services, tmp_path: Path) -> None:
    eid, _people = _invitation_setup(services)
    out = tmp_path / "invite.ics"
    result = services.calendar.export_invitations(eid, out)
    assert (result.method, result.attendees, result.sequence) == ("REQUEST", 3, 0)
    assert {(lo.name, lo.reason) for lo in result.left_out} == {
        ("Nomail Person", "no email address"),
        ("Tom Trash", "in the Trash"),
    }

    cal = _ical(out)
    assert cal["METHOD"] == "REQUEST"
    ev = cal.walk("VEVENT")[0]
    assert str(ev["UID"]) == event_uid(services, eid)
    assert ev["SEQUENCE"] == 0 and ev["STATUS"] == "CONFIRMED"
    assert str(ev["ORGANIZER"]) == "mailto:lead@example.org"
    assert ev["ORGANIZER"].params["CN"] == "Ada Lead"
    attendees = ev["ATTENDEE"]
    got = [
        (str(a), a.params["CN"], a.params["ROLE"], a.params["PARTSTAT"], a.params["RSVP"])
        for a in attendees
    ]
    assert got == [
        ("mailto:hanna@example.org", "Hanna Host", "CHAIR", "ACCEPTED", "TRUE"),
        ("mailto:SAM@Example.org", "Sam Speaker, PhD", "REQ-PARTICIPANT", "TENTATIVE", "TRUE"),
        ("mailto:ann@example.org", "Ann Attendee", "OPT-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
    ]

    vev = _vobj(out).vevent
    assert _vobj(out).method.value == "REQUEST"
    assert vev.uid.value == event_uid(services, eid)
    assert vev.sequence.value == "0"
    assert vev.organizer.params["CN"] == ["Ada Lead"]
    vatt = {a.value: a.params for a in vev.attendee_list}
    assert vatt["mailto:SAM@Example.org"]["CN"] == ["Sam Speaker, PhD"]
    assert vatt["mailto:hanna@example.org"]["ROLE"] == ["CHAIR"]
    assert vatt["mailto:ann@example.org"]["RSVP"] == ["TRUE"]
    assert _tzid(vev.dtstart.value) == "Europe/Berlin"


def test_sequence_goes_up_with_each_change_and_the_uid_stays(
    services: Services, tmp_path: Path
) -> None:
    eid, _ = _invitation_setup(services)
    seen = []
    for n in range(3):
        out = tmp_path / f"v{n}.ics"
        services.calendar.export_invitations(eid, out)
        ev = _ical(out).walk("VEVENT")[0]
        seen.append((str(ev["UID"]), int(ev["SEQUENCE"]), _utc(ev.decoded("DTSTART"))))
        update_event(services, eid, starts_at=datetime(2025, 3, 29, 19 + n))
    assert len({uid for uid, _, _ in seen}) == 1
    assert [seq for _, seq, _ in seen] == [0, 1, 2]
    assert [t.hour for _, _, t in seen] == [17, 18, 19]


def test_a_cancelled_event_exports_a_cancel(services: Services, tmp_path: Path) -> None:
    eid, _ = _invitation_setup(services)
    services.calendar.export_invitations(eid, tmp_path / "request.ics")
    update_event(services, eid, status="cancelled")
    out = tmp_path / "cancel.ics"
    result = services.calendar.export_invitations(eid, out)
    assert result.method == "CANCEL"
    cal = _ical(out)
    ev = cal.walk("VEVENT")[0]
    assert cal["METHOD"] == "CANCEL" and ev["STATUS"] == "CANCELLED"
    assert int(ev["SEQUENCE"]) == 1
    assert str(ev["UID"]) == str(_ical(tmp_path / "request.ics").walk("VEVENT")[0]["UID"])
    assert len(ev["ATTENDEE"]) == 3
    assert _vobj(out).method.value == "CANCEL"


def test_invitations_are_refused_without_an_organiser_or_invitees(
    services: Services, tmp_path: Path
) -> None:
    eid = add_event(services)
    out = tmp_path / "x.ics"
    with pytest.raises(ServiceError, match="organiser"):
        services.calendar.export_invitations(eid, out)
    set_organiser(services)
    with pytest.raises(ServiceError, match="Nobody is invited"):
        services.calendar.export_invitations(eid, out)
    invite(services, eid, add_person(services, "No Mail"))
    with pytest.raises(ServiceError, match="has an email address"):
        services.calendar.export_invitations(eid, out)
    with pytest.raises(ServiceError, match="No event with id 999"):
        services.calendar.export_invitations(999, out)
    assert not out.exists()


def test_a_failed_export_keeps_the_old_file(services: Services, tmp_path: Path) -> None:
    add_event(services)
    out = tmp_path / "all.ics"
    out.write_text("old")
    add_event(services, "Broken zone", zone="Mars/Olympus_Mons")
    with pytest.raises(ServiceError, match="Mars/Olympus_Mons"):
        services.calendar.export_calendar(out)
    assert out.read_text() == "old"
    assert not [p.name for p in tmp_path.iterdir() if ".ics" in p.name and p != out]


def test_calendar_with_attendees_is_a_plain_record(services: Services, tmp_path: Path) -> None:
    eid, _ = _invitation_setup(services)
    other = add_event(services, "Empty one")
    out = tmp_path / "with.ics"
    result = services.calendar.export_calendar(out, attendees=True)
    assert (result.events, result.attendees) == (2, 3)
    cal = _ical(out)
    assert "METHOD" not in cal
    by_uid = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(by_uid[event_uid(services, eid)]["ATTENDEE"]) == 3
    assert "ATTENDEE" not in by_uid[event_uid(services, other)]


def test_the_organiser_is_the_one_saved_in_settings(services: Services) -> None:
    from crm.models import Setting

    assert services.calendar.organiser() is None
    set_organiser(services, "Old Name", "old@example.org")
    assert services.calendar.organiser() == CalPerson("Old Name", "old@example.org")
    services.settings.set_organiser("Ada Lead", "ada@example.org")
    assert services.calendar.organiser() == CalPerson("Ada Lead", "ada@example.org")
    with services.db.session() as s:  # a spelling nobody writes any more is not read
        s.merge(Setting(key="organiser.email", value="dotted@example.org"))
    assert services.calendar.organiser() == CalPerson("Ada Lead", "ada@example.org")
