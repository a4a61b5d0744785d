"""vCard import and export against vobject's own rates, measured in the same run.

    python bench/bench_vcard.py [--cards N] [--rounds R] [--out FILE]

Builds N (default 10,000) realistic people (seeded): names with accents, one to three
emails and phones with labels, organisation, title, city and country, time zone, a bio
and notes with commas and newlines, tags, handles, roles, and a small photo on one in
ten. They are written once as a vCard 3.0 file (bench/.cache/bench-10k.vcf). Then, R
rounds (default 3), interleaved, best round kept:

- read: `read_vcards(bytes)` against the floor `list(vobject.readComponents(text))`
  over the same file (decoding the bytes included in both). Target ≥ 0.75× the floor.
  Also recorded, not a target: vobject's lexer alone (getLogicalLines + parseLine, no
  Component, no value behaviours), since read_vcards uses parseLine and not the
  Component layer (which raises on nested cards and cuts text at unescaped commas).
- write: `write_vcards(people, "3.0")` against the floor: the same cards built
  directly with vobject's API (`card.add("fn").value = …`, Name, Address, type_param)
  and serialised with `card.serialize()`. Two floors are recorded: serialising the
  prebuilt cards only (the strict one, the target is measured against it), and
  building plus serialising. Target ≥ 0.8× the strict floor.

Figures go to results/vcard.json (and stdout); exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from datetime import datetime
from pathlib import Path

import vobject
from common import CACHE, RESULTS
from vobject.base import getLogicalLines, parseLine

from crm.models.people import ROLES
from crm.services.io.vcard_read import read_vcards
from crm.services.io.vcard_write import write_vcards
from crm.services.people_data import EmailData, HandleData, PersonDetail, PhoneData

READ_TARGET = 0.75
WRITE_TARGET = 0.8
GIVEN = [
    "Ada",
    "Zoë",
    "Jürgen",
    "François",
    "Mei",
    "Aarav",
    "Olumide",
    "Siobhán",
    "Łukasz",
    "Ines",
    "Kenji",
    "Fatima",
]
FAMILY = [
    "Lovelace",
    "Ünal",
    "Müller",
    "Lefèvre",
    "Chen",
    "Sharma",
    "Adeyemi",
    "O'Brien",
    "Wójcik",
    "García",
    "Sato",
]
ORGS = ["Acme, Inc.", "Widgets; Ltd", "Data Labs", "Nordic Cloud AB", "Café Systems"]
CITIES = [("Berlin", "Germany"), ("Zürich", "Switzerland"), ("Lagos", "Nigeria"), ("", "")]
ZONES = ["Europe/Berlin", "Europe/Zurich", "Africa/Lagos", "America/New_York", ""]
TAGS = ["python", "speaker-2026", "berlin", "rust", "mentor", "data, ml", "vip"]
NETWORKS = ["github", "mastodon", "linkedin", "xmpp", "x"]
LABELS = ["work", "home", "mobile", "", "Signal"]


def people(n: int, seed: int = 1) -> list[PersonDetail]:
    rng = random.Random(seed)
    photo = bytes(rng.randrange(256) for _ in range(1500))
    out = []
    for i in range(n):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        city, country = rng.choice(CITIES)
        handle = f"{given.lower()}{i}"
        out.append(
            PersonDetail(
                id=i + 1,
                uid=f"00000000-0000-4000-8000-{i:012d}",
                display_name=f"{given} {family}",
                given_name=given,
                family_name=family,
                pronouns=rng.choice(["", "she/her", "he/him", "they/them"]),
                organisation=rng.choice(ORGS),
                title=rng.choice(["Engineer", "Head of DevRel", "Student", ""]),
                city=city,
                country=country,
                time_zone=rng.choice(ZONES),
                bio=f"Works on {rng.choice(TAGS)}; speaks at meetups, writes, mentors.",
                notes="Met at the meetup.\nFollow up about the talk, maybe in spring."
                if rng.random() < 0.5
                else "",
                roles=tuple(rng.sample(ROLES, rng.randint(1, 2))),
                emails=tuple(
                    EmailData(f"{handle}.{k}@example.org", rng.choice(LABELS))
                    for k in range(rng.randint(1, 3))
                ),
                phones=tuple(
                    PhoneData(f"+49 30 {rng.randrange(10**7):07d}", rng.choice(LABELS))
                    for _ in range(rng.randint(1, 2))
                ),
                handles=tuple(
                    HandleData(net, handle) for net in rng.sample(NETWORKS, rng.randint(0, 2))
                ),
                tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
                consents=(),
                relationships=(),
                communities=(),
                referred_by=None,
                referrals=(),
                custom=(),
                next_follow_up=None,
                last_interaction=None,
                created_at=datetime(2026, 1, 1),
                archived_at=None,
                photo=photo if i % 10 == 0 else None,
            )
        )
    return out


def vobject_cards(persons: list[PersonDetail]) -> list[vobject.base.Component]:
    """The same cards built directly with vobject's own API (the write floor)."""
    cards = []
    for p in persons:
        card = vobject.vCard()
        card.add("uid").value = p.uid
        card.add("fn").value = p.display_name
        card.add("n").value = vobject.vcard.Name(family=p.family_name, given=p.given_name)
        if p.organisation:
            card.add("org").value = [p.organisation]
        if p.title:
            card.add("title").value = p.title
        if p.roles:
            card.add("x-rapport-roles").value = ",".join(p.roles)
        for e in p.emails:
            line = card.add("email")
            line.value = e.address
            if e.label:
                line.type_param = e.label
        for t in p.phones:
            line = card.add("tel")
            line.value = t.number
            if t.label:
                line.type_param = t.label
        if p.city or p.country:
            card.add("adr").value = vobject.vcard.Address(city=p.city, country=p.country)
        if p.time_zone:
            card.add("tz").value = p.time_zone
        note = "\n\n".join(x for x in (p.bio, p.notes) if x)
        if note:
            card.add("note").value = note
        if p.bio:
            card.add("x-rapport-bio").value = p.bio
        if p.tags:
            card.add("categories").value = list(p.tags)
        if p.pronouns:
            card.add("x-pronouns").value = p.pronouns
        for h in p.handles:
            line = card.add("x-socialprofile")
            line.value = h.handle
            line.type_param = h.network
        if p.photo:
            line = card.add("photo")
            line.value = p.photo
            line.encoding_param = "b"
            line.type_param = "JPEG"
        cards.append(card)
    return cards


