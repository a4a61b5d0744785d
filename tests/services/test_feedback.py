"""Surveys, responses and the NPS / CSAT arithmetic, headless."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crm.services import NotFound, ServiceError, Services, ValidationError
from crm.services.feedback import QuestionInput, ResponseInput, SurveyInput
from crm.services.feedback_scores import Score, round_half_away


def _survey(services: Services, scale: str = "nps", **kw: object) -> int:
    return services.feedback.create_survey(SurveyInput(f"{scale} survey", scale=scale, **kw))  # type: ignore[arg-type]


def _answer(services: Services, sid: int, *scores: int | None, **kw: object) -> None:
    for n, sc in enumerate(scores):
        services.feedback.add_response(
            sid,
            ResponseInput(
                sc,
                comment="" if sc is not None else "text only",
                responded_at=kw.get("at", datetime(2024, 1 + n % 3, 10)),  # type: ignore[arg-type]
            ),
        )


def test_no_responses_is_no_figure_not_zero(services: Services) -> None:
    sid = _survey(services)
    score = services.feedback.score(sid)
    assert score.value is None and score.text() == "no responses"
    assert services.feedback.survey_rows([sid])[0].score.text() == "no responses"
    assert services.feedback.trend("nps", sid) == []
    # text-only responses do not count either
    _answer(services, sid, None)
    assert services.feedback.score(sid).text() == "no responses"


def test_all_passives_is_zero(services: Services) -> None:
    sid = _survey(services)
    _answer(services, sid, 7, 8, 7, 8)
    score = services.feedback.score(sid)
    assert (score.responses, score.good, score.bad, score.neutral) == (4, 0, 0, 4)
    assert score.value == 0 and score.text() == "0"


def test_all_promoters_and_all_detractors(services: Services) -> None:
    up, down = _survey(services), _survey(services)
    _answer(services, up, 9, 10, 10)
    _answer(services, down, 0, 6, 3)
    assert services.feedback.score(up).text() == "+100"
    assert services.feedback.score(down).text() == "−100"


def test_nps_boundaries_and_rounding(services: Services) -> None:
    sid = _survey(services)
    # 6 is a detractor, 7 and 8 passives, 9 a promoter: 3 promoters, 2 passives, 3 detractors
    _answer(services, sid, 9, 9, 10, 7, 8, 6, 6, 0)
    assert services.feedback.score(sid).value == 0
    _answer(services, sid, 9)  # 4 − 3 of 9 = 11.11…
    assert services.feedback.score(sid).text() == "+11"
    # half-way values round away from zero (Python's round() would give 12 and −12)
    assert Score("nps", 8, 1, 0).text() == "+13"
    assert Score("nps", 8, 0, 1).text() == "−13"
    assert round_half_away(2.5) == 3 and round_half_away(-0.4) == 0


def test_csat_is_share_of_four_and_five(services: Services) -> None:
    sid = _survey(services, "csat")
    _answer(services, sid, 5, 4, 3, 1, 2, 5)
    score = services.feedback.score(sid)
    assert (score.good, score.responses) == (3, 6)
    assert score.text() == "50 %"
    _answer(services, sid, 4)  # 4 of 7 = 57.14 %
    assert services.feedback.score(sid).text() == "57 %"


def test_scores_out_of_range_are_refused_and_write_nothing(services: Services) -> None:
    nps, csat = _survey(services), _survey(services, "csat")
    for sid, bad in ((nps, 11), (nps, -1), (csat, 0), (csat, 6)):
        with pytest.raises(ValidationError, match="outside"):
            services.feedback.add_response(sid, ResponseInput(bad))
    assert services.feedback.response_ids() == []
    with pytest.raises(ValidationError, match="score, a comment"):
        services.feedback.add_response(nps, ResponseInput(None))


def test_trend_by_month_in_sql(services: Services) -> None:
    a, b = _survey(services), _survey(services)
    for day, sc in (
        (datetime(2024, 1, 3), 10),
        (datetime(2024, 1, 20), 0),
        (datetime(2024, 2, 1), 9),
        (datetime(2024, 2, 2), 8),
    ):
        services.feedback.add_response(a, ResponseInput(sc, responded_at=day))
    services.feedback.add_response(b, ResponseInput(9, responded_at=datetime(2024, 2, 5)))
    one = services.feedback.trend("nps", a)
    assert [(m.month, m.score.text()) for m in one] == [("2024-01", "0"), ("2024-02", "+50")]
    every = services.feedback.trend("nps")
    assert [(m.month, m.score.responses, m.score.text()) for m in every] == [
        ("2024-01", 2, "0"),
        ("2024-02", 3, "+67"),
    ]
    assert services.feedback.trend("csat") == []


def test_survey_crud_questions_and_validation(services: Services) -> None:
    with pytest.raises(ValidationError) as err:
        services.feedback.create_survey(
            SurveyInput(" ", scale="stars", opened_on=date(2024, 2, 1), closed_on=date(2024, 1, 1))
        )
    assert set(err.value.errors) == {"title", "scale", "closed_on"}
    with pytest.raises(ValidationError, match="two choices"):
        services.feedback.create_survey(
            SurveyInput("Poll", kind="poll", questions=(QuestionInput("Pick", "choice", ("a",)),))
        )
    assert services.feedback.survey_count() == 0
    sid = services.feedback.create_survey(
        SurveyInput(
            "Meetup NPS",
            questions=(QuestionInput("Why?"), QuestionInput("Best talk", "choice", ("A", "B"))),
        )
    )
    d = services.feedback.get_survey(sid)
    assert [q.text for q in d.questions] == ["Why?", "Best talk"]
    why = d.questions[0].id
    inp = d.to_input()
    services.feedback.update_survey(
        sid,
        SurveyInput("Meetup NPS 2024", questions=(inp.questions[1], QuestionInput("New one"))),
    )
    d2 = services.feedback.get_survey(sid)
    assert d2.title == "Meetup NPS 2024"
    assert [q.text for q in d2.questions] == ["Best talk", "New one"]
    assert why not in {q.id for q in d2.questions}
    # the scale cannot change under scores that would fall outside it
    _answer(services, sid, 9)
    with pytest.raises(ValidationError, match="outside the CSAT"):
        services.feedback.update_survey(sid, SurveyInput("x", scale="csat"))


def test_delete_survey_says_what_goes(services: Services, make_person) -> None:  # type: ignore[no-untyped-def]
    sid = _survey(services, questions=(QuestionInput("Why?"),))
    pid = make_person("Ada Lovelace")
    services.feedback.add_response(sid, ResponseInput(9, person_id=pid))
    _answer(services, sid, 3, 4)
    assert services.feedback.survey_impact(sid) == (3, 1)
    seen: list[frozenset[str]] = []
    services.changes.subscribe(lambda c: seen.append(c.areas))
    services.feedback.delete_survey(sid)
    assert services.feedback.survey_count() == 0
    assert services.feedback.response_ids() == []
    assert services.feedback.person_responses(pid) == []
    assert seen and "feedback" in seen[-1]
    with pytest.raises(NotFound):
        services.feedback.delete_survey(sid)


def test_responses_filter_sort_and_person(services: Services, make_person) -> None:  # type: ignore[no-untyped-def]
    sid = _survey(services)
    ada = make_person("Ada Lovelace")
    services.feedback.add_response(
        sid,
        ResponseInput(
            10, "Loved the talks", ("talks", "venue"), ada, responded_at=datetime(2024, 3, 1)
        ),
    )
    services.feedback.add_response(
        sid, ResponseInput(3, "Too loud", ("venue",), responded_at=datetime(2024, 3, 2))
    )
    services.feedback.add_response(sid, ResponseInput(8, "ok", responded_at=datetime(2024, 3, 3)))
    fb = services.feedback
    assert len(fb.response_ids(sid)) == 3
    assert len(fb.response_ids(sid, band="good")) == 1
    assert len(fb.response_ids(sid, band="neutral")) == 1
    assert len(fb.response_ids(sid, band="bad")) == 1
    assert len(fb.response_ids(sid, "venue")) == 2
    assert len(fb.response_ids(sid, "ada")) == 1  # by the person's name
    assert len(fb.response_ids(sid, anonymous=True)) == 2
    by_score = fb.response_rows(fb.response_ids(sid, sort="score", descending=False))
    assert [r.score for r in by_score] == [3, 8, 10]
    mine = fb.person_responses(ada)
    assert [(r.survey_title, r.score, r.tags) for r in mine] == [
        ("nps survey", 10, ("talks", "venue"))
    ]
    assert mine[0].person_name == "Ada Lovelace"
    # edit: move it to anonymous
    fb.update_response(mine[0].id, ResponseInput(9, "edited", person_id=None))
    assert fb.person_responses(ada) == []
    assert fb.get_response(mine[0].id).comment == "edited"
    gone = fb.delete_responses([mine[0].id, 99999])
    assert gone.ids == (mine[0].id,)  # only what was there
    with pytest.raises(NotFound):
        fb.get_response(mine[0].id)
    fb.restore(gone)  # Ctrl+Z
    assert fb.get_response(mine[0].id).comment == "edited"
    with pytest.raises(ServiceError, match="already back"):
        fb.restore(gone)


def test_undo_survey_delete_puts_back_questions_responses_and_answers(  # type: ignore[no-untyped-def]
    services: Services, make_person
) -> None:
    fb = services.feedback
    sid = _survey(services, questions=(QuestionInput("Why?"),))
    qid = fb.get_survey(sid).questions[0].id
    ada, bob = make_person("Ada Lovelace"), make_person("Bob Byte")
    a = fb.add_response(sid, ResponseInput(10, "great", ("talks",), ada, answers={str(qid): "x"}))
    fb.add_response(sid, ResponseInput(3, "loud", person_id=bob))
    fb.add_response(sid, ResponseInput(8))
    before = fb.get_survey(sid)
    gone = fb.delete_survey(sid)
    assert gone.count("feedback_response") == 3 and gone.count("survey_question") == 1
    # meanwhile: a new survey (its id is not the deleted one's) and Bob purged for good
    other = _survey(services)
    assert other != sid
    services.people.archive([bob])
    services.people.purge([bob])
    fb.restore(gone)
    after = fb.get_survey(sid)
    assert (after.title, after.questions, after.score) == (
        before.title,
        before.questions,
        before.score,
    )
    assert after.responses == 3 and after.anonymous == 2  # Bob's answer stays, anonymous
    r = fb.get_response(a)
    assert (r.person_id, r.comment, r.tags, r.answers) == (
        ada,
        "great",
        ("talks",),
        {str(qid): "x"},
    )
    assert [x.survey_id for x in fb.person_responses(ada)] == [sid]


def test_restoring_responses_of_a_deleted_survey_is_refused(services: Services) -> None:
    fb = services.feedback
    sid = _survey(services)
    rid = fb.add_response(sid, ResponseInput(9))
    gone = fb.delete_responses([rid])
    fb.delete_survey(sid)
    with pytest.raises(NotFound, match="deleted meanwhile"):
        fb.restore(gone)
    assert fb.response_ids() == []


def test_survey_list_sorts_by_score_and_filters(services: Services) -> None:
    low, high, none = _survey(services), _survey(services), _survey(services, "csat")
    _answer(services, low, 0, 9)
    _answer(services, high, 10, 10)
    fb = services.feedback
    assert fb.survey_ids(sort="score", descending=True) == [high, low, none]
    assert fb.survey_ids(scale="csat") == [none]
    assert fb.survey_ids("nps", sort="title", descending=False) == [low, high]
    rows = {r.id: r for r in fb.survey_rows([low, high, none])}
    assert rows[low].responses == 2 and rows[none].responses == 0
    assert fb.scores()[high].text() == "+100"
