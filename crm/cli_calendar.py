"""`crm export calendar`, `crm export invitations` and the calendar replies `crm import`
takes, headless. Exit codes as in crm.cli: 0 done, 1 some replies were refused (each
listed as "file:line: reason" on stderr), 2 unusable input or arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crm.cli_io import _open, _usage


def split_replies(files: Sequence[str], format: str) -> tuple[list[str], list[str]]:
    """(calendar files, contact files): by --format, or by each file's content."""
    if format == "ics":
        return list(files), []
    if format != "auto":
        return [], list(files)
    from crm.services.io.detect import detect

    replies, contacts = [], []
    for name in files:
        try:
            with open(name, "rb") as fh:
                head = fh.read(64 * 1024)
        except OSError:
            contacts.append(name)  # the contact import says why it cannot be read
            continue
        (replies if detect(head, name) == "ics" else contacts).append(name)
    return replies, contacts


def import_replies(services: Any, files: Sequence[str], *, only: bool = True) -> int:
    """Apply the replies; 1 when some were refused. When these are all the files given
    and not one could be used at all (broken, or no reply), it is unusable input: exit 2."""
    report = services.calendar.import_replies(files)
    if only and not report.applied and all(p.unusable for p in report.rejected):
        raise _usage("; ".join(_where(p) for p in report.rejected))
    print(
        f"{len(report.applied):,} replies applied from {report.files_applied:,} of "
        f"{report.files:,} calendar files, {len(report.rejected):,} refused"
    )
    for done in report.applied:
        note = f" ({done.note})" if done.note else ""
        print(f"{done.name} <{done.email}>: {done.status} — {done.event_title}{note}")
    for problem in report.rejected:
        print(_where(problem), file=sys.stderr)
    return 1 if report.rejected else 0


def _where(problem: Any) -> str:
    where = f"{problem.file}:{problem.line}" if problem.line else problem.file
    return f"{where}: {problem.reason}"


def _out(value: str) -> Path:
    out = Path(value)
    if out.is_dir():
        raise _usage(f"--out {out}: is a folder; give a file name")
    if not out.parent.is_dir():
        raise _usage(f"--out {out}: folder {out.parent} does not exist")
    return out


def run_export_calendar(args: argparse.Namespace) -> int:
    out = _out(args.out)
    services = _open(args, create=False)
    try:
        result = services.calendar.export_calendar(out, attendees=args.attendees)
    finally:
        services.close()
    zones = ", ".join(result.zones) or "no time zones"
    attendees = f", {result.attendees:,} attendees" if args.attendees else ""
    print(f"{result.events:,} events{attendees} written to {result.path} ({zones})")
    return 0


def run_export_invitations(args: argparse.Namespace) -> int:
    from crm.services.io.ical_write import CalPerson

    out = _out(args.out)
    organiser = None
    if args.organiser_email or args.organiser_name:
        if not args.organiser_email or "@" not in args.organiser_email:
            raise _usage("--organiser-email: give the organiser's email address")
        organiser = CalPerson(args.organiser_name or "", args.organiser_email.strip())
    if args.drafts:
        folder = Path(args.drafts)
        if folder.exists() and not folder.is_dir():
            raise _usage(f"--drafts {folder}: is a file, not a folder")
        if not folder.parent.is_dir():
            raise _usage(f"--drafts {folder}: folder {folder.parent} does not exist")
    services = _open(args, create=False)
    try:
        # The invitations are marked sent by the last file written: if the drafts
        # fail, nothing is marked.
        mark = not args.no_mark
        result = services.calendar.export_invitations(
            args.event, out, organiser=organiser, mark=mark and not args.drafts
        )
        drafts = (
            services.calendar.write_drafts(args.event, args.drafts, organiser=organiser, mark=mark)
            if args.drafts
            else None
        )
    finally:
        services.close()
    kind = "cancellation" if result.method == "CANCEL" else "invitation"
    print(
        f"{kind} of “{result.title}” (sequence {result.sequence}) to {result.attendees:,} "
        f"people written to {result.path}"
    )
    if drafts is not None:
        print(f"{len(drafts.files):,} email drafts written to {drafts.folder}")
    marked = len(drafts.marked if drafts is not None else result.marked)
    if marked:
        print(f"{marked:,} invitations not sent before are now marked invited")
    for left in result.left_out:
        print(f"left out: {left.name}: {left.reason}", file=sys.stderr)
    return 0
