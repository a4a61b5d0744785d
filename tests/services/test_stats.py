"""Counts and headline figures, as `crm stats` and the status bar show them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from crm.models import utcnow
from crm.services import Services
from crm.services.communities import CommunityInput


def test_empty_database_counts_zero(services: Services) -> None:
    counts = services.stats.counts()
    assert set(counts) >= {"person", "community", "interaction", "tag", "audit_log"}
    assert all(v == 0 for v in counts.values())


def test_counts_follow_the_data(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    today = date.today()
    a = make_person("Ann", tags=("x", "y"), next_follow_up=today - timedelta(days=1))
    b = make_person("Ben", tags=("x",), next_follow_up=today)
    c = make_person("Cat", next_follow_up=today + timedelta(days=3))
    gone = make_person("Gus", next_follow_up=today - timedelta(days=9))
    cid = services.communities.create(CommunityInput("Club"))
    services.communities.add_member(cid, [a, b])
    services.people.add_relationship(a, b, "works with")
    services.fields.create("person", "Size", "text")
    recent = utcnow() - timedelta(days=2)
    log_touch([a, b], "recent", recent)
    log_touch([c], "long ago", datetime(2020, 1, 1))
    log_touch([gone], "recent but archived", recent)
    services.people.archive([gone])

    counts = services.stats.counts()
    expected = {
        "person": 4,
        "person_active": 3,
        "person_archived": 1,
        "community": 1,
        "membership": 2,
        "interaction": 3,
        "participant": 4,
        "tag": 2,
        "person_tag": 3,
        "relationship": 1,
        "field_def": 1,
        "people_touched_last_30_days": 2,  # Ann and Ben; Cat is old news, Gus is in the Trash
        "follow_ups_due": 2,  # Ann (yesterday) and Ben (today)
    }
    assert {k: counts[k] for k in expected} == expected
    assert counts["audit_log"] >= 6  # five creations and the archive at least


@pytest.fixture
def far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A local time zone whose calendar day differs from UTC's right now."""
    now = datetime.now(UTC)
    # UTC+14 is a day ahead from 10:00 UTC on; UTC-12 is a day behind until 12:00 UTC.
    # POSIX TZ strings, so no time zone database is needed.
    zone = "<+14>-14" if now.hour >= 10 else "<-12>+12"
    with monkeypatch.context() as m:
        m.setenv("TZ", zone)
        time.tzset()
        assert date.today() != now.date()
        yield
    time.tzset()


@pytest.mark.usefixtures("far_from_utc")
def test_follow_ups_due_use_the_local_calendar_day(
    services: Services, make_person: Callable[..., int]
) -> None:
    today = date.today()
    make_person("Due today", next_follow_up=today)
    make_person("Due tomorrow", next_follow_up=today + timedelta(days=1))
    assert services.stats.counts()["follow_ups_due"] == 1


def test_event_counts(services: Services, make_person: Callable[..., int]) -> None:
    from crm.services.events import EventInput

    a = make_person("Ann")
    soon = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    eid = services.events.create(EventInput("Soon", soon, soon + timedelta(hours=1)))
    services.events.create(EventInput("Old", datetime(2020, 1, 1, 18), datetime(2020, 1, 1, 19)))
    services.invitations.invite(eid, [a])
    counts = services.stats.counts()
    assert (counts["event"], counts["events_upcoming"], counts["invitation"]) == (2, 1, 1)
