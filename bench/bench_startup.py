"""Start-up and memory: process start to the People page painted, at 100,000 people.

    python bench/bench_startup.py [PATH]

Floor: a bare script that imports PySide6 and SQLAlchemy, shows an empty QWidget and
quits after its first paint; a second floor also imports sqlalchemy.orm. App:
`python -m crm --db PATH` with CRM_BENCH_EXIT_AFTER_PAINT=1, which quits right after
the People table's first paint. All run offscreen, nine times each, alternating; the
figure is the median time from spawning the process to its first paint (each child
writes the wall-clock moment of that paint to CRM_BENCH_PAINT_FILE), so leaving and
interpreter teardown are not counted. Peak RSS comes from wait4() on each child, the
per-child form of getrusage(RUSAGE_CHILDREN).ru_maxrss. Linux carries the parent's
peak into a child across fork and exec, so this script must run as a small process
of its own (run_all.py starts it separately). Rapport's modules are compiled to
bytecode first, as an installed app has them (pip compiles at install, a frozen build
ships .pyc): with PYTHONDONTWRITEBYTECODE set, as in some shells and CI images, every
child would otherwise compile ~100 modules from source, ~0.09 s that no user pays.
The ratio is the median of the per-round ratios (app / floor of the same round,
run back to back): on a shared 2-core machine the load changes from second to second,
and a round's two runs see about the same load. The ratio of the medians is kept too.
Targets: start-up at most 1.5x the
floor, peak RSS under 300 MB. If the app does not exit by itself within the timeout
(an app without the exit hook), the figures are skipped with a note.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, db_arg, dump, env_offscreen, require_db

RUNS = 9
TIMEOUT = 60.0
TARGET_RATIO = 1.5
TARGET_RSS_MB = 300.0

FLOOR = """
import os, time
import sqlalchemy
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

class Quit(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            with open(os.environ["CRM_BENCH_PAINT_FILE"], "w") as fh:
                fh.write(repr(time.time()))
            QTimer.singleShot(0, QApplication.quit)
        return False

app = QApplication([])
w = QWidget()
w.resize(1200, 800)
f = Quit()
w.installEventFilter(f)
w.show()
app.exec()
"""


def run_child(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(seconds from spawn to first paint, peak RSS in MB, exit status).

    The child writes the wall-clock time of its first paint to CRM_BENCH_PAINT_FILE;
    leaving and tearing down the interpreter are not start-up. Raises TimeoutError.
    """
    stamp = Path(tempfile.mkstemp(prefix="crm-paint-")[1])
    env = dict(env, CRM_BENCH_PAINT_FILE=str(stamp))
    spawned = time.time()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = t0 + TIMEOUT
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            proc.returncode = -9
            raise TimeoutError(" ".join(cmd))
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.stderr is not None
    proc.stderr.close()
    text = stamp.read_text(encoding="utf-8").strip()
    stamp.unlink(missing_ok=True)
    painted = float(text) - spawned if text else time.perf_counter() - t0
    return painted, usage.ru_maxrss / 1024, proc.returncode  # Linux: ru_maxrss in KiB


def run(path: Path) -> dict[str, object]:
    require_db(path)
    # Bytecode as installed (see the module docstring); the children still only read it.
    compileall.compile_dir(ROOT / "crm", quiet=1)
    env = env_offscreen()
    app_env = dict(env, CRM_BENCH_EXIT_AFTER_PAINT="1")
    floor_cmd = [sys.executable, "-c", FLOOR]
    # A second floor with SQLAlchemy's ORM imported too, which any app on the typed ORM
    # models the design asks for must load: it shows how much is Rapport's own.
    orm_cmd = [
        sys.executable,
        "-c",
        FLOOR.replace("import sqlalchemy\n", "import sqlalchemy.orm\n"),
    ]
    # And one with PySide6 alone: the app reads its first page with the sqlite3 module and
    # imports SQLAlchemy only after its first paint, so this is the floor it competes with.
    qt_cmd = [sys.executable, "-c", FLOOR.replace("import sqlalchemy\n", "")]
    orm: list[float] = []
    qt_only: list[float] = []
    app_cmd = [sys.executable, "-m", "crm", "--db", str(path)]
    floor: list[tuple[float, float]] = []
    app: list[tuple[float, float]] = []
    note = None
    run_child(floor_cmd, env)  # warm the OS file cache for both
    try:
        run_child(app_cmd, app_env)
        for _ in range(RUNS):
            wall, rss, code = run_child(floor_cmd, env)
            floor.append((wall, rss))
            orm.append(run_child(orm_cmd, env)[0])
            qt_only.append(run_child(qt_cmd, env)[0])
            wall, rss, code = run_child(app_cmd, app_env)
            if code != 0:
                note = f"the app exited with status {code}"
                break
            app.append((wall, rss))
    except TimeoutError:
        note = (
            f"the app did not exit within {TIMEOUT:.0f} s: no CRM_BENCH_EXIT_AFTER_PAINT "
            "hook in this build, so start-up and memory are not measured"
        )
    floor_s = statistics.median(w for w, _ in floor) if floor else None
    figures: dict[str, object] = {
        "floor_s": round(floor_s, 3) if floor_s else None,
        "floor_peak_rss_mb": round(max(r for _, r in floor), 1) if floor else None,
        "runs": RUNS,
    }
    if note or not app or floor_s is None:
        figures.update({"skipped": True, "note": note or "no runs"})
        return figures
    app_s = statistics.median(w for w, _ in app)
    # Each round's app run against the floor run just before it (see the docstring).
    pairs = zip(app, floor[: len(app)], strict=True)
    ratio = statistics.median(a / f for (a, _), (f, _) in pairs)
    rss = max(r for _, r in app)
    figures.update(
        {
            "app_s": round(app_s, 3),
            "ratio": round(ratio, 2),
            "ratio_of_medians": round(app_s / floor_s, 2),
            "floor_with_orm_s": round(statistics.median(orm), 3),
            "ratio_vs_floor_with_orm": round(app_s / statistics.median(orm), 2),
            "floor_pyside6_only_s": round(statistics.median(qt_only), 3),
            "ratio_vs_floor_pyside6_only": round(app_s / statistics.median(qt_only), 2),
            "app_runs_s": [round(w, 3) for w, _ in app],
            "app_peak_rss_mb": round(rss, 1),
            "startup_target": f"<= {TARGET_RATIO}x floor",
            "floor_runs_s": [round(w, 3) for w, _ in floor],
            "startup_ok": ratio <= TARGET_RATIO,
            "memory_target": f"< {TARGET_RSS_MB:.0f} MB",
            "memory_ok": rss < TARGET_RSS_MB,
        }
    )
    return figures


if __name__ == "__main__":
    dump(run(db_arg(sys.argv)))
