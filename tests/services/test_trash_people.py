"""Deleting people and communities for good: the question's counts are what the purge does.

On a demo database (every kind of row hangs off its people), the counts of
`purge_impact` are compared with the row counts of every table before and after the
purge, and the rows said to stay are checked to be there, without their link.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text

from crm.services import Services
from crm.services.demo import generate
from crm.services.trash import Impact

NOW = datetime(2026, 11, 20, 15, 30, 0)
# A person's own rows: not listed in the question (they are the person).
OWN = ("email", "phone", "handle", "person_role", "person_tag", "consent")


def _counts(sv: Services) -> dict[str, int]:
    """Rows in every table (the search indexes' shadow tables left out)."""
    with sv.db.read() as s:
        names = s.scalars(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'"
            )
        ).all()
        return {n: int(s.scalar(text(f'SELECT count(*) FROM "{n}"')) or 0) for n in names}


def _one(sv: Services, sql: str, **params: object) -> int:
    with sv.db.read() as s:
        return int(s.execute(text(sql), params).scalar() or 0)


def _ids(sv: Services, sql: str) -> list[int]:
    with sv.db.read() as s:
        return [int(r[0]) for r in s.execute(text(sql))]


def _by_words(impact: Impact) -> tuple[dict[str, int], dict[str, int]]:
    return {p.many: p.count for p in impact.goes}, {p.many: p.count for p in impact.stays}


@pytest.fixture
def demo(services: Services) -> Services:
    generate(services.db, contacts=300, seed=2, now=NOW, parallel=False)
    return services


def _doomed_people(sv: Services) -> list[int]:
    """People with one of everything: a case about them, one they reported, a guest
    post, an outreach card, an initiative, a talk, a referral, a survey answer, an
    attendance record, and two who share an interaction with nobody else."""
    picks = [
        "SELECT min(subject_id) FROM moderation_case",
        "SELECT min(reporter_id) FROM moderation_case WHERE reporter_id IS NOT NULL",
        "SELECT min(guest_author_id) FROM content_item",
        "SELECT min(person_id) FROM outreach",
        "SELECT min(person_id) FROM initiative_participant",
        "SELECT min(speaker_id) FROM agenda_item",
        "SELECT min(referred_by_id) FROM person",
        "SELECT min(person_id) FROM feedback_response",
        "SELECT min(person_id) FROM invitation WHERE attendance_interaction_id IS NOT NULL",
        "SELECT min(person_id) FROM advocacy_voice",
    ]
    ids = {_one(sv, sql) for sql in picks}
    pair = _ids(
        sv,
        "SELECT person_id FROM participant WHERE interaction_id = (SELECT interaction_id "
        "FROM participant GROUP BY interaction_id HAVING count(*) = 2 LIMIT 1)",
    )
    assert 0 not in ids and len(pair) == 2
    return sorted(ids | set(pair))


def test_people_purge_takes_what_the_question_says(demo: Services) -> None:
    sv = demo
    doomed = _doomed_people(sv)
    sv.people.archive(doomed)
    marks = ",".join(map(str, doomed))
    own = {t: _one(sv, f"SELECT count(*) FROM {t} WHERE person_id IN ({marks})") for t in OWN}
    own["participant"] = _one(sv, f"SELECT count(*) FROM participant WHERE person_id IN ({marks})")
    own["field_value"] = _one(
        sv,
        f"SELECT count(*) FROM field_value WHERE entity_id IN ({marks}) AND field_id IN "
        "(SELECT id FROM field_def WHERE entity = 'person')",
    )
    shared = _ids(
        sv,
        f"SELECT DISTINCT interaction_id FROM participant WHERE person_id IN ({marks}) AND "
        f"interaction_id IN (SELECT interaction_id FROM participant WHERE person_id "
        f"NOT IN ({marks}))",
    )
    # (table, column): the rows linked to them that stay, without the link.
    unlinked = {
        "feedback responses (now anonymous)": ("feedback_response", "person_id"),
        "talks on events' agendas": ("agenda_item", "speaker_id"),
        "content items they guest-wrote": ("content_item", "guest_author_id"),
        "moderation cases they reported": ("moderation_case", "reporter_id"),
        "people they referred": ("person", "referred_by_id"),
    }
    linked = {
        words: _ids(
            sv,
            f"SELECT id FROM {table} WHERE {column} IN ({marks}) "
            + ("AND subject_id NOT IN ({0})" if table == "moderation_case" else "").format(marks)
            + (f"AND id NOT IN ({marks})" if table == "person" else ""),
        )
        for words, (table, column) in unlinked.items()
    }
    impact = sv.people.purge_impact([*doomed, 999_999], {})  # unknown ids are not counted
    assert impact.items == len(doomed)
    goes, stays = _by_words(impact)
    # Every kind is there: the people were picked so.
    assert set(goes) == {
        "interactions only they took part in",
        "invitations",
        "community memberships",
        "outreach cards",
        "stage moves",
        "voices on advocacy notes",
        "places in initiatives",
        "moderation cases about them",
        "relationships",
    }, goes
    assert set(stays) == {"interactions with others", *unlinked}, stays

    before = _counts(sv)
    assert sv.people.purge(doomed) == len(doomed)
    after = _counts(sv)
    delta = {t: before[t] - after[t] for t in before if before[t] != after[t]}
    expected = {
        "person": len(doomed),
        "interaction": goes["interactions only they took part in"],
        "invitation": goes["invitations"],
        "membership": goes["community memberships"],
        "outreach": goes["outreach cards"],
        "outreach_move": goes["stage moves"],
        "advocacy_voice": goes["voices on advocacy notes"],
        "initiative_participant": goes["places in initiatives"],
        "moderation_case": goes["moderation cases about them"],
        "relationship": goes["relationships"],
        "audit_log": -1,  # the purge's own entry
        **{t: n for t, n in own.items() if n},
    }
    assert delta == expected
    # What stays is there, without them.
    assert len(shared) == stays["interactions with others"]
    kept = ",".join(map(str, shared))
    assert _one(sv, f"SELECT count(*) FROM interaction WHERE id IN ({kept})") == len(shared)
    for words, (table, column) in unlinked.items():
        rows = ",".join(map(str, linked[words]))
        assert len(linked[words]) == stays[words], words
        still = f"SELECT count(*) FROM {table} WHERE id IN ({rows}) AND {column} IS NULL"
        assert _one(sv, still) == stays[words], words
    assert _one(sv, "PRAGMA foreign_key_check") == 0


