"""Demo people and everything hanging off them, as plain tuples ready for executemany.

Ids are assigned here (1..N, in the order people "joined"), so that children,
referrals, relationships and interactions can point at people without reading
anything back from the database. Every choice comes from one seeded Random, which
makes the same seed give the same people.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from itertools import accumulate
from math import sqrt

from crm.services.demo import pools
from crm.services.demo.clock import DAY, Clock
from crm.services.demo.communities import Org, World, pick
from crm.services.demo.names import ascii_slug, locale_names, phone_pattern

# Roughly how long ago the first member joined; growth speeds up towards today.
HISTORY_DAYS = 3 * 365

PERSON_COLUMNS = (
    "id",
    "uid",
    "display_name",
    "given_name",
    "family_name",
    "pronouns",
    "organisation",
    "title",
    "city",
    "country",
    "time_zone",
    "bio",
    "notes",
    "referred_by_id",
    "next_follow_up",
    "created_at",
    "updated_at",
    "archived_at",
)

_PRONOUNS = {
    "f": ("she/her",) * 16 + ("she/they", "", "", ""),
    "m": ("he/him",) * 16 + ("he/they", "", "", ""),
    "x": ("they/them",) * 4 + ("",),
}
_TAG_COUNTS = (0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5)
_INDEPENDENT = ("Independent Consultant", "Student", "PhD Student", "Open Source Maintainer")


@dataclass
class Batch:
    """The rows of one slice of people, one list per table."""

    person: list[tuple[object, ...]] = field(default_factory=list)
    role: list[tuple[object, ...]] = field(default_factory=list)
    email: list[tuple[object, ...]] = field(default_factory=list)
    phone: list[tuple[object, ...]] = field(default_factory=list)
    handle: list[tuple[object, ...]] = field(default_factory=list)
    person_tag: list[tuple[object, ...]] = field(default_factory=list)
    consent: list[tuple[object, ...]] = field(default_factory=list)
    membership: list[tuple[object, ...]] = field(default_factory=list)
    relationship: list[tuple[object, ...]] = field(default_factory=list)
    field_value: list[tuple[object, ...]] = field(default_factory=list)
    audit: list[tuple[object, ...]] = field(default_factory=list)


class PeopleMaker:
    def __init__(self, rng: random.Random, world: World, contacts: int, clock: Clock) -> None:
        self.rng = rng
        # UIDs from their own stream, so adding them changed no other demo value.
        self.uid_rng = random.Random(f"uid:{rng.getstate()[1][:4]}")
        self.world = world
        self.n = contacts
        self.clock = clock
        self.span = clock.now_sec - 3600
        self.place_cum = list(accumulate(p.weight for p in pools.PLACES))
        self.place_names = [locale_names(p.locale) for p in pools.PLACES]
        self.place_phone = [phone_pattern(p.region)[0] for p in pools.PLACES]
        self.org_by_name = {o.name: o for o in world.orgs}
        tech = [(t, 3.0) for t in pools.TAGS_TECH]
        comm = [(t, 1.5) for t in pools.TAGS_COMMUNITY]
        self.tag_pool = [world.tag_ids[t] for t, _ in (*tech, *comm)]
        self.tag_cum = list(accumulate(w for _, w in (*tech, *comm)))
        self.fields = world.person_fields
        self.emails_taken: set[str] = set()
        self.rel_taken: set[tuple[int, int, str]] = set()
        self.ids = {"email": 0, "phone": 0, "handle": 0, "relationship": 0}

    def joined(self, pid: int) -> int:
        """When person pid joined (clock seconds): ids follow time, more joined lately."""
        return int(self.span * sqrt((pid - 1) / max(self.n, 1)))

    def joined_by(self, sec: int) -> int:
        """How many people had joined by clock second sec: the inverse of joined()."""
        x = sec / self.span
        if x <= 0:
            return 0
        return min(self.n, int(self.n * x * x) + 1)

    def batch(self, first: int, last: int, audit_id: int) -> Batch:
        """People first..last (inclusive); audit rows numbered from audit_id + 1."""
        b = Batch()
        for pid in range(first, last + 1):
            audit_id += 1
            self._person(pid, audit_id, b)
        return b

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def _person(self, pid: int, audit_id: int, b: Batch) -> None:
        r = self.rng.random
        w = self.world
        pi = pick(self.place_cum, r())
        place = pools.PLACES[pi]
        names = self.place_names[pi]
        g = r()
        sex = "f" if g < 0.48 else "m" if g < 0.96 else "x"
        first = names.female if sex == "f" or (sex == "x" and g < 0.98) else names.male
        last = names.last_female if sex == "f" else names.last_male
        given = first.names[pick(first.cum, r())]
        family = last.names[pick(last.cum, r())]
        pronouns = _PRONOUNS[sex][int(r() * len(_PRONOUNS[sex]))]

        org: Org | None = None
        if pid in w.liaison_org:
            org = self.org_by_name.get(w.liaison_org[pid])
        elif r() >= 0.08:
            org = w.orgs[pick(w.org_cum, r())]
        if org is not None:
            org_name, title = org.name, pools.TITLES[int(r() * len(pools.TITLES))]
        else:
            title = _INDEPENDENT[int(r() * len(_INDEPENDENT))]
            org_name = (
                pools.UNIVERSITIES[int(r() * 3)].format(city=place.city)
                if "Student" in title
                else ""
            )
        topic = pools.TOPICS[int(r() * len(pools.TOPICS))]
        topic2 = pools.TOPICS[int(r() * len(pools.TOPICS))]
        fmt = {"title": title, "org": org_name or "a small startup", "topic": topic}
        bio = (
            pools.BIO_TEMPLATES[int(r() * len(pools.BIO_TEMPLATES))].format(
                **fmt, topic2=topic2, city=place.city
            )
            if r() < 0.65
            else ""
        )
        notes = (
            pools.NOTE_TEMPLATES[int(r() * len(pools.NOTE_TEMPLATES))].format(
                **fmt, city=place.city
            )
            if r() < 0.2
            else ""
        )
        referred = 1 + int(r() * (pid - 1)) if pid > 1 and r() < 0.15 else None
        clock = self.clock
        follow_up = clock.dates[clock.today + int(r() * 66) - 21] if r() < 0.08 else None
        joined = self.joined(pid)
        created = clock.stamp(joined)
        archived = None
        if r() < 0.005:
            archived = clock.stamp(max(joined, clock.now_sec - int(r() * 90 * DAY) - DAY))
        b.person.append(
            (
                pid,
                str(uuid.UUID(int=self.uid_rng.getrandbits(128), version=4)),
                f"{given} {family}",
                given,
                family,
                pronouns,
                org_name,
                title,
                place.city,
                place.country,
                place.time_zone,
                bio,
                notes,
                referred,
                None if archived else follow_up,
                created,
                created,
                archived,
            )
        )
        b.audit.append((audit_id, created, "create", "person", pid, "{}"))

        roles = [role for role, odds in pools.ROLE_ODDS if r() < odds] or ["member"]
        b.role.extend((pid, role) for role in roles)

        gs, fs = ascii_slug(given), ascii_slug(family)
        self._emails(pid, gs, fs, org, b)
        prefix = self.place_phone[pi]
        if r() < 0.6:
            b.phone.append((self._next("phone"), pid, f"{prefix}{int(r() * 100000):05d}", "mobile"))
            if r() < 0.15:
                b.phone.append(
                    (self._next("phone"), pid, f"{prefix}{int(r() * 100000):05d}", "work")
                )
        has_github = self._handles(pid, gs, fs, b)

        tags = {self.tag_pool[pick(self.tag_cum, r())] for _ in range(_TAG_COUNTS[int(r() * 12)])}
        city_tag = w.tag_ids.get(ascii_slug(place.city, "-"))
        if city_tag and r() < 0.3:
            tags.add(city_tag)
        if "Student" in title:
            tags.add(w.tag_ids["student"])
        b.person_tag.extend((pid, t) for t in sorted(tags))

        day0 = joined // DAY
        span = max(clock.today - day0, 0) + 1
        for kind, share, grant in pools.CONSENT_ODDS:
            if r() < share:
                on = clock.dates[day0 + int(r() * span)]
                source = pools.CONSENT_SOURCES[int(r() * len(pools.CONSENT_SOURCES))]
                b.consent.append((pid, kind, int(r() < grant), on, source))

        self._memberships(pid, place.city, org, day0, span, b)
        self._custom(pid, day0, span, has_github, b)
        self._relationships(pid, referred, b)

    def _emails(self, pid: int, gs: str, fs: str, org: Org | None, b: Batch) -> None:
        r = self.rng.random
        wanted: list[tuple[str, str]] = []
        if org is not None:
            wanted.append((f"{gs}.{fs}@{org.domain}", "work"))
        if org is None or r() < 0.3:
            domain = pools.PERSONAL_DOMAINS[int(r() * len(pools.PERSONAL_DOMAINS))]
            style = int(r() * 3)
            local = (f"{gs}{fs}", f"{gs}.{fs}{int(r() * 90) + 10}", f"{gs[0]}{fs}")[style]
            wanted.append((f"{local}@{domain}", "personal"))
        for address, label in wanted:
            while address in self.emails_taken:
                local, domain = address.split("@")
                address = f"{local}{int(r() * 1000)}@{domain}"
            self.emails_taken.add(address)
            b.email.append((self._next("email"), pid, address, label))

    def _handles(self, pid: int, gs: str, fs: str, b: Batch) -> bool:
        r = self.rng.random
        nn = int(r() * 100)
        found: list[tuple[str, str]] = []
        github = r() < 0.7
        if github:
            found.append(("github", (f"{gs}{fs}", f"{gs}-{fs}", f"{gs[0]}{fs}{nn}")[int(r() * 3)]))
        if r() < 0.25:
            server = pools.MASTODON_SERVERS[int(r() * len(pools.MASTODON_SERVERS))]
            found.append(("mastodon", f"@{gs}@{server}"))
        if r() < 0.4:
            found.append(("linkedin", f"{gs}-{fs}-{int(r() * 0xFFFF):04x}"))
        if r() < 0.3:
            found.append(("x", (f"{gs}_{fs}", f"{gs}{nn}", f"{gs[0]}{fs}")[int(r() * 3)][:15]))
        if r() < 0.2:
            found.append(("discord", f"{gs}.{fs}"[:32]))
        b.handle.extend((self._next("handle"), pid, net, h) for net, h in found)
        return github

    def _memberships(
        self, pid: int, city: str, org: Org | None, day0: int, span: int, b: Batch
    ) -> None:
        """Communities of a person joined between day0 and today (span days)."""
        r = self.rng.random
        w = self.world
        roles: dict[int, str] = {}
        if r() < 0.35:
            for cid in w.city_groups.get(city, ()):
                roles[cid] = "member"
        if org is not None and org.name in w.company_of_org and r() < 0.9:
            roles[w.company_of_org[org.name]] = "member"
        if w.open_groups:
            for odds in (0.45, 0.1):
                if r() < odds:
                    roles[w.open_groups[int(r() * len(w.open_groups))]] = "member"
        for cid, role in w.liaisons.get(pid, ()):
            roles[cid] = role
        for cid in sorted(roles):
            since = self.clock.dates[day0 + int(r() * span)]
            b.membership.append((pid, cid, roles[cid], since))

    def _custom(self, pid: int, day0: int, span: int, github: bool, b: Batch) -> None:
        r = self.rng.random
        f = self.fields
        if r() < 0.45:
            size = ("XS", "S", "M", "M", "L", "L", "XL", "XXL")[int(r() * 8)]
            b.field_value.append((f["T-shirt size"], pid, size, None))
        if github and r() < 0.5:
            stars = min(int(self.rng.paretovariate(1.16) * 8) - 8, 250_000)
            b.field_value.append((f["GitHub stars"], pid, str(stars), float(stars)))
        if r() < 0.3:
            day = day0 + int(r() * span)
            ordinal = float(self.clock.ordinal0 + day)
            b.field_value.append((f["First event"], pid, self.clock.dates[day], ordinal))
        if r() < 0.1:
            b.field_value.append(
                (f["Dietary needs"], pid, pools.DIETARY[int(r() * len(pools.DIETARY))], None)
            )

    def _relationships(self, pid: int, referred: int | None, b: Batch) -> None:
        """Links always point at someone who joined earlier, who is therefore already written."""
        r = self.rng.random
        links: list[tuple[int, str]] = []
        if referred is not None and r() < 0.3:
            links.append((referred, "introduced by"))
        if pid > 1 and r() < 0.25:
            near = r() < 0.5
            other = pid - 1 - int(r() * min(pid - 1, 300)) if near else 1 + int(r() * (pid - 1))
            links.append(
                (other, pools.RELATIONSHIP_KINDS[int(r() * len(pools.RELATIONSHIP_KINDS))])
            )
        for other, kind in links:
            key = (pid, other, kind)
            if key not in self.rel_taken:
                self.rel_taken.add(key)
                b.relationship.append((self._next("relationship"), pid, other, kind))
