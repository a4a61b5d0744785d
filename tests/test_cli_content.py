"""`crm content` and `crm goals`: listings as text and JSON, clean refusals."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from crm.cli import main
from crm.services import open_services
from crm.services.content_data import ContentInput
from crm.services.goals import GoalInput
from crm.services.people_data import PersonInput


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite"
    sv = open_services(f"sqlite:///{path}")
    try:
        ann = sv.people.create(PersonInput(display_name="Ann Lee", roles=("member",)))
        sv.content.create(ContentInput("Rust tips", "blog post", "drafting", guest_author_id=ann))
        sv.content.create(
            ContentInput("Launch video", "video", "published", publish_on=date(2025, 1, 2))
        )
        today = date.today()
        sv.goals.create(
            GoalInput("Members", "members", 0, 2, today - timedelta(days=5), today + timedelta(5))
        )
    finally:
        sv.close()
    return path


def test_content_listing(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "Rust tips  (guest: Ann Lee)" in out and "Launch video" in out
    assert main(["content", "--db", str(db_file), "--status", "published", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["publish_on"]) for r in rows] == [("Launch video", "2025-01-02")]


def test_goals_listing(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["goals", "--db", str(db_file), "--json"]) == 0
    (goal,) = json.loads(capsys.readouterr().out)
    assert goal["progress"]["current"] == 1 and goal["progress"]["state"] == "on track"
    assert main(["goals", "--db", str(db_file)]) == 0
    assert "1 of 2 members" in capsys.readouterr().out


def test_bad_arguments_exit_2(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "--db", str(db_file), "--status", "done"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crm: --status") and err.count("\n") == 1
    assert main(["goals", "--db", str(db_file.parent / "missing.sqlite")]) == 2
    assert "Traceback" not in capsys.readouterr().err
