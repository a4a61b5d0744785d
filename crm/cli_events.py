"""`crm events`: the events with their ids, dates in each event's own zone and counts."""

from __future__ import annotations

import argparse
import json
import sys

from crm.models import INVITATION_STATUSES


def run_events(args: argparse.Namespace) -> int:
    from crm.cli import _open
    from crm.services.event_times import zone_abbreviation

    scope = "upcoming" if args.upcoming else "past" if args.past else "all"
    services = _open(args, create=False)
    try:
        rows = services.events.list_events(scope)
    finally:
        services.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "title": r.title,
                        "kind": r.kind,
                        "status": r.status,
                        "starts": r.starts_at.isoformat(timespec="minutes"),
                        "ends": r.ends_at.isoformat(timespec="minutes"),
                        "time_zone": r.time_zone,
                        "starts_utc": r.starts_utc.isoformat(timespec="minutes") + "Z",
                        "location": r.location,
                        "online_url": r.online_url,
                        "capacity": r.capacity,
                        "invitations": {s: r.counts.get(s, 0) for s in INVITATION_STATUSES},
                        "invited": r.invited,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for r in rows:
        when = f"{r.starts_at:%Y-%m-%d %H:%M}–{r.ends_at:%H:%M}" + (
            "" if r.ends_at.date() == r.starts_at.date() else f" ({r.ends_at:%Y-%m-%d})"
        )
        counts = ", ".join(f"{n:,} {s}" for s in INVITATION_STATUSES if (n := r.counts.get(s)))
        print(
            f"{r.id:>6}  {when} {zone_abbreviation(r.starts_at, r.time_zone)} "
            f"({r.time_zone})  {r.status:<9}  {r.title}"
            + (f"  [{r.invited:,} invited: {counts}]" if r.invited else "  [no invitations]")
        )
    if not rows:
        print("no events", file=sys.stderr)
    return 0
