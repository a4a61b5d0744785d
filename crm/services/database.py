"""Opening the database: engine, SQLite pragmas, the ownership check and migrations.

One `Database` per open file. Services take it and open one session per user action
(`with db.session() as s:`), the session-per-action pattern the SQLAlchemy docs advise
for desktop programs.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

from crm.migrations import HEAD_REVISION
from crm.paths import sqlite_path

# PRAGMA application_id marks a file as Rapport's ("RPRT"), so we never migrate a stranger.
APPLICATION_ID = 0x52505254


class DatabaseError(Exception):
    """The database cannot be used; the message names the file and says why."""


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA busy_timeout = 5000")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA cache_size = -65536")
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.close()


def _inspect_file(path: Path) -> tuple[int, int, str | None]:
    """(application_id, number of tables, alembic revision) of an existing file."""
    try:
        # as_uri() percent-encodes "#", "?" and "%", which SQLite would otherwise read
        # as URI syntax and open (and create!) some other file.
        con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: cannot open: {exc}") from None
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        rev = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            rev = row[0] if row else None
        return app_id, len(tables), rev
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: not a Rapport database ({exc})") from None
    finally:
        con.close()


def check_ours(path: Path) -> tuple[int, str | None]:
    """(number of tables, alembic revision) of an existing, non-empty file.

    Refuses a file that is not SQLite, or an SQLite file of another program (tables, but
    not our application_id). Opening a database and restoring a backup both ask this.
    """
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise DatabaseError(f"{path}: not a Rapport database (not an SQLite file)")
    app_id, n_tables, rev = _inspect_file(path)
    if app_id != APPLICATION_ID and n_tables > 0:
        raise DatabaseError(f"{path}: not a Rapport database (an SQLite file of another program)")
    return n_tables, rev


def _migration_engine(url: str) -> Engine:
    """An engine for migrations only: foreign keys off and DDL inside the transaction.

    Alembic's batch mode rebuilds a SQLite table by copying it and dropping the old
    one; with foreign keys on, that DROP would cascade and delete every email, phone
    and participant row pointing at it. SQLite only honours the pragma outside a
    transaction, so it is set when the connection opens; and the driver's implicit
    transactions (which start only at the first INSERT) are replaced by an explicit
    BEGIN, so a failed migration rolls back whole, schema changes included. The links
    are checked (PRAGMA foreign_key_check) before the commit.
    """
    from sqlalchemy import create_engine, event

    engine = create_engine(url)
    if not url.startswith("sqlite"):
        return engine

    def _connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA foreign_keys = OFF")
        dbapi_conn.execute("PRAGMA busy_timeout = 5000")

    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", _connect)
    event.listen(engine, "begin", _begin)
    return engine


class Database:
    """An open Rapport database: the engine, and sessions one per action."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        self.path = sqlite_path(url)
        needs_upgrade = self._check(create)
        # The engine and the sessionmaker are made on first use, and SQLAlchemy is only
        # imported then (≈ 0.25 s with its ORM and SQLite dialect): the People table's
        # first page is read through plain_read(), before SQLAlchemy is loaded.
        self._engine: Engine | None = None
        self._maker: sessionmaker[Session] | None = None
        self._lock = threading.Lock()
        if needs_upgrade:
            try:
                self.upgrade()
            except DatabaseError:
                self.close()
                raise

    @property
    def engine(self) -> Engine:
        with self._lock:  # a task thread may be the first to ask
            if self._engine is None:
                from sqlalchemy import create_engine, event

                engine = create_engine(self.url)
                if self.url.startswith("sqlite"):
                    event.listen(engine, "connect", _on_connect)
                self._engine = engine
            return self._engine

    def _check(self, create: bool) -> bool:
        """Refuse files that are not ours; tell whether migrations must run."""
        if self.path is None:
            return True
        if self.path.is_dir():  # before the size check: some file systems report 0 for folders
            raise DatabaseError(f"{self.path}: is a folder, not a database file")
        if not self.path.exists() or self.path.stat().st_size == 0:
            if not create:
                raise DatabaseError(f"{self.path}: no such database")
            if not self.path.parent.is_dir():
                raise DatabaseError(f"{self.path}: folder {self.path.parent} does not exist")
            return True
        _n_tables, rev = check_ours(self.path)
        return rev != HEAD_REVISION

    def upgrade(self) -> None:
        """Bring the schema to the newest revision (Alembic), before any window opens."""
        from alembic import command  # imported lazily: start-up skips it when up to date
        from alembic.config import Config
        from alembic.util import CommandError
        from sqlalchemy.exc import SQLAlchemyError

        where = self.path or self.url
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent.parent / "migrations"))
        engine = _migration_engine(self.url)
        try:
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if self.url.startswith("sqlite"):
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:  # rolled back: the file stays as it was
                        raise DatabaseError(
                            f"{where}: the upgrade would break {len(broken)} links "
                            f"(first in table {broken[0][0]}); nothing was changed"
                        )
                    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        except CommandError as exc:
            # Typically a revision this version does not know: the file is from a newer Rapport.
            raise DatabaseError(
                f"{where}: made by a newer version of Rapport, or damaged ({exc})"
            ) from None
        except SQLAlchemyError as exc:
            raise DatabaseError(f"{where}: cannot bring the database up to date ({exc})") from None
        finally:
            engine.dispose()
        if self.url.startswith("sqlite"):
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode = WAL")

    @property
    def _sessions(self) -> sessionmaker[Session]:
        if self._maker is None:
            from sqlalchemy.orm import sessionmaker

            self._maker = sessionmaker(self.engine, expire_on_commit=False)
        return self._maker

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        with self._sessions.begin() as s:
            yield s

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only; nothing it does is committed."""
        with self._sessions() as s:
            yield s

    @contextmanager
    def plain_read(self) -> Iterator[sqlite3.Connection | Connection]:
        """A connection for plain-SQL reads that needs neither the ORM nor the engine.

        For a SQLite file: a sqlite3 connection of its own, with the same pragmas as the
        engine's, closed afterwards (opening one costs well under a millisecond). For
        anything else: a Core connection from the engine. Nothing is committed.
        """
        if self.path is None or not self.url.startswith("sqlite"):
            with self.engine.connect() as conn:
                yield conn
            return
        con = sqlite3.connect(self.path, check_same_thread=False)
        try:
            _on_connect(con, None)
            yield con
        finally:
            con.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
