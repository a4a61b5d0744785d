"""The demo fills surveys, responses and initiatives: realistic, scaled, deterministic."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from crm.services import Services
from crm.services.demo import generate

NOW = datetime(2024, 6, 1, 12, 0)


def _all(services: Services, sql: str) -> list[tuple]:
    with services.db.read() as s:
        return [tuple(r) for r in s.execute(text(sql))]


def test_demo_feedback_and_initiatives(services: Services) -> None:
    counts = generate(services.db, contacts=3000, interactions=3000, now=NOW, parallel=False)
    assert (
        counts["feedback responses"]
        == _all(services, "SELECT count(*) FROM feedback_response")[0][0]
    )
    assert counts["surveys"] == 3 and 550 <= counts["feedback responses"] <= 650
    assert counts["initiatives"] == 3 and counts["initiative participants"] > 0
    (anon, named) = _all(
        services,
        "SELECT sum(person_id IS NULL), sum(person_id IS NOT NULL) FROM feedback_response",
    )[0]
    assert 0.2 < anon / (anon + named) < 0.4
    bad = _all(
        services,
        "SELECT count(*) FROM feedback_response r JOIN survey s ON s.id = r.survey_id "
        "WHERE (s.scale = 'nps' AND r.score NOT BETWEEN 0 AND 10) "
        "OR (s.scale = 'csat' AND r.score NOT BETWEEN 1 AND 5)",
    )
    assert bad == [(0,)]
    assert _all(services, "PRAGMA foreign_key_check") == []
    for score in services.feedback.scores().values():
        assert score.value is not None and -30 < score.value <= 100
    results = {r[0] for r in _all(services, "SELECT result FROM initiative_participant")}
    assert results <= {"joined", "submitted", "winner"} and "joined" in results
    # the person detail finds a respondent's answers
    pid = _all(services, "SELECT person_id FROM feedback_response WHERE person_id IS NOT NULL")[0][
        0
    ]
    assert services.feedback.person_responses(pid)


def test_demo_feedback_is_deterministic(services: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from crm.services import open_services

    generate(services.db, contacts=500, interactions=0, now=NOW, parallel=False)
    other = open_services(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        generate(other.db, contacts=500, interactions=0, now=NOW, parallel=False)
        sql = "SELECT * FROM feedback_response ORDER BY id"
        assert _all(services, sql) == _all(other, sql)
        sql = "SELECT * FROM initiative_participant ORDER BY initiative_id, person_id"
        assert _all(services, sql) == _all(other, sql)
    finally:
        other.close()
