"""Keep Python's full garbage collections out of long tasks.

A task runs on a worker thread but shares the GIL with the GUI thread. Reading 20,000
cards allocates millions of objects, and CPython then runs full (generation 2)
collections that walk the whole heap while holding the GIL: measured at 0.4–0.8 s
each in bench/bench_gui_import.py, during which the window cannot paint. While a task
runs (and while the import wizard holds its plan) full collections are postponed;
young collections still run, so short-lived cycles are still freed. When the last
holder lets go, the usual thresholds come back and the next full collection runs —
after the wizard has dropped its plan, so it walks a small heap.
"""

from __future__ import annotations

import gc
from typing import Any

# Generation-1 collections before a full one: never, for the length of a task.
POSTPONED = 1_000_000
SLICE = 500  # records freed at a time by release_plan

_holders = 0
_saved: tuple[int, int, int] | None = None


def postpone_full_collections() -> None:
    global _holders, _saved
    if _holders == 0:
        _saved = gc.get_threshold()
        gc.set_threshold(_saved[0], _saved[1], POSTPONED)
    _holders += 1


def allow_full_collections() -> None:
    global _holders
    if _holders == 0:
        return
    _holders -= 1
    if _holders == 0 and _saved is not None:
        gc.set_threshold(*_saved)


def postponed() -> bool:
    return _holders > 0


def release_plan(box: list[Any]) -> None:
    """Free the plan in `box` (its only holder) a slice of records at a time.

    Freeing 20,000 planned records in one go is one C call that holds the GIL for
    ~80 ms; run on a worker thread in slices, the GUI thread gets the GIL in between.
    """
    if not box:
        return
    plan = box.pop()
    items = list(getattr(plan, "items", ()))
    del plan
    while items:
        del items[-SLICE:]
