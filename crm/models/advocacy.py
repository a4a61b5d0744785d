"""Advocacy notes (what members voice, carried to a department) and department tasks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, utcnow

ADVOCACY_KINDS = ("request", "pain point", "bug", "praise")
DEPARTMENTS = ("product", "marketing", "support", "engineering", "leadership")
ADVOCACY_STATUSES = ("open", "shared", "acknowledged", "planned", "shipped", "declined")
TASK_STATUSES = ("open", "in progress", "blocked", "done")


class AdvocacyNote(Base):
    __tablename__ = "advocacy_note"
    __table_args__ = (
        Index("ix_advocacy_note_status", "status", "department"),
        # The Advocacy page lists notes by last change: read off this index, not sorted.
        Index("ix_advocacy_note_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="request")
    details: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(String(20), default="product")
    status: Mapped[str] = mapped_column(String(20), default="open")
    ticket_url: Mapped[str] = mapped_column(String(500), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")  # what was told back to members
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class AdvocacyStep(Base):
    """The date a note reached a status: its history (open on creation, then each move)."""

    __tablename__ = "advocacy_step"
    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("advocacy_note.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)


class AdvocacyVoice(Base):
    """A member behind a note; a note's weight is the number of its voices."""

    __tablename__ = "advocacy_voice"
    note_id: Mapped[int] = mapped_column(
        ForeignKey("advocacy_note.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    added_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (Index("ix_advocacy_voice_person", "person_id", "note_id"),)


class DepartmentTask(Base):
    """Work handed to another department, optionally for an advocacy note or an event."""

    __tablename__ = "department_task"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    department: Mapped[str] = mapped_column(String(20), default="product")
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("advocacy_note.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
