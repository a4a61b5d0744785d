"""People: create, edit, tag, archive to the Trash, restore, delete for good."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from crm.models import (
    CONSENT_KINDS,
    RELATIONSHIP_KINDS,
    ROLES,
    AuditEntry,
    Consent,
    Email,
    FieldDef,
    FieldValue,
    Handle,
    Person,
    PersonRole,
    PersonTag,
    Phone,
    Relationship,
    Tag,
    utcnow,
)
from crm.services import people_query, search, validate
from crm.services.common import ChangeNotifier, NotFound, ValidationError, chunks
from crm.services.database import Database
from crm.services.people_data import (
    ConsentData,
    EmailData,
    HandleData,
    PeopleQuery,
    PersonDetail,
    PersonInput,
    PersonRow,
    PhoneData,
)
from crm.services.people_detail import person_detail
from crm.services.trash import Impact, Others, person_impact


def tag_ids(session: Session, names: Iterable[str]) -> list[int]:
    """Ids of these tags, creating the ones that do not exist yet.

    Tags match without regard to case: typing "Python" reuses an existing "python"
    rather than splitting people across two tags.
    """
    wanted: dict[str, str] = {}
    for n in names:
        if n.strip():
            wanted.setdefault(n.strip().casefold(), n.strip())
    if not wanted:
        return []
    found = {
        name.casefold(): tid
        for name, tid in session.execute(
            select(Tag.name, Tag.id).where(func.lower(Tag.name).in_([k.lower() for k in wanted]))
        )
    }
    for key, name in wanted.items():
        if key not in found:
            tag = Tag(name=name)
            session.add(tag)
            session.flush()
            found[key] = tag.id
    return [found[k] for k in sorted(wanted)]


class PeopleService:
    def __init__(self, db: Database, notifier: ChangeNotifier, phone_region: str | None = None):
        self.db = db
        self.notifier = notifier
        self.phone_region = phone_region

    # ---- reads -----------------------------------------------------------------
    def query_ids(self, q: PeopleQuery) -> list[int]:
        with self.db.read() as s:
            return people_query.query_ids(s, q)

    def rows(self, ids: Sequence[int]) -> list[PersonRow]:
        with self.db.read() as s:
            return people_query.rows(s, ids)

    def count(self, archived: bool = False) -> int:
        cond = Person.archived_at.is_not(None) if archived else Person.archived_at.is_(None)
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(Person).where(cond)) or 0

    def names(self, ids: Iterable[int]) -> dict[int, str]:
        ids = list(ids)
        with self.db.read() as s:
            out: dict[int, str] = {}
            for part in chunks(ids):
                out.update(
                    s.execute(
                        select(Person.id, Person.display_name).where(Person.id.in_(part))
                    ).all()
                )
            return out

    def get(self, person_id: int) -> PersonDetail:
        with self.db.read() as s:
            p = s.get(Person, person_id)
            if p is None:
                raise NotFound(f"No person with id {person_id}")
            return person_detail(s, p)

    # ---- writes ----------------------------------------------------------------
    def create(self, data: PersonInput) -> int:
        with self.db.session() as s:
            clean = self._validate(s, data)
            p = Person(display_name="")
            s.add(p)
            self._apply(s, p, clean)
            s.flush()
            s.add(AuditEntry(action="create", entity="person", entity_id=p.id, detail={}))
            self._audit_consents(s, p.id, {}, clean.consents)
            self._write_children(s, p, clean)
            search.reindex_people(s, [p.id])
            pid = p.id
        self.notifier.emit("people", "tags", ids=[pid])
        return pid

    def update(self, person_id: int, data: PersonInput) -> None:
        with self.db.session() as s:
            p = s.get(Person, person_id)
            if p is None:
                raise NotFound(f"No person with id {person_id}")
            clean = self._validate(s, data, person_id)
            old = {c.kind: (c.granted, c.recorded_on, c.source) for c in p.consents}
            self._audit_consents(s, p.id, old, clean.consents)
            self._apply(s, p, clean)
            self._write_children(s, p, clean)
            search.reindex_people(s, [p.id])
        self.notifier.emit("people", "tags", ids=[person_id])

    def _validate(self, s: Session, d: PersonInput, person_id: int | None = None) -> PersonInput:
        errors: dict[str, str] = {}
        given, family = d.given_name.strip(), d.family_name.strip()
        display = d.display_name.strip() or " ".join(x for x in (given, family) if x)
        if not display:
            errors["name"] = "A person needs a name."
        emails: list[EmailData] = []
        for i, e in enumerate(d.emails):
            if not e.address.strip():
                continue
            addr, err = validate.email(e.address)
            if err:
                errors[f"emails[{i}]"] = err
            else:
                emails.append(EmailData(addr or "", e.label.strip()))
        phones: list[PhoneData] = []
        for i, ph in enumerate(d.phones):
            if not ph.number.strip():
                continue
            num, err = validate.phone(ph.number, self.phone_region)
            if err:
                errors[f"phones[{i}]"] = err
            else:
                phones.append(PhoneData(num or "", ph.label.strip()))
        if err := validate.time_zone(d.time_zone.strip()):
            errors["time_zone"] = err
        bad_roles = [r for r in d.roles if r not in ROLES]
        if bad_roles:
            errors["roles"] = f"Unknown role: {', '.join(bad_roles)}"
        for c in d.consents:
            if c.kind not in CONSENT_KINDS:
                errors["consents"] = f"Unknown consent: {c.kind}"
        if d.referred_by_id is not None:
            if d.referred_by_id == person_id:
                errors["referred_by"] = "A person cannot have referred themselves."
            elif s.get(Person, d.referred_by_id) is None:
                errors["referred_by"] = "The referrer no longer exists."
        defs = {f.id: f for f in s.scalars(select(FieldDef).where(FieldDef.entity == "person"))}
        for fid, raw in d.custom.items():
            fdef = defs.get(fid)
            if fdef is None:
                continue
            _, _, err = validate.field_value(fdef.type, raw, fdef.choices)
            if err:
                errors[f"custom:{fid}"] = f"{fdef.name}: {err}"
        if errors:
            raise ValidationError(errors)
        handles = tuple(
            HandleData(h.network.strip().lower(), h.handle.strip())
            for h in d.handles
            if h.handle.strip()
        )
        return PersonInput(
            given_name=given,
            family_name=family,
            display_name=display,
            pronouns=d.pronouns.strip(),
            organisation=d.organisation.strip(),
            title=d.title.strip(),
            city=d.city.strip(),
            country=d.country.strip(),
            time_zone=d.time_zone.strip(),
            bio=d.bio.strip(),
            notes=d.notes.strip(),
            roles=tuple(dict.fromkeys(d.roles)),
            emails=tuple(emails),
            phones=tuple(phones),
            handles=handles,
            tags=tuple(dict.fromkeys(t.strip() for t in d.tags if t.strip())),
            consents=d.consents,
            referred_by_id=d.referred_by_id,
            next_follow_up=d.next_follow_up,
            custom=dict(d.custom),
            photo=d.photo,
        )

    def _apply(self, s: Session, p: Person, d: PersonInput) -> None:
        for name in (
            "given_name",
            "family_name",
            "display_name",
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
            "photo",
        ):
            setattr(p, name, getattr(d, name))
        p.roles = [PersonRole(role=r) for r in d.roles]
        p.emails = [Email(address=e.address, label=e.label) for e in d.emails]
        p.phones = [Phone(number=x.number, label=x.label) for x in d.phones]
        p.handles = [Handle(network=h.network, handle=h.handle) for h in d.handles]
        p.consents = [
            Consent(kind=c.kind, granted=c.granted, recorded_on=c.recorded_on, source=c.source)
            for c in d.consents
        ]

    def _write_children(self, s: Session, p: Person, d: PersonInput) -> None:
        s.execute(delete(PersonTag).where(PersonTag.person_id == p.id))
        for tid in tag_ids(s, d.tags):
            s.add(PersonTag(person_id=p.id, tag_id=tid))
        defs = {f.id: f for f in s.scalars(select(FieldDef).where(FieldDef.entity == "person"))}
        for fid, raw in d.custom.items():
            fdef = defs.get(fid)
            if fdef is None:
                continue
            s.execute(
                delete(FieldValue).where(FieldValue.field_id == fid, FieldValue.entity_id == p.id)
            )
            value, number, _ = validate.field_value(fdef.type, raw, fdef.choices)
            if value:
                s.add(FieldValue(field_id=fid, entity_id=p.id, text=value, number=number))
        s.flush()

    def _audit_consents(
        self,
        s: Session,
        person_id: int,
        old: dict[str, tuple[bool, date, str]],
        new: Sequence[ConsentData],
    ) -> None:
        """Consent history lives in the audit log: one entry per change of a consent,
        the consent given when the person is created included."""
        for c in new:
            if old.get(c.kind) != (c.granted, c.recorded_on, c.source):
                s.add(
                    AuditEntry(
                        action="consent",
                        entity="person",
                        entity_id=person_id,
                        detail={
                            "kind": c.kind,
                            "granted": c.granted,
                            "recorded_on": c.recorded_on.isoformat(),
                            "source": c.source,
                        },
                    )
                )

    def set_consent(
        self, person_id: int, kind: str, granted: bool, source: str = "", on: date | None = None
    ) -> None:
        detail = self.get(person_id)
        others = [c for c in detail.consents if c.kind != kind]
        data = detail.to_input()
        consent = ConsentData(kind, granted, on or date.today(), source)
        self.update(person_id, _replace(data, consents=(*others, consent)))

    # ---- relationships ---------------------------------------------------------
    def add_relationship(self, person_id: int, other_id: int, kind: str) -> int:
        if kind not in RELATIONSHIP_KINDS:
            raise ValidationError({"kind": f"Unknown relationship: {kind}"})
        if person_id == other_id:
            raise ValidationError({"other": "A person cannot be related to themselves."})
        with self.db.session() as s:
            if s.get(Person, other_id) is None or s.get(Person, person_id) is None:
                raise NotFound("That person no longer exists.")
            exists = s.scalar(
                select(Relationship.id).where(
                    Relationship.person_id == person_id,
                    Relationship.other_id == other_id,
                    Relationship.kind == kind,
                )
            )
            if exists:
                return exists
            rel = Relationship(person_id=person_id, other_id=other_id, kind=kind)
            s.add(rel)
            s.flush()
            rid = rel.id
        self.notifier.emit("people", ids=[person_id, other_id])
        return rid

    def remove_relationship(self, relationship_id: int) -> None:
        with self.db.session() as s:
            rel = s.get(Relationship, relationship_id)
            if rel is None:
                return
            ids = [rel.person_id, rel.other_id]
            s.delete(rel)
        self.notifier.emit("people", ids=ids)

    # ---- bulk actions ----------------------------------------------------------
    def add_tags(self, ids: Sequence[int], names: Iterable[str]) -> None:
        with self.db.session() as s:
            tids = tag_ids(s, names)
            for part in chunks(list(ids)):
                for tid in tids:
                    s.execute(
                        text(
                            "INSERT OR IGNORE INTO person_tag(person_id, tag_id) "
                            f"SELECT id, {tid} FROM person WHERE id IN ({_marks(part)})"
                        )
                    )
            search.reindex_people(s, ids)
        self.notifier.emit("people", "tags", ids=ids)

    def remove_tags(self, ids: Sequence[int], names: Iterable[str]) -> None:
        with self.db.session() as s:
            wanted = [n.strip().lower() for n in names if n.strip()]  # as tag_ids reads them
            tids = s.scalars(select(Tag.id).where(func.lower(Tag.name).in_(wanted))).all()
            for part in chunks(list(ids)):
                s.execute(
                    delete(PersonTag).where(
                        PersonTag.person_id.in_(part), PersonTag.tag_id.in_(tids)
                    )
                )
            search.reindex_people(s, ids)
        self.notifier.emit("people", "tags", ids=ids)

    def set_role(self, ids: Sequence[int], role: str, on: bool = True) -> None:
        if role not in ROLES:
            raise ValidationError({"role": f"Unknown role: {role}"})
        with self.db.session() as s:
            for part in chunks(list(ids)):
                if on:
                    s.execute(
                        text(
                            "INSERT OR IGNORE INTO person_role(person_id, role) "
                            f"SELECT id, :role FROM person WHERE id IN ({_marks(part)})"
                        ),
                        {"role": role},
                    )
                else:
                    s.execute(
                        delete(PersonRole).where(
                            PersonRole.person_id.in_(part), PersonRole.role == role
                        )
                    )
        self.notifier.emit("people", ids=ids)

    # ---- trash -----------------------------------------------------------------
    def archive(self, ids: Sequence[int]) -> int:
        """Move to the Trash; returns how many were archived."""
        n = self._set_archived(ids, archived=True)
        self.notifier.emit("people", "trash", ids=ids)
        return n

    def restore(self, ids: Sequence[int]) -> int:
        n = self._set_archived(ids, archived=False)
        self.notifier.emit("people", "trash", ids=ids)
        return n

    def _set_archived(self, ids: Sequence[int], archived: bool) -> int:
        n = 0
        now = utcnow()
        with self.db.session() as s:
            for part in chunks(list(ids)):
                cond = Person.archived_at.is_(None) if archived else Person.archived_at.is_not(None)
                res = s.execute(
                    update(Person)
                    .where(Person.id.in_(part), cond)
                    .values(archived_at=now if archived else None)
                )
                n += res.rowcount or 0
            s.add(
                AuditEntry(
                    action="archive" if archived else "restore",
                    entity="person",
                    detail={"ids": list(ids)[:1000], "count": n},
                )
            )
        return n

    def purge_impact(self, ids: Sequence[int], others: Others | None = None) -> Impact:
        """What purge(ids) would delete with the people and what it would keep without
        them (crm.services.trash.person_impact); `others`: the ids of other kinds
        deleted in the same go."""
        with self.db.read() as s:
            return person_impact(s, ids, others)

    def purge(self, ids: Sequence[int]) -> int:
        """Delete for good; only people already in the Trash can be purged."""
        n = 0
        with self.db.session() as s:
            for part in chunks(list(ids)):
                doomed = s.scalars(
                    select(Person.id).where(Person.id.in_(part), Person.archived_at.is_not(None))
                ).all()
                if not doomed:
                    continue
                search.drop_people(s, doomed)
                # Interactions whose only participants are going go with them.
                s.execute(
                    text(
                        "DELETE FROM interaction WHERE id IN (SELECT interaction_id "
                        f"FROM participant WHERE person_id IN ({_marks(doomed)})) "
                        "AND id NOT IN (SELECT interaction_id FROM participant "
                        f"WHERE person_id NOT IN ({_marks(doomed)}))"
                    )
                )
                s.execute(
                    delete(FieldValue).where(
                        FieldValue.entity_id.in_(doomed),
                        FieldValue.field_id.in_(
                            select(FieldDef.id).where(FieldDef.entity == "person")
                        ),
                    )
                )
                s.execute(delete(Person).where(Person.id.in_(doomed)))
                n += len(doomed)
            s.add(AuditEntry(action="purge", entity="person", detail={"count": n}))
        self.notifier.emit("people", "trash", "interactions", ids=ids)
        return n


def _marks(ids: Sequence[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


def _replace(data: PersonInput, **changes: object) -> PersonInput:
    from dataclasses import replace

    return replace(data, **changes)  # type: ignore[arg-type]
