"""Report queries about what the community does: NPS trend, event attendance, the
speaker-outreach funnel, advocacy by department. Counted in SQL, laid out in Python.

Definitions (shown under the charts and in the PDF):

- NPS: % promoters (9–10) − % detractors (0–6) of the scored responses to NPS surveys
  received in each bar (crm.services.feedback_scores); no bar has no figure, not 0.
- event attendance: events held in the period (marked done, or started and not
  cancelled, as the goals count them) by their start, with their invitations marked
  attended and no-show.
- outreach funnel: speaker-outreach cards created in the period (not archived), and how
  many reached each stage; a card that skipped a stage counts as having passed it
  (as the Outreach page's conversion strip).
- advocacy by department: notes created in the period, by department and where they
  stand now.
"""

from __future__ import annotations

from datetime import datetime

from crm.models.advocacy import DEPARTMENTS
from crm.services.feedback_scores import Score, count_columns
from crm.services.outreach_data import DECLINED, PIPELINE
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

NPS_DEFINITION = (
    "NPS = % promoters (9–10) − % detractors (0–6) of the scored responses to NPS "
    "surveys, per bar; bars: responses."
)
ATTENDANCE_DEFINITION = (
    "Events held (done, or started and not cancelled) by start date, with their "
    "invitations marked attended and no-show."
)
FUNNEL_DEFINITION = (
    "Speaker-outreach cards created in the period: how many reached each stage (a "
    "skipped stage counts as passed), and how many were declined."
)
ADVOCACY_DEFINITION = (
    "Advocacy notes created in the period, by department and where they stand now "
    "(open: open, shared or acknowledged)."
)
# Where a note stands now -> the statuses it groups.
ADVOCACY_GROUPS = {
    "open": ("open", "shared", "acknowledged"),
    "planned": ("planned",),
    "shipped": ("shipped",),
    "declined": ("declined",),
}


def _span(p: Period) -> dict[str, object]:
    return {"start": p.start_text(), "end": ts(p.end), "now": ts(p.now)}


def _first(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def nps_trend(rows: Rows, p: Period) -> Chart:
    """The NPS of each bar's responses, and the responses behind it."""
    key = bucket_sql("r.responded_at", p.bucket)
    sql = (
        f"SELECT {key} AS k, {count_columns('nps', 'r.score')}, min(r.responded_at) "
        "FROM feedback_response r "
        "WHERE r.survey_id IN (SELECT id FROM survey WHERE scale = 'nps') "
        "AND r.score IS NOT NULL AND r.responded_at >= :start AND r.responded_at < :end "
        "GROUP BY k"
    )
    got = rows(sql, _span(p))
    bars = buckets(p, _first(min((r[4] for r in got), default=None)))
    scores = {r[0]: Score("nps", int(r[1]), int(r[2]), int(r[3])) for r in got}
    values = [scores[b.key].value if b.key in scores else None for b in bars]
    counts = [scores[b.key].responses if b.key in scores else 0 for b in bars]
    whole = Score(
        "nps", *(sum(getattr(s, f) for s in scores.values()) for f in ("responses", "good", "bad"))
    )
    return Chart(
        "nps",
        "NPS trend",
        p,
        tuple(b.label for b in bars),
        (Series("NPS", tuple(values)), Series("responses", tuple(counts))),
        whole.text(),
        f"NPS over the period ({count_text(whole.responses)} responses)"
        if whole.responses
        else "no scored NPS responses in the period",
        NPS_DEFINITION,
        "Feedback",
    )


def event_attendance(rows: Rows, p: Period) -> Chart:
    """Per bar: events held, and their attended and no-show invitations, each counted
    as a range of the covering index ix_invitation_event_status (event, status): a
    join that reads every invitation row of every event is ten times slower."""
    key = bucket_sql("e.starts_utc", p.bucket)
    count = "(SELECT count(*) FROM invitation i WHERE i.event_id = e.id AND i.status = '{}')"
    sql = (
        f"SELECT {key} AS k, count(*), coalesce(sum({count.format('attended')}), 0), "
        f"coalesce(sum({count.format('no-show')}), 0), min(e.starts_utc) FROM event e "
        "WHERE e.archived_at IS NULL AND e.starts_utc >= :start AND e.starts_utc < :end "
        "AND (e.status = 'done' OR (e.status != 'cancelled' AND e.starts_utc <= :now)) "
        "GROUP BY k"
    )
    got = rows(sql, _span(p))
    bars = buckets(p, _first(min((r[4] for r in got), default=None)))
    by_key = {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in got}
    held = [by_key.get(b.key, (0, 0, 0))[0] for b in bars]
    attended = [by_key.get(b.key, (0, 0, 0))[1] for b in bars]
    no_show = [by_key.get(b.key, (0, 0, 0))[2] for b in bars]
    came, missed, events = sum(attended), sum(no_show), sum(held)
    return Chart(
        "attendance",
        "Event attendance",
        p,
        tuple(b.label for b in bars),
        (
            Series("attended", tuple(attended)),
            Series("no-show", tuple(no_show)),
            Series("events", tuple(held)),
        ),
        count_text(came),
        f"attended {count_text(events)} events held ({share_text(came, came + missed)} "
        "of those expected came)"
        if events
        else "attended: no events held in the period",
        ATTENDANCE_DEFINITION,
        "Events",
    )


_RANK = "CASE stage " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(PIPELINE)) + " END"


