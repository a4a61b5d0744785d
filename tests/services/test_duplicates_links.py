"""Merging two people who share events, notes, initiatives and cases (revisions 0004/0005).

Both records of one person are often invited to the same event, voices of the same
note, participants of the same initiative: those tables hold one row per person and
event (note, initiative), so a merge keeps one row, the more informative, and unmerge
brings back both rows exactly. Rows are written with the ORM models directly: these
tests are about the merge, not the services of those areas.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from crm.models import (
    AdvocacyNote,
    AdvocacyVoice,
    AgendaItem,
    ContentItem,
    Event,
    FeedbackResponse,
    Initiative,
    InitiativeParticipant,
    Invitation,
    ModerationCase,
    Outreach,
    Survey,
)
from crm.services import Services

TABLES = (
    "invitation",
    "advocacy_voice",
    "initiative_participant",
    "outreach",
    "moderation_case",
    "feedback_response",
    "content_item",
    "agenda_item",
    "membership",
)


def _event(title: str, day: int) -> Event:
    at = datetime(2026, 5, day, 18)
    return Event(title=title, starts_at=at, ends_at=at, starts_utc=at)


@pytest.fixture
def shared(services: Services, make_person):  # type: ignore[no-untyped-def]
    keep, other, third = make_person("Ada Lovelace"), make_person("Ada King"), make_person("Bob")
    with services.db.session() as s:
        meetup, talk, only_other = _event("Meetup", 1), _event("Talk night", 2), _event("AMA", 3)
        note, note2 = AdvocacyNote(title="Dark mode"), AdvocacyNote(title="Faster sync")
        contest = Initiative(title="Hackathon")
        survey = Survey(title="Pulse")
        s.add_all([meetup, talk, only_other, note, note2, contest, survey])
        s.flush()
        s.add_all(
            [
                # Both invited to the meetup: other's invitation got further (attended).
                Invitation(event_id=meetup.id, person_id=keep, status="invited"),
                Invitation(
                    event_id=meetup.id,
                    person_id=other,
                    status="attended",
                    responded_at=datetime(2026, 4, 20),
                ),
                # Both invited to the talk night: keep's is further, other's has a note.
                Invitation(event_id=talk.id, person_id=keep, status="accepted", role="speaker"),
                Invitation(event_id=talk.id, person_id=other, status="invited", note="vegan"),
                Invitation(event_id=only_other.id, person_id=other, status="declined"),
                AdvocacyVoice(note_id=note.id, person_id=keep, added_on=date(2026, 3, 1)),
                AdvocacyVoice(note_id=note.id, person_id=other, added_on=date(2026, 1, 1)),
                AdvocacyVoice(note_id=note2.id, person_id=other, added_on=date(2026, 2, 1)),
                InitiativeParticipant(
                    initiative_id=contest.id, person_id=keep, result="joined", joined_on=None
                ),
                InitiativeParticipant(
                    initiative_id=contest.id,
                    person_id=other,
                    result="winner",
                    joined_on=date(2026, 2, 2),
                ),
                Outreach(person_id=other, topic="SQLite at scale", stage="contacted"),
                Outreach(person_id=keep, topic="Typing Python", stage="confirmed"),
                ModerationCase(subject_id=other, reporter_id=third, occurred_on=date(2026, 1, 9)),
                ModerationCase(subject_id=third, reporter_id=other, occurred_on=date(2026, 1, 8)),
                ModerationCase(subject_id=keep, reporter_id=other, occurred_on=date(2026, 1, 7)),
                FeedbackResponse(survey_id=survey.id, person_id=other, score=9),
                FeedbackResponse(survey_id=survey.id, person_id=keep, score=7),
                ContentItem(title="Guest post", guest_author_id=other),
                AgendaItem(
                    event_id=talk.id,
                    title="Keynote",
                    speaker_id=other,
                    starts_at=datetime(2026, 5, 2, 18),
                    ends_at=datetime(2026, 5, 2, 19),
                ),
            ]
        )
        ids = {"meetup": meetup.id, "talk": talk.id, "ama": only_other.id, "note": note.id}
        ids |= {"note2": note2.id, "contest": contest.id}
    return {"keep": keep, "other": other, "third": third, **ids}


def _dump(services: Services) -> dict[str, list[tuple[object, ...]]]:
    with services.db.read() as s:
        return {
            t: sorted(
                (tuple(r) for r in s.execute(text(f'SELECT * FROM "{t}"'))),
                key=repr,
            )
            for t in TABLES
        }


def _rows(services: Services, sql: str, **params: object) -> list[tuple[object, ...]]:
    with services.db.read() as s:
        return [tuple(r) for r in s.execute(text(sql), params)]


def test_merge_keeps_one_row_each_the_most_informative(services: Services, shared) -> None:  # type: ignore[no-untyped-def]
    keep, other = shared["keep"], shared["other"]
    services.duplicates.merge(keep, other)
    invitations = _rows(
        services,
        "SELECT event_id, status, role, note, responded_at IS NOT NULL FROM invitation "
        "WHERE person_id = :k ORDER BY event_id",
        k=keep,
    )
    assert invitations == [
        (shared["meetup"], "attended", "attendee", "", 1),  # the further status won
        (shared["talk"], "accepted", "speaker", "vegan", 0),  # keep's, with other's note
        (shared["ama"], "declined", "attendee", "", 0),  # only other's: moved
    ]
    voices = _rows(
        services, "SELECT note_id, added_on FROM advocacy_voice WHERE person_id = :k", k=keep
    )
    assert sorted(voices) == sorted(
        [(shared["note"], "2026-01-01"), (shared["note2"], "2026-02-01")]  # earliest kept
    )
    assert _rows(
        services,
        "SELECT result, joined_on FROM initiative_participant WHERE person_id = :k",
        k=keep,
    ) == [("winner", "2026-02-02")]
    # Rows without a once-per-person rule all move to the kept person.
    assert _rows(services, "SELECT count(*) FROM outreach WHERE person_id = :k", k=keep) == [(2,)]
    cases = _rows(services, "SELECT subject_id, reporter_id FROM moderation_case ORDER BY id")
    third = shared["third"]
    assert cases == [(keep, third), (third, keep), (keep, keep)]
    assert _rows(
        services, "SELECT count(*) FROM feedback_response WHERE person_id = :k", k=keep
    ) == [(2,)]
    assert _rows(services, "SELECT guest_author_id FROM content_item") == [(keep,)]
    assert _rows(services, "SELECT speaker_id FROM agenda_item") == [(keep,)]
    # Nothing points at the merged person any more (no row went to NULL or was lost).
    for table, column in (
        ("invitation", "person_id"),
        ("advocacy_voice", "person_id"),
        ("moderation_case", "reporter_id"),
        ("feedback_response", "person_id"),
    ):
        assert _rows(services, f"SELECT count(*) FROM {table} WHERE {column} = :o", o=other) == [
            (0,)
        ]
    assert _rows(services, "SELECT count(*) FROM feedback_response WHERE person_id IS NULL") == [
        (0,)
    ]


def test_unmerge_brings_back_both_rows_exactly(services: Services, shared) -> None:  # type: ignore[no-untyped-def]
    keep, other = shared["keep"], shared["other"]
    snap = services.duplicates.snapshot
    before = (_dump(services), snap(keep), snap(other), snap(shared["third"]))
    merge_id = services.duplicates.merge(keep, other)
    assert _dump(services) != before[0]
    services.duplicates.unmerge(merge_id)
    assert (_dump(services), snap(keep), snap(other), snap(shared["third"])) == before


def test_merging_the_other_way_keeps_the_same_best_rows(services: Services, shared) -> None:  # type: ignore[no-untyped-def]
    """Which record is kept must not decide which invitation survives."""
    keep, other = shared["other"], shared["keep"]
    services.duplicates.merge(keep, other)
    statuses = _rows(
        services,
        "SELECT event_id, status FROM invitation WHERE person_id = :k ORDER BY event_id",
        k=keep,
    )
    assert statuses == [
        (shared["meetup"], "attended"),
        (shared["talk"], "accepted"),
        (shared["ama"], "declined"),
    ]
    assert _rows(
        services, "SELECT result FROM initiative_participant WHERE person_id = :k", k=keep
    ) == [("winner",)]
