"""Demo organisations, communities, custom field definitions and tags.

These are small (tens to thousands of rows) and are made before the people, because
people are placed into them as they are generated: employees join their company's
community, people join the user group of their city, and each community's liaisons
are chosen up front so that every community has someone to talk to.
"""

from __future__ import annotations

import json
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from crm.models import COMMUNITY_KINDS
from crm.services.demo import pools, scenarios
from crm.services.demo.clock import ts
from crm.services.demo.names import ascii_slug


def weighted(pairs: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    return [k for k, _ in pairs], list(accumulate(w for _, w in pairs))


@dataclass(frozen=True)
class Org:
    name: str
    domain: str


@dataclass
class World:
    """What people are placed into: organisations, communities, fields and tags."""

    orgs: list[Org]
    org_cum: list[float]
    # community ids by purpose
    city_groups: dict[str, list[int]] = field(default_factory=dict)
    open_groups: list[int] = field(default_factory=list)
    company_of_org: dict[str, int] = field(default_factory=dict)
    liaisons: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    liaison_org: dict[int, str] = field(default_factory=dict)
    person_fields: dict[str, int] = field(default_factory=dict)
    tag_ids: dict[str, int] = field(default_factory=dict)
    community_rows: list[tuple[object, ...]] = field(default_factory=list)
    field_def_rows: list[tuple[object, ...]] = field(default_factory=list)
    field_value_rows: list[tuple[object, ...]] = field(default_factory=list)


def make_orgs(rng: random.Random, contacts: int) -> tuple[list[Org], list[float]]:
    """About one organisation per 25 people; a few big employers, a long tail of small."""
    want = max(30, min(3000, contacts // 25))
    combos = [
        (a, b, c) for a in pools.ORG_FIRST for b in pools.ORG_SECOND for c in pools.ORG_SUFFIX
    ]
    chosen = rng.sample(combos, min(want, len(combos)))
    orgs = [Org(f"{a}{b} {c}", f"{ascii_slug(a + b + c)}.example") for a, b, c in chosen]
    cum = list(accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(orgs))))
    return orgs, cum


def make_world(rng: random.Random, contacts: int, now: datetime) -> World:
    orgs, org_cum = make_orgs(rng, contacts)
    world = World(orgs=orgs, org_cum=org_cum)
    tags = [*pools.TAGS_TECH, *pools.TAGS_COMMUNITY, *pools.TAG_CITIES]
    world.tag_ids = {name: i for i, name in enumerate(tags, start=1)}
    _field_defs(world)
    _communities(rng, world, contacts, now)
    return world


def _field_defs(world: World) -> None:
    fid = 0
    for entity, defs in (("person", pools.PERSON_FIELDS), ("community", pools.COMMUNITY_FIELDS)):
        for position, (name, kind, choices) in enumerate(defs, start=1):
            fid += 1
            world.field_def_rows.append(
                (fid, entity, name, kind, json.dumps(list(choices)), position)
            )
            if entity == "person":
                world.person_fields[name] = fid
            else:
                world.person_fields[f"community:{name}"] = fid


def _unique(rng: random.Random, templates: tuple[str, ...], taken: set[str], **fmt: str) -> str:
    for _ in range(50):
        name = rng.choice(templates).format(topic=rng.choice(scenarios.COMMUNITY_TOPICS), **fmt)
        if name not in taken:
            taken.add(name)
            return name
    name = f"{name} {len(taken)}"
    taken.add(name)
    return name


def _communities(rng: random.Random, world: World, contacts: int, now: datetime) -> None:
    """20 to 60 communities of every kind, with liaisons picked among the people-to-be."""
    count = max(20, min(60, 20 + contacts // 2500))
    kinds, kind_cum = weighted(scenarios.COMMUNITY_KIND_ODDS)
    statuses, status_cum = weighted(scenarios.COMMUNITY_STATUS_ODDS)
    place_cum = list(accumulate(p.weight for p in pools.PLACES))
    taken: set[str] = set()
    big_orgs = iter(world.orgs)  # the heaviest employers become company/sponsor communities
    cadence = world.person_fields["community:Meetup cadence"]
    since = world.person_fields["community:Partner since"]
    for cid in range(1, count + 1):
        # The first few are fixed so that even a small demo has one of every kind.
        kind = COMMUNITY_KINDS[cid - 1] if cid <= 5 else rng.choices(kinds, kind_cum)[0]
        status = rng.choices(statuses, status_cum)[0]
        city = ""
        if kind == "user group":
            city = rng.choices(pools.PLACES, cum_weights=place_cum)[0].city
            name = _unique(rng, scenarios.USER_GROUP_NAMES, taken, city=city)
            size = int(rng.paretovariate(1.2) * 80)
        elif kind in ("company", "sponsor"):
            org = next(big_orgs)
            name = org.name
            taken.add(name)
            world.company_of_org[name] = cid
            size = int(rng.paretovariate(1.1) * 150)
        elif kind == "media":
            name = _unique(rng, scenarios.MEDIA_NAMES, taken)
            size = int(rng.paretovariate(1.0) * 2000)
        else:
            name = _unique(rng, scenarios.PARTNER_NAMES, taken)
            size = int(rng.paretovariate(1.1) * 500)
        if city:
            world.city_groups.setdefault(city, []).append(cid)
        elif kind in ("partner community", "media"):
            world.open_groups.append(cid)
        created = now - timedelta(days=rng.randint(400, 1500), seconds=rng.randint(0, 86399))
        # Some ended partnerships were moved to the Trash; most stay on the list.
        ended = status == "ended" and rng.random() < 0.3
        archived = ts(now - timedelta(days=rng.randint(5, 200))) if ended else None
        website = f"https://{ascii_slug(name, '-')}.example.org"
        notes = rng.choice(scenarios.COMMUNITY_NOTES).format(topic=rng.choice(pools.TOPICS))
        world.community_rows.append(
            (cid, name, kind, status, website, size, notes, ts(created), archived)
        )
        if kind == "user group":
            world.field_value_rows.append(
                (cadence, cid, rng.choice(("weekly", "monthly", "monthly", "quarterly")), None)
            )
        elif status != "prospect":
            day = (created + timedelta(days=rng.randint(0, 300))).date()
            world.field_value_rows.append((since, cid, day.isoformat(), float(day.toordinal())))
        _pick_liaisons(rng, world, cid, kind, name, contacts)


def _pick_liaisons(
    rng: random.Random, world: World, cid: int, kind: str, name: str, contacts: int
) -> None:
    if contacts < 1:
        return
    roles = {
        "user group": ("organiser", "organiser", "liaison"),
        "sponsor": ("sponsor contact", "liaison"),
        "company": ("liaison",),
    }.get(kind, ("liaison", "liaison"))
    for role in roles[: rng.randint(1, len(roles))]:
        pid = rng.randint(1, contacts)
        world.liaisons.setdefault(pid, []).append((cid, role))
        if kind in ("company", "sponsor"):
            world.liaison_org[pid] = name


def pick(cum: list[float], r: float) -> int:
    """Index drawn from cumulative weights with a uniform r in [0, 1)."""
    return bisect_right(cum, r * cum[-1])
