"""Every touch with a person: meetings, calls, messages, intros, notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, utcnow

INTERACTION_KINDS = (
    "meeting",
    "call",
    "email",
    "message",
    "event attendance",
    "intro",
    "note",
    "contribution",
)
CHANNELS = ("in person", "video", "phone", "email", "slack", "discord", "forum", "social", "other")
DIRECTIONS = ("inbound", "outbound", "mutual")
# Sentiment from -2 (very negative) to +2 (very positive).
SENTIMENTS = {-2: "very negative", -1: "negative", 0: "neutral", 1: "positive", 2: "very positive"}


class Interaction(Base):
    __tablename__ = "interaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    channel: Mapped[str] = mapped_column(String(30), default="")
    direction: Mapped[str] = mapped_column(String(20), default="mutual")
    sentiment: Mapped[int] = mapped_column(SmallInteger, default=0)
    summary: Mapped[str] = mapped_column(String(500))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The Dashboard's counts per kind and time range (revision 0007).
    __table_args__ = (Index("ix_interaction_kind_time", "kind", "occurred_at"),)


class Participant(Base):
    __tablename__ = "participant"
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    __table_args__ = (Index("ix_participant_person", "person_id", "interaction_id"),)
