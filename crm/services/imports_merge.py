"""Merging an incoming record into an existing person, and the rare extras of a record.

The rule a user can rely on: an import fills what is empty and adds what is new
(emails, phones, handles, tags, roles), and never overwrites — a different value
is kept in the notes as "Imported <field>: …". The existing person keeps their UID.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from crm.models import CONSENT_KINDS, ROLES
from crm.services import validate
from crm.services.imports_clean import Prepared, join_notes

if TYPE_CHECKING:
    from crm.services.imports import PlannedRecord

_SCALARS = (
    "given_name",
    "family_name",
    "pronouns",
    "organisation",
    "title",
    "city",
    "country",
    "time_zone",
    "bio",
)
_LABELS = {"given_name": "given name", "family_name": "family name", "time_zone": "time zone"}


def bad_zone_note(zone: str) -> str:
    zone = zone.strip()
    return f"Imported time zone: {zone}" if zone and validate.time_zone(zone) else ""


def consents_and_custom(cur: sqlite3.Cursor, pid: int, item: PlannedRecord, now: str) -> None:
    """Rare in files: consents (with their audit entry) and custom field values."""
    for c in item.record.person.consents:
        if c.kind not in CONSENT_KINDS:
            continue
        old = cur.execute(
            "SELECT recorded_on FROM consent WHERE person_id = ? AND kind = ?", (pid, c.kind)
        ).fetchone()
        if old is not None and old[0] >= c.recorded_on.isoformat():
            continue  # the newer consent wins
        cur.execute(
            "INSERT OR REPLACE INTO consent(person_id, kind, granted, recorded_on, source) "
            "VALUES (?, ?, ?, ?, ?)",
            (pid, c.kind, c.granted, c.recorded_on.isoformat(), c.source or item.file),
        )
        detail = {
            "kind": c.kind,
            "granted": c.granted,
            "recorded_on": c.recorded_on.isoformat(),
            "source": c.source or item.file,
        }
        cur.execute(
            "INSERT INTO audit_log(at, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?)",
            (now, "consent", "person", pid, json.dumps(detail, ensure_ascii=False)),
        )
    defs: dict[int, tuple[str, list[str]]] = {}
    by_name: dict[str, int] = {}
    for fid, name, kind, choices in cur.execute(
        "SELECT id, name, type, choices FROM field_def WHERE entity = 'person'"
    ).fetchall():
        defs[fid] = (kind, json.loads(choices or "[]"))
        by_name[name.casefold()] = fid
    values = dict(item.record.person.custom)
    for name, value in getattr(item.record, "custom", ()):  # custom fields by name (CSV)
        fid = by_name.get(name.strip().casefold())
        if fid is not None:
            values.setdefault(fid, value)
    for fid, value in values.items():
        if fid not in defs:
            continue
        text, number, err = validate.field_value(defs[fid][0], value, defs[fid][1])
        if text and not err:
            cur.execute(
                "INSERT OR IGNORE INTO field_value(field_id, entity_id, text, number) "
                "VALUES (?, ?, ?, ?)",
                (fid, pid, text, number),
            )


def merge_into(
    cur: sqlite3.Cursor,
    pid: int,
    item: PlannedRecord,
    prep: Prepared,
    tags: dict[str, int],
    now: str,
) -> None:
    """Fill what the person lacks; never overwrite: a different value goes to notes."""
    p = item.record.person
    cols = ("display_name", *_SCALARS, "notes", "photo")
    row = cur.execute(f"SELECT {', '.join(cols)} FROM person WHERE id = ?", (pid,)).fetchone()
    current = dict(zip(cols, row, strict=True))
    updates: dict[str, object] = {}
    notes: list[str] = []
    incoming = {k: str(getattr(p, k)).strip() for k in _SCALARS}
    if incoming["time_zone"] and validate.time_zone(incoming["time_zone"]):
        notes.append(bad_zone_note(incoming["time_zone"]))
        incoming["time_zone"] = ""
    if prep.display_name.casefold() != (current["display_name"] or "").casefold():
        notes.append(f"Imported name: {prep.display_name}")
    for key, value in incoming.items():
        if not value:
            continue
        if not current[key]:
            updates[key] = value
        elif current[key].casefold() != value.casefold():
            notes.append(f"Imported {_LABELS.get(key, key)}: {value}")
    if p.photo and not current["photo"]:
        updates["photo"] = p.photo
    merged_notes = join_notes(current["notes"] or "", p.notes, *notes, *prep.notes)
    if merged_notes != (current["notes"] or ""):
        updates["notes"] = merged_notes
    updates["updated_at"] = now
    sets = ", ".join(f"{k} = ?" for k in updates)
    cur.execute(f"UPDATE person SET {sets} WHERE id = ?", (*updates.values(), pid))
    have = {
        r[0].lower() for r in cur.execute("SELECT address FROM email WHERE person_id = ?", (pid,))
    }
    cur.executemany(
        "INSERT INTO email(person_id, address, label) VALUES (?, ?, ?)",
        [(pid, e.address, e.label) for e in prep.emails if e.address.lower() not in have],
    )
    have = {r[0] for r in cur.execute("SELECT number FROM phone WHERE person_id = ?", (pid,))}
    cur.executemany(
        "INSERT INTO phone(person_id, number, label) VALUES (?, ?, ?)",
        [(pid, x.number, x.label) for x in prep.phones if x.number not in have],
    )
    have = {
        (n, h.casefold())
        for n, h in cur.execute("SELECT network, handle FROM handle WHERE person_id = ?", (pid,))
    }
    fresh = {
        (h.network.strip().lower(), h.handle.strip())
        for h in p.handles
        if h.handle.strip() and (h.network.strip().lower(), h.handle.strip().casefold()) not in have
    }
    cur.executemany(
        "INSERT INTO handle(person_id, network, handle) VALUES (?, ?, ?)",
        [(pid, n, h) for n, h in sorted(fresh)],
    )
    cur.executemany(
        "INSERT OR IGNORE INTO person_role(person_id, role) VALUES (?, ?)",
        [(pid, r) for r in p.roles if r in ROLES],
    )
    cur.executemany(
        "INSERT OR IGNORE INTO person_tag(person_id, tag_id) VALUES (?, ?)",
        [(pid, tags[t.strip().casefold()]) for t in p.tags if t.strip()],
    )
    if p.consents or p.custom or getattr(item.record, "custom", ()):
        consents_and_custom(cur, pid, item, now)
