"""Bulk writes inside one transaction: executemany, progress, cancel, deferred indexes.

The demo loader writes millions of rows, so it talks to the DBAPI cursor of the
session's own connection (the same transaction, no per-row ORM work) and builds the
secondary indexes once at the end instead of updating them row by row. Index and
trigger definitions are read back from sqlite_master, so whatever the migrations
declare is exactly what gets rebuilt — and since SQLite DDL is transactional, a
cancel or an error rolls the drops back together with the rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy.orm import Session

from crm.services.common import ServiceError

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

# A bigger page cache while loading keeps hot index pages out of the WAL until commit.
LOAD_CACHE_KIB = 256 * 1024
FTS_LOAD_HASHSIZE = 64 * 1024 * 1024
FTS_DEFAULT_HASHSIZE = 1024 * 1024


class Cancelled(ServiceError):
    """Raised inside the transaction so that everything written so far is rolled back."""

    def __init__(self) -> None:
        super().__init__("cancelled")


class Writer:
    """Executemany on the session's connection, with progress and cancel between batches."""

    def __init__(
        self,
        session: Session,
        total: int,
        progress: ProgressFn | None,
        cancelled: CancelFn | None,
    ) -> None:
        self.session = session
        self.raw: sqlite3.Connection = session.connection().connection.driver_connection  # type: ignore[assignment]
        self.cur = self.raw.cursor()
        self.total = max(total, 1)
        self.done = 0
        self._progress = progress
        self._cancelled = cancelled
        self._suspended: list[tuple[str, str]] = []
        (self._cache_before,) = self.cur.execute("PRAGMA cache_size").fetchone()
        self.cur.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")

    def close(self) -> None:
        self.cur.execute(f"PRAGMA cache_size = {int(self._cache_before)}")
        self.cur.close()

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        marks = ",".join("?" * len(columns))
        self.cur.executemany(
            f"INSERT INTO {table}({','.join(columns)}) VALUES ({marks})",
            rows,  # type: ignore[arg-type]
        )

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        self.cur.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        self.cur.executemany(sql, rows)  # type: ignore[arg-type]

    def step(self, n: int = 0) -> None:
        """Count n units of work done; stop here if the caller asked to cancel."""
        self.done = min(self.done + n, self.total)
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()
        if self._progress is not None:
            self._progress(self.done, self.total)

    def finish(self) -> None:
        self.done = self.total
        if self._progress is not None:
            self._progress(self.done, self.total)

    def fts_load_mode(self, tables: Sequence[str], *, on: bool) -> None:
        """Let FTS5 buffer far more terms in memory before it writes a segment.

        With the default 1 MiB buffer a bulk load writes thousands of small segments
        and spends its time merging them; 64 MiB halves the cost of indexing a
        million interactions. The setting is stored in the table, so it is put back
        to FTS5's default when the load is done. Builds without the option skip it.
        """
        size = FTS_LOAD_HASHSIZE if on else FTS_DEFAULT_HASHSIZE
        for table in tables:
            try:
                self.cur.execute(
                    f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (size,)
                )
            except sqlite3.OperationalError:
                return

    # ---- deferred indexes and triggers -------------------------------------------
    def suspend(self, kind: str, tables: Sequence[str]) -> None:
        """Drop the explicit indexes or the triggers (kind) on these tables for now.

        Must run inside the open transaction, or the drops would be committed at once.
        """
        if not self.raw.in_transaction:
            raise RuntimeError("suspend() needs an open transaction")
        marks = ",".join("?" * len(tables))
        found = self.cur.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY name",
            (kind, *tables),
        ).fetchall()
        for name, sql in found:
            self.cur.execute(f'DROP {kind.upper()} "{name}"')
            self._suspended.append((kind, sql))

    def restore(self, kind: str | None = None) -> None:
        """Recreate what suspend() dropped (only indexes or triggers when kind says so)."""
        keep: list[tuple[str, str]] = []
        for k, sql in self._suspended:
            if kind is None or k == kind:
                self.cur.execute(sql)
            else:
                keep.append((k, sql))
        self._suspended = keep
