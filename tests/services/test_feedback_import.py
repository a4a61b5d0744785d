"""CSV import of survey results: Google Forms, Typeform, cp1252, broken rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from crm.services import ServiceError, Services, ValidationError
from crm.services.feedback import QuestionInput, SurveyInput
from crm.services.feedback_import import parse_score, parse_timestamp
from crm.services.people_data import EmailData

FIXTURES = Path(__file__).parent.parent / "fixtures" / "surveys"


def _data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def people(make_person) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        "ada": make_person("Ada Lovelace", emails=(EmailData("Ada@Example.org"),)),
        "grace": make_person("Grace Hopper", emails=(EmailData("grace@example.org"),)),
        "alan": make_person("Alan Turing", emails=(EmailData("alan@example.org"),)),
    }


def test_google_forms_export(services: Services, people: dict[str, int]) -> None:
    fb = services.feedback
    sid = fb.create_survey(
        SurveyInput(
            "Spring meetup", questions=(QuestionInput("Which session did you enjoy most?"),)
        )
    )
    qid = fb.get_survey(sid).questions[0].id
    preview = fb.imports.preview(sid, _data("google_forms_nps.csv"), "google_forms_nps.csv")
    assert preview.total_rows == 5
    assert list(preview.mapping.values()) == [
        "timestamp",
        "email",
        "score",
        "comment",
        f"question:{qid}",
    ]
    report = fb.imports.run(sid, _data("google_forms_nps.csv"), "google_forms_nps.csv")
    assert report.written and report.rejected == ()
    assert (report.imported, report.matched, report.anonymous) == (5, 3, 2)
    rows = fb.response_rows(fb.response_ids(sid, sort="responded_at", descending=False))
    first = rows[0]
    assert first.person_id == people["ada"] and first.score == 10
    assert first.responded_at == datetime(2024, 3, 5, 13, 23, 11)  # GMT+1 → UTC
    assert first.answers == {str(qid): "Lightning talks"}
    # a quoted comment over two lines stays one response; unknown email kept, anonymous
    unknown = rows[3]
    assert unknown.person_id is None and unknown.answers["email"] == "nobody@unknown.example"
    assert "\n" in unknown.comment
    assert rows[4].person_id == people["alan"]  # ALAN@EXAMPLE.ORG, any case
    assert fb.score(sid).text() == "0"  # 2 promoters, 1 passive, 2 detractors
    assert [r.survey_title for r in fb.person_responses(people["grace"])] == ["Spring meetup"]
    # importing the same file again adds nothing
    again = fb.imports.run(sid, _data("google_forms_nps.csv"), "google_forms_nps.csv")
    assert (again.imported, again.duplicates) == (0, 5)
    assert len(fb.response_ids(sid)) == 5


def test_typeform_export(services: Services, people: dict[str, int]) -> None:
    fb = services.feedback
    sid = fb.create_survey(SurveyInput("Webinar CSAT", scale="csat"))
    preview = fb.imports.preview(sid, _data("typeform_csat.csv"), "typeform_csat.csv")
    assert preview.mapping == {
        "#": "ignore",
        "How satisfied were you with the webinar?": "score",
        "What could we do better?": "comment",
        "email": "email",
        "Tags": "tags",
        "Start Date (UTC)": "ignore",
        "Submit Date (UTC)": "timestamp",
        "Network ID": "ignore",
    }
    report = fb.imports.run(sid, _data("typeform_csat.csv"), "typeform_csat.csv")
    assert (report.imported, report.matched, report.anonymous) == (3, 2, 1)
    rows = fb.response_rows(fb.response_ids(sid, sort="responded_at", descending=False))
    assert rows[0].tags == ("webinar", "docs")
    assert rows[0].responded_at == datetime(2024, 4, 10, 16, 2, 44)
    assert rows[1].comment == "More time for Q&A, please"
    assert fb.score(sid).text() == "67 %"


def test_wrong_encoding_is_read_as_cp1252(services: Services) -> None:
    fb = services.feedback
    sid = fb.create_survey(SurveyInput("Excel copy"))
    report = fb.imports.run(sid, _data("excel_cp1252.csv"), "excel_cp1252.csv")
    assert report.imported == 2 and "read as cp1252" in report.notes
    comments = {r.comment for r in fb.response_rows(fb.response_ids(sid))}
    assert comments == {"Café was great — worth €10", "“Best meetup”"}
    when = {r.responded_at for r in fb.response_rows(fb.response_ids(sid))}
    assert datetime(2024, 3, 5, 14, 23, 11) in when  # m/d/Y, as Google Sheets (US) writes


def test_broken_rows_refuse_the_whole_file_with_lines_and_reasons(services: Services) -> None:
    fb = services.feedback
    sid = fb.create_survey(SurveyInput("Broken"))
    report = fb.imports.run(sid, _data("broken.csv"), "broken.csv")
    assert not report.written and report.imported == 0
    assert fb.response_ids(sid) == []
    reasons = {r.line: r.reason for r in report.rejected}
    assert sorted(reasons) == [3, 4, 5, 6]
    assert "outside the NPS scale" in reasons[3]
    assert "quote" in reasons[4]
    assert "not a number" in reasons[5]
    assert "not a date" in reasons[6]
    assert "nothing imported" in report.summary()
    # asked to, it imports the good rows and still reports the rest
    partial = fb.imports.run(sid, _data("broken.csv"), "broken.csv", skip_rejected=True)
    assert partial.written and partial.imported == 2 and len(partial.rejected) == 4
    assert sorted(r.score for r in fb.response_rows(fb.response_ids(sid))) == [0, 9]


def test_mapping_checks_and_saved_mappings(services: Services) -> None:
    fb = services.feedback
    sid = fb.create_survey(SurveyInput("S"))
    data = _data("typeform_csat.csv")
    with pytest.raises(ValidationError, match="no column"):
        fb.imports.run(sid, data, "t.csv", {"Nope": "score"})
    with pytest.raises(ValidationError, match="at least one"):
        fb.imports.run(sid, data, "t.csv", {"email": "email"})
    with pytest.raises(ValidationError, match="no such question"):
        fb.imports.run(sid, data, "t.csv", {"email": "question:999"})
    with pytest.raises(ServiceError, match="empty"):
        fb.imports.run(sid, b"", "empty.csv")
    mapping = {"What could we do better?": "comment", "Submit Date (UTC)": "timestamp"}
    fb.imports.save_mapping("Typeform text", mapping)
    assert fb.imports.mappings() == ["Typeform text"]
    assert fb.imports.mapping("Typeform text") == mapping
    # contact imports do not offer survey mappings
    assert "survey: Typeform text" not in services.imports.mappings()
    report = fb.imports.run(sid, data, "t.csv", fb.imports.mapping("Typeform text"))
    assert report.imported == 3
    assert {r.score for r in fb.response_rows(fb.response_ids(sid))} == {None}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024/03/05 2:23:11 PM GMT+1", datetime(2024, 3, 5, 13, 23, 11)),
        ("2024/03/05 2:23:11 AM GMT-05:00", datetime(2024, 3, 5, 7, 23, 11)),
        ("2024-04-10 16:02:44", datetime(2024, 4, 10, 16, 2, 44)),
        ("2024-04-10T16:02:44Z", datetime(2024, 4, 10, 16, 2, 44)),
        ("25/12/2024 10:00:00", datetime(2024, 12, 25, 10, 0)),
        ("", None),
        ("soon", None),
    ],
)
def test_timestamps(raw: str, expected: datetime | None) -> None:
    assert parse_timestamp(raw) == expected


def test_scores_parse() -> None:
    assert parse_score("9") == 9 and parse_score(" 9.0 ") == 9
    assert parse_score("10 - Extremely likely") == 10 and parse_score("") is None
    with pytest.raises(ValueError, match="not a number"):
        parse_score("Very likely")
