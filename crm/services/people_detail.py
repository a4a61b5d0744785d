"""Reading one person whole: profile, links, communities, referrals and custom fields."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import (
    CONSENT_KINDS,
    ROLES,
    Community,
    FieldDef,
    FieldValue,
    Membership,
    Person,
    PersonTag,
    Relationship,
    Tag,
)
from crm.services.people_data import (
    ConsentData,
    EmailData,
    FieldValueData,
    HandleData,
    MembershipData,
    PersonDetail,
    PersonRef,
    PhoneData,
    RelationshipData,
)


def person_detail(s: Session, p: Person) -> PersonDetail:
    """Everything the detail panel shows about one person, read in one session."""
    tags = s.scalars(
        select(Tag.name)
        .join(PersonTag, PersonTag.tag_id == Tag.id)
        .where(PersonTag.person_id == p.id)
        .order_by(Tag.name)
    ).all()
    rels: list[RelationshipData] = []
    for rel, name in s.execute(
        select(Relationship, Person.display_name)
        .join(Person, Person.id == Relationship.other_id)
        .where(Relationship.person_id == p.id)
    ):
        rels.append(RelationshipData(rel.id, rel.kind, rel.other_id, name, True))
    for rel, name in s.execute(
        select(Relationship, Person.display_name)
        .join(Person, Person.id == Relationship.person_id)
        .where(Relationship.other_id == p.id)
    ):
        rels.append(RelationshipData(rel.id, rel.kind, rel.person_id, name, False))
    comms = [
        MembershipData(c.id, c.name, m.role, m.since)
        for m, c in s.execute(
            select(Membership, Community)
            .join(Community, Community.id == Membership.community_id)
            .where(Membership.person_id == p.id)
            .order_by(Community.name)
        )
    ]
    referred_by = None
    if p.referred_by_id is not None:
        ref = s.get(Person, p.referred_by_id)
        if ref is not None:
            referred_by = PersonRef(ref.id, ref.display_name)
    referrals = [
        PersonRef(i, n)
        for i, n in s.execute(
            select(Person.id, Person.display_name)
            .where(Person.referred_by_id == p.id)
            .order_by(Person.display_name)
        )
    ]
    values = dict(
        s.execute(
            select(FieldValue.field_id, FieldValue.text).where(FieldValue.entity_id == p.id)
        ).all()
    )
    custom = [
        FieldValueData(f.id, f.name, f.type, values.get(f.id, ""))
        for f in s.scalars(
            select(FieldDef)
            .where(FieldDef.entity == "person")
            .order_by(FieldDef.position, FieldDef.id)
        )
    ]
    order = {k: i for i, k in enumerate(CONSENT_KINDS)}
    return PersonDetail(
        id=p.id,
        display_name=p.display_name,
        given_name=p.given_name,
        family_name=p.family_name,
        pronouns=p.pronouns,
        organisation=p.organisation,
        title=p.title,
        city=p.city,
        country=p.country,
        time_zone=p.time_zone,
        bio=p.bio,
        notes=p.notes,
        roles=tuple(sorted((r.role for r in p.roles), key=_role_order)),
        emails=tuple(EmailData(e.address, e.label) for e in p.emails),
        phones=tuple(PhoneData(x.number, x.label) for x in p.phones),
        handles=tuple(HandleData(h.network, h.handle) for h in p.handles),
        tags=tuple(tags),
        consents=tuple(
            ConsentData(c.kind, c.granted, c.recorded_on, c.source)
            for c in sorted(p.consents, key=lambda c: order.get(c.kind, 99))
        ),
        relationships=tuple(rels),
        communities=tuple(comms),
        referred_by=referred_by,
        referrals=tuple(referrals),
        custom=tuple(custom),
        next_follow_up=p.next_follow_up,
        last_interaction=p.last_interaction_at,
        created_at=p.created_at,
        archived_at=p.archived_at,
        photo=p.photo,
        uid=p.uid,
    )


def _role_order(role: str) -> int:
    return ROLES.index(role) if role in ROLES else len(ROLES)
