"""What the initiatives service takes and returns (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class InitiativeInput:
    title: str
    kind: str = "campaign"
    starts_on: date | None = None
    ends_on: date | None = None
    goal: str = ""
    description: str = ""
    event_ids: tuple[int, ...] = ()
    content_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class InitiativeRow:
    id: int
    title: str
    kind: str
    starts_on: date | None
    ends_on: date | None
    goal: str
    participants: int
    submitted: int  # submitted or winner
    winners: int

    def phase(self, today: date | None = None) -> str:
        """upcoming, running or ended (undated ones are running)."""
        today = today or date.today()
        if self.starts_on and self.starts_on > today:
            return "upcoming"
        if self.ends_on and self.ends_on < today:
            return "ended"
        return "running"


@dataclass(frozen=True)
class ParticipantData:
    person_id: int
    name: str
    result: str
    joined_on: date | None


@dataclass(frozen=True)
class LinkedItem:
    id: int
    title: str
    when: date | None
    detail: str = ""  # the event's kind, the content's status


@dataclass(frozen=True)
class InitiativeDetail:
    id: int
    title: str
    kind: str
    starts_on: date | None
    ends_on: date | None
    goal: str
    description: str
    participant_count: int  # the people themselves: participant_ids / participant_rows
    winners: int
    events: tuple[LinkedItem, ...]
    content: tuple[LinkedItem, ...]
    created_at: datetime

    def to_input(self) -> InitiativeInput:
        return InitiativeInput(
            self.title,
            self.kind,
            self.starts_on,
            self.ends_on,
            self.goal,
            self.description,
            tuple(e.id for e in self.events),
            tuple(c.id for c in self.content),
        )


@dataclass(frozen=True)
class PersonInitiative:
    id: int
    title: str
    kind: str
    result: str
    starts_on: date | None
