"""The speaker-outreach service: cards, moves, conversion, history and talks."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from crm.models import AgendaItem, Event
from crm.services import NotFound, ServiceError, Services, ValidationError
from crm.services.outreach_data import PIPELINE, CardInput


@pytest.fixture
def make_event(services: Services):  # type: ignore[no-untyped-def]
    """make_event("DevConf", days=30) -> id (events belong to another service; rows here)."""

    def make(title: str, days: int = 30) -> int:
        start = datetime(2030, 1, 1, 18) + timedelta(days=days)
        with services.db.session() as s:
            e = Event(
                title=title,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                starts_utc=start,
            )
            s.add(e)
            s.flush()
            return e.id

    return make


def _moves(services: Services, card_id: int) -> list[tuple[str | None, str]]:
    return [(m.from_stage, m.to_stage) for m in services.outreach.get(card_id).moves]


def test_create_records_the_first_move_and_shows_on_the_board(
    services, make_person, make_event, changes
) -> None:
    ada = make_person("Ada Lovelace")
    conf = make_event("DevConf")
    cid = services.outreach.create(
        CardInput(ada, "  Engines  of   thought ", conf, "Email her", date(2030, 1, 5), "notes")
    )
    detail = services.outreach.get(cid)
    assert (detail.topic, detail.stage, detail.event_title) == (
        "Engines of thought",
        "identified",
        "DevConf",
    )
    assert _moves(services, cid) == [(None, "identified")]
    board = services.outreach.board(today=date(2030, 1, 1))
    assert list(board) == [*PIPELINE, "declined"]
    (card,) = board["identified"]
    assert (card.person_name, card.next_step, card.overdue) == ("Ada Lovelace", "Email her", False)
    assert services.outreach.board(today=date(2030, 1, 6))["identified"][0].overdue
    assert changes[-1].touches("outreach") and cid in changes[-1].ids


def test_bad_input_is_refused_and_writes_nothing(services, make_person, make_event) -> None:
    ada = make_person("Ada")
    conf = make_event("DevConf")
    cases = [
        (CardInput(None, "x"), "person"),
        (CardInput(9999, "x"), "person"),
        (CardInput(ada, "x" * 301), "topic"),
        (CardInput(ada, "x", next_step_on=date(2030, 1, 1)), "next_step"),
        (CardInput(ada, "x", event_id=777), "event"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as err:
            services.outreach.create(data)
        assert field in err.value.errors
    services.outreach.create(CardInput(ada, "first", conf))
    with pytest.raises(ValidationError, match="already has a card for DevConf"):
        services.outreach.create(CardInput(ada, "second", conf))
    with pytest.raises(ValidationError, match="stage"):
        services.outreach.create(CardInput(ada, "third"), stage="famous")
    assert services.outreach.count() == 1


def test_moves_are_recorded_and_same_stage_is_a_no_op(services, make_person, changes) -> None:
    cid = services.outreach.create(CardInput(make_person("Ada"), "Talk"))
    t1 = datetime(2030, 2, 1, 9)
    assert services.outreach.move(cid, "contacted", at=t1)
    before = len(changes)
    assert not services.outreach.move(cid, "contacted")
    assert len(changes) == before  # nothing written, nothing announced
    assert services.outreach.move(cid, "confirmed", at=t1 + timedelta(days=3))
    detail = services.outreach.get(cid)
    assert detail.stage == "confirmed" and detail.stage_changed_at == t1 + timedelta(days=3)
    assert _moves(services, cid) == [
        (None, "identified"),
        ("identified", "contacted"),
        ("contacted", "confirmed"),
    ]
    assert detail.moves[1].moved_at == t1
    with pytest.raises(ValidationError):
        services.outreach.move(cid, "nowhere")
    with pytest.raises(NotFound):
        services.outreach.move(4242, "contacted")


@pytest.mark.parametrize("stage", PIPELINE)
def test_declined_is_reachable_from_any_stage(services, make_person, stage) -> None:
    cid = services.outreach.create(CardInput(make_person("Ada"), "Talk"), stage=stage)
    assert services.outreach.move(cid, "declined")
    assert _moves(services, cid)[-1] == (stage, "declined")
    conv = services.outreach.conversion()
    assert conv.declined == 1 and conv.declined_from == {stage: 1}
    # and back again when they change their mind
    assert services.outreach.move(cid, "interested")
    assert services.outreach.conversion().declined == 0


def test_conversion_on_an_empty_board(services) -> None:
    conv = services.outreach.conversion()
    assert conv.total == 0 and conv.declined == 0 and conv.declined_from == {}
    assert [(f.stage, f.reached, f.current, f.rate_to_next) for f in conv.stages] == [
        (s, 0, 0, None) for s in PIPELINE
    ]


def test_conversion_counts_cards_that_ever_reached_each_stage(
    services, make_person, make_event
) -> None:
    conf, other = make_event("DevConf"), make_event("Other")
    o = services.outreach
    ids = [o.create(CardInput(make_person(f"P{i}"), "t", conf)) for i in range(4)]
    o.move(ids[0], "contacted")
    o.move(ids[0], "interested")
    o.move(ids[0], "confirmed")
    o.move(ids[0], "delivered")
    o.move(ids[1], "contacted")
    o.move(ids[1], "identified")  # moved back: it still reached "contacted" once
    o.move(ids[2], "interested")  # skipped "contacted": counts as having passed it
    o.move(ids[2], "declined")
    o.create(CardInput(make_person("Elsewhere"), "t", other), stage="contacted")
    conv = o.conversion(event_id=conf)
    got = {f.stage: (f.reached, f.current) for f in conv.stages}
    assert got == {
        "identified": (4, 2),
        "contacted": (3, 0),
        "interested": (2, 0),
        "confirmed": (1, 0),
        "delivered": (1, 1),
    }
    rates = [f.rate_to_next for f in conv.stages]
    assert rates == [3 / 4, 2 / 3, 1 / 2, 1.0, None]
    assert (conv.total, conv.declined, conv.declined_from) == (4, 1, {"interested": 1})
    whole = o.conversion()
    assert whole.total == 5 and whole.stages[1].reached == 4
    # archived cards leave the figures
    o.archive([ids[0]])
    assert o.conversion(event_id=conf).stages[-1].reached == 0


def test_board_filters_by_event_and_search(services, make_person, make_event) -> None:
    conf, meet = make_event("DevConf"), make_event("Rust meetup")
    o = services.outreach
    a = o.create(CardInput(make_person("Ada Lovelace"), "Analytical engines", conf))
    b = o.create(CardInput(make_person("Grace Hopper"), "Compilers", meet, "Call 50%_ off"))

    def ids(**kw: object) -> set[int]:
        return {c.id for cards in o.board(**kw).values() for c in cards}  # type: ignore[arg-type]

    assert ids() == {a, b}
    assert ids(event_id=conf) == {a}
    assert ids(search="grace") == {b}
    assert ids(search="rust") == {b}  # the event's title
    assert ids(search="engines") == {a}
    assert ids(search="50%_") == {b} and ids(search="%") == {b}


def test_edit_archive_restore_and_purge(services, make_person, make_event) -> None:
    ada = make_person("Ada")
    conf = make_event("DevConf")
    o = services.outreach
    cid = o.create(CardInput(ada, "Old"))
    o.update(cid, CardInput(ada, "New", conf, "Book travel", date(2030, 3, 1), "vegetarian"))
    d = o.get(cid)
    assert (d.topic, d.event_id, d.next_step, d.notes) == ("New", conf, "Book travel", "vegetarian")
    assert o.archive([cid]) == 1
    assert all(not cards for cards in o.board().values())
    assert [c.id for c in o.archived()] == [cid]
    with pytest.raises(ServiceError, match="Trash"):
        o.move(cid, "contacted")
    assert o.restore([cid]) == 1
    assert o.board()["identified"][0].id == cid
    assert o.purge([cid]) == 0  # only cards in the Trash are deleted for good
    o.archive([cid])
    assert o.purge([cid]) == 1
    with pytest.raises(NotFound):
        o.get(cid)
    assert o.count() == 0 and o.count(archived=True) == 0


def test_history_lists_a_persons_cards_with_their_moves(services, make_person, make_event) -> None:
    ada, bob = make_person("Ada"), make_person("Bob")
    o = services.outreach
    first = o.create(CardInput(ada, "One", make_event("A")))
    o.move(first, "contacted", at=datetime(2030, 1, 2))
    second = o.create(CardInput(ada, "Two", make_event("B")))
    o.create(CardInput(bob, "Not hers"))
    history = o.history(ada)
    assert [c.id for c in history] == [second, first]
    assert [m.to_stage for m in history[1].moves] == ["identified", "contacted"]
    assert o.history(make_person("Nobody")) == []


def test_talks_are_the_agenda_items_a_person_speaks_in(services, make_person, make_event) -> None:
    ada = make_person("Ada")
    conf = make_event("DevConf")
    with services.db.session() as s:
        start = datetime(2030, 1, 31, 18)
        s.add(
            AgendaItem(
                event_id=conf, starts_at=start, ends_at=start, title="Keynote", speaker_id=ada
            )
        )
        s.add(
            AgendaItem(
                event_id=conf, starts_at=start, ends_at=start, title="Panel", speaker_id=None
            )
        )
    (talk,) = services.outreach.talks(ada)
    assert (talk.title, talk.event_id, talk.event_title) == ("Keynote", conf, "DevConf")


def test_event_choices_put_upcoming_first(services, make_event) -> None:
    past, later, soon = make_event("Past", -400), make_event("Later", 60), make_event("Soon", 10)
    now = datetime(2030, 1, 1)
    choices = services.outreach.event_choices(now)
    assert [c.id for c in choices] == [soon, later, past]
    assert [c.past for c in choices] == [False, False, True]


def test_board_events_are_the_events_cards_aim_at_with_counts(
    services, make_person, make_event
) -> None:
    past, soon, unused = make_event("Past", -400), make_event("Soon", 10), make_event("None", 5)
    o = services.outreach
    ada, grace, alan = make_person("Ada"), make_person("Grace"), make_person("Alan")
    o.create(CardInput(ada, "One", past))
    o.create(CardInput(grace, "Two", soon))
    gone = o.create(CardInput(alan, "Three", soon))
    o.create(CardInput(ada, "Four", soon))
    o.archive([gone])  # archived cards do not count
    choices = o.board_events(datetime(2030, 1, 1))
    assert [(c.id, c.cards, c.past) for c in choices] == [(soon, 2, False), (past, 1, True)]
    assert unused not in {c.id for c in choices}
    assert o.counts() == (3, 1)
    services.people.archive([ada])  # a card of a person in the Trash is not on the board
    assert o.counts() == (1, 1) and [c.cards for c in o.board_events()] == [1]


def test_stats_count_cards_and_moves(services, make_person) -> None:
    cid = services.outreach.create(CardInput(make_person("Ada"), "Talk"))
    services.outreach.move(cid, "contacted")
    counts = services.stats.counts()
    assert (counts["outreach"], counts["outreach_move"]) == (1, 2)


def test_undo_move_forgets_the_last_move(services, make_person) -> None:
    o = services.outreach
    cid = o.create(CardInput(make_person("Ada"), "Talk"))
    created = o.get(cid).stage_changed_at
    assert not o.undo_move(cid)  # nothing to take back yet
    o.move(cid, "contacted", at=datetime(2030, 1, 2))
    o.move(cid, "confirmed", at=datetime(2030, 1, 3))
    assert o.undo_move(cid)
    d = o.get(cid)
    assert (d.stage, d.stage_changed_at) == ("contacted", datetime(2030, 1, 2))
    assert o.conversion().stages[3].reached == 0  # "confirmed" no longer counted
    assert o.undo_move(cid)
    d = o.get(cid)
    assert (d.stage, d.stage_changed_at, len(d.moves)) == ("identified", created, 1)
    assert not o.undo_move(cid)
