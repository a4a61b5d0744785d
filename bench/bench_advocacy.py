"""Advocacy, Tasks and Moderation at 100,000 contacts (5,000 notes, 50,000 voices).

    python bench/bench_advocacy.py [PATH]

Measured on the database `crm demo --contacts 100000` makes (bench/build_db.py):

- "top requests": AdvocacyService.top_requests(20), open notes ranked by the members
  behind them (target < 50 ms). Floor: the bare GROUP BY over the voice table's index
  in raw sqlite3, without the join to the notes and the status filter.
- the "Top requests" table view: the ordered ids of all open notes by weight.
- first paint of each page (Advocacy, Tasks, Moderation): building the page over the
  database, showing it and painting it into an image (target < 100 ms). Floor: a
  QTableView over a QStandardItemModel filled with the same first 40 rows read with
  raw sqlite3, painted the same way. Service and page modules are imported (and the
  ORM loaded) before timing, as they are once the window is up; the first, cold
  build is recorded too.

Each figure is the median of RUNS runs after a warm-up, in wall-clock time and in the
process's CPU time (on a shared, loaded machine the wall time is mostly waiting for a
core; the CPU time is what the work costs); writes results/advocacy.json.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import RESULTS, db_arg, dump, ms, require_db

TARGET_TOP_MS = 50.0
TARGET_PAINT_MS = 100.0
RUNS = 7
PAGES = (
    ("advocacy", "crm.ui.advocacy.page", "AdvocacyPage"),
    ("tasks", "crm.ui.dept_tasks.page", "TasksPage"),
    ("moderation", "crm.ui.moderation.page", "ModerationPage"),
)
FLOOR_SQL = {
    "advocacy": "SELECT title, status, department, kind, updated_at FROM advocacy_note "
    "ORDER BY updated_at DESC LIMIT 40",
    "tasks": "SELECT title, department, owner_name, due_on, status FROM department_task "
    "ORDER BY due_on LIMIT 40",
    "moderation": "SELECT c.occurred_on, p.display_name, c.guideline, c.severity, c.action "
    "FROM moderation_case c JOIN person p ON p.id = c.subject_id "
    "ORDER BY c.occurred_on DESC LIMIT 40",
}


def measure(fn: Callable[[], object], runs: int = RUNS) -> dict[str, float]:
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {
        "cold_ms": ms(cold),
        "median_ms": ms(statistics.median(times)),
        "max_ms": ms(max(times)),
        "cpu_median_ms": ms(statistics.median(cpu)),
    }


def run(path: Path) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    require_db(path)
    import importlib

    from PySide6.QtCore import QCoreApplication, QEvent, QSettings
    from PySide6.QtGui import QStandardItem, QStandardItemModel, QUndoStack
    from PySide6.QtWidgets import QTableView, QWidget

    from crm.services import open_services
    from crm.ui.app import application
    from crm.ui.bus import ChangeBus
    from crm.ui.context import UiContext
    from crm.ui.tasks import ImmediateTaskRunner

    app = application()
    services = open_services(f"sqlite:///{path}", create=False)
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    settings_file = RESULTS.parent / ".cache" / "bench-advocacy.ini"
    settings_file.parent.mkdir(exist_ok=True)
    settings_file.unlink(missing_ok=True)
    ctx = UiContext(
        services,
        ChangeBus(services.changes),
        QUndoStack(),
        ImmediateTaskRunner(),
        QSettings(str(settings_file), QSettings.Format.IniFormat),
    )
    counts = {
        t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("advocacy_note", "advocacy_voice", "department_task", "moderation_case")
    }
    figures: dict[str, object] = {"rows": counts}
    try:
        top_sql = (
            "SELECT note_id, count(*) AS c FROM advocacy_voice GROUP BY note_id "
            "ORDER BY c DESC LIMIT 20"
        )
        figures["top_requests"] = measure(lambda: services.advocacy.top_requests(20))
        figures["top_requests_floor_raw_group_by"] = measure(
            lambda: raw.execute(top_sql).fetchall()
        )
        figures["top_requests_view_ids"] = measure(
            lambda: services.advocacy.query_ids(open_only=True, sort="voices", descending=True)
        )
        top = services.advocacy.top_requests(3)
        figures["top_3"] = [(t.title, t.voices) for t in top]

        def paint(make: Callable[[], QWidget]) -> tuple[float, float, float]:
            """(first frame, frame + grab, CPU) seconds; tearing down is not timed."""
            t0, c0 = time.perf_counter(), time.process_time()
            widget = make()
            widget.resize(1300, 760)
            widget.show()
            app.processEvents()  # lays out and paints the first frame
            frame = time.perf_counter() - t0
            widget.grab()
            total, cpu = time.perf_counter() - t0, time.process_time() - c0
            widget.close()
            widget.deleteLater()  # gone before the next run, so runs do not pile up
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()  # and what closing posted (a settings write) is done too
            return frame, total, cpu

        def measure_paint(make: Callable[[], QWidget]) -> dict[str, float]:
            cold = paint(make)
            runs = [paint(make) for _ in range(RUNS)]
            return {
                "cold_ms": ms(cold[1]),
                "median_ms": ms(statistics.median(r[1] for r in runs)),
                "max_ms": ms(max(r[1] for r in runs)),
                "first_frame_median_ms": ms(statistics.median(r[0] for r in runs)),
                "cpu_median_ms": ms(statistics.median(r[2] for r in runs)),
            }

        for key, module, cls in PAGES:
            t0 = time.perf_counter()
            page_cls = getattr(importlib.import_module(module), cls)
            import_s = time.perf_counter() - t0
            figures[f"{key}_page_first_paint"] = {
                "import_ms": ms(import_s),
                **measure_paint(lambda c=page_cls: c(ctx)),
            }

            def floor(sql: str = FLOOR_SQL[key]) -> QWidget:
                model = QStandardItemModel()
                for row in raw.execute(sql):
                    model.appendRow([QStandardItem(str(v)) for v in row])
                view = QTableView()
                view.setModel(model)
                model.setParent(view)
                return view

            figures[f"{key}_floor_raw_rows_standard_model"] = measure_paint(floor)
    finally:
        raw.close()
        ctx.bus.detach()
        services.close()
    top_ms = figures["top_requests"]["median_ms"]  # type: ignore[index]
    paints = [figures[f"{k}_page_first_paint"]["median_ms"] for k, _m, _c in PAGES]  # type: ignore[index]
    figures["target"] = (
        f"top requests < {TARGET_TOP_MS:.0f} ms; each page's first paint < {TARGET_PAINT_MS:.0f} ms"
    )
    figures["ok"] = top_ms < TARGET_TOP_MS and all(p < TARGET_PAINT_MS for p in paints)
    return figures


def save(figures: dict[str, object], out: Path = RESULTS / "advocacy.json") -> None:
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    result = run(db_arg(sys.argv))
    dump(result)
    save(result)
