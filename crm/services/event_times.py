"""Wall-clock times in an event's own zone, and the UTC instant they stand for.

An event is typed as "18:00 on 31 March in Europe/Berlin"; that is what is stored, so
a later change of the zone's rules keeps the meetup at 18:00. The UTC instant is
derived (for sorting and the upcoming/past split) with zoneinfo, which knows the
daylight-saving switches: a wall time that does not exist (the hour skipped in
spring) is refused, and one that happens twice (the hour repeated in autumn) means
its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str) -> ZoneInfo | None:
    """The zone of an IANA name, or None when there is no such zone."""
    if not name or name != name.strip():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def gap_message(wall: datetime, name: str) -> str | None:
    """A message when `wall` falls in the hour skipped at a switch to summer time."""
    tz = zone(name)
    if tz is None:
        return None
    local = wall.replace(tzinfo=tz, fold=0)
    back = local.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if back != wall.replace(tzinfo=None):
        return (
            f"{wall:%H:%M} does not exist on {wall:%Y-%m-%d} in {name} (the clocks go forward then)"
        )
    return None


def to_utc(wall: datetime, name: str) -> datetime:
    """Naive UTC for a naive wall time in zone `name` (first occurrence when repeated)."""
    tz = zone(name)
    if tz is None:
        raise ValueError(f"unknown time zone {name!r}")
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC).replace(tzinfo=None)


def from_utc(moment: datetime, name: str) -> datetime:
    """Naive wall time in zone `name` for a naive UTC instant."""
    tz = zone(name) or ZoneInfo("UTC")
    return moment.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)


@lru_cache(maxsize=8192)  # asked for every painted cell of the events list
def zone_abbreviation(wall: datetime, name: str) -> str:
    """ "CEST", "EST" … for display beside a wall time; the name itself when unknown."""
    tz = zone(name)
    if tz is None:
        return name
    return wall.replace(tzinfo=tz, fold=0).tzname() or name
