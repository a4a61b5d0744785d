"""Backups of the open database, daily automatic ones, and restoring one.

Backups go to a `backups` folder beside the database file (for the default database:
the user data dir from platformdirs, see crm.paths), named after the database and the
moment: `rapport-2025-11-26_143005.sqlite`; automatic ones carry `auto-`, the copy
made just before a restore `before-restore-`. Only automatic backups are pruned (the
last N kept, a setting stored in the database); a backup the user made is theirs.

The copying is crm.services.backup_copy (SQLite's online backup API, checked, written
under a temporary name then renamed); restoring is crm.services.backup_restore.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from crm.models import Setting
from crm.services.backup_copy import (
    BackupCancelled,
    CancelFn,
    CopyResult,
    Progress,
    copy_database,
)
from crm.services.backup_restore import RestoreResult, check_backup, restore_database
from crm.services.common import ChangeNotifier, ServiceError, ValidationError
from crm.services.database import Database
from crm.services.settings import SettingsService

KEEP_KEY = "backup_keep"  # how many automatic backups to keep; 0 turns them off
DEFAULT_KEEP = 7
MAX_KEEP = 365
FOLDER = "backups"
KINDS = {"manual": "", "auto": "auto-", "before-restore": "before-restore-"}
_STAMP = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(
    r"^(?P<stem>.+?)-(?:(?P<kind>auto|before-restore)-)?"
    r"(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6})(?:-\d+)?\.sqlite$"
)

__all__ = [
    "BackupCancelled",
    "BackupFile",
    "BackupResult",
    "BackupService",
    "RestoreResult",
    "check_backup",
    "newest_backup",
    "rescuable",
    "rescue",
    "rescue_hint",
]


def backup_path(db: Path, kind: str = "manual", now: datetime | None = None) -> Path:
    """A new file in the `backups` folder beside the database (made if missing)."""
    folder = db.parent / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime(_STAMP)
    base = f"{db.stem}-{KINDS[kind]}{stamp}"
    target, n = folder / f"{base}.sqlite", 1
    while target.exists():  # two backups within one second
        n += 1
        target = folder / f"{base}-{n}.sqlite"
    return target


def newest_backup(db: Path) -> Path | None:
    """The newest backup of `db` in the backups folder beside it, if any."""
    folder = db.parent / FOLDER
    try:
        found = [
            (m.group("stamp"), f)
            for f in folder.iterdir()
            if (m := _NAME.match(f.name)) and m.group("stem") == db.stem
        ]
    except OSError:
        return None
    return max(found)[1] if found else None


def rescuable(db: Path) -> Path | None:
    """For a database that cannot be opened: its newest backup, unless the file is
    another program's (never replaced) or there is none."""
    from crm.services.backup_restore import is_foreign

    if not db.is_file() or is_foreign(db):
        return None
    return newest_backup(db)


def rescue(db: Path, backup: Path) -> RestoreResult:
    """Put `backup` in place of a database too damaged to open. Its bytes (and -wal)
    are kept in the backups folder first; all or nothing, as every restore."""
    return restore_database(
        backup, db, safety_backup=lambda _p, _c: keep_damaged(db), replace_file=True
    )


def rescue_hint(db: Path) -> str | None:
    """For a database that cannot be opened: where its newest backup is and the command
    that restores it, or None when there is nothing to restore it from."""
    newest = rescuable(db)
    if newest is None:
        return None
    return (
        f"If this is your Rapport database and it is damaged, its newest backup is\n{newest}\n"
        f'Restore it with:  crm restore "{newest}" --db "{db}"'
    )


def keep_damaged(db: Path) -> Path:
    """Before a restore over a database that cannot be opened: its bytes as they are
    (and its -wal, which belongs to it) into the backups folder, for a rescue later."""
    import shutil

    target = backup_path(db, "before-restore")
    shutil.copy2(db, target)
    wal = Path(f"{db}-wal")
    if wal.is_file():
        shutil.copy2(wal, Path(f"{target}-wal"))
    return target


@dataclass(frozen=True)
class BackupFile:
    path: Path
    kind: str  # "manual", "auto", "before-restore", or "other" (a file we did not name)
    created: datetime  # from the name; for other files, their modification time
    size: int


BackupResult = CopyResult


