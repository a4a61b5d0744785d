"""Writing an import plan: new people in bulk, matched ones merged, one transaction.

New people go in with executemany on the session's own DBAPI connection, their ids
handed out in one go from the table's sequence, because per-row ORM work would cost
ten times the 20 µs a row may take. Merges into existing people are few and go one
by one. The caller's `with db.session()` commits or, on any exception (cancel
included), rolls everything back.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from crm.models import ROLES, utcnow
from crm.services import search, validate
from crm.services.common import ServiceError, chunks
from crm.services.imports_clean import Cleaner, Prepared, join_notes
from crm.services.imports_merge import bad_zone_note, consents_and_custom, merge_into
from crm.services.people import tag_ids

if TYPE_CHECKING:
    from crm.services.imports import ImportPlan, PlannedRecord

_BATCH = 5000
_BULK_MIN = 20_000  # new people from which indexes are dropped and rebuilt at the end
_BULK_TABLES = ("person", "email", "phone", "handle", "person_role", "person_tag")
# Every table an import writes that has foreign keys: checked before the commit of a
# bulk load, which runs with foreign-key enforcement off.
_LINKED_TABLES = (*_BULK_TABLES, "consent", "field_value")
# The RFC 4122 variant nibble (8, 9, a or b) from any random hex digit.
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


@dataclass(frozen=True)
class Outcome:
    added: int
    merged: int
    skipped: int
    person_ids: tuple[int, ...]


class _Steps:
    """Progress and cancel between batches; cancel raises inside the transaction."""

    def __init__(self, total: int, progress, cancelled) -> None:  # type: ignore[no-untyped-def]
        self.total, self.done = max(total, 1), 0
        self.progress: Callable[[int, int], None] | None = progress
        self.cancelled: Callable[[], bool] | None = cancelled

    def step(self, n: int) -> None:
        from crm.services.imports import CANCELLED

        self.done = min(self.total, self.done + n)
        if self.cancelled is not None and self.cancelled():
            raise ServiceError(CANCELLED)
        if self.progress is not None:
            self.progress(self.done, self.total)


def _stamp() -> str:
    return utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")


def apply(
    s: Session,
    plan: ImportPlan,
    decisions: Mapping[int, str],
    default: str,
    name_default: str,
    cleaner: Cleaner,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> Outcome:
    raw: sqlite3.Connection = s.connection().connection.driver_connection  # type: ignore[assignment]
    cur = raw.cursor()
    steps = _Steps(len(plan.items), progress, cancelled)
    steps.step(0)
    adds: list[tuple[PlannedRecord, Prepared]] = []
    # (target, item, prepared); target as in `went` below.
    merges: list[tuple[int, PlannedRecord, Prepared]] = []
    skipped = 0
    targets = {it.matches[0].person_id for it in plan.items if it.matches}
    alive = _existing(cur, sorted(t for t in targets if t is not None))
    # Where each record went: an existing id, -1 - k for the k-th new person, None skipped.
    went: list[int | None] = []
    for i, item in enumerate(plan.items):
        prep = item.prepared or cleaner.prepare(item.record)
        if not item.matches and prep.__class__ is Prepared:  # most records: a new person
            went.append(-1 - len(adds))
            adds.append((item, prep))
            continue
        if isinstance(prep, str):  # a plan built by hand, not by ImportService.plan
            raise ServiceError(f"{item.file}:{item.record.line}: {prep}")
        if not item.matches:
            choice = "add"
        elif i in decisions:
            choice = decisions[i]
        else:  # a match by name alone takes its own default (add: two people)
            choice = name_default if all(m.by_name for m in item.matches) else default
        target: int | None = None
        if choice == "merge":
            m = item.matches[0]
            if m.item is not None:
                # The same person earlier in this import: wherever that record went.
                target = went[m.item] if 0 <= m.item < i else None
            elif m.person_id in alive:
                target = m.person_id
            if target is None:
                choice = "add"  # the matched person was deleted, or that record skipped
        if choice == "skip":
            skipped += 1
            went.append(None)
        elif choice == "merge":
            assert target is not None
            merges.append((target, item, prep))
            went.append(target)
        else:
            went.append(-1 - len(adds))
            adds.append((item, prep))
    # Before anything is written: a bulk load turns foreign-key checks off, which SQLite
    # only allows outside a transaction.
    bulk, links_unchecked = _bulk_mode(s, cur, len(adds))
    try:
        tags = _tag_map(
            s,
            {t for tags in {it.record.person.tags for it, _ in adds} for t in tags}
            | {t for _, it, _ in merges for t in it.record.person.tags},
        )
        now = _stamp()
        new_ids, docs, slow = _add(cur, adds, tags, now, steps)
        if bulk is not None:
            bulk.restore()  # the indexes come back before anything reads through them
            bulk.fts_load_mode(["person_fts"], on=True)
        _index_new(s, cur, docs, slow)
        if bulk is not None:
            bulk.fts_load_mode(["person_fts"], on=False)
    finally:
        # On an error the rollback brings back the indexes and the FTS setting (both
        # are stored in the database); only the connection's cache size is reset here.
        if bulk is not None:
            bulk.close()
    merged_ids: list[int] = []
    for n, (target, item, prep) in enumerate(merges, 1):
        pid = new_ids[-1 - target] if target < 0 else target
        merge_into(cur, pid, item, prep, tags, now)
        merged_ids.append(pid)
        if n % 200 == 0:
            steps.step(200)
    touched = list(dict.fromkeys([*new_ids, *merged_ids]))
    search.reindex_people(s, list(dict.fromkeys(merged_ids)))
    cur.execute(
        "INSERT INTO audit_log(at, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?)",
        (
            now,
            "import",
            "person",
            None,
            json.dumps(
                {
                    "files": sorted({it.file for it in plan.items}),
                    "added": len(new_ids),
                    "merged": len(merges),
                    "skipped": skipped,
                    "rejected": len(plan.rejected),
                },
                ensure_ascii=False,
            ),
        ),
    )
    if links_unchecked:
        _check_links(cur)
    steps.step(steps.total)
    cur.close()
    return Outcome(len(new_ids), len(merges), skipped, tuple(touched))


def _bulk_mode(s: Session, cur: sqlite3.Cursor, adding: int):  # type: ignore[no-untyped-def]
    """For big loads, drop the secondary indexes now and build them once at the end;
    (the Writer or None, whether foreign-key checks were turned off).

    Worth it only when the load is large next to what is already there: rebuilding
    an index reads the whole table. SQLite DDL is transactional, so a rollback
    brings the indexes back together with the rows.
    """
    from crm.services.demo.bulk import Writer

    if adding < _BULK_MIN:
        return None, False
    (existing,) = cur.execute("SELECT count(*) FROM person").fetchone()
    if adding < existing:
        return None, False
    writer = Writer(s, adding, None, None)
    links_unchecked = not writer.raw.in_transaction
    if links_unchecked:
        # Ids are handed out here, so every link is valid by construction: checking
        # each child row's person as it goes in costs ~15 % of their inserts; one
        # PRAGMA foreign_key_check before the commit costs a fraction of that. The
        # pragma only takes effect outside a transaction; the caller turns it back on
        # once the transaction is over (ImportService.apply).
        cur.execute("PRAGMA foreign_keys = OFF")
        # sqlite3 opens its transaction lazily, at the first INSERT; DDL does not open
        # one, and a DROP INDEX outside a transaction would be committed at once.
        cur.execute("BEGIN")
    writer.suspend("index", _BULK_TABLES)
    return writer, links_unchecked


def _check_links(cur: sqlite3.Cursor) -> None:
    """Refuse to commit a load that left a dangling link (a bug, never the file's fault)."""
    for table in _LINKED_TABLES:
        bad = cur.execute(f'PRAGMA foreign_key_check("{table}")').fetchone()
        if bad is not None:
            raise ServiceError(
                f"Import stopped: a {bad[0]} row would point at a missing {bad[2]} "
                "(nothing was changed)"
            )


def fresh_uids(n: int) -> list[str]:
    """n random UUIDs (version 4 layout, as the column's SQL default makes them).

    Made in Python from one os.urandom call (~1 µs each) rather than by the SQL
    expression default on every row, which costs three times that inside the insert.
    """
    h = os.urandom(16 * n).hex()
    v = _VARIANT
    return [
        f"{h[k : k + 8]}-{h[k + 8 : k + 12]}-4{h[k + 13 : k + 16]}-"
        f"{v[h[k + 16]]}{h[k + 17 : k + 20]}-{h[k + 20 : k + 32]}"
        for k in range(0, 32 * n, 32)
    ]


def _index_new(
    s: Session, cur: sqlite3.Cursor, docs: list[tuple[object, ...]], slow: list[int]
) -> None:
    """Search documents of the new people, built from what was just written.

    The same documents search.reindex_people builds in SQL (a test holds the two
    equal), without its per-person subqueries: at 100,000 people this halves the cost.
    """
    if docs:
        cur.executemany(
            "INSERT INTO person_fts(rowid, name, emails, organisation, handles, tags, notes, "
            "custom) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            docs,
        )
    search.reindex_people(s, slow)


def _existing(cur: sqlite3.Cursor, ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for part in chunks(ids):
        marks = ",".join("?" * len(part))
        found.update(
            r[0] for r in cur.execute(f"SELECT id FROM person WHERE id IN ({marks})", part)
        )
    return found


def _tag_map(s: Session, names: Iterable[str]) -> dict[str, int]:
    """casefolded name → tag id, creating missing tags (as people.tag_ids does)."""
    first: dict[str, str] = {}
    for n in sorted(names):  # sorted: the same spelling wins whatever the set's order
        if n.strip():
            first.setdefault(n.strip().casefold(), n.strip())
    keys = sorted(first)
    return dict(zip(keys, tag_ids(s, [first[k] for k in keys]), strict=True))


def _add(
    cur: sqlite3.Cursor,
    adds: list[tuple[PlannedRecord, Prepared]],
    tags: dict[str, int],
    now: str,
    steps: _Steps,
) -> tuple[list[int], list[tuple[object, ...]], list[int]]:
    """Insert the new people; their ids, search documents, and who needs the slow index."""
    docs: list[tuple[object, ...]] = []
    slow: list[int] = []
    if not adds:
        return [], docs, slow
    seq = cur.execute("SELECT seq FROM sqlite_sequence WHERE name = 'person'").fetchone()
    top = cur.execute("SELECT max(id) FROM person").fetchone()[0]
    base = max(seq[0] if seq else 0, top or 0)
    wanted = [it.record.uid for it, _ in adds if it.record.uid]
    taken: set[str] = set()
    for part in chunks(wanted):
        marks = ",".join("?" * len(part))
        taken.update(
            r[0] for r in cur.execute(f"SELECT uid FROM person WHERE uid IN ({marks})", part)
        )
    cols = (
        "id, display_name, given_name, family_name, pronouns, organisation, title, city, "
        "country, time_zone, bio, notes, photo, next_follow_up, created_at, updated_at"
    )
    marks = ",".join("?" * 16)
    ids: list[int] = []
    # Files repeat the same few tag lists: each is resolved once, to its ids and to the
    # text of its search document (names in tag id order, as group_concat reads them).
    tag_sets: dict[tuple[str, ...], tuple[list[int], str]] = {}
    tag_names = dict(cur.execute("SELECT id, name FROM tag")) if tags else {}
    for start in range(0, len(adds), _BATCH):
        people: list[tuple[object, ...]] = []
        uids = iter(fresh_uids(len(adds[start : start + _BATCH])))
        emails: list[tuple[int, str, str]] = []
        phones: list[tuple[int, str, str]] = []
        handles: list[tuple[int, str, str]] = []
        roles: list[tuple[int, str]] = []
        person_tags: list[tuple[int, int]] = []
        for n, (item, prep) in enumerate(adds[start : start + _BATCH], base + start + 1):
            rec = item.record
            p = rec.person
            named = rec.custom  # custom values by field name (CSV)
            given, family, org = p.given_name.strip(), p.family_name.strip(), p.organisation.strip()
            title, city, country = p.title.strip(), p.city.strip(), p.country.strip()
            zone, bio, pronouns = p.time_zone.strip(), p.bio.strip(), p.pronouns.strip()
            bad_zone = bool(zone) and validate.time_zone(zone) is not None
            if prep.notes or bad_zone:
                notes = join_notes(p.notes, "\n".join(prep.notes), bad_zone_note(zone))
            else:
                notes = p.notes.strip()
            uid = rec.uid.strip() if rec.uid else ""
            if uid and uid not in taken and len(uid) <= 200:
                taken.add(uid)
            else:
                uid = next(uids)
            people.append(
                (
                    n,
                    prep.display_name,
                    given,
                    family,
                    pronouns,
                    org,
                    title,
                    city,
                    country,
                    "" if bad_zone else zone,
                    bio,
                    notes,
                    p.photo,
                    p.next_follow_up.isoformat() if p.next_follow_up else None,
                    now,
                    now,
                    uid,
                )
            )
            if prep.emails:
                emails += [(n, e.address, e.label) for e in prep.emails]
            if prep.phones:
                phones += [(n, x.number, x.label) for x in prep.phones]
            if p.handles:
                handles += [
                    (n, h.network.strip().lower(), h.handle.strip())
                    for h in p.handles
                    if h.handle.strip()
                ]
            if p.roles:
                roles += [(n, r) for r in dict.fromkeys(p.roles) if r in ROLES]
            tag_set = tag_sets.get(p.tags)
            if tag_set is None:
                tids = sorted(
                    dict.fromkeys(tags[t.strip().casefold()] for t in p.tags if t.strip())
                )
                tag_set = tag_sets[p.tags] = (tids, " ".join(tag_names[t] for t in tids))
            tids = tag_set[0]
            if tids:
                person_tags += [(n, t) for t in tids]
            if p.consents or p.custom or named:
                consents_and_custom(cur, n, item, now)
            if p.custom or named:
                slow.append(n)
            else:
                docs.append(
                    (
                        n,
                        f"{prep.display_name} {given} {family}",
                        prep.emails[0].address
                        if len(prep.emails) == 1
                        else " ".join([e.address for e in prep.emails]),
                        f"{org} {title} {city} {country}",
                        " ".join(f"{net} {h}" for _, net, h in handles[len(handles) - nh :])
                        if p.handles and (nh := sum(1 for h in p.handles if h.handle.strip()))
                        else "",
                        tag_set[1],
                        f"{notes} {bio} {pronouns}",
                        "",
                    )
                )
            ids.append(n)
        cur.executemany(f"INSERT INTO person({cols}, uid) VALUES ({marks}, ?)", people)
        cur.executemany("INSERT INTO email(person_id, address, label) VALUES (?, ?, ?)", emails)
        cur.executemany("INSERT INTO phone(person_id, number, label) VALUES (?, ?, ?)", phones)
        cur.executemany("INSERT INTO handle(person_id, network, handle) VALUES (?, ?, ?)", handles)
        cur.executemany("INSERT OR IGNORE INTO person_role(person_id, role) VALUES (?, ?)", roles)
        cur.executemany(
            "INSERT OR IGNORE INTO person_tag(person_id, tag_id) VALUES (?, ?)", person_tags
        )
        steps.step(len(people))
    return ids, docs, slow
