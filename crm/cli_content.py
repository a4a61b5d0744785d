"""`crm content` and `crm goals`: the content calendar and goal progress, headless.

Kept out of crm/cli.py so that the command's start-up does not grow with this code.
Exit codes as in crm.cli: 0 done, 2 unusable arguments (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date
from typing import Any


def add_parsers(sub: Any, db_option: Any) -> None:
    content = sub.add_parser("content", help="list the content calendar")
    db_option(content)
    content.add_argument("--status", help="idea, drafting, review, scheduled or published")
    content.add_argument("--kind", help="blog post, newsletter, social post, video or docs")
    content.add_argument("--owner", metavar="NAME")
    content.add_argument("--search", metavar="TEXT", default="")
    content.add_argument("--json", action="store_true")
    goals = sub.add_parser("goals", help="goals and their progress, measured now")
    db_option(goals)
    goals.add_argument("--json", action="store_true")


def _usage(message: str) -> Exception:
    from crm.cli import UsageError

    return UsageError(message)


def _open(args: argparse.Namespace) -> Any:
    from crm.paths import database_url
    from crm.services import open_services

    return open_services(database_url(args.db), create=False)


def _day(d: date | None) -> str:
    return d.isoformat() if d else "—"


def run_content(args: argparse.Namespace) -> int:
    from crm.models.engagement import CONTENT_KINDS, CONTENT_STATUSES
    from crm.services.content import ContentFilter

    if args.status is not None and args.status not in CONTENT_STATUSES:
        raise _usage(f"--status: one of {', '.join(CONTENT_STATUSES)}")
    if args.kind is not None and args.kind not in CONTENT_KINDS:
        raise _usage(f"--kind: one of {', '.join(CONTENT_KINDS)}")
    services = _open(args)
    try:
        filters = ContentFilter(args.search, args.status, args.kind, args.owner)
        rows = services.content.rows(services.content.query_ids(filters))
    finally:
        services.close()
    if args.json:
        out = [
            {**asdict(r), "due_on": _day(r.due_on), "publish_on": _day(r.publish_on)} for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        guest = f"  (guest: {r.guest_author})" if r.guest_author else ""
        print(
            f"{r.id:>6}  {_day(r.due_on):<10}  {_day(r.publish_on):<10}  {r.status:<9}  "
            f"{r.kind:<11}  {r.title}{guest}"
        )
    return 0


def run_goals(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        rows = services.goals.rows(services.goals.query_ids())
    finally:
        services.close()
    if args.json:
        out = []
        for g in rows:
            item = asdict(g)
            item.update(starts_on=g.starts_on.isoformat(), deadline=g.deadline.isoformat())
            out.append(item)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for g in rows:
        print(f"{g.id:>4}  {g.progress.state:<11}  {g.title}: {g.progress.explanation}")
    return 0
