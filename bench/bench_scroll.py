"""Scrolling the People table at 100,000 people: ordered ids, then one page of rows.

    python bench/bench_scroll.py [PATH]

The table asks once for the ordered ids of its filter and sort, then for the rows of
the page it is about to paint. Measured through PeopleService: the ids for the
default sort (name) and for last interaction (newest first, as a user sorts that
column), and the rows of the page at row 50,000 (ids[50000:50100]), the figure with
a target (under 20 ms). Floor: fetching the same 100 person rows by id in raw
sqlite3, without their roles, tags, communities and custom fields. Each figure is
the median of 10 runs after one warm-up run; the first (cold) run is kept too.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import db_arg, dump, ms, require_db

TARGET_PAGE_MS = 20.0
ROW = 50_000
PAGE = 100
RUNS = 10


def measure(fn: Callable[[], object]) -> dict[str, float]:
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    runs = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return {"cold_ms": ms(cold), "median_ms": ms(statistics.median(runs)), "max_ms": ms(max(runs))}


def run(path: Path) -> dict[str, object]:
    from crm.services import open_services
    from crm.services.people_data import PeopleQuery

    require_db(path)
    services = open_services(f"sqlite:///{path}", create=False)
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        by_name = PeopleQuery()
        by_last = PeopleQuery(sort="last_interaction", descending=True)
        ids = services.people.query_ids(by_name)
        page = ids[ROW : ROW + PAGE]
        marks = ",".join(map(str, page))
        floor_sql = (
            "SELECT id, display_name, organisation, last_interaction_at, next_follow_up, "
            f"archived_at FROM person WHERE id IN ({marks})"
        )
        rows = services.people.rows(page)
        figures: dict[str, object] = {
            "people": len(ids),
            "ids_default_sort": measure(lambda: services.people.query_ids(by_name)),
            "ids_last_interaction_sort": measure(lambda: services.people.query_ids(by_last)),
            "page_at_row_50000": measure(lambda: services.people.rows(page)),
            "floor_raw_person_rows": measure(lambda: raw.execute(floor_sql).fetchall()),
            "page_rows": len(rows),
            "page_first_name": rows[0].name if rows else None,
        }
    finally:
        raw.close()
        services.close()
    page_ms = figures["page_at_row_50000"]["median_ms"]  # type: ignore[index]
    figures["target"] = f"page < {TARGET_PAGE_MS:.0f} ms"
    figures["ok"] = page_ms < TARGET_PAGE_MS
    return figures


if __name__ == "__main__":
    dump(run(db_arg(sys.argv)))
