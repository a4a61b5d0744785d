"""Goal progress: each metric measured live in SQL, and the on-track arithmetic.

Nothing here is stored. A metric is either a level now (members, active members,
interactions in the last 7 days) or a tally over the goal's own period, from its start
to its deadline (events held, average NPS, speakers confirmed, advocacy notes shipped).
Each query is shaped to run off an index at 100,000 people and 1,000,000 interactions
(bench/bench_content.py measures them against the same SQL on raw sqlite3).

On track means the share of the way from baseline to target already covered is at
least the share of the time from start to deadline already used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

# Metrics measured over the goal's period rather than as a level today.
PERIOD_METRICS = ("events held", "average NPS", "speakers confirmed", "advocacy notes shipped")
STATES = ("reached", "on track", "behind", "missed", "not started", "no data")

# Members: the member roles counted off their covering index (ix_person_role_role),
# less the members in the Trash, found through the small partial index of archived
# people (ix_person_archived) and checked by the role's primary key. Joining every
# role to its person instead reads the whole person table (≈ 8,000 pages at 100k).
_MEMBERS = (
    "SELECT (SELECT count(*) FROM person_role WHERE role = 'member') - "
    "(SELECT count(*) FROM person p WHERE p.archived_at IS NOT NULL AND EXISTS "
    "(SELECT 1 FROM person_role r WHERE r.person_id = p.id AND r.role = 'member'))"
)
# Active members: the member roles in person_id order, each person probed by its
# integer primary key — sequential probes, the cheapest SQLite has. Scanning the
# partial index of active people by last interaction (ix_person_active_last) and
# probing the role's primary key for each measured half again as slow at 100k: those
# probes go to a text-keyed index in random order (docs/PERFORMANCE.md).
_ACTIVE_MEMBERS = (
    "SELECT count(*) FROM person_role r JOIN person p ON p.id = r.person_id "
    "WHERE r.role = 'member' AND p.archived_at IS NULL AND p.last_interaction_at >= :since"
)
_INTERACTIONS = (
    "SELECT count(*) FROM interaction WHERE occurred_at >= :since AND occurred_at <= :now"
)
# An event is held when marked done, or when it has started and was not cancelled.
_EVENTS = (
    "SELECT count(*) FROM event WHERE archived_at IS NULL "
    "AND starts_utc >= :a AND starts_utc < :b "
    "AND (status = 'done' OR (status != 'cancelled' AND starts_utc <= :now))"
)
_NPS = (
    "SELECT count(*), sum(r.score >= 9), sum(r.score <= 6) FROM feedback_response r "
    "JOIN survey s ON s.id = r.survey_id WHERE s.scale = 'nps' AND r.score IS NOT NULL "
    "AND r.responded_at >= :a AND r.responded_at < :b"
)
_SPEAKERS = (
    "SELECT count(DISTINCT m.outreach_id) FROM outreach_move m "
    "JOIN outreach o ON o.id = m.outreach_id WHERE m.to_stage = 'confirmed' "
    "AND o.archived_at IS NULL AND m.moved_at >= :a AND m.moved_at < :b"
)
_SHIPPED = (
    "SELECT count(DISTINCT note_id) FROM advocacy_step "
    'WHERE status = \'shipped\' AND "on" >= :a AND "on" <= :d'
)


def ts(dt: datetime) -> str:
    """A moment as SQLAlchemy stores a DateTime in SQLite, so text comparison orders it."""
    return f"{dt:%Y-%m-%d %H:%M:%S}.000000"


def day_text(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


@dataclass(frozen=True)
class Measure:
    value: float | None  # None: nothing to measure yet (an NPS without responses)
    basis: int | None = None  # how many responses an NPS is made of


def measure_key(metric: str, start: date, deadline: date) -> tuple[str, date | None, date | None]:
    """Goals with the same key have the same measure: a level ignores the period."""
    return (metric, start, deadline) if metric in PERIOD_METRICS else (metric, None, None)


def measure(s: Session, metric: str, start: date, deadline: date, now: datetime) -> Measure:
    """The metric's current value (now: naive UTC)."""
    a, b = (
        ts(datetime.combine(start, datetime.min.time())),
        ts(datetime.combine(deadline + timedelta(days=1), datetime.min.time())),
    )
    n = ts(now)
    if metric == "members":
        return Measure(s.execute(text(_MEMBERS)).scalar_one())
    if metric == "members active in the last 30 days":
        since = ts(now - timedelta(days=30))
        return Measure(s.execute(text(_ACTIVE_MEMBERS), {"since": since}).scalar_one())
    if metric == "interactions per week":
        since = ts(now - timedelta(days=7))
        return Measure(s.execute(text(_INTERACTIONS), {"since": since, "now": n}).scalar_one())
    if metric == "events held":
        return Measure(s.execute(text(_EVENTS), {"a": a, "b": b, "now": n}).scalar_one())
    if metric == "average NPS":
        total, promoters, detractors = s.execute(text(_NPS), {"a": a, "b": b}).one()
        if not total:
            return Measure(None, 0)
        return Measure(round(100.0 * ((promoters or 0) - (detractors or 0)) / total, 1), total)
    if metric == "speakers confirmed":
        return Measure(s.execute(text(_SPEAKERS), {"a": a, "b": b}).scalar_one())
    if metric == "advocacy notes shipped":
        params = {"a": start.isoformat(), "d": deadline.isoformat()}
        return Measure(s.execute(text(_SHIPPED), params).scalar_one())
    raise ValueError(f"unknown metric: {metric}")


