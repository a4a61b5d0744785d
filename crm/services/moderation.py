"""Confidential moderation cases: who, what guideline, how severe, what was done.

Case text (guideline, channel, notes) is shown only on the Moderation page and in the
subject's own detail. Nothing here feeds an export, a search index or the audit log;
`counts()` is all reports and `crm stats` get. Deleting returns the rows for undo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import delete, insert, select, text

from crm.models import (
    CASE_STATUSES,
    MODERATION_ACTIONS,
    SEVERITIES,
    ModerationCase,
    Person,
    utcnow,
)
from crm.services.advocacy import like, read_ids, read_rows
from crm.services.common import ChangeNotifier, NotFound, ValidationError, as_date, chunks
from crm.services.database import Database

CHANNELS = ("forum", "chat", "discord", "slack", "event", "social media", "email", "other")


@dataclass(frozen=True)
class CaseInput:
    subject_id: int | None
    occurred_on: date
    guideline: str
    reporter_id: int | None = None
    channel: str = "forum"
    severity: str = "low"
    action: str = "none"
    status: str = "open"
    notes: str = ""


@dataclass(frozen=True)
class CaseRow:
    id: int
    subject_id: int
    subject_name: str
    reporter_id: int | None
    reporter_name: str
    occurred_on: date
    channel: str
    guideline: str
    severity: str
    action: str
    status: str
    subject_cases: int  # how many cases this subject has in all: repeats stand out


@dataclass(frozen=True)
class CaseDetail:
    row: CaseRow
    notes: str
    created_at: datetime
    updated_at: datetime

    def to_input(self) -> CaseInput:
        r = self.row
        return CaseInput(
            r.subject_id, r.occurred_on, r.guideline, r.reporter_id, r.channel, r.severity,
            r.action, r.status, self.notes,
        )  # fmt: skip


@dataclass(frozen=True)
class PersonCases:
    """A person's cases as subject, newest first, for their detail."""

    cases: tuple[CaseDetail, ...]
    reported: int  # cases this person reported

    @property
    def count(self) -> int:
        return len(self.cases)

    @property
    def repeated(self) -> bool:
        return len(self.cases) > 1


_SEVERITY_ORDER = "CASE c.severity " + " ".join(
    f"WHEN '{s}' THEN {i}" for i, s in enumerate(SEVERITIES)
)
_ACTION_ORDER = "CASE c.action " + " ".join(
    f"WHEN '{s}' THEN {i}" for i, s in enumerate(MODERATION_ACTIONS)
)
_SUBJECT_CASES = "(SELECT count(*) FROM moderation_case x WHERE x.subject_id = c.subject_id)"
_SORTS = {
    "date": "c.occurred_on",
    "subject": "s.display_name COLLATE NOCASE",
    "reporter": "r.display_name COLLATE NOCASE",
    "channel": "c.channel",
    "guideline": "c.guideline COLLATE NOCASE",
    "severity": _SEVERITY_ORDER + " END",
    "action": _ACTION_ORDER + " END",
    "status": "c.status",
    "repeats": _SUBJECT_CASES,
}
_FROM = (
    "FROM moderation_case c JOIN person s ON s.id = c.subject_id "
    "LEFT JOIN person r ON r.id = c.reporter_id "
)
_SELECT = (
    "SELECT c.id, c.subject_id, s.display_name, c.reporter_id, coalesce(r.display_name, ''), "
    "c.occurred_on, c.channel, c.guideline, c.severity, c.action, c.status, "
    f"{_SUBJECT_CASES}, c.notes, c.created_at, c.updated_at " + _FROM
)


def _detail(r: Sequence[object]) -> CaseDetail:
    row = CaseRow(
        *r[:5],  # type: ignore[arg-type]
        as_date(r[5]),  # type: ignore[arg-type]
        *r[6:12],  # type: ignore[arg-type]
    )
    return CaseDetail(row, str(r[12]), _dt(r[13]), _dt(r[14]))


