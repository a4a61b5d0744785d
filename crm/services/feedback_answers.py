"""What a survey's choice and text questions were answered, counted in SQL.

Answers live in feedback_response.answers, a JSON object of question id (as text) →
the answer as typed or imported. A choice answer is usually one of the question's
choices; an imported Google Forms checkbox question gives several in one cell
("Security, Tooling"), so an answer that is not exactly one choice is split on commas
and semicolons and counts once for every choice it names. Answers naming none of the
choices ("Other: …" in a form, or a choice renamed since) are counted as other.

The database does all the counting (json_each over the survey's responses, grouped);
Python only receives one row per choice and the few latest text answers. A share is
of the responses that answered that question, so the shares of a question answered
with several choices at once can add up to more than 100 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from crm.services.common import as_datetime
from crm.services.feedback_reads import QuestionData
from crm.services.feedback_scores import round_half_away

LATEST_TEXTS = 3


@dataclass(frozen=True)
class ChoiceCount:
    choice: str
    count: int
    answered: int  # responses that answered the question: what the share is of

    @property
    def share(self) -> float:
        return self.count / self.answered if self.answered else 0.0

    def percent(self) -> str:
        """ "33 %", rounded half away from zero like the NPS figure."""
        return f"{round_half_away(100 * self.share)} %"


@dataclass(frozen=True)
class TextAnswer:
    response_id: int
    responded_at: datetime
    person_id: int | None  # None: anonymous
    person_name: str
    text: str


@dataclass(frozen=True)
class QuestionSummary:
    """One choice or text question. For a choice question `choices` holds every choice,
    the most chosen first (ties in the question's order), and `other` and `several`
    count the answers naming none or more than one of them; for a text question
    `latest` holds the newest answers."""

    question_id: int
    text: str
    kind: str  # "choice" or "text"
    answered: int
    choices: tuple[ChoiceCount, ...] = ()
    other: int = 0
    several: int = 0
    latest: tuple[TextAnswer, ...] = ()


@dataclass(frozen=True)
class AnswerSummary:
    survey_id: int
    responses: int
    questions: tuple[QuestionSummary, ...]  # the choice and text questions, in order


def _norm_sql(column: str) -> str:
    """SQL that makes "A; B" and "A , B" into "A,B" (one list syntax to search)."""
    return f"replace(replace(replace({column}, ';', ','), ', ', ','), ' ,', ',')"


def norm(value: str) -> str:
    """The same as _norm_sql, for a choice's label in Python."""
    return value.replace(";", ",").replace(", ", ",").replace(" ,", ",")


def _answers_of(keys: dict[str, object]) -> str:
    """The survey's non-empty answers to the questions bound as `keys`."""
    marks = ",".join(f":{k}" for k in keys)
    return (
        "SELECT CAST(j.key AS INTEGER) AS qid, trim(CAST(j.value AS TEXT)) AS v, "
        "r.id AS rid, r.responded_at AS at, r.person_id AS pid "
        "FROM feedback_response r, json_each(r.answers) AS j "
        f"WHERE r.survey_id = :survey AND j.key IN ({marks}) "
        "AND j.type NOT IN ('null', 'object', 'array') "
        "AND trim(CAST(j.value AS TEXT)) <> ''"
    )


def choice_summaries(s, survey_id: int, questions: Sequence[QuestionData]) -> list[QuestionSummary]:  # type: ignore[no-untyped-def]
    """Per choice question: the answered count and every choice's count, in one query."""
    asked = [q for q in questions if q.kind == "choice" and q.choices]
    if not asked:
        return []
    params: dict[str, object] = {"survey": survey_id}
    keys = {f"k{i}": str(q.id) for i, q in enumerate(asked)}
    params.update(keys)
    values = []
    for i, q in enumerate(asked):
        for pos, label in enumerate(q.choices):
            name = f"c{i}_{pos}"
            values.append(f"({q.id}, {pos}, :{name}, :{name}n)")
            params[name], params[f"{name}n"] = label, norm(label)
    # m: every answer with the number of choices it names (an exact choice names one,
    # even when its own label holds a comma); then one row per choice with its count,
    # and per question (pos -1, -2, -3) the answered, other and several counts.
    sql = (
        f"WITH ch(qid, pos, label, norm) AS (VALUES {', '.join(values)}), "
        f"a AS ({_answers_of(keys)}), "
        "e AS (SELECT a.qid, a.v, ',' || " + _norm_sql("a.v") + " || ',' AS nv, "
        "EXISTS (SELECT 1 FROM ch WHERE ch.qid = a.qid AND ch.label = a.v) AS exact FROM a), "
        "m AS (SELECT e.*, CASE WHEN e.exact THEN 1 ELSE (SELECT count(*) FROM ch "
        "WHERE ch.qid = e.qid AND instr(e.nv, ',' || ch.norm || ',') > 0) END AS hits FROM e) "
        "SELECT ch.qid, ch.pos, count(m.qid) FROM ch LEFT JOIN m ON m.qid = ch.qid AND "
        "(CASE WHEN m.exact THEN m.v = ch.label "
        "ELSE instr(m.nv, ',' || ch.norm || ',') > 0 END) GROUP BY ch.qid, ch.pos "
        "UNION ALL SELECT qid, -1, count(*) FROM m GROUP BY qid "
        "UNION ALL SELECT qid, -2, sum(hits = 0) FROM m GROUP BY qid "
        "UNION ALL SELECT qid, -3, sum(hits > 1) FROM m GROUP BY qid"
    )
    counts: dict[tuple[int, int], int] = {
        (qid, pos): n for qid, pos, n in s.execute(text(sql), params)
    }
    out = []
    for q in asked:
        answered = counts.get((q.id, -1), 0)
        found = [
            (pos, ChoiceCount(label, counts.get((q.id, pos), 0), answered))
            for pos, label in enumerate(q.choices)
        ]
        found.sort(key=lambda pc: (-pc[1].count, pc[0]))
        out.append(
            QuestionSummary(
                q.id,
                q.text,
                "choice",
                answered,
                tuple(c for _pos, c in found),
                counts.get((q.id, -2), 0),
                counts.get((q.id, -3), 0),
            )
        )
    return out


def text_summaries(
    s, survey_id: int, questions: Sequence[QuestionData], latest: int = LATEST_TEXTS
) -> list[QuestionSummary]:  # type: ignore[no-untyped-def]
    """Per text question: how many answered, and the `latest` newest answers."""
    asked = [q for q in questions if q.kind == "text"]
    if not asked:
        return []
    keys = {f"k{i}": str(q.id) for i, q in enumerate(asked)}
    params: dict[str, object] = {"survey": survey_id, "latest": latest, **keys}
    sql = (
        "WITH t AS (SELECT a.*, row_number() OVER (PARTITION BY a.qid "
        "ORDER BY a.at DESC, a.rid DESC) AS n, count(*) OVER (PARTITION BY a.qid) AS total "
        f"FROM ({_answers_of(keys)}) AS a) "
        "SELECT t.qid, t.total, t.rid, t.at, t.pid, coalesce(p.display_name, ''), t.v, t.n "
        "FROM t LEFT JOIN person p ON p.id = t.pid WHERE t.n <= :latest ORDER BY t.qid, t.n"
    )
    totals: dict[int, int] = {}
    newest: dict[int, list[TextAnswer]] = {}
    for qid, total, rid, at, pid, name, value, _n in s.execute(text(sql), params):
        totals[qid] = total
        when = as_datetime(at)
        assert when is not None  # responded_at is never NULL
        newest.setdefault(qid, []).append(TextAnswer(rid, when, pid, name, value))
    return [
        QuestionSummary(
            q.id, q.text, "text", totals.get(q.id, 0), latest=tuple(newest.get(q.id, ()))
        )
        for q in asked
    ]
