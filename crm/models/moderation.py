"""Confidential moderation cases. Never exported or reported except as counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, utcnow

SEVERITIES = ("low", "medium", "high", "critical")
MODERATION_ACTIONS = (
    "none",
    "warning",
    "content removed",
    "mute",
    "temporary ban",
    "permanent ban",
)
CASE_STATUSES = ("open", "resolved", "appealed")


class ModerationCase(Base):
    __tablename__ = "moderation_case"
    __table_args__ = (Index("ix_moderation_case_subject", "subject_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(30), default="")
    guideline: Mapped[str] = mapped_column(String(200), default="")
    severity: Mapped[str] = mapped_column(String(10), default="low")
    action: Mapped[str] = mapped_column(String(20), default="none")
    status: Mapped[str] = mapped_column(String(10), default="open")
    notes: Mapped[str] = mapped_column(Text, default="")  # confidential
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
