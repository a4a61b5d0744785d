"""Events, their agenda and logistics, invitations, and the speaker-outreach pipeline.

Event times are kept as wall-clock times in the event's own time zone (an IANA name),
so a meetup at 18:00 in Berlin stays at 18:00 whatever the zone rules do later;
``starts_utc`` is derived from them by the service and only serves sorting and the
upcoming/past split.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, utcnow
from crm.models.people import UID_DEFAULT

EVENT_KINDS = ("meetup", "webinar", "conference", "workshop", "AMA")
EVENT_STATUSES = ("planning", "announced", "done", "cancelled")
INVITATION_ROLES = ("attendee", "speaker", "host", "panelist", "volunteer")
INVITATION_STATUSES = (
    "not sent",
    "invited",
    "accepted",
    "declined",
    "tentative",
    "attended",
    "no-show",
)
OUTREACH_STAGES = ("identified", "contacted", "interested", "confirmed", "delivered", "declined")


class Event(Base):
    __tablename__ = "event"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # iCalendar UID: never changes, so a re-sent invitation replaces the old one.
    uid: Mapped[str] = mapped_column(
        String(200), unique=True, server_default=text(UID_DEFAULT), default=None
    )
    # iCalendar SEQUENCE: the service raises it on every change that matters to invitees.
    sequence: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30), default="meetup")
    status: Mapped[str] = mapped_column(String(20), default="planning")
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # wall clock in time_zone
    ends_at: Mapped[datetime] = mapped_column(DateTime)  # wall clock in time_zone
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    starts_utc: Mapped[datetime] = mapped_column(DateTime, index=True)
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column(default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("community.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)


class AgendaItem(Base):
    """A time slot of an event's agenda, with its title and (optionally) its speaker."""

    __tablename__ = "agenda_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # wall clock in the event's zone
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    title: Mapped[str] = mapped_column(String(300))
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")


class LogisticsTask(Base):
    """One line of an event's logistics checklist."""

    __tablename__ = "logistics_task"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    position: Mapped[int] = mapped_column(default=0)


class Invitation(Base):
    """One person invited to one event, with their role and RSVP status."""

    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="attendee")
    status: Mapped[str] = mapped_column(String(20), default="not sent")
    invited_at: Mapped[datetime | None] = mapped_column(DateTime)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The "event attendance" interaction logged when attendance was recorded.
    attendance_interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    __table_args__ = (
        UniqueConstraint("event_id", "person_id"),
        Index("ix_invitation_event_status", "event_id", "status"),
        Index("ix_invitation_person", "person_id", "event_id"),
        # The foreign key's ON DELETE SET NULL looks invitations up by this column on
        # every interaction deleted anywhere: without an index each delete scanned all
        # 200,000 invitations (unmarking 1,000 attendees took minutes).
        Index("ix_invitation_attendance", "attendance_interaction_id"),
    )


class Outreach(Base):
    """A card on the speaker-outreach board: a person, a talk topic, a target event."""

    __tablename__ = "outreach"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    topic: Mapped[str] = mapped_column(String(300), default="")
    stage: Mapped[str] = mapped_column(String(20), default="identified", index=True)
    next_step: Mapped[str] = mapped_column(String(300), default="")
    next_step_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    stage_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)


class OutreachMove(Base):
    """One move of an outreach card between stages: its history and the funnel's source."""

    __tablename__ = "outreach_move"
    id: Mapped[int] = mapped_column(primary_key=True)
    outreach_id: Mapped[int] = mapped_column(
        ForeignKey("outreach.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str | None] = mapped_column(String(20))  # None: the card was created
    to_stage: Mapped[str] = mapped_column(String(20))
    moved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Setting(Base):
    """Settings that belong to the database, not the machine (e.g. the organiser's name)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
