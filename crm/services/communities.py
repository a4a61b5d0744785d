"""Partner communities and organisations: their details, members and liaisons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, select, text, update

from crm.models import (
    COMMUNITY_KINDS,
    MEMBERSHIP_ROLES,
    PARTNERSHIP_STATUSES,
    AuditEntry,
    Community,
    FieldDef,
    FieldValue,
    Membership,
    Person,
    utcnow,
)
from crm.services import search, validate
from crm.services.common import ChangeNotifier, NotFound, ValidationError, chunks
from crm.services.database import Database
from crm.services.people_data import FieldValueData
from crm.services.trash import Impact, Others, community_impact


@dataclass(frozen=True)
class CommunityInput:
    name: str
    kind: str = "partner community"
    status: str = "prospect"
    website: str = ""
    size: int | None = None
    notes: str = ""
    custom: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CommunityRow:
    id: int
    name: str
    kind: str
    status: str
    website: str
    size: int | None
    members: int
    liaisons: tuple[str, ...]
    archived_at: datetime | None = None
    custom: Mapping[int, str] = field(default_factory=dict)  # field id -> value


@dataclass(frozen=True)
class MemberData:
    person_id: int
    name: str
    role: str
    since: date | None


@dataclass(frozen=True)
class CommunityDetail:
    id: int
    name: str
    kind: str
    status: str
    website: str
    size: int | None
    notes: str
    members: tuple[MemberData, ...]
    custom: tuple[FieldValueData, ...]
    created_at: datetime
    archived_at: datetime | None

    def to_input(self) -> CommunityInput:
        return CommunityInput(
            self.name,
            self.kind,
            self.status,
            self.website,
            self.size,
            self.notes,
            {f.field_id: f.value for f in self.custom},
        )


_SORTS = {
    "name": "c.name COLLATE NOCASE",
    "kind": "c.kind",
    "status": "c.status",
    "size": "c.size",
    "members": "(SELECT count(*) FROM membership m JOIN person p ON p.id = m.person_id "
    "WHERE m.community_id = c.id AND p.archived_at IS NULL)",
    "website": "nullif(c.website, '') COLLATE NOCASE",
    "liaisons": "(SELECT min(p.display_name) FROM membership m JOIN person p "
    "ON p.id = m.person_id WHERE m.community_id = c.id AND m.role = 'liaison' "
    "AND p.archived_at IS NULL)",
    "archived_at": "c.archived_at",
}


class CommunityService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- reads -----------------------------------------------------------------
    def query_ids(
        self,
        text_query: str = "",
        *,
        archived: bool = False,
        kind: str | None = None,
        sort: str = "name",
        descending: bool = False,
    ) -> list[int]:
        where = ["c.archived_at IS NOT NULL" if archived else "c.archived_at IS NULL"]
        params: dict[str, object] = {}
        match = search.fts_query(text_query)
        if match is not None:
            where.append("c.id IN (SELECT rowid FROM community_fts WHERE community_fts MATCH :m)")
            params["m"] = match
        if kind:
            where.append("c.kind = :kind")
            params["kind"] = kind
        if sort.startswith("field:"):
            expr = (
                f"(SELECT coalesce(fv.number, nullif(fv.text, '')) FROM field_value fv "
                f"WHERE fv.field_id = {int(sort[6:])} AND fv.entity_id = c.id)"
            )
        else:
            expr = _SORTS[sort]
        d = "DESC" if descending else "ASC"
        sql = (
            f"SELECT c.id FROM community c WHERE {' AND '.join(where)} "
            f"ORDER BY ({expr}) IS NULL, {expr} {d}, c.id {d}"
        )
        with self.db.read() as s:
            return [r[0] for r in s.execute(text(sql), params)]

    def rows(self, ids: Sequence[int]) -> list[CommunityRow]:
        out: list[CommunityRow] = []
        with self.db.read() as s:
            for part in chunks(list(ids)):
                marks = ",".join(str(int(i)) for i in part)
                found = {
                    c.id: c for c in s.scalars(select(Community).where(Community.id.in_(part)))
                }
                counts = dict(
                    s.execute(
                        text(
                            "SELECT m.community_id, count(*) FROM membership m JOIN person p "
                            f"ON p.id = m.person_id WHERE m.community_id IN ({marks}) "
                            "AND p.archived_at IS NULL GROUP BY m.community_id"
                        )
                    ).all()
                )
                liaisons: dict[int, list[str]] = {}
                for cid, name in s.execute(
                    text(
                        "SELECT m.community_id, p.display_name FROM membership m JOIN person p "
                        f"ON p.id = m.person_id WHERE m.community_id IN ({marks}) "
                        "AND m.role = 'liaison' AND p.archived_at IS NULL ORDER BY p.display_name"
                    )
                ):
                    liaisons.setdefault(cid, []).append(name)
                custom: dict[int, dict[int, str]] = {}
                for cid, fid, value in s.execute(
                    text(
                        "SELECT fv.entity_id, fv.field_id, fv.text FROM field_value fv "
                        "JOIN field_def fd ON fd.id = fv.field_id AND fd.entity = 'community' "
                        f"WHERE fv.entity_id IN ({marks})"
                    )
                ):
                    custom.setdefault(cid, {})[fid] = value
                for cid in part:
                    c = found.get(cid)
                    if c is None:
                        continue
                    out.append(
                        CommunityRow(
                            c.id,
                            c.name,
                            c.kind,
                            c.status,
                            c.website,
                            c.size,
                            counts.get(cid, 0),
                            tuple(liaisons.get(cid, ())),
                            c.archived_at,
                            dict(custom.get(cid, {})),
                        )
                    )
        return out

    def all_names(self) -> list[tuple[int, str]]:
        with self.db.read() as s:
            return [
                tuple(r)
                for r in s.execute(  # type: ignore[misc]
                    select(Community.id, Community.name)
                    .where(Community.archived_at.is_(None))
                    .order_by(Community.name)
                )
            ]

    def get(self, community_id: int) -> CommunityDetail:
        with self.db.read() as s:
            c = s.get(Community, community_id)
            if c is None:
                raise NotFound(f"No community with id {community_id}")
            members = tuple(
                MemberData(p.id, p.display_name, m.role, m.since)
                for m, p in s.execute(
                    select(Membership, Person)
                    .join(Person, Person.id == Membership.person_id)
                    .where(Membership.community_id == c.id, Person.archived_at.is_(None))
                    .order_by(Membership.role != "liaison", Person.display_name)
                )
            )
            values = dict(
                s.execute(
                    select(FieldValue.field_id, FieldValue.text).where(FieldValue.entity_id == c.id)
                ).all()
            )
            custom = tuple(
                FieldValueData(f.id, f.name, f.type, values.get(f.id, ""))
                for f in s.scalars(
                    select(FieldDef)
                    .where(FieldDef.entity == "community")
                    .order_by(FieldDef.position, FieldDef.id)
                )
            )
            return CommunityDetail(
                c.id,
                c.name,
                c.kind,
                c.status,
                c.website,
                c.size,
                c.notes,
                members,
                custom,
                c.created_at,
                c.archived_at,
            )

    def count(self, archived: bool = False) -> int:
        cond = Community.archived_at.is_not(None) if archived else Community.archived_at.is_(None)
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(Community).where(cond)) or 0

    # ---- writes ----------------------------------------------------------------
    def create(self, data: CommunityInput) -> int:
        with self.db.session() as s:
            clean = self._validate(s, data)
            c = Community(name=clean.name)
            self._apply(c, clean)
            s.add(c)
            s.flush()
            self._write_custom(s, c.id, clean)
            s.add(AuditEntry(action="create", entity="community", entity_id=c.id, detail={}))
            search.reindex_communities(s, [c.id])
            cid = c.id
        self.notifier.emit("communities", ids=[cid])
        return cid

    def update(self, community_id: int, data: CommunityInput) -> None:
        with self.db.session() as s:
            c = s.get(Community, community_id)
            if c is None:
                raise NotFound(f"No community with id {community_id}")
            clean = self._validate(s, data)
            self._apply(c, clean)
            self._write_custom(s, c.id, clean)
            search.reindex_communities(s, [c.id])
        self.notifier.emit("communities", "people", ids=[community_id])

    def _validate(self, s, d: CommunityInput) -> CommunityInput:  # type: ignore[no-untyped-def]
        errors: dict[str, str] = {}
        name = d.name.strip()
        if not name:
            errors["name"] = "A community needs a name."
        if d.kind not in COMMUNITY_KINDS:
            errors["kind"] = f"Unknown kind: {d.kind}"
        if d.status not in PARTNERSHIP_STATUSES:
            errors["status"] = f"Unknown status: {d.status}"
        if d.size is not None and d.size < 0:
            errors["size"] = "Size cannot be negative."
        website = d.website.strip()
        if website and not website.startswith(("http://", "https://")):
            website = "https://" + website
        defs = {f.id: f for f in s.scalars(select(FieldDef).where(FieldDef.entity == "community"))}
        for fid, raw in d.custom.items():
            if (fdef := defs.get(fid)) is not None:
                _, _, err = validate.field_value(fdef.type, raw, fdef.choices)
                if err:
                    errors[f"custom:{fid}"] = f"{fdef.name}: {err}"
        if errors:
            raise ValidationError(errors)
        return CommunityInput(
            name, d.kind, d.status, website, d.size, d.notes.strip(), dict(d.custom)
        )

    @staticmethod
    def _apply(c: Community, d: CommunityInput) -> None:
        c.name, c.kind, c.status = d.name, d.kind, d.status
        c.website, c.size, c.notes = d.website, d.size, d.notes

    @staticmethod
    def _write_custom(s, cid: int, d: CommunityInput) -> None:  # type: ignore[no-untyped-def]
        defs = {f.id: f for f in s.scalars(select(FieldDef).where(FieldDef.entity == "community"))}
        for fid, raw in d.custom.items():
            if (fdef := defs.get(fid)) is None:
                continue
            s.execute(
                delete(FieldValue).where(FieldValue.field_id == fid, FieldValue.entity_id == cid)
            )
            value, number, _ = validate.field_value(fdef.type, raw, fdef.choices)
            if value:
                s.add(FieldValue(field_id=fid, entity_id=cid, text=value, number=number))

    def add_member(
        self,
        community_id: int,
        person_ids: Sequence[int],
        role: str = "member",
        since: date | None = None,
    ) -> None:
        if role not in MEMBERSHIP_ROLES:
            raise ValidationError({"role": f"Unknown membership role: {role}"})
        with self.db.session() as s:
            if s.get(Community, community_id) is None:
                raise NotFound(f"No community with id {community_id}")
            wanted = list(dict.fromkeys(person_ids))
            found: set[int] = set()
            for part in chunks(wanted):
                found.update(s.scalars(select(Person.id).where(Person.id.in_(part))))
            if missing := [p for p in wanted if p not in found]:
                raise NotFound(f"No person with id {missing[0]}")
            for pid in wanted:
                m = s.get(Membership, (pid, community_id))
                if m is None:
                    s.add(
                        Membership(
                            person_id=pid,
                            community_id=community_id,
                            role=role,
                            since=since or date.today(),
                        )
                    )
                else:
                    m.role = role
            s.flush()
        self.notifier.emit("communities", "people", ids=[community_id, *person_ids])

    def remove_member(self, community_id: int, person_ids: Sequence[int]) -> None:
        with self.db.session() as s:
            s.execute(
                delete(Membership).where(
                    Membership.community_id == community_id,
                    Membership.person_id.in_(list(person_ids)),
                )
            )
        self.notifier.emit("communities", "people", ids=[community_id, *person_ids])

    def archive(self, ids: Sequence[int]) -> int:
        return self._set_archived(ids, True)

    def restore(self, ids: Sequence[int]) -> int:
        return self._set_archived(ids, False)

    def _set_archived(self, ids: Sequence[int], archived: bool) -> int:
        with self.db.session() as s:
            cond = (
                Community.archived_at.is_(None) if archived else Community.archived_at.is_not(None)
            )
            res = s.execute(
                update(Community)
                .where(Community.id.in_(list(ids)), cond)
                .values(archived_at=utcnow() if archived else None)
            )
            s.add(
                AuditEntry(
                    action="archive" if archived else "restore",
                    entity="community",
                    detail={"ids": list(ids)},
                )
            )
            n = res.rowcount or 0
        self.notifier.emit("communities", "people", "trash", ids=ids)
        return n

    def purge_impact(self, ids: Sequence[int], others: Others | None = None) -> Impact:
        """What purge(ids) would delete with the communities (memberships) and keep
        without them (the events they host); `others` as for people."""
        with self.db.read() as s:
            return community_impact(s, ids, others)

    def purge(self, ids: Sequence[int]) -> int:
        with self.db.session() as s:
            doomed = s.scalars(
                select(Community.id).where(
                    Community.id.in_(list(ids)), Community.archived_at.is_not(None)
                )
            ).all()
            search.drop_communities(s, doomed)
            s.execute(
                delete(FieldValue).where(
                    FieldValue.entity_id.in_(doomed),
                    FieldValue.field_id.in_(
                        select(FieldDef.id).where(FieldDef.entity == "community")
                    ),
                )
            )
            s.execute(delete(Community).where(Community.id.in_(doomed)))
            s.add(AuditEntry(action="purge", entity="community", detail={"count": len(doomed)}))
        self.notifier.emit("communities", "people", "trash", ids=ids)
        return len(doomed)
