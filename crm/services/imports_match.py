"""Matching incoming records: against the people in Rapport and against each other.

A record may be someone already in Rapport (same UID, same email ignoring case, same
E.164 phone, or a close name at the same organisation) or a record earlier in the
same import — the same person twice in one file, or once in each of two files.
Both kinds of match are offered the same merge / skip / add choice; merged, the
records of one person in a batch become one new person.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.services.database import Database
from crm.services.imports_clean import Prepared
from crm.services.io.records import ContactRecord

_NAME_CUTOFF = 90.0


@dataclass(frozen=True)
class Match:
    """Who an incoming record may already be: a person in Rapport (person_id), or a
    record earlier in the same import (item: its index in ImportPlan.items)."""

    person_id: int | None
    name: str
    reason: str  # "same UID", "same email", "same phone", "similar name at the same organisation"
    score: float
    item: int | None = None


class Matcher:
    """Everything plan() matches against: the database, read once per plan, and the
    records planned so far in this import (the same person in two files of a batch,
    or twice in one file), matched by UID, email and phone as people are."""

    def __init__(self, db: Database) -> None:
        with db.read() as s:
            cur = s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
            active = "JOIN person p ON p.id = x.person_id WHERE p.archived_at IS NULL"
            self.emails: dict[str, int] = {
                a: i
                for a, i in cur.execute(
                    f"SELECT lower(x.address), x.person_id FROM email x {active}"
                )
            }
            self.phones: dict[str, int] = dict(
                cur.execute(f"SELECT x.number, x.person_id FROM phone x {active}")
            )
            self.uids: dict[str, int] = {}
            self.names: dict[int, str] = {}
            self.orgs: dict[str, tuple[list[str], list[int]]] = {}
            for pid, uid, name, org in cur.execute(
                "SELECT id, uid, display_name, organisation FROM person WHERE archived_at IS NULL"
            ):
                self.uids[uid] = pid
                self.names[pid] = name
                if org:
                    names, ids = self.orgs.setdefault(org.strip().casefold(), ([], []))
                    names.append(name.casefold())
                    ids.append(pid)
            cur.close()
        # The records of this import so far: key → index of the first record with it.
        self.batch_keys: dict[str, int] = {}
        self.batch_names: list[str] = []

    def matches(self, record: ContactRecord, prep: Prepared) -> tuple[Match, ...]:
        """Existing people first (a merge target that outlives the import), then the
        earlier records of this import; the record's own keys join the batch.

        Called once per planned record, in plan order: the n-th call is items[n].
        """
        index = len(self.batch_names)
        self.batch_names.append(prep.display_name)
        uid = record.uid.strip() if record.uid else ""
        keys = self.batch_keys
        # One key space for the batch: "u" UID, "e" email (lower case), "p" E.164 phone.
        own = [f"u{uid}"] if uid else []
        if prep.emails:
            own += ["e" + e.address.lower() for e in prep.emails]
        if prep.phones:
            own += ["p" + ph.number for ph in prep.phones]
        earlier: list[tuple[int, str]] = []
        for key in own:
            first = keys.setdefault(key, index)
            if first != index:
                earlier.append((first, key[0]))
        if not self.names and not earlier:
            return ()  # nothing to match (the first import into an empty database)
        found: dict[int, Match] = {}

        def add(pid: int | None, reason: str, score: float) -> None:
            if pid is not None and pid not in found:
                found[pid] = Match(pid, self.names.get(pid, ""), reason, score)

        if self.names:
            if uid:
                add(self.uids.get(uid), "same UID", 100.0)
            for e in prep.emails:
                add(self.emails.get(e.address.lower()), "same email", 100.0)
            for ph in prep.phones:
                add(self.phones.get(ph.number), "same phone", 100.0)
            org = record.person.organisation.strip().casefold()
            group = self.orgs.get(org) if org else None
            if group:
                from rapidfuzz import fuzz, process

                hit = process.extractOne(
                    prep.display_name.casefold(),
                    group[0],
                    scorer=fuzz.token_sort_ratio,
                    score_cutoff=_NAME_CUTOFF,
                )
                if hit is not None:
                    add(group[1][hit[2]], "similar name at the same organisation", float(hit[1]))
        out = list(found.values())
        seen: set[int] = set()
        for first, kind in sorted(earlier):
            if first not in seen:
                seen.add(first)
                reason = _BATCH_REASONS[kind]
                out.append(Match(None, self.batch_names[first], reason, 100.0, first))
        return tuple(out)


_BATCH_REASONS = {"u": "same UID", "e": "same email", "p": "same phone"}
