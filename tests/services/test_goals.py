"""Goals: validation, each metric measured on small hand-built data, and the on-track rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from crm.models.advocacy import AdvocacyNote, AdvocacyStep
from crm.models.events import Event, Outreach, OutreachMove
from crm.models.feedback import FeedbackResponse, Survey
from crm.services import NotFound, Services, ValidationError
from crm.services.goals import GoalInput
from crm.services.goals_progress import Measure, progress

NOW = datetime(2025, 6, 15, 12, 0)
TODAY = NOW.date()
START, DEADLINE = date(2025, 6, 1), date(2025, 6, 30)


def _goal(services: Services, metric: str, target: float, baseline: float = 0, **kw: object) -> int:
    data = GoalInput(
        kw.pop("title", metric.capitalize()),  # type: ignore[arg-type]
        metric,
        baseline,
        target,
        kw.pop("starts_on", START),  # type: ignore[arg-type]
        kw.pop("deadline", DEADLINE),  # type: ignore[arg-type]
    )
    return services.goals.create(data)


def _current(services: Services, goal_id: int) -> float | None:
    return services.goals.get(goal_id, now=NOW, today=TODAY).progress.current


def _add(services: Services, *rows: object) -> None:
    with services.db.session() as s:
        s.add_all(rows)


# ---- validation -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"metric": "followers"}, "metric"),
        ({"target": float("nan")}, "target"),
        ({"baseline": -5.0}, "baseline"),
        ({"deadline": START}, "deadline"),
        ({"deadline": START - timedelta(days=3)}, "deadline"),
        ({"starts_on": date(1800, 1, 1)}, "starts_on"),
        ({"metric": "average NPS", "target": 140.0}, "target"),
    ],
)
def test_bad_goals_are_refused(services: Services, change: dict[str, object], field: str) -> None:
    good = GoalInput("Grow", "members", 10, 20, START, DEADLINE)
    with pytest.raises(ValidationError) as err:
        services.goals.create(replace(good, **change))  # type: ignore[arg-type]
    assert field in err.value.errors
    assert services.goals.count() == 0


def test_nps_goal_may_have_a_negative_baseline(services: Services) -> None:
    gid = services.goals.create(GoalInput("NPS up", "average NPS", -20, 10, START, DEADLINE))
    assert services.goals.get(gid).baseline == -20


def test_update_delete_and_undo(services: Services) -> None:
    gid = _goal(services, "members", 100, title="Grow members")
    services.goals.update(gid, GoalInput("Grow members a lot", "members", 0, 200, START, DEADLINE))
    assert services.goals.get(gid).title == "Grow members a lot"
    with pytest.raises(ValidationError):
        services.goals.update(gid, GoalInput("", "members", 0, 200, START, DEADLINE))
    gone = services.goals.delete(gid)
    with pytest.raises(NotFound):
        services.goals.get(gid)
    services.goals.restore(gone)
    assert services.goals.get(gid).target == 200


def test_query_filters_and_sorts(services: Services) -> None:
    a = _goal(services, "members", 10, title="B members")
    b = _goal(
        services,
        "events held",
        3,
        title="A events",
        starts_on=date(2024, 1, 1),
        deadline=date(2024, 6, 1),
    )
    c = _goal(
        services,
        "events held",
        3,
        title="C later",
        starts_on=date(2026, 1, 1),
        deadline=date(2026, 6, 1),
    )
    q = services.goals.query_ids
    assert q(sort="title") == [b, a, c]
    assert q(metric="events held", sort="deadline", descending=True) == [c, b]
    assert q(when="current", today=TODAY) == [a]
    assert q(when="past", today=TODAY) == [b]
    assert q(when="upcoming", today=TODAY) == [c]
    assert q("later") == [c]


# ---- metrics ----------------------------------------------------------------------------
def test_members_and_active_members(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    m1 = make_person("Ann", roles=("member",))
    m2 = make_person("Bo", roles=("member", "speaker"))
    m3 = make_person("Cy", roles=("member",))
    gone = make_person("Dee", roles=("member",))
    staff = make_person("Eve", roles=("staff",))
    gone_staff = make_person("Flo", roles=("staff", "speaker"))
    log_touch([gone, gone_staff], "before the Trash", NOW - timedelta(days=1))
    services.people.archive([gone, gone_staff])  # an archived non-member subtracts nothing
    log_touch([m1, staff], "recent", NOW - timedelta(days=3))
    log_touch([m2], "old", NOW - timedelta(days=45))
    log_touch([m3], "just inside", NOW - timedelta(days=29, hours=23))
    members = _goal(services, "members", 10)
    active = _goal(services, "members active in the last 30 days", 10)
    assert _current(services, members) == 3  # not the archived member, not staff
    assert _current(services, active) == 2  # Ann and Cy
    services.people.restore([gone])
    assert (_current(services, members), _current(services, active)) == (4, 3)


def test_interactions_per_week(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    p = make_person("Ann")
    for days in (0.5, 2, 6.9, 7.1, 30):
        log_touch([p], "touch", NOW - timedelta(days=days))
    log_touch([p], "planned", NOW + timedelta(days=1))  # not yet happened
    gid = _goal(services, "interactions per week", 10)
    assert _current(services, gid) == 3


def test_events_held_in_the_period(services: Services) -> None:
    def event(title: str, when: datetime, status: str, archived: bool = False) -> Event:
        return Event(
            title=title,
            status=status,
            starts_at=when,
            ends_at=when + timedelta(hours=2),
            starts_utc=when,
            archived_at=NOW if archived else None,
        )

    _add(
        services,
        event("done", datetime(2025, 6, 3, 18), "done"),
        event("past, announced", datetime(2025, 6, 10, 18), "announced"),
        event("past, cancelled", datetime(2025, 6, 11, 18), "cancelled"),
        event("future", datetime(2025, 6, 20, 18), "announced"),
        event("before the start", datetime(2025, 5, 30, 18), "done"),
        event("deadline day", datetime(2025, 6, 30, 18), "done"),  # marked done early: counts
        event("after", datetime(2025, 7, 1, 1), "done"),
        event("archived", datetime(2025, 6, 4, 18), "done", archived=True),
    )
    gid = _goal(services, "events held", 4)
    assert _current(services, gid) == 3


def test_average_nps_over_the_period(services: Services) -> None:
    nps, csat = Survey(title="NPS", scale="nps"), Survey(title="CSAT", scale="csat")
    _add(services, nps, csat)

    def resp(survey: Survey, score: int | None, day: int) -> FeedbackResponse:
        return FeedbackResponse(
            survey_id=survey.id, score=score, responded_at=datetime(2025, 6, day, 9)
        )

    gid = _goal(services, "average NPS", 30, baseline=0)
    p = services.goals.get(gid, now=NOW, today=TODAY).progress
    assert (p.current, p.state) == (None, "no data")  # no responses: no NPS, not zero
    assert "No responses" in p.explanation
    # 2 promoters, 1 passive, 1 detractor; CSAT, unscored and out-of-period ones ignored.
    _add(services, resp(nps, 10, 2), resp(nps, 9, 3), resp(nps, 8, 4), resp(nps, 3, 5))
    _add(services, resp(csat, 1, 6), resp(nps, None, 6))
    with services.db.session() as s:
        s.add(FeedbackResponse(survey_id=nps.id, score=0, responded_at=datetime(2025, 5, 31, 23)))
    p = services.goals.get(gid, now=NOW, today=TODAY).progress
    assert (p.current, p.basis) == (25.0, 4)  # (2 - 1) / 4
    assert "(4 responses)" in p.explanation


def test_nps_with_only_passives_is_zero(services: Services) -> None:
    nps = Survey(title="NPS", scale="nps")
    _add(services, nps)
    _add(
        services,
        *(
            FeedbackResponse(survey_id=nps.id, score=s, responded_at=datetime(2025, 6, 2))
            for s in (7, 8)
        ),
    )
    gid = _goal(services, "average NPS", 30)
    assert _current(services, gid) == 0


def test_speakers_confirmed_in_the_period(
    services: Services, make_person: Callable[..., int]
) -> None:
    p = make_person("Speaker")
    cards = [Outreach(person_id=p, topic=str(i)) for i in range(4)]
    cards[3].archived_at = NOW
    _add(services, *cards)

    def move(card: Outreach, to: str, day: date) -> OutreachMove:
        return OutreachMove(
            outreach_id=card.id, to_stage=to, moved_at=datetime.combine(day, datetime.min.time())
        )

    _add(
        services,
        move(cards[0], "confirmed", date(2025, 6, 5)),
        move(cards[0], "confirmed", date(2025, 6, 9)),  # back and forth: counted once
        move(cards[1], "interested", date(2025, 6, 5)),
        move(cards[2], "confirmed", date(2025, 5, 5)),  # before the period
        move(cards[3], "confirmed", date(2025, 6, 5)),  # archived card
    )
    gid = _goal(services, "speakers confirmed", 5)
    assert _current(services, gid) == 1


def test_advocacy_notes_shipped_in_the_period(services: Services) -> None:
    notes = [AdvocacyNote(title=str(i)) for i in range(3)]
    _add(services, *notes)
    _add(
        services,
        AdvocacyStep(note_id=notes[0].id, status="shipped", on=date(2025, 6, 1)),
        AdvocacyStep(note_id=notes[1].id, status="shipped", on=date(2025, 6, 30)),
        AdvocacyStep(note_id=notes[1].id, status="planned", on=date(2025, 6, 3)),
        AdvocacyStep(note_id=notes[2].id, status="shipped", on=date(2025, 7, 1)),
    )
    gid = _goal(services, "advocacy notes shipped", 4)
    assert _current(services, gid) == 2


# ---- on track, behind, reached -------------------------------------------------------------
def _p(current: float | None, baseline: float, target: float, today: date) -> tuple[str, float]:
    got = progress("members", baseline, target, START, DEADLINE, Measure(current), today)
    return got.state, round(got.gained, 3)


def test_on_track_compares_gain_with_time_used() -> None:
    # Day 14 of 29: 48 % of the time used.
    assert _p(60, 40, 80, TODAY) == ("on track", 0.5)
    assert _p(58, 40, 80, TODAY) == ("behind", 0.45)
    assert _p(80, 40, 80, TODAY) == ("reached", 1.0)
    assert _p(95, 40, 80, TODAY) == ("reached", 1.375)
    assert _p(30, 40, 80, TODAY) == ("behind", -0.25)


def test_edge_cases() -> None:
    assert _p(10, 10, 10, TODAY)[0] == "reached"  # target == baseline, already there
    assert _p(9, 10, 10, TODAY) == ("behind", 0.0)
    assert _p(50, 40, 80, date(2025, 7, 3))[0] == "missed"  # the deadline has passed
    assert _p(80, 40, 80, date(2025, 7, 3))[0] == "reached"
    assert _p(40, 40, 80, date(2025, 5, 1))[0] == "not started"
    assert _p(40, 40, 80, START)[0] == "on track"  # day 0: nothing expected yet
    assert _p(30, 50, 30, TODAY)[0] == "reached"  # a target below the baseline: going down
    assert _p(45, 50, 30, TODAY)[0] == "behind"
    assert _p(None, 0, 30, TODAY)[0] == "no data"


def test_explanation_reads_like_the_screen() -> None:
    got = progress("members", 40, 80, START, DEADLINE, Measure(62), TODAY)
    assert got.explanation == (
        "62 of 80 members — 55 % of the way from the baseline of 40, "
        "48 % of the time used (day 14 of 29). On track."
    )
    late = progress("events held", 0, 4, START, DEADLINE, Measure(3), date(2025, 8, 1))
    assert "events held since 1 Jun 2025" in late.explanation
    assert late.explanation.endswith("the deadline was 30 Jun 2025. Missed.")
    assert (late.time_used, late.day) == (1.0, 29)
