"""The speaker-outreach pipeline: cards that move identified → … → delivered, or declined.

Every move is recorded (OutreachMove) with its date: it is the card's history on the
person's detail and the source of the board's conversion figures, which are computed
in SQL from the moves rather than from where the cards sit today. Reads live in
crm.services.outreach_reads; this module holds the writes and their validation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, aliased

from crm.models import AuditEntry, Event, Outreach, OutreachMove, Person, utcnow
from crm.models.events import OUTREACH_STAGES
from crm.services.common import ChangeNotifier, NotFound, ServiceError, ValidationError
from crm.services.database import Database
from crm.services.outreach_data import (
    ArchivedCard,
    Card,
    CardDetail,
    CardInput,
    Conversion,
    EventChoice,
    Talk,
)
from crm.services.outreach_reads import OutreachReads
from crm.services.trash import Impact, Others, card_impact

AREA = "outreach"
_LIMITS = {"topic": 300, "next_step": 300}


class OutreachService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier
        self.reads = OutreachReads(db)

    # ---- reads (see outreach_reads) ----------------------------------------------------
    def board(
        self, *, event_id: int | None = None, search: str = "", today: date | None = None
    ) -> dict[str, list[Card]]:
        return self.reads.board(event_id=event_id, search=search, today=today)

    def get(self, card_id: int) -> CardDetail:
        return self.reads.get(card_id)

    def history(self, person_id: int) -> list[CardDetail]:
        return self.reads.history(person_id)

    def conversion(self, *, event_id: int | None = None) -> Conversion:
        return self.reads.conversion(event_id=event_id)

    def talks(self, person_id: int) -> list[Talk]:
        return self.reads.talks(person_id)

    def event_choices(self, now: datetime | None = None) -> list[EventChoice]:
        return self.reads.event_choices(now)

    def board_events(self, now: datetime | None = None) -> list[EventChoice]:
        return self.reads.board_events(now)

    def archived(self) -> list[ArchivedCard]:
        return self.reads.archived()

    def trash_ids(
        self, search: str = "", sort: str = "archived_at", descending: bool = True
    ) -> list[int]:
        return self.reads.trash_ids(search, sort, descending)

    def trash_rows(self, ids: Sequence[int]) -> list[ArchivedCard]:
        return self.reads.trash_rows(ids)

    def purge_impact(self, ids: Sequence[int], others: Others | None = None) -> Impact:
        """What purge(ids) would delete with the cards (their stage moves); `others`:
        the ids of other kinds deleted in the same go (crm.services.trash)."""
        with self.db.read() as s:
            return card_impact(s, ids, others)

    def count(self, archived: bool = False) -> int:
        return self.reads.count(archived)

    def counts(self) -> tuple[int, int]:
        return self.reads.counts()

    # ---- writes --------------------------------------------------------------------------
    def create(self, data: CardInput, *, stage: str = "identified") -> int:
        """A new card in `stage` (the first column unless the user dropped it elsewhere)."""
        if stage not in OUTREACH_STAGES:
            raise ValidationError({"stage": f"Unknown stage: {stage}"})
        with self.db.session() as s:
            clean = self._validate(s, data, None)
            now = utcnow()
            card = Outreach(stage=stage, stage_changed_at=now, created_at=now)
            self._apply(card, clean)
            s.add(card)
            s.flush()
            s.add(OutreachMove(outreach_id=card.id, from_stage=None, to_stage=stage, moved_at=now))
            s.add(AuditEntry(action="create", entity="outreach", entity_id=card.id, detail={}))
            card_id, person_id = card.id, card.person_id
        self.notifier.emit(AREA, ids=[card_id, person_id])
        return card_id

    def update(self, card_id: int, data: CardInput) -> None:
        with self.db.session() as s:
            card = self._card(s, card_id)
            clean = self._validate(s, data, card_id)
            self._apply(card, clean)
            person_id = card.person_id
        self.notifier.emit(AREA, ids=[card_id, person_id])

    def move(self, card_id: int, stage: str, *, at: datetime | None = None) -> bool:
        """Move a card to another stage, recording when. False (and nothing written) when it
        is in that stage already. Any stage may follow any other: "declined" from anywhere,
        and back again when a speaker changes their mind."""
        if stage not in OUTREACH_STAGES:
            raise ValidationError({"stage": f"Unknown stage: {stage}"})
        with self.db.session() as s:
            card = self._card(s, card_id)
            if card.archived_at is not None:
                raise ServiceError("This card is in the Trash; restore it before moving it.")
            if card.stage == stage:
                return False
            when = at or utcnow()
            s.add(
                OutreachMove(
                    outreach_id=card.id, from_stage=card.stage, to_stage=stage, moved_at=when
                )
            )
            card.stage, card.stage_changed_at = stage, when
            person_id = card.person_id
        self.notifier.emit(AREA, ids=[card_id, person_id])
        return True

    def undo_move(self, card_id: int) -> bool:
        """Take back a card's last move (Ctrl+Z): the move is forgotten, not reversed by
        another, so a slip of the mouse does not count in the conversion figures. False
        when the card has not moved since it was created."""
        with self.db.session() as s:
            card = self._card(s, card_id)
            last, *before = s.scalars(
                select(OutreachMove)
                .where(OutreachMove.outreach_id == card_id)
                .order_by(OutreachMove.moved_at.desc(), OutreachMove.id.desc())
                .limit(2)
            ).all() or [None]
            if last is None or last.from_stage is None or not before:
                return False
            card.stage, card.stage_changed_at = last.from_stage, before[0].moved_at
            s.delete(last)
            person_id = card.person_id
        self.notifier.emit(AREA, ids=[card_id, person_id])
        return True

    def archive(self, ids: Sequence[int]) -> int:
        return self._set_archived(ids, True)

    def restore(self, ids: Sequence[int]) -> int:
        return self._set_archived(ids, False)

    def purge(self, ids: Sequence[int]) -> int:
        """Delete archived cards for good, with their moves (the foreign key cascades)."""
        with self.db.session() as s:
            doomed = list(
                s.scalars(
                    select(Outreach.id).where(
                        Outreach.id.in_(list(ids)), Outreach.archived_at.is_not(None)
                    )
                )
            )
            s.execute(delete(OutreachMove).where(OutreachMove.outreach_id.in_(doomed)))
            s.execute(delete(Outreach).where(Outreach.id.in_(doomed)))
            s.add(AuditEntry(action="purge", entity="outreach", detail={"ids": doomed}))
        self.notifier.emit(AREA, "trash", ids=doomed)
        return len(doomed)

    # ---- internals -----------------------------------------------------------------------
    def _set_archived(self, ids: Sequence[int], archived: bool) -> int:
        ids = list(ids)
        with self.db.session() as s:
            if not archived:
                self._refuse_clashes(s, ids)
            cond = Outreach.archived_at.is_(None) if archived else Outreach.archived_at.is_not(None)
            res = s.execute(
                update(Outreach)
                .where(Outreach.id.in_(ids), cond)
                .values(archived_at=utcnow() if archived else None)
            )
            s.add(
                AuditEntry(
                    action="archive" if archived else "restore",
                    entity="outreach",
                    detail={"ids": ids},
                )
            )
            n = res.rowcount or 0  # type: ignore[attr-defined]
        self.notifier.emit(AREA, "trash", ids=ids)
        return n

    @staticmethod
    def _refuse_clashes(s: Session, ids: list[int]) -> None:
        """A restore must not put two cards for one person and event on the board."""
        back = aliased(Outreach)
        clash = s.execute(
            select(Person.display_name, Event.title)
            .select_from(Outreach)
            .join(Person, Person.id == Outreach.person_id)
            .join(Event, Event.id == Outreach.event_id)
            .join(
                back,
                (back.person_id == Outreach.person_id)
                & (back.event_id == Outreach.event_id)
                & (back.id != Outreach.id)
                & (back.archived_at.is_(None) | back.id.in_(ids)),
            )
            .where(Outreach.id.in_(ids), Outreach.archived_at.is_not(None))
            .limit(1)
        ).first()
        if clash is not None:
            raise ServiceError(
                f"{clash[0]} already has a card for {clash[1]} on the board; "
                "archive or delete one of them first."
            )

    @staticmethod
    def _card(s: Session, card_id: int) -> Outreach:
        card = s.get(Outreach, card_id)
        if card is None:
            raise NotFound(f"No outreach card with id {card_id}")
        return card

    @staticmethod
    def _validate(s: Session, d: CardInput, card_id: int | None) -> CardInput:
        errors: dict[str, str] = {}
        person = s.get(Person, d.person_id) if d.person_id is not None else None
        if d.person_id is None:
            errors["person"] = "Choose the person this card is about."
        elif person is None:
            errors["person"] = f"No person with id {d.person_id}."
        elif person.archived_at is not None:
            errors["person"] = f"{person.display_name} is in the Trash."
        topic, step = " ".join(d.topic.split()), " ".join(d.next_step.split())
        for name, value in (("topic", topic), ("next_step", step)):
            if len(value) > _LIMITS[name]:
                errors[name] = f"Keep it under {_LIMITS[name]} characters."
        if d.next_step_on is not None and not step:
            errors["next_step"] = "Say what the next step is, or clear its date."
        event = s.get(Event, d.event_id) if d.event_id is not None else None
        if d.event_id is not None and (event is None or event.archived_at is not None):
            errors["event"] = f"No event with id {d.event_id}."
        if person is not None and "event" not in errors and d.event_id is not None:
            clash = s.scalar(
                select(Outreach.id).where(
                    Outreach.person_id == person.id,
                    Outreach.event_id == d.event_id,
                    Outreach.archived_at.is_(None),
                    Outreach.id != (card_id or 0),
                )
            )
            if clash is not None:
                title = event.title if event is not None else "this event"
                errors["event"] = f"{person.display_name} already has a card for {title}."
        if errors:
            raise ValidationError(errors)
        return CardInput(d.person_id, topic, d.event_id, step, d.next_step_on, d.notes.strip())

    @staticmethod
    def _apply(card: Outreach, d: CardInput) -> None:
        assert d.person_id is not None  # checked by _validate
        card.person_id, card.topic, card.event_id = d.person_id, d.topic, d.event_id
        card.next_step, card.next_step_on, card.notes = d.next_step, d.next_step_on, d.notes
