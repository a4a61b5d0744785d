"""Partner communities and organisations, and who belongs to them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, utcnow

COMMUNITY_KINDS = ("partner community", "company", "user group", "sponsor", "media")
PARTNERSHIP_STATUSES = ("prospect", "active", "paused", "ended")
MEMBERSHIP_ROLES = ("member", "liaison", "organiser", "sponsor contact")


class Community(Base):
    __tablename__ = "community"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(40), default="partner community")
    status: Mapped[str] = mapped_column(String(20), default="prospect")
    website: Mapped[str] = mapped_column(String(300), default="")
    size: Mapped[int | None] = mapped_column(default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)


class Membership(Base):
    __tablename__ = "membership"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(40), default="member")
    since: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (Index("ix_membership_community", "community_id", "person_id"),)