def test_community_purge_takes_its_memberships_and_keeps_its_events(demo: Services) -> None:
    sv = demo
    community, other = _ids(sv, "SELECT id FROM community ORDER BY id LIMIT 2")
    event = _one(sv, "SELECT min(id) FROM event")
    with sv.db.session() as s:
        s.execute(
            text("UPDATE event SET community_id = :c WHERE id = :e"), {"c": community, "e": event}
        )
    members = _one(sv, "SELECT count(*) FROM membership WHERE community_id = :c", c=community)
    assert members > 0
    sv.communities.archive([community])
    impact = sv.communities.purge_impact([community, other], {})
    assert impact.items == 1
    assert [p.text for p in impact.goes] == [
        f"{members} community membership" + ("s" if members != 1 else "")
    ]
    assert [p.text for p in impact.stays] == ["1 event they host"]
    own_values = _one(
        sv,
        "SELECT count(*) FROM field_value WHERE entity_id = :c AND field_id IN "
        "(SELECT id FROM field_def WHERE entity = 'community')",
        c=community,
    )

    before = _counts(sv)
    assert sv.communities.purge([community]) == 1
    after = _counts(sv)
    delta = {t: before[t] - after[t] for t in before if before[t] != after[t]}
    assert delta == {
        "community": 1,
        "membership": members,
        "audit_log": -1,
        **({"field_value": own_values} if own_values else {}),
    }
    assert (
        _one(sv, "SELECT count(*) FROM event WHERE id = :e AND community_id IS NULL", e=event) == 1
    )


def test_emptying_everything_at_once_counts_each_row_once(demo: Services) -> None:
    """People, a community, an event and cards together, as Empty trash asks: the
    question's parts, added up over the kinds, are what the purges remove in order."""
    sv = demo
    event = _one(sv, "SELECT event_id FROM invitation GROUP BY event_id ORDER BY count(*) LIMIT 1")
    people = _ids(sv, f"SELECT person_id FROM invitation WHERE event_id = {event} LIMIT 3")
    people += _ids(sv, "SELECT person_id FROM outreach ORDER BY id LIMIT 1")
    cards = _ids(sv, "SELECT id FROM outreach ORDER BY id LIMIT 2")  # one is a doomed person's
    community = _one(
        sv, f"SELECT community_id FROM membership WHERE person_id = {people[0]} LIMIT 1"
    )
    sv.people.archive(people)
    sv.communities.archive([community])
    sv.events.archive([event])
    sv.outreach.archive(cards)
    doomed = {"people": people, "communities": [community], "events": [event], "outreach": cards}

    def others(key: str) -> dict[str, list[int]]:
        return {k: v for k, v in doomed.items() if k != key}

    impacts = [
        sv.people.purge_impact(people, others("people")),
        sv.communities.purge_impact([community], others("communities")),
        sv.events.purge_impact([event], others("events")),
        sv.outreach.purge_impact(cards, others("outreach")),
    ]
    goes: dict[str, int] = {}
    for impact in impacts:
        for p in impact.goes:
            goes[p.many] = goes.get(p.many, 0) + p.count
    before = _counts(sv)
    sv.people.purge(people)
    sv.communities.purge([community])
    sv.events.purge([event])
    sv.outreach.purge(cards)
    after = _counts(sv)
    delta = {t: before[t] - after[t] for t in before}
    assert delta["invitation"] == goes["invitations"]
    assert delta["membership"] == goes["community memberships"]
    assert delta["outreach_move"] == goes["stage moves"]
    # The cards: the Outreach section's own, and the people's others.
    assert delta["outreach"] == len(cards) + goes.get("outreach cards", 0)
    assert delta["agenda_item"] == goes["agenda items"]
    # Nothing said to stay was deleted in the same go.
    stays = {p.many: p.count for i in impacts for p in i.stays}
    assert "outreach cards" not in stays or all(
        _one(sv, f"SELECT count(*) FROM outreach WHERE id = {c}") == 0 for c in cards
    )
