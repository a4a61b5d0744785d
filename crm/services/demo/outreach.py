"""Demo speaker outreach: cards for a few hundred speakers and experts, with move histories.

Written after the people (and the events, when the demo makes them): the candidates are
read back from person_role, the target events from the event table. A card aimed at a
past event has mostly run its course (delivered, or declined on the way); one aimed at
an upcoming event sits somewhere along the pipeline, with a next step due soon — a few
of them overdue, as on a real board. Every card's moves walk the pipeline in order
(sometimes skipping "contacted": an intro at a conference counts as contact), dated
between its creation and today.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from crm.services.demo import pools
from crm.services.demo.bulk import Writer
from crm.services.demo.clock import ts
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
TOPIC_FORMS = (
    "Scaling {t} in production",
    "What's new in {t}",
    "{t} for beginners",
    "Lessons from migrating to {t}",
    "Testing {t} code without tears",
    "{t} at the edge",
    "Five {t} mistakes we made so you don't have to",
    "Building a {t} community at work",
    "Debugging {t} in the wild",
    "A year of {t} on call",
)
NEXT_STEPS = {
    "identified": ("Find someone to introduce us", "Send a first email", "Watch their last talk"),
    "contacted": ("Follow up on the first email", "Send the call for papers", "Call them"),
    "interested": ("Agree on the topic and date", "Send the speaker guide", "Share the format"),
    "confirmed": ("Collect bio and photo", "Book travel and hotel", "Review the slides"),
    "delivered": ("Send a thank-you note", "Share the recording", ""),
    DECLINED: ("", "", "Ask again next season"),
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
# Where a card aimed at an upcoming event stands now (declined weighs in too).
OPEN_STAGE_WEIGHTS = (
    ("identified", 30),
    ("contacted", 25),
    ("interested", 18),
    ("confirmed", 15),
    (DECLINED, 12),
)


def _cards_wanted(contacts: int) -> int:
    """A few hundred cards at 100,000 contacts; a handful in a small demo."""
    return max(6, min(400, contacts // 300))


def write_outreach(w: Writer, seed: int, now: datetime, contacts: int) -> dict[str, int]:
    rng = random.Random(seed * 7_919 + 41)
    w.execute(
        "SELECT DISTINCT r.person_id FROM person_role r JOIN person p ON p.id = r.person_id "
        "WHERE r.role IN ('speaker', 'expert') AND p.archived_at IS NULL ORDER BY r.person_id"
    )
    candidates = [r[0] for r in w.cur.fetchall()]
    w.execute("SELECT id, starts_utc FROM event WHERE archived_at IS NULL ORDER BY id")
    events = [(eid, datetime.fromisoformat(str(start))) for eid, start in w.cur.fetchall()]
    n = min(_cards_wanted(contacts), len(candidates))
    chosen = sorted(rng.sample(candidates, n))
    stages, weights = zip(*OPEN_STAGE_WEIGHTS, strict=True)
    cards: list[tuple[object, ...]] = []
    moves: list[tuple[object, ...]] = []
    targeted: set[tuple[int, int]] = set()
    for card_id, person_id in enumerate(chosen, start=1):
        event_id, event_at = None, None
        if events and rng.random() < 0.85:
            event_id, event_at = events[int(rng.random() * len(events))]
            if (person_id, event_id) in targeted:  # one card per person and event
                event_id, event_at = None, None
            else:
                targeted.add((person_id, event_id))
        past = event_at is not None and event_at < now
        if past:
            final = "delivered" if rng.random() < 0.75 else DECLINED
        else:
            final = rng.choices(stages, weights)[0]
        # The path to the final stage, in pipeline order.
        if final == DECLINED:
            stop = int(rng.random() * 4)  # declined after identified … confirmed
            path = [*PIPELINE[: stop + 1], DECLINED]
        else:
            path = list(PIPELINE[: PIPELINE.index(final) + 1])
        if len(path) > 2 and path[1] == "contacted" and rng.random() < 0.12:
            path.pop(1)
        # Dates: created 20–300 days ago; moves spread until today or the event.
        start = now - timedelta(days=20 + int(rng.random() * 280), hours=int(rng.random() * 9))
        end = min(now, event_at) if event_at is not None and past else now
        end = max(end, start + timedelta(hours=1))
        span = (end - start).total_seconds()
        marks = sorted(rng.random() for _ in range(len(path) - 1))
        times = [start, *(start + timedelta(seconds=int(span * m)) for m in marks)]
        if final == "delivered" and event_at is not None:
            times[-1] = max(times[-2], min(event_at, now))
        for i, stage in enumerate(path):
            moves.append((len(moves) + 1, card_id, path[i - 1] if i else None, stage, ts(times[i])))
        step = rng.choice(NEXT_STEPS[final])
        due = None
        if step:
            # Due within the next three weeks, or already overdue for about one in five.
            offset = int(rng.random() * 21) if rng.random() > 0.2 else -1 - int(rng.random() * 10)
            due = (now + timedelta(days=offset)).date().isoformat()
        topic = rng.choice(TOPIC_FORMS).format(t=rng.choice(pools.TAGS_TECH))
        topic = topic[0].upper() + topic[1:]
        cards.append(
            (
                card_id,
                person_id,
                event_id,
                topic,
                final,
                step,
                due,
                rng.choice(NOTES),
                ts(times[-1]),
                ts(start),
                None,
            )
        )
    w.insert("outreach", OUTREACH_COLUMNS, cards)
    w.insert("outreach_move", MOVE_COLUMNS, moves)
    return {"outreach cards": len(cards), "outreach moves": len(moves)}
