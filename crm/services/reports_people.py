"""Report queries about the people: membership growth, active members, engagement rate,
interactions by kind. Each counts in SQL (GROUP BY or index range counts) and returns a
Chart; Python only lays the few grouped rows out along the period's bars.

Definitions (the dashboard shows them under the charts, the PDF under each page):

- member: a person with the member role who is not in the Trash. A member counts from
  the day their record was created (the role carries no date of its own).
- active member: a member with an interaction in the last 30 days (as the goals'
  "members active in the last 30 days"), read from the person's last interaction.
- engagement rate: active members / members.
- interactions: every logged interaction, by the day it happened.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from crm.models.interactions import INTERACTION_KINDS
from crm.services.reports_data import (
    Chart,
    Period,
    Rows,
    Series,
    bucket_sql,
    buckets,
    count_text,
    share_text,
    ts,
)

ACTIVE_DAYS = 30
# How long ago a member's last interaction was: the bars of the active-members chart.
RECENCY = ("last 30 days", "31–90 days", "91–365 days", "over a year ago", "never")

MEMBER_DEFINITION = (
    "Members: people with the member role, not in the Trash, counted from the day they were added."
)
ACTIVE_DEFINITION = (
    "Active member: a member with an interaction in the last 30 days. Bars: members by "
    "how long ago their last interaction was (today, whatever the period)."
)
ENGAGEMENT_DEFINITION = (
    "Engagement rate = active members / members. Bars: of the members who joined in each "
    "month (week, day), the share active in the last 30 days."
)
INTERACTION_DEFINITION = "Interactions logged, by the day they happened, stacked by kind."


def _member_sql(p: Period) -> str:
    """Members grouped by when they joined ('' for before the period), with how many
    were last in touch within 30, 90 and 365 days and how many never.

    The member roles are read off their covering index in person_id order and each
    person is probed by its integer primary key (as goals_progress._ACTIVE_MEMBERS):
    one pass serves the growth, active-members and engagement charts."""
    key = bucket_sql("p.created_at", p.bucket)
    return (
        f"SELECT CASE WHEN p.created_at < :start THEN '' ELSE {key} END AS k, count(*), "
        "coalesce(sum(p.last_interaction_at >= :d30), 0), "
        "coalesce(sum(p.last_interaction_at >= :d90), 0), "
        "coalesce(sum(p.last_interaction_at >= :d365), 0), "
        "coalesce(sum(p.last_interaction_at IS NULL), 0), min(p.created_at) "
        "FROM person_role r JOIN person p ON p.id = r.person_id "
        "WHERE r.role = 'member' AND p.archived_at IS NULL AND p.created_at < :end "
        "GROUP BY k ORDER BY k"
    )


def _member_rows(rows: Rows, p: Period) -> list[tuple[str, int, int, int, int, int, str]]:
    params = {
        "start": p.start_text(),
        "end": ts(p.end),
        "d30": ts(p.now - timedelta(days=ACTIVE_DAYS)),
        "d90": ts(p.now - timedelta(days=90)),
        "d365": ts(p.now - timedelta(days=365)),
    }
    return [tuple(r) for r in rows(_member_sql(p), params)]  # type: ignore[misc]


def _first(rows: list[tuple], column: int) -> datetime | None:  # type: ignore[type-arg]
    """The earliest moment in a column of grouped rows (for all-time bars)."""
    found = [str(r[column]) for r in rows if r[column] is not None]
    return datetime.fromisoformat(min(found)) if found else None


def membership(rows: Rows, p: Period) -> Chart:
    """New members per bar, and the members there were at the end of each bar."""
    got = _member_rows(rows, p)
    bars = buckets(p, _first(got, 6))
    new = {r[0]: r[1] for r in got}
    before = new.get("", 0)
    added = [new.get(b.key, 0) for b in bars]
    running, total = [], before
    for n in added:
        total += n
        running.append(total)
    members = sum(r[1] for r in got)
    return Chart(
        "membership",
        "Membership growth",
        p,
        tuple(b.label for b in bars),
        (Series("new members", tuple(added)), Series("members", tuple(running))),
        count_text(members),
        f"members, {count_text(sum(added))} new in the period",
        MEMBER_DEFINITION,
        "People",
    )


def active_members(rows: Rows, p: Period) -> Chart:
    """Members by how long ago their last interaction was: a picture of today."""
    got = _member_rows(rows, p)
    members = sum(r[1] for r in got)
    d30, d90, d365, never = (sum(r[i] for r in got) for i in (2, 3, 4, 5))
    counts = (d30, d90 - d30, d365 - d90, members - d365 - never, never)
    return Chart(
        "active",
        "Active members",
        p,
        RECENCY,
        (Series("members", tuple(counts)),),
        count_text(d30),
        f"active members (of {count_text(members)})"
        if members
        else "active members (no members yet)",
        ACTIVE_DEFINITION,
        "People",
    )


def engagement(rows: Rows, p: Period) -> Chart:
    """The engagement rate now, and the share of each joining cohort active now."""
    got = _member_rows(rows, p)
    bars = buckets(p, _first(got, 6))
    by_key = {r[0]: (r[1], r[2]) for r in got}
    rates: list[float | None] = []
    for b in bars:
        n, active = by_key.get(b.key, (0, 0))
        rates.append(100.0 * active / n if n else None)
    members = sum(r[1] for r in got)
    active_now = sum(r[2] for r in got)
    return Chart(
        "engagement",
        "Engagement rate",
        p,
        tuple(b.label for b in bars),
        (Series("active share of those who joined", tuple(rates)),),
        share_text(active_now, members),
        f"of members active ({count_text(active_now)} of {count_text(members)})"
        if members
        else "engagement rate (no members yet)",
        ENGAGEMENT_DEFINITION,
        "People",
    )


def _values(n: int, prefix: str) -> tuple[str, list[str]]:
    return ", ".join(f"(:{prefix}{i})" for i in range(n)), [f"{prefix}{i}" for i in range(n)]


def interactions_by_kind(rows: Rows, p: Period) -> Chart:
    """Interactions per bar and kind: one index range count per (bar, kind) on
    ix_interaction_kind_time, so nothing but the counted index entries is read."""
    first = None
    if p.start is None:
        got = rows("SELECT min(occurred_at) FROM interaction", {})
        first = datetime.fromisoformat(str(got[0][0])) if got and got[0][0] else None
    bars = buckets(p, first)
    if not bars:
        return _interactions_chart(p, (), {}, 0)
    params: dict[str, object] = {}
    spans = []
    for i, b in enumerate(bars):
        params[f"lo{i}"], params[f"hi{i}"] = ts(b.lo), ts(b.hi)
        spans.append(f"({i}, :lo{i}, :hi{i})")
    kinds_sql, names = _values(len(INTERACTION_KINDS), "kind")
    params.update(zip(names, INTERACTION_KINDS, strict=True))
    sql = (
        f"WITH b(i, lo, hi) AS (VALUES {', '.join(spans)}), k(kind) AS (VALUES {kinds_sql}) "
        "SELECT b.i, k.kind, (SELECT count(*) FROM interaction x WHERE x.kind = k.kind "
        "AND x.occurred_at >= b.lo AND x.occurred_at < b.hi) FROM b, k"
    )
    counts: dict[str, list[int]] = {k: [0] * len(bars) for k in INTERACTION_KINDS}
    for i, kind, n in rows(sql, params):
        counts[kind][int(i)] = int(n)
    total = sum(sum(v) for v in counts.values())
    return _interactions_chart(p, tuple(b.label for b in bars), counts, total)


def _interactions_chart(
    p: Period, labels: tuple[str, ...], counts: dict[str, list[int]], total: int
) -> Chart:
    series = tuple(Series(k, tuple(v)) for k, v in counts.items() if any(v))
    top = max(counts.items(), key=lambda kv: sum(kv[1]), default=None)
    caption = "interactions in the period"
    if top and total:
        caption += f", most often {top[0]} ({share_text(sum(top[1]), total)})"
    return Chart(
        "interactions",
        "Interactions by kind",
        p,
        labels,
        series,
        count_text(total),
        caption,
        INTERACTION_DEFINITION,
        "People",
    )
