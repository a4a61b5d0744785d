"""CSV import of survey results (a Google Forms or Typeform export, or any CSV).

The file goes through the contact import's CSV reader (crm.services.io.csv_read:
encoding detection, delimiter sniffing, broken-quote recovery with line numbers);
only the mapping targets differ. Column mappings are saved in the same import_mapping
table as contact mappings, under a "survey: " prefix. The person is matched by email
(any address of theirs, case-insensitively); without a match the response is
anonymous and the address is kept with its answers. A file is all or nothing: any
rejected row stops the whole file unless the caller asks to skip rejected rows, and
the rows are written in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, text

from crm.models.feedback import FeedbackResponse, Survey, SurveyQuestion
from crm.models.imports import ImportMapping
from crm.services.common import NotFound, ValidationError
from crm.services.feedback_scores import range_error
from crm.services.io.csv_read import PREVIEW_ROWS, open_table, table_rows
from crm.services.io.records import Rejected

if TYPE_CHECKING:
    from crm.services.feedback import FeedbackService

MAPPING_PREFIX = "survey: "
# What a column may be mapped to, besides "question:<id>" (an answer to that question).
TARGETS = ("ignore", "timestamp", "email", "score", "comment", "tags")
TARGET_LABELS = {
    "ignore": "(ignore)",
    "timestamp": "Date and time",
    "email": "Email (matches a person)",
    "score": "Score",
    "comment": "Comment",
    "tags": "Tags",
}

_SCORE_WORDS = ("recommend", "how likely", "nps", "satisf", "rating", "rate ", "score")
_COMMENT_WORDS = ("why", "reason", "comment", "feedback", "better", "improve", "tell us", "else")
_TIME_HEADERS = ("timestamp", "submit date", "submitted at", "date submitted", "submitted", "date")
_FORMATS = (
    "%Y/%m/%d %I:%M:%S %p",  # Google Forms' CSV download: 2024/03/05 2:23:11 PM GMT+1
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",  # Google Sheets, US locale
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M:%S",  # Google Sheets, most other locales
    "%d.%m.%Y %H:%M:%S",
    "%m/%d/%Y",
    "%d/%m/%Y",
)
_ZONE = re.compile(r"\s*(?:GMT|UTC)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\s*$", re.IGNORECASE)
_LEADING_INT = re.compile(r"^\s*(-?\d+)(?:[.,]0+)?(?:\s*$|\s*[-–:/(]|\s+[A-Za-z])")


@dataclass(frozen=True)
class SurveyCsvPreview:
    encoding: str
    delimiter: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total_rows: int
    mapping: dict[str, str]  # header → target


@dataclass(frozen=True)
class SurveyImportReport:
    name: str
    imported: int  # responses written (0 when the file was refused)
    matched: int  # of those (or of the good rows, when refused), linked to a person
    anonymous: int
    duplicates: int  # rows already in the survey, skipped
    rejected: tuple[Rejected, ...]
    written: bool
    notes: tuple[str, ...]

    def summary(self) -> str:
        if not self.written:
            return (
                f"{self.name}: nothing imported — {len(self.rejected)} rejected "
                f"row{'s' if len(self.rejected) != 1 else ''}"
            )
        parts = [
            f"{self.imported:,} responses imported ({self.matched:,} matched by email, "
            f"{self.anonymous:,} anonymous)"
        ]
        if self.duplicates:
            parts.append(f"{self.duplicates:,} already imported, skipped")
        if self.rejected:
            parts.append(f"{len(self.rejected):,} rejected")
        return f"{self.name}: " + "; ".join(parts)


def parse_timestamp(raw: str) -> datetime | None:
    """Naive UTC from the timestamps Google Forms, Sheets and Typeform write; None if unreadable."""
    value = raw.strip()
    if not value:
        return None
    offset_minutes = 0
    zone = _ZONE.search(value)
    if zone:
        value = value[: zone.start()]
        if zone.group(1):
            offset_minutes = int(zone.group(2)) * 60 + int(zone.group(3) or 0)
            if zone.group(1) == "-":
                offset_minutes = -offset_minutes
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        found = None
        for fmt in _FORMATS:
            try:
                found = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
        if found is None:
            return None
    if found.tzinfo is not None:
        return found.astimezone(UTC).replace(tzinfo=None)
    from datetime import timedelta

    return found - timedelta(minutes=offset_minutes)


def parse_score(raw: str) -> int | None:
    """9 from "9", "9.0" or "9 - Very likely"; None when empty. Raises ValueError otherwise."""
    value = raw.strip()
    if not value:
        return None
    m = _LEADING_INT.match(value)
    if not m:
        raise ValueError(f"score “{value[:30]}” is not a number")
    return int(m.group(1))


def guess_mapping(
    headers: Sequence[str], questions: Sequence[tuple[int, str, str]]
) -> dict[str, str]:
    """Targets for each header: exact question texts first, then by words in the header.

    questions are (id, text, kind); the text of a "score" question maps to the score.
    """
    by_text = {q.strip().casefold(): qid for qid, q, kind in questions if kind != "score"}
    score_texts = {q.strip().casefold() for _qid, q, kind in questions if kind == "score"}
    out: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        key = h.strip().casefold()
        candidates: list[str] = []
        if key in score_texts:
            candidates.append("score")
        if key in by_text:
            candidates.append(f"question:{by_text[key]}")
        if "email" in key or key == "e-mail":
            candidates.append("email")
        if key in _TIME_HEADERS or key.startswith("submit date"):
            candidates.append("timestamp")
        if key == "tags":
            candidates.append("tags")
        if any(w in key for w in _SCORE_WORDS):
            candidates.append("score")
        if any(w in key for w in _COMMENT_WORDS):
            candidates.append("comment")
        target = next((c for c in candidates if c not in taken), "ignore")
        if target != "ignore":
            taken.add(target)
        out[h] = target
    return out


class FeedbackImports:
    """The import of survey results into one survey, for FeedbackService.imports."""

    def __init__(self, service: FeedbackService) -> None:
        self.service = service
        self.db = service.db

    def _questions(self, survey_id: int) -> tuple[str, list[tuple[int, str, str]]]:
        with self.db.read() as s:
            scale = s.scalar(select(Survey.scale).where(Survey.id == survey_id))
            if scale is None:
                raise NotFound(f"No survey with id {survey_id}")
            qs = s.execute(
                select(SurveyQuestion.id, SurveyQuestion.text, SurveyQuestion.kind)
                .where(SurveyQuestion.survey_id == survey_id)
                .order_by(SurveyQuestion.position)
            )
            return str(scale), [(r[0], r[1], r[2]) for r in qs]

    def preview(self, survey_id: int, data: bytes, name: str) -> SurveyCsvPreview:
        """Encoding, delimiter, headers, first rows and a guessed mapping. Raises ServiceError."""
        _scale, questions = self._questions(survey_id)
        t = open_table(data, name)
        rows: list[tuple[str, ...]] = []
        total = 0
        for _line, row in table_rows(t):
            if isinstance(row, str) or any(c.strip() for c in row):
                total += 1
                if not isinstance(row, str) and len(rows) < PREVIEW_ROWS:
                    rows.append(tuple(row))
        return SurveyCsvPreview(
            t.encoding,
            t.delimiter,
            tuple(t.headers),
            tuple(rows),
            total,
            guess_mapping(t.headers, questions),
        )

    def run(
        self,
        survey_id: int,
        data: bytes,
        name: str,
        mapping: Mapping[str, str] | None = None,
        *,
        skip_rejected: bool = False,
    ) -> SurveyImportReport:
        """Import the file into the survey; nothing is written if a row is rejected
        (unless skip_rejected) or if anything fails on the way."""
        scale, questions = self._questions(survey_id)
        t = open_table(data, name)
        cols = dict(mapping) if mapping is not None else guess_mapping(t.headers, questions)
        self._check_mapping(cols, t.headers, {q[0] for q in questions})
        index = {target: t.headers.index(h) for h, target in cols.items() if target != "ignore"}
        rejected: list[Rejected] = []
        good: list[dict[str, object]] = []
        emails: dict[int, str] = {}
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        for line, row in table_rows(t):
            if isinstance(row, str):
                rejected.append(Rejected(line, row))
                continue
            if not any(c.strip() for c in row):
                continue
            result = self._row(row, index, scale, now)
            if isinstance(result, str):
                rejected.append(Rejected(line, result))
                continue
            email = result.pop("_email")
            if email:
                emails[len(good)] = str(email)
            good.append(result)
        with self.db.session() as s:
            people = _people_by_email(s, set(emails.values()))
            for i, email in emails.items():
                pid = people.get(email.casefold())
                if pid is not None:
                    good[i]["person_id"] = pid
                else:
                    good[i]["answers"] = {**good[i]["answers"], "email": email}  # type: ignore[dict-item]
            seen = {
                (str(r[0])[:19], r[1], r[2] or "")
                for r in s.execute(
                    text(
                        "SELECT responded_at, score, comment FROM feedback_response "
                        "WHERE survey_id = :s"
                    ),
                    {"s": survey_id},
                )
            }
            fresh = [
                g
                for g in good
                if (g["responded_at"].isoformat(sep=" "), g["score"], g["comment"])  # type: ignore[union-attr]
                not in seen
            ]
            matched = sum(1 for g in fresh if g.get("person_id"))
            write = bool(fresh) and (skip_rejected or not rejected)
            if write:
                for g in fresh:
                    g["survey_id"] = survey_id
                s.execute(insert(FeedbackResponse), fresh)
        notes = (f"read as {t.encoding}",)
        report = SurveyImportReport(
            name,
            len(fresh) if write else 0,
            matched,
            len(fresh) - matched,
            len(good) - len(fresh),
            tuple(rejected),
            not rejected or skip_rejected,
            notes,
        )
        if write:
            self.service.notifier.emit("feedback", "people", ids=[survey_id])
        return report

    @staticmethod
    def _check_mapping(cols: Mapping[str, str], headers: Sequence[str], qids: set[int]) -> None:
        errors: dict[str, str] = {}
        missing = [h for h in cols if h not in headers]
        if missing:
            errors["columns"] = f"The file has no column “{missing[0]}”"
        used: dict[str, str] = {}
        for h, target in cols.items():
            if target.startswith("question:"):
                if not target[9:].isdigit() or int(target[9:]) not in qids:
                    errors["columns"] = f"“{h}”: no such question in this survey"
            elif target not in TARGETS:
                errors["columns"] = f"“{h}”: unknown target {target}"
            if target != "ignore" and target in used:
                errors["columns"] = f"Both “{used[target]}” and “{h}” are mapped to {target}"
            used.setdefault(target, h)
        if (
            "score" not in used
            and "comment" not in used
            and not any(t.startswith("question:") for t in used)
        ):
            errors["columns"] = "Map at least one column to the score, the comment or a question."
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _row(
        row: list[str], index: Mapping[str, int], scale: str, now: datetime
    ) -> dict[str, object] | str:
        def cell(target: str) -> str:
            i = index.get(target)
            return row[i].strip() if i is not None and i < len(row) else ""

        try:
            score = parse_score(cell("score"))
        except ValueError as exc:
            return str(exc)
        if score is not None and (err := range_error(scale, score)):
            return f"score {err}"
        when = now
        if "timestamp" in index:
            raw = cell("timestamp")
            parsed = parse_timestamp(raw)
            if parsed is None:
                return f"date “{raw[:30]}” is not a date" if raw else "no date"
            when = parsed.replace(microsecond=0)
        answers = {t[9:]: cell(t) for t in index if t.startswith("question:") and cell(t)}
        comment = cell("comment")
        if score is None and not comment and not answers:
            return "no score, comment or answer"
        from crm.services.feedback import clean_tags

        return {
            "score": score,
            "comment": comment,
            "tags": clean_tags(cell("tags").replace(";", ",").split(",")),
            "responded_at": when,
            "answers": answers,
            "person_id": None,
            "_email": cell("email").lower(),
        }

    # ---- saved mappings (shared table with contact mappings, prefixed) ------------------
    def save_mapping(self, name: str, columns: Mapping[str, str]) -> None:
        clean_name = name.strip()
        if not clean_name:
            raise ValidationError({"name": "A mapping needs a name."})
        cols = {str(k): str(v) for k, v in columns.items() if v and v != "ignore"}
        bad = [v for v in cols.values() if v not in TARGETS and not v.startswith("question:")]
        if bad:
            raise ValidationError({"columns": f"Unknown target: {bad[0]}"})
        key = MAPPING_PREFIX + clean_name
        with self.db.session() as s:
            row = s.scalar(select(ImportMapping).where(ImportMapping.name == key))
            if row is None:
                s.add(ImportMapping(name=key, columns=cols))
            else:
                row.columns = cols
        self.service.notifier.emit("mappings")

    def mapping(self, name: str) -> dict[str, str]:
        with self.db.read() as s:
            row = s.scalar(
                select(ImportMapping).where(ImportMapping.name == MAPPING_PREFIX + name.strip())
            )
            if row is None:
                raise NotFound(f"No saved survey mapping called “{name}”")
            return dict(row.columns)

    def mappings(self) -> list[str]:
        with self.db.read() as s:
            names = s.scalars(
                select(ImportMapping.name).where(ImportMapping.name.startswith(MAPPING_PREFIX))
            )
            return sorted((n[len(MAPPING_PREFIX) :] for n in names), key=str.casefold)


def _people_by_email(s, emails: set[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """lower(address) → person id for the addresses given; active people win over archived."""
    out: dict[str, int] = {}
    wanted = sorted({e.casefold() for e in emails if e})
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        marks = ",".join(f":e{j}" for j in range(len(part)))
        rows = s.execute(
            text(
                "SELECT lower(e.address), e.person_id FROM email e JOIN person p "
                f"ON p.id = e.person_id WHERE lower(e.address) IN ({marks}) "
                "ORDER BY p.archived_at IS NULL, e.person_id DESC"
            ),
            {f"e{j}": v for j, v in enumerate(part)},
        )
        for addr, pid in rows:
            out[addr] = pid  # the last row wins: the active person with the lowest id
    return out
