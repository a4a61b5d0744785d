"""Calendar export against icalendar's own serialise rate, measured in the same run.

    python bench/bench_ics.py [PATH] [--events N] [--attendees K] [--rounds R] [--out FILE]

Exports N events (default 1,000) with their invitees (at least K each, default 50) as
one .ics file through `CalendarService.export_calendar(path, attendees=True,
event_ids=…)`: the rows read from SQLite, the text built, the file written
atomically. The events are the N with the most invitations in the benchmark database
that `crm demo --contacts 100000` builds (bench/build_db.py): 2,000 events, the top
1,000 with 75 to 1,187 invitations each. A database with fewer than N events of K+
invitations (a smaller demo) makes the bench generate them into
bench/.cache/bench-ics.sqlite instead (N events, K invitees each, real zones across
DST), and the JSON says so ("source").

The floor is icalendar itself on the same calendar: the same events, invitees and
VTIMEZONEs built with its API (Calendar, Event, vCalAddress with CN/ROLE/PARTSTAT/
RSVP) beforehand, then `cal.to_ical()` timed — serialising only, the strict floor the
target is measured against. Also recorded: building plus serialising. R rounds
(default 3), interleaved; the best of each kept. Target: export ≥ 0.8× the floor's
rate (floor seconds / export seconds). Writes results/ics.json; exit 1 on a miss.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from common import CACHE, DEFAULT_DB, RESULTS

TARGET = 0.8
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London", "UTC")


def event_ids_with_most_invitations(db: Path, n: int, k: int) -> list[int]:
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "SELECT i.event_id FROM invitation i JOIN event e ON e.id = i.event_id "
            "WHERE e.archived_at IS NULL GROUP BY i.event_id HAVING count(*) >= ? "
            "ORDER BY count(*) DESC, i.event_id LIMIT ?",
            (k, n),
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()
    return [r[0] for r in rows]


def generate(path: Path, n: int, k: int) -> None:
    """A migrated database with n events of k invitees each (people with emails)."""
    from crm.services import open_services

    path.unlink(missing_ok=True)
    open_services(f"sqlite:///{path}").close()
    rnd = random.Random(1)
    con = sqlite3.connect(path)
    people = n * k // 2  # everyone invited to about two events
    now = "2026-01-01 00:00:00.000000"
    con.executemany(
        "INSERT INTO person (id, uid, display_name, created_at, updated_at, given_name, "
        "family_name, pronouns, organisation, title, city, country, time_zone, bio, notes) "
        "VALUES (?, ?, ?, ?, ?, '', '', '', '', '', '', '', '', '', '')",
        [
            (i, f"p-{i}", f"Person Nummer {i} Müller-Lüdenscheidt", now, now)
            for i in range(1, people + 1)
        ],
    )
    con.executemany(
        "INSERT INTO email (person_id, address, label) VALUES (?, ?, '')",
        [(i, f"person.{i}@example.org") for i in range(1, people + 1)],
    )
    events, invitations = [], []
    roles = ["host"] + ["speaker"] * 3 + ["attendee"] * (k - 4)
    for e in range(1, n + 1):
        zone = ZONES[e % len(ZONES)]
        start = datetime(2025, 1, 6, 18) + timedelta(days=e // 3)
        utc = start.replace(tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))
        events.append(
            (
                e,
                f"uid-{e}-bench",
                e % 4,
                f"Meetup {e}: Python, Rust; and more",
                "announced",
                str(start),
                str(start + timedelta(hours=2)),
                zone,
                str(utc.replace(tzinfo=None)),
                "Kulturbrauerei, Schönhauser Allee 36, Berlin",
                "https://example.org/live",
                "Talks, pizza and time to talk.\nDoors open 30 minutes before.",
                now,
                now,
            )
        )
        for j, pid in enumerate(rnd.sample(range(1, people + 1), k)):
            invitations.append((e, pid, roles[j], rnd.choice(("invited", "accepted", "declined"))))
    con.executemany(
        "INSERT INTO event (id, uid, sequence, title, status, starts_at, ends_at, time_zone, "
        "starts_utc, location, online_url, description, created_at, updated_at, kind) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?, 'meetup')",
        events,
    )
    con.executemany(
        "INSERT INTO invitation (event_id, person_id, role, status, note, created_at, "
        f"updated_at) VALUES (?, ?, ?, ?, '', '{now}', '{now}')",
        invitations,
    )
    con.commit()
    con.close()


def floor_calendar(services, ids: list[int]):  # type: ignore[no-untyped-def]
    """The same calendar built with icalendar's API, from the rows the export reads."""
    import icalendar

    from crm.services.io.ical_write import EVENT_STATUS, OPTIONAL, PARTSTAT, PRODID, ROLE

    calsvc = services.calendar
    with services.db.read() as s:
        events = calsvc._events(s, ids)
        where = "i.event_id IN ({})".format(",".join(map(str, ids)))
        invitees, _, _ = calsvc._invitees(s, where)
    organiser = calsvc.organiser()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    spans: dict[str, list[date]] = {}
    for _, ev in events:
        if ev.time_zone != "UTC":
            spans.setdefault(ev.time_zone, []).extend((ev.starts_at.date(), ev.ends_at.date()))
    for name in sorted(spans):
        lo, hi = min(spans[name]), max(spans[name])
        cal.add_component(
            icalendar.Timezone.from_tzinfo(
                ZoneInfo(name),
                tzid=name,
                first_date=date(lo.year - 1, 1, 1),
                last_date=date(hi.year + 2, 1, 1),
            )
        )
    stamp = datetime.now(ZoneInfo("UTC"))
    for eid, ev in events:
        tz = ZoneInfo(ev.time_zone)
        e = icalendar.Event()
        e.add("uid", ev.uid)
        e.add("sequence", ev.sequence)
        e.add("dtstamp", stamp)
        e.add("dtstart", ev.starts_at.replace(tzinfo=tz))
        e.add("dtend", ev.ends_at.replace(tzinfo=tz))
        e.add("summary", ev.title)
        e.add("status", EVENT_STATUS[ev.status])
        e.add("created", ev.created_at)
        e.add("last-modified", ev.updated_at)
        e.add("location", ev.location or ev.online_url)
        if ev.online_url:
            e.add("url", ev.online_url)
        if ev.description:
            e.add("description", ev.description)
        if organiser is not None:
            who = icalendar.vCalAddress(f"mailto:{organiser.email}")
            who.params["CN"] = organiser.name
            e.add("organizer", who)
        for a in invitees.get(eid, ()):
            addr = icalendar.vCalAddress(f"mailto:{a.email}")
            addr.params["CN"] = a.name
            addr.params["ROLE"] = ROLE.get(a.role, OPTIONAL)
            addr.params["PARTSTAT"] = PARTSTAT[a.status]
            addr.params["RSVP"] = "TRUE"
            e.add("attendee", addr)
        cal.add_component(e)
    return cal


