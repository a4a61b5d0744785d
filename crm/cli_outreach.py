"""`crm outreach`: the speaker-outreach board and its conversion, headless.

Exit codes as in crm.cli: 0 done, 2 unusable arguments (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any


def add_parser(sub: Any, db_option: Any) -> None:
    p = sub.add_parser("outreach", help="the speaker-outreach board and its conversion")
    db_option(p)
    p.add_argument("--event", type=int, metavar="ID", help="only cards for this target event")
    p.add_argument("--search", metavar="TEXT", default="")
    p.add_argument("--json", action="store_true")


def run_outreach(args: argparse.Namespace) -> int:
    from crm.cli import UsageError
    from crm.paths import database_url
    from crm.services import open_services

    services = open_services(database_url(args.db), create=False)
    try:
        if args.event is not None and args.event not in {
            e.id for e in services.outreach.event_choices()
        }:
            raise UsageError(f"--event: no event with id {args.event}")
        board = services.outreach.board(event_id=args.event, search=args.search)
        conv = services.outreach.conversion(event_id=args.event)
    finally:
        services.close()
    if args.json:
        out = {
            "conversion": asdict(conv),
            "cards": {stage: [asdict(c) for c in cards] for stage, cards in board.items()},
        }
        print(json.dumps(out, indent=2, default=str, ensure_ascii=False))
        return 0
    funnel = "  →  ".join(
        f"{f.stage} {f.reached:,}"
        + (f" ({f.rate_to_next:.0%} on)" if f.rate_to_next is not None else "")
        for f in conv.stages
    )
    print(f"{funnel}   |  declined {conv.declined:,}")
    for stage, cards in board.items():
        print(f"\n{stage.upper()} ({len(cards):,})")
        for c in cards:
            due = f" by {c.next_step_on}" if c.next_step_on else ""
            late = "  OVERDUE" if c.overdue else ""
            event = f" @ {c.event_title}" if c.event_title else ""
            step = f" — next: {c.next_step}{due}{late}" if c.next_step else ""
            print(f"  {c.id:>6}  {c.person_name}: {c.topic or 'no topic'}{event}{step}")
    return 0
