"""The dashboard's charts and the stakeholder report: one query function per chart.

Every chart is counted in SQL over the whole database (GROUP BY a month, a week or a
day, or index range counts), never by loading rows into Python: the largest answer is
a few hundred grouped rows. The functions take a `rows(sql, params)` callable rather
than a session, so the benchmark runs the very same SQL on a bare sqlite3 connection
(bench/bench_dashboard.py). What each chart counts is written in its module's
docstring and in each Chart's `definition`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from crm.services.database import Database
from crm.services.outreach_reads import plain_reader
from crm.services.reports_activity import (
    advocacy_by_department,
    event_attendance,
    nps_trend,
    outreach_funnel,
)
from crm.services.reports_data import (
    DEFAULT_PERIOD,
    PERIODS,
    Chart,
    Period,
    Report,
    Rows,
    period,
)
from crm.services.reports_people import (
    active_members,
    engagement,
    interactions_by_kind,
    membership,
)

# The dashboard's charts in reading order: key -> query function.
CHARTS: dict[str, Callable[[Rows, Period], Chart]] = {
    "membership": membership,
    "active": active_members,
    "engagement": engagement,
    "interactions": interactions_by_kind,
    "nps": nps_trend,
    "attendance": event_attendance,
    "funnel": outreach_funnel,
    "advocacy": advocacy_by_department,
}
# The order they are counted in: the slowest (a pass over the period's interactions)
# last, so a Dashboard that shows each chart as it comes shows seven of them at once.
COMPUTE_ORDER = (
    "membership",
    "active",
    "engagement",
    "nps",
    "attendance",
    "funnel",
    "advocacy",
    "interactions",
)
# The areas whose changes (crm.services.Changes) can move a chart.
AREAS = (
    "people",
    "interactions",
    "trash",
    "events",
    "invitations",
    "outreach",
    "feedback",
    "advocacy",
    "imports",
)


def remembering(rows: Rows) -> Rows:
    """`rows` that runs each distinct (sql, params) once: the growth, active-members and
    engagement charts share one pass over the members."""
    seen: dict[tuple[str, tuple[tuple[str, Any], ...]], list[Any]] = {}

    def run(sql: str, params: Mapping[str, object]) -> list[Any]:
        key = (sql, tuple(sorted(params.items())))
        if key not in seen:
            seen[key] = rows(sql, params)
        return seen[key]

    return run


class ReportService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def periods() -> dict[str, str]:
        """key -> label, in the selector's order."""
        return {k: label for k, (label, _bucket) in PERIODS.items()}

    def chart(
        self, key: str, period_key: str = DEFAULT_PERIOD, now: datetime | None = None
    ) -> Chart:
        if key not in CHARTS:
            raise KeyError(key)
        p = period(period_key, now)
        with plain_reader(self.db) as rows:
            return CHARTS[key](rows, p)

    def report(
        self,
        period_key: str = DEFAULT_PERIOD,
        now: datetime | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        on_chart: Callable[[Chart], None] | None = None,
    ) -> Report:
        """Every chart for the period, in CHARTS order. Counted in COMPUTE_ORDER, with
        `on_chart(chart)` and `progress(done, total)` after each one."""
        p = period(period_key, now)
        done: dict[str, Chart] = {}
        with plain_reader(self.db) as plain:
            rows = remembering(plain)
            for key in COMPUTE_ORDER:
                done[key] = CHARTS[key](rows, p)
                if on_chart is not None:
                    on_chart(done[key])
                if progress is not None:
                    progress(len(done), len(CHARTS))
        return Report(p, p.now, tuple(done[key] for key in CHARTS))

    def write_pdf(
        self,
        path: str,
        period_key: str = DEFAULT_PERIOD,
        now: datetime | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """The report as a PDF at `path` (written atomically); returns its pages.
        `progress(done, total)` counts the charts measured, then the pages drawn."""
        from crm.services.report_pdf import check_target, write_report_pdf

        check_target(path)  # a wrong folder is said at once, not after the counting
        n = len(CHARTS)
        total = n + n + 1
        report = self.report(
            period_key, now, progress=(lambda d, _t: progress(d, total)) if progress else None
        )
        return write_report_pdf(
            report, path, (lambda d, _t: progress(n + d, total)) if progress else None
        )
