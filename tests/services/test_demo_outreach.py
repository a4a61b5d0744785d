"""Demo outreach cards: spread over the stages, with move histories the service reads."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import text

from crm.services import Services
from crm.services.demo import generate
from crm.services.outreach_data import PIPELINE

NOW = datetime(2026, 11, 20, 15, 30, 0)


def _rows(sv: Services, sql: str) -> list[tuple]:
    with sv.db.read() as s:
        return [tuple(r) for r in s.execute(text(sql))]


def test_demo_fills_the_board_with_histories(services: Services) -> None:
    counts = generate(services.db, contacts=600, interactions=600, seed=3, now=NOW)
    cards = _rows(
        services, "SELECT id, person_id, stage, created_at, stage_changed_at FROM outreach"
    )
    assert counts["outreach cards"] == len(cards) >= 6
    assert counts["outreach moves"] == _rows(services, "SELECT count(*) FROM outreach_move")[0][0]
    # Only speakers and experts are on the board.
    roles = _rows(
        services,
        "SELECT count(*) FROM outreach o WHERE NOT EXISTS (SELECT 1 FROM person_role r "
        "WHERE r.person_id = o.person_id AND r.role IN ('speaker', 'expert'))",
    )
    assert roles == [(0,)]
    for card_id, _pid, stage, _created, _changed in cards:
        detail = services.outreach.get(card_id)
        assert detail.moves[0].from_stage is None and detail.moves[-1].to_stage == stage
        # each move starts where the last one ended, in time order, until the stage change
        for before, after in zip(detail.moves, detail.moves[1:], strict=False):
            assert after.from_stage == before.to_stage and after.moved_at >= before.moved_at
        assert detail.moves[-1].moved_at == detail.stage_changed_at <= NOW
        assert detail.created_at == detail.moves[0].moved_at
    conv = services.outreach.conversion()
    assert conv.total == len(cards) and conv.stages[0].reached == len(cards)
    assert sum(f.current for f in conv.stages) + conv.declined == len(cards)
    _looks_like_a_pipeline(services, min_with_event=0.6)


def _looks_like_a_pipeline(services: Services, min_with_event: float) -> None:
    """Most cards aim at an event (an upcoming one while the card is open, a past one
    once delivered); topics spell the tech names as titles do."""
    rows = _rows(
        services,
        "SELECT o.stage, o.topic, e.starts_utc, e.status FROM outreach o "
        "LEFT JOIN event e ON e.id = o.event_id",
    )
    with_event = [r for r in rows if r[2] is not None]
    assert len(with_event) >= min_with_event * len(rows)
    now = f"{NOW:%Y-%m-%d %H:%M:%S}"
    for stage, topic, starts, status in with_event:
        assert status != "cancelled"
        if stage in ("identified", "contacted", "interested", "confirmed"):
            assert starts >= now, (stage, topic)
        if stage == "delivered":
            assert starts < now, (stage, topic)
    for _stage, topic, _starts, _status in rows:
        assert topic[0].isupper(), topic
        lowered = re.findall(
            r"\b(python|rust|go|devops|graphql|typescript|kotlin|wasm|a11y|ml)\b", topic
        )
        assert not lowered, topic


def test_demo_is_deterministic(tmp_path) -> None:
    from crm.services import open_services

    dumps = []
    for name in ("a", "b"):
        sv = open_services(f"sqlite:///{tmp_path / name}.sqlite")
        generate(sv.db, contacts=400, interactions=0, seed=9, now=NOW)
        dumps.append(_rows(sv, "SELECT * FROM outreach ORDER BY id"))
        dumps.append(_rows(sv, "SELECT * FROM outreach_move ORDER BY id"))
        sv.close()
    assert dumps[0] == dumps[2] and dumps[1] == dumps[3] and dumps[0]


def test_demo_spreads_cards_over_the_stages(services: Services) -> None:
    # 6,000 contacts (20 cards): every stage has cards, most of them still open.
    generate(services.db, contacts=6000, interactions=0, seed=1, now=NOW)
    by_stage = dict(_rows(services, "SELECT stage, count(*) FROM outreach GROUP BY stage"))
    assert set(by_stage) == set(PIPELINE) | {"declined"}
    open_cards = sum(by_stage[s] for s in ("identified", "contacted", "interested", "confirmed"))
    assert open_cards > sum(by_stage.values()) / 2
    _looks_like_a_pipeline(services, min_with_event=0.85)