@dataclass(frozen=True)
class Progress:
    current: float | None
    basis: int | None
    gained: float  # share of the way from baseline to target covered (may be < 0 or > 1)
    time_used: float  # share of start → deadline gone, 0 … 1
    day: int  # days since the start (0 before it), at most the period's length
    days: int  # the period's length in days
    state: str  # one of STATES
    explanation: str


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def _what(metric: str, start: date) -> str:
    since = f"since {day_text(start)}"
    return {
        "members": "members",
        "members active in the last 30 days": "members active in the last 30 days",
        "interactions per week": "interactions in the last 7 days",
        "events held": f"events held {since}",
        "average NPS": f"NPS {since}",
        "speakers confirmed": f"speakers confirmed {since}",
        "advocacy notes shipped": f"advocacy notes shipped {since}",
    }.get(metric, metric)


def progress(
    metric: str,
    baseline: float,
    target: float,
    start: date,
    deadline: date,
    got: Measure,
    today: date,
) -> Progress:
    """Where a goal stands: reached, on track, behind, missed (deadline passed) …"""
    days = max((deadline - start).days, 1)
    day = min(max((today - start).days, 0), days)
    time_used = day / days
    what = _what(metric, start)
    time_text = f"{time_used:.0%} of the time used (day {day} of {days})".replace("%", " %")
    if got.value is None:
        return Progress(
            None,
            got.basis,
            0.0,
            time_used,
            day,
            days,
            "no data",
            f"No responses yet for the {what}; target {_num(target)}. {time_text}.",
        )
    current = got.value
    rising = target >= baseline
    reached = current >= target if rising else current <= target
    if target == baseline:
        gained = 1.0 if reached else 0.0
    else:
        gained = (current - baseline) / (target - baseline)
    if reached:
        state = "reached"
    elif today > deadline:
        state = "missed"
    elif today < start:
        state = "not started"
    else:
        state = "on track" if gained >= time_used else "behind"
    head = f"{_num(current)} of {_num(target)} {what}"
    if got.basis is not None:
        head += f" ({got.basis:,} responses)"
    share = f"{max(gained, 0.0):.0%}".replace("%", " %")
    way = f"{share} of the way from the baseline of {_num(baseline)}"
    if today < start:
        tail = f"starts on {day_text(start)}"
    elif today > deadline:
        tail = f"the deadline was {day_text(deadline)}"
    else:
        tail = time_text
    verdict = {
        "reached": "Reached.",
        "on track": "On track.",
        "behind": "Behind.",
        "missed": "Missed.",
        "not started": "Not started yet.",
    }[state]
    return Progress(
        current,
        got.basis,
        gained,
        time_used,
        day,
        days,
        state,
        f"{head} — {way}, {tail}. {verdict}",
    )
