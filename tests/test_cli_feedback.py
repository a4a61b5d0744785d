"""`crm feedback import|scores|trend` and `crm initiatives`, headless."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from crm.cli import main
from crm.services import open_services
from crm.services.feedback import QuestionInput, ResponseInput, SurveyInput
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


def test_answers_counts_choices_and_lists_texts(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sv = open_services(f"sqlite:///{db_file}", create=False)
    try:
        sid = sv.feedback.create_survey(
            SurveyInput(
                "Topic poll",
                questions=(
                    QuestionInput("Which topic?", "choice", ("Security", "Tooling", "Career")),
                    QuestionInput("Anything else?", "text"),
                ),
            )
        )
        choice, text = (q.id for q in sv.feedback.get_survey(sid).questions)
        for day, topic, said in (
            (1, "Tooling", "More demos"),
            (2, "Security", ""),
            (3, "Tooling", "Shorter talks"),
        ):
            sv.feedback.add_response(
                sid,
                ResponseInput(
                    9,
                    answers={str(choice): topic, **({str(text): said} if said else {})},
                    responded_at=datetime(2025, 3, day),
                ),
            )
    finally:
        sv.close()
    assert main(["feedback", "answers", "topic", "--json", "--db", str(db_file)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["responses"] == 3
    c, t = got["questions"]
    assert c["answered"] == 3 and c["other"] == 0
    assert c["choices"] == [
        {"choice": "Tooling", "count": 2, "share": 0.6667},
        {"choice": "Security", "count": 1, "share": 0.3333},
        {"choice": "Career", "count": 0, "share": 0.0},
    ]
    assert t["answered"] == 2 and [a["text"] for a in t["latest"]] == [
        "Shorter talks",
        "More demos",
    ]
    assert main(["feedback", "answers", str(sid), "--latest", "1", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "Topic poll — 3 responses" in out
    assert "  Tooling         2   67 %" in out and "  Career          0    0 %" in out
    assert "2025-03-03  anonymous: Shorter talks" in out and "More demos" not in out
    # the survey without questions, and refusals
    assert main(["feedback", "answers", "Spring meetup", "--db", str(db_file)]) == 0
    assert "(no choice or text questions)" in capsys.readouterr().out
    assert main(["feedback", "answers", "nothing like it", "--db", str(db_file)]) == 2
    assert capsys.readouterr().err == "crm: No survey called “nothing like it”\n"
    assert main(["feedback", "answers", "p", "--db", str(db_file)]) == 2  # both titles
    assert "matches 2 surveys" in capsys.readouterr().err
    assert main(["feedback", "answers", "99", "--db", str(db_file)]) == 2
    assert capsys.readouterr().err == "crm: No survey with id 99\n"


def test_answers_of_a_question_nobody_answered(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sv = open_services(f"sqlite:///{db_file}", create=False)
    try:
        sv.feedback.create_survey(
            SurveyInput("Quiet poll", questions=(QuestionInput("Which?", "choice", ("A", "B")),))
        )
    finally:
        sv.close()
    assert main(["feedback", "answers", "quiet", "--db", str(db_file)]) == 0
    assert "Which?  (choice; 0 answered)\n  No answers yet" in capsys.readouterr().out
