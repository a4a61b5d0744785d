"""People and everything hanging off a person: roles, contact points, consents, links."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.models.base import Base, utcnow
from crm.vocab import ROLES  # noqa: F401  (re-exported: crm.models.ROLES)

# SQL that makes a random UUID (RFC 4122 version 4 layout) for person.uid.
UID_DEFAULT = (
    "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || "
    "'-' || lower(hex(randomblob(6))))"
)

CONSENT_KINDS = ("partner sharing", "newsletter", "photos")
RELATIONSHIP_KINDS = (
    "introduced by",
    "works with",
    "mentor of",
    "mentored by",
    "manager of",
    "reports to",
    "friend of",
    "co-organiser with",
)


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (
        # The People table's default order, read straight off this index (no sort step).
        Index(
            "ix_person_active_name",
            text("display_name COLLATE NOCASE"),
            sqlite_where=text("archived_at IS NULL"),
        ),
        # The date sorts, for people not in the Trash (revision 0002).
        Index(
            "ix_person_active_last", "last_interaction_at", sqlite_where=text("archived_at IS NULL")
        ),
        Index(
            "ix_person_active_follow_up", "next_follow_up", sqlite_where=text("archived_at IS NULL")
        ),
        # The few people in the Trash, found without a scan (revision 0006).
        Index("ix_person_archived", "archived_at", sqlite_where=text("archived_at IS NOT NULL")),
        # Never reuse the id of a person deleted for good: audit entries name it.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable identifier for vCard UID (CardDAV servers refuse cards without one);
    # imported cards keep theirs. The database fills it for every insert path.
    uid: Mapped[str] = mapped_column(
        String(200), unique=True, server_default=text(UID_DEFAULT), default=None
    )
    display_name: Mapped[str] = mapped_column(String(300))
    given_name: Mapped[str] = mapped_column(String(150), default="")
    family_name: Mapped[str] = mapped_column(String(150), default="")
    pronouns: Mapped[str] = mapped_column(String(40), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="", index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(120), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    photo: Mapped[bytes | None] = mapped_column(default=None)
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    next_follow_up: Mapped[date | None] = mapped_column(Date)
    # Denormalised from interactions so the People table can sort 100,000 rows instantly.
    last_interaction_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)

    roles: Mapped[list[PersonRole]] = relationship(cascade="all, delete-orphan")
    emails: Mapped[list[Email]] = relationship(cascade="all, delete-orphan", order_by="Email.id")
    phones: Mapped[list[Phone]] = relationship(cascade="all, delete-orphan", order_by="Phone.id")
    handles: Mapped[list[Handle]] = relationship(cascade="all, delete-orphan", order_by="Handle.id")
    consents: Mapped[list[Consent]] = relationship(cascade="all, delete-orphan")


class PersonRole(Base):
    __tablename__ = "person_role"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    __table_args__ = (Index("ix_person_role_role", "role", "person_id"),)


class Email(Base):
    __tablename__ = "email"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(320))
    label: Mapped[str] = mapped_column(String(40), default="")
    __table_args__ = (Index("ix_email_address_lower", "address"),)


class Phone(Base):
    __tablename__ = "phone"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(40))  # E.164 where it could be parsed
    label: Mapped[str] = mapped_column(String(40), default="")


class Handle(Base):
    """A social handle: network (github, mastodon, linkedin, x, discord …) and the handle."""

    __tablename__ = "handle"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    network: Mapped[str] = mapped_column(String(40))
    handle: Mapped[str] = mapped_column(String(200))


class Consent(Base):
    """The current state of one kind of consent; its history lives in the audit log."""

    __tablename__ = "consent"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    granted: Mapped[bool] = mapped_column(default=False)
    recorded_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(200), default="")


class Relationship(Base):
    """A directed link between two people ("A mentor of B")."""

    __tablename__ = "relationship"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    __table_args__ = (UniqueConstraint("person_id", "other_id", "kind"),)


class Tag(Base):
    __tablename__ = "tag"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class PersonTag(Base):
    __tablename__ = "person_tag"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True)
    __table_args__ = (Index("ix_person_tag_tag", "tag_id", "person_id"),)