def vobject_lexer(data: bytes) -> None:
    for line, number in getLogicalLines(io.StringIO(data.decode()), False):
        parseLine(line, number)


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(n: int = 10_000, rounds: int = 3) -> dict[str, object]:
    persons = people(n)
    path = CACHE / f"bench-{n // 1000}k.vcf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(write_vcards(persons, "3.0").encode())
    data = path.read_bytes()

    result = read_vcards(data, path.name)
    assert len(result.records) == n and not result.rejected, "the bench file must read back"
    assert sum(1 for _ in vobject.readComponents(data.decode())) == n

    read_times: dict[str, list[float]] = {"read_vcards": [], "vobject": [], "lexer": []}
    for _ in range(rounds):  # interleaved, so a busy moment hits both
        read_times["vobject"].append(_timed(lambda: list(vobject.readComponents(data.decode()))))
        read_times["read_vcards"].append(_timed(lambda: read_vcards(data, path.name)))
        read_times["lexer"].append(_timed(lambda: vobject_lexer(data)))
    read_ours, read_floor = min(read_times["read_vcards"]), min(read_times["vobject"])

    cards = vobject_cards(persons)
    write_times: dict[str, list[float]] = {"ours": [], "serialize": [], "build": []}
    for _ in range(rounds):
        write_times["serialize"].append(_timed(lambda: "".join(c.serialize() for c in cards)))
        write_times["build"].append(
            _timed(lambda: "".join(c.serialize() for c in vobject_cards(persons)))
        )
        write_times["ours"].append(_timed(lambda: write_vcards(persons, "3.0")))
    write_ours = min(write_times["ours"])
    write_floor = min(write_times["serialize"])
    write_floor_build = min(write_times["build"])

    read_ratio = read_floor / read_ours
    write_ratio = write_floor / write_ours
    figures: dict[str, object] = {
        "cards": n,
        "file_mb": round(len(data) / 1e6, 2),
        "rounds": rounds,
        "read": {
            "read_vcards_cards_per_s": round(n / read_ours),
            "vobject_readComponents_cards_per_s": round(n / read_floor),
            "vobject_lexer_only_cards_per_s": round(n / min(read_times["lexer"])),
            "ratio": round(read_ratio, 2),
            "target_ratio": READ_TARGET,
            "ok": read_ratio >= READ_TARGET,
        },
        "write": {
            "write_vcards_cards_per_s": round(n / write_ours),
            "vobject_serialize_cards_per_s": round(n / write_floor),
            "vobject_build_and_serialize_cards_per_s": round(n / write_floor_build),
            "ratio": round(write_ratio, 2),
            "ratio_to_build_and_serialize": round(write_floor_build / write_ours, 2),
            "target_ratio": WRITE_TARGET,
            "ok": write_ratio >= WRITE_TARGET,
        },
    }
    figures["ok"] = figures["read"]["ok"] and figures["write"]["ok"]  # type: ignore[index]
    figures["generated_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    return figures


def save(figures: dict[str, object], out: Path = RESULTS / "vcard.json") -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    tmp.replace(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "vcard.json")
    args = parser.parse_args()
    figures = run(args.cards, args.rounds)
    save(figures, args.out)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
