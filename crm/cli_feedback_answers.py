"""`crm feedback answers SURVEY`: per choice question the count and share of each
choice, per text question how many answered and the newest answers."""

from __future__ import annotations

import argparse
import json
from typing import Any

from crm.services.feedback_answers import AnswerSummary


def find_survey(services: Any, ref: str, usage_error: type) -> int:
    """A survey by id, by its exact title, or by the one title containing `ref`."""
    ref = ref.strip()
    if ref.isdigit():
        return int(ref)
    names = services.feedback.survey_names()
    wanted = ref.casefold()
    exact = [sid for sid, title, _scale in names if title.casefold() == wanted]
    found = exact or [sid for sid, title, _scale in names if wanted and wanted in title.casefold()]
    if not found:
        raise usage_error(f"No survey called “{ref}”")
    if len(found) > 1:
        raise usage_error(
            f"“{ref}” matches {len(found)} surveys; give its id (crm feedback scores)"
        )
    return int(found[0])


def print_answers(services: Any, args: argparse.Namespace, usage_error: type) -> int:
    if args.latest < 0:
        raise usage_error("--latest takes a number of answers, 0 or more")
    survey_id = find_survey(services, args.survey, usage_error)
    summary = services.feedback.answers(survey_id, latest=args.latest)
    if args.json:
        print(json.dumps(as_json(summary), ensure_ascii=False, indent=2))
        return 0
    title = services.feedback.get_survey(survey_id).title
    print(f"{title} — {summary.responses:,} responses")
    if not summary.questions:
        print("  (no choice or text questions)")
    for q in summary.questions:
        print()
        print(f"{q.text}  ({q.kind}; {q.answered:,} answered)")
        if not q.answered:
            print("  No answers yet")
            continue
        if q.kind == "choice":
            width = max(len(c.choice) for c in q.choices)
            for c in q.choices:
                print(f"  {c.choice:<{width}}  {c.count:>7,}  {c.percent():>5}")
            if q.other:
                print(f"  {'(other)':<{width}}  {q.other:>7,}")
        else:
            for a in q.latest:
                who = a.person_name or "anonymous"
                print(f"  {a.responded_at:%Y-%m-%d}  {who}: {a.text}")
    return 0


def as_json(summary: AnswerSummary) -> dict[str, object]:
    questions: list[dict[str, object]] = []
    for q in summary.questions:
        item: dict[str, object] = {
            "question_id": q.question_id,
            "text": q.text,
            "kind": q.kind,
            "answered": q.answered,
        }
        if q.kind == "choice":
            item["choices"] = [
                {"choice": c.choice, "count": c.count, "share": round(c.share, 4)}
                for c in q.choices
            ]
            item["other"] = q.other
            item["several"] = q.several
        else:
            item["latest"] = [
                {
                    "response_id": a.response_id,
                    "responded_at": a.responded_at.isoformat(),
                    "person_id": a.person_id,
                    "person": a.person_name or None,
                    "text": a.text,
                }
                for a in q.latest
            ]
        questions.append(item)
    return {"survey_id": summary.survey_id, "responses": summary.responses, "questions": questions}
