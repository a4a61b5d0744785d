"""Demo events with their agenda, logistics checklist and invitations.

About one event per 50 contacts (2,000 at 100,000), over the demo's history and the
next 90 days: city meetups in the city's own zone, webinars, workshops, AMAs and a
few conferences. Invitations total about two per contact (200,000 at 100,000); a
conference invites over a thousand, so the big-event case is there to look at.
Past events have attended / no-show / declined answers, future ones invited,
accepted, tentative or not yet sent; a few events are cancelled. The rows are made
(make_events) in the demo's generator, from its seed, and written with executemany
after the people exist (write_events).

An attended invitation has its "event attendance" interaction, as the app logs one
(crm.services.demo.attendance): made along with the other interactions, which take
its id in time order, and linked back through attendance_interaction_id.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from crm.services.demo import pools
from crm.services.demo.bulk import Writer
from crm.services.demo.clock import DAY, Clock, ts

UTC = ZoneInfo("UTC")
EVENT_COLUMNS = (
    "id",
    "uid",
    "sequence",
    "title",
    "kind",
    "status",
    "starts_at",
    "ends_at",
    "time_zone",
    "starts_utc",
    "location",
    "online_url",
    "capacity",
    "description",
    "community_id",
    "created_at",
    "updated_at",
)
AGENDA_COLUMNS = ("event_id", "starts_at", "ends_at", "title", "speaker_id", "notes")
TASK_COLUMNS = ("event_id", "task", "owner", "due_on", "done_at", "position")
INVITATION_COLUMNS = (
    "event_id",
    "person_id",
    "role",
    "status",
    "invited_at",
    "responded_at",
    "note",
    "created_at",
    "updated_at",
    "attendance_interaction_id",
)
CITIES = (
    ("Berlin", "Europe/Berlin", ("Betahaus", "c-base", "Factory Görlitzer Park")),
    ("London", "Europe/London", ("Shoreditch Works", "Code Node", "The Trampery")),
    ("Paris", "Europe/Paris", ("Station F", "Le Wagon", "Morning Coworking")),
    ("New York", "America/New_York", ("Civic Hall", "WeWork Chelsea", "Betaworks")),
    ("San Francisco", "America/Los_Angeles", ("GitHub HQ", "Galvanize", "Heavybit")),
    ("Bengaluru", "Asia/Kolkata", ("91springboard", "NASSCOM Warehouse", "BHIVE")),
    ("Amsterdam", "Europe/Amsterdam", ("B. Amsterdam", "Startup Village", "Pllek")),
)
# kind, weight, relative invitation count, capacity range (None: no limit)
KINDS = (
    ("meetup", 0.50, 1.0, (40, 150)),
    ("webinar", 0.22, 2.2, None),
    ("workshop", 0.15, 0.35, (15, 40)),
    ("AMA", 0.10, 1.2, None),
    ("conference", 0.03, 12.0, (300, 1500)),
)
TASKS = (
    "Book the venue",
    "Confirm speakers",
    "Order food and drinks",
    "Announce on the newsletter",
    "Post on social media",
    "Test the streaming setup",
    "Print name badges",
    "Prepare the welcome slides",
    "Send reminders to attendees",
    "Collect talk recordings",
    "Send the thank-you email",
    "Arrange the sponsor table",
)
OWNERS = ("Ann", "Bo", "Chidi", "Dana", "Eli", "Fatima", "Goran", "Hana")
FUTURE_STATUSES = (
    ("not sent", 0.15),
    ("invited", 0.35),
    ("accepted", 0.30),
    ("declined", 0.10),
    ("tentative", 0.10),
)
PAST_STATUSES = (
    ("attended", 0.55),
    ("no-show", 0.15),
    ("declined", 0.18),
    ("invited", 0.08),
    ("tentative", 0.04),
)
CANCELLED_STATUSES = (("invited", 0.4), ("accepted", 0.3), ("declined", 0.3))
NICE_TOPICS = {
    "graphql": "GraphQL",
    "typescript": "TypeScript",
    "ml": "ML",
    "a11y": "Accessibility",
    "devops": "DevOps",
    "wasm": "WebAssembly",
    "postgres": "Postgres",
}
TALK_ANGLES = (
    "at scale",
    "from zero to production",
    "lessons learned",
    "under the hood",
    "for beginners",
    "in the wild",
    "performance tips",
    "security pitfalls",
    "testing strategies",
    "the next release",
)


def event_count(contacts: int) -> int:
    return 0 if contacts < 1 else max(3, contacts // 50)


Row = tuple[object, ...]


@dataclass
class EventRows:
    """The rows of EVENT_COLUMNS, AGENDA_COLUMNS, TASK_COLUMNS and INVITATION_COLUMNS."""

    events: list[Row] = field(default_factory=list)
    agenda: list[Row] = field(default_factory=list)
    tasks: list[Row] = field(default_factory=list)
    invitations: list[Row] = field(default_factory=list)


def write_events(w: Writer, rows: EventRows) -> dict[str, int]:
    """Write the events, agenda, logistics and invitations; returns their counts."""
    w.insert("event", EVENT_COLUMNS, rows.events)
    w.insert("agenda_item", AGENDA_COLUMNS, rows.agenda)
    w.insert("logistics_task", TASK_COLUMNS, rows.tasks)
    w.insert("invitation", INVITATION_COLUMNS, rows.invitations)
    return {
        "events": len(rows.events),
        "agenda items": len(rows.agenda),
        "logistics tasks": len(rows.tasks),
        "invitations": len(rows.invitations),
    }


def make_events(seed: int, contacts: int, now: datetime) -> EventRows:
    """The events, agenda, logistics and invitations of a demo (invitations not yet
    linked to attendance interactions)."""
    n = event_count(contacts)
    if n == 0:
        return EventRows()
    rng = random.Random(f"rapport-demo:{seed}:events")
    history = 3 * 365
    clock = Clock(now, history + 60, ahead=100)  # invitations go out up to 40 days before
    first_day = now - timedelta(days=history)
    span = history + 90
    kinds = [k[0] for k in KINDS]
    spec = {k[0]: k for k in KINDS}
    picked = rng.choices(kinds, [k[1] for k in KINDS], k=n)
    # Invitations: about two per contact in all, shared by weight, never more than exist.
    weights = [spec[k][2] * rng.uniform(0.5, 1.5) for k in picked]
    total = 2 * contacts
    scale = total / sum(weights)
    sizes = [min(contacts, max(1, round(wt * scale))) for wt in weights]
    # Days since the start of the history, in order: most in the past, and about one
    # in seven (at least one) in the next 90 days, so that even a small demo has both.
    ahead = max(1, n // 7)
    days = sorted(rng.uniform(0, history - 1) for _ in range(n - ahead))
    days += sorted(rng.uniform(history + 1, span) for _ in range(ahead))
    out = EventRows()
    events, agenda, tasks, invitations = out.events, out.agenda, out.tasks, out.invitations
    numbers: dict[str, int] = {}
    for eid, (kind, size, day) in enumerate(zip(picked, sizes, days, strict=True), start=1):
        city, zone, venues = rng.choice(CITIES)
        tag = rng.choice(pools.TAGS_TECH)
        topic = NICE_TOPICS.get(tag, tag.capitalize())
        date0 = (first_day + timedelta(days=day)).date()
        starts, ends, zone, title, location, url = _shape(
            rng, kind, date0, city, zone, venues, topic, numbers
        )
        starts_utc = starts.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC).replace(tzinfo=None)
        past = starts_utc < now
        cancelled = rng.random() < 0.03
        status = (
            "cancelled"
            if cancelled
            else "done"
            if past
            else rng.choice(("planning", "announced", "announced"))
        )
        low_high = spec[kind][3]
        capacity = rng.randint(*low_high) if low_high else None
        created = starts_utc - timedelta(days=rng.randint(20, 90))
        created = min(created, now)
        events.append(
            (
                eid,
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                rng.choice((0, 0, 1, 2)),
                title,
                kind,
                status,
                ts(starts),
                ts(ends),
                zone,
                ts(starts_utc),
                location,
                url,
                capacity,
                f"{title}: talks, demos and time to meet the {topic} community.",
                None,
                ts(created),
                ts(created),
            )
        )
        people = rng.sample(range(1, contacts + 1), size)
        speakers = people[: min(len(people), rng.randint(1, 4))]
        _invite(rng, clock, invitations, eid, people, speakers, past, cancelled, starts_utc)
        _agenda(rng, agenda, eid, kind, starts, ends, speakers, topic)
        _tasks(rng, tasks, eid, starts_utc, past or cancelled, now)
    return out


def _shape(
    rng: random.Random,
    kind: str,
    day: object,
    city: str,
    zone: str,
    venues: tuple[str, ...],
    topic: str,
    numbers: dict[str, int],
) -> tuple[datetime, datetime, str, str, str, str]:
    """(starts, ends, zone, title, location, online url) for one event of a kind."""
    at = datetime.combine(day, datetime.min.time())  # type: ignore[arg-type]
    slug = topic.lower()
    nice = topic
    if kind == "meetup":
        key = f"{city} {nice}"
        numbers[key] = numbers.get(key, 0) + 1
        starts = at.replace(hour=18, minute=30)
        title = f"{city} {nice} Meetup #{numbers[key]}"
        return starts, starts + timedelta(hours=3), zone, title, rng.choice(venues), ""
    if kind == "webinar":
        starts = at.replace(hour=rng.choice((15, 16, 17)))
        title = f"Webinar: {nice} in production"
        link = f"https://webinar.example.org/{slug}-{rng.randint(1000, 9999)}"
        return starts, starts + timedelta(hours=1), "UTC", title, "", link
    if kind == "workshop":
        starts = at.replace(hour=10)
        title = f"Workshop: hands-on {nice} in {city}"
        return starts, starts + timedelta(hours=6), zone, title, rng.choice(venues), ""
    if kind == "AMA":
        starts = at.replace(hour=17)
        title = f"AMA with the {nice} maintainers"
        link = f"https://live.example.org/ama-{slug}-{rng.randint(100, 999)}"
        return starts, starts + timedelta(hours=1), "UTC", title, "", link
    starts = at.replace(hour=9)
    title = f"{nice}Conf {city} {starts.year}"
    link = f"https://{slug}conf.example.org/live"
    ends = starts + timedelta(days=1, hours=8)
    return starts, ends, zone, title, f"{rng.choice(venues)}, {city}", link


def _invite(
    rng: random.Random,
    clock: Clock,
    out: list[tuple[object, ...]],
    eid: int,
    people: list[int],
    speakers: list[int],
    past: bool,
    cancelled: bool,
    starts_utc: datetime,
) -> None:
    """The invitations of one event. Times are integer seconds on the demo's clock
    (two list lookups per stamp): 200,000 rows with datetime arithmetic took seconds."""
    table = CANCELLED_STATUSES if cancelled else PAST_STATUSES if past else FUTURE_STATUSES
    names = [s for s, _ in table]
    statuses = rng.choices(names, [p for _, p in table], k=len(people))
    host = people[len(speakers)] if len(people) > len(speakers) else None
    special = "attended" if past and not cancelled else "accepted"
    start = int((starts_utc - clock.start).total_seconds())
    now = clock.now_sec
    stamp = clock.stamp
    r = rng.random
    made_early = stamp(min(start - 45 * DAY, now))
    for pid, status in zip(people, statuses, strict=True):
        role = "attendee"
        if pid in speakers:
            role, status = "speaker", special
        elif pid == host:
            role, status = "host", special
        elif r() < 0.02:
            role = "volunteer"
        if status == "not sent":
            out.append((eid, pid, role, status, None, None, "", made_early, made_early, None))
            continue
        invited_sec = start - 7 * DAY - int(r() * 33 * DAY) - int(r() * 36_000)
        if invited_sec > now:  # a far-off event: invitations went out in the last days
            invited_sec = now - int(r() * 5 * DAY)
        invited = stamp(invited_sec)
        if status == "invited":
            out.append((eid, pid, role, status, invited, None, "", invited, invited, None))
            continue
        answered = stamp(min(invited_sec + 3600 + int(r() * 119 * 3600), now))
        out.append((eid, pid, role, status, invited, answered, "", invited, answered, None))


def _agenda(
    rng: random.Random,
    out: list[tuple[object, ...]],
    eid: int,
    kind: str,
    starts: datetime,
    ends: datetime,
    speakers: list[int],
    topic: str,
) -> None:
    slots = ["Welcome and news"]
    slots += [f"Talk: {topic} {t}" for t in rng.sample(TALK_ANGLES, 3)]
    slots.append("Networking" if kind in ("meetup", "conference", "workshop") else "Q&A")
    # Slots of whole five minutes, at most an hour each.
    length = timedelta(minutes=min(60, (ends - starts) // timedelta(minutes=5) // len(slots) * 5))
    at = starts
    for i, title in enumerate(slots):
        speaker = speakers[(i - 1) % len(speakers)] if title.startswith("Talk") else None
        out.append((eid, ts(at), ts(at + length), title, speaker, ""))
        at += length


def _tasks(
    rng: random.Random,
    out: list[tuple[object, ...]],
    eid: int,
    starts_utc: datetime,
    finished: bool,
    now: datetime,
) -> None:
    for position, task in enumerate(rng.sample(TASKS, rng.randint(3, 7)), start=1):
        due = starts_utc - timedelta(days=rng.randint(1, 21))
        done = finished or (due < now and rng.random() < 0.8) or rng.random() < 0.2
        done_at = ts(min(due, now)) if done else None
        out.append((eid, task, rng.choice(OWNERS), due.date().isoformat(), done_at, position))
