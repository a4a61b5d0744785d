"""The Trash's events and outreach cards: listing, searching, what a purge takes along."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from crm.models import Event
from crm.services import Changes, NotFound, ServiceError, Services
from crm.services.event_plan import AgendaInput, TaskInput
from crm.services.events import EventInput
from crm.services.feedback_reads import SurveyInput
from crm.services.initiatives import InitiativeInput
from crm.services.outreach_data import CardInput
from crm.services.trash import Part


def _event(services: Services, title: str, day: int = 1, **kw: object) -> int:
    start = datetime(2024, 5, day, 18)  # past: attendance can be recorded
    return services.events.create(EventInput(title, start, start + timedelta(hours=2), **kw))  # type: ignore[arg-type]


@pytest.fixture
def make_event(services: Services):  # type: ignore[no-untyped-def]
    def make(title: str) -> int:
        return _event(services, title)

    return make


def _table_counts(services: Services) -> dict[str, int]:
    """Rows in every table (the search indexes' shadow tables left out)."""
    with services.db.read() as s:
        names = s.scalars(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'"
            )
        ).all()
        return {n: int(s.scalar(text(f'SELECT count(*) FROM "{n}"')) or 0) for n in names}


def _scalar(services: Services, sql: str, **params: object) -> object:
    with services.db.read() as s:
        return s.execute(text(sql), params).scalar()


def test_archived_events_are_listed_searched_and_sorted(services: Services, make_person) -> None:
    ada, bob = make_person("Ada"), make_person("Bob")
    rust = _event(services, "Rust meetup", day=3, location="Betahaus")
    go = _event(services, "Go night", day=1)
    kept = _event(services, "Rust conf", day=2)
    services.invitations.invite(rust, [ada, bob])
    services.events.archive([go])
    services.events.archive([rust])
    ev = services.events

    assert ev.query_ids("archived", sort="archived_at", descending=True) == [rust, go]
    assert ev.query_ids("archived", sort="archived_at", descending=False) == [go, rust]
    assert ev.query_ids("archived", "rust") == [rust]  # the live "Rust conf" is not in the Trash
    assert ev.query_ids("archived", "betahaus") == [rust]  # the place counts too
    assert ev.query_ids("archived", sort="starts") == [go, rust]
    assert ev.query_ids("archived", sort="invited", descending=True) == [rust, go]
    rows = {r.id: r for r in ev.rows([rust, go])}
    assert (rows[rust].title, rows[rust].invited, rows[rust].starts_at) == (
        "Rust meetup",
        2,
        datetime(2024, 5, 3, 18),
    )
    assert rows[rust].archived_at is not None and rows[go].invited == 0
    assert kept not in ev.query_ids("archived")


def test_event_purge_removes_its_rows_and_nothing_else(
    services: Services, make_person, changes: list[Changes]
) -> None:
    ada, bob, cy = make_person("Ada"), make_person("Bob"), make_person("Cy")
    doomed = _event(services, "Scrapped meetup")
    other = _event(services, "Other meetup", day=2)
    for eid in (doomed, other):
        services.invitations.invite(eid, [ada, bob, cy])
        services.event_plan.add_agenda_item(
            eid, AgendaInput(datetime(2024, 5, 1, 18), datetime(2024, 5, 1, 19), "Talk", ada)
        )
        services.event_plan.add_task(eid, TaskInput("Book the room"))
    # Ada attended the doomed event: an interaction on her timeline.
    (ada_inv,) = [
        r.id
        for r in services.invitations.rows(services.invitations.query_ids(doomed))
        if r.person_id == ada
    ]
    services.invitations.set_status([ada_inv], "attended")
    attendance = _scalar(
        services, "SELECT attendance_interaction_id FROM invitation WHERE id = :i", i=ada_inv
    )
    assert f"event:{doomed}" in str(
        _scalar(services, "SELECT details FROM interaction WHERE id = :i", i=attendance)
    )
    last_before = services.people.get(ada).last_interaction
    card = services.outreach.create(CardInput(bob, "Lightning talk", doomed))
    survey = services.feedback.create_survey(SurveyInput("How was it?", event_id=doomed))
    services.initiatives.create(InitiativeInput("Promo", event_ids=(doomed, other)))

    services.events.archive([doomed])
    impact = services.events.purge_impact([doomed, other])  # only the archived one counts
    assert impact.items == 1
    assert [p.text for p in impact.goes] == [
        "3 invitations",
        "1 agenda item",
        "1 logistics task",
        "1 link to an initiative",
    ]
    assert [p.text for p in impact.stays] == [
        "1 attendance record on a timeline",
        "1 outreach card",
        "1 survey",
    ]
    before = _table_counts(services)
    changes.clear()

    assert services.events.purge([doomed, other]) == 1  # "other" is not in the Trash
    after = _table_counts(services)
    gone = {t: before[t] - after[t] for t in before if before[t] != after[t]}
    # The purge's audit entry is the one row added.
    assert gone == {
        "event": 1,
        "invitation": 3,
        "agenda_item": 1,
        "logistics_task": 1,
        "initiative_event": 1,
        "audit_log": -1,
    }
    with pytest.raises(NotFound):
        services.events.get(doomed)
    assert services.events.get(other).counts == {"not sent": 3}
    # The attendance stays on Ada's timeline, its link to the event replaced by a note.
    details = str(_scalar(services, "SELECT details FROM interaction WHERE id = :i", i=attendance))
    assert f"event:{doomed}" not in details and "event deleted on" in details
    assert (
        _scalar(
            services, "SELECT person_id FROM participant WHERE interaction_id = :i", i=attendance
        )
        == ada
    )
    assert services.people.get(ada).last_interaction == last_before
    # What aimed at the event stays, without it.
    assert services.outreach.get(card).event_id is None
    assert services.feedback.get_survey(survey).event_id is None
    areas = set().union(*(c.areas for c in changes))
    assert {"events", "trash", "interactions", "outreach"} <= areas


