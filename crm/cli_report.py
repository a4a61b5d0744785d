"""`crm report --out FILE.pdf [--period 30d|90d|12m|all] [--json]`: the stakeholder PDF.

Kept out of crm/cli.py so the command's start-up does not grow with it (matplotlib is
imported only when a report is made). Exit codes as in crm.cli: 0 written, 2 unusable
arguments or an unwritable file (one line on stderr; the old file, if any, is kept).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from crm.services.reports_data import DEFAULT_PERIOD, PERIODS


def add_parser(sub: Any, db_option: Any) -> None:
    report = sub.add_parser("report", help="a PDF report of the dashboard's charts")
    db_option(report)
    report.add_argument("--out", required=True, metavar="FILE.pdf")
    report.add_argument(
        "--period",
        choices=tuple(PERIODS),
        default=DEFAULT_PERIOD,
        help="last 30 or 90 days, last 12 months (the default) or all time",
    )
    report.add_argument(
        "--json", action="store_true", help="also print the headline numbers as JSON"
    )


def run_report(args: argparse.Namespace, open_services: Any) -> int:
    from crm.services.report_pdf import check_target, write_report_pdf

    check_target(args.out)  # before opening the database and counting
    services = open_services(args, create=False)
    try:
        report = services.reports.report(args.period)
    finally:
        services.close()
    pages = write_report_pdf(report, args.out)
    if args.json:
        out = {
            "file": str(args.out),
            "pages": pages,
            "period": args.period,
            "made_at": report.made_at.isoformat(timespec="seconds"),
            "headlines": {c.key: {"value": c.headline, "what": c.caption} for c in report.charts},
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(f"{args.out}: {pages} pages ({report.period.label.lower()})")
    return 0
