"""Duplicate people: finding pairs over the whole database, merging, and undoing a merge.

Finding never compares all pairs (5·10⁹ at 100,000 people): people are blocked by
email, phone and organisation, and names are compared with rapidfuzz only inside
one organisation. A merge moves every row that points at the other person (found
from the schema, see duplicates_rows) and journals JSON snapshots of both people,
so that unmerge can put both back exactly: same ids, same UIDs, same links.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import AuditEntry, MergeRecord, utcnow
from crm.services import duplicates_rows as rows
from crm.services import search
from crm.services.common import ChangeNotifier, NotFound, ServiceError, ValidationError
from crm.services.database import Database
from crm.services.duplicates_clash import settle
from crm.services.imports_clean import join_notes
from crm.services.people_data import PersonRef
from crm.services.similar_names import similar_pairs

_REASONS = (
    "same email",
    "same phone",
    "same name at the same organisation",
    "similar name at the same organisation",
)
# Scalar fields a merge fills when empty; a different value is kept in the notes.
_FILL = ("given_name", "family_name", "pronouns", "organisation", "title", "city", "country")
_FILL += ("time_zone",)


@dataclass(frozen=True)
class DuplicatePair:
    a: PersonRef
    b: PersonRef
    reason: str
    score: float


@dataclass(frozen=True)
class MergeEntry:
    id: int
    at: datetime
    kept: PersonRef
    merged_name: str
    undone_at: datetime | None


def _raw(s: Session) -> sqlite3.Cursor:
    return s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


class DuplicateService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- finding ---------------------------------------------------------------------
    def find(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        limit: int = 1000,
    ) -> list[DuplicatePair]:
        pairs: dict[tuple[int, int], tuple[int, float]] = {}

        def add(a: int, b: int, reason: int, score: float) -> None:
            key = (a, b) if a < b else (b, a)
            if a != b and (key not in pairs or pairs[key][0] > reason):
                pairs[key] = (reason, score)

        def step(done: int) -> None:
            if cancelled is not None and cancelled():
                raise ServiceError("Search for duplicates cancelled")
            if progress is not None:
                progress(done, 4)

        with self.db.read() as s:
            cur = _raw(s)
            active = "JOIN person p ON p.id = x.person_id WHERE p.archived_at IS NULL"
            for reason, sql in (
                (0, f"SELECT lower(x.address), x.person_id FROM email x {active} ORDER BY 1, 2"),
                (1, f"SELECT x.number, x.person_id FROM phone x {active} ORDER BY 1, 2"),
            ):
                step(reason)
                last_key, first = None, 0
                for key, pid in cur.execute(sql):
                    if key == last_key:
                        add(first, pid, reason, 100.0)  # a star, not every pair of a big group
                    else:
                        last_key, first = key, pid
            step(2)
            names: dict[int, str] = {}
            members: list[tuple[int, str, str]] = []
            for pid, name, org in cur.execute(
                "SELECT id, display_name, organisation FROM person WHERE archived_at IS NULL"
            ):
                names[pid] = name
                members.append((pid, org.strip().casefold(), name))
            cur.close()
        step(3)
        similar_pairs(members, add)
        step(4)
        ordered = sorted(pairs.items(), key=lambda kv: (kv[1][0], -kv[1][1], kv[0]))[:limit]
        return [
            DuplicatePair(PersonRef(a, names[a]), PersonRef(b, names[b]), _REASONS[r], score)
            for (a, b), (r, score) in ordered
            if a in names and b in names
        ]

    # ---- merging ---------------------------------------------------------------------
    def merge(self, keep_id: int, other_id: int) -> int:
        """Move everything from other into keep, delete other; returns the journal id."""
        if keep_id == other_id:
            raise ValidationError({"other": "A person cannot be merged with themselves."})
        with self.db.session() as s:
            cur = _raw(s)
            found = dict(
                cur.execute(
                    "SELECT id, display_name FROM person WHERE id IN (?, ?)", (keep_id, other_id)
                ).fetchall()
            )
            for pid in (keep_id, other_id):
                if pid not in found:
                    raise NotFound(f"No person with id {pid}")
            links = rows.links(cur)
            before = {
                "kept": rows.snapshot(cur, keep_id, links),
                "merged": rows.snapshot(cur, other_id, links),
            }
            self._move(cur, keep_id, other_id, links, before)
            rows.audit_consents(s, cur, keep_id, before["kept"], found[other_id])
            search.drop_people(s, [other_id])
            cur.execute(
                "DELETE FROM field_value WHERE entity_id = ? AND field_id IN "
                "(SELECT id FROM field_def WHERE entity = 'person')",
                (other_id,),
            )
            cur.execute("DELETE FROM person WHERE id = ?", (other_id,))
            search.reindex_people(s, [keep_id])
            record = MergeRecord(kept_id=keep_id, merged_id=other_id, before=before)
            s.add(record)
            s.flush()
            s.add(
                AuditEntry(
                    action="merge",
                    entity="person",
                    entity_id=keep_id,
                    detail={
                        "merge_id": record.id,
                        "merged_id": other_id,
                        "merged_name": found[other_id],
                    },
                )
            )
            merge_id = record.id
            cur.close()
        self.notifier.emit("people", "tags", "interactions", "communities", ids=[keep_id, other_id])
        return merge_id

    @staticmethod
    def _move(
        cur: sqlite3.Cursor,
        keep: int,
        other: int,
        links: list[rows.Link],
        before: dict[str, dict],  # type: ignore[type-arg]
    ) -> None:
        k: dict = before["kept"]["person"]  # type: ignore[type-arg]
        o: dict = before["merged"]["person"]  # type: ignore[type-arg]
        sets: dict[str, object] = {}
        notes: list[str] = []
        for col in _FILL:
            if o[col] and not k[col]:
                sets[col] = o[col]
            elif o[col] and str(o[col]).casefold() != str(k[col]).casefold():
                notes.append(f"{col.replace('_', ' ')}: {o[col]}")
        if k["display_name"].casefold() != o["display_name"].casefold():
            notes.insert(0, f"name: {o['display_name']}")
        head = f"Merged from {o['display_name']}" + (f" ({'; '.join(notes)})" if notes else "")
        sets["notes"] = join_notes(k["notes"], head, o["notes"])
        sets["bio"] = join_notes(k["bio"], o["bio"])
        if o["photo"] and not k["photo"]:
            cur.execute(
                "UPDATE person SET photo = (SELECT photo FROM person WHERE id = ?) WHERE id = ?",
                (other, keep),
            )
        if o["referred_by_id"] not in (None, keep) and k["referred_by_id"] is None:
            sets["referred_by_id"] = o["referred_by_id"]
        for col, pick in (("created_at", min), ("last_interaction_at", max)):
            vals = [v for v in (k[col], o[col]) if v is not None]
            if vals:
                sets[col] = pick(vals)
        dates = [v for v in (k["next_follow_up"], o["next_follow_up"]) if v is not None]
        sets["next_follow_up"] = min(dates) if dates else None
        sets["updated_at"] = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
        cur.execute(
            f"UPDATE person SET {', '.join(f'{c} = ?' for c in sets)} WHERE id = ?",
            [*sets.values(), keep],
        )
        # Contact points: only the ones keep does not have yet (the rest go with other).
        cur.execute(
            "UPDATE email SET person_id = ? WHERE person_id = ? AND lower(address) NOT IN "
            "(SELECT lower(address) FROM email WHERE person_id = ?)",
            (keep, other, keep),
        )
        cur.execute(
            "UPDATE phone SET person_id = ? WHERE person_id = ? AND number NOT IN "
            "(SELECT number FROM phone WHERE person_id = ?)",
            (keep, other, keep),
        )
        cur.execute(
            "UPDATE handle SET person_id = ? WHERE person_id = ? AND network || ' ' || "
            "lower(handle) NOT IN (SELECT network || ' ' || lower(handle) FROM handle "
            "WHERE person_id = ?)",
            (keep, other, keep),
        )
        # Consents: the newer recorded_on wins, kind by kind.
        cur.execute(
            "DELETE FROM consent WHERE person_id = ? AND kind IN (SELECT kind FROM consent "
            "WHERE person_id = ? AND recorded_on > (SELECT c.recorded_on FROM consent c "
            "WHERE c.person_id = ? AND c.kind = consent.kind))",
            (keep, other, keep),
        )
        cur.execute("UPDATE OR IGNORE consent SET person_id = ? WHERE person_id = ?", (keep, other))
        # Relationships between the two would become self-links: they go with other.
        cur.execute(
            "UPDATE OR IGNORE relationship SET person_id = ? WHERE person_id = ? AND other_id != ?",
            (keep, other, keep),
        )
        cur.execute(
            "UPDATE OR IGNORE relationship SET other_id = ? WHERE other_id = ? AND person_id != ?",
            (keep, other, keep),
        )
        cur.execute(
            "UPDATE person SET referred_by_id = ? WHERE referred_by_id = ? AND id != ?",
            (keep, other, keep),
        )
        custom = cur.execute(
            "SELECT d.name, o.text FROM field_value o JOIN field_value k ON k.field_id = "
            "o.field_id AND k.entity_id = ? JOIN field_def d ON d.id = o.field_id "
            "WHERE o.entity_id = ? AND d.entity = 'person' AND o.text != k.text",
            (keep, other),
        ).fetchall()
        if custom:
            extra = "; ".join(f"{n}: {t}" for n, t in custom)
            cur.execute(
                "UPDATE person SET notes = notes || ? WHERE id = ?",
                (f"\nMerged from {o['display_name']}: {extra}", keep),
            )
        special = {"email", "phone", "handle", "consent", "relationship"}
        # Rows both people hold once (the same event, note, initiative): one stays.
        # field_value's link is no foreign key and spans other entities: as above.
        settle(cur, keep, other, [x for x in links if x.table not in {*special, "field_value"}])
        for link in links:
            if link.table in special:
                continue
            where = rows._where(link).replace("?", str(int(other)))
            cur.execute(
                f'UPDATE OR IGNORE "{link.table}" SET "{link.column}" = {int(keep)} WHERE {where}'
            )

    # ---- undoing ---------------------------------------------------------------------
    def unmerge(self, merge_id: int) -> None:
        from crm.services.duplicates_undo import restore

        with self.db.session() as s:
            record = s.get(MergeRecord, merge_id)
            if record is None:
                raise NotFound(f"No merge with id {merge_id}")
            if record.undone_at is not None:
                raise ServiceError(f"That merge was already undone on {record.undone_at:%Y-%m-%d}")
            cur = _raw(s)
            consents = rows.as_dicts(
                cur, "SELECT * FROM consent WHERE person_id = ?", record.kept_id
            )
            restore(cur, record.kept_id, record.merged_id, record.before)
            name = ((record.before.get("merged") or {}).get("person") or {}).get("display_name", "")
            rows.audit_consents(
                s, cur, record.kept_id, {"tables": {"consent.person_id": consents}}, name, "unmerge"
            )
            search.reindex_people(s, [record.kept_id, record.merged_id])
            record.undone_at = utcnow()
            s.add(
                AuditEntry(
                    action="unmerge",
                    entity="person",
                    entity_id=record.kept_id,
                    detail={"merge_id": merge_id, "restored_id": record.merged_id},
                )
            )
            ids = [record.kept_id, record.merged_id]
            cur.close()
        self.notifier.emit("people", "tags", "interactions", "communities", ids=ids)

    def journal(self, limit: int = 100) -> list[MergeEntry]:
        with self.db.read() as s:
            records = s.scalars(
                select(MergeRecord).order_by(MergeRecord.id.desc()).limit(limit)
            ).all()
            ids = {r.kept_id for r in records}
            cur = _raw(s)
            marks = ",".join("?" * len(ids))
            current = (
                dict(
                    cur.execute(
                        f"SELECT id, display_name FROM person WHERE id IN ({marks})", list(ids)
                    )
                )
                if ids
                else {}
            )
            cur.close()
            out = []
            for r in records:
                before = r.before if isinstance(r.before, dict) else json.loads(r.before)
                kept_then = (before.get("kept") or {}).get("person") or {}
                merged_then = (before.get("merged") or {}).get("person") or {}
                name = current.get(r.kept_id, kept_then.get("display_name", ""))
                out.append(
                    MergeEntry(
                        r.id,
                        r.at,
                        PersonRef(r.kept_id, name),
                        merged_then.get("display_name", ""),
                        r.undone_at,
                    )
                )
            return out

    def snapshot(self, person_id: int) -> dict[str, object]:
        """The person with every row hanging off them, as a merge journals it (for checks)."""
        with self.db.read() as s:
            cur = _raw(s)
            snap = rows.snapshot(cur, person_id, rows.links(cur))
            cur.close()
            if snap["person"] is None:
                raise NotFound(f"No person with id {person_id}")
            return snap