class BackupService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier
        # Its own SettingsService: Services builds one service at a time under a lock,
        # so a service cannot take another lazily built one as a constructor argument.
        self.settings = SettingsService(db, notifier)

    # ---- where -----------------------------------------------------------------------
    @property
    def path(self) -> Path:
        if self.db.path is None:
            raise ServiceError("Backups need a database file (this database is not one)")
        return self.db.path

    def folder(self) -> Path:
        return self.path.parent / FOLDER

    def default_target(self, kind: str = "manual", now: datetime | None = None) -> Path:
        """A new file name in the backups folder (the folder is made if missing)."""
        return backup_path(self.path, kind, now)

    def list_backups(self, folder: Path | None = None) -> list[BackupFile]:
        """The backups in the folder, newest first."""
        folder = folder or self.folder()
        if not folder.is_dir():
            return []
        found = []
        for p in folder.glob("*.sqlite"):
            if p.name.startswith(".") or not p.is_file():
                continue
            stat = p.stat()
            m = _NAME.match(p.name)
            if m:
                kind = m["kind"] or "manual"
                created = datetime.strptime(m["stamp"], _STAMP)
            else:
                kind, created = (
                    "other",
                    datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0),
                )
            found.append(BackupFile(p, kind, created, stat.st_size))
        return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)

    # ---- backing up --------------------------------------------------------------------
    def backup(
        self,
        target: str | Path | None = None,
        *,
        overwrite: bool = False,
        kind: str = "manual",
        progress: Progress | None = None,
        cancelled: CancelFn | None = None,
    ) -> BackupResult:
        """Copy the open database to `target` (default: a new file in the backups folder)."""
        dest = Path(target).expanduser().absolute() if target else self.default_target(kind)
        return copy_database(
            self.path, dest, overwrite=overwrite, progress=progress, cancelled=cancelled
        )

    def keep(self) -> int:
        value = self.settings.get(KEEP_KEY, str(DEFAULT_KEEP))
        try:
            return max(0, min(MAX_KEEP, int(value)))
        except ValueError:
            return DEFAULT_KEEP

    def set_keep(self, n: int) -> int:
        """How many daily automatic backups to keep (0 turns them off)."""
        if not 0 <= n <= MAX_KEEP:
            raise ValidationError({"keep": f"Keep between 0 (off) and {MAX_KEEP} backups."})
        with self.db.session() as s:
            s.merge(Setting(key=KEEP_KEY, value=str(n)))
        self.notifier.emit("settings")
        return n

    def auto_backup_due(self, now: datetime | None = None) -> bool:
        """Automatic backups are on and none was made today."""
        if self.keep() == 0:
            return False
        today = (now or datetime.now()).date()
        return not any(b.kind == "auto" and b.created.date() == today for b in self.list_backups())

    def auto_backup(
        self,
        now: datetime | None = None,
        *,
        progress: Progress | None = None,
        cancelled: CancelFn | None = None,
    ) -> BackupResult | None:
        """The day's automatic backup (None when off or already made), then the pruning."""
        if not self.auto_backup_due(now):
            return None
        result = copy_database(
            self.path,
            self.default_target("auto", now),
            progress=progress,
            cancelled=cancelled,
        )
        self.prune()
        return result

    def prune(self, keep: int | None = None) -> list[Path]:
        """Delete the automatic backups beyond the newest `keep`; the others are left."""
        n = self.keep() if keep is None else keep
        autos = [b for b in self.list_backups() if b.kind == "auto"]
        gone = []
        for b in autos[max(n, 0) :]:
            try:
                b.path.unlink()
            except OSError:
                continue  # in use or read-only: tried again after the next backup
            gone.append(b.path)
        return gone

    # ---- restoring ---------------------------------------------------------------------
    def restore(
        self,
        source: str | Path,
        *,
        progress: Progress | None = None,
        cancelled: CancelFn | None = None,
    ) -> RestoreResult:
        """Replace the open database with a backup, having backed the current one up.

        Afterwards the open services read the restored data (it was written into the
        same file); the GUI still builds new ones, so nothing cached survives.
        """

        def safety(progress: Progress | None, cancelled: CancelFn | None) -> Path:
            return self.backup(kind="before-restore", progress=progress, cancelled=cancelled).path

        result = restore_database(
            Path(source).expanduser().absolute(),
            self.path,
            safety_backup=safety,
            progress=progress,
            cancelled=cancelled,
        )
        self.notifier.emit("restore")
        return result
