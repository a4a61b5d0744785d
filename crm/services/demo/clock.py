"""Demo time as integers: seconds and days since the start of the demo's history.

Formatting a datetime costs about a microsecond on a slow laptop, and a million
interactions plus a hundred thousand people need several each. Here a moment is an
int and its text is two list lookups into strings made once, in exactly the format
SQLAlchemy stores DateTime and Date columns in SQLite.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

DAY = 86_400


def ts(dt: datetime) -> str:
    """The text SQLAlchemy stores for a DateTime in SQLite, so raw and ORM rows agree."""
    return f"{dt:%Y-%m-%d %H:%M:%S}.000000"


class Clock:
    """Day i is start + i days; today is day `today`; days up to `ahead` later exist too."""

    def __init__(self, now: datetime, history_days: int, ahead: int = 90) -> None:
        self.now = now
        self.start = datetime.combine(now.date() - timedelta(days=history_days), time())
        self.today = history_days
        self.now_sec = int((now - self.start).total_seconds())
        first = self.start.date()
        self.days = [first + timedelta(days=i) for i in range(history_days + ahead + 1)]
        self.dates = [d.isoformat() for d in self.days]
        self.prefixes = [f"{d} " for d in self.dates]
        self.times = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(DAY)]
        self.ordinal0 = first.toordinal()

    def stamp(self, sec: int) -> str:
        """DateTime text of the moment sec seconds after start."""
        return self.prefixes[sec // DAY] + self.times[sec % DAY]

    def date(self, day: int) -> date:
        return self.days[day]
