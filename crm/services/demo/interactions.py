"""Demo interactions: two years of touches, written in time order, a batch at a time.

Interactions are generated day by day from two years ago to today, so ids follow
time (as they would in real use) and the occurred_at index is built from sorted data.
The attendance records of the demo's events (up to three years old) are merged into
the same stream by time, so they take their ids in order too.
Busier recent months, quiet weekends and summer/Christmas dips give later charts a
shape. A few very engaged people account for many touches and some people have none,
as in a real community. Because days are visited in order, the last write of a
person's date is their latest interaction: last_interaction_at comes for free.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate

from crm.services.demo import pools, scenarios
from crm.services.demo.attendance import Attended
from crm.services.demo.clock import DAY
from crm.services.demo.communities import World
from crm.services.demo.people import PeopleMaker

WINDOW_DAYS = 730
INTERACTION_COLUMNS = (
    "id",
    "kind",
    "occurred_at",
    "channel",
    "direction",
    "sentiment",
    "summary",
    "details",
    "created_at",
)
InteractionBatch = tuple[list[tuple[object, ...]], list[tuple[int, int]]]


def _fill(rng: random.Random, template: str, world: World) -> str:
    topic = rng.choice(pools.TOPICS)
    city = rng.choice(pools.PLACES).city
    event = rng.choice(scenarios.EVENTS).format(topic=rng.choice(pools.TOPICS), city=city)
    org = rng.choice(world.orgs).name
    return template.format(topic=topic, event=event, org=org, city=city, n=rng.randint(3, 40))


def variants(rng: random.Random, world: World) -> list[tuple[str, str, str, str]]:
    """(kind, channel, direction, summary) combinations, as often as each kind occurs.

    Drawing one ready-made variant per row costs a single random number instead of a
    template fill, which is what keeps a million rows within a few seconds.
    """
    out: list[tuple[str, str, str, str]] = []
    for kind, weight in scenarios.KIND_WEIGHTS.items():
        channels, directions, templates = scenarios.SCENARIOS[kind]
        for _ in range(weight * 40):
            summary = _fill(rng, rng.choice(templates), world)
            out.append((kind, rng.choice(channels), rng.choice(directions), summary))
    return out


class InteractionMaker:
    def __init__(
        self,
        rng: random.Random,
        world: World,
        people: PeopleMaker,
    ) -> None:
        self.rng = rng
        self.people = people
        self.n = contacts = people.n
        self.clock = people.clock
        self.variants = variants(rng, world)
        self.details = [
            _fill(rng, rng.choice(scenarios.DETAIL_TEMPLATES), world) for _ in range(400)
        ]
        self.sentiments = [s for s, w in scenarios.SENTIMENT_WEIGHTS for _ in range(w)]
        # How keen each person is: a capped heavy tail, and 15% never heard from.
        r = rng.random
        self.activity = list(
            accumulate(
                0.0 if r() < 0.15 else min(rng.paretovariate(1.3), 60.0) for _ in range(contacts)
            )
        )
        self.last: dict[int, str] = {}
        self.attended_ids: list[int] = []

    def _day_counts(self, total: int, days: list[int]) -> list[int]:
        r = self.rng.random
        weights = []
        for i, day in enumerate(days):
            w = (0.35 + 0.65 * i / len(days)) * (0.8 + 0.4 * r())
            when = self.clock.date(day)
            if when.weekday() >= 5:
                w *= 0.35
            if when.month in (8, 12):
                w *= 0.75
            weights.append(w)
        cum = list(accumulate(weights))
        bounds = [int(total * c / cum[-1]) for c in cum]
        bounds[-1] = total
        return [b - a for a, b in zip([0, *bounds[:-1]], bounds, strict=True)]

    def batches(
        self, total: int, batch: int = 50_000, attended: Sequence[Attended] = ()
    ) -> Iterator[InteractionBatch]:
        """Generate total interactions, about `batch` at a time, oldest first, with the
        attendance records (sorted by time) merged in where their time falls; the ids
        these get are in self.attended_ids afterwards, in the order of `attended`."""
        self.attended_ids = []
        if self.n <= 0 or (total <= 0 and not attended):
            return
        r = self.rng.random
        clock = self.clock
        days = list(range(max(clock.today - WINDOW_DAYS + 1, 0), clock.today + 1))
        counts = self._day_counts(total, days) if total > 0 else [0] * len(days)
        variants, details, sentiments = self.variants, self.details, self.sentiments
        nv, nd = len(variants), len(details)
        activity, last = self.activity, self.last
        tod = clock.times
        rows: list[tuple[object, ...]] = []
        parts: list[tuple[int, int]] = []
        # The next attendance record's time: compared with each touch's, one string
        # comparison per row ("~" sorts after every date once all are out).
        na, k = len(attended), 0
        upcoming = attended[0].occurred if attended else "~"
        taken = self.attended_ids
        iid = 0
        for day, count in zip(days, counts, strict=True):
            if not count:
                continue
            elig = max(1, self.people.joined_by((day + 1) * DAY))
            top = activity[elig - 1]
            prefix = clock.prefixes[day]
            # Between 06:00 and 22:00 UTC; today stops at "now".
            lo = 6 * 3600
            hi = min(22 * 3600, clock.now_sec - day * DAY + 1)
            if hi <= lo:
                lo = 0
            seconds = sorted(lo + int(r() * (hi - lo)) for _ in range(count))
            for sec in seconds:
                occurred = prefix + tod[sec]
                while upcoming <= occurred:
                    iid += 1
                    a = attended[k]
                    rows.append((iid, *a.columns))
                    parts.append((iid, a.person_id))
                    last[a.person_id] = a.occurred
                    taken.append(iid)
                    k += 1
                    upcoming = attended[k].occurred if k < na else "~"
                iid += 1
                kind, channel, direction, summary = variants[int(r() * nv)]
                detail = details[int(r() * nd)] if r() < 0.2 else ""
                rows.append(
                    (
                        iid,
                        kind,
                        occurred,
                        channel,
                        direction,
                        sentiments[int(r() * 100)],
                        summary,
                        detail,
                        occurred,
                    )
                )
                if top > 0:
                    who = bisect_right(activity, r() * top, 0, elig) + 1
                else:
                    who = 1 + int(r() * elig)
                parts.append((iid, who))
                last[who] = occurred
                x = r()
                more = 0 if x < 0.65 else 1 if x < 0.9 else 2
                if kind == "intro" and more == 0:
                    more = 1
                seen = (who,)
                for _ in range(more):
                    other = 1 + int(r() * elig)
                    if other not in seen:
                        seen = (*seen, other)
                        parts.append((iid, other))
                        last[other] = occurred
                if len(rows) >= batch:
                    yield rows, parts
                    rows, parts = [], []
        for a in attended[k:]:  # after the last touch
            iid += 1
            rows.append((iid, *a.columns))
            parts.append((iid, a.person_id))
            last[a.person_id] = a.occurred
            taken.append(iid)
        if rows:
            yield rows, parts
