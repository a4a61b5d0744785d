"""Content calendar and goals at 100,000 people / 1,000,000 interactions.

Measures, warm, median of 7 runs each: every goal's progress through
GoalService.rows([id]) (one goal, one metric query, in its own session), against a
floor of the same metric SQL on a raw sqlite3 connection; and each page's first
paint (ContentPage / GoalsPage built, shown and painted offscreen, with the app's
thread-pool task runner), against a floor of a bare QTableView over a
QStandardItemModel with the same visible rows. For the Goals page also the time
until every bar is filled (its progress is measured on tasks after the rows paint).
Usage: bench_content.py [DB] — writes results/content.json.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEFAULT_DB, RESULTS, ms

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def median_time(fn, runs: int = 7, clock=time.perf_counter) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(runs):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times)


def median_cpu(fn, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
    """CPU time of this process: on a shared, loaded machine the wall clock also
    counts the time other processes held the cores."""
    return median_time(fn, runs, time.process_time)


def main() -> dict[str, object]:
    from crm.models import utcnow
    from crm.services import goals_progress as gp
    from crm.services import open_services

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DB
    services = open_services(f"sqlite:///{path}", create=False)
    raw = sqlite3.connect(path)
    out: dict[str, object] = {"db": str(path), "goals": {}, "pages": {}}
    now = utcnow()
    for gid in services.goals.query_ids():
        g = services.goals.get(gid)
        start, deadline = g.starts_on, g.deadline
        service_s = median_time(lambda gid=gid: services.goals.rows([gid]))
        a = gp.ts(datetime.combine(start, datetime.min.time()))
        b = gp.ts(datetime.combine(deadline + timedelta(days=1), datetime.min.time()))
        sql, params = {
            "members": (gp._MEMBERS, {}),
            "members active in the last 30 days": (
                gp._ACTIVE_MEMBERS,
                {"since": gp.ts(now - timedelta(days=30))},
            ),
            "interactions per week": (
                gp._INTERACTIONS,
                {"since": gp.ts(now - timedelta(days=7)), "now": gp.ts(now)},
            ),
            "events held": (gp._EVENTS, {"a": a, "b": b, "now": gp.ts(now)}),
            "average NPS": (gp._NPS, {"a": a, "b": b}),
            "speakers confirmed": (gp._SPEAKERS, {"a": a, "b": b}),
            "advocacy notes shipped": (
                gp._SHIPPED,
                {"a": start.isoformat(), "d": deadline.isoformat()},
            ),
        }[g.metric]
        floor_s = median_time(lambda sql=sql, params=params: raw.execute(sql, params).fetchall())
        service_cpu = median_cpu(lambda gid=gid: services.goals.rows([gid]))
        floor_cpu = median_cpu(lambda sql=sql, params=params: raw.execute(sql, params).fetchall())
        plan = [r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + sql, params)]
        out["goals"][g.metric] = {  # type: ignore[index]
            "ms": ms(service_s),
            "floor_ms": ms(floor_s),
            "cpu_ms": ms(service_cpu),
            "floor_cpu_ms": ms(floor_cpu),
            "plan": plan,
            "value": g.progress.current,
            "state": g.progress.state,
            "target_ms": 50,
        }
        print(
            f"{g.metric:<36} {ms(service_s):7.2f} ms  (raw SQL {ms(floor_s):6.2f} ms)"
            f"  cpu {ms(service_cpu):6.2f} ms (raw {ms(floor_cpu):6.2f} ms)"
        )

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QStandardItem, QStandardItemModel, QUndoStack
    from PySide6.QtWidgets import QApplication, QTableView

    from crm.ui.bus import ChangeBus
    from crm.ui.content.page import ContentPage
    from crm.ui.context import UiContext
    from crm.ui.goals.page import GoalsPage
    from crm.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    settings = QSettings("/tmp/bench-content-settings.ini", QSettings.Format.IniFormat)
    runner = TaskRunner()
    ctx = UiContext(services, ChangeBus(services.changes), QUndoStack(), runner, settings)

    def paint(cls, until_measured: bool = False):  # type: ignore[no-untyped-def]
        """The page built, shown and painted; tasks it started finish off the clock
        (or on it, with until_measured: until every goal's bar is filled)."""
        timed: list[float] = []
        cpu: list[float] = []

        def run() -> None:
            t0, c0 = time.perf_counter(), time.process_time()
            page = cls(ctx)
            page.resize(1280, 760)
            page.show()
            page.repaint()
            app.processEvents()
            if until_measured:
                while len(page.model.progress) < page.model.rowCount():
                    runner.wait()
                    app.processEvents()
            timed.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            for _ in range(3):  # tasks the page starts once painted: done off the clock
                app.processEvents()
                runner.wait()
            page.close()
            page.deleteLater()
            app.processEvents()

        run.timed = timed  # type: ignore[attr-defined]
        run.cpu = cpu  # type: ignore[attr-defined]
        return run

    def median_of(fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        """Wall and CPU time, medians of the warm runs."""
        median_time(fn)
        return statistics.median(fn.timed[1:]), statistics.median(fn.cpu[1:])

    def floor() -> None:
        model = QStandardItemModel(30, 8)
        for r in range(30):
            for c in range(8):
                model.setItem(r, c, QStandardItem(f"cell {r} {c}"))
        view = QTableView()
        view.setModel(model)
        view.resize(1280, 760)
        view.show()
        view.repaint()
        app.processEvents()
        view.close()
        view.deleteLater()

    floor_s, floor_cpu = median_time(floor), median_cpu(floor)
    for name, cls in (("content", ContentPage), ("goals", GoalsPage)):
        page_s, page_cpu = median_of(paint(cls))
        out["pages"][name] = {
            "first_paint_ms": ms(page_s),
            "floor_ms": ms(floor_s),
            "first_paint_cpu_ms": ms(page_cpu),
            "floor_cpu_ms": ms(floor_cpu),
            "target_ms": 100,
        }  # type: ignore[index]
        print(
            f"{name} page first paint {ms(page_s):7.2f} ms  (bare table {ms(floor_s):6.2f} ms)"
            f"  cpu {ms(page_cpu):6.2f} ms (bare {ms(floor_cpu):6.2f} ms)"
        )
    filled_s, filled_cpu = median_of(paint(GoalsPage, until_measured=True))
    out["pages"]["goals"]["all_bars_filled_ms"] = ms(filled_s)  # type: ignore[index]
    out["pages"]["goals"]["all_bars_filled_cpu_ms"] = ms(filled_cpu)  # type: ignore[index]
    print(f"goals page, every bar filled {ms(filled_s):7.2f} ms  cpu {ms(filled_cpu):6.2f} ms")
    out["content_items"] = services.content.count()
    out["measured_on"] = date.today().isoformat()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "content.json").write_text(json.dumps(out, indent=2) + "\n")
    services.close()
    return out


if __name__ == "__main__":
    main()
