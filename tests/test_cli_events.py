"""`crm events`: ids, wall-clock dates in the event's zone, status and invitation counts."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crm.cli import main
from crm.services import open_services
from crm.services.events import EventInput
from crm.services.people_data import PersonInput


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.sqlite"
    sv = open_services(f"sqlite:///{path}")
    try:
        ada = sv.people.create(PersonInput(display_name="Ada"))
        bob = sv.people.create(PersonInput(display_name="Bob"))
        old = sv.events.create(
            EventInput(
                "Berlin meetup",
                datetime(2024, 3, 31, 18, 0),
                datetime(2024, 3, 31, 20, 0),
                "Europe/Berlin",
            )
        )
        sv.invitations.invite(old, [ada, bob])
        sv.invitations.set_status(sv.invitations.query_ids(old)[:1], "attended")
        sv.events.create(
            EventInput(
                "NY webinar",
                datetime(2099, 11, 3, 12, 0),
                datetime(2099, 11, 3, 13, 0),
                "America/New_York",
                kind="webinar",
            )
        )
    finally:
        sv.close()
    return path


def test_events_json(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(db_file), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [e["title"] for e in out] == ["Berlin meetup", "NY webinar"]
    berlin = out[0]
    assert (berlin["starts"], berlin["time_zone"], berlin["starts_utc"]) == (
        "2024-03-31T18:00",
        "Europe/Berlin",
        "2024-03-31T16:00Z",
    )
    assert berlin["invitations"]["attended"] == 1
    assert berlin["invitations"]["not sent"] == 1
    assert berlin["invited"] == 2
    assert out[1]["invited"] == 0 and out[1]["kind"] == "webinar"


def test_events_text_and_scopes(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(db_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "2024-03-31 18:00–20:00 CEST (Europe/Berlin)" in lines[0]
    assert "2 invited: 1 not sent, 1 attended" in lines[0]
    assert "2099-11-03 12:00–13:00 EST (America/New_York)" in lines[1]
    assert main(["events", "--db", str(db_file), "--upcoming", "--json"]) == 0
    assert [e["title"] for e in json.loads(capsys.readouterr().out)] == ["NY webinar"]
    assert main(["events", "--db", str(db_file), "--past", "--json"]) == 0
    assert [e["title"] for e in json.loads(capsys.readouterr().out)] == ["Berlin meetup"]


def test_events_refusals(tmp_path: Path, db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(tmp_path / "missing.sqlite")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crm: ") and err.count("\n") == 1
    assert not (tmp_path / "missing.sqlite").exists()
    assert main(["events", "--db", str(db_file), "--past", "--upcoming"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
