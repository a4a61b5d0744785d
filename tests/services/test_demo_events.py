"""The demo's events, agenda, logistics and invitations: realistic, valid, deterministic."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from crm.models import EVENT_KINDS, EVENT_STATUSES, INVITATION_ROLES, INVITATION_STATUSES
from crm.services import Services
from crm.services.demo import generate
from crm.services.demo.events import event_count
from crm.services.event_times import to_utc

NOW = datetime(2026, 11, 20, 15, 30, 0)
CONTACTS = 400


def rows(sv: Services, sql: str) -> list[tuple[object, ...]]:
    with sv.db.read() as s:
        return [tuple(r) for r in s.execute(text(sql))]


@pytest.fixture
def demo(services: Services) -> tuple[Services, dict[str, int]]:
    return services, generate(services.db, contacts=CONTACTS, seed=5, now=NOW, parallel=False)


def test_counts_scale_with_the_contacts(demo: tuple[Services, dict[str, int]]) -> None:
    sv, counts = demo
    assert (
        counts["events"]
        == event_count(CONTACTS)
        == 8
        == rows(sv, "SELECT count(*) FROM event")[0][0]
    )
    assert event_count(100_000) == 2_000
    assert counts["invitations"] == rows(sv, "SELECT count(*) FROM invitation")[0][0]
    assert 1.5 * CONTACTS <= counts["invitations"] <= 2 * CONTACTS
    assert counts["agenda items"] == rows(sv, "SELECT count(*) FROM agenda_item")[0][0] > 0
    assert counts["logistics tasks"] == rows(sv, "SELECT count(*) FROM logistics_task")[0][0] > 0
    assert rows(sv, "PRAGMA foreign_key_check") == []
    stats = sv.stats.counts()
    assert stats["event"] == counts["events"] and stats["invitation"] == counts["invitations"]


def test_rows_are_what_the_services_would_accept(demo: tuple[Services, dict[str, int]]) -> None:
    sv, _ = demo
    events = sv.events.list_events("all", now=NOW)
    assert len(events) == event_count(CONTACTS)
    for e in events:
        assert e.kind in EVENT_KINDS and e.status in EVENT_STATUSES
        assert e.ends_at > e.starts_at
        assert to_utc(e.starts_at, e.time_zone) == e.starts_utc, e.title
        assert e.capacity is None or e.capacity > 0
        detail = sv.events.get(e.id)
        assert len(detail.uid) == 36
        over = e.starts_utc < NOW
        statuses = set(e.counts)
        if e.status == "cancelled":
            continue
        if over:
            assert e.status == "done"
            assert statuses & {"attended", "no-show"}
            assert not statuses & {"not sent", "accepted"}
        else:
            assert e.status in ("planning", "announced")
            assert not statuses & {"attended", "no-show"}
    for role, status, invited, answered in rows(
        sv, "SELECT role, status, invited_at, responded_at FROM invitation"
    ):
        assert role in INVITATION_ROLES and status in INVITATION_STATUSES
        assert (invited is None) == (status == "not sent")
        assert (answered is None) == (status in ("not sent", "invited"))
        if answered is not None:
            assert str(invited) <= str(answered) <= f"{NOW}.000000"
    assert {r[0] for r in rows(sv, "SELECT DISTINCT role FROM invitation")} >= {
        "attendee",
        "speaker",
        "host",
    }
    speakers = rows(
        sv,
        "SELECT count(*) FROM agenda_item a LEFT JOIN invitation i ON i.event_id = a.event_id "
        "AND i.person_id = a.speaker_id WHERE a.speaker_id IS NOT NULL AND i.role != 'speaker'",
    )
    assert speakers == [(0,)]  # agenda speakers are the invited speakers


def test_past_and_future_both_appear(demo: tuple[Services, dict[str, int]]) -> None:
    sv, _ = demo
    assert sv.events.query_ids("upcoming", now=NOW)
    assert sv.events.query_ids("past", now=NOW)
    soonest = sv.events.get(sv.events.query_ids("upcoming", now=NOW)[0])
    assert soonest.starts_utc < NOW + timedelta(days=100)


def test_same_seed_same_events(services: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from crm.services import open_services

    generate(services.db, contacts=120, seed=9, now=NOW, parallel=False)
    other = open_services(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        generate(other.db, contacts=120, seed=9, now=NOW, parallel=False)
        for table in ("event", "agenda_item", "logistics_task", "invitation"):
            sql = f"SELECT * FROM {table} ORDER BY 1, 2, 3"
            assert rows(other, sql) == rows(services, sql), table
    finally:
        other.close()
