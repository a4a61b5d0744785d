"""Engagement initiatives with their participants, and the content calendar."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, utcnow

INITIATIVE_KINDS = (
    "contest",
    "challenge",
    "campaign",
    "webinar series",
    "ambassador programme",
    "promotion",
)
PARTICIPANT_RESULTS = ("joined", "submitted", "winner")
CONTENT_KINDS = ("blog post", "newsletter", "social post", "video", "docs")
CONTENT_STATUSES = ("idea", "drafting", "review", "scheduled", "published")


class Initiative(Base):
    __tablename__ = "initiative"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: undo restores them
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30), default="campaign")
    starts_on: Mapped[date | None] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date)
    goal: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class InitiativeParticipant(Base):
    __tablename__ = "initiative_participant"
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    result: Mapped[str] = mapped_column(String(20), default="joined")
    joined_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (Index("ix_initiative_participant_person", "person_id", "initiative_id"),)


class InitiativeEvent(Base):
    __tablename__ = "initiative_event"
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class InitiativeContent(Base):
    __tablename__ = "initiative_content"
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True
    )
    content_id: Mapped[int] = mapped_column(
        ForeignKey("content_item.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ContentItem(Base):
    __tablename__ = "content_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="blog post")
    channel: Mapped[str] = mapped_column(String(60), default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    guest_author_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="idea", index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    publish_on: Mapped[date | None] = mapped_column(Date, index=True)
    url: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
