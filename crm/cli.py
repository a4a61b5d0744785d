"""The `crm` command: the desktop app, and the same services headless.

Exit codes: 0 success, 1 some records rejected (with a report), 2 unusable input or
arguments. Errors are one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import NoReturn

from crm import __version__


class UsageError(Exception):
    """Bad arguments or unusable input: exit 2 with the message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _db_option(p: argparse.ArgumentParser, *, sub: bool = True) -> None:
    """--db goes before or after the subcommand. Subcommands must not default it: argparse
    would let their None overwrite a --db given before the subcommand."""
    p.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS if sub else None,
        help="database file (default: the user data dir; or set CRM_DATABASE_URL)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="crm", description="Rapport, a community-relationship manager.")
    parser.add_argument("--version", action="version", version=f"crm {__version__}")
    _db_option(parser, sub=False)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    gui = sub.add_parser("gui", help="open the desktop app (the default)")
    _db_option(gui)

    demo = sub.add_parser("demo", help="fill a database with realistic sample data")
    _db_option(demo)
    demo.add_argument("--contacts", type=int, default=500, metavar="N")
    demo.add_argument(
        "--interactions", type=int, default=None, metavar="N", help="default: ten per contact"
    )
    demo.add_argument("--seed", type=int, default=1, metavar="S")

    search = sub.add_parser("search", help="search people, communities and interactions")
    _db_option(search)
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")

    stats = sub.add_parser("stats", help="counts and headline metrics")
    _db_option(stats)
    stats.add_argument("--json", action="store_true")

    events = sub.add_parser("events", help="list events with their dates and invitation counts")
    _db_option(events)
    when = events.add_mutually_exclusive_group()
    when.add_argument("--upcoming", action="store_true", help="only events not over yet")
    when.add_argument("--past", action="store_true", help="only events that are over")
    events.add_argument("--json", action="store_true")

    top = sub.add_parser("top-requests", help="open advocacy notes ranked by members behind them")
    _db_option(top)
    top.add_argument("--limit", type=int, default=20)
    top.add_argument("--department", metavar="D")
    top.add_argument("--json", action="store_true")

    imp = sub.add_parser(
        "import", help="import contacts (vCard, CSV) or calendar replies (.ics METHOD:REPLY)"
    )
    _db_option(imp)
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--format", choices=("auto", "vcard", "csv", "ics"), default="auto")
    imp.add_argument(
        "--mapping",
        metavar="NAME",
        help="CSV column mapping: google, outlook, a saved mapping's name, or a JSON file",
    )
    imp.add_argument(
        "--on-duplicate",
        choices=("merge", "skip", "add"),
        default="merge",
        dest="on_duplicate",
        help="a record with the email, phone or UID of a person (default: merge)",
    )
    imp.add_argument(
        "--on-similar-name",
        choices=("merge", "skip", "add"),
        default="add",
        dest="on_similar_name",
        help="a record matching only by name at the same organisation (default: add)",
    )

    export = sub.add_parser("export", help="export contacts or calendar files")
    _db_option(export)
    what = export.add_subparsers(dest="what", parser_class=_Parser)
    contacts = what.add_parser("contacts", help="contacts as vCard or CSV")
    _db_option(contacts)
    contacts.add_argument(
        "--format", required=True, choices=("vcard3", "vcard4", "csv", "csv-google", "csv-outlook")
    )
    contacts.add_argument("--out", required=True, metavar="FILE")
    contacts.add_argument("--tag", metavar="T")
    contacts.add_argument("--role", metavar="R")
    contacts.add_argument("--community", metavar="C", help="id or name")
    contacts.add_argument(
        "--partner", metavar="P", help="partner community (id or name): consent-gated export"
    )
    contacts.add_argument("--fields", metavar="a,b,c")
    _calendar_parsers(what)

    from crm.cli_content import add_parsers as add_content_parsers

    add_content_parsers(sub, _db_option)
    from crm.cli_outreach import add_parser as add_outreach_parser

    add_outreach_parser(sub, _db_option)
    from crm.cli_feedback import add_parsers as feedback_parsers

    feedback_parsers(sub, _db_option, _Parser)
    from crm.cli_backup import add_parsers as add_backup_parsers

    add_backup_parsers(sub, _db_option)
    from crm.cli_report import add_parser as add_report_parser

    add_report_parser(sub, _db_option)
    return parser