def run(
    db: Path = DEFAULT_DB, events: int = 1000, attendees: int = 50, rounds: int = 3
) -> dict[str, object]:
    from crm.services import open_services

    ids = event_ids_with_most_invitations(db, events, attendees) if db.is_file() else []
    source = f"crm demo database {db.name}"
    if len(ids) < events:
        CACHE.mkdir(exist_ok=True)
        db = CACHE / "bench-ics.sqlite"
        generate(db, events, attendees)
        ids = event_ids_with_most_invitations(db, events, attendees)
        source = (
            f"generated into {db.name}: the demo database holds fewer than {events:,} "
            f"events with {attendees}+ invitations"
        )
    services = open_services(f"sqlite:///{db}", create=False)
    export_s, floor_s, build_s = [], [], []
    size = written = floor_bytes = 0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "bench.ics"
            for _ in range(rounds):
                t0 = time.perf_counter()
                result = services.calendar.export_calendar(out, attendees=True, event_ids=ids)
                export_s.append(time.perf_counter() - t0)
                size, written = out.stat().st_size, result.attendees
                t0 = time.perf_counter()
                cal = floor_calendar(services, ids)
                t1 = time.perf_counter()
                floor_bytes = len(cal.to_ical())
                t2 = time.perf_counter()
                floor_s.append(t2 - t1)
                build_s.append(t2 - t0)
    finally:
        services.close()
    ratio = min(floor_s) / min(export_s)
    return {
        "source": source,
        "events": len(ids),
        "attendees": written,
        "bytes": size,
        "floor_bytes": floor_bytes,
        "export_s": round(min(export_s), 3),
        "floor_to_ical_s": round(min(floor_s), 3),
        "floor_build_and_to_ical_s": round(min(build_s), 3),
        "ratio_vs_to_ical": round(ratio, 2),
        "ratio_vs_build_and_to_ical": round(min(build_s) / min(export_s), 2),
        "attendees_per_s": round(written / min(export_s)),
        "target": TARGET,
        "ok": ratio >= TARGET,
        "rounds": rounds,
        "measured_at": datetime.now().isoformat(timespec="seconds"),
    }


def save(figures: dict[str, object], out: Path = RESULTS / "ics.json") -> None:
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("db", nargs="?", default=str(DEFAULT_DB))
    p.add_argument("--events", type=int, default=1000)
    p.add_argument("--attendees", type=int, default=50)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--out", default=str(RESULTS / "ics.json"))
    args = p.parse_args(argv)
    figures = run(Path(args.db), args.events, args.attendees, args.rounds)
    save(figures, Path(args.out))
    print(json.dumps(figures, indent=2))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
