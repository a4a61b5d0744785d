"""The plain, frozen data a person travels in between the service and its callers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class EmailData:
    address: str
    label: str = ""


@dataclass(frozen=True)
class PhoneData:
    number: str
    label: str = ""


@dataclass(frozen=True)
class HandleData:
    network: str
    handle: str


@dataclass(frozen=True)
class ConsentData:
    kind: str
    granted: bool
    recorded_on: date
    source: str = ""


@dataclass(frozen=True)
class PersonInput:
    """What a user can type into the person dialog; validated by PeopleService."""

    given_name: str = ""
    family_name: str = ""
    display_name: str = ""
    pronouns: str = ""
    organisation: str = ""
    title: str = ""
    city: str = ""
    country: str = ""
    time_zone: str = ""
    bio: str = ""
    notes: str = ""
    roles: tuple[str, ...] = ()
    emails: tuple[EmailData, ...] = ()
    phones: tuple[PhoneData, ...] = ()
    handles: tuple[HandleData, ...] = ()
    tags: tuple[str, ...] = ()
    consents: tuple[ConsentData, ...] = ()
    referred_by_id: int | None = None
    next_follow_up: date | None = None
    custom: Mapping[int, str] = field(default_factory=dict)
    photo: bytes | None = None


@dataclass(frozen=True)
class PersonRow:
    """One line of the People table."""

    id: int
    name: str
    roles: tuple[str, ...]
    organisation: str
    communities: tuple[str, ...]
    tags: tuple[str, ...]
    last_interaction: datetime | None
    next_follow_up: date | None
    custom: Mapping[int, str] = field(default_factory=dict)
    archived_at: datetime | None = None


@dataclass(frozen=True)
class RelationshipData:
    id: int
    kind: str
    other_id: int
    other_name: str
    outgoing: bool  # True: "this person <kind> other"; False: "other <kind> this person"


@dataclass(frozen=True)
class MembershipData:
    community_id: int
    community_name: str
    role: str
    since: date | None


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str


@dataclass(frozen=True)
class FieldValueData:
    field_id: int
    name: str
    type: str
    value: str


@dataclass(frozen=True)
class PersonDetail:
    id: int
    display_name: str
    given_name: str
    family_name: str
    pronouns: str
    organisation: str
    title: str
    city: str
    country: str
    time_zone: str
    bio: str
    notes: str
    roles: tuple[str, ...]
    emails: tuple[EmailData, ...]
    phones: tuple[PhoneData, ...]
    handles: tuple[HandleData, ...]
    tags: tuple[str, ...]
    consents: tuple[ConsentData, ...]
    relationships: tuple[RelationshipData, ...]
    communities: tuple[MembershipData, ...]
    referred_by: PersonRef | None
    referrals: tuple[PersonRef, ...]
    custom: tuple[FieldValueData, ...]
    next_follow_up: date | None
    last_interaction: datetime | None
    created_at: datetime
    archived_at: datetime | None
    photo: bytes | None = None
    uid: str = ""  # stable, for vCard UID

    def to_input(self) -> PersonInput:
        """The editable part, to prefill the edit dialog."""
        return PersonInput(
            given_name=self.given_name,
            family_name=self.family_name,
            display_name=self.display_name,
            pronouns=self.pronouns,
            organisation=self.organisation,
            title=self.title,
            city=self.city,
            country=self.country,
            time_zone=self.time_zone,
            bio=self.bio,
            notes=self.notes,
            roles=self.roles,
            emails=self.emails,
            phones=self.phones,
            handles=self.handles,
            tags=self.tags,
            consents=self.consents,
            referred_by_id=self.referred_by.id if self.referred_by else None,
            next_follow_up=self.next_follow_up,
            custom={f.field_id: f.value for f in self.custom},
            photo=self.photo,
        )


@dataclass(frozen=True)
class PeopleQuery:
    """What the People table shows: a filter and a sort."""

    text: str = ""
    role: str | None = None
    tag: str | None = None
    community_id: int | None = None
    archived: bool = False
    sort: str = "name"  # name, roles, organisation, communities, tags,
    # last_interaction, next_follow_up, or field:<id>
    descending: bool = False


@dataclass(frozen=True)
class FieldInfo:
    """A custom field's definition (here, not in fields.py: the People table reads these
    at start-up without importing the ORM models)."""

    id: int
    entity: str
    name: str
    type: str
    choices: tuple[str, ...]
