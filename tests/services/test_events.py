"""Events: validation, wall times across DST, SEQUENCE bumps, lists, agenda, logistics."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from crm.services import NotFound, Services, ValidationError
from crm.services.event_plan import AgendaInput, TaskInput
from crm.services.events import EventInput


def _event(**fields: object) -> EventInput:
    base = {
        "title": "Rust meetup",
        "starts_at": datetime(2030, 5, 6, 18, 0),
        "ends_at": datetime(2030, 5, 6, 21, 0),
        "time_zone": "Europe/Berlin",
    }
    base.update(fields)
    return EventInput(**base)  # type: ignore[arg-type]


def _stored(services: Services, eid: int, column: str) -> object:
    with services.db.read() as s:
        return s.execute(text(f"SELECT {column} FROM event WHERE id = :i"), {"i": eid}).scalar()


def test_create_and_read_back(services: Services) -> None:
    eid = services.events.create(
        _event(
            title="  Rust   meetup ",
            kind="workshop",
            status="announced",
            location=" Betahaus ",
            online_url="meet.example.org/rust",
            capacity=40,
            description=" Bring a laptop. ",
        )
    )
    e = services.events.get(eid)
    assert (e.title, e.kind, e.status, e.location) == (
        "Rust meetup",
        "workshop",
        "announced",
        "Betahaus",
    )
    assert e.online_url == "https://meet.example.org/rust"
    assert (e.capacity, e.description, e.sequence) == (40, "Bring a laptop.", 0)
    assert e.uid and len(e.uid) >= 16
    assert e.starts_at == datetime(2030, 5, 6, 18, 0)
    assert e.starts_utc == datetime(2030, 5, 6, 16, 0)  # CEST is UTC+2
    with pytest.raises(NotFound):
        services.events.get(eid + 1)


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "party"}, "kind"),
        ({"status": "maybe"}, "status"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": "America"}, "time_zone"),
        ({"ends_at": datetime(2030, 5, 6, 18, 0)}, "ends_at"),
        ({"ends_at": datetime(2030, 5, 6, 17, 0)}, "ends_at"),
        ({"capacity": -1}, "capacity"),
        ({"online_url": "ftp://files.example.org"}, "online_url"),
        ({"community_id": 999}, "community"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    services: Services, fields: dict[str, object], key: str
) -> None:
    with pytest.raises(ValidationError) as err:
        services.events.create(_event(**fields))
    assert key in err.value.errors
    assert services.events.count() == 0


def test_berlin_around_the_dst_switches(services: Services) -> None:
    # 2024-03-31 02:00 CET -> 03:00 CEST; 2024-10-27 03:00 CEST -> 02:00 CET.
    before = services.events.create(
        _event(starts_at=datetime(2024, 3, 30, 18, 0), ends_at=datetime(2024, 3, 30, 20, 0))
    )
    after = services.events.create(
        _event(starts_at=datetime(2024, 3, 31, 18, 0), ends_at=datetime(2024, 3, 31, 20, 0))
    )
    assert services.events.get(before).starts_utc == datetime(2024, 3, 30, 17, 0)
    assert services.events.get(after).starts_utc == datetime(2024, 3, 31, 16, 0)
    with pytest.raises(ValidationError) as err:  # 02:30 never happens that night
        services.events.create(
            _event(starts_at=datetime(2024, 3, 31, 2, 30), ends_at=datetime(2024, 3, 31, 4, 0))
        )
    assert "does not exist" in err.value.errors["starts_at"]
    # 02:30 on 27 October happens twice: the first (still summer time, UTC+2) is meant.
    twice = services.events.create(
        _event(starts_at=datetime(2024, 10, 27, 2, 30), ends_at=datetime(2024, 10, 27, 4, 0))
    )
    assert services.events.get(twice).starts_utc == datetime(2024, 10, 27, 0, 30)
    autumn = services.events.create(
        _event(starts_at=datetime(2024, 10, 28, 18, 0), ends_at=datetime(2024, 10, 28, 20, 0))
    )
    assert services.events.get(autumn).starts_utc == datetime(2024, 10, 28, 17, 0)


def test_new_york_around_the_dst_switches(services: Services) -> None:
    # 2024-03-10 02:00 EST -> 03:00 EDT; 2024-11-03 02:00 EDT -> 01:00 EST.
    ny = "America/New_York"
    for wall, utc in (
        (datetime(2024, 3, 9, 12, 0), datetime(2024, 3, 9, 17, 0)),
        (datetime(2024, 3, 10, 12, 0), datetime(2024, 3, 10, 16, 0)),
        (datetime(2024, 11, 2, 12, 0), datetime(2024, 11, 2, 16, 0)),
        (datetime(2024, 11, 3, 12, 0), datetime(2024, 11, 3, 17, 0)),
    ):
        eid = services.events.create(
            _event(time_zone=ny, starts_at=wall, ends_at=wall + timedelta(hours=1))
        )
        assert services.events.get(eid).starts_utc == utc, wall
    with pytest.raises(ValidationError):
        services.events.create(
            _event(
                time_zone=ny,
                starts_at=datetime(2024, 3, 10, 2, 15),
                ends_at=datetime(2024, 3, 10, 4, 0),
            )
        )


def test_aware_times_are_converted_to_the_event_zone(services: Services) -> None:
    eid = services.events.create(
        _event(
            starts_at=datetime(2030, 1, 10, 17, 0, tzinfo=UTC),
            ends_at=datetime(2030, 1, 10, 19, 0, tzinfo=timezone(timedelta(hours=1))),
        )
    )
    e = services.events.get(eid)
    assert (e.starts_at, e.ends_at) == (datetime(2030, 1, 10, 18, 0), datetime(2030, 1, 10, 19, 0))


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Rust meetup #2"},
        {"status": "announced"},
        {"starts_at": datetime(2030, 5, 6, 18, 30)},
        {"ends_at": datetime(2030, 5, 6, 22, 0)},
        {"time_zone": "Europe/Paris"},
        {"location": "Room 2"},
        {"online_url": "https://example.org/live"},
        {"description": "Now with pizza"},
    ],
)
def test_changes_that_matter_to_invitees_raise_sequence(
    services: Services, change: dict[str, object]
) -> None:
    eid = services.events.create(_event())
    uid = services.events.get(eid).uid
    assert services.events.update(eid, replace(_event(), **change)) is True
    after = services.events.get(eid)
    assert after.sequence == 1
    assert after.uid == uid  # the UID never changes
    assert services.events.update(eid, replace(_event(), **change)) is False  # same again
    assert services.events.get(eid).sequence == 1


def test_changes_invitees_do_not_see_keep_sequence(services: Services) -> None:
    eid = services.events.create(_event())
    assert services.events.update(eid, _event(capacity=10, kind="workshop")) is False
    assert services.events.get(eid).sequence == 0
    services.events.set_status(eid, "cancelled")
    e = services.events.get(eid)
    assert (e.status, e.sequence) == ("cancelled", 1)


def test_scopes_search_sort_and_day(services: Services) -> None:
    now = datetime(2030, 6, 1, 12, 0)
    past = services.events.create(
        _event(
            title="Old meetup", starts_at=datetime(2030, 5, 1, 18), ends_at=datetime(2030, 5, 1, 20)
        )
    )
    ongoing = services.events.create(
        _event(
            title="Conference",
            kind="conference",
            starts_at=datetime(2030, 5, 31, 9),
            ends_at=datetime(2030, 6, 2, 17),
        )
    )
    soon = services.events.create(
        _event(
            title="AMA with Ada",
            kind="AMA",
            starts_at=datetime(2030, 6, 3, 18),
            ends_at=datetime(2030, 6, 3, 19),
        )
    )
    gone = services.events.create(_event(title="Scrapped"))
    services.events.archive([gone])
    ev = services.events
    assert ev.query_ids("upcoming", now=now) == [ongoing, soon]  # not over yet, soonest first
    assert ev.query_ids("past", now=now) == [past]
    assert ev.query_ids("all", now=now) == [past, ongoing, soon]
    assert ev.query_ids("archived", now=now) == [gone]
    assert ev.query_ids("all", "ada", now=now) == [soon]
    assert ev.query_ids("all", "100%", now=now) == []
    assert ev.query_ids("all", sort="title", now=now) == [soon, ongoing, past]
    assert ev.query_ids("all", day=date(2030, 6, 3), now=now) == [soon]
    assert [r.id for r in ev.rows([soon, past])] == [soon, past]
    assert ev.month(2030, 6) == {date(2030, 6, 3): [(soon, "AMA with Ada", "planning")]}
    assert ev.count() == 3 and ev.count(archived=True) == 1
    services.events.restore([gone])
    assert ev.count() == 4
    services.events.archive([gone])
    assert services.events.purge([gone, past]) == 1  # only what is in the Trash
    with pytest.raises(NotFound):
        services.events.get(gone)


def test_list_counts_by_status_in_one_group_by(
    services: Services, make_person, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = make_person("Ann"), make_person("Bob"), make_person("Cy")
    e1 = services.events.create(_event(title="One"))
    e2 = services.events.create(_event(title="Two"))
    services.invitations.invite(e1, [a, b, c])
    services.invitations.invite(e2, [a])
    ids = services.invitations.query_ids(e1)
    services.invitations.set_status(ids[:2], "accepted")
    rows = {r.id: r for r in services.events.list_events("all")}
    assert rows[e1].counts == {"accepted": 2, "not sent": 1}
    assert (rows[e1].invited, rows[e1].coming) == (3, 2)
    assert rows[e2].counts == {"not sent": 1}
    assert services.events.rows([e1])[0].counts == rows[e1].counts
    assert services.events.query_ids("all", sort="invited", descending=True)[0] == e1


def test_changes_are_announced(services: Services, changes) -> None:
    eid = services.events.create(_event())
    services.events.update(eid, _event(title="New"))
    assert all(c.touches("events") for c in changes)
    assert eid in changes[-1].ids


def test_agenda_crud_and_validation(services: Services, make_person) -> None:
    eid = services.events.create(_event())
    ada = make_person("Ada")
    plan = services.event_plan
    late = plan.add_agenda_item(
        eid, AgendaInput(datetime(2030, 5, 6, 19), datetime(2030, 5, 6, 19, 45), "Talk", ada)
    )
    early = plan.add_agenda_item(
        eid, AgendaInput(datetime(2030, 5, 6, 18), datetime(2030, 5, 6, 18, 15), " Welcome ")
    )
    rows = plan.agenda(eid)
    assert [r.id for r in rows] == [early, late]
    assert (rows[0].title, rows[1].speaker) == ("Welcome", "Ada")
    with pytest.raises(ValidationError):
        plan.add_agenda_item(
            eid, AgendaInput(datetime(2030, 5, 6, 19), datetime(2030, 5, 6, 18), "Backwards")
        )
    with pytest.raises(ValidationError):
        plan.add_agenda_item(
            eid, AgendaInput(datetime(2030, 5, 6, 19), datetime(2030, 5, 6, 20), "X", 999)
        )
    plan.update_agenda_item(
        late, AgendaInput(datetime(2030, 5, 6, 17), datetime(2030, 5, 6, 17, 30), "Keynote", ada)
    )
    assert [r.title for r in plan.agenda(eid)] == ["Keynote", "Welcome"]
    plan.delete_agenda_item(early)
    assert [r.id for r in plan.agenda(eid)] == [late]
    with pytest.raises(NotFound):
        plan.add_agenda_item(
            eid + 5, AgendaInput(datetime(2030, 5, 6, 19), datetime(2030, 5, 6, 20), "X")
        )


def test_logistics_checklist(services: Services) -> None:
    eid = services.events.create(_event())
    plan = services.event_plan
    room = plan.add_task(eid, TaskInput("Book the room", "Ann", date(2030, 4, 1)))
    food = plan.add_task(eid, TaskInput("Order pizza"))
    assert [t.id for t in plan.tasks(eid)] == [room, food]
    with pytest.raises(ValidationError):
        plan.add_task(eid, TaskInput("   "))
    plan.set_done(room, True)
    first = plan.tasks(eid)[0]
    assert first.done and first.done_at is not None
    plan.set_done(room, True)  # already done: the date stays
    assert plan.tasks(eid)[0].done_at == first.done_at
    assert plan.task_counts(eid) == (1, 2)
    plan.set_done(room, False)
    assert plan.task_counts(eid) == (0, 2)
    plan.update_task(food, TaskInput("Order pizza (veggie too)", "Bob"))
    assert plan.tasks(eid)[1].owner == "Bob"
    plan.delete_task(room)
    assert [t.id for t in plan.tasks(eid)] == [food]


def test_settings_organiser(services: Services) -> None:
    assert not services.settings.organiser().is_set
    with pytest.raises(ValidationError) as err:
        services.settings.set_organiser("Ann", "not an address")
    assert "email" in err.value.errors
    with pytest.raises(ValidationError):
        services.settings.set_organiser("Ann", "")
    services.settings.set_organiser("  Ann   Lee ", " ann@Example.org ")
    org = services.settings.organiser()
    assert (org.name, org.email) == ("Ann Lee", "ann@example.org")
    services.settings.set_organiser("Ann", "ann@example.org")
    assert services.settings.organiser().name == "Ann"


def test_the_calendar_service_sees_the_organiser(services: Services) -> None:
    services.settings.set_organiser("Ann Lee", "ann@example.org")
    found = services.calendar.organiser()
    assert found is not None and (found.name, found.email) == ("Ann Lee", "ann@example.org")
