"""Demo speaker outreach: cards for a few hundred speakers and experts, with move histories.

Written after the people and the events: the candidates are read back from person_role,
the target events from the event table (cancelled ones left out). The board looks like
a live pipeline: about seven cards in ten aim at an upcoming event and stand where its
date puts them (a talk three weeks away is confirmed by now, one in two months is still
being sought), a few in the first columns have no event yet, and the rest are the
recent past: delivered, or declined on the way. Every card's moves walk the pipeline in
order (sometimes skipping "contacted": an intro at a conference counts as contact),
dated between its creation and today (or the event).
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from crm.services.demo import pools
from crm.services.demo.bulk import Writer
from crm.services.demo.clock import ts
from crm.services.demo.events import NICE_TOPICS
from crm.services.outreach_data import DECLINED, PIPELINE

OUTREACH_COLUMNS = (
    "id",
    "person_id",
    "event_id",
    "topic",
    "stage",
    "next_step",
    "next_step_on",
    "notes",
    "stage_changed_at",
    "created_at",
    "archived_at",
)
MOVE_COLUMNS = ("id", "outreach_id", "from_stage", "to_stage", "moved_at")
# The demo's tech tags as a title spells them: languages and tools, then practices
# (lower case: they read mid-sentence; the first letter is raised at the start).
TOOLS = {
    "rust": "Rust",
    "python": "Python",
    "go": "Go",
    "typescript": "TypeScript",
    "kotlin": "Kotlin",
    "wasm": "WebAssembly",
    "kubernetes": "Kubernetes",
    "postgres": "Postgres",
    "graphql": "GraphQL",
}
PRACTICES = {
    "ml": "machine learning",
    "data": "data engineering",
    "observability": "observability",
    "security": "security",
    "a11y": "accessibility",
    "devops": "DevOps",
    "mobile": "mobile development",
}
TOOL_TOPICS = (
    "Scaling {t} in production",
    "What's new in {t}",
    "{t} for beginners",
    "Lessons from migrating to {t}",
    "Testing {t} code without tears",
    "Five {t} mistakes we made so you don't have to",
    "Building a {t} community at work",
    "Debugging {t} in the wild",
    "{t} under the hood",
)
PRACTICE_TOPICS = (
    "{t} for beginners",
    "What's new in {t}",
    "Five {t} mistakes we made so you don't have to",
    "Making {t} everyone's job",
    "{t} on a small team",
    "A year of {t}: what we learned",
)
NEXT_STEPS = {
    "identified": ("Find someone to introduce us", "Send a first email", "Watch their last talk"),
    "contacted": ("Follow up on the first email", "Send the call for papers", "Call them"),
    "interested": ("Agree on the topic and date", "Send the speaker guide", "Share the format"),
    "confirmed": ("Collect bio and photo", "Book travel and hotel", "Review the slides"),
    "delivered": ("Send a thank-you note", "Share the recording"),
}
NOTES = (
    "",
    "",
    "Met at the last meetup.",
    "Prefers online sessions.",
    "Recommended by a member.",
    "Needs travel support.",
    "Spoke at a partner community before.",
)
# Where a card for an upcoming event stands, by how far off the event is (days).
OPEN_STAGE_WEIGHTS = (
    (21, (("contacted", 5), ("interested", 20), ("confirmed", 55), (DECLINED, 20))),
    (
        45,
        (
            ("identified", 10),
            ("contacted", 25),
            ("interested", 30),
            ("confirmed", 25),
            (DECLINED, 10),
        ),
    ),
    (
        10_000,
        (
            ("identified", 40),
            ("contacted", 30),
            ("interested", 15),
            ("confirmed", 5),
            (DECLINED, 10),
        ),
    ),
)
OPEN_SHARE = 0.7  # cards for upcoming events; the rest are the recent past
NO_EVENT_SHARE = 0.05  # identified or contacted before an event is chosen
RECENT_DAYS = 365  # past cards aim at events of the last year
OVERDUE_SHARE = 0.08  # open cards whose next step is late


def _cards_wanted(contacts: int) -> int:
    """A few hundred cards at 100,000 contacts; a handful in a small demo."""
    return max(6, min(400, contacts // 300))


def event_tag(title: str) -> str | None:
    """The tech tag an event's title is about ("Berlin Python Meetup #1" -> python)."""
    words = {w.removesuffix("Conf") for w in re.findall(r"\w+", title)}  # "RustConf Oslo" too
    for tag in pools.TAGS_TECH:
        if NICE_TOPICS.get(tag, tag.capitalize()) in words:
            return tag
    return None


def demo_topic(rng: random.Random, tag: str | None = None) -> str:
    """A talk title on `tag` (or on any tech tag): mostly the event's own subject."""
    if tag is None or rng.random() < 0.2:
        tag = rng.choice(pools.TAGS_TECH)
    if tag in TOOLS:
        topic = rng.choice(TOOL_TOPICS).format(t=TOOLS[tag])
    else:
        topic = rng.choice(PRACTICE_TOPICS).format(t=PRACTICES.get(tag, tag))
    return topic[0].upper() + topic[1:]


