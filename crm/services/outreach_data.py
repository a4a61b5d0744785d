"""What the outreach service takes and returns: plain frozen dataclasses, no ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crm.models.events import OUTREACH_STAGES

# The pipeline in order; "declined" sits apart (reachable from any stage).
PIPELINE = OUTREACH_STAGES[:-1]
DECLINED = "declined"
# Stages where a card's next step no longer counts as overdue: the work is over.
CLOSED = ("delivered", DECLINED)


@dataclass(frozen=True)
class CardInput:
    person_id: int | None
    topic: str = ""
    event_id: int | None = None
    next_step: str = ""
    next_step_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class Card:
    """One card as the board shows it."""

    id: int
    person_id: int
    person_name: str
    topic: str
    event_id: int | None
    event_title: str
    stage: str
    next_step: str
    next_step_on: date | None
    overdue: bool
    stage_changed_at: datetime


@dataclass(frozen=True)
class Move:
    from_stage: str | None  # None: the card was created in to_stage
    to_stage: str
    moved_at: datetime


@dataclass(frozen=True)
class CardDetail:
    id: int
    person_id: int
    person_name: str
    topic: str
    event_id: int | None
    event_title: str
    stage: str
    next_step: str
    next_step_on: date | None
    notes: str
    stage_changed_at: datetime
    created_at: datetime
    archived_at: datetime | None
    moves: tuple[Move, ...]

    def to_input(self) -> CardInput:
        return CardInput(
            self.person_id,
            self.topic,
            self.event_id,
            self.next_step,
            self.next_step_on,
            self.notes,
        )


@dataclass(frozen=True)
class StageFunnel:
    """How many cards ever reached a stage, how many sit in it now, and the rate onward.

    A card that skipped a stage (identified straight to interested) counts as having
    passed it: a funnel never widens. rate_to_next is None for the last stage and when
    nobody reached this one.
    """

    stage: str
    reached: int
    current: int
    rate_to_next: float | None


@dataclass(frozen=True)
class Conversion:
    stages: tuple[StageFunnel, ...]
    declined: int  # cards declined now
    declined_from: dict[str, int]  # stage the declined cards left from -> how many
    total: int  # cards on the board


@dataclass(frozen=True)
class EventChoice:
    id: int
    title: str
    starts_at: datetime
    past: bool
    cards: int = 0  # cards aiming at it (board_events only)

    @property
    def label(self) -> str:
        return f"{self.title} ({self.starts_at.isoformat()[:10]})"


@dataclass(frozen=True)
class Talk:
    """An agenda item the person speaks in."""

    agenda_item_id: int
    title: str
    starts_at: datetime
    event_id: int
    event_title: str


@dataclass(frozen=True)
class ArchivedCard:
    id: int
    person_name: str
    topic: str
    stage: str
    archived_at: datetime
    event_title: str = ""  # the event it aimed at (archived or not), "" for none
