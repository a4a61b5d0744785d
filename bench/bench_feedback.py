"""Feedback and initiatives at 100,000 contacts: NPS/CSAT in SQL and each page's first paint.

    python bench/bench_feedback.py [PATH]

The database is the bench database (`crm demo --contacts 100000`: ~20,000 responses
over 33 surveys, 12 initiatives). Measured, median of 20 runs after one warm-up:

- `FeedbackService.answers(survey)` for the survey with the most responses (each
  choice counted, the latest text answers; floor: its answers counted by value and
  the newest three per question on a raw connection);
- `FeedbackService.scores()` (every survey's NPS or CSAT: counts per (survey, score)
  along a covering index, summed by scale) and
  `trend("nps")` (NPS of every NPS survey, by month) and `trend(scale, one survey)`;
  floor: the same counting SQL on a raw sqlite3 connection. Target < 50 ms.
- First paint of the Feedback and Initiatives pages (construction, first query, the
  detail of the first row — for Feedback with its responses table; the trend chart is
  drawn in a later turn of the event loop, after this paint — until the table's
  viewport has painted and the window's paint pass is over), offscreen;
  floor: a QTableView over a QStandardItemModel holding the same first 30 rows,
  shown and painted. Target < 100 ms. Median of 7 after one warm-up.
  Also: until the first row's detail has filled too (it follows the list's paint a
  frame later, in the pass after that paint is over), `*_detail_filled_ms`; no target.
- The longest GUI stall while the Feedback page first shows its trend chart: a fresh
  process (matplotlib not yet imported: the first chart of the app's life; the page
  module imported first, as the app does in idle time after its first paint), the
  app's style and the real TaskRunner (QThreadPool); a 10 ms QTimer ticks on the GUI
  thread from just before the page is built until 300 ms after the chart is on
  screen, and the longest gap between two ticks is the stall a user would feel
  (bench_gui_import.py's method). `chart_stall_ms`: the longest gap from the end of
  the first survey's detail fill (the chart is asked for 40 ms after that has
  painted) until 300 ms after the chart is on screen: the chart's share; median of
  3 processes, `chart_stall_worst_ms` the worst. `page_stall_ms`: the longest gap
  before that (building the page, its first paint, the detail: cold, first in the
  process); `whole_stall_ms` both; `chart_shown_after_ms` from the detail filled
  until the chart is on screen; each run's `gaps` lists (when, how long) of every
  gap over 50 ms. Floor: the same timer over an idle event loop for a second.
  Target: no chart stall over 100 ms.
Writes results/feedback.json.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import BENCH, RESULTS, db_arg, dump, env_offscreen, ms, require_db

TARGET_SQL_MS = 50.0
TARGET_PAINT_MS = 100.0
RUNS = 20
PAINT_RUNS = 7
STALL_RUNS = 3
TICK_MS = 10
TARGET_STALL_MS = 100.0


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return ms(statistics.median(samples))


def sql_figures(path: Path) -> dict[str, object]:
    from crm.services import open_services
    from crm.services.feedback_scores import count_columns, survey_counts

    services = open_services(f"sqlite:///{path}", create=False)
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        fb = services.feedback
        n = raw.execute("SELECT count(*) FROM feedback_response").fetchone()[0]
        if n == 0:
            sys.exit(f"{path}: no feedback responses; rebuild with bench/build_db.py --force")
        big = raw.execute(
            "SELECT survey_id FROM feedback_response GROUP BY survey_id ORDER BY count(*) DESC"
        ).fetchone()[0]
        scale = raw.execute("SELECT scale FROM survey WHERE id = ?", (big,)).fetchone()[0]
        per_survey_floor = survey_counts()
        trend_floor = (
            f"SELECT substr(responded_at, 1, 7) m, {count_columns('nps')} FROM feedback_response "
            "WHERE survey_id IN (SELECT id FROM survey WHERE scale = 'nps') "
            "AND score IS NOT NULL GROUP BY m"
        )
        figures = {
            "responses": n,
            "surveys": raw.execute("SELECT count(*) FROM survey").fetchone()[0],
            "scores_per_survey_ms": median_ms(fb.scores),
            "scores_per_survey_floor_ms": median_ms(
                lambda: raw.execute(per_survey_floor).fetchall()
            ),
            "nps_trend_all_ms": median_ms(lambda: fb.trend("nps")),
            "nps_trend_all_floor_ms": median_ms(lambda: raw.execute(trend_floor).fetchall()),
            "trend_one_survey_ms": median_ms(lambda: fb.trend(scale, big)),
            "survey_list_ids_by_score_ms": median_ms(lambda: fb.survey_ids(sort="score")),
            "responses_ids_one_survey_ms": median_ms(lambda: fb.response_ids(big)),
            "answers_one_survey_ms": median_ms(lambda: fb.answers(big)),
            "answers_one_survey_floor_ms": median_ms(lambda: answers_floor(raw, big)),
            "target_ms": TARGET_SQL_MS,
        }
    finally:
        raw.close()
        services.close()
    return figures


def answers_floor(raw: sqlite3.Connection, survey_id: int) -> object:
    """The least the Answers tab needs: each question's answers counted by value, and
    the three newest answers of each, on a raw connection (no choice matching)."""
    counted = raw.execute(
        "SELECT j.key, j.value, count(*) FROM feedback_response r, json_each(r.answers) j "
        "WHERE r.survey_id = ? GROUP BY j.key, j.value",
        (survey_id,),
    ).fetchall()
    newest = raw.execute(
        "SELECT * FROM (SELECT j.key, j.value, row_number() OVER (PARTITION BY j.key "
        "ORDER BY r.responded_at DESC) n FROM feedback_response r, json_each(r.answers) j "
        "WHERE r.survey_id = ?) WHERE n <= 3",
        (survey_id,),
    ).fetchall()
    return counted, newest


def paint_figures(path: Path) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel, QUndoStack
    from PySide6.QtWidgets import QApplication, QTableView

    from crm.services import open_services
    from crm.ui.bus import ChangeBus
    from crm.ui.context import UiContext
    from crm.ui.feedback.page import FeedbackPage
    from crm.ui.initiatives.page import InitiativesPage
    from crm.ui.tasks import ImmediateTaskRunner

    app = QApplication.instance() or QApplication([])
    from crm.services.chart_drawing import load_matplotlib

    load_matplotlib()  # imported once, as in the app (the chart runs outside the timing)

    services = open_services(f"sqlite:///{path}", create=False)
    settings = QSettings(str(RESULTS / ".bench-feedback.ini"), QSettings.Format.IniFormat)
    ctx = UiContext(
        services, ChangeBus(services.changes), QUndoStack(), ImmediateTaskRunner(), settings
    )

    class Painted(QObject):
        """Notes when the first paint is over: the paint event arrives before anything
        is drawn; a zero timer started then fires once the window's paint pass is done
        (and before anything a page queued for later)."""

        done = False
        at = 0.0

        def eventFilter(self, _obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint and not self.at:
                self.at = -1.0
                QTimer.singleShot(0, self.over)
            return False

        def over(self) -> None:
            self.at = time.perf_counter()
            self.done = True

    def settle(seconds: float = 0.3) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def first_paint(
        build: Callable[[], object],
        viewport_of: Callable[[object], object],
        ready: Callable[[object], bool] = lambda _w: True,
    ) -> tuple[float, float]:
        """(until the first paint is over, until `ready` too: the detail filled)."""
        t0 = time.perf_counter()
        widget = build()
        widget.resize(1300, 800)  # type: ignore[attr-defined]
        watcher = Painted()
        viewport_of(widget).installEventFilter(watcher)  # type: ignore[attr-defined]
        widget.show()  # type: ignore[attr-defined]
        while not watcher.done:
            app.processEvents()
        painted = watcher.at - t0
        while not ready(widget):
            app.processEvents()
        filled = time.perf_counter() - t0
        settle()  # what the page queued for later (the chart) runs outside the timing
        widget.close()  # type: ignore[attr-defined]
        widget.deleteLater()  # type: ignore[attr-defined]
        settle()
        return painted, filled

    def floor_table(rows: list[list[str]]) -> QTableView:
        model = QStandardItemModel(len(rows), len(rows[0]) if rows else 1)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                model.setItem(r, c, QStandardItem(value))
        view = QTableView()
        view.setModel(model)
        return view

    out: dict[str, object] = {}
    for name, cls in (("feedback", FeedbackPage), ("initiatives", InitiativesPage)):
        probe = cls(ctx)
        model = probe.model
        rows = [
            [str(model.index(r, c).data()) for c in range(model.columnCount())]
            for r in range(min(30, model.rowCount()))
        ]
        probe.deleteLater()
        samples = [
            first_paint(
                lambda cls=cls: cls(ctx),
                lambda w: w.table.viewport(),
                lambda w: w._detail_live.done,
            )
            for _ in range(PAINT_RUNS + 1)
        ][1:]
        floors = [
            first_paint(lambda rows=rows: floor_table(rows), lambda w: w.viewport())[0]
            for _ in range(PAINT_RUNS + 1)
        ][1:]
        out[f"{name}_first_paint_ms"] = ms(statistics.median(p for p, _f in samples))
        out[f"{name}_first_paint_floor_ms"] = ms(statistics.median(floors))
        out[f"{name}_detail_filled_ms"] = ms(statistics.median(f for _p, f in samples))
    out["target_ms"] = TARGET_PAINT_MS
    services.close()
    return out


def chart_stall_child(path: Path) -> dict[str, float]:
    """One fresh process: the Feedback page built and shown until its chart is on
    screen, with a 10 ms timer ticking on the GUI thread (see the module docstring)."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer

    from crm.services import open_services
    from crm.ui.app import application, build_context

    _app = application()
    services = open_services(f"sqlite:///{path}", create=False)
    ctx = build_context(
        services, QSettings(str(RESULTS / ".bench-feedback.ini"), QSettings.Format.IniFormat)
    )
    import crm.ui.feedback.page as page_module  # as the app: imported in idle time

    ticks: list[float] = []
    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def longest(since: float = 0.0) -> float:
        seen = [t for t in ticks if t >= since]
        return max((b - a for a, b in itertools.pairwise(seen)), default=0.0)

    loop = QEventLoop()
    timer.start()
    ticks.append(time.perf_counter())
    QTimer.singleShot(1000, loop.quit)
    loop.exec()
    idle = longest()

    class Painted(QObject):
        """When the page's first paint is over: a zero timer started at the first paint
        event fires once the window's paint pass is done."""

        at = 0.0

        def eventFilter(self, _obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint and not self.at:
                self.at = -1.0
                QTimer.singleShot(0, self.over)
            return False

        def over(self) -> None:
            self.at = time.perf_counter()

    ticks[:] = [time.perf_counter()]
    t0 = ticks[0]
    page = page_module.FeedbackPage(ctx)
    page.resize(1300, 800)
    painted = Painted()
    page.table.viewport().installEventFilter(painted)
    page.show()
    shown = [0.0]
    asked = [0.0]

    def chart_on_screen(detail) -> bool:  # type: ignore[no-untyped-def]
        if hasattr(detail, "chart"):  # the worker's picture has arrived
            return bool(detail.chart.state == "drawn")
        return bool(
            detail.chart_title.isVisible()
        )  # the code before (a canvas drawn on the GUI thread)

    def check() -> None:
        # The first survey's detail has filled: the chart is asked for a frame after
        # that (40 ms after the responses table painted); what follows is its share.
        if not asked[0] and page.detail.survey_id is not None:
            asked[0] = time.perf_counter()
        if asked[0] and not shown[0] and chart_on_screen(page.detail):
            shown[0] = time.perf_counter()
            QTimer.singleShot(300, loop.quit)  # the chart's own paint falls in here

    poll = QTimer(interval=5)
    poll.timeout.connect(check)
    poll.start()
    QTimer.singleShot(20_000, loop.quit)
    loop.exec()
    timer.stop()
    ticks.append(time.perf_counter())
    if not shown[0]:
        sys.exit("the Feedback page showed no trend chart within 20 s")
    before_chart = [t for t in ticks if t <= asked[0]]
    out = {
        "stall_ms": ms(longest()),
        "chart_stall_ms": ms(longest(asked[0])),
        "page_stall_ms": ms(max((b - a for a, b in itertools.pairwise(before_chart)), default=0.0)),
        "first_paint_ms": ms(painted.at - t0),
        "detail_filled_ms": ms(asked[0] - t0),
        "chart_shown_ms": ms(shown[0] - asked[0]),
        "idle_floor_ms": ms(idle),
        # (when, how long) of every gap over 50 ms, from building the page: where a stall is
        "gaps": [(ms(a - t0), ms(b - a)) for a, b in itertools.pairwise(ticks) if b - a > 0.05],
    }
    ctx.tasks.wait()
    services.close()
    return out


def chart_stall_figures(path: Path) -> dict[str, object]:
    runs = []
    for _ in range(STALL_RUNS):
        done = subprocess.run(
            [sys.executable, str(BENCH / "bench_feedback.py"), "--stall-child", str(path)],
            capture_output=True,
            text=True,
            env=env_offscreen(),
            check=False,
        )
        if done.returncode:
            sys.exit(f"stall child failed: {done.stderr.strip()[-500:]}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))

    def med(key: str) -> float:
        return round(statistics.median(float(r[key]) for r in runs), 2)

    return {
        "chart_stall_ms": med("chart_stall_ms"),
        "chart_stall_worst_ms": max(float(r["chart_stall_ms"]) for r in runs),
        "page_stall_ms": med("page_stall_ms"),
        "whole_stall_ms": med("stall_ms"),
        "chart_shown_after_ms": med("chart_shown_ms"),
        "first_paint_cold_ms": med("first_paint_ms"),
        "idle_floor_ms": med("idle_floor_ms"),
        "load_average": round(os.getloadavg()[0], 2),
        "runs": runs,
        "target_ms": TARGET_STALL_MS,
    }


def run(path: Path) -> dict[str, object]:
    require_db(path)
    figures: dict[str, object] = {
        "sql": sql_figures(path),
        "paint": paint_figures(path),
        "chart": chart_stall_figures(path),
    }
    sql, paint, chart = figures["sql"], figures["paint"], figures["chart"]
    figures["met"] = (
        all(
            sql[k] < TARGET_SQL_MS  # type: ignore[index]
            for k in ("scores_per_survey_ms", "nps_trend_all_ms", "trend_one_survey_ms")
        )
        and all(
            paint[f"{p}_first_paint_ms"] < TARGET_PAINT_MS  # type: ignore[index]
            for p in ("feedback", "initiatives")
        )
        and chart["chart_stall_ms"] < TARGET_STALL_MS
    )  # type: ignore[index]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "feedback.json").write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--stall-child"]:
        print(json.dumps(chart_stall_child(db_arg(sys.argv[1:]))))
    elif sys.argv[1:2] == ["--stall"]:  # the chart figures alone
        dump(chart_stall_figures(db_arg(sys.argv[1:])))
    else:
        dump(run(db_arg(sys.argv)))
