"""Logging interactions, the timeline, last-interaction dates and interaction search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from crm.services import NotFound, Services, ValidationError
from crm.services.interactions import InteractionInput


def _last(services: Services, pid: int) -> datetime | None:
    return services.people.get(pid).last_interaction


def _found(services: Services, words: str) -> list[int]:
    return [h.id for h in services.search.search(words) if h.kind == "interaction"]


def _fts_is_consistent(services: Services) -> None:
    """FTS5's own check that the external-content index matches the interaction table."""
    with services.db.session() as s:
        s.execute(text("INSERT INTO interaction_fts(interaction_fts) VALUES ('integrity-check')"))


def test_log_and_read_back(services: Services, make_person: Callable[..., int]) -> None:
    a, b = make_person("Zoe"), make_person("Abe")
    iid = services.interactions.log(
        InteractionInput(
            kind="call",
            occurred_at=datetime(2024, 5, 6, 14, 30, 15, 123456),
            participant_ids=(a, b, a),
            summary="  Talked about the meetup  ",
            channel=" video ",
            direction="outbound",
            sentiment=2,
            details=" agenda attached ",
        )
    )
    row = services.interactions.get(iid)
    assert row.kind == "call"
    assert row.occurred_at == datetime(2024, 5, 6, 14, 30, 15)
    assert row.summary == "Talked about the meetup"
    assert (row.channel, row.direction, row.sentiment, row.details) == (
        "video",
        "outbound",
        2,
        "agenda attached",
    )
    assert row.participants == ((b, "Abe"), (a, "Zoe"))  # each once, by name
    with pytest.raises(NotFound):
        services.interactions.get(iid + 1)


def test_time_zone_aware_times_are_stored_as_utc(
    services: Services, make_person: Callable[..., int]
) -> None:
    pid = make_person("Kai")
    berlin_summer = timezone(timedelta(hours=2))
    iid = services.interactions.log(
        InteractionInput(
            "meeting", datetime(2024, 7, 1, 12, 0, tzinfo=berlin_summer), (pid,), "lunch"
        )
    )
    assert services.interactions.get(iid).occurred_at == datetime(2024, 7, 1, 10, 0)
    assert _last(services, pid) == datetime(2024, 7, 1, 10, 0)


@pytest.mark.parametrize(
    ("change", "keys"),
    [
        ({"participant_ids": ()}, {"participants"}),
        ({"participant_ids": (424242,)}, {"participants"}),
        ({"kind": "telepathy"}, {"kind"}),
        ({"summary": ""}, {"summary"}),
        ({"summary": "   \n"}, {"summary"}),
        ({"summary": "x" * 501}, {"summary"}),
        ({"direction": "sideways"}, {"direction"}),
        ({"sentiment": 3}, {"sentiment"}),
        (
            {"kind": "nope", "summary": "", "participant_ids": ()},
            {"kind", "summary", "participants"},
        ),
    ],
)
def test_log_validation_writes_nothing(
    services: Services,
    make_person: Callable[..., int],
    snapshot: Callable[[], dict[str, int]],
    change: dict[str, object],
    keys: set[str],
) -> None:
    pid = make_person("Val")
    good = InteractionInput("meeting", datetime(2024, 1, 1), (pid,), "hello")
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        services.interactions.log(replace(good, **change))  # type: ignore[arg-type]
    assert set(err.value.errors) == keys
    assert snapshot() == before
    assert _last(services, pid) is None


def test_timeline_is_newest_first_and_paged(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    me, other = make_person("Me"), make_person("Other")
    start = datetime(2024, 1, 1, 9)
    ids = [log_touch([me], f"touch {n}", start + timedelta(days=n)) for n in range(5)]
    same_time = log_touch([me], "same moment, logged later", start + timedelta(days=4))
    log_touch([other], "not mine", start + timedelta(days=10))

    newest_first = [same_time, *reversed(ids)]
    assert services.interactions.timeline_count(me) == 6
    assert [r.id for r in services.interactions.timeline(me)] == newest_first
    page1 = services.interactions.timeline(me, offset=0, limit=4)
    page2 = services.interactions.timeline(me, offset=4, limit=4)
    assert [r.id for r in page1 + page2] == newest_first
    assert len(page2) == 2
    assert services.interactions.timeline(me, offset=6) == []


def test_last_interaction_follows_log_update_and_delete(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    a, b = make_person("Ann"), make_person("Ben")
    assert _last(services, a) is None
    old = log_touch([a], "old", datetime(2023, 3, 1, 8))
    assert _last(services, a) == datetime(2023, 3, 1, 8)
    new = log_touch([a, b], "new", datetime(2024, 3, 1, 8))
    assert _last(services, a) == datetime(2024, 3, 1, 8)
    assert _last(services, b) == datetime(2024, 3, 1, 8)
    log_touch([a], "older still", datetime(2020, 1, 1))
    assert _last(services, a) == datetime(2024, 3, 1, 8)  # an older entry does not win

    # Moving the newest back in time, and taking Ben off it.
    row = services.interactions.get(new)
    services.interactions.update(
        new,
        InteractionInput(row.kind, datetime(2022, 1, 1), (a,), row.summary),
    )
    assert _last(services, a) == datetime(2023, 3, 1, 8)
    assert _last(services, b) is None

    services.interactions.delete(old)
    assert _last(services, a) == datetime(2022, 1, 1)
    assert services.people.rows([a])[0].last_interaction == datetime(2022, 1, 1)
    services.interactions.delete(old)  # deleting twice is harmless


def test_update_validates_and_unknown_is_not_found(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    pid = make_person("Ann")
    iid = log_touch([pid], "kept", datetime(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.interactions.update(
            iid, InteractionInput("meeting", datetime(2024, 1, 1), (), "changed")
        )
    row = services.interactions.get(iid)
    assert row.summary == "kept"
    assert row.participants == ((pid, "Ann"),)
    with pytest.raises(NotFound):
        services.interactions.update(
            iid + 100, InteractionInput("meeting", datetime(2024, 1, 1), (pid,), "x")
        )


def test_search_finds_summaries_and_follows_edits(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    pid = make_person("Ann")
    iid = log_touch([pid], "Budget review for the spring meetup", datetime(2024, 2, 2))
    other = log_touch([pid], "Swag order", datetime(2024, 2, 3))
    assert _found(services, "budg") == [iid]
    assert _found(services, "spring meetup") == [iid]

    services.interactions.update(
        iid, InteractionInput("meeting", datetime(2024, 2, 2), (pid,), "Venue shortlist")
    )
    assert _found(services, "budget") == []
    assert _found(services, "venue") == [iid]
    _fts_is_consistent(services)

    services.interactions.delete(iid)
    assert _found(services, "venue") == []
    assert _found(services, "swag") == [other]
    _fts_is_consistent(services)


def test_search_hit_describes_the_interaction(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    pid = make_person("Ann")
    iid = log_touch([pid], "Intro to the Rust team", datetime(2024, 9, 9, 23, 30), kind="intro")
    (hit,) = [h for h in services.search.search("rust") if h.kind == "interaction"]
    assert (hit.id, hit.title, hit.detail) == (iid, "Intro to the Rust team", "intro on 2024-09-09")


def test_count(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    pid = make_person("Ann")
    assert services.interactions.count() == 0
    log_touch([pid], "one", datetime.now(UTC))
    log_touch([pid], "two", datetime.now(UTC))
    assert services.interactions.count() == 2
