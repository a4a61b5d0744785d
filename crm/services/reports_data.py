"""What the dashboard and the PDF report are made of: periods, buckets and chart data.

Plain frozen dataclasses, no ORM objects and no matplotlib: the report queries
(crm.services.reports_people, crm.services.reports_activity) fill them, the chart
builders (crm.services.charts) draw them, the Dashboard page and `crm report` show them.

Times are naive UTC, as the database stores them. A period ends at the end of the day
of `now` (today counts whole); it starts at midnight 29 days earlier (last 30 days,
one bar per day), 89 days earlier (last 90 days, one bar per week starting Monday),
on the first of the month eleven months back (last 12 months, one bar per month), or
at the first month that has data (all time, one bar per month).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from crm.services.common import ValidationError

# key -> (label, bucket). The order is the order of the period selector.
PERIODS: dict[str, tuple[str, str]] = {
    "30d": ("Last 30 days", "day"),
    "90d": ("Last 90 days", "week"),
    "12m": ("Last 12 months", "month"),
    "all": ("All time", "month"),
}
DEFAULT_PERIOD = "12m"

# `rows(sql, params)`: the rows of one plain-SQL read with named :params. The service
# passes one over its pooled connection; the benchmark one over a bare sqlite3 connection.
Rows = Callable[[str, Mapping[str, object]], list[Any]]


def ts(dt: datetime) -> str:
    """A moment as SQLAlchemy stores a DateTime in SQLite, so text comparison orders it."""
    return f"{dt:%Y-%m-%d %H:%M:%S}.000000"


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


@dataclass(frozen=True)
class Period:
    """The stretch of time a report covers. start None: all time (from the first data)."""

    key: str
    label: str
    bucket: str  # "day", "week" or "month"
    start: datetime | None
    end: datetime  # exclusive: midnight after `now`'s day
    now: datetime

    def start_text(self) -> str:
        """The start as stored text; '' (before everything) for all time."""
        return "" if self.start is None else ts(self.start)


def period(key: str = DEFAULT_PERIOD, now: datetime | None = None) -> Period:
    """The period called `key` ("30d", "90d", "12m", "all") as of `now` (naive UTC)."""
    if key not in PERIODS:
        choices = ", ".join(PERIODS)
        raise ValidationError({"period": f"Unknown period {key!r} (choose from {choices})"})
    if now is None:
        from crm.models.base import utcnow

        now = utcnow()
    label, bucket = PERIODS[key]
    today = now.date()
    end = datetime.combine(today + timedelta(days=1), time.min)
    first: date | None
    if key == "30d":
        first = today - timedelta(days=29)
    elif key == "90d":
        first = today - timedelta(days=89)
    elif key == "12m":
        first = _month_start(today)
        for _ in range(11):
            first = _month_start(first - timedelta(days=1))
    else:
        first = None
    start = None if first is None else datetime.combine(first, time.min)
    return Period(key, label, bucket, start, end, now)


@dataclass(frozen=True)
class Bucket:
    """One bar of a chart: the key SQL groups by, the label under the bar, its span."""

    key: str
    label: str
    lo: datetime
    hi: datetime  # exclusive


def bucket_sql(column: str, bucket: str) -> str:
    """SQL for the bucket key of a stored DateTime or Date column (see Bucket.key)."""
    if bucket == "day":
        return f"substr({column}, 1, 10)"
    if bucket == "week":
        return f"date({column}, '-6 days', 'weekday 1')"  # the Monday on or before
    return f"substr({column}, 1, 7)"


def buckets(p: Period, first: datetime | None = None) -> tuple[Bucket, ...]:
    """The period's bars in order. For all time they start at the month of `first` (the
    earliest data of the chart); no data at all gives no bars."""
    start = p.start if p.start is not None else first
    if start is None:
        return ()
    out: list[Bucket] = []
    day = start.date()
    last = (p.end - timedelta(days=1)).date()
    if p.bucket == "day":
        while day <= last:
            out.append(Bucket(day.isoformat(), f"{day.day} {day:%b}", _at(day), _at(day, 1)))
            day += timedelta(days=1)
    elif p.bucket == "week":
        monday = _monday(day)
        while monday <= last:
            lo = max(_at(monday), start)
            out.append(Bucket(monday.isoformat(), f"{monday.day} {monday:%b}", lo, _at(monday, 7)))
            monday += timedelta(days=7)
    else:
        month = _month_start(day)
        while month <= last:
            label = f"{month:%b %y}"
            out.append(Bucket(f"{month:%Y-%m}", label, _at(month), _at(_next_month(month))))
            month = _next_month(month)
    if out:  # the last bar ends with the period (today whole), not after it
        b = out[-1]
        out[-1] = Bucket(b.key, b.label, b.lo, min(b.hi, p.end))
    return tuple(out)


def _at(d: date, plus_days: int = 0) -> datetime:
    return datetime.combine(d + timedelta(days=plus_days), time.min)


@dataclass(frozen=True)
class Series:
    """One line or set of bars: a value per label; None where there is nothing to show
    (an NPS in a month without responses), which is not the same as 0."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """One chart of the dashboard with its headline figure.

    `labels` run along the axis (months, stages, departments); each series has one
    value per label. `headline` is the figure in big type ("97,034"), `caption` says
    what it counts ("members"), `definition` how (shown under the chart and in the PDF).
    """

    key: str
    title: str
    period: Period
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    headline: str
    caption: str
    definition: str
    page: str = ""  # the app page this chart opens on click ("People", "Events", …)

    @property
    def empty(self) -> bool:
        """Nothing to draw: no labels, or every value 0 or missing."""
        return not any(v for s in self.series for v in s.values if v is not None)

    def values(self, name: str) -> tuple[float | None, ...]:
        for s in self.series:
            if s.name == name:
                return s.values
        raise KeyError(name)


@dataclass(frozen=True)
class Report:
    """Every chart of the dashboard for one period, as of `made_at`."""

    period: Period
    made_at: datetime
    charts: tuple[Chart, ...]

    def chart(self, key: str) -> Chart:
        for c in self.charts:
            if c.key == key:
                return c
        raise KeyError(key)


def count_text(n: float) -> str:
    return f"{n:,.0f}"


def share_text(part: float, whole: float) -> str:
    """'42 %' (rounded), or '–' when there is no whole to take a share of."""
    return "–" if not whole else f"{100.0 * part / whole:.0f} %"
