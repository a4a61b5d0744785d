"""Choice and text answers summarised per question, headless: exact counts and shares."""

from __future__ import annotations

from datetime import datetime

import pytest

from crm.services import NotFound, Services
from crm.services.feedback import QuestionInput, ResponseInput, SurveyInput
from crm.services.people_data import PersonInput

TOPICS = ("Security", "Tooling", "Career")


def _survey(services: Services) -> tuple[int, int, int]:
    sid = services.feedback.create_survey(
        SurveyInput(
            "Spring survey",
            questions=(
                QuestionInput("How likely…", "score"),
                QuestionInput("Which topic next?", "choice", TOPICS),
                QuestionInput("Why?", "text"),
            ),
        )
    )
    qs = services.feedback.get_survey(sid).questions
    return sid, qs[1].id, qs[2].id


def _respond(services: Services, sid: int, answers: dict[str, str], day: int = 1, **kw) -> int:  # type: ignore[no-untyped-def]
    return services.feedback.add_response(
        sid,
        ResponseInput(9, answers=answers, responded_at=datetime(2025, 3, day, 12), **kw),
    )


def test_no_answers_yet(services: Services) -> None:
    sid, choice, why = _survey(services)
    summary = services.feedback.answers(sid)
    assert summary.responses == 0
    assert [(q.question_id, q.kind, q.answered) for q in summary.questions] == [
        (choice, "choice", 0),
        (why, "text", 0),
    ]
    c = summary.questions[0]
    # every choice is listed, in the question's order, with nothing to share
    assert [(x.choice, x.count, x.percent()) for x in c.choices] == [
        ("Security", 0, "0 %"),
        ("Tooling", 0, "0 %"),
        ("Career", 0, "0 %"),
    ]
    assert summary.questions[1].latest == ()


def test_choice_counts_shares_rounding_and_order(services: Services) -> None:
    sid, choice, why = _survey(services)
    # 3 × Tooling, 2 × Career, 1 × Security, 1 without an answer, 1 blank answer
    for topic in ("Tooling", "Career", "Tooling", "Security", "Career", "Tooling"):
        _respond(services, sid, {str(choice): topic})
    _respond(services, sid, {str(why): "only the text"})
    _respond(services, sid, {str(choice): "   "})
    summary = services.feedback.answers(sid)
    assert summary.responses == 8
    c = summary.questions[0]
    assert c.answered == 6  # the blank answer and the missing one do not count
    assert [(x.choice, x.count, x.percent()) for x in c.choices] == [
        ("Tooling", 3, "50 %"),
        ("Career", 2, "33 %"),  # 33.3 rounds down
        ("Security", 1, "17 %"),  # 16.7 rounds up
    ]
    assert c.choices[1].share == pytest.approx(2 / 6)
    assert (c.other, c.several) == (0, 0)


def test_half_percent_rounds_away_from_zero(services: Services) -> None:
    sid, choice, _why = _survey(services)
    # 1 of 8 = 12.5 % → 13 %, 3 of 8 = 37.5 % → 38 %, 4 of 8 = 50 %
    for topic in ["Security"] * 4 + ["Tooling"] * 3 + ["Career"]:
        _respond(services, sid, {str(choice): topic})
    c = services.feedback.answers(sid).questions[0]
    assert [(x.choice, x.count, x.percent()) for x in c.choices] == [
        ("Security", 4, "50 %"),
        ("Tooling", 3, "38 %"),
        ("Career", 1, "13 %"),
    ]


def test_ties_keep_the_question_order(services: Services) -> None:
    sid, choice, _why = _survey(services)
    for topic in ("Career", "Security", "Tooling", "Career", "Security"):
        _respond(services, sid, {str(choice): topic})
    c = services.feedback.answers(sid).questions[0]
    assert [(x.choice, x.count) for x in c.choices] == [
        ("Security", 2),
        ("Career", 2),
        ("Tooling", 1),
    ]


def test_checkbox_answers_count_for_every_choice_named(services: Services) -> None:
    """A Google Forms checkbox cell ("A, B"), a semicolon list, a choice with a comma
    in its own label, and answers that name no choice at all."""
    sid = services.feedback.create_survey(
        SurveyInput(
            "Checkboxes",
            questions=(
                QuestionInput("What did you like?", "choice", ("Talks", "Food, drinks", "Venue")),
            ),
        )
    )
    q = services.feedback.get_survey(sid).questions[0].id
    for answer in (
        "Talks, Venue",  # two
        "Food, drinks",  # exactly one choice, comma and all
        "Talks;Food, drinks",  # two, semicolon-separated
        "Talks",
        "The people",  # none: other
        "talks",  # case matters: other
    ):
        _respond(services, sid, {str(q): answer})
    c = services.feedback.answers(sid).questions[0]
    assert c.answered == 6
    assert [(x.choice, x.count, x.percent()) for x in c.choices] == [
        ("Talks", 3, "50 %"),
        ("Food, drinks", 2, "33 %"),
        ("Venue", 1, "17 %"),
    ]
    assert (c.other, c.several) == (2, 2)


def test_imported_answers_are_summarised(services: Services) -> None:
    sid, choice, why = _survey(services)
    csv = (
        b"Timestamp,Which topic next?,Why?\n"
        b"2025/03/05 2:23:11 PM GMT+1,Security,Loved it\n"
        b"2025/03/06 9:00:00 AM GMT+1,Security,\n"
        b"2025/03/07 9:00:00 AM GMT+1,Career,Too long\n"
    )
    mapping = {
        "Timestamp": "timestamp",
        "Which topic next?": f"question:{choice}",
        "Why?": f"question:{why}",
    }
    report = services.feedback.imports.run(sid, csv, "form.csv", mapping)
    assert report.imported == 3
    summary = services.feedback.answers(sid)
    c, t = summary.questions
    assert [(x.choice, x.count) for x in c.choices][:2] == [("Security", 2), ("Career", 1)]
    assert t.answered == 2 and [a.text for a in t.latest] == ["Too long", "Loved it"]


def test_text_answers_count_and_latest_first(services: Services) -> None:
    sid, _choice, why = _survey(services)
    pid = services.people.create(PersonInput(given_name="Ada", family_name="Lovelace"))
    for day, said in ((1, "first"), (5, "fifth"), (3, "third"), (9, "ninth")):
        _respond(services, sid, {str(why): said}, day=day)
    _respond(services, sid, {str(why): "from a person"}, day=7, person_id=pid)
    _respond(services, sid, {str(why): ""}, day=20)  # blank: not an answer
    t = services.feedback.answers(sid).questions[1]
    assert t.kind == "text" and t.answered == 5
    assert [a.text for a in t.latest] == ["ninth", "from a person", "fifth"]
    assert t.latest[1].person_id == pid
    assert t.latest[1].person_name == "Ada Lovelace"
    assert t.latest[0].person_id is None and t.latest[0].person_name == ""
    assert t.latest[0].responded_at == datetime(2025, 3, 9, 12)
    assert [a.text for a in services.feedback.answers(sid, latest=1).questions[1].latest] == [
        "ninth"
    ]


def test_answers_of_other_surveys_do_not_count(services: Services) -> None:
    sid, choice, _why = _survey(services)
    other, other_choice, _ = _survey(services)
    _respond(services, sid, {str(choice): "Career"})
    _respond(services, other, {str(other_choice): "Career", str(choice): "Security"})
    c = services.feedback.answers(sid).questions[0]
    assert c.answered == 1 and next((x.choice, x.count) for x in c.choices) == ("Career", 1)


def test_unknown_survey(services: Services) -> None:
    with pytest.raises(NotFound):
        services.feedback.answers(999)