def _dt(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


class ModerationService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    # ---- reads -----------------------------------------------------------------
    def query_ids(
        self,
        text_query: str = "",
        *,
        status: str | None = None,
        severity: str | None = None,
        action: str | None = None,
        sort: str = "date",
        descending: bool = True,
    ) -> list[int]:
        where, params = ["1"], {}
        if text_query.strip():
            where.append(
                "(s.display_name LIKE :q ESCAPE '\\' OR r.display_name LIKE :q ESCAPE '\\' "
                "OR c.guideline LIKE :q ESCAPE '\\' OR c.channel LIKE :q ESCAPE '\\')"
            )
            params["q"] = like(text_query.strip())
        for col, value in (("status", status), ("severity", severity), ("action", action)):
            if value:
                where.append(f"c.{col} = :{col}")
                params[col] = value
        expr = _SORTS.get(sort, _SORTS["date"])
        d = "DESC" if descending else "ASC"
        sql = (
            f"SELECT c.id {_FROM} WHERE {' AND '.join(where)} "
            f"ORDER BY ({expr}) IS NULL, {expr} {d}, c.id {d}"
        )
        return read_ids(self.db, sql, params)

    def rows(self, ids: Sequence[int]) -> list[CaseRow]:
        return [d.row for d in self._details(ids)]

    def _details(self, ids: Sequence[int]) -> list[CaseDetail]:
        out: list[CaseDetail] = []
        for part in chunks(list(ids)):
            marks = ",".join(str(int(i)) for i in part)
            out.extend(_detail(r) for r in read_rows(self.db, _SELECT + f"WHERE c.id IN ({marks})"))
        return out

    def get(self, case_id: int) -> CaseDetail:
        found = self._details([case_id])
        if not found:
            raise NotFound(f"No moderation case with id {case_id}")
        return found[0]

    def count(self) -> int:
        return int(read_rows(self.db, "SELECT count(*) FROM moderation_case")[0][0])

    def for_person(self, person_id: int) -> PersonCases:
        with self.db.read() as s:
            rows = s.execute(
                text(_SELECT + "WHERE c.subject_id = :p ORDER BY c.occurred_on DESC, c.id DESC"),
                {"p": person_id},
            ).all()
            reported = s.execute(
                text("SELECT count(*) FROM moderation_case WHERE reporter_id = :p"),
                {"p": person_id},
            ).scalar_one()
        return PersonCases(tuple(_detail(r) for r in rows), int(reported))

    def counts(self) -> dict[str, int]:
        """Numbers only: the one view of moderation that reports and `crm stats` get."""
        with self.db.read() as s:
            out = {
                "moderation_case": int(
                    s.execute(text("SELECT count(*) FROM moderation_case")).scalar_one()
                )
            }
            for status, n in s.execute(
                text("SELECT status, count(*) FROM moderation_case GROUP BY status")
            ):
                out[f"moderation_{status}"] = int(n)
            out["moderation_repeat_subjects"] = int(
                s.execute(
                    text(
                        "SELECT count(*) FROM (SELECT subject_id FROM moderation_case "
                        "GROUP BY subject_id HAVING count(*) > 1)"
                    )
                ).scalar_one()
            )
        for status in CASE_STATUSES:
            out.setdefault(f"moderation_{status}", 0)
        return out

    # ---- writes ----------------------------------------------------------------
    def create(self, data: CaseInput) -> int:
        with self.db.session() as s:
            clean = self._validate(s, data)
            c = ModerationCase()
            _apply(c, clean)
            s.add(c)
            s.flush()
            cid = c.id
        self.notifier.emit("moderation", "people", ids=[cid])
        return cid

    def update(self, case_id: int, data: CaseInput) -> None:
        with self.db.session() as s:
            c = s.get(ModerationCase, case_id)
            if c is None:
                raise NotFound(f"No moderation case with id {case_id}")
            _apply(c, self._validate(s, data))
            c.updated_at = utcnow()
        self.notifier.emit("moderation", "people", ids=[case_id])

    def delete(self, ids: Sequence[int]) -> tuple[dict[str, object], ...]:
        ids = list(dict.fromkeys(int(i) for i in ids))
        table = ModerationCase.__table__
        with self.db.session() as s:
            snap = tuple(
                dict(r._mapping)
                for r in s.connection().execute(select(table).where(table.c.id.in_(ids)))
            )
            s.execute(delete(ModerationCase).where(ModerationCase.id.in_(ids)))
        self.notifier.emit("moderation", "people", ids=ids)
        return snap

    def restore(self, rows: Sequence[dict[str, object]]) -> None:
        """Put deleted cases back (undo); cases whose subject is gone for good stay gone."""
        with self.db.session() as s:
            people = {r["subject_id"] for r in rows} | {r["reporter_id"] for r in rows}
            alive = set(s.scalars(select(Person.id).where(Person.id.in_([p for p in people if p]))))
            keep = [
                {**r, "reporter_id": r["reporter_id"] if r["reporter_id"] in alive else None}
                for r in rows
                if r["subject_id"] in alive
            ]
            if keep:
                s.execute(insert(ModerationCase.__table__), keep)
        self.notifier.emit("moderation", "people", ids=[int(r["id"]) for r in rows])  # type: ignore[call-overload]

    @staticmethod
    def _validate(s, d: CaseInput) -> CaseInput:  # type: ignore[no-untyped-def]
        errors: dict[str, str] = {}
        if d.subject_id is None:
            errors["subject_id"] = "Choose the person the case is about."
        elif s.get(Person, d.subject_id) is None:
            errors["subject_id"] = f"No person with id {d.subject_id}"
        if d.reporter_id is not None:
            if d.reporter_id == d.subject_id:
                errors["reporter_id"] = "The reporter cannot be the subject of the case."
            elif s.get(Person, d.reporter_id) is None:
                errors["reporter_id"] = f"No person with id {d.reporter_id}"
        if d.occurred_on > date.today():
            errors["occurred_on"] = "A case cannot happen in the future."
        guideline = " ".join(d.guideline.split())
        if not guideline:
            errors["guideline"] = "Say which guideline was broken."
        elif len(guideline) > 200:
            errors["guideline"] = "The guideline is too long (200 characters at most)."
        channel = " ".join(d.channel.split())
        if len(channel) > 30:
            errors["channel"] = "The channel is too long (30 characters at most)."
        for key, value, allowed in (
            ("severity", d.severity, SEVERITIES),
            ("action", d.action, MODERATION_ACTIONS),
            ("status", d.status, CASE_STATUSES),
        ):
            if value not in allowed:
                errors[key] = f"Unknown {key}: {value}"
        if errors:
            raise ValidationError(errors)
        return replace(d, guideline=guideline, channel=channel, notes=d.notes.strip())


def _apply(c: ModerationCase, d: CaseInput) -> None:
    c.subject_id, c.reporter_id, c.occurred_on = d.subject_id, d.reporter_id, d.occurred_on  # type: ignore[assignment]
    c.channel, c.guideline, c.severity = d.channel, d.guideline, d.severity
    c.action, c.status, c.notes = d.action, d.status, d.notes
