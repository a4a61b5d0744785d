"""`crm feedback …` and `crm initiatives`: survey results in, scores and lists out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_parsers(sub: Any, db_option: Any, parser_class: type) -> None:
    fb = sub.add_parser("feedback", help="survey results: import a CSV, NPS/CSAT scores")
    db_option(fb)
    what = fb.add_subparsers(dest="what", parser_class=parser_class)
    imp = what.add_parser("import", help="import survey results (Google Forms, Typeform, CSV)")
    db_option(imp)
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--survey", required=True, type=int, metavar="ID")
    imp.add_argument("--mapping", metavar="NAME", help="a saved survey mapping or a JSON file")
    imp.add_argument(
        "--skip-rejected",
        action="store_true",
        dest="skip_rejected",
        help="import the good rows even when some are rejected (default: all or nothing)",
    )
    imp.add_argument("--json", action="store_true")
    scores = what.add_parser("scores", help="NPS or CSAT of every survey")
    db_option(scores)
    scores.add_argument("--json", action="store_true")
    trend = what.add_parser("trend", help="NPS or CSAT month by month")
    db_option(trend)
    trend.add_argument("--scale", choices=("nps", "csat"), default="nps")
    trend.add_argument("--survey", type=int, metavar="ID")
    trend.add_argument("--json", action="store_true")
    answers = what.add_parser(
        "answers", help="a survey's choice answers counted, and its latest text answers"
    )
    db_option(answers)
    answers.add_argument("survey", metavar="SURVEY", help="the survey's id or (part of) its title")
    answers.add_argument(
        "--latest", type=int, default=3, metavar="N", help="text answers shown per question"
    )
    answers.add_argument("--json", action="store_true")

    ini = sub.add_parser("initiatives", help="list engagement initiatives")
    db_option(ini)
    ini.add_argument("--json", action="store_true")


def run_feedback(args: argparse.Namespace, open_services: Any, usage_error: type) -> int:
    if args.what not in ("import", "scores", "trend", "answers"):
        raise usage_error("feedback what? (crm feedback import|scores|trend|answers …)")
    services = open_services(args, create=False)
    try:
        if args.what == "import":
            return _import(services, args, usage_error)
        if args.what == "scores":
            return _scores(services, args)
        if args.what == "answers":
            from crm.cli_feedback_answers import print_answers

            return print_answers(services, args, usage_error)
        return _trend(services, args)
    finally:
        services.close()


def _import(services: Any, args: argparse.Namespace, usage_error: type) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise usage_error(f"{path}: {exc.strerror or exc}") from None
    mapping = None
    if args.mapping:
        if args.mapping.endswith(".json"):
            try:
                mapping = json.loads(Path(args.mapping).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise usage_error(f"{args.mapping}: not a readable JSON mapping ({exc})") from None
            if not isinstance(mapping, dict):
                raise usage_error(f"{args.mapping}: a mapping is a JSON object of column → target")
        else:
            mapping = services.feedback.imports.mapping(args.mapping)
    report = services.feedback.imports.run(
        args.survey, data, path.name, mapping, skip_rejected=args.skip_rejected
    )
    if args.json:
        out = {
            "file": report.name,
            "written": report.written,
            "imported": report.imported,
            "matched": report.matched,
            "anonymous": report.anonymous,
            "duplicates": report.duplicates,
            "rejected": [{"line": r.line, "reason": r.reason} for r in report.rejected],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(report.summary())
        for r in report.rejected:
            print(f"{report.name}: line {r.line}: {r.reason}", file=sys.stderr)
    return 1 if report.rejected else 0


def _scores(services: Any, args: argparse.Namespace) -> int:
    fb = services.feedback
    rows = fb.survey_rows(fb.survey_ids(sort="opened_on", descending=True))
    if args.json:
        out = [
            {
                "id": r.id,
                "title": r.title,
                "scale": r.scale,
                "responses": r.responses,
                "scored": r.score.responses,
                "value": r.score.value,
                "good": r.score.good,
                "bad": r.score.bad,
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        print(f"{r.id:>6}  {r.scale.upper():<4} {r.score.text():>13}  {r.responses:>7,}  {r.title}")
    if not rows:
        print("no surveys", file=sys.stderr)
    return 0


def _trend(services: Any, args: argparse.Namespace) -> int:
    months = services.feedback.trend(args.scale, args.survey)
    if args.json:
        out = [
            {"month": m.month, "responses": m.score.responses, "value": m.score.value}
            for m in months
        ]
        print(json.dumps(out, indent=2))
        return 0
    for m in months:
        print(f"{m.month}  {m.score.text():>8}  {m.score.responses:>7,}")
    if not months:
        print("no responses", file=sys.stderr)
    return 0


def run_initiatives(args: argparse.Namespace, open_services: Any) -> int:
    services = open_services(args, create=False)
    try:
        ini = services.initiatives
        rows = ini.rows(ini.query_ids(sort="starts_on", descending=True))
    finally:
        services.close()
    if args.json:
        out = [
            {
                "id": r.id,
                "title": r.title,
                "kind": r.kind,
                "starts_on": r.starts_on.isoformat() if r.starts_on else None,
                "ends_on": r.ends_on.isoformat() if r.ends_on else None,
                "goal": r.goal,
                "participants": r.participants,
                "winners": r.winners,
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        dates = f"{r.starts_on or '…'} – {r.ends_on or '…'}"
        print(f"{r.id:>5}  {r.kind:<20} {dates:<25} {r.participants:>6,}  {r.title}")
    if not rows:
        print("no initiatives", file=sys.stderr)
    return 0
