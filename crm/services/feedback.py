"""Surveys and polls, their questions and responses; NPS and CSAT per survey and by month.

Scores are counted in SQL (crm.services.feedback_scores); the CSV import of survey
results lives in crm.services.feedback_import and is reached through this service.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, text

from crm.models.feedback import QUESTION_KINDS, SCALES, SURVEY_KINDS, Survey, SurveyQuestion
from crm.models.feedback import FeedbackResponse as Response
from crm.services.common import ChangeNotifier, NotFound, ValidationError, chunks
from crm.services.database import Database
from crm.services.feedback_answers import (
    LATEST_TEXTS,
    AnswerSummary,
    choice_summaries,
    text_summaries,
)
from crm.services.feedback_import import FeedbackImports
from crm.services.feedback_reads import (
    QuestionData,
    QuestionInput,
    ResponseInput,
    ResponseRow,
    SurveyDetail,
    SurveyInput,
    SurveyRow,
    clean_tags,
    response_ids,
    response_rows,
    survey_ids,
    survey_rows,
)
from crm.services.feedback_scores import (
    MonthScore,
    Score,
    count_columns,
    range_error,
    survey_counts,
)
from crm.services.undo_rows import DeletedRows, put_back, take

__all__ = [
    "FeedbackService",
    "QuestionInput",
    "ResponseInput",
    "ResponseRow",
    "SurveyDetail",
    "SurveyInput",
    "SurveyRow",
]


class FeedbackService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier
        self.imports = FeedbackImports(self)

    # ---- surveys: reads ----------------------------------------------------------
    def survey_ids(
        self,
        text_query: str = "",
        *,
        kind: str | None = None,
        scale: str | None = None,
        sort: str = "opened_on",
        descending: bool = True,
    ) -> list[int]:
        with self.db.read() as s:
            return survey_ids(s, text_query, kind, scale, sort, descending)

    def survey_rows(self, ids: Sequence[int]) -> list[SurveyRow]:
        with self.db.read() as s:
            return survey_rows(s, ids)

    def survey_count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(Survey)) or 0

    def survey_names(self) -> list[tuple[int, str, str]]:
        """(id, title, scale) of every survey, newest first: for pickers and the CLI."""
        with self.db.read() as s:
            rows = s.execute(
                select(Survey.id, Survey.title, Survey.scale).order_by(
                    Survey.opened_on.desc(), Survey.id.desc()
                )
            )
            return [(r[0], r[1], r[2]) for r in rows]

    def get_survey(self, survey_id: int) -> SurveyDetail:
        with self.db.read() as s:
            sv = s.get(Survey, survey_id)
            if sv is None:
                raise NotFound(f"No survey with id {survey_id}")
            questions = tuple(
                QuestionData(q.id, q.position, q.text, q.kind, tuple(q.choices or ()))
                for q in s.scalars(
                    select(SurveyQuestion)
                    .where(SurveyQuestion.survey_id == survey_id)
                    .order_by(SurveyQuestion.position, SurveyQuestion.id)
                )
            )
            total, anonymous = s.execute(
                text(
                    "SELECT count(*), coalesce(sum(person_id IS NULL), 0) "
                    "FROM feedback_response WHERE survey_id = :s"
                ),
                {"s": survey_id},
            ).one()
            event_title = ""
            if sv.event_id is not None:
                event_title = (
                    s.execute(
                        text("SELECT title FROM event WHERE id = :e"), {"e": sv.event_id}
                    ).scalar()
                    or ""
                )
            return SurveyDetail(
                sv.id,
                sv.title,
                sv.kind,
                sv.scale,
                sv.description,
                sv.event_id,
                event_title,
                sv.opened_on,
                sv.closed_on,
                questions,
                total,
                anonymous,
                self._score(s, survey_id, sv.scale),
                sv.created_at,
            )

    def answers(self, survey_id: int, latest: int = LATEST_TEXTS) -> AnswerSummary:
        """Per choice question the count and share of each choice; per text question
        how many answered and the `latest` newest answers (see feedback_answers)."""
        d = self.get_survey(survey_id)
        with self.db.read() as s:
            found = {
                q.question_id: q
                for q in choice_summaries(s, survey_id, d.questions)
                + text_summaries(s, survey_id, d.questions, latest)
            }
        return AnswerSummary(
            survey_id, d.responses, tuple(found[q.id] for q in d.questions if q.id in found)
        )

    # ---- scores -----------------------------------------------------------------------
    @staticmethod
    def _score(s, survey_id: int, scale: str) -> Score:  # type: ignore[no-untyped-def]
        n, good, bad = s.execute(
            text(f"SELECT {count_columns(scale)} FROM feedback_response WHERE survey_id = :s"),
            {"s": survey_id},
        ).one()
        return Score(scale, n, good, bad)

    def score(self, survey_id: int) -> Score:
        with self.db.read() as s:
            scale = s.scalar(select(Survey.scale).where(Survey.id == survey_id))
            if scale is None:
                raise NotFound(f"No survey with id {survey_id}")
            return self._score(s, survey_id, scale)

    def scores(self) -> dict[int, Score]:
        """Every survey's figure, from one pass over the (survey, score) index."""
        with self.db.read() as s:
            counts = {r[0]: r[2:] for r in s.execute(text(survey_counts()))}
            return {
                sid: Score(scale, *counts.get(sid, (0, 0, 0)))
                for sid, scale in s.execute(text("SELECT id, scale FROM survey"))
            }

    def trend(self, scale: str = "nps", survey_id: int | None = None) -> list[MonthScore]:
        """The figure month by month, for one survey or every survey of a scale."""
        if scale not in SCALES:
            raise ValidationError({"scale": f"Unknown scale: {scale}"})
        if survey_id is None:
            where = "survey_id IN (SELECT id FROM survey WHERE scale = :scale)"
        else:
            where = "survey_id = :survey"
        sql = (
            f"SELECT substr(responded_at, 1, 7) AS month, {count_columns(scale)} "
            f"FROM feedback_response WHERE {where} AND score IS NOT NULL "
            "GROUP BY month ORDER BY month"
        )
        with self.db.read() as s:
            rows = s.execute(text(sql), {"scale": scale, "survey": survey_id}).all()
        return [MonthScore(r[0], Score(scale, r[1], r[2], r[3])) for r in rows]

    # ---- surveys: writes --------------------------------------------------------------
    def create_survey(self, data: SurveyInput) -> int:
        with self.db.session() as s:
            clean = self._validate_survey(s, data, None)
            sv = Survey(title=clean.title)
            self._apply_survey(s, sv, clean)
            sid = sv.id
        self.notifier.emit("feedback", ids=[sid])
        return sid

    def update_survey(self, survey_id: int, data: SurveyInput) -> None:
        with self.db.session() as s:
            sv = s.get(Survey, survey_id)
            if sv is None:
                raise NotFound(f"No survey with id {survey_id}")
            clean = self._validate_survey(s, data, survey_id)
            self._apply_survey(s, sv, clean)
        self.notifier.emit("feedback", ids=[survey_id])

    def survey_impact(self, survey_id: int) -> tuple[int, int]:
        """(responses, questions) that go when the survey is deleted."""
        with self.db.read() as s:
            if s.get(Survey, survey_id) is None:
                raise NotFound(f"No survey with id {survey_id}")
            responses = s.scalar(
                select(func.count()).select_from(Response).where(Response.survey_id == survey_id)
            )
            questions = s.scalar(
                select(func.count())
                .select_from(SurveyQuestion)
                .where(SurveyQuestion.survey_id == survey_id)
            )
            return responses or 0, questions or 0

    def delete_survey(self, survey_id: int) -> DeletedRows:
        """Delete a survey with its questions and responses; returns what `restore`
        needs to put them back (the page's Ctrl+Z)."""
        with self.db.session() as s:
            if s.get(Survey, survey_id) is None:
                raise NotFound(f"No survey with id {survey_id}")
            conn = s.connection()
            gone = DeletedRows(
                "survey",
                (survey_id,),
                tuple(
                    (table, take(conn, table, column, [survey_id]))
                    for table, column in (
                        ("survey", "id"),
                        ("survey_question", "survey_id"),
                        ("feedback_response", "survey_id"),
                    )
                ),
            )
            # Explicit deletes: the ORM session does not rely on ON DELETE CASCADE.
            s.execute(delete(Response).where(Response.survey_id == survey_id))
            s.execute(delete(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id))
            s.execute(delete(Survey).where(Survey.id == survey_id))
        self.notifier.emit("feedback", "people", ids=[survey_id])
        return gone

    def restore(self, gone: DeletedRows) -> None:
        """Undo `delete_survey` or `delete_responses`: the same rows under the same ids
        (people or events deleted for good meanwhile are left off them)."""
        with self.db.session() as s:
            if gone.tables[0][0] == "feedback_response":  # responses alone
                surveys = {r["survey_id"] for _t, rows in gone.tables for r in rows}
                for sid in surveys:
                    if s.get(Survey, sid) is None:
                        raise NotFound("The survey of these responses was deleted meanwhile.")
            put_back(s.connection(), gone)
        self.notifier.emit("feedback", "people", ids=list(gone.ids))

    def _validate_survey(self, s, d: SurveyInput, survey_id: int | None) -> SurveyInput:  # type: ignore[no-untyped-def]
        errors: dict[str, str] = {}
        title = d.title.strip()
        if not title:
            errors["title"] = "A survey needs a title."
        if d.kind not in SURVEY_KINDS:
            errors["kind"] = f"Unknown kind: {d.kind}"
        if d.scale not in SCALES:
            errors["scale"] = f"Unknown scale: {d.scale}"
        if d.opened_on and d.closed_on and d.closed_on < d.opened_on:
            errors["closed_on"] = "The survey cannot close before it opens."
        if d.event_id is not None and not _exists(s, "event", d.event_id):
            errors["event"] = f"No event with id {d.event_id}"
        questions: list[QuestionInput] = []
        for n, q in enumerate(d.questions, 1):
            qt = q.text.strip()
            if not qt:
                continue  # an empty row in the editor: nothing to keep
            if q.kind not in QUESTION_KINDS:
                errors[f"question:{n}"] = f"Question {n}: unknown kind {q.kind}"
            choices = tuple(c.strip() for c in q.choices if c.strip())
            if q.kind == "choice" and len(choices) < 2:
                errors[f"question:{n}"] = f"Question {n}: a choice question needs two choices."
            questions.append(QuestionInput(qt, q.kind, choices, q.id))
        if survey_id is not None and d.scale in SCALES and "scale" not in errors:
            low, high = (0, 10) if d.scale == "nps" else (1, 5)
            outside = s.execute(
                text(
                    "SELECT count(*) FROM feedback_response WHERE survey_id = :s "
                    "AND (score < :lo OR score > :hi)"
                ),
                {"s": survey_id, "lo": low, "hi": high},
            ).scalar()
            if outside:
                errors["scale"] = (
                    f"{outside:,} responses have scores outside the {d.scale.upper()} "
                    f"scale ({low}–{high}); the scale cannot change."
                )
        if errors:
            raise ValidationError(errors)
        return SurveyInput(
            title,
            d.kind,
            d.scale,
            d.description.strip(),
            d.event_id,
            d.opened_on,
            d.closed_on,
            tuple(questions),
        )

    @staticmethod
    def _apply_survey(s, sv: Survey, d: SurveyInput) -> None:  # type: ignore[no-untyped-def]
        sv.title, sv.kind, sv.scale, sv.description = d.title, d.kind, d.scale, d.description
        sv.event_id, sv.opened_on, sv.closed_on = d.event_id, d.opened_on, d.closed_on
        if sv.id is None:
            s.add(sv)
            s.flush()
        old = {
            q.id: q
            for q in s.scalars(select(SurveyQuestion).where(SurveyQuestion.survey_id == sv.id))
        }
        kept: set[int] = set()
        for pos, q in enumerate(d.questions):
            row = old.get(q.id) if q.id is not None else None
            if row is None:
                row = SurveyQuestion(survey_id=sv.id)
                s.add(row)
            else:
                kept.add(row.id)
            row.position, row.text, row.kind, row.choices = pos, q.text, q.kind, list(q.choices)
        for qid, row in old.items():
            if qid not in kept:
                s.delete(row)
        s.flush()

    # ---- responses ------------------------------------------------------------------
    def response_ids(
        self,
        survey_id: int | None = None,
        text_query: str = "",
        *,
        band: str | None = None,
        person_id: int | None = None,
        anonymous: bool | None = None,
        sort: str = "responded_at",
        descending: bool = True,
    ) -> list[int]:
        """band: "good" (promoters / satisfied), "neutral" (passives), "bad", "none"."""
        with self.db.read() as s:
            return response_ids(
                s, survey_id, text_query, band, person_id, anonymous, sort, descending
            )

    def response_rows(self, ids: Sequence[int]) -> list[ResponseRow]:
        with self.db.read() as s:
            return response_rows(s, ids)

    def get_response(self, response_id: int) -> ResponseRow:
        rows = self.response_rows([response_id])
        if not rows:
            raise NotFound(f"No response with id {response_id}")
        return rows[0]

    def person_responses(self, person_id: int, limit: int = 50) -> list[ResponseRow]:
        return self.response_rows(self.response_ids(person_id=person_id)[:limit])

    def add_response(self, survey_id: int, data: ResponseInput) -> int:
        with self.db.session() as s:
            scale = self._scale(s, survey_id)
            r = Response(survey_id=survey_id)
            self._apply_response(s, r, scale, data)
            s.add(r)
            s.flush()
            rid = r.id
        self._emit_response(data.person_id, survey_id)
        return rid

    def update_response(self, response_id: int, data: ResponseInput) -> None:
        with self.db.session() as s:
            r = s.get(Response, response_id)
            if r is None:
                raise NotFound(f"No response with id {response_id}")
            before = r.person_id
            self._apply_response(s, r, self._scale(s, r.survey_id), data)
            survey_id = r.survey_id
        self._emit_response(data.person_id or before, survey_id)

    def delete_responses(self, ids: Sequence[int]) -> DeletedRows:
        """Delete responses; returns them for `restore` (Ctrl+Z)."""
        with self.db.session() as s:
            rows = take(s.connection(), "feedback_response", "id", list(dict.fromkeys(ids)))
            found = [int(r["id"]) for r in rows]  # type: ignore[call-overload]
            for part in chunks(found):
                s.execute(delete(Response).where(Response.id.in_(part)))
        self.notifier.emit("feedback", "people")
        what = "response" if len(found) == 1 else "responses"
        return DeletedRows(what, tuple(found), (("feedback_response", rows),))

    def _emit_response(self, person_id: int | None, survey_id: int) -> None:
        areas = ("feedback", "people") if person_id is not None else ("feedback",)
        self.notifier.emit(*areas, ids=[survey_id])

    @staticmethod
    def _scale(s, survey_id: int) -> str:  # type: ignore[no-untyped-def]
        scale = s.scalar(select(Survey.scale).where(Survey.id == survey_id))
        if scale is None:
            raise NotFound(f"No survey with id {survey_id}")
        return str(scale)

    @staticmethod
    def _apply_response(s, r: Response, scale: str, d: ResponseInput) -> None:  # type: ignore[no-untyped-def]
        errors: dict[str, str] = {}
        if d.score is not None and (err := range_error(scale, d.score)):
            errors["score"] = f"Score {err}."
        if d.person_id is not None and not _exists(s, "person", d.person_id):
            errors["person"] = f"No person with id {d.person_id}"
        if d.event_id is not None and not _exists(s, "event", d.event_id):
            errors["event"] = f"No event with id {d.event_id}"
        if d.score is None and not d.comment.strip() and not d.answers:
            errors["score"] = "A response needs a score, a comment or an answer."
        if errors:
            raise ValidationError(errors)
        r.score, r.comment, r.tags = d.score, d.comment.strip(), clean_tags(d.tags)
        r.person_id, r.event_id = d.person_id, d.event_id
        r.responded_at = (d.responded_at or datetime.now()).replace(microsecond=0, tzinfo=None)
        r.answers = {str(k): str(v) for k, v in d.answers.items()}

    # ---- small reads for pickers ---------------------------------------------------
    def event_choices(self, limit: int = 500) -> list[tuple[int, str]]:
        """(id, "title (date)") of the latest events, for an event picker."""
        with self.db.read() as s:
            rows = s.execute(
                text(
                    "SELECT id, title, starts_at FROM event WHERE archived_at IS NULL "
                    "ORDER BY starts_at DESC LIMIT :n"
                ),
                {"n": limit},
            )
            return [(r[0], f"{r[1]} ({str(r[2])[:10]})") for r in rows]


def _exists(s, table: str, row_id: int) -> bool:  # type: ignore[no-untyped-def]
    return (
        s.execute(text(f"SELECT 1 FROM {table} WHERE id = :i"), {"i": row_id}).first() is not None
    )
