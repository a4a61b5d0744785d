"""The dashboard's report queries: periods and bars, and every chart counted exactly on
small hand-built data (headless, no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from crm.models.advocacy import AdvocacyNote
from crm.models.events import Event, Invitation, Outreach, OutreachMove
from crm.models.feedback import FeedbackResponse, Survey
from crm.services import Services, ValidationError
from crm.services.reports import CHARTS
from crm.services.reports_data import buckets, period

NOW = datetime(2025, 6, 15, 12, 0)


def _add(services: Services, *rows: object) -> None:
    with services.db.session() as s:
        s.add_all(rows)


def _chart(services: Services, key: str, period_key: str = "12m"):  # type: ignore[no-untyped-def]
    return services.reports.chart(key, period_key, now=NOW)


# ---- periods and bars -----------------------------------------------------------------
def test_periods_and_their_bars() -> None:
    p = period("12m", NOW)
    assert (p.start, p.end) == (datetime(2024, 7, 1), datetime(2025, 6, 16))
    bars = buckets(p)
    assert [b.key for b in bars][:2] == ["2024-07", "2024-08"] and len(bars) == 12
    assert (bars[0].label, bars[-1].label) == ("Jul 24", "Jun 25")
    assert bars[-1].hi == datetime(2025, 6, 16)  # today whole, not the rest of June

    p = period("30d", NOW)
    bars = buckets(p)
    assert len(bars) == 30 and bars[0].key == "2025-05-17" and bars[-1].key == "2025-06-15"
    assert bars[0].label == "17 May"

    p = period("90d", NOW)  # from Tuesday 18 March; weeks start on Monday
    bars = buckets(p)
    assert bars[0].key == "2025-03-17" and bars[0].lo == datetime(2025, 3, 18)
    assert bars[-1].key == "2025-06-09" and len(bars) == 13

    p = period("all", NOW)
    assert p.start is None and buckets(p) == ()  # no data, no bars
    assert [b.key for b in buckets(p, datetime(2025, 4, 20, 8))] == [
        "2025-04",
        "2025-05",
        "2025-06",
    ]


def test_an_unknown_period_is_refused() -> None:
    with pytest.raises(ValidationError, match="Unknown period"):
        period("7y", NOW)


# ---- people ----------------------------------------------------------------------------
@pytest.fixture
def members(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    """Five members (one joined before the last 12 months), one in the Trash, staff."""
    joined = {
        "Ann": (date(2024, 1, 10), NOW - timedelta(days=3)),  # before the period, active
        "Bo": (date(2025, 2, 5), NOW - timedelta(days=45)),
        "Cy": (date(2025, 2, 20), NOW - timedelta(days=2)),  # active
        "Gil": (date(2025, 2, 10), None),  # never in touch
        "Dee": (date(2025, 6, 1), datetime(2024, 5, 1)),  # over a year ago
        "Gone": (date(2025, 3, 1), NOW - timedelta(days=1)),  # in the Trash
    }
    ids = {}
    for name, (_day, touched) in joined.items():
        ids[name] = make_person(name, roles=("member",))
        if touched is not None:
            log_touch([ids[name]], "touch", touched)
    staff = make_person("Eve", roles=("staff",))
    log_touch([staff], "touch", NOW - timedelta(days=1))
    services.people.archive([ids["Gone"]])
    with services.db.session() as s:
        for name, (day, _touched) in joined.items():
            s.execute(
                text("UPDATE person SET created_at = :d WHERE id = :id"),
                {"d": datetime.combine(day, datetime.min.time()), "id": ids[name]},
            )


def test_membership_growth(services: Services, members: None) -> None:
    c = _chart(services, "membership")
    by_label = dict(zip(c.labels, c.values("new members"), strict=True))
    assert by_label["Feb 25"] == 3 and by_label["Jun 25"] == 1 and sum(by_label.values()) == 4
    running = dict(zip(c.labels, c.values("members"), strict=True))
    assert (running["Jul 24"], running["Jan 25"], running["Feb 25"], running["Jun 25"]) == (
        1,
        1,
        4,
        5,
    )
    assert (c.headline, c.caption) == ("5", "members, 4 new in the period")


def test_active_members_by_last_interaction(services: Services, members: None) -> None:
    c = _chart(services, "active")
    assert c.labels == ("last 30 days", "31–90 days", "91–365 days", "over a year ago", "never")
    assert c.values("members") == (2, 1, 0, 1, 1)
    assert (c.headline, c.caption) == ("2", "active members (of 5)")


def test_engagement_rate_by_joining_month(services: Services, members: None) -> None:
    c = _chart(services, "engagement")
    rates = dict(zip(c.labels, c.series[0].values, strict=True))
    assert rates["Feb 25"] == pytest.approx(100 / 3)  # Cy of Bo, Cy and Gil
    assert rates["Jun 25"] == 0.0  # Dee
    assert rates["Mar 25"] is None  # nobody joined (the member in the Trash does not count)
    assert (c.headline, c.caption) == ("40 %", "of members active (2 of 5)")


def test_interactions_by_kind_per_day(
    services: Services, make_person: Callable[..., int], log_touch: Callable[..., int]
) -> None:
    a, b = make_person("Ann"), make_person("Bo")
    log_touch([a, b], "one meeting, two people", datetime(2025, 6, 15, 9))
    log_touch([a], "a call", datetime(2025, 6, 15, 23, 59), kind="call")  # later today
    log_touch([a], "a call", datetime(2025, 5, 17, 0, 0), kind="call")  # the first day
    log_touch([a], "too early", datetime(2025, 5, 16, 23, 59), kind="call")
    log_touch([a], "planned", datetime(2025, 6, 16, 0, 0), kind="call")  # tomorrow
    c = _chart(services, "interactions", "30d")
    assert {s.name for s in c.series} == {"meeting", "call"}  # kinds never logged: no series
    assert c.values("meeting")[-1] == 1 and sum(v or 0 for v in c.values("meeting")) == 1
    assert (c.values("call")[0], c.values("call")[-1]) == (1, 1)
    assert sum(v or 0 for v in c.values("call")) == 2
    assert c.headline == "3" and "most often call (67 %)" in c.caption
    assert _chart(services, "interactions", "all").headline == "4"  # not tomorrow's


# ---- activity --------------------------------------------------------------------------
def test_nps_trend(services: Services) -> None:
    nps, csat = Survey(title="NPS", scale="nps"), Survey(title="CSAT", scale="csat")
    _add(services, nps, csat)

    def resp(survey: Survey, score: int | None, when: datetime) -> FeedbackResponse:
        return FeedbackResponse(survey_id=survey.id, score=score, responded_at=when)

    _add(
        services,
        resp(nps, 10, datetime(2025, 4, 2)),
        resp(nps, 9, datetime(2025, 4, 3)),
        resp(nps, 8, datetime(2025, 4, 4)),
        resp(nps, 3, datetime(2025, 4, 30, 23)),
        resp(nps, 0, datetime(2025, 6, 1)),
        resp(nps, None, datetime(2025, 5, 6)),  # unscored
        resp(csat, 1, datetime(2025, 5, 6)),  # another scale
        resp(nps, 10, datetime(2024, 6, 30)),  # before the period
    )
    c = _chart(services, "nps")
    values = dict(zip(c.labels, c.values("NPS"), strict=True))
    assert (values["Apr 25"], values["May 25"], values["Jun 25"]) == (25.0, None, -100.0)
    assert dict(zip(c.labels, c.values("responses"), strict=True))["Apr 25"] == 4
    # Over the period: 2 promoters and 2 detractors of 5 scored responses.
    assert (c.headline, c.caption) == ("0", "NPS over the period (5 responses)")


def _event(title: str, when: datetime, status: str = "announced", **kw: object) -> Event:
    return Event(
        title=title,
        status=status,
        starts_at=when,
        ends_at=when + timedelta(hours=2),
        starts_utc=when,
        **kw,
    )


def test_event_attendance(services: Services, make_person: Callable[..., int]) -> None:
    people = [make_person(f"P{i}") for i in range(4)]
    held = _event("held", datetime(2025, 5, 10, 18))
    done = _event("done", datetime(2025, 5, 20, 18), "done")
    cancelled = _event("cancelled", datetime(2025, 5, 12, 18), "cancelled")
    future = _event("future", datetime(2025, 6, 20, 18))
    archived = _event("archived", datetime(2025, 5, 11, 18), archived_at=NOW)
    quiet = _event("nobody invited", datetime(2025, 3, 3, 18), "done")
    _add(services, held, done, cancelled, future, archived, quiet)

    def invite(event: Event, *statuses: str) -> list[Invitation]:
        return [
            Invitation(event_id=event.id, person_id=people[i], status=st)
            for i, st in enumerate(statuses)
        ]

    _add(
        services,
        *invite(held, "attended", "attended", "no-show", "declined"),
        *invite(done, "attended", "accepted"),
        *invite(cancelled, "attended"),
        *invite(future, "accepted"),
        *invite(archived, "attended"),
    )
    c = _chart(services, "attendance")
    row = {label: i for i, label in enumerate(c.labels)}
    assert c.values("attended")[row["May 25"]] == 3
    assert c.values("no-show")[row["May 25"]] == 1
    assert c.values("events")[row["May 25"]] == 2 and c.values("events")[row["Mar 25"]] == 1
    assert c.headline == "3"
    assert c.caption == "attended 3 events held (75 % of those expected came)"


def test_outreach_funnel(services: Services, make_person: Callable[..., int]) -> None:
    p = make_person("Speaker")
    gone = make_person("Gone")
    at = datetime(2025, 5, 1)

    def card(stage: str, moves: tuple[str, ...], **kw: object) -> Outreach:
        kw.setdefault("created_at", at)
        o = Outreach(person_id=kw.pop("person", p), stage=stage, **kw)
        _add(services, o)
        _add(
            services,
            *(
                OutreachMove(outreach_id=o.id, to_stage=st, moved_at=at + timedelta(days=i))
                for i, st in enumerate(("identified", *moves))
            ),
        )
        return o

    card("identified", ())
    card("interested", ("interested",))  # skipped contacted: counts as passed
    card("delivered", ("contacted", "interested", "confirmed", "delivered"))
    card("declined", ("contacted", "declined"))
    card("declined", ("contacted", "interested", "confirmed", "declined"))  # was confirmed
    card("confirmed", ("confirmed",), archived_at=NOW)  # archived
    card("confirmed", ("confirmed",), person=gone)
    card("confirmed", ("confirmed",), created_at=datetime(2024, 1, 1))  # before the period
    services.people.archive([gone])
    c = _chart(services, "funnel")
    assert c.labels == ("identified", "contacted", "interested", "confirmed", "delivered")
    assert c.values("cards") == (5, 4, 3, 2, 1)
    assert c.headline == "2"
    assert c.caption == "speakers confirmed of 5 cards (40 %; 2 declined)"


def test_advocacy_by_department(services: Services) -> None:
    made = datetime(2025, 3, 1)
    notes = [
        AdvocacyNote(title="a", department="product", status="open", created_at=made),
        AdvocacyNote(title="b", department="product", status="acknowledged", created_at=made),
        AdvocacyNote(title="c", department="product", status="shipped", created_at=made),
        AdvocacyNote(title="d", department="support", status="declined", created_at=made),
        AdvocacyNote(title="e", department="support", status="planned", created_at=made),
        AdvocacyNote(
            title="old", department="support", status="shipped", created_at=datetime(2023, 3, 1)
        ),
    ]
    _add(services, *notes)
    c = _chart(services, "advocacy")
    assert c.labels == ("product", "marketing", "support", "engineering", "leadership")
    assert c.values("open") == (2, 0, 0, 0, 0)
    assert c.values("shipped") == (1, 0, 0, 0, 0)
    assert c.values("planned") == (0, 0, 1, 0, 0)
    assert c.values("declined") == (0, 0, 1, 0, 0)
    assert (c.headline, c.caption) == ("1", "shipped of 5 notes raised (20 %)")
    assert _chart(services, "advocacy", "all").headline == "2"


# ---- the whole report ----------------------------------------------------------------------
def test_an_empty_database_gives_empty_charts_with_sensible_headlines(services: Services) -> None:
    steps: list[tuple[int, int]] = []
    for key in ("30d", "90d", "12m", "all"):
        report = services.reports.report(key, now=NOW, progress=lambda d, t: steps.append((d, t)))
        assert [c.key for c in report.charts] == list(CHARTS)
        assert all(c.empty for c in report.charts)
    assert steps[-1] == (8, 8) and len(steps) == 32
    headlines = {c.key: c.headline for c in report.charts}
    assert headlines == {
        "membership": "0",
        "active": "0",
        "engagement": "–",
        "interactions": "0",
        "nps": "no responses",
        "attendance": "0",
        "funnel": "0",
        "advocacy": "0",
    }
    captions = {c.key: c.caption for c in report.charts}
    assert captions["attendance"] == "attended: no events held in the period"
    assert captions["nps"] == "no scored NPS responses in the period"
    assert captions["engagement"] == "engagement rate (no members yet)"


def test_every_chart_has_one_value_per_label(services: Services, members: None) -> None:
    for key in ("30d", "90d", "12m", "all"):
        for chart in services.reports.report(key, now=NOW).charts:
            assert chart.definition and chart.title
            for s in chart.series:
                assert len(s.values) == len(chart.labels), (key, chart.key, s.name)


def test_charts_are_handed_over_as_they_are_counted_slowest_last(services: Services) -> None:
    seen: list[str] = []
    report = services.reports.report("12m", now=NOW, on_chart=lambda c: seen.append(c.key))
    assert sorted(seen) == sorted(CHARTS) and seen[-1] == "interactions"
    assert [c.key for c in report.charts] == list(CHARTS)  # shown in reading order