def _calendar_parsers(what: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cal = what.add_parser("calendar", help="all events as one .ics calendar")
    _db_option(cal)
    cal.add_argument("--out", required=True, metavar="FILE.ics")
    cal.add_argument(
        "--attendees", action="store_true", help="list each event's invitees (a plain record)"
    )
    inv = what.add_parser(
        "invitations", help="one event's invitations as an iTIP request (or cancellation)"
    )
    _db_option(inv)
    inv.add_argument("--event", required=True, type=int, metavar="ID")
    inv.add_argument("--out", required=True, metavar="FILE.ics")
    inv.add_argument("--drafts", metavar="DIR", help="also one .eml draft per invitee here")
    inv.add_argument("--organiser-name", metavar="NAME", dest="organiser_name")
    inv.add_argument(
        "--organiser-email",
        metavar="EMAIL",
        dest="organiser_email",
        help="instead of the organiser in the settings",
    )
    inv.add_argument(
        "--no-mark",
        action="store_true",
        help='leave invitations "not sent" (by default they become "invited")',
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        command = args.command or "gui"
        if command == "gui":
            # No garbage collection while the app's modules load and its window is
            # built; run_app switches it back on once the window has painted.
            gc.disable()
            from crm.ui.app import run_app

            return run_app(args.db, gc_off_until_painted=True)
        return _HANDLERS[command](args)
    except UsageError as exc:
        print(f"crm: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("crm: interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`crm search … | head`): not an error of ours. Point
        # stdout at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError

        from crm.services import DatabaseError, ServiceError

        if isinstance(exc, DatabaseError | ServiceError):
            message = str(exc)
        elif isinstance(exc, DBAPIError):  # its text goes on with the SQL over several lines
            message = f"database error: {exc.orig} (the file may be damaged)"
        else:
            message = f"unexpected error: {type(exc).__name__}: {exc}"
        print(f"crm: {_one_line(message)}", file=sys.stderr)
        return 2


def _one_line(message: str) -> str:
    """Errors are promised as one line on stderr, whatever the exception's text holds."""
    return " ".join(message.split()) or "failed"


def _open(args: argparse.Namespace, create: bool = True):  # type: ignore[no-untyped-def]
    from crm.paths import database_url
    from crm.services import open_services

    return open_services(database_url(args.db), create=create)


def _cmd_demo(args: argparse.Namespace) -> int:
    from crm.services.demo import generate

    if args.contacts < 1:
        raise UsageError("--contacts must be at least 1")
    if args.interactions is not None and args.interactions < 0:
        raise UsageError("--interactions cannot be negative")
    services = _open(args)
    try:
        if services.people.count() + services.people.count(archived=True) > 0:
            raise UsageError(
                f"{services.db.path or services.db.url}: already holds data; "
                "demo data goes into a new or empty database"
            )
        report = generate(
            services.db, contacts=args.contacts, interactions=args.interactions, seed=args.seed
        )
    finally:
        services.close()
    print(", ".join(f"{v:,} {k}" for k, v in report.items()))
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    services = _open(args, create=False)
    try:
        if args.limit < 1:
            raise UsageError("--limit must be at least 1")
        hits = services.search.search(args.query, limit=args.limit)
    finally:
        services.close()
    if args.json:
        print(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2))
    else:
        for h in hits:
            print(
                f"{h.kind:<12} {h.id:>8}  {h.title}  ({h.detail})"
                if h.detail
                else f"{h.kind:<12} {h.id:>8}  {h.title}"
            )
        if not hits:
            print("no matches", file=sys.stderr)
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    services = _open(args, create=False)
    try:
        counts = services.stats.counts()
    finally:
        services.close()
    if args.json:
        print(json.dumps(counts, indent=2))
    else:
        width = max(len(k) for k in counts)
        for k, v in counts.items():
            print(f"{k:<{width}}  {v:>10,}")
    return 0


def _cmd_events(args: argparse.Namespace) -> int:
    from crm.cli_events import run_events

    return run_events(args)


def _cmd_import(args: argparse.Namespace) -> int:
    from crm.cli_io import run_import

    return run_import(args)


def _cmd_export(args: argparse.Namespace) -> int:
    from crm.cli_io import run_export

    if args.what in ("calendar", "invitations"):
        from crm.cli_calendar import run_export_calendar, run_export_invitations

        return (run_export_calendar if args.what == "calendar" else run_export_invitations)(args)
    if args.what != "contacts":
        raise UsageError("export what? (crm export contacts|calendar|invitations …)")
    return run_export(args)


def _cmd_content(args: argparse.Namespace) -> int:
    from crm.cli_content import run_content

    return run_content(args)


def _cmd_goals(args: argparse.Namespace) -> int:
    from crm.cli_content import run_goals

    return run_goals(args)


def _cmd_feedback(args: argparse.Namespace) -> int:
    from crm.cli_feedback import run_feedback

    return run_feedback(args, _open, UsageError)


def _cmd_initiatives(args: argparse.Namespace) -> int:
    from crm.cli_feedback import run_initiatives

    return run_initiatives(args, _open)


def _cmd_outreach(args: argparse.Namespace) -> int:
    from crm.cli_outreach import run_outreach

    return run_outreach(args)


def _cmd_report(args: argparse.Namespace) -> int:
    from crm.cli_report import run_report

    return run_report(args, _open)


def _cmd_top_requests(args: argparse.Namespace) -> int:
    from crm.models import DEPARTMENTS

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    if args.department and args.department not in DEPARTMENTS:
        raise UsageError(f"--department: one of {', '.join(DEPARTMENTS)}")
    services = _open(args, create=False)
    try:
        top = services.advocacy.top_requests(args.limit, args.department)
    finally:
        services.close()
    if args.json:
        print(json.dumps([asdict(t) for t in top], ensure_ascii=False, indent=2))
    else:
        for t in top:
            print(f"{t.voices:>6,}  {t.status:<12} {t.department:<11} {t.title}  (#{t.id})")
        if not top:
            print("no open advocacy notes with members behind them", file=sys.stderr)
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from crm.cli_backup import run_backup

    return run_backup(args)


def _cmd_restore(args: argparse.Namespace) -> int:
    from crm.cli_backup import run_restore

    return run_restore(args)


_HANDLERS = {
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "top-requests": _cmd_top_requests,
    "demo": _cmd_demo,
    "search": _cmd_search,
    "stats": _cmd_stats,
    "events": _cmd_events,
    "import": _cmd_import,
    "export": _cmd_export,
    "content": _cmd_content,
    "goals": _cmd_goals,
    "outreach": _cmd_outreach,
    "feedback": _cmd_feedback,
    "initiatives": _cmd_initiatives,
    "report": _cmd_report,
}
