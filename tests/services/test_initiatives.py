"""Initiatives: dates, goal, linked events and content, participants and results."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crm.models.engagement import ContentItem
from crm.models.events import Event
from crm.services import NotFound, ServiceError, Services, ValidationError
from crm.services.initiatives import InitiativeInput


def _event(services: Services, title: str, when: datetime) -> int:
    with services.db.session() as s:
        e = Event(title=title, starts_at=when, ends_at=when, starts_utc=when)
        s.add(e)
        s.flush()
        return e.id


def _content(services: Services, title: str) -> int:
    with services.db.session() as s:
        c = ContentItem(title=title, status="scheduled", publish_on=date(2024, 5, 2))
        s.add(c)
        s.flush()
        return c.id


def test_create_edit_with_links_and_validation(services: Services) -> None:
    ini = services.initiatives
    with pytest.raises(ValidationError) as err:
        ini.create(
            InitiativeInput(
                "",
                kind="raffle",
                starts_on=date(2024, 5, 2),
                ends_on=date(2024, 5, 1),
                event_ids=(99,),
            )
        )
    assert set(err.value.errors) == {"title", "kind", "ends_on", "events"}
    assert ini.count() == 0
    ev = _event(services, "Launch webinar", datetime(2024, 5, 3, 17))
    post = _content(services, "Contest announcement")
    iid = ini.create(
        InitiativeInput(
            " Spring hack contest ",
            "contest",
            date(2024, 5, 1),
            date(2024, 5, 31),
            "100 submissions",
            event_ids=(ev,),
            content_ids=(post,),
        )
    )
    d = ini.get(iid)
    assert d.title == "Spring hack contest" and d.goal == "100 submissions"
    assert [e.title for e in d.events] == ["Launch webinar"]
    assert [(c.title, c.detail) for c in d.content] == [("Contest announcement", "scheduled")]
    changed = d.to_input()
    ini.update(iid, InitiativeInput(changed.title, "challenge", changed.starts_on, None))
    d2 = ini.get(iid)
    assert d2.kind == "challenge" and d2.ends_on is None and d2.events == () and d2.content == ()


def test_participants_results_and_person_view(services: Services, make_person) -> None:  # type: ignore[no-untyped-def]
    ini = services.initiatives
    iid = ini.create(InitiativeInput("Ambassadors", "ambassador programme"))
    a, b, c = make_person("Ada"), make_person("Bob"), make_person("Cy")
    assert ini.add_participants(iid, [a, b, c, a]) == 3
    assert ini.add_participants(iid, [a]) == 0  # already in: kept as they were
    with pytest.raises(NotFound):
        ini.add_participants(iid, [a, 9999])
    with pytest.raises(ValidationError):
        ini.set_result(iid, [a], "loser")
    ini.set_result(iid, [a], "winner")
    ini.set_result(iid, [b], "submitted")
    d = ini.get(iid)
    assert (d.participant_count, d.winners) == (3, 1)
    ids = ini.participant_ids(iid)  # winners, then submitted, then the rest
    assert [(p.name, p.result) for p in ini.participant_rows(iid, ids)] == [
        ("Ada", "winner"),
        ("Bob", "submitted"),
        ("Cy", "joined"),
    ]
    assert ini.participant_ids(iid, sort="name", descending=True) == [c, b, a]
    assert [p.name for p in ini.participant_rows(iid, [c, 9999, a])] == ["Cy", "Ada"]
    row = ini.rows([iid])[0]
    assert (row.participants, row.submitted, row.winners) == (3, 2, 1)
    mine = ini.person_initiatives(a)
    assert [(m.title, m.result) for m in mine] == [("Ambassadors", "winner")]
    ini.remove_participants(iid, [c])
    assert ini.person_initiatives(c) == []


def test_delete_says_what_goes_and_keeps_people_and_events(services: Services, make_person) -> None:  # type: ignore[no-untyped-def]
    ini = services.initiatives
    ev = _event(services, "Kick-off", datetime(2024, 6, 1, 18))
    iid = ini.create(InitiativeInput("Promo", "promotion", event_ids=(ev,)))
    p = make_person("Ada")
    ini.add_participants(iid, [p])
    assert ini.impact(iid) == (1, 1, 0)
    ini.delete(iid)
    assert ini.count() == 0 and ini.person_initiatives(p) == []
    assert [e.id for e in ini.event_choices()] == [ev]
    assert services.people.get(p).display_name == "Ada"
    with pytest.raises(NotFound):
        ini.impact(iid)


def test_undo_delete_puts_back_results_and_links(services: Services, make_person) -> None:  # type: ignore[no-untyped-def]
    ini = services.initiatives
    ev = _event(services, "Kick-off", datetime(2024, 6, 1, 18))
    gone_ev = _event(services, "Cancelled", datetime(2024, 7, 1, 18))
    iid = ini.create(
        InitiativeInput(
            "Promo", "promotion", date(2024, 6, 1), goal="50 sign-ups", event_ids=(ev, gone_ev)
        )
    )
    ada, bob = make_person("Ada"), make_person("Bob")
    ini.add_participants(iid, [ada, bob], joined_on=date(2024, 6, 2))
    ini.set_result(iid, [ada], "winner")
    gone = ini.delete(iid)
    assert ini.count() == 0
    # meanwhile: Bob and one event deleted for good, a new initiative (a new id)
    services.people.archive([bob])
    services.people.purge([bob])
    services.events.archive([gone_ev])
    services.events.purge([gone_ev])
    assert ini.create(InitiativeInput("Other")) != iid
    ini.restore(gone)
    d = ini.get(iid)
    assert (d.title, d.goal, d.starts_on) == ("Promo", "50 sign-ups", date(2024, 6, 1))
    assert [e.id for e in d.events] == [ev]  # the purged event's link is left out
    rows = ini.participant_rows(iid, ini.participant_ids(iid))
    assert [(p.name, p.result, p.joined_on) for p in rows] == [("Ada", "winner", date(2024, 6, 2))]
    with pytest.raises(ServiceError, match="already back"):
        ini.restore(gone)


def test_filter_phase_and_sort(services: Services, make_person) -> None:  # type: ignore[no-untyped-def]
    ini = services.initiatives
    today = date(2024, 6, 15)
    past = ini.create(
        InitiativeInput("Old campaign", "campaign", date(2024, 1, 1), date(2024, 2, 1))
    )
    now = ini.create(
        InitiativeInput("Summer challenge", "challenge", date(2024, 6, 1), date(2024, 7, 1))
    )
    soon = ini.create(InitiativeInput("Autumn webinars", "webinar series", date(2024, 9, 1)))
    undated = ini.create(InitiativeInput("Always-on ambassadors", "ambassador programme"))
    ini.add_participants(now, [make_person("A"), make_person("B")])
    q = ini.query_ids
    assert q(phase="ended", today=today) == [past]
    assert set(q(phase="running", today=today)) == {now, undated}
    assert q(phase="upcoming", today=today) == [soon]
    assert q("webinar") == [soon]
    assert q(kind="campaign") == [past]
    assert q(sort="participants", descending=True)[0] == now
    assert q(sort="starts_on", descending=False) == [past, now, soon, undated]
    assert ini.rows([now])[0].phase(today) == "running"
    assert ini.rows([soon])[0].phase(today) == "upcoming"
