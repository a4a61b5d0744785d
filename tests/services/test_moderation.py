"""Moderation cases headless: validation, a person's repeated cases, delete/undo, counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from crm.services import Changes, NotFound, Services, ValidationError
from crm.services.moderation import CaseInput

DAY = timedelta(days=1)


def _case(services: Services, subject: int, days_ago: int = 0, **kw: object) -> int:
    data = CaseInput(subject, date.today() - days_ago * DAY, kw.pop("guideline", "Be kind"), **kw)  # type: ignore[arg-type]
    return services.moderation.create(data)


def test_create_and_read(
    services: Services, make_person: Callable[..., int], changes: list[Changes]
) -> None:
    troll, mod = make_person("Troll"), make_person("Mod")
    cid = _case(
        services,
        troll,
        2,
        reporter_id=mod,
        channel=" discord ",
        guideline=" No   spam ",
        severity="high",
        action="mute",
        notes=" posted 40 links ",
    )
    d = services.moderation.get(cid)
    assert (d.row.subject_name, d.row.reporter_name, d.row.channel, d.row.guideline) == (
        "Troll",
        "Mod",
        "discord",
        "No spam",
    )
    assert (d.row.severity, d.row.action, d.row.status, d.notes) == (
        "high",
        "mute",
        "open",
        "posted 40 links",
    )
    assert d.row.occurred_on == date.today() - 2 * DAY
    assert changes[-1].touches("moderation", "people")


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("subject_id", {"subject_id": None}),
        ("subject_id", {"subject_id": 999}),
        ("reporter_id", {"reporter_id": 999}),
        ("reporter_id", {"reporter_id": "self"}),
        ("occurred_on", {"occurred_on": date.today() + DAY}),
        ("guideline", {"guideline": "  "}),
        ("severity", {"severity": "apocalyptic"}),
        ("action", {"action": "exile"}),
        ("status", {"status": "forgotten"}),
        ("channel", {"channel": "c" * 31}),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    services: Services, make_person: Callable[..., int], field: str, change: dict[str, object]
) -> None:
    pid = make_person("Ann")
    if change.get("reporter_id") == "self":
        change = {"reporter_id": pid}
    base = {"subject_id": pid, "occurred_on": date.today(), "guideline": "Be kind"}
    with pytest.raises(ValidationError) as err:
        services.moderation.create(CaseInput(**{**base, **change}))  # type: ignore[arg-type]
    assert field in err.value.errors
    assert services.moderation.count() == 0


def test_a_persons_cases_and_repeats(services: Services, make_person: Callable[..., int]) -> None:
    a, b, r = make_person("Ann"), make_person("Ben"), make_person("Rae")
    first = _case(services, a, 30, severity="low", action="warning", reporter_id=r)
    latest = _case(services, a, 1, severity="critical", action="temporary ban")
    _case(services, b, 3)
    mine = services.moderation.for_person(a)
    assert mine.count == 2 and mine.repeated
    assert [c.row.id for c in mine.cases] == [latest, first]
    assert (mine.cases[0].row.severity, mine.cases[0].row.action) == ("critical", "temporary ban")
    assert not services.moderation.for_person(b).repeated
    assert services.moderation.for_person(r).reported == 1
    rows = {x.id: x for x in services.moderation.rows(services.moderation.query_ids())}
    assert rows[first].subject_cases == 2
    # Sorting by repeats puts Ann's cases first; severity sorts by rank, not by name.
    assert services.moderation.query_ids(sort="repeats", descending=True)[:2] == [latest, first]
    assert services.moderation.query_ids(sort="severity", descending=False)[-1] == latest


def test_filters(services: Services, make_person: Callable[..., int]) -> None:
    a, b = make_person("Ann"), make_person("Ben")
    x = _case(services, a, status="resolved", severity="medium", guideline="No harassment")
    y = _case(services, b, action="permanent ban")
    q = services.moderation.query_ids
    assert q(status="resolved") == [x]
    assert q(severity="medium") == [x]
    assert q(action="permanent ban") == [y]
    assert q("harass") == [x]
    assert q("ben") == [y]


def test_update_delete_and_undo(services: Services, make_person: Callable[..., int]) -> None:
    a, r = make_person("Ann"), make_person("Rae")
    cid = _case(services, a, reporter_id=r, notes="secret")
    d = services.moderation.get(cid)
    services.moderation.update(cid, CaseInput(**{**d.to_input().__dict__, "status": "appealed"}))
    d = services.moderation.get(cid)
    assert d.row.status == "appealed"
    snap = services.moderation.delete([cid])
    with pytest.raises(NotFound):
        services.moderation.get(cid)
    services.moderation.restore(snap)
    assert services.moderation.get(cid) == d


def test_counts_are_numbers_only(services: Services, make_person: Callable[..., int]) -> None:
    a, b = make_person("Ann"), make_person("Ben")
    _case(services, a, notes="SECRET-NOTE")
    _case(services, a, status="resolved")
    _case(services, b, status="appealed")
    counts = services.moderation.counts()
    assert counts == {
        "moderation_case": 3,
        "moderation_open": 1,
        "moderation_resolved": 1,
        "moderation_appealed": 1,
        "moderation_repeat_subjects": 1,
    }
    stats = services.stats.counts()
    assert (stats["moderation_case"], stats["moderation_open"]) == (3, 1)
    assert all(isinstance(v, int) for v in stats.values())
