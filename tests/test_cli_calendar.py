"""`crm export calendar|invitations` and `crm import` of calendar replies."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from crm.cli import main
from crm.services import open_services
from tests.services.ics_data import (
    add_event,
    add_person,
    event_uid,
    invitation,
    invite,
    reply,
    set_organiser,
)


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, int, str, int]:
    """(db file, event id, its UID, Ann's invitation id)."""
    path = tmp_path / "cal.sqlite"
    sv = open_services(f"sqlite:///{path}")
    try:
        set_organiser(sv)
        eid = add_event(sv, "Kotlin Night", status="announced")
        add_event(sv, "NYC AMA", zone="America/New_York")
        inv = invite(sv, eid, add_person(sv, "Ann", "ann@example.org"))
        invite(sv, eid, add_person(sv, "No Mail"))
        uid = event_uid(sv, eid)
    finally:
        sv.close()
    return path, eid, uid, inv


def _one_line_error(err: str) -> None:
    assert err.startswith("crm: ") and err.count("\n") == 1 and "Traceback" not in err, err


def test_export_calendar(db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path, _eid, _uid, _inv = db
    out = tmp_path / "all.ics"
    assert main(["export", "calendar", "--db", str(path), "--out", str(out)]) == 0
    assert "2 events written" in capsys.readouterr().out
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert {str(e["SUMMARY"]) for e in cal.walk("VEVENT")} == {"Kotlin Night", "NYC AMA"}
    assert {str(t["TZID"]) for t in cal.walk("VTIMEZONE")} == {"Europe/Berlin", "America/New_York"}


def test_export_invitations_with_drafts(db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path, eid, uid, _inv = db
    out, drafts = tmp_path / "inv.ics", tmp_path / "drafts"
    args = ["export", "invitations", "--db", str(path), "--event", str(eid), "--out", str(out)]
    assert main([*args, "--drafts", str(drafts)]) == 0
    captured = capsys.readouterr()
    assert "invitation of “Kotlin Night” (sequence 0) to 1 people" in captured.out
    assert "1 email drafts written" in captured.out
    assert "left out: No Mail: no email address" in captured.err
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert cal["METHOD"] == "REQUEST" and str(cal.walk("VEVENT")[0]["UID"]) == uid
    assert [p.name for p in drafts.iterdir()] == ["ann.eml"]


@pytest.mark.parametrize("no_mark", [False, True])
def test_export_invitations_marks_the_not_sent(db, tmp_path: Path, capsys, no_mark) -> None:  # type: ignore[no-untyped-def]
    path, eid, _uid, ann = db
    sv = open_services(f"sqlite:///{path}")
    try:
        bea = invite(sv, eid, add_person(sv, "Bea", "bea@example.org"), status="not sent")
    finally:
        sv.close()
    args = ["export", "invitations", "--db", str(path), "--event", str(eid)]
    args += ["--out", str(tmp_path / "inv.ics"), "--drafts", str(tmp_path / "drafts")]
    assert main([*args, *(["--no-mark"] if no_mark else [])]) == 0
    out = capsys.readouterr().out
    sv = open_services(f"sqlite:///{path}")
    try:
        if no_mark:
            assert "marked" not in out
            assert invitation(sv, bea).status == "not sent"
        else:
            assert "1 invitations not sent before are now marked invited" in out
            assert invitation(sv, bea).status == "invited"
            assert invitation(sv, bea).invited_at is not None
        assert invitation(sv, ann).status == "invited"
    finally:
        sv.close()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--event", "999"], "No event with id 999"),
        (["--event", "1", "--organiser-email", "nobody"], "--organiser-email"),
        (["--event", "x"], "invalid int value"),
    ],
)
def test_export_invitations_refusals_exit_2(db, tmp_path: Path, capsys, extra, message) -> None:  # type: ignore[no-untyped-def]
    path = db[0]
    out = tmp_path / "inv.ics"
    assert main(["export", "invitations", "--db", str(path), "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert message in err
    assert not out.exists()


def test_import_takes_replies_by_content(db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path, _eid, uid, inv = db
    good = tmp_path / "reply.txt"  # the content decides, not the name
    good.write_bytes(reply(uid, "ann@example.org", "DECLINED"))
    stray = tmp_path / "stray.ics"
    stray.write_bytes(reply(uid, "zed@example.org"))
    assert main(["import", "--db", str(path), str(good), str(stray)]) == 1
    captured = capsys.readouterr()
    assert "1 replies applied from 1 of 2 calendar files, 1 refused" in captured.out
    assert "Ann <ann@example.org>: declined — Kotlin Night" in captured.out
    assert "stray.ics:12: zed@example.org answers “Kotlin Night”, but nobody" in captured.err
    sv = open_services(f"sqlite:///{path}")
    try:
        assert invitation(sv, inv).status == "declined"
    finally:
        sv.close()


def test_import_of_an_unusable_calendar_exits_2(db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = db[0]
    f = tmp_path / "request.ics"
    f.write_bytes(b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n")
    assert main(["import", "--db", str(path), "--format", "ics", str(f)]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "request.ics:2: not a reply" in err
