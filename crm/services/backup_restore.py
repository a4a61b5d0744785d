"""Restoring a backup: refuse what is not ours, migrate an older one, replace all at once.

The file chosen is never touched: it is copied (backup API, checked) to a temporary file
beside the database and migrated there when it is older. Only then is the current
database backed up (so the restore itself can be undone) and replaced.

Replacing: not by renaming a file over the database. The app holds it open, and its
-wal file belongs to the old contents; a new main file beside an old -wal is a corrupt
database. Instead the prepared copy is written INTO the live database with the backup
API, which SQLite does as one write transaction: the other connections see the old
database or the new one, never a mix, and a cancel or a crash before the commit leaves
the old one. A database file that does not exist yet simply gets the copy renamed into
place.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crm.migrations import HEAD_REVISION
from crm.paths import sqlite_url
from crm.services import backup_copy
from crm.services.backup_copy import (
    BackupCancelled,
    CancelFn,
    Progress,
    copy_database,
    open_read_only,
    stepper,
)
from crm.services.common import ServiceError
from crm.services.database import Database, DatabaseError, check_ours

CANCELLED = "Restore cancelled; nothing was changed"


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    database: Path
    revision: str  # the backup's schema revision before the restore
    migrated: bool  # brought up from an older revision
    safety_backup: Path | None  # the database as it was before, to undo the restore
    seconds: float


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    folder = Path(__file__).parent.parent / "migrations"
    return {s.revision for s in ScriptDirectory(str(folder)).walk_revisions()}


def check_backup(path: Path) -> str:
    """The schema revision of a Rapport database file; refuses anything else, by name."""
    if not path.exists():
        raise DatabaseError(f"{path}: no such file")
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    if path.stat().st_size == 0:
        raise DatabaseError(f"{path}: not a Rapport database (an empty file)")
    n_tables, rev = check_ours(path)
    if n_tables == 0 or rev is None:
        raise DatabaseError(f"{path}: not a Rapport database (no Rapport tables in it)")
    if rev not in known_revisions():
        if rev.isdigit() and HEAD_REVISION.isdigit() and int(rev) > int(HEAD_REVISION):
            raise DatabaseError(
                f"{path}: made by a newer version of Rapport (schema revision {rev}; this "
                f"version knows revisions up to {HEAD_REVISION}); update Rapport to restore it"
            )
        raise DatabaseError(
            f"{path}: schema revision {rev!r} is unknown to this version of Rapport "
            "(damaged, or from a newer version)"
        )
    return rev


class _Phases:
    """One progress bar over several steps: each gets a share of 0..1000."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    def part(self, start: int, end: int) -> Progress | None:
        if self.progress is None:
            return None
        report = self.progress

        def scaled(done: int, total: int) -> None:
            report(start + (end - start) * done // max(total, 1), 1000)

        return scaled


def restore_database(
    source: Path,
    target: Path,
    *,
    safety_backup: Callable[[Progress | None, CancelFn | None], Path | None],
    progress: Progress | None = None,
    cancelled: CancelFn | None = None,
    replace_file: bool = False,
) -> RestoreResult:
    """Replace the database at `target` with the backup at `source`, all or nothing.

    `safety_backup` backs the current database up (called only once the backup is
    known to be good) and returns where it went. `replace_file`: the current file
    cannot be opened (damaged) and nothing has it open, so the copy is renamed over it.
    """
    started = time.perf_counter()
    source = Path(source)
    revision = check_backup(source)
    if target.exists() and os.path.samefile(source, target):
        raise DatabaseError(f"{source}: is the open database itself; choose a backup")
    phases = _Phases(progress)
    prepared = target.parent / f".{target.name}.restoring-{os.getpid()}.sqlite"
    _remove(prepared)
    try:
        try:
            copy_database(source, prepared, progress=phases.part(0, 300), cancelled=cancelled)
        except BackupCancelled:
            raise BackupCancelled(CANCELLED) from None
        except ServiceError as exc:
            raise ServiceError(f"{exc}".replace(str(prepared), str(source))) from None
        migrated = revision != HEAD_REVISION
        if migrated:
            _migrate(prepared, source)
        _match_page_size(prepared, target)
        if cancelled is not None and cancelled():
            raise BackupCancelled(CANCELLED)
        safety = None
        if target.exists() and target.stat().st_size > 0:
            try:
                safety = safety_backup(phases.part(300, 600), cancelled)
            except BackupCancelled:
                raise BackupCancelled(CANCELLED) from None
        try:
            _write_into(prepared, target, phases.part(600, 1000), cancelled, replace_file)
        except BaseException:
            if safety is not None:  # the database is as it was: its copy is not needed
                _remove(safety)
            raise
    finally:
        _remove(prepared)
    return RestoreResult(source, target, revision, migrated, safety, time.perf_counter() - started)


def is_foreign(path: Path) -> bool:
    """An intact SQLite file of another program (never replaced, even when asked)."""
    from crm.services.database import APPLICATION_ID

    try:
        with contextlib.closing(open_read_only(path)) as con:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.Error:
        return False
    return app_id != APPLICATION_ID and tables > 0


def _migrate(prepared: Path, source: Path) -> None:
    try:
        Database(sqlite_url(prepared)).close()  # opening it upgrades it (Alembic)
    except DatabaseError as exc:
        reason = str(exc).replace(f"{prepared}: ", "")
        raise DatabaseError(
            f"{source}: cannot be brought up to date ({reason}); nothing was changed"
        ) from None


def _match_page_size(prepared: Path, target: Path) -> None:
    """The backup API cannot write into a WAL database of another page size: rebuild the
    copy with the target's (VACUUM; rare — only files made with another page size)."""
    if not target.exists() or target.stat().st_size == 0:
        return
    with contextlib.closing(open_read_only(target)) as live:
        want = int(live.execute("PRAGMA page_size").fetchone()[0])
    con = sqlite3.connect(prepared, isolation_level=None)
    try:
        if int(con.execute("PRAGMA page_size").fetchone()[0]) != want:
            con.execute("PRAGMA journal_mode = DELETE")
            con.execute(f"PRAGMA page_size = {want}")
            con.execute("VACUUM")
    finally:
        con.close()


def _write_into(
    prepared: Path,
    target: Path,
    progress: Progress | None,
    cancelled: CancelFn | None,
    replace_file: bool = False,
) -> None:
    if replace_file or not target.exists() or target.stat().st_size == 0:
        # Backups are single files (journal mode DELETE); the database runs in WAL
        # mode, which Database only sets when it migrates: set it here.
        con = sqlite3.connect(prepared, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode = WAL")
        finally:
            con.close()
        with open(prepared, "rb+") as fh:
            os.fsync(fh.fileno())
        # The old -wal and -shm go first: a -wal left beside the new file would be
        # replayed into it. (A damaged file's -wal is in its safety copy.)
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(f"{target}{suffix}").unlink()
        os.replace(prepared, target)
        return
    src = sqlite3.connect(prepared, isolation_level=None, check_same_thread=False)
    live = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=5)
    try:
        step = stepper(progress, cancelled, CANCELLED)
        try:
            src.backup(live, pages=backup_copy.STEP_PAGES, progress=step)
        except sqlite3.Error as exc:
            raise ServiceError(f"{target}: restore failed ({exc}); nothing was changed") from None
        with contextlib.suppress(sqlite3.Error):  # the WAL now holds the whole file: fold it in
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        live.close()
        src.close()


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()
