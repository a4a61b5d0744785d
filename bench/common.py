"""What the benches share: where the big database lives, timing and percentiles.

The benches are scripts, not tests: each prints its figures and returns them as a
dict, and run_all.py gathers them into results/latest.json. Every figure is
measured in the same run as its floor, so a slow machine shows up in both.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"
DEFAULT_DB = CACHE / "bench-100k.sqlite"
CONTACTS = 100_000
SEED = 1

if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: p95 of 50 samples is the 48th smallest."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": ms(percentile(samples, 50)),
        "p95_ms": ms(percentile(samples, 95)),
        "max_ms": ms(max(samples)),
        "mean_ms": ms(statistics.fmean(samples)),
        "n": len(samples),
    }


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def db_arg(argv: list[str]) -> Path:
    """The database path from argv[1], or the cached bench database."""
    return Path(argv[1]).resolve() if len(argv) > 1 else DEFAULT_DB


def require_db(path: Path) -> None:
    if not path.is_file():
        sys.exit(f"{path}: no bench database; run: python bench/build_db.py {path}")


def dump(figures: dict[str, object]) -> None:
    print(json.dumps(figures, indent=2))


def env_offscreen() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CRM_DATABASE_URL", None)
    return env


TICK_MS = 10  # the GUI-stall timer's interval


class Ticker:
    """Records the moments a 10 ms QTimer fires on the GUI thread; the longest gap
    between two ticks is the longest stall a user would have felt meanwhile."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> dict[str, float]:
        """{"longest_gap_ms", "ticks"} since start()."""
        self.timer.stop()
        self.ticks.append(time.perf_counter())
        gaps = [b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)]
        return {"longest_gap_ms": ms(max(gaps)), "ticks": len(gaps)}

    def idle(self, app: object, seconds: float = 1.0) -> dict[str, float]:
        """The floor: the same timer over an event loop with nothing else to do."""
        self.start()
        stop_at = time.perf_counter() + seconds
        while time.perf_counter() < stop_at:
            app.processEvents()  # type: ignore[attr-defined]
            time.sleep(0.001)
        return self.stop()
