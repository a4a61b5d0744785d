"""Engagement initiatives: contests, challenges, campaigns, webinar series, ambassador
programmes and promotions, with their dates, goal, linked events and content, and the
people taking part with their result (joined, submitted, winner)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, func, select, text

from crm.models.engagement import (
    INITIATIVE_KINDS,
    PARTICIPANT_RESULTS,
    Initiative,
    InitiativeContent,
    InitiativeEvent,
    InitiativeParticipant,
)
from crm.services.common import ChangeNotifier, NotFound, ValidationError, as_date, chunks
from crm.services.database import Database
from crm.services.initiatives_data import (
    InitiativeDetail,
    InitiativeInput,
    InitiativeRow,
    LinkedItem,
    ParticipantData,
    PersonInitiative,
)
from crm.services.undo_rows import DeletedRows, put_back, take

__all__ = [
    "PHASES",
    "InitiativeDetail",
    "InitiativeInput",
    "InitiativeRow",
    "InitiativeService",
    "LinkedItem",
    "ParticipantData",
    "PersonInitiative",
]


_COUNTS = (
    "SELECT initiative_id, count(*), coalesce(sum(result IN ('submitted', 'winner')), 0), "
    "coalesce(sum(result = 'winner'), 0) FROM initiative_participant"
)
SORTS = {
    "title": "i.title COLLATE NOCASE",
    "kind": "i.kind",
    "starts_on": "i.starts_on",
    "ends_on": "i.ends_on",
    "goal": "nullif(i.goal, '') COLLATE NOCASE",
    "participants": "(SELECT count(*) FROM initiative_participant ip "
    "WHERE ip.initiative_id = i.id)",
    "winners": "(SELECT count(*) FROM initiative_participant ip "
    "WHERE ip.initiative_id = i.id AND ip.result = 'winner')",
}
PHASES = ("upcoming", "running", "ended")
# Winners first, then those who submitted, then the rest; names A–Z within each.
_RESULT_ORDER = "CASE ip.result WHEN 'winner' THEN 0 WHEN 'submitted' THEN 1 ELSE 2 END"
PARTICIPANT_SORTS = {
    "result": f"{_RESULT_ORDER}, p.display_name COLLATE NOCASE",
    "name": "p.display_name COLLATE NOCASE",
    "joined_on": "ip.joined_on",
}


class InitiativeService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- reads -----------------------------------------------------------------
    def query_ids(
        self,
        text_query: str = "",
        *,
        kind: str | None = None,
        phase: str | None = None,
        sort: str = "starts_on",
        descending: bool = True,
        today: date | None = None,
    ) -> list[int]:
        where = ["1"]
        params: dict[str, object] = {"today": (today or date.today()).isoformat()}
        if q := text_query.strip():
            esc = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append(
                "(i.title LIKE :q ESCAPE '\\' OR i.goal LIKE :q ESCAPE '\\' "
                "OR i.description LIKE :q ESCAPE '\\')"
            )
            params["q"] = f"%{esc}%"
        if kind:
            where.append("i.kind = :kind")
            params["kind"] = kind
        if phase == "upcoming":
            where.append("i.starts_on > :today")
        elif phase == "ended":
            where.append("i.ends_on < :today")
        elif phase == "running":
            where.append(
                "(i.starts_on IS NULL OR i.starts_on <= :today) "
                "AND (i.ends_on IS NULL OR i.ends_on >= :today)"
            )
        expr = SORTS[sort]
        d = "DESC" if descending else "ASC"
        sql = (
            f"SELECT i.id FROM initiative i WHERE {' AND '.join(where)} "
            f"ORDER BY ({expr}) IS NULL, {expr} {d}, i.id {d}"
        )
        with self.db.read() as s:
            return [r[0] for r in s.execute(text(sql), params)]

    def rows(self, ids: Sequence[int]) -> list[InitiativeRow]:
        out: list[InitiativeRow] = []
        with self.db.read() as s:
            for part in chunks(list(ids)):
                marks = ",".join(str(int(i)) for i in part)
                found = {
                    r[0]: r
                    for r in s.execute(
                        text(
                            "SELECT id, title, kind, starts_on, ends_on, goal FROM initiative "
                            f"WHERE id IN ({marks})"
                        )
                    )
                }
                counts = {
                    r[0]: r[1:]
                    for r in s.execute(
                        text(f"{_COUNTS} WHERE initiative_id IN ({marks}) GROUP BY initiative_id")
                    )
                }
                for iid in part:
                    if (r := found.get(iid)) is None:
                        continue
                    n, submitted, winners = counts.get(iid, (0, 0, 0))
                    out.append(
                        InitiativeRow(
                            r[0],
                            r[1],
                            r[2],
                            as_date(r[3]),
                            as_date(r[4]),
                            r[5] or "",
                            n,
                            submitted,
                            winners,
                        )
                    )
        return out

    def count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(Initiative)) or 0

    def get(self, initiative_id: int) -> InitiativeDetail:
        with self.db.read() as s:
            i = s.get(Initiative, initiative_id)
            if i is None:
                raise NotFound(f"No initiative with id {initiative_id}")
            params = {"i": initiative_id}
            n, winners = s.execute(
                text(
                    "SELECT count(*), coalesce(sum(result = 'winner'), 0) "
                    "FROM initiative_participant WHERE initiative_id = :i"
                ),
                params,
            ).one()
            events = tuple(
                LinkedItem(r[0], r[1], as_date(r[2]), r[3])
                for r in s.execute(
                    text(
                        "SELECT e.id, e.title, e.starts_at, e.kind FROM initiative_event ie "
                        "JOIN event e ON e.id = ie.event_id WHERE ie.initiative_id = :i "
                        "ORDER BY e.starts_at"
                    ),
                    params,
                )
            )
            content = tuple(
                LinkedItem(r[0], r[1], as_date(r[2]), r[3])
                for r in s.execute(
                    text(
                        "SELECT c.id, c.title, coalesce(c.publish_on, c.due_on), c.status "
                        "FROM initiative_content ic JOIN content_item c ON c.id = ic.content_id "
                        "WHERE ic.initiative_id = :i ORDER BY coalesce(c.publish_on, c.due_on)"
                    ),
                    params,
                )
            )
            return InitiativeDetail(
                i.id,
                i.title,
                i.kind,
                i.starts_on,
                i.ends_on,
                i.goal,
                i.description,
                n,
                winners,
                events,
                content,
                i.created_at,
            )

    def participant_ids(
        self, initiative_id: int, *, sort: str = "result", descending: bool = False
    ) -> list[int]:
        """The people taking part (person ids), in order: a page lists them by page."""
        d = "DESC" if descending else "ASC"
        order = ", ".join(f"{part} {d}" for part in PARTICIPANT_SORTS[sort].split(", "))
        with self.db.read() as s:
            rows = s.execute(
                text(
                    "SELECT ip.person_id FROM initiative_participant ip "
                    "JOIN person p ON p.id = ip.person_id WHERE ip.initiative_id = :i "
                    f"ORDER BY {order}, ip.person_id {d}"
                ),
                {"i": initiative_id},
            )
            return [r[0] for r in rows]

    def participant_rows(
        self, initiative_id: int, person_ids: Sequence[int]
    ) -> list[ParticipantData]:
        out: list[ParticipantData] = []
        with self.db.read() as s:
            for part in chunks(list(person_ids)):
                found = {
                    r[0]: ParticipantData(r[0], r[1], r[2], as_date(r[3]))
                    for r in s.execute(
                        text(
                            "SELECT p.id, p.display_name, ip.result, ip.joined_on "
                            "FROM initiative_participant ip JOIN person p ON p.id = ip.person_id "
                            f"WHERE ip.initiative_id = :i AND ip.person_id IN ({_marks(part)})"
                        ),
                        {"i": initiative_id},
                    )
                }
                out.extend(found[p] for p in part if p in found)
        return out

    def person_initiatives(self, person_id: int) -> list[PersonInitiative]:
        with self.db.read() as s:
            rows = s.execute(
                text(
                    "SELECT i.id, i.title, i.kind, ip.result, i.starts_on "
                    "FROM initiative_participant ip JOIN initiative i ON i.id = ip.initiative_id "
                    "WHERE ip.person_id = :p ORDER BY i.starts_on DESC, i.id DESC"
                ),
                {"p": person_id},
            )
            return [PersonInitiative(r[0], r[1], r[2], r[3], as_date(r[4])) for r in rows]

    def event_choices(self, limit: int = 500) -> list[LinkedItem]:
        """The latest events, for the picker in the initiative dialog."""
        with self.db.read() as s:
            rows = s.execute(
                text(
                    "SELECT id, title, starts_at, kind FROM event WHERE archived_at IS NULL "
                    "ORDER BY starts_at DESC LIMIT :n"
                ),
                {"n": limit},
            )
            return [LinkedItem(r[0], r[1], as_date(r[2]), r[3]) for r in rows]

    def content_choices(self, limit: int = 500) -> list[LinkedItem]:
        with self.db.read() as s:
            rows = s.execute(
                text(
                    "SELECT id, title, coalesce(publish_on, due_on) AS d, status FROM content_item "
                    "ORDER BY d IS NULL, d DESC LIMIT :n"
                ),
                {"n": limit},
            )
            return [LinkedItem(r[0], r[1], as_date(r[2]), r[3]) for r in rows]

    # ---- writes ----------------------------------------------------------------
    def create(self, data: InitiativeInput) -> int:
        with self.db.session() as s:
            clean = self._validate(s, data)
            i = Initiative(title=clean.title)
            s.add(i)
            self._apply(s, i, clean)
            iid = i.id
        self.notifier.emit("initiatives", ids=[iid])
        return iid

    def update(self, initiative_id: int, data: InitiativeInput) -> None:
        with self.db.session() as s:
            i = s.get(Initiative, initiative_id)
            if i is None:
                raise NotFound(f"No initiative with id {initiative_id}")
            self._apply(s, i, self._validate(s, data))
        self.notifier.emit("initiatives", "people", ids=[initiative_id])

    def impact(self, initiative_id: int) -> tuple[int, int, int]:
        """(participants, linked events, linked content) that a delete would unlink."""
        with self.db.read() as s:
            if s.get(Initiative, initiative_id) is None:
                raise NotFound(f"No initiative with id {initiative_id}")
            return tuple(  # type: ignore[return-value]
                s.scalar(
                    select(func.count()).select_from(m).where(m.initiative_id == initiative_id)
                )
                or 0
                for m in (InitiativeParticipant, InitiativeEvent, InitiativeContent)
            )

    def delete(self, initiative_id: int) -> DeletedRows:
        """Deletes the initiative and its participant results and links; the people,
        events and content themselves stay. Returns what `restore` needs (Ctrl+Z)."""
        with self.db.session() as s:
            if s.get(Initiative, initiative_id) is None:
                raise NotFound(f"No initiative with id {initiative_id}")
            conn = s.connection()
            gone = DeletedRows(
                "initiative",
                (initiative_id,),
                tuple(
                    (table, take(conn, table, column, [initiative_id]))
                    for table, column in (
                        ("initiative", "id"),
                        ("initiative_participant", "initiative_id"),
                        ("initiative_event", "initiative_id"),
                        ("initiative_content", "initiative_id"),
                    )
                ),
            )
            for m in (InitiativeParticipant, InitiativeEvent, InitiativeContent):
                s.execute(delete(m).where(m.initiative_id == initiative_id))
            s.execute(delete(Initiative).where(Initiative.id == initiative_id))
        self.notifier.emit("initiatives", "people", ids=[initiative_id])
        return gone

    def restore(self, gone: DeletedRows) -> None:
        """Undo `delete`: the initiative under its id with its participants' results and
        links (people, events or content deleted for good meanwhile are left out)."""
        with self.db.session() as s:
            put_back(s.connection(), gone)
        self.notifier.emit("initiatives", "people", ids=list(gone.ids))

    def add_participants(
        self,
        initiative_id: int,
        person_ids: Sequence[int],
        result: str = "joined",
        joined_on: date | None = None,
    ) -> int:
        """Adds people (those already in keep their result); returns how many were new."""
        self._check_result(result)
        wanted = list(dict.fromkeys(person_ids))
        with self.db.session() as s:
            if s.get(Initiative, initiative_id) is None:
                raise NotFound(f"No initiative with id {initiative_id}")
            found: set[int] = set()
            have: set[int] = set()
            for part in chunks(wanted):
                found.update(s.scalars(text(f"SELECT id FROM person WHERE id IN ({_marks(part)})")))
                have.update(
                    s.scalars(
                        select(InitiativeParticipant.person_id).where(
                            InitiativeParticipant.initiative_id == initiative_id,
                            InitiativeParticipant.person_id.in_(part),
                        )
                    )
                )
            if missing := [p for p in wanted if p not in found]:
                raise NotFound(f"No person with id {missing[0]}")
            new = [p for p in wanted if p not in have]
            s.add_all(
                InitiativeParticipant(
                    initiative_id=initiative_id,
                    person_id=p,
                    result=result,
                    joined_on=joined_on or date.today(),
                )
                for p in new
            )
        self.notifier.emit("initiatives", "people", ids=[initiative_id])
        return len(new)

    def set_result(self, initiative_id: int, person_ids: Sequence[int], result: str) -> None:
        self._check_result(result)
        with self.db.session() as s:
            for part in chunks(list(person_ids)):
                s.execute(
                    InitiativeParticipant.__table__.update()
                    .where(
                        InitiativeParticipant.initiative_id == initiative_id,
                        InitiativeParticipant.person_id.in_(part),
                    )
                    .values(result=result)
                )
        self.notifier.emit("initiatives", "people", ids=[initiative_id])

    def remove_participants(self, initiative_id: int, person_ids: Sequence[int]) -> None:
        with self.db.session() as s:
            for part in chunks(list(person_ids)):
                s.execute(
                    delete(InitiativeParticipant).where(
                        InitiativeParticipant.initiative_id == initiative_id,
                        InitiativeParticipant.person_id.in_(part),
                    )
                )
        self.notifier.emit("initiatives", "people", ids=[initiative_id])

    @staticmethod
    def _check_result(result: str) -> None:
        if result not in PARTICIPANT_RESULTS:
            raise ValidationError({"result": f"Unknown result: {result}"})

    @staticmethod
    def _validate(s, d: InitiativeInput) -> InitiativeInput:  # type: ignore[no-untyped-def]
        errors: dict[str, str] = {}
        title = d.title.strip()
        if not title:
            errors["title"] = "An initiative needs a title."
        if d.kind not in INITIATIVE_KINDS:
            errors["kind"] = f"Unknown kind: {d.kind}"
        if d.starts_on and d.ends_on and d.ends_on < d.starts_on:
            errors["ends_on"] = "The end cannot be before the start."
        events = tuple(dict.fromkeys(d.event_ids))
        content = tuple(dict.fromkeys(d.content_ids))
        for table, ids, key in (("event", events, "events"), ("content_item", content, "content")):
            if ids:
                found = set(s.scalars(text(f"SELECT id FROM {table} WHERE id IN ({_marks(ids)})")))
                if missing := [i for i in ids if i not in found]:
                    errors[key] = f"No {table.replace('_item', '')} with id {missing[0]}"
        if errors:
            raise ValidationError(errors)
        return InitiativeInput(
            title,
            d.kind,
            d.starts_on,
            d.ends_on,
            d.goal.strip(),
            d.description.strip(),
            events,
            content,
        )

    @staticmethod
    def _apply(s, i: Initiative, d: InitiativeInput) -> None:  # type: ignore[no-untyped-def]
        i.title, i.kind, i.goal, i.description = d.title, d.kind, d.goal, d.description
        i.starts_on, i.ends_on = d.starts_on, d.ends_on
        s.flush()
        s.execute(delete(InitiativeEvent).where(InitiativeEvent.initiative_id == i.id))
        s.execute(delete(InitiativeContent).where(InitiativeContent.initiative_id == i.id))
        s.add_all(InitiativeEvent(initiative_id=i.id, event_id=e) for e in d.event_ids)
        s.add_all(InitiativeContent(initiative_id=i.id, content_id=c) for c in d.content_ids)
        s.flush()


def _marks(ids: Sequence[int]) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"
