"""The Events page and a big event's invitations, to first paint, on the 100k demo.

    python bench/bench_events.py [PATH] [--shot FILE.png]

Events page: from building the EventsPage (ids of the upcoming events, the first page
of rows with their invitation counts) to the list's viewport painted, offscreen; the
first event's detail fills in right after that paint and is timed apart (until the
detail has painted). A big event: from show_item() of the event with the
most invitations (1,000+ in the demo) with its Invitations tab current, to that
table's viewport painted. The first (cold) run in the process is kept apart from the
median of ten warm runs.

Floors, in the same run: the same reads as raw sqlite3 (the event ids, one GROUP BY
of counts for the first 100, those rows; the invitation ids sorted by name and the
first 100 rows) plus a bare QTableView over a QStandardItemModel of those 100 rows,
painted. Also recorded: the service reads alone, and the whole list's counts in one
GROUP BY (what `crm events` runs). Writes results/events.json.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import RESULTS, db_arg, dump, ms, require_db

TARGET_FIRST_PAINT_MS = 100.0
RUNS = 10

_IDS_SQL = (
    "SELECT e.id FROM event e WHERE e.archived_at IS NULL AND datetime(e.starts_utc, '+' || "
    "CAST(round((julianday(e.ends_at) - julianday(e.starts_at)) * 86400) AS INTEGER) || "
    "' seconds') >= :now ORDER BY e.starts_utc, e.id"
)
_INVITATION_IDS_SQL = (
    "SELECT i.id FROM invitation i JOIN person p ON p.id = i.person_id WHERE i.event_id = ? "
    "ORDER BY p.display_name COLLATE NOCASE, i.id"
)


def _painted(app, widget, limit: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Process events until `widget` has painted once."""
    from PySide6.QtCore import QEvent, QObject

    seen = []

    class Watch(QObject):
        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint:
                seen.append(1)
            return False

    watch = Watch()
    widget.installEventFilter(watch)
    end = time.perf_counter() + limit
    while not seen and time.perf_counter() < end:
        app.processEvents()
    widget.removeEventFilter(watch)


