"""`crm backup [--out FILE]` and `crm restore FILE [--yes]`, headless.

Exit codes as in crm.cli: 0 done, 2 unusable input (a file that is not a Rapport
database, a newer one, a target that exists …), one line on stderr. A restore asks
before replacing the database unless --yes is given; without a terminal to ask on,
it refuses instead of guessing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_parsers(sub: Any, db_option: Any) -> None:
    b = sub.add_parser("backup", help="back the database up to a file (checked, all at once)")
    db_option(b)
    b.add_argument(
        "--out",
        metavar="FILE",
        help="default: a new file in the backups folder beside the database",
    )
    b.add_argument("--json", action="store_true")
    r = sub.add_parser(
        "restore", help="replace the database with a backup (the current one is backed up first)"
    )
    db_option(r)
    r.add_argument("file", metavar="FILE")
    r.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    r.add_argument("--json", action="store_true")


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def run_backup(args: argparse.Namespace) -> int:
    from crm.paths import database_url
    from crm.services import open_services

    services = open_services(database_url(args.db), create=False)
    try:
        result = services.backups.backup(args.out)
    finally:
        services.close()
    if args.json:
        out = {"path": str(result.path), "bytes": result.size, "pages": result.pages}
        print(json.dumps(out | {"seconds": round(result.seconds, 2)}, indent=2))
    else:
        print(f"Backed up to {result.path} ({_mb(result.size)}, {result.seconds:.1f} s)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from crm.cli import UsageError, _one_line
    from crm.paths import database_url, sqlite_path
    from crm.services import DatabaseError, open_services
    from crm.services.backup import check_backup, rescue
    from crm.services.backup_restore import is_foreign, restore_database

    url = database_url(args.db)
    target = sqlite_path(url)
    if target is None:
        raise UsageError("restore needs a database file (--db PATH)")
    source = Path(args.file).expanduser().absolute()
    check_backup(source)  # refuse a wrong file before asking anything
    exists = target.is_file() and target.stat().st_size > 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(f"restore replaces {target}; add --yes to confirm")
        what = "Replace" if exists else "Create"
        answer = input(
            f"{what} {target} with {source}?"
            + (" (The current database is backed up first.)" if exists else "")
            + " [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("crm: nothing was changed", file=sys.stderr)
            return 2
    if exists:
        try:
            services = open_services(url, create=False)
        except DatabaseError as exc:
            if is_foreign(target):
                raise
            # Damaged beyond opening: exactly when a restore is needed. Its bytes are
            # kept in the backups folder, then the restored copy is renamed over it.
            print(f"crm: {_one_line(str(exc))}; replacing it", file=sys.stderr)
            result = rescue(target, source)
        else:
            try:
                result = services.backups.restore(source)
            finally:
                services.close()
    else:
        if not target.parent.is_dir():
            raise UsageError(f"{target}: folder {target.parent} does not exist")
        result = restore_database(source, target, safety_backup=lambda _p, _c: None)
    if args.json:
        out = {
            "source": str(result.source),
            "database": str(result.database),
            "revision": result.revision,
            "migrated": result.migrated,
            "safety_backup": str(result.safety_backup) if result.safety_backup else None,
            "seconds": round(result.seconds, 2),
        }
        print(json.dumps(out, indent=2))
        return 0
    line = f"Restored {result.source} into {result.database}"
    if result.migrated:
        from crm.migrations import HEAD_REVISION

        line += f" (brought up from schema revision {result.revision} to {HEAD_REVISION})"
    print(line)
    if result.safety_backup:
        print(f"The database as it was before: {result.safety_backup}")
    return 0