def _path(rng: random.Random, final: str) -> list[str]:
    """The stages a card went through to `final`, in pipeline order."""
    if final == DECLINED:
        stop = int(rng.random() * 4)  # declined after identified … confirmed
        path = [*PIPELINE[: stop + 1], DECLINED]
    else:
        path = list(PIPELINE[: PIPELINE.index(final) + 1])
    if len(path) > 2 and path[1] == "contacted" and rng.random() < 0.12:
        path.pop(1)
    return path


def _open_stage(rng: random.Random, days_left: float) -> str:
    for limit, weights in OPEN_STAGE_WEIGHTS:
        if days_left < limit:
            stages, odds = zip(*weights, strict=True)
            return rng.choices(stages, odds)[0]
    raise AssertionError("unreachable")


def _next_step(rng: random.Random, final: str, now: datetime, event_at: datetime | None):
    """(step, due date or None): soon for open cards (a few overdue), a
    follow-up for a talk of the last month, "ask again" now and then after a decline."""
    if final == DECLINED:
        if rng.random() < 0.35:
            return "Ask again next season", (now + timedelta(days=rng.randint(60, 150))).date()
        return "", None
    if final == "delivered":
        if event_at is None or (now - event_at).days > 30 or rng.random() < 0.3:
            return "", None
        return rng.choice(NEXT_STEPS[final]), (now + timedelta(days=rng.randint(1, 10))).date()
    offset = rng.randint(0, 20) if rng.random() > OVERDUE_SHARE else -rng.randint(1, 10)
    due = (now + timedelta(days=offset)).date()
    if event_at is not None and due > event_at.date():
        due = max(now.date(), event_at.date() - timedelta(days=1))
    return rng.choice(NEXT_STEPS[final]), due


def write_outreach(w: Writer, seed: int, now: datetime, contacts: int) -> dict[str, int]:
    rng = random.Random(seed * 7_919 + 41)
    w.execute(
        "SELECT DISTINCT r.person_id FROM person_role r JOIN person p ON p.id = r.person_id "
        "WHERE r.role IN ('speaker', 'expert') AND p.archived_at IS NULL ORDER BY r.person_id"
    )
    candidates = [r[0] for r in w.cur.fetchall()]
    w.execute(
        "SELECT id, starts_utc, title FROM event "
        "WHERE archived_at IS NULL AND status != 'cancelled' ORDER BY id"
    )
    upcoming: list[tuple[int, datetime]] = []
    recent: list[tuple[int, datetime]] = []
    tags: dict[int, str | None] = {}
    for eid, start, title in w.cur.fetchall():
        tags[eid] = event_tag(title)
        at = datetime.fromisoformat(str(start))
        if at >= now:
            upcoming.append((eid, at))
        elif (now - at).days <= RECENT_DAYS:
            recent.append((eid, at))
    n = min(_cards_wanted(contacts), len(candidates))
    chosen = sorted(rng.sample(candidates, n))
    cards: list[tuple[object, ...]] = []
    moves: list[tuple[object, ...]] = []
    targeted: set[tuple[int, int]] = set()

    def pick(pool: list[tuple[int, datetime]], person_id: int) -> tuple[int, datetime] | None:
        for _ in range(4):  # one card per person and event
            eid, at = pool[int(rng.random() * len(pool))]
            if (person_id, eid) not in targeted:
                targeted.add((person_id, eid))
                return eid, at
        return None

    for card_id, person_id in enumerate(chosen, start=1):
        target = None
        is_open = not recent or (upcoming and rng.random() < OPEN_SHARE)
        if is_open:
            if upcoming and rng.random() >= NO_EVENT_SHARE:
                target = pick(upcoming, person_id)
            if target is None:
                final = "identified" if rng.random() < 0.6 else "contacted"
            else:
                final = _open_stage(rng, (target[1] - now).total_seconds() / 86_400)
        else:
            target = pick(recent, person_id)
            final = "delivered" if rng.random() < 0.75 else DECLINED
        event_id, event_at = target if target is not None else (None, None)
        path = _path(rng, final)
        # Dates: an open card was started 5–120 days ago; a past one 30–120 days before
        # its event, its last move on the event's day (a talk) or before it (a decline).
        if event_at is not None and event_at < now:
            start = event_at - timedelta(days=rng.randint(30, 120), hours=rng.randint(0, 9))
            end = event_at
        else:
            start = now - timedelta(days=rng.randint(5, 120), hours=rng.randint(0, 9))
            end = now
        span = (end - start).total_seconds()
        marks = sorted(rng.random() for _ in range(len(path) - 1))
        times = [start, *(start + timedelta(seconds=int(span * m)) for m in marks)]
        if final == "delivered" and event_at is not None:
            times[-1] = max(times[-2], event_at)
        for i, stage in enumerate(path):
            moves.append((len(moves) + 1, card_id, path[i - 1] if i else None, stage, ts(times[i])))
        step, due = _next_step(rng, final, now, event_at)
        cards.append(
            (
                card_id,
                person_id,
                event_id,
                demo_topic(rng, tags.get(event_id) if event_id is not None else None),
                final,
                step,
                due.isoformat() if due is not None else None,
                rng.choice(NOTES),
                ts(times[-1]),
                ts(start),
                None,
            )
        )
    w.insert("outreach", OUTREACH_COLUMNS, cards)
    w.insert("outreach_move", MOVE_COLUMNS, moves)
    return {"outreach cards": len(cards), "outreach moves": len(moves)}