def run(path: Path, shot: Path | None = None) -> dict[str, object]:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    require_db(path)
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QStandardItem, QStandardItemModel, QUndoStack
    from PySide6.QtWidgets import QTableView

    from crm.ui.app import application

    app = application()  # as the app runs: Fusion, its palette and its style sheet
    from crm.models import utcnow
    from crm.services import open_services
    from crm.ui.bus import ChangeBus
    from crm.ui.context import UiContext
    from crm.ui.events.page import EventsPage
    from crm.ui.tasks import ImmediateTaskRunner

    services = open_services(f"sqlite:///{path}", create=False)
    tmp = tempfile.TemporaryDirectory()
    settings = QSettings(str(Path(tmp.name) / "s.ini"), QSettings.Format.IniFormat)
    ctx = UiContext(
        services, ChangeBus(services.changes), QUndoStack(), ImmediateTaskRunner(), settings
    )
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    big, big_count = raw.execute(
        "SELECT event_id, count(*) n FROM invitation GROUP BY event_id ORDER BY n DESC LIMIT 1"
    ).fetchone()
    now = utcnow().isoformat(" ")

    filled: list[float] = []

    def page_first_paint() -> float:
        t0 = time.perf_counter()
        page = EventsPage(ctx)
        page.resize(1400, 850)
        page.show()
        _painted(app, page.table.viewport())
        dt = time.perf_counter() - t0
        # The first event's detail fills in after the list's paint: timed apart.
        end = time.perf_counter() + 10
        while page.current_event_id() is None and page.model.ids and time.perf_counter() < end:
            app.processEvents()
        _painted(app, page.detail)
        filled.append(time.perf_counter() - t0)
        page.close()
        page.deleteLater()
        app.processEvents()
        return dt

    page = EventsPage(ctx)
    page.resize(1400, 850)
    page.show()
    app.processEvents()

    def big_event_first_paint() -> float:
        page.show_item(page.model.ids[0] if page.model.ids else big)  # another event first
        app.processEvents()
        t0 = time.perf_counter()
        page.show_item(big)
        tab = page.detail.show_invitations()
        _painted(app, tab.table.viewport())
        return time.perf_counter() - t0

    def bare_table(rows: list[tuple[object, ...]]) -> None:
        view = QTableView()
        model = QStandardItemModel(view)
        for r in rows:
            model.appendRow([QStandardItem(str(v)) for v in r])
        view.setModel(model)
        view.resize(700, 600)
        view.show()
        _painted(app, view.viewport())
        view.close()
        view.deleteLater()

    def floor_list() -> float:
        t0 = time.perf_counter()
        ids = [r[0] for r in raw.execute(_IDS_SQL, {"now": now})]
        first = ",".join(str(i) for i in ids[:100]) or "NULL"
        raw.execute(
            "SELECT event_id, status, count(*) FROM invitation "
            f"WHERE event_id IN ({first}) GROUP BY event_id, status"
        ).fetchall()
        rows = raw.execute(
            f"SELECT id, title, kind, status, starts_at, location FROM event WHERE id IN ({first})"
        ).fetchall()
        bare_table(rows)
        dt = time.perf_counter() - t0
        app.processEvents()
        return dt

    def floor_invitations() -> float:
        t0 = time.perf_counter()
        ids = [r[0] for r in raw.execute(_INVITATION_IDS_SQL, (big,))]
        first = ",".join(str(i) for i in ids[:100])
        rows = raw.execute(
            "SELECT i.id, p.display_name, p.organisation, i.role, i.status FROM invitation i "
            f"JOIN person p ON p.id = i.person_id WHERE i.id IN ({first})"
        ).fetchall()
        bare_table(rows)
        dt = time.perf_counter() - t0
        app.processEvents()
        return dt

    def series(fn: Callable[[], float]) -> dict[str, float]:
        cold = fn()
        warm = [fn() for _ in range(RUNS)]
        return {
            "cold_ms": ms(cold),
            "median_ms": ms(statistics.median(warm)),
            "max_ms": ms(max(warm)),
        }

    def reads(fn: Callable[[], object]) -> float:
        warm = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            fn()
            warm.append(time.perf_counter() - t0)
        return ms(statistics.median(warm))

    try:
        list_paint = series(page_first_paint)
        list_floor = series(floor_list)
        event_paint = series(big_event_first_paint)
        event_floor = series(floor_invitations)
        if shot is not None:
            page.grab().save(str(shot))
        ev, inv = services.events, services.invitations
        upcoming = ev.query_ids("upcoming")
        figures: dict[str, object] = {
            "events": ev.count(),
            "invitations": services.stats.counts()["invitation"],
            "upcoming": len(upcoming),
            "big_event_id": big,
            "big_event_invitations": big_count,
            "events_page_first_paint": list_paint,
            "events_page_detail_filled_median_ms": ms(statistics.median(filled[1:])),
            "events_page_floor_raw_sql_and_bare_table": list_floor,
            "events_page_ratio_to_floor": round(
                list_paint["median_ms"] / max(list_floor["median_ms"], 0.01), 2
            ),
            "big_event_first_paint": event_paint,
            "big_event_floor_raw_sql_and_bare_table": event_floor,
            "big_event_ratio_to_floor": round(
                event_paint["median_ms"] / max(event_floor["median_ms"], 0.01), 2
            ),
            "reads_ms": {
                "upcoming_ids": reads(lambda: ev.query_ids("upcoming")),
                "rows_first_100_with_counts": reads(lambda: ev.rows(upcoming[:100])),
                "all_events_with_counts_one_group_by": reads(lambda: ev.list_events("all")),
                "raw_group_by_all_counts": reads(
                    lambda: raw.execute(
                        "SELECT event_id, status, count(*) FROM invitation "
                        "GROUP BY event_id, status"
                    ).fetchall()
                ),
                "big_event_invitation_ids": reads(lambda: inv.query_ids(big)),
                "raw_big_event_invitation_ids": reads(
                    lambda: raw.execute(_INVITATION_IDS_SQL, (big,)).fetchall()
                ),
                "big_event_rows_first_100": reads(lambda: inv.rows(inv.query_ids(big)[:100])),
                "big_event_counts": reads(lambda: inv.counts(big)),
            },
        }
    finally:
        page.close()
        raw.close()
        services.close()
        tmp.cleanup()
    figures["target"] = f"first paint < {TARGET_FIRST_PAINT_MS:.0f} ms (page and big event)"
    figures["ok"] = (
        list_paint["median_ms"] < TARGET_FIRST_PAINT_MS
        and event_paint["median_ms"] < TARGET_FIRST_PAINT_MS
    )
    return figures


if __name__ == "__main__":
    args = [a for a in sys.argv if not a.startswith("--shot")]
    shot = None
    if "--shot" in sys.argv:
        shot = Path(sys.argv[sys.argv.index("--shot") + 1])
        args.remove(str(shot))
    result = run(db_arg(args), shot)
    dump(result)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "events.json").write_text(json.dumps(result, indent=2) + "\n")
