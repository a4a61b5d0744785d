"""Replies (METHOD:REPLY) read back into invitations: matched, or reported — never guessed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from crm.services import Changes, Services
from tests.services.ics_data import (
    add_event,
    add_person,
    event_uid,
    invitation,
    invite,
    reply,
    update_event,
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_reply_sets_the_status_and_the_answer_time(
    services: Services, tmp_path: Path, changes: list[Changes]
) -> None:
    eid = add_event(services)
    ann = add_person(services, "Ann", "Ann@Example.org")
    inv = invite(services, eid, ann)
    uid = event_uid(services, eid)
    files = [
        _write(tmp_path, "ann.ics", reply(uid, "MAILTO:ann@EXAMPLE.org", "ACCEPTED")),
    ]
    report = services.calendar.import_replies(files)
    assert report.rejected == ()
    assert (report.files, report.files_applied) == (1, 1)
    (done,) = report.applied
    assert (done.name, done.status, done.previous, done.event_id) == (
        "Ann",
        "accepted",
        "invited",
        eid,
    )
    row = invitation(services, inv)
    assert row.status == "accepted"
    assert row.responded_at == datetime(2025, 3, 1, 12, 0)  # the reply's DTSTAMP
    assert changes and changes[-1].touches("invitations")

    # A later answer replaces it; each PARTSTAT maps to our status.
    for partstat, status, stamp in (
        ("DECLINED", "declined", "20250302T080000Z"),
        ("TENTATIVE", "tentative", "20250303T080000Z"),
    ):
        path = _write(
            tmp_path, f"{status}.ics", reply(uid, "ann@example.org", partstat, stamp=stamp)
        )
        assert services.calendar.import_replies([path]).applied[0].status == status
        assert invitation(services, inv).status == status


def test_replies_that_match_nothing_are_reported_not_guessed(
    services: Services, tmp_path: Path
) -> None:
    eid = add_event(services)
    uid = event_uid(services, eid)
    ann = add_person(services, "Ann", "ann@example.org")
    invite(services, eid, ann)
    add_person(services, "Bob", "bob@example.org")  # known, but not invited
    twin_a = add_person(services, "Twin A", "twins@example.org")
    twin_b = add_person(services, "Twin B", "Twins@example.org")
    invite(services, eid, twin_a)
    invite(services, eid, twin_b)
    cases = {
        "other-uid.ics": (
            reply("not-ours-123", "ann@example.org"),
            "no event with UID not-ours-123",
        ),
        "stranger.ics": (reply(uid, "who@example.org"), "nobody here has that email"),
        "bob.ics": (reply(uid, "bob@example.org"), "no one invited to it has that email"),
        "twins.ics": (reply(uid, "twins@example.org"), "belongs to 2 people"),
        "no-answer.ics": (reply(uid, "ann@example.org", "NEEDS-ACTION"), "is not an answer"),
    }
    paths = [_write(tmp_path, name, data) for name, (data, _) in cases.items()]
    report = services.calendar.import_replies(paths)
    assert report.applied == ()
    got = {p.file: (p.line, p.reason) for p in report.rejected}
    assert set(got) == set(cases)
    for name, (_, reason) in cases.items():
        assert reason in got[name][1], name
        assert got[name][0] == 12, name  # the ATTENDEE line
    assert {invitation(services, i).status for i in range(1, 4)} == {"invited"}


def test_broken_files_are_refused_with_file_and_line(services: Services, tmp_path: Path) -> None:
    eid = add_event(services)
    uid = event_uid(services, eid)
    good = reply(uid, "ann@example.org").decode()
    broken = {
        "garbage.ics": (good.replace("SEQUENCE:0", "this is not a content line"), 7),
        "unclosed.ics": (good.replace("END:VEVENT\r\n", ""), 13),
        "request.ics": (good.replace("METHOD:REPLY", "METHOD:REQUEST"), 4),
        "bad-stamp.ics": (good.replace("DTSTAMP:20250301T120000Z", "DTSTAMP:soon"), 8),
        "no-uid.ics": (good.replace(f"UID:{uid}\r\n", ""), 5),
        "not-ical.ics": ("hello\r\n", 1),
    }
    paths = [_write(tmp_path, n, data.encode()) for n, (data, _) in broken.items()]
    report = services.calendar.import_replies([*paths, tmp_path / "missing.ics"])
    got = {p.file: p for p in report.rejected}
    for name, (_, line) in broken.items():
        assert got[name].line == line, (name, got[name])
    assert "METHOD:REQUEST" in got["request.ics"].reason
    assert "cannot be read" in got["missing.ics"].reason
    assert report.applied == ()


def test_each_file_is_all_or_nothing(services: Services, tmp_path: Path) -> None:
    eid = add_event(services)
    uid = event_uid(services, eid)
    ann = invite(services, eid, add_person(services, "Ann", "ann@example.org"))
    bob = invite(services, eid, add_person(services, "Bob", "bob@example.org"))
    # One file answering for Ann and for a stranger: refused whole.
    two = (
        reply(uid, "ann@example.org")
        .decode()
        .replace(
            "END:VEVENT",
            'ATTENDEE;CN="X";PARTSTAT=ACCEPTED:mailto:x@example.org\r\nEND:VEVENT',
        )
    )
    mixed = _write(tmp_path, "mixed.ics", two.encode())
    fine = _write(tmp_path, "bob.ics", reply(uid, "bob@example.org", "DECLINED"))
    report = services.calendar.import_replies([mixed, fine])
    assert [p.file for p in report.rejected] == ["mixed.ics"]
    assert [a.name for a in report.applied] == ["Bob"]
    assert invitation(services, ann).status == "invited"
    assert invitation(services, bob).status == "declined"


def test_old_late_and_outdated_answers(services: Services, tmp_path: Path) -> None:
    eid = add_event(services)
    uid = event_uid(services, eid)
    ann = invite(services, eid, add_person(services, "Ann", "ann@example.org"))
    cam = invite(services, eid, add_person(services, "Cam", "cam@example.org"), status="attended")
    newer = _write(tmp_path, "new.ics", reply(uid, "ann@example.org", stamp="20250310T000000Z"))
    older = _write(
        tmp_path, "old.ics", reply(uid, "ann@example.org", "DECLINED", stamp="20250301T000000Z")
    )
    late = _write(tmp_path, "cam.ics", reply(uid, "cam@example.org", "DECLINED"))
    report = services.calendar.import_replies([newer, older, late])
    assert [a.file for a in report.applied] == ["new.ics"]
    reasons = {p.file: p.reason for p in report.rejected}
    assert "older than the one recorded" in reasons["old.ics"]
    assert "already recorded as attended" in reasons["cam.ics"]
    assert invitation(services, ann).status == "accepted"
    assert invitation(services, cam).status == "attended"

    # An answer to an older version of the invitation is applied, with a note.
    update_event(services, eid, location="Elsewhere")
    path = _write(
        tmp_path, "v0.ics", reply(uid, "ann@example.org", "TENTATIVE", stamp="20250311T000000Z")
    )
    (done,) = services.calendar.import_replies([path]).applied
    assert "answers version 0" in done.note and "version 1" in done.note
