"""`crm feedback import|scores|trend` and `crm initiatives`, headless."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crm.cli import main
from crm.services import open_services
from crm.services.feedback import SurveyInput
from crm.services.initiatives import InitiativeInput

SURVEYS = Path(__file__).parent / "fixtures" / "surveys"


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite"
    sv = open_services(f"sqlite:///{path}")
    try:
        sv.feedback.create_survey(SurveyInput("Spring meetup"))
        sv.initiatives.create(InitiativeInput("Hackathon", "contest", date(2024, 5, 1)))
    finally:
        sv.close()
    return path


def test_import_scores_and_trend(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = str(SURVEYS / "google_forms_nps.csv")
    assert main(["feedback", "import", csv, "--survey", "1", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "5 responses imported" in out
    assert main(["feedback", "scores", "--json", "--db", str(db_file)]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores[0]["title"] == "Spring meetup" and scores[0]["scored"] == 5
    assert scores[0]["value"] == 0
    assert main(["feedback", "trend", "--db", str(db_file)]) == 0
    assert capsys.readouterr().out.startswith("2024-03")


def test_broken_file_exits_1_with_lines_and_writes_nothing(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = str(SURVEYS / "broken.csv")
    assert main(["feedback", "import", csv, "--survey", "1", "--db", str(db_file)]) == 1
    captured = capsys.readouterr()
    assert "nothing imported" in captured.out
    assert "broken.csv: line 3: score 11 is outside the NPS scale" in captured.err
    assert main(["feedback", "scores", "--db", str(db_file)]) == 0
    assert "no responses" in capsys.readouterr().out


def test_refusals_exit_2_with_one_line(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = str(SURVEYS / "typeform_csat.csv")
    assert main(["feedback", "import", csv, "--survey", "99", "--db", str(db_file)]) == 2
    assert capsys.readouterr().err == "crm: No survey with id 99\n"
    assert main(["feedback", "import", "nope.csv", "--survey", "1", "--db", str(db_file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crm: nope.csv") and err.count("\n") == 1
    assert main(["feedback", "--db", str(db_file)]) == 2
    assert "feedback what?" in capsys.readouterr().err


def test_initiatives_list(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["initiatives", "--json", "--db", str(db_file)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["kind"], r["starts_on"]) for r in rows] == [
        ("Hackathon", "contest", "2024-05-01")
    ]
