"""Backups and restores (crm.services.backup): round trips, refusals, cancel, migration."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from crm.migrations import HEAD_REVISION
from crm.services import DatabaseError, ServiceError, ValidationError
from crm.services.backup import BackupCancelled
from crm.services.backup_copy import copy_database
from crm.services.backup_restore import restore_database
from crm.services.people_data import PersonInput


def _fingerprint(path: Path) -> dict[str, str]:
    """A hash of every row of every table (FTS shadow tables included)."""
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE "
                "'CREATE VIRTUAL TABLE%' ORDER BY name"
            )
        ]
        out = {}
        for t in tables:
            h = hashlib.sha256()
            for row in con.execute(f'SELECT * FROM "{t}" ORDER BY 1'):
                h.update(repr(row).encode())
            out[t] = h.hexdigest()
        return out
    finally:
        con.close()


def _scalar(path: Path, sql: str) -> object:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def filled(services):  # type: ignore[no-untyped-def]
    from crm.services.demo import generate

    generate(services.db, contacts=60, seed=3)
    return services


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_backup_restore_round_trip(filled) -> None:  # type: ignore[no-untyped-def]
    sv = filled
    db = sv.db.path
    before = _fingerprint(db)
    result = sv.backups.backup()
    assert result.path.parent == db.parent / "backups"
    assert result.path.name.startswith("rapport-") and result.path.suffix == ".sqlite"
    assert _fingerprint(result.path) == before
    assert _scalar(result.path, "PRAGMA journal_mode") == "delete"  # one file, no -wal
    assert result.path.stat().st_mode & 0o077 == 0  # personal data: private to the user

    sv.people.create(PersonInput(given_name="Zed", family_name="Added"))
    with sv.db.session() as s:
        s.execute(text("DELETE FROM interaction WHERE id % 3 = 0"))
    sv.settings.set_organiser("Changed Name", "changed@example.org")
    changed = _fingerprint(db)
    assert changed != before

    restored = sv.backups.restore(result.path)
    assert restored.revision == HEAD_REVISION and not restored.migrated
    assert _fingerprint(db) == before
    assert _scalar(db, "PRAGMA journal_mode") == "wal"
    # The services that stayed open read the restored data.
    assert sv.settings.organiser().name != "Changed Name"
    assert not sv.search.search("Zed Added")
    # The database as it was just before the restore was kept: restoring it undoes it.
    assert restored.safety_backup is not None
    assert restored.safety_backup.name.startswith("rapport-before-restore-")
    assert _fingerprint(restored.safety_backup) == changed
    sv.backups.restore(restored.safety_backup)
    assert _fingerprint(db) == changed
    assert sv.settings.organiser().name == "Changed Name"
    # The file restored from is never touched.
    assert _fingerprint(result.path) == before


def test_backup_is_consistent_while_another_connection_writes(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = filled.db.path
    writer = sqlite3.connect(db)
    at_start = _scalar(db, "SELECT count(*) FROM interaction")
    steps = []

    def progress(done: int, total: int) -> None:
        steps.append(done)
        writer.execute("DELETE FROM interaction WHERE id = (SELECT max(id) FROM interaction)")
        writer.commit()

    copy = copy_database(db, tmp_path / "copy.sqlite", progress=progress, step_pages=5)
    writer.close()
    assert len(steps) > 10  # many steps, each followed by a write, and no restart
    assert steps == sorted(steps)
    assert _scalar(copy.path, "SELECT count(*) FROM interaction") == at_start
    assert _scalar(copy.path, "PRAGMA integrity_check") == "ok"
    assert _scalar(db, "SELECT count(*) FROM interaction") == at_start - len(steps)


def test_cancelled_backup_leaves_no_file(filled) -> None:  # type: ignore[no-untyped-def]
    sv = filled
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)

    with pytest.raises(BackupCancelled, match="Backup cancelled; no file was written"):
        sv.backups.backup(progress=progress, cancelled=lambda: len(calls) >= 1)
    assert calls  # it had started
    assert _files(sv.backups.folder()) == []


def test_failed_backup_leaves_no_file_and_keeps_an_existing_one(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sv = filled
    target = tmp_path / "mine.sqlite"
    target.write_bytes(b"an older backup")

    def boom(done: int, total: int) -> None:
        raise OSError("disk unplugged")

    with pytest.raises(OSError, match="disk unplugged"):
        sv.backups.backup(target, overwrite=True, progress=boom)
    assert target.read_bytes() == b"an older backup"
    assert _files(tmp_path) == sorted(["home", "mine.sqlite", "rapport.sqlite", *_wal(tmp_path)])


def _wal(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith("rapport.sqlite-")]


def test_backup_target_refusals(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sv = filled
    existing = tmp_path / "exists.sqlite"
    existing.write_bytes(b"x")
    with pytest.raises(ServiceError) as info:
        sv.backups.backup(existing)
    assert str(info.value) == f"{existing}: already exists; choose another name"
    with pytest.raises(ServiceError) as info:
        sv.backups.backup(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a folder; name the backup file"
    missing = tmp_path / "nope" / "b.sqlite"
    with pytest.raises(ServiceError) as info:
        sv.backups.backup(missing)
    assert str(info.value) == f"{missing}: folder {missing.parent} does not exist"
    with pytest.raises(ServiceError) as info:
        sv.backups.backup(sv.db.path, overwrite=True)
    assert str(info.value) == f"{sv.db.path}: is the database itself; choose another file"
    assert existing.read_bytes() == b"x"


def _refused(sv, path: Path) -> str:  # type: ignore[no-untyped-def]
    before = _fingerprint(sv.db.path)
    with pytest.raises(DatabaseError) as info:
        sv.backups.restore(path)
    assert _fingerprint(sv.db.path) == before
    assert _files(sv.backups.folder()) == []  # no safety backup for a refused restore
    return str(info.value)


def test_restore_refuses_what_is_not_a_rapport_database(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sv = filled
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello, not a database\n" * 10)
    assert _refused(sv, text_file) == f"{text_file}: not a Rapport database (not an SQLite file)"

    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE songs (title TEXT)")
    con.commit()
    con.close()
    assert _refused(sv, other) == (
        f"{other}: not a Rapport database (an SQLite file of another program)"
    )

    empty_sqlite = tmp_path / "empty.sqlite"
    con = sqlite3.connect(empty_sqlite)
    con.execute("PRAGMA user_version = 1")  # writes the header, no tables
    con.close()
    assert _refused(sv, empty_sqlite) == (
        f"{empty_sqlite}: not a Rapport database (no Rapport tables in it)"
    )

    empty = tmp_path / "zero.sqlite"
    empty.touch()
    assert _refused(sv, empty) == f"{empty}: not a Rapport database (an empty file)"

    missing = tmp_path / "missing.sqlite"
    assert _refused(sv, missing) == f"{missing}: no such file"
    assert _refused(sv, tmp_path) == f"{tmp_path}: is a folder, not a database file"
    assert _refused(sv, sv.db.path) == (
        f"{sv.db.path}: is the open database itself; choose a backup"
    )


def _with_revision(sv, tmp_path: Path, rev: str) -> Path:  # type: ignore[no-untyped-def]
    copy = sv.backups.backup(tmp_path / f"rev-{rev}.sqlite").path
    con = sqlite3.connect(copy)
    con.execute("UPDATE alembic_version SET version_num = ?", (rev,))
    con.commit()
    con.close()
    return copy


def test_restore_refuses_a_newer_or_unknown_revision(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sv = filled
    newer = _with_revision(sv, tmp_path, "0099")
    unknown = _with_revision(sv, tmp_path, "abc123")
    assert _refused(sv, newer) == (
        f"{newer}: made by a newer version of Rapport (schema revision 0099; this version "
        f"knows revisions up to {HEAD_REVISION}); update Rapport to restore it"
    )
    assert _refused(sv, unknown) == (
        f"{unknown}: schema revision 'abc123' is unknown to this version of Rapport "
        "(damaged, or from a newer version)"
    )


def test_restore_of_an_older_revision_migrates_it(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from alembic.config import Config

    import crm.migrations
    from crm.services.database import _migration_engine

    sv = filled
    db = sv.db.path
    people = sv.people.count()
    old = sv.backups.backup(tmp_path / "old.sqlite").path
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(crm.migrations.__file__).parent))
    engine = _migration_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    engine.dispose()
    old_bytes = old.read_bytes()
    sv.people.create(PersonInput(given_name="Only", family_name="Now"))

    result = sv.backups.restore(old)
    assert result.revision == "0002" and result.migrated
    assert _scalar(db, "SELECT version_num FROM alembic_version") == HEAD_REVISION
    assert sv.people.count() == people
    assert old.read_bytes() == old_bytes  # migrated in a copy, the backup left as it was
    assert _scalar(db, "PRAGMA quick_check") == "ok"


def test_cancelled_restore_changes_nothing(filled, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from crm.services import backup_copy

    monkeypatch.setattr(backup_copy, "STEP_PAGES", 20)  # many steps even for a small file
    sv = filled
    backup = sv.backups.backup().path
    sv.people.create(PersonInput(given_name="Stays", family_name="Here"))
    before = _fingerprint(sv.db.path)
    for cancel_at in (1, 450, 900):  # preparing, the safety backup, writing into the database
        seen: list[int] = []
        with pytest.raises(BackupCancelled, match="Restore cancelled; nothing was changed"):
            sv.backups.restore(
                backup,
                progress=lambda done, _total, seen=seen: seen.append(done),
                cancelled=lambda at=cancel_at, seen=seen: bool(seen) and seen[-1] >= at,
            )
        assert _fingerprint(sv.db.path) == before
        assert seen[-1] >= cancel_at
    assert not [p for p in sv.db.path.parent.iterdir() if "restoring" in p.name]
    assert _files(sv.backups.folder()) == [backup.name]  # no safety backup left over
    assert sv.search.search("Stays Here")


def test_restore_into_a_new_database_file(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    backup = filled.backups.backup().path
    target = tmp_path / "laptop2" / "rapport.sqlite"
    target.parent.mkdir()

    def no_safety(_p, _c):  # type: ignore[no-untyped-def]
        raise AssertionError("nothing to back up")

    result = restore_database(backup, target, safety_backup=no_safety)
    assert result.safety_backup is None
    assert _fingerprint(target) == _fingerprint(backup)
    assert _files(target.parent) == ["rapport.sqlite"]
    assert _scalar(target, "PRAGMA journal_mode") == "wal"  # as the app runs it


def test_automatic_backups_once_a_day_keeping_the_last_n(filled) -> None:  # type: ignore[no-untyped-def]
    sv = filled
    assert sv.backups.keep() == 7
    sv.backups.set_keep(3)
    assert sv.backups.keep() == 3
    manual = sv.backups.backup().path
    day = datetime(2025, 3, 1, 9, 0, 0)
    made = []
    for i in range(5):
        now = day + timedelta(days=i)
        result = sv.backups.auto_backup(now)
        assert result is not None
        made.append(result.path)
        assert sv.backups.auto_backup(now + timedelta(hours=5)) is None  # once a day
    autos = [b for b in sv.backups.list_backups() if b.kind == "auto"]
    assert [b.path for b in autos] == made[::-1][:3]  # the newest three, newest first
    assert autos[0].created == day + timedelta(days=4)
    assert manual.exists()  # the user's own backups are never pruned
    sv.backups.set_keep(0)
    assert sv.backups.auto_backup(day + timedelta(days=9)) is None  # off
    with pytest.raises(ValidationError):
        sv.backups.set_keep(-1)
    with pytest.raises(ValidationError):
        sv.backups.set_keep(1000)
    assert sv.backups.keep() == 0


def test_list_backups_names_kinds_dates_and_sizes(filled) -> None:  # type: ignore[no-untyped-def]
    sv = filled
    first = sv.backups.backup()
    second = sv.backups.backup()  # same second: a distinct name
    assert first.path != second.path
    stray = sv.backups.folder() / "copied-by-hand.sqlite"
    stray.write_bytes(first.path.read_bytes())
    listed = sv.backups.list_backups()
    assert {b.path for b in listed} == {first.path, second.path, stray}
    kinds = {b.path: b.kind for b in listed}
    assert kinds[first.path] == "manual" and kinds[stray] == "other"
    assert all(b.size == first.size for b in listed)


def test_restore_of_a_backup_with_another_page_size(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The backup API cannot write into a WAL database of another page size: the copy
    is rebuilt with the database's page size first; the chosen file stays as it was."""
    sv = filled
    backup = sv.backups.backup(tmp_path / "big-pages.sqlite").path
    con = sqlite3.connect(backup, isolation_level=None)
    con.execute("PRAGMA page_size = 8192")
    con.execute("VACUUM")
    con.close()
    assert _scalar(backup, "PRAGMA page_size") == 8192
    expected = _fingerprint(backup)
    sv.people.create(PersonInput(given_name="Gone", family_name="Soon"))
    sv.backups.restore(backup)
    assert _scalar(sv.db.path, "PRAGMA page_size") == 4096
    assert _fingerprint(sv.db.path) == expected
    assert _scalar(backup, "PRAGMA page_size") == 8192
