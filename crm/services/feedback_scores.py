"""NPS and CSAT: the arithmetic, and the SQL that counts the scores it needs.

The database does the counting (one GROUP BY over the responses, per survey or per
month); Python only turns the three counts into a figure. A survey with no scored
response has no figure at all (None, shown as "no responses"), which is not the same
as an NPS of 0 (as many promoters as detractors, or only passives).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

NPS_RANGE = (0, 10)
CSAT_RANGE = (1, 5)
RANGES = {"nps": NPS_RANGE, "csat": CSAT_RANGE}

NPS_DEFINITION = "NPS = % promoters (9–10) − % detractors (0–6), from −100 to +100"
CSAT_DEFINITION = "CSAT = % of scores that are 4 or 5 (satisfied or very satisfied)"
DEFINITIONS = {"nps": NPS_DEFINITION, "csat": CSAT_DEFINITION}


def score_range(scale: str) -> tuple[int, int]:
    return RANGES[scale]


def range_error(scale: str, score: int) -> str | None:
    """Why a score does not fit the scale, or None."""
    low, high = RANGES[scale]
    if low <= score <= high:
        return None
    return f"{score} is outside the {scale.upper()} scale ({low}–{high})"


def round_half_away(value: float) -> int:
    """Round 12.5 to 13 and −12.5 to −13 (Python's round() would give 12 and −12)."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


@dataclass(frozen=True)
class Score:
    """One NPS or CSAT figure with the counts behind it.

    For NPS: good = promoters (9–10), bad = detractors (0–6), the rest passives.
    For CSAT: good = satisfied (4–5), bad = the rest (1–3).
    """

    scale: str
    responses: int  # scored responses
    good: int
    bad: int

    @property
    def value(self) -> float | None:
        """The exact figure; None when nobody answered with a score."""
        if self.responses == 0:
            return None
        if self.scale == "nps":
            return 100.0 * (self.good - self.bad) / self.responses
        return 100.0 * self.good / self.responses

    @property
    def neutral(self) -> int:
        return self.responses - self.good - self.bad

    def text(self) -> str:
        """ "+42", "−8", "0", "87 %", or "no responses"."""
        v = self.value
        if v is None:
            return "no responses"
        n = round_half_away(v)
        if self.scale == "nps":
            return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "0")
        return f"{n} %"

    def breakdown(self) -> str:
        if self.scale == "nps":
            return f"{self.good:,} promoters · {self.neutral:,} passives · {self.bad:,} detractors"
        return f"{self.good:,} satisfied of {self.responses:,}"


def empty(scale: str) -> Score:
    return Score(scale, 0, 0, 0)


def count_columns(scale: str, column: str = "score") -> str:
    """SQL for (scored, good, bad) over the rows of a GROUP BY, for one scale."""
    if scale == "nps":
        good, bad = f"{column} >= 9", f"{column} <= 6"
    else:
        good, bad = f"{column} >= 4", f"{column} <= 3"
    return (
        f"count({column}), coalesce(sum({column} IS NOT NULL AND {good}), 0), "
        f"coalesce(sum({column} IS NOT NULL AND {bad}), 0)"
    )


def survey_counts(where: str = "") -> str:
    """SQL for (survey_id, responses, scored, good, bad) of each survey with responses.

    The responses are first counted per (survey, score): an ordered pass over the
    covering index ix_feedback_response_survey_score, no table row read and no sort;
    the few rows that leaves (at most a dozen per survey) are then summed by the
    survey's own scale. `where` filters the responses (e.g. "WHERE survey_id IN (…)").
    """
    return (
        "SELECT g.survey_id AS survey_id, sum(g.n) AS responses, "
        "sum(CASE WHEN g.score IS NULL THEN 0 ELSE g.n END) AS scored, "
        "sum(CASE WHEN g.score >= (CASE sv.scale WHEN 'nps' THEN 9 ELSE 4 END) "
        "THEN g.n ELSE 0 END) AS good, "
        "sum(CASE WHEN g.score <= (CASE sv.scale WHEN 'nps' THEN 6 ELSE 3 END) "
        "THEN g.n ELSE 0 END) AS bad "
        f"FROM (SELECT survey_id, score, count(*) AS n FROM feedback_response {where} "
        "GROUP BY survey_id, score) AS g JOIN survey sv ON sv.id = g.survey_id "
        "GROUP BY g.survey_id"
    )


@dataclass(frozen=True)
class MonthScore:
    month: str  # "2024-03"
    score: Score
