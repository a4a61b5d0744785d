"""What the feedback service takes and returns, and the SQL behind its tables
(ids in order, then rows by page)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import text

from crm.services import search
from crm.services.common import as_date, as_datetime, chunks
from crm.services.feedback_scores import Score, survey_counts


@dataclass(frozen=True)
class QuestionInput:
    text: str
    kind: str = "text"  # score, text or choice
    choices: tuple[str, ...] = ()
    id: int | None = None  # an existing question being edited


@dataclass(frozen=True)
class SurveyInput:
    title: str
    kind: str = "survey"
    scale: str = "nps"
    description: str = ""
    event_id: int | None = None
    opened_on: date | None = None
    closed_on: date | None = None
    questions: tuple[QuestionInput, ...] = ()


@dataclass(frozen=True)
class QuestionData:
    id: int
    position: int
    text: str
    kind: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class SurveyDetail:
    id: int
    title: str
    kind: str
    scale: str
    description: str
    event_id: int | None
    event_title: str
    opened_on: date | None
    closed_on: date | None
    questions: tuple[QuestionData, ...]
    responses: int
    anonymous: int
    score: Score
    created_at: datetime

    def to_input(self) -> SurveyInput:
        return SurveyInput(
            self.title,
            self.kind,
            self.scale,
            self.description,
            self.event_id,
            self.opened_on,
            self.closed_on,
            tuple(QuestionInput(q.text, q.kind, q.choices, q.id) for q in self.questions),
        )


@dataclass(frozen=True)
class ResponseInput:
    score: int | None
    comment: str = ""
    tags: tuple[str, ...] = ()
    person_id: int | None = None  # None: anonymous
    event_id: int | None = None
    responded_at: datetime | None = None  # None: now
    answers: Mapping[str, str] = field(default_factory=dict)


def clean_tags(tags: Sequence[str]) -> str:
    """Tags as stored: trimmed, without commas or duplicates, comma-separated."""
    seen: dict[str, str] = {}
    for t in tags:
        for part in str(t).split(","):
            p = part.strip()
            if p and p.casefold() not in seen:
                seen[p.casefold()] = p
    return ", ".join(seen.values())


@dataclass(frozen=True)
class SurveyRow:
    id: int
    title: str
    kind: str
    scale: str
    event_title: str
    opened_on: date | None
    closed_on: date | None
    responses: int
    score: Score
    last_response: datetime | None


@dataclass(frozen=True)
class ResponseRow:
    id: int
    survey_id: int
    survey_title: str
    scale: str
    person_id: int | None  # None: anonymous
    person_name: str
    event_id: int | None
    event_title: str
    responded_at: datetime
    score: int | None
    comment: str
    tags: tuple[str, ...]
    answers: dict[str, str]


# The figure a survey is sorted by: its NPS or CSAT, from the per-survey counts joined
# in (see survey_counts) rather than one correlated count per survey.
_SCORE_SORT = (
    "CASE WHEN coalesce(st.scored, 0) = 0 THEN NULL "
    "WHEN sv.scale = 'nps' THEN 100.0 * (st.good - st.bad) / st.scored "
    "ELSE 100.0 * st.good / st.scored END"
)
_SCORE_JOIN = f"LEFT JOIN ({survey_counts()}) AS st ON st.survey_id = sv.id"
SURVEY_SORTS = {
    "title": "sv.title COLLATE NOCASE",
    "kind": "sv.kind",
    "scale": "sv.scale",
    "event": "(SELECT e.title FROM event e WHERE e.id = sv.event_id) COLLATE NOCASE",
    "opened_on": "sv.opened_on",
    "closed_on": "sv.closed_on",
    "responses": "(SELECT count(*) FROM feedback_response r WHERE r.survey_id = sv.id)",
    "score": _SCORE_SORT,
    "last_response": "(SELECT max(r.responded_at) FROM feedback_response r "
    "WHERE r.survey_id = sv.id)",
}


def _like(user_text: str) -> str:
    escaped = user_text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def survey_ids(
    s, text_query: str, kind: str | None, scale: str | None, sort: str, desc: bool
) -> list[int]:  # type: ignore[no-untyped-def]
    where: list[str] = ["1"]
    params: dict[str, object] = {}
    if text_query.strip():
        where.append("(sv.title LIKE :q ESCAPE '\\' OR sv.description LIKE :q ESCAPE '\\')")
        params["q"] = _like(text_query.strip())
    if kind:
        where.append("sv.kind = :kind")
        params["kind"] = kind
    if scale:
        where.append("sv.scale = :scale")
        params["scale"] = scale
    expr = SURVEY_SORTS[sort]
    d = "DESC" if desc else "ASC"
    join = _SCORE_JOIN if sort == "score" else ""
    sql = (
        f"SELECT sv.id FROM survey sv {join} WHERE {' AND '.join(where)} "
        f"ORDER BY ({expr}) IS NULL, {expr} {d}, sv.id {d}"
    )
    return [r[0] for r in s.execute(text(sql), params)]


def survey_rows(s, ids: Sequence[int]) -> list[SurveyRow]:  # type: ignore[no-untyped-def]
    """One query per page of surveys: the fields, the event's title, the counts behind
    the figure (survey_counts over these surveys' responses) and the last answer."""
    out: list[SurveyRow] = []
    for part in chunks(list(ids)):
        marks = ",".join(str(int(i)) for i in part)
        found = {
            r[0]: r
            for r in s.execute(
                text(
                    "SELECT sv.id, sv.title, sv.kind, sv.scale, coalesce(e.title, ''), "
                    "sv.opened_on, sv.closed_on, coalesce(st.responses, 0), "
                    "coalesce(st.scored, 0), coalesce(st.good, 0), coalesce(st.bad, 0), "
                    "(SELECT max(r.responded_at) FROM feedback_response r "
                    "WHERE r.survey_id = sv.id) FROM survey sv "
                    "LEFT JOIN event e ON e.id = sv.event_id "
                    f"LEFT JOIN ({survey_counts(f'WHERE survey_id IN ({marks})')}) AS st "
                    f"ON st.survey_id = sv.id WHERE sv.id IN ({marks})"
                )
            )
        }
        out.extend(
            SurveyRow(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                as_date(r[5]),
                as_date(r[6]),
                r[7],
                Score(r[3], r[8], r[9], r[10]),
                as_datetime(r[11]),
            )
            for sid in part
            if (r := found.get(sid)) is not None
        )
    return out


RESPONSE_SORTS = {
    "responded_at": "r.responded_at",
    "score": "r.score",
    "person": "(SELECT p.display_name FROM person p WHERE p.id = r.person_id) COLLATE NOCASE",
    "survey": "(SELECT sv.title FROM survey sv WHERE sv.id = r.survey_id) COLLATE NOCASE",
    "comment": "nullif(r.comment, '') COLLATE NOCASE",
    "tags": "nullif(r.tags, '') COLLATE NOCASE",
}
_BANDS = {
    "good": "(CASE WHEN sv.scale = 'nps' THEN r.score >= 9 ELSE r.score >= 4 END)",
    "neutral": "(sv.scale = 'nps' AND r.score BETWEEN 7 AND 8)",
    "bad": "(CASE WHEN sv.scale = 'nps' THEN r.score <= 6 ELSE r.score <= 3 END)",
    "none": "r.score IS NULL",
}


def response_ids(  # type: ignore[no-untyped-def]
    s,
    survey_id: int | None,
    text_query: str,
    band: str | None,
    person_id: int | None,
    anonymous: bool | None,
    sort: str,
    desc: bool,
) -> list[int]:
    where: list[str] = ["1"]
    params: dict[str, object] = {}
    if survey_id is not None:
        where.append("r.survey_id = :survey")
        params["survey"] = survey_id
    if person_id is not None:
        where.append("r.person_id = :person")
        params["person"] = person_id
    if anonymous is True:
        where.append("r.person_id IS NULL")
    elif anonymous is False:
        where.append("r.person_id IS NOT NULL")
    if band:
        where.append(f"r.score IS NOT NULL AND {_BANDS[band]}" if band != "none" else _BANDS[band])
    if text_query.strip():
        q = text_query.strip()
        people = search.fts_query(q)
        cond = "r.comment LIKE :q ESCAPE '\\' OR r.tags LIKE :q ESCAPE '\\'"
        if people is not None:
            cond += " OR r.person_id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH :m)"
            params["m"] = people
        where.append(f"({cond})")
        params["q"] = _like(q)
    expr = RESPONSE_SORTS[sort]
    d = "DESC" if desc else "ASC"
    join = "JOIN survey sv ON sv.id = r.survey_id" if band else ""
    sql = (
        f"SELECT r.id FROM feedback_response r {join} WHERE {' AND '.join(where)} "
        f"ORDER BY ({expr}) IS NULL, {expr} {d}, r.id {d}"
    )
    return [r[0] for r in s.execute(text(sql), params)]


def response_rows(s, ids: Sequence[int]) -> list[ResponseRow]:  # type: ignore[no-untyped-def]
    import json

    out: list[ResponseRow] = []
    for part in chunks(list(ids)):
        marks = ",".join(str(int(i)) for i in part)
        found = {
            r[0]: r
            for r in s.execute(
                text(
                    "SELECT r.id, r.survey_id, sv.title, sv.scale, r.person_id, "
                    "coalesce(p.display_name, ''), r.event_id, coalesce(e.title, ''), "
                    "r.responded_at, r.score, r.comment, r.tags, r.answers "
                    "FROM feedback_response r JOIN survey sv ON sv.id = r.survey_id "
                    "LEFT JOIN person p ON p.id = r.person_id "
                    "LEFT JOIN event e ON e.id = r.event_id "
                    f"WHERE r.id IN ({marks})"
                )
            )
        }
        for rid in part:
            r = found.get(rid)
            if r is None:
                continue
            answers = r[12]
            if isinstance(answers, str):
                answers = json.loads(answers or "{}")
            out.append(
                ResponseRow(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    r[5],
                    r[6],
                    r[7],
                    as_datetime(r[8]),  # type: ignore[arg-type]
                    r[9],
                    r[10] or "",
                    tuple(t.strip() for t in (r[11] or "").split(",") if t.strip()),
                    dict(answers or {}),
                )
            )
    return out
