"""The Dashboard and the PDF report at 100,000 people / 1,000,000 interactions.

    python bench/bench_dashboard.py [DB] [--runs N]

Works on a copy of the bench database (bench/build_db.py; the cached file is never
opened for writing: the app would migrate it). Measures, warm, median of N runs:

- every report query, for each period, through ReportService.chart (the service's
  pooled connection), against a floor of the very same SQL (recorded as the service
  ran it) on a bare sqlite3 connection — target < 200 ms each;
- the whole report (eight charts, the member pass shared) as the Dashboard asks it;
- the Dashboard page in the main window, with the app's style, on the real thread-pool
  TaskRunner: from showing it to every chart drawn, and the longest gap of a 10 ms
  QTimer on the GUI thread meanwhile (the stall a user would feel; the same timer over
  an idle loop is the floor) — first visit (matplotlib imported then: the window is
  measured before the PDF) and warm visits — with the full garbage collections that
  ran meanwhile (they hold the GIL, whichever thread sets them off);
- `write_pdf` for the default period: seconds, pages and bytes.

Writes results/dashboard.json and prints the same figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEFAULT_DB, RESULTS, ms

TARGET_QUERY_MS = 200.0
TICK_MS = 10


def median_s(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm: page cache and statement cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def queries(services, raw: sqlite3.Connection, runs: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from crm.services.reports import CHARTS
    from crm.services.reports_data import PERIODS, period

    out: dict[str, object] = {}
    for key in PERIODS:
        p = period(key)
        for name, fn in CHARTS.items():
            recorded: list[tuple[str, dict[str, object]]] = []

            def record(sql: str, params, recorded=recorded):  # type: ignore[no-untyped-def]
                recorded.append((sql, dict(params)))
                return raw.execute(sql, dict(params)).fetchall()

            chart = fn(record, p)  # the SQL the chart runs, as it runs it

            def floor(recorded=recorded) -> None:  # type: ignore[no-untyped-def]
                for sql, params in recorded:
                    raw.execute(sql, params).fetchall()

            service = median_s(lambda name=name, key=key: services.reports.chart(name, key), runs)
            raw_s = median_s(floor, runs)
            plan = [
                r[3]
                for sql, params in recorded
                for r in raw.execute("EXPLAIN QUERY PLAN " + sql, params)
            ]
            out[f"{key}/{name}"] = {
                "ms": ms(service),
                "floor_ms": ms(raw_s),
                "ok": service * 1000 < TARGET_QUERY_MS,
                "headline": chart.headline,
                "bars": len(chart.labels),
                "plan": plan,
            }
            print(f"{key:>4} {name:<13} {ms(service):8.1f} ms   raw SQL {ms(raw_s):8.1f} ms")
    return out


def whole_report(services, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from crm.services.reports_data import PERIODS

    out = {}
    for key in PERIODS:
        out[key] = ms(median_s(lambda key=key: services.reports.report(key), max(1, runs // 2)))
        print(f"whole report {key:>4}: {out[key]:8.1f} ms")
    return out


def gui(services, db_dir: Path, visits: int, shot: str | None) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtGui import QUndoStack

    from crm.ui.app import application
    from crm.ui.bus import ChangeBus
    from crm.ui.context import UiContext
    from crm.ui.main_window import MainWindow
    from crm.ui.tasks import TaskRunner

    app = application()
    settings = QSettings(str(db_dir / "settings.ini"), QSettings.Format.IniFormat)
    runner = TaskRunner()
    ctx = UiContext(services, ChangeBus(services.changes), QUndoStack(), runner, settings)
    window = MainWindow(ctx)
    window.resize(1400, 1000)
    window.show()
    for _ in range(20):
        app.processEvents()
    runner.wait()

    gaps: list[float] = []
    clock = QElapsedTimer()
    timer = QTimer(interval=TICK_MS)

    def tick() -> None:
        gaps.append(clock.restart())

    timer.timeout.connect(tick)
    # Full garbage collections hold the GIL on whichever thread sets them off: the
    # longest of them during a visit is kept beside the stall (what froze the window).
    full_gcs: list[float] = []
    gc_start: dict[int, float] = {}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        now, me = time.perf_counter(), threading.get_ident()
        if phase == "start":
            gc_start[me] = now
        elif info["generation"] == 2 and me in gc_start:
            full_gcs.append(round((now - gc_start.pop(me)) * 1000, 1))

    gc.callbacks.append(on_gc)

    def watch(until, limit_s: float = 120.0) -> float:  # type: ignore[no-untyped-def]
        gaps.clear()
        full_gcs.clear()
        clock.start()
        timer.start()
        t0 = time.perf_counter()
        while not until() and time.perf_counter() - t0 < limit_s:
            app.processEvents()
            time.sleep(0.001)
        seconds = time.perf_counter() - t0
        timer.stop()
        return seconds

    idle_s = watch(lambda: False, 1.0)
    idle_gap = max(gaps[1:], default=0.0)
    print(f"idle loop: longest gap {idle_gap:.0f} ms over {idle_s:.1f} s")

    runs = []
    for i in range(visits):
        window.show_page(0)
        for _ in range(5):
            app.processEvents()
        dash = window.page(1)
        if i > 0:  # later visits: the page is built; count it again as a write would
            for card in dash.cards.values():
                card.image.renders = 0
            dash._stale = True
        before = {k: c.image.renders for k, c in dash.cards.items()}
        first: list[float] = []
        t0 = time.perf_counter()

        def shown(dash=dash, before=before, first=first, t0=t0) -> bool:  # type: ignore[no-untyped-def]
            drawn = [c.image.renders > before[k] for k, c in dash.cards.items()]
            if any(drawn) and not first:
                first.append(time.perf_counter() - t0)
            return all(drawn)

        window.show_page_titled("Dashboard")
        seconds = watch(shown)
        runs.append(
            {
                "seconds": round(seconds, 3),
                "first_chart_s": round(first[0], 3) if first else None,
                "longest_stall_ms": max(gaps[1:], default=0.0),
                "full_gc_ms": list(full_gcs),
            }
        )
        label = "first visit" if i == 0 else f"visit {i + 1}"
        print(
            f"Dashboard {label}: first chart {runs[-1]['first_chart_s']} s, "
            f"all charts shown in {seconds:.2f} s, "
            f"longest GUI stall {runs[-1]['longest_stall_ms']:.0f} ms, "
            f"full collections {full_gcs} ms"
        )
    if shot:
        window.grab().save(shot)  # to look at (not kept in results/)
    window.close()
    gc.callbacks.remove(on_gc)
    return {
        "idle_longest_gap_ms": idle_gap,
        "first_visit": runs[0],
        "warm_visits": runs[1:],
        "warm_median_s": statistics.median(r["seconds"] for r in runs[1:])
        if len(runs) > 1
        else None,
        "warm_median_stall_ms": statistics.median(r["longest_stall_ms"] for r in runs[1:])
        if len(runs) > 1
        else None,
    }


def pdf(services, db_dir: Path) -> dict[str, object]:  # type: ignore[no-untyped-def]
    out = db_dir / "report.pdf"
    t0 = time.perf_counter()
    pages = services.reports.write_pdf(str(out), "12m")
    seconds = time.perf_counter() - t0
    print(f"PDF report (12 months): {seconds:.2f} s, {pages} pages, {out.stat().st_size:,} bytes")
    return {"seconds": round(seconds, 3), "pages": pages, "bytes": out.stat().st_size}


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", nargs="?", default=str(DEFAULT_DB))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--visits", type=int, default=4)
    parser.add_argument("--shot", metavar="FILE.png", help="save the window once drawn")
    args = parser.parse_args()
    source = Path(args.db)
    if not source.is_file():
        sys.exit(f"{source}: no bench database; run: python bench/build_db.py")
    from crm.services import open_services

    with tempfile.TemporaryDirectory(prefix="bench-dash-") as tmp:
        db = Path(tmp) / "bench.sqlite"
        shutil.copyfile(source, db)  # the app may migrate it: never the cached file
        services = open_services(f"sqlite:///{db}", create=False)
        raw = sqlite3.connect(db)
        figures: dict[str, object] = {
            "db": str(source),
            "load_average": os.getloadavg(),
            "target_query_ms": TARGET_QUERY_MS,
        }
        figures["queries"] = queries(services, raw, args.runs)
        figures["whole_report_ms"] = whole_report(services, args.runs)
        # the window first: its first visit is the process's first chart (matplotlib
        # loaded then, as in the app), not one after the PDF has loaded it
        figures["dashboard"] = gui(services, Path(tmp), args.visits, args.shot)
        figures["pdf"] = pdf(services, Path(tmp))
        figures["load_average_after"] = os.getloadavg()
        raw.close()
        services.close()
    slow = [k for k, v in figures["queries"].items() if not v["ok"]]  # type: ignore[union-attr]
    figures["queries_over_target"] = slow
    figures["ok"] = not slow
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "dashboard.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"queries over {TARGET_QUERY_MS:.0f} ms: {', '.join(slow) or 'none'}")
    return figures


if __name__ == "__main__":
    main()
