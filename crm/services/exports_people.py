"""Reading people for an export: contact fields in a few batched queries.

Partner exports read nothing but contact fields here (not even the notes), which is
what lets ExportService promise that nothing else about a person can leak.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from crm.models import ROLES, utcnow
from crm.services.common import as_date, as_datetime, chunks
from crm.services.people_data import (
    EmailData,
    HandleData,
    MembershipData,
    PersonDetail,
    PhoneData,
)


def load(raw: sqlite3.Connection, ids: list[int], full: bool) -> list[PersonDetail]:
    """PersonDetails from the contact tables in a few batched queries.

    full=False reads nothing but contact fields (for partners); full=True adds the
    notes, bio, roles, tags and communities a plain export carries too.
    """
    out: list[PersonDetail] = []
    cols = [c if full or c != "notes" else "'' AS notes" for c in _PERSON_COLS]
    for part in chunks(ids):
        marks = ",".join("?" * len(part))
        many: dict[str, defaultdict[int, list]] = {}  # type: ignore[type-arg]
        for key, sql in _CHILD_SQL.items():
            if not full and key in ("roles", "tags", "communities"):
                continue
            bucket: defaultdict[int, list] = defaultdict(list)  # type: ignore[type-arg]
            for r in raw.execute(sql.format(marks=marks), part):
                bucket[r[0]].append(r[1:])
            many[key] = bucket
        people = {
            r[0]: r
            for r in raw.execute(
                f"SELECT {', '.join(cols)} FROM person WHERE id IN ({marks})",
                part,
            )
        }
        for pid in part:
            if pid in people:
                out.append(_detail(people[pid], many, full))
    return out


_PERSON_COLS = (
    "id", "display_name", "given_name", "family_name", "pronouns", "organisation", "title",
    "city", "country", "time_zone", "bio", "notes", "photo", "uid", "created_at",
)  # fmt: skip
_CHILD_SQL = {
    "emails": "SELECT person_id, address, label FROM email WHERE person_id IN ({marks}) "
    "ORDER BY id",
    "phones": "SELECT person_id, number, label FROM phone WHERE person_id IN ({marks}) ORDER BY id",
    "handles": "SELECT person_id, network, handle FROM handle WHERE person_id IN ({marks}) "
    "ORDER BY id",
    "roles": "SELECT person_id, role FROM person_role WHERE person_id IN ({marks})",
    "tags": "SELECT pt.person_id, t.name FROM person_tag pt JOIN tag t ON t.id = pt.tag_id "
    "WHERE pt.person_id IN ({marks}) ORDER BY t.name",
    "communities": "SELECT m.person_id, c.id, c.name, m.role, m.since FROM membership m "
    "JOIN community c ON c.id = m.community_id WHERE m.person_id IN ({marks}) ORDER BY c.name",
}


def _detail(row: tuple, many: dict, full: bool) -> PersonDetail:  # type: ignore[type-arg]
    v = dict(zip(_PERSON_COLS, row, strict=True))
    pid = v["id"]

    def get(key: str) -> list:  # type: ignore[type-arg]
        return many[key].get(pid, []) if key in many else []

    return PersonDetail(
        id=pid,
        display_name=v["display_name"],
        given_name=v["given_name"],
        family_name=v["family_name"],
        pronouns=v["pronouns"],
        organisation=v["organisation"],
        title=v["title"],
        city=v["city"],
        country=v["country"],
        time_zone=v["time_zone"],
        bio=v["bio"],
        notes=v["notes"],
        roles=tuple(sorted((r[0] for r in get("roles")), key=lambda r: (r not in ROLES, r))),
        emails=tuple(EmailData(a, lbl) for a, lbl in get("emails")),
        phones=tuple(PhoneData(n, lbl) for n, lbl in get("phones")),
        handles=tuple(HandleData(n, h) for n, h in get("handles")),
        tags=tuple(t[0] for t in get("tags")),
        consents=(),
        relationships=(),
        communities=tuple(
            MembershipData(c, n, r, as_date(since)) for c, n, r, since in get("communities")
        ),
        referred_by=None,
        referrals=(),
        custom=(),
        next_follow_up=None,
        last_interaction=None,
        created_at=as_datetime(v["created_at"]) or utcnow(),
        archived_at=None,
        photo=v["photo"],
        uid=v["uid"],
    )
