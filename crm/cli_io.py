"""`crm import` and `crm export contacts`: contact files, headless (calendar replies
and exports: crm/cli_calendar.py).

Kept out of crm/cli.py so that the command's start-up (argument parsing for every
subcommand) does not grow with this code. Exit codes as in crm.cli: 0 done, 1 some
records were rejected (each listed as "file:line: reason"), 2 unusable input or
arguments (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import locale
import os
import sys
from pathlib import Path
from typing import Any


def _usage(message: str) -> Exception:
    from crm.cli import UsageError

    return UsageError(message)


def phone_region() -> str | None:
    """The user's country from the locale, so numbers written without +CC still parse."""
    for value in (os.environ.get("LC_ALL"), os.environ.get("LANG"), locale.getlocale()[0]):
        if value and "_" in value:
            code = value.split("_", 1)[1][:2]
            if code.isalpha() and code.isupper():
                return code
    return None


def _open(args: argparse.Namespace, create: bool = True) -> Any:
    from crm.paths import database_url
    from crm.services import open_services

    return open_services(database_url(args.db), create=create, phone_region=phone_region())


def _mapping(services: Any, name: str | None) -> dict[str, str] | None:
    from crm.services import NotFound

    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() == ".json" and path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _usage(f"{path}: not a column mapping ({exc})") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise _usage(f"{path}: not a column mapping (a JSON object header → field)")
        return {str(k): v for k, v in data.items()}
    try:
        return services.imports.mapping(name)
    except NotFound as exc:
        saved = services.imports.mappings()
        known = ", ".join(["google", "outlook", *saved])
        raise _usage(f"{exc} (known: {known})") from None


def run_import(args: argparse.Namespace) -> int:
    from crm.cli_calendar import import_replies, split_replies

    replies, contacts = split_replies(args.files, args.format)
    services = _open(args)
    try:
        rejected = False
        if contacts:  # first: an unusable contact file stops everything, replies too
            mapping = _mapping(services, args.mapping)
            report = services.imports.import_files(
                contacts,
                format=args.format,
                mapping=mapping,
                on_duplicate=args.on_duplicate,
                on_similar_name=args.on_similar_name,
            )
            print(
                f"{report.added:,} added, {report.merged:,} merged, "
                f"{report.skipped:,} skipped, {len(report.rejected):,} rejected"
            )
            for name, rejected_record in report.rejected:
                print(f"{name}:{rejected_record.line}: {rejected_record.reason}", file=sys.stderr)
            rejected = bool(report.rejected)
        if replies:
            rejected = import_replies(services, replies, only=not contacts) == 1 or rejected
    finally:
        services.close()
    return 1 if rejected else 0


def _community(services: Any, value: str, option: str) -> int:
    """A community by id, or by name (without regard to case)."""
    names = services.communities.all_names()
    if value.strip().isdigit():
        cid = int(value)
        if any(i == cid for i, _ in names):
            return cid
        raise _usage(f"{option}: no community with id {cid}")
    hits = [i for i, n in names if n.casefold() == value.strip().casefold()]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise _usage(f"{option}: several communities are called “{value}”; give the id")
    raise _usage(f"{option}: no community called “{value}”")


def run_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.is_dir():
        raise _usage(f"--out {out}: is a folder; give a file name")
    if not out.parent.is_dir():
        raise _usage(f"--out {out}: folder {out.parent} does not exist")
    fields = [f.strip() for f in args.fields.split(",") if f.strip()] if args.fields else None
    if args.fields is not None and not fields:
        raise _usage("--fields: name at least one field")
    services = _open(args, create=False)
    try:
        community = _community(services, args.community, "--community") if args.community else None
        ids = services.exports.selection_ids(role=args.role, tag=args.tag, community_id=community)
        if args.partner:
            from crm.services import ValidationError

            partner = _community(services, args.partner, "--partner")
            narrowed = ids if (args.role or args.tag or community is not None) else None
            preview = services.exports.partner_preview(partner, narrowed)
            if fields is None:
                raise _usage("--partner needs --fields (what the partner may receive)")
            try:
                result = services.exports.partner_export(
                    partner, fields, args.format, out, ids=narrowed
                )
            except ValidationError as exc:
                raise _usage(str(exc)) from None
            for _pid, name, reason in preview.left_out:
                print(f"left out: {name}: {reason}", file=sys.stderr)
        else:
            result = services.exports.export_contacts(ids, args.format, out, fields=fields)
    finally:
        services.close()
    print(f"{result.count:,} contacts written to {result.path} (sha256 {result.sha256})")
    return 0
