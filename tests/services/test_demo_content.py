"""The demo's content calendar and goals: realistic, deterministic, and varied."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from crm.models.engagement import CONTENT_KINDS
from crm.models.goals import GOAL_METRICS
from crm.services import Services, open_services
from crm.services.content_data import ContentInput, check
from crm.services.demo import generate

NOW = datetime(2026, 11, 20, 15, 30, 0)


def _content(sv: Services) -> list[tuple]:
    with sv.db.read() as s:
        return [tuple(r) for r in s.execute(text("SELECT * FROM content_item ORDER BY id"))]


def test_demo_content_and_goals(services: Services, tmp_path: Path) -> None:
    counts = generate(services.db, contacts=300, seed=4, now=NOW, parallel=False)
    items = services.content.rows(services.content.query_ids())
    assert counts["content items"] == len(items) >= 60
    assert {r.kind for r in items} == set(CONTENT_KINDS)
    statuses = Counter(r.status for r in items)
    assert set(statuses) == {"idea", "drafting", "review", "scheduled", "published"}
    today = NOW.date()
    # Every row passes the service's own checks, as if typed in the dialog.
    for r in items:
        data = ContentInput(
            r.title,
            r.kind,
            r.status,
            r.channel,
            r.owner,
            r.guest_author_id,
            r.due_on,
            r.publish_on,
            r.url,
        )
        assert check(data, today)[1] == {}, r
    assert any(r.due_on and r.due_on < today - timedelta(days=200) for r in items)
    assert any(r.due_on and r.due_on > today + timedelta(days=30) for r in items)
    guests = [r for r in items if r.guest_author_id]
    assert 0.15 * len(items) < len(guests) < 0.5 * len(items)
    assert all(r.guest_author for r in guests)

    goals = services.goals.rows(services.goals.query_ids(), now=NOW, today=today)
    assert counts["goals"] == len(goals) == len(GOAL_METRICS)
    assert {g.metric for g in goals} == set(GOAL_METRICS)
    states = Counter(g.progress.state for g in goals)
    assert states["on track"] >= 2 and states["behind"] >= 2, states
    assert "no data" not in states  # the NPS goal's period holds a survey, even this small

    # The same seed gives the same calendar.
    other = open_services(f"sqlite:///{tmp_path / 'again.sqlite'}")
    try:
        generate(other.db, contacts=300, seed=4, now=NOW, parallel=False)
        assert _content(other) == _content(services)
    finally:
        other.close()


def test_no_contacts_no_calendar(services: Services) -> None:
    generate(services.db, contacts=0, now=NOW)
    assert services.content.count() == services.goals.count() == 0
