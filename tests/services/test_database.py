"""Opening a database: creation, migration, the ownership check, and SQLite settings."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

import crm.migrations
from crm.migrations import HEAD_REVISION
from crm.paths import database_url
from crm.services import Database, DatabaseError, open_services
from crm.services.database import APPLICATION_ID

MIGRATIONS = Path(crm.migrations.__file__).parent


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _raw(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _tables(path: Path) -> set[str]:
    """Our tables; SQLite's own (sqlite_sequence, made by AUTOINCREMENT) are left out."""
    sql = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    return {r[0] for r in _raw(path, sql)}


def test_new_file_is_created_migrated_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    db = Database(f"sqlite:///{path}")
    db.close()
    assert path.is_file()
    assert _raw(path, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert _raw(path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert {"person", "community", "interaction", "person_fts", "interaction_fts"} <= _tables(path)


def test_reopening_a_current_file_does_not_run_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'again.sqlite'}"
    Database(url).close()
    calls: list[str] = []
    monkeypatch.setattr(Database, "upgrade", lambda self: calls.append(self.url))
    Database(url).close()
    assert calls == []


def test_opening_a_current_file_does_not_import_alembic(tmp_path: Path) -> None:
    """Start-up stays quick: a current file is opened without loading Alembic at all."""
    url = f"sqlite:///{tmp_path / 'quick.sqlite'}"
    Database(url).close()
    code = (
        "import sys\n"
        "from crm.services import open_services\n"
        f"sv = open_services({url!r}, create=False)\n"
        "sv.people.count()\n"
        "sv.close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False"


def test_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list: milk, eggs\n")
    with pytest.raises(DatabaseError, match=r"notes\.txt"):
        Database(f"sqlite:///{path}")
    assert path.read_text() == "shopping list: milk, eggs\n"


def test_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "empty-folder"
    folder.mkdir()
    with pytest.raises(DatabaseError, match="empty-folder"):
        Database(f"sqlite:///{folder}")
    assert list(folder.iterdir()) == []


def test_file_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "db.sqlite"
    with pytest.raises(DatabaseError, match="no-such-folder"):
        Database(f"sqlite:///{path}")
    assert not path.parent.exists()


def test_sqlite_file_of_another_program_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    con.execute("INSERT INTO recipes (title) VALUES ('soup')")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match=r"other\.db.*another program"):
        Database(f"sqlite:///{path}")
    assert _tables(path) == {"recipes"}
    assert _raw(path, "PRAGMA application_id") == [(0,)]


def test_missing_file_without_create_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite"
    with pytest.raises(DatabaseError, match=r"missing\.sqlite"):
        open_services(f"sqlite:///{path}", create=False)
    assert not path.exists()


def test_file_from_a_newer_rapport_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    Database(f"sqlite:///{path}").close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match=r"future\.sqlite"):
        Database(f"sqlite:///{path}")


@pytest.mark.parametrize("folder_name", ["Team #2 (100%)", "what?", "a%41b"])
def test_paths_with_url_characters_work(tmp_path: Path, folder_name: str) -> None:
    """Folder names with "#", "?" or "%" open the right file and are checked like any other."""
    folder = tmp_path / folder_name
    folder.mkdir()
    url = database_url(folder / "crm.sqlite")
    Database(url).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["home", folder_name])
    assert (folder / "crm.sqlite").is_file()
    sv = open_services(url, create=False)
    try:
        assert sv.people.count() == 0
    finally:
        sv.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["home", folder_name])

    stranger = folder / "other.db"
    con = sqlite3.connect(stranger)
    con.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="another program"):
        Database(database_url(stranger))
    assert _tables(stranger) == {"recipes"}


def test_wal_foreign_keys_and_busy_timeout_are_on(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pragmas.sqlite'}"
    Database(url).close()
    db = Database(url)  # reopened: settings must hold without a migration
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        db.close()


def test_session_rolls_back_on_error(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'tx.sqlite'}")
    try:
        with pytest.raises(RuntimeError), db.session() as s:
            s.execute(text("INSERT INTO tag (name) VALUES ('half-written')"))
            raise RuntimeError("user action failed")
        with db.read() as s:
            n = s.execute(text("SELECT count(*) FROM tag")).scalar()
        assert n == 0
    finally:
        db.close()


def test_head_revision_constant_matches_alembic() -> None:
    script = ScriptDirectory.from_config(_alembic_config())
    assert script.get_current_head() == HEAD_REVISION


def test_downgrade_to_base_then_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "roundtrip.sqlite"
    db = Database(f"sqlite:///{path}")
    cfg = _alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    db.close()
    assert _tables(path) == {"alembic_version"}

    sv = open_services(f"sqlite:///{path}")  # marked as ours, so it migrates back up
    try:
        assert sv.people.count() == 0
    finally:
        sv.close()
    assert {"person", "person_fts", "interaction_fts"} <= _tables(path)
    assert _raw(path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    triggers = _raw(path, "SELECT name FROM sqlite_master WHERE type='trigger'")
    assert {r[0] for r in triggers} == {
        "interaction_fts_ai",
        "interaction_fts_ad",
        "interaction_fts_au",
    }


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """A model change without its revision (or the reverse) shows up here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from crm.migrations.env_filter import include_object
    from crm.models import Base

    db = Database(f"sqlite:///{tmp_path / 'cmp.sqlite'}")
    try:
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"include_object": include_object})
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        db.close()
    # Alembic cannot compare expression indexes; that one name is checked by hand.
    diff = [
        d for d in diff if not (d[0].endswith("_index") and d[1].name == "ix_person_active_name")
    ]
    assert diff == []
    assert "ix_person_active_name" in {
        r[0]
        for r in _raw(tmp_path / "cmp.sqlite", "SELECT name FROM sqlite_master WHERE type='index'")
    }


def test_upgrading_a_filled_database_keeps_every_row(tmp_path: Path) -> None:
    """Revision 0003 rebuilds the person table; no email, phone or link may go with it.

    (With foreign keys on during the rebuild, dropping the old table cascaded and
    deleted every row that pointed at a person.)
    """
    from crm.services.database import _migration_engine
    from crm.services.demo import generate

    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    sv = open_services(url)
    generate(sv.db, contacts=60, seed=2)
    sv.close()
    tables = ("person", "email", "phone", "consent", "person_tag", "membership", "participant")

    def counts() -> dict[str, int]:
        return {t: _raw(path, f"SELECT count(*) FROM {t}")[0][0] for t in tables}

    before = counts()
    assert all(before.values())
    cfg = _alembic_config()
    engine = _migration_engine(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    engine.dispose()
    assert counts() == before
    open_services(url).close()  # upgrades 0002 → head
    assert counts() == before
    uids = _raw(path, "SELECT count(DISTINCT uid) FROM person")[0][0]
    assert uids == before["person"]