def test_purge_impact_of_nothing_in_the_trash(services: Services) -> None:
    live = _event(services, "Live")
    assert services.events.purge_impact([live]).items == 0
    assert services.events.purge_impact([]).items == 0
    assert services.outreach.purge_impact([12345]).items == 0
    assert Part(1, "card", "cards").text == "1 card" and Part(2_000, "a", "b").text == "2,000 b"


def test_archived_cards_are_listed_searched_and_sorted(
    services: Services, make_person, make_event
) -> None:
    ada, zed = make_person("Ada Lovelace"), make_person("Zed Shaw")
    conf = make_event("DevConf")
    engines = services.outreach.create(CardInput(ada, "Engines of thought", conf))
    ruby = services.outreach.create(CardInput(zed, "Ruby 100%"), stage="confirmed")
    live = services.outreach.create(CardInput(zed, "Still on the board"))
    services.outreach.archive([engines])
    services.outreach.archive([ruby])
    o = services.outreach

    assert o.trash_ids() == [ruby, engines]  # most recently archived first
    assert o.trash_ids(sort="person", descending=False) == [engines, ruby]
    assert o.trash_ids(sort="stage", descending=False) == [engines, ruby]  # identified first
    assert o.trash_ids(sort="event", descending=False) == [engines, ruby]  # none last
    assert o.trash_ids("devconf") == [engines]  # the event's title
    assert o.trash_ids("lovelace engines") == [engines]  # every word, any field
    assert o.trash_ids("100%") == [ruby] and o.trash_ids("_") == []
    assert o.trash_ids("confirmed") == [ruby]
    assert live not in o.trash_ids("board")
    rows = o.trash_rows([engines, 999, ruby])
    assert [(r.id, r.person_name, r.topic, r.stage, r.event_title) for r in rows] == [
        (engines, "Ada Lovelace", "Engines of thought", "identified", "DevConf"),
        (ruby, "Zed Shaw", "Ruby 100%", "confirmed", ""),
    ]
    assert all(r.archived_at is not None for r in rows)


def test_card_purge_removes_its_moves_and_nothing_else(
    services: Services, make_person, make_event
) -> None:
    ada, bob = make_person("Ada"), make_person("Bob")
    conf = make_event("DevConf")
    doomed = services.outreach.create(CardInput(ada, "Engines", conf))
    services.outreach.move(doomed, "contacted")
    services.outreach.move(doomed, "interested")
    kept = services.outreach.create(CardInput(bob, "Compilers", conf))
    services.outreach.move(kept, "contacted")
    services.outreach.archive([doomed])
    impact = services.outreach.purge_impact([doomed, kept])
    assert impact.items == 1 and [p.text for p in impact.goes] == ["3 stage moves"]
    assert impact.stays == ()
    before = _table_counts(services)

    assert services.outreach.purge([doomed, kept]) == 1
    after = _table_counts(services)
    assert {t: before[t] - after[t] for t in before if before[t] != after[t]} == {
        "outreach": 1,
        "outreach_move": 3,
        "audit_log": -1,
    }
    assert len(services.outreach.get(kept).moves) == 2
    with services.db.read() as s:
        assert s.get(Event, conf) is not None  # the event it aimed at stays


def test_restoring_a_card_that_would_clash_is_refused(
    services: Services, make_person, make_event
) -> None:
    ada = make_person("Ada")
    conf = make_event("DevConf")
    old = services.outreach.create(CardInput(ada, "First try", conf))
    services.outreach.archive([old])
    new = services.outreach.create(CardInput(ada, "Second try", conf))
    with pytest.raises(ServiceError, match="Ada already has a card for DevConf"):
        services.outreach.restore([old])
    assert services.outreach.get(old).archived_at is not None  # nothing written
    services.outreach.archive([new])
    with pytest.raises(ServiceError, match="already has a card"):
        services.outreach.restore([old, new])  # both back at once would clash too
    assert services.outreach.restore([old]) == 1
    assert services.outreach.get(old).archived_at is None


def test_purge_impact_only_reads(services: Services) -> None:
    """Asking twice gives the same answer and writes nothing."""
    eid = _event(services, "Once")
    services.events.archive([eid])
    before = _table_counts(services)
    assert services.events.purge_impact([eid]) == services.events.purge_impact([eid])
    assert _table_counts(services) == before