def outreach_funnel(rows: Rows, p: Period) -> Chart:
    """Cards created in the period that reached each pipeline stage, and declined."""
    reached = ", ".join(f"coalesce(sum(f.furthest >= {i}), 0)" for i in range(len(PIPELINE)))
    sql = (
        "WITH cards AS (SELECT o.id, o.stage FROM outreach o JOIN person p "
        "ON p.id = o.person_id WHERE o.archived_at IS NULL AND p.archived_at IS NULL "
        "AND o.created_at >= :start AND o.created_at < :end), "
        "visits AS (SELECT m.outreach_id AS id, m.to_stage AS stage FROM outreach_move m "
        "JOIN cards c ON c.id = m.outreach_id UNION ALL SELECT id, stage FROM cards), "
        f"furthest AS (SELECT id, coalesce(max({_RANK}), 0) AS furthest FROM visits "
        "GROUP BY id) "
        f"SELECT count(*), {reached}, coalesce(sum(c.stage = '{DECLINED}'), 0) "
        "FROM cards c JOIN furthest f USING (id)"
    )
    (row,) = rows(sql, _span(p))
    total, counts, declined = int(row[0]), [int(x) for x in row[1:-1]], int(row[-1])
    confirmed = counts[PIPELINE.index("confirmed")]
    return Chart(
        "funnel",
        "Speaker outreach funnel",
        p,
        tuple(PIPELINE),
        (Series("cards", tuple(counts)),),
        count_text(confirmed),
        f"speakers confirmed of {count_text(total)} cards ({share_text(confirmed, total)}; "
        f"{count_text(declined)} declined)"
        if total
        else "speakers confirmed: no outreach cards created in the period",
        FUNNEL_DEFINITION,
        "Outreach",
    )


def advocacy_by_department(rows: Rows, p: Period) -> Chart:
    """Notes created in the period per department, split by where they stand now."""
    sql = (
        "SELECT department, status, count(*) FROM advocacy_note "
        "WHERE created_at >= :start AND created_at < :end GROUP BY department, status"
    )
    got = rows(sql, _span(p))
    departments = list(DEPARTMENTS)
    departments += sorted({str(r[0]) for r in got} - set(DEPARTMENTS))
    group_of = {status: g for g, statuses in ADVOCACY_GROUPS.items() for status in statuses}
    counts = {g: [0] * len(departments) for g in ADVOCACY_GROUPS}
    for department, status, n in got:
        counts[group_of.get(str(status), "open")][departments.index(str(department))] += int(n)
    total = sum(sum(v) for v in counts.values())
    shipped = sum(counts["shipped"])
    return Chart(
        "advocacy",
        "Advocacy by department",
        p,
        tuple(departments),
        tuple(Series(g, tuple(v)) for g, v in counts.items()),
        count_text(shipped),
        f"shipped of {count_text(total)} notes raised ({share_text(shipped, total)})"
        if total
        else "shipped: no advocacy notes raised in the period",
        ADVOCACY_DEFINITION,
        "Advocacy",
    )
