"""The interaction history: logging touches and reading a person's timeline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from crm.models import (
    DIRECTIONS,
    INTERACTION_KINDS,
    SENTIMENTS,
    Interaction,
    Participant,
    Person,
)
from crm.services.common import (
    ChangeNotifier,
    NotFound,
    ValidationError,
    as_datetime,
    chunks,
)
from crm.services.database import Database


@dataclass(frozen=True)
class InteractionInput:
    kind: str
    occurred_at: datetime
    participant_ids: tuple[int, ...]
    summary: str
    channel: str = ""
    direction: str = "mutual"
    sentiment: int = 0
    details: str = ""


@dataclass(frozen=True)
class InteractionRow:
    id: int
    kind: str
    occurred_at: datetime
    channel: str
    direction: str
    sentiment: int
    summary: str
    details: str
    participants: tuple[tuple[int, str], ...]


class InteractionService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    def log(self, data: InteractionInput) -> int:
        with self.db.session() as s:
            clean = self._validate(s, data)
            row = Interaction(
                kind=clean.kind,
                occurred_at=clean.occurred_at,
                channel=clean.channel,
                direction=clean.direction,
                sentiment=clean.sentiment,
                summary=clean.summary,
                details=clean.details,
            )
            s.add(row)
            s.flush()
            s.add_all(
                Participant(interaction_id=row.id, person_id=p) for p in clean.participant_ids
            )
            s.flush()
            refresh_last_interaction(s, clean.participant_ids)
            iid = row.id
        self.notifier.emit("interactions", "people", ids=clean.participant_ids)
        return iid

    def update(self, interaction_id: int, data: InteractionInput) -> None:
        with self.db.session() as s:
            row = s.get(Interaction, interaction_id)
            if row is None:
                raise NotFound(f"No interaction with id {interaction_id}")
            clean = self._validate(s, data)
            before = s.scalars(
                select(Participant.person_id).where(Participant.interaction_id == row.id)
            ).all()
            for name in (
                "kind",
                "occurred_at",
                "channel",
                "direction",
                "sentiment",
                "summary",
                "details",
            ):
                setattr(row, name, getattr(clean, name))
            s.execute(delete(Participant).where(Participant.interaction_id == row.id))
            s.add_all(
                Participant(interaction_id=row.id, person_id=p) for p in clean.participant_ids
            )
            s.flush()
            touched = sorted(set(before) | set(clean.participant_ids))
            refresh_last_interaction(s, touched)
        self.notifier.emit("interactions", "people", ids=touched)

    def delete(self, interaction_id: int) -> None:
        with self.db.session() as s:
            row = s.get(Interaction, interaction_id)
            if row is None:
                return
            people = s.scalars(
                select(Participant.person_id).where(Participant.interaction_id == row.id)
            ).all()
            s.delete(row)
            s.flush()
            refresh_last_interaction(s, people)
        self.notifier.emit("interactions", "people", ids=people)

    def _validate(self, s: Session, d: InteractionInput) -> InteractionInput:
        errors: dict[str, str] = {}
        if d.kind not in INTERACTION_KINDS:
            errors["kind"] = f"Unknown kind: {d.kind}"
        if d.direction not in DIRECTIONS:
            errors["direction"] = f"Unknown direction: {d.direction}"
        if d.sentiment not in SENTIMENTS:
            errors["sentiment"] = "Sentiment goes from -2 to +2."
        summary = d.summary.strip()
        if not summary:
            errors["summary"] = "Say in a few words what happened."
        elif len(summary) > 500:
            errors["summary"] = "Keep the summary under 500 characters; use details for more."
        people = tuple(dict.fromkeys(d.participant_ids))
        if not people:
            errors["participants"] = "Choose at least one person."
        else:
            found = set(s.scalars(select(Person.id).where(Person.id.in_(people))).all())
            if missing := [p for p in people if p not in found]:
                errors["participants"] = f"No such person: {missing[0]}"
        if errors:
            raise ValidationError(errors)
        return InteractionInput(
            kind=d.kind,
            occurred_at=_naive_utc(d.occurred_at).replace(microsecond=0),
            participant_ids=people,
            summary=summary,
            channel=d.channel.strip(),
            direction=d.direction,
            sentiment=d.sentiment,
            details=d.details.strip(),
        )

    # ---- reads -----------------------------------------------------------------
    def timeline_count(self, person_id: int) -> int:
        with self.db.read() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(Participant)
                    .where(Participant.person_id == person_id)
                )
                or 0
            )

    def timeline(self, person_id: int, offset: int = 0, limit: int = 50) -> list[InteractionRow]:
        """A page of a person's interactions, newest first."""
        with self.db.read() as s:
            ids = [
                r[0]
                for r in s.execute(
                    text(
                        "SELECT i.id FROM participant p JOIN interaction i "
                        "ON i.id = p.interaction_id WHERE p.person_id = :pid "
                        "ORDER BY i.occurred_at DESC, i.id DESC LIMIT :n OFFSET :o"
                    ),
                    {"pid": person_id, "n": limit, "o": offset},
                )
            ]
            return _rows(s, ids)

    def get(self, interaction_id: int) -> InteractionRow:
        with self.db.read() as s:
            found = _rows(s, [interaction_id])
        if not found:
            raise NotFound(f"No interaction with id {interaction_id}")
        return found[0]

    def count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(Interaction)) or 0


def _rows(s: Session, ids: Sequence[int]) -> list[InteractionRow]:
    if not ids:
        return []
    marks = ",".join(str(int(i)) for i in ids)
    people: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for iid, pid, name in s.execute(
        text(
            "SELECT pa.interaction_id, p.id, p.display_name FROM participant pa "
            f"JOIN person p ON p.id = pa.person_id WHERE pa.interaction_id IN ({marks}) "
            "ORDER BY p.display_name"
        )
    ):
        people[iid].append((pid, name))
    found = {
        r[0]: r
        for r in s.execute(
            text(
                "SELECT id, kind, occurred_at, channel, direction, sentiment, summary, details "
                f"FROM interaction WHERE id IN ({marks})"
            )
        )
    }
    return [
        InteractionRow(
            id=r[0],
            kind=r[1],
            occurred_at=as_datetime(r[2]) or datetime.min,
            channel=r[3],
            direction=r[4],
            sentiment=r[5],
            summary=r[6],
            details=r[7],
            participants=tuple(people.get(r[0], ())),
        )
        for i in ids
        if (r := found.get(i)) is not None
    ]


def _naive_utc(moment: datetime) -> datetime:
    """Everything is stored as naive UTC: convert aware times, do not just drop the zone."""
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None)


def refresh_last_interaction(s: Session, person_ids: Sequence[int] | None = None) -> None:
    """Recompute person.last_interaction_at (denormalised for sorting) for these people."""
    sql = (
        "UPDATE person SET last_interaction_at = (SELECT max(i.occurred_at) FROM participant pa "
        "JOIN interaction i ON i.id = pa.interaction_id WHERE pa.person_id = person.id)"
    )
    if person_ids is None:
        s.execute(text(sql))
        return
    for part in chunks(list(person_ids)):
        s.execute(text(f"{sql} WHERE id IN ({','.join(str(int(i)) for i in part)})"))
