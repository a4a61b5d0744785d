"""Importing 100,000 CSV rows end to end, and finding duplicates among 100,000 people.

    python bench/bench_import.py [PATH] [--rows N]

- import: a generated CSV (name, email, phone, organisation, city, tags; phones in
  E.164, as Google and phone exports write them) through `ImportService.import_files`
  into an empty, migrated database: reading, matching, writing, search index, commit.
  Floor, in the same run: `csv.reader` over the same file plus `sqlite3` executemany
  of the same rows into a table of the same columns, committed — the least any CSV
  import into SQLite can cost. A second floor writes the same rows with raw sqlite3
  into Rapport's own tables (person with its indexes, email, phone, tags, search
  documents): what the schema costs whatever the code does. A third, the *bulk*
  schema floor, does the same with every shortcut the import's bulk path takes
  (foreign-key checks off, secondary indexes dropped and rebuilt once, UIDs given,
  a 64 MiB FTS buffer): the least this schema costs for this load, split into rows,
  indexes, search documents and commit. One more import run is timed by stage
  (read, plan, rows, indexes, search documents, the rest = links check and commit).
  Two ceilings, also raw sqlite3: the bulk load on the leanest schema that keeps
  people searchable (8 KiB pages, person_tag without rowids, a contentless search
  table, the WAL checkpoint left for later), and the same without search documents —
  what no import code could beat on this machine.
  Imports and floors run three times each, interleaved; medians are reported.
  Target: ≥ 50,000 rows/s.
- duplicates: `DuplicateService.find` over a copy of the 100k bench database (the
  cache is never modified). Target: "seconds".

Writes results/import.json.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_DB, RESULTS, SEED, require_db

ROWS = 100_000
IMPORT_TARGET = 50_000  # rows/s
FIND_TARGET_S = 10.0
HEADER = ["Name", "Email", "Phone", "Organisation", "City", "Tags"]


def make_csv(path: Path, rows: int) -> None:
    rnd = random.Random(SEED)
    given = ["Ada", "Grace", "Alan", "Mary", "Linus", "Guido", "Margaret", "Ken", "Barbara"]
    family = ["Lovelace", "Hopper", "Turing", "Shelley", "Torvalds", "Rossum", "Hamilton"]
    cities = ["Berlin", "Paris", "Lagos", "Austin", "Pune", "Lima", "Osaka", ""]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(rows):
            g, f = rnd.choice(given), rnd.choice(family)
            w.writerow(
                [
                    f"{g} {f} {i}",
                    f"{g.lower()}.{f.lower()}{i}@example.org",
                    f"+1650{2000000 + i:07d}" if i % 3 else "",
                    f"Company {rnd.randrange(5000)}",
                    rnd.choice(cities),
                    "csv-import;" + rnd.choice(["speaker", "member", "sponsor"]),
                ]
            )


def floor(csv_path: Path, folder: Path) -> float:
    db = folder / f"floor-{time.monotonic_ns()}.sqlite"
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute(
        "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, email TEXT, phone TEXT, "
        "organisation TEXT, city TEXT, tags TEXT)"
    )
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        con.executemany(
            "INSERT INTO person(name, email, phone, organisation, city, tags) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            reader,
        )
    con.commit()
    con.close()
    return time.perf_counter() - t0


def schema_floor(csv_path: Path, folder: Path) -> float:
    """The same rows straight into Rapport's own tables with raw sqlite3: person (with its
    indexes and UID default), email, phone, tags and the search documents. What the
    schema itself costs, whatever the import code does."""
    from crm.services import open_services

    db = folder / f"schema-{time.monotonic_ns()}.sqlite"
    open_services(f"sqlite:///{db}").close()
    now = "2026-01-01 00:00:00.000000"
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = ON")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    con.executemany("INSERT INTO tag(id, name) VALUES (?, ?)", [(1, "csv-import"), (2, "x")])
    con.executemany(
        "INSERT INTO person(id, display_name, given_name, family_name, pronouns, organisation, "
        "title, city, country, time_zone, bio, notes, created_at, updated_at) "
        "VALUES (?, ?, '', '', '', ?, '', ?, '', '', '', '', ?, ?)",
        [(i, r[0], r[3], r[4], now, now) for i, r in enumerate(rows, 1)],
    )
    con.executemany(
        "INSERT INTO email(person_id, address, label) VALUES (?, ?, '')",
        [(i, r[1]) for i, r in enumerate(rows, 1)],
    )
    con.executemany(
        "INSERT INTO phone(person_id, number, label) VALUES (?, ?, '')",
        [(i, r[2]) for i, r in enumerate(rows, 1) if r[2]],
    )
    con.executemany(
        "INSERT INTO person_tag(person_id, tag_id) VALUES (?, ?)",
        [(i, t) for i in range(1, len(rows) + 1) for t in (1, 2)],
    )
    con.executemany(
        "INSERT INTO person_fts(rowid, name, emails, organisation, handles, tags, notes, custom) "
        "VALUES (?, ?, ?, ?, '', 'csv-import x', '', '')",
        [(i, r[0], r[1], f"{r[3]} {r[4]}") for i, r in enumerate(rows, 1)],
    )
    con.commit()
    con.close()
    return time.perf_counter() - t0


# The leanest schema that still keeps people searchable, for the ceiling figures: 8 KiB
# pages, person_tag without rowids, a contentless search table (Rapport could not
# update its documents then: SQLite 3.40 has no contentless_delete).
_LEAN = (
    "DROP TABLE person_tag",
    "CREATE TABLE person_tag (person_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, "
    "PRIMARY KEY (person_id, tag_id)) WITHOUT ROWID",
    "CREATE INDEX ix_person_tag_tag ON person_tag (tag_id, person_id)",
    "DROP TABLE person_fts",
    "CREATE VIRTUAL TABLE person_fts USING fts5(name, emails, organisation, handles, tags, "
    "notes, custom, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3', content='')",
)


def _lean(db: Path) -> None:
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode = DELETE")
    for sql in _LEAN:
        con.execute(sql)
    con.execute("PRAGMA page_size = 8192")
    con.execute("VACUUM")
    con.execute("PRAGMA journal_mode = WAL")
    con.close()


def bulk_schema_floor(
    csv_path: Path, folder: Path, lean: bool = False, search: bool = True
) -> dict[str, float]:
    """schema_floor with the import's bulk shortcuts; seconds by part.

    lean: on the leanest schema (_LEAN) with the WAL checkpoint left for later;
    search=False: without search documents at all. These two are ceilings, not
    floors of Rapport's schema: what no code could beat here even with its schema
    cut down, and without a search index.
    """
    from crm.services import open_services

    db = folder / f"bulk-{time.monotonic_ns()}.sqlite"
    open_services(f"sqlite:///{db}").close()
    if lean:
        _lean(db)
    now = "2026-01-01 00:00:00.000000"
    c0 = time.process_time()
    t0 = time.perf_counter()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("PRAGMA cache_size = -262144")
    if lean:
        con.execute("PRAGMA wal_autocheckpoint = 0")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    n = len(rows)
    h = os.urandom(16 * n).hex()
    uids = [f"{h[k:k+8]}-{h[k+8:k+12]}-4{h[k+13:k+16]}-a{h[k+17:k+20]}-{h[k+20:k+32]}"
            for k in range(0, 32 * n, 32)]  # fmt: skip
    con.execute("BEGIN")
    suspended = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
        "tbl_name IN ('person', 'email', 'phone', 'handle', 'person_role', 'person_tag')"
    ).fetchall()
    for name, _sql in suspended:
        con.execute(f'DROP INDEX "{name}"')
    con.executemany("INSERT INTO tag(id, name) VALUES (?, ?)", [(1, "csv-import"), (2, "x")])
    con.executemany(
        "INSERT INTO person(id, display_name, given_name, family_name, pronouns, organisation, "
        "title, city, country, time_zone, bio, notes, created_at, updated_at, uid) "
        "VALUES (?, ?, '', '', '', ?, '', ?, '', '', '', '', ?, ?, ?)",
        [
            (i, r[0], r[3], r[4], now, now, u)
            for i, r, u in zip(range(1, n + 1), rows, uids, strict=True)
        ],
    )
    con.executemany(
        "INSERT INTO email(person_id, address, label) VALUES (?, ?, '')",
        [(i, r[1]) for i, r in enumerate(rows, 1)],
    )
    con.executemany(
        "INSERT INTO phone(person_id, number, label) VALUES (?, ?, '')",
        [(i, r[2]) for i, r in enumerate(rows, 1) if r[2]],
    )
    con.executemany(
        "INSERT INTO person_tag(person_id, tag_id) VALUES (?, ?)",
        [(i, t) for i in range(1, n + 1) for t in (1, 2)],
    )
    t1 = time.perf_counter()
    for _name, sql in suspended:
        con.execute(sql)
    t2 = time.perf_counter()
    if search:
        con.execute("INSERT INTO person_fts(person_fts, rank) VALUES ('hashsize', 67108864)")
        con.executemany(
            "INSERT INTO person_fts(rowid, name, emails, organisation, handles, tags, notes, "
            "custom) VALUES (?, ?, ?, ?, '', 'csv-import x', '', '')",
            [(i, r[0], r[1], f"{r[3]} {r[4]}") for i, r in enumerate(rows, 1)],
        )
        con.execute("INSERT INTO person_fts(person_fts, rank) VALUES ('hashsize', 1048576)")
    t3 = time.perf_counter()
    for table in ("person", "email", "phone", "person_tag"):
        assert con.execute(f"PRAGMA foreign_key_check({table})").fetchone() is None
    con.execute("COMMIT")
    con.close()
    t4 = time.perf_counter()
    return {
        "seconds": t4 - t0,
        "cpu_seconds": time.process_time() - c0,
        "read_and_rows": t1 - t0,
        "indexes": t2 - t1,
        "search_documents": t3 - t2,
        "links_and_commit": t4 - t3,
    }


def import_staged(csv_path: Path, folder: Path) -> dict[str, float]:
    """One import with a timer around each stage (wrapped here, not in the service)."""
    from crm.services import imports, imports_apply, open_services
    from crm.services.demo import bulk

    spent: dict[str, float] = {}
    saved: list[tuple[object, str, object]] = []

    def wrap(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed_call(*args: object, **kwargs: object) -> object:
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - t0

        saved.append((owner, name, original))
        setattr(owner, name, timed_call)

    db = folder / f"staged-{time.monotonic_ns()}.sqlite"
    sv = open_services(f"sqlite:///{db}", phone_region="US")
    wrap(imports, "read_file", "read")
    wrap(imports.ImportService, "plan", "plan")
    wrap(imports.ImportService, "apply", "apply")
    wrap(imports_apply, "_add", "rows")
    wrap(bulk.Writer, "restore", "indexes")
    wrap(imports_apply, "_index_new", "search_documents")
    try:
        gc.collect()
        t0 = time.perf_counter()
        sv.imports.import_files([csv_path])
        total = time.perf_counter() - t0
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)
        sv.close()
    out = {
        "seconds": total,
        "read": spent["read"],
        "clean_and_match": spent["plan"] - spent["read"],
    }
    out |= {k: spent.get(k, 0.0) for k in ("rows", "indexes", "search_documents")}
    out["links_commit_and_rest"] = spent["apply"] - out["rows"] - out["indexes"]
    out["links_commit_and_rest"] -= out["search_documents"]
    return out


def import_once(csv_path: Path, folder: Path) -> tuple[float, dict[str, object]]:
    from crm.services import open_services

    db = folder / f"import-{time.monotonic_ns()}.sqlite"
    sv = open_services(f"sqlite:///{db}", phone_region="US")  # migrating is not importing
    try:
        gc.collect()
        c0 = time.process_time()
        t0 = time.perf_counter()
        report = sv.imports.import_files([csv_path])
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0
        people = sv.people.count()
        hits = len(sv.search.person_ids("Lovelace"))
    finally:
        sv.close()
    return seconds, {"added": report.added, "people": people, "search_hits": hits, "cpu": cpu}


def find_duplicates(db: Path, folder: Path) -> dict[str, object]:
    from crm.services import open_services

    copy = folder / "dupes.sqlite"
    shutil.copyfile(db, copy)
    sv = open_services(f"sqlite:///{copy}")
    try:
        t0 = time.perf_counter()
        pairs = sv.duplicates.find(limit=100_000)
        seconds = time.perf_counter() - t0
        people = sv.people.count()
    finally:
        sv.close()
    reasons: dict[str, int] = {}
    for p in pairs:
        reasons[p.reason] = reasons.get(p.reason, 0) + 1
    return {
        "people": people,
        "seconds": round(seconds, 2),
        "pairs": len(pairs),
        "by_reason": reasons,
        "target_seconds": FIND_TARGET_S,
        "ok": seconds <= FIND_TARGET_S,
    }


def run(db: Path = DEFAULT_DB, rows: int = ROWS) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="rapport-bench-import-") as tmp:
        folder = Path(tmp)
        csv_path = folder / "contacts.csv"
        make_csv(csv_path, rows)
        floors: list[float] = []
        schemas: list[float] = []
        bulks: list[dict[str, float]] = []
        leans: list[float] = []
        unsearchable: list[float] = []
        runs: list[tuple[float, dict[str, object]]] = []
        for _ in range(3):  # interleaved, so a busy moment hits every figure alike
            floors.append(floor(csv_path, folder))
            schemas.append(schema_floor(csv_path, folder))
            bulks.append(bulk_schema_floor(csv_path, folder))
            leans.append(bulk_schema_floor(csv_path, folder, lean=True)["seconds"])
            unsearchable.append(
                bulk_schema_floor(csv_path, folder, lean=True, search=False)["seconds"]
            )
            runs.append(import_once(csv_path, folder))
        staged = import_staged(csv_path, folder)
        secs = statistics.median(s for s, _ in runs)
        cpu = statistics.median(float(c["cpu"]) for _, c in runs)  # type: ignore[arg-type]
        best_floor = statistics.median(floors)
        schema = statistics.median(schemas)
        bulk = {k: round(statistics.median(b[k] for b in bulks), 3) for k in bulks[0]}
        rate = rows / secs
        result: dict[str, object] = {
            "csv_import": {
                "rows": rows,
                "seconds": round(secs, 3),
                "rows_per_s": round(rate),
                "runs_seconds": [round(s, 3) for s, _ in runs],
                # CPU time (this process, SQLite included): steadier than the wall clock
                # on a shared machine, where the import waits for a core.
                "cpu_seconds": round(cpu, 3),
                "times_bulk_schema_floor_cpu": round(cpu / bulk["cpu_seconds"], 2),
                "floor_seconds": round(best_floor, 3),
                "floor_rows_per_s": round(rows / best_floor),
                "times_floor": round(secs / best_floor, 1),
                "schema_floor_seconds": round(schema, 3),
                "schema_floor_rows_per_s": round(rows / schema),
                "times_schema_floor": round(secs / schema, 1),
                "bulk_schema_floor": bulk,
                "bulk_schema_floor_rows_per_s": round(rows / bulk["seconds"]),
                "times_bulk_schema_floor": round(secs / bulk["seconds"], 1),
                "stages_one_run": {k: round(v, 3) for k, v in staged.items()},
                # Ceilings: raw sqlite3 on the leanest schema that keeps people
                # searchable, and the same without any search documents.
                "lean_schema_ceiling_rows_per_s": round(rows / statistics.median(leans)),
                "unsearchable_ceiling_rows_per_s": round(rows / statistics.median(unsearchable)),
                "target_rows_per_s": IMPORT_TARGET,
                "ok": rate >= IMPORT_TARGET,
                "load_average": round(os.getloadavg()[0], 2),
                "check": {k: v for k, v in runs[0][1].items() if k != "cpu"},
            }
        }
        if db.is_file():
            result["find_duplicates"] = find_duplicates(db, folder)
        else:
            result["find_duplicates"] = {"skipped": True, "note": f"{db}: no bench database"}
    parts = [v for v in result.values() if isinstance(v, dict) and "ok" in v]
    result["ok"] = all(bool(v["ok"]) for v in parts)
    return result


def save(figures: dict[str, object], out: Path = RESULTS / "import.json") -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(figures, indent=2) + "\n")
    tmp.replace(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", nargs="?", type=Path, default=DEFAULT_DB)
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    if args.db != DEFAULT_DB:
        require_db(args.db)
    figures = run(args.db.resolve(), args.rows)
    save(figures)
    print(json.dumps(figures, indent=2))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
