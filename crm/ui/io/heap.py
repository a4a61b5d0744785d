"""Keep Python's garbage collector from stalling the window during long tasks.

A task runs on a worker thread but shares the GIL with the GUI thread, and a garbage
collection holds the GIL for as long as it walks its generation. Reading 20,000 cards
makes millions of objects: CPython's full collections then took 0.4–0.8 s each, and
the first young collection after a task (every object the task made is young) about
0.1 s — measured in bench/bench_gui_import.py as the window not painting.

So: the collector is off while a task runs; when the task's work is done, still on its
worker thread, everything alive is moved to the permanent generation (`gc.freeze()`,
a constant-time splice), so no later collection walks the task's results (an import
plan, found duplicates); then the collector is back on. The dialog that owns the
results calls `thaw()` when it closes, after dropping them: one full collection then
frees the cycles among them, and what is still alive — the app's modules, matplotlib
once a chart was drawn (see chart_drawing.load_matplotlib) — is frozen again, so the
collections that follow stay as cheap as before the dialog. Reference counting frees
everything else as usual, frozen or not.
"""

from __future__ import annotations

import gc
from typing import Any

from crm.services.common import pause_gc, resume_gc

SLICE = 500  # records freed at a time by release_plan


def task_started() -> None:
    """On the GUI thread, before a task starts."""
    pause_gc()


def task_work_done() -> None:
    """On the task's thread, as its last step: nothing alive now is walked again."""
    gc.freeze()


def task_ended() -> None:
    """On the GUI thread, once the task's result or error has arrived."""
    resume_gc()


def thaw() -> None:
    """When the results are dropped (a dialog closes): free the cycles among them, and
    freeze what lives on again.

    A bare gc.unfreeze() would also hand every long-lived object back to the oldest
    generation, so each later full collection would walk the whole app again (60–180 ms
    with the GIL held at 100k, the Dashboard's stalls). The one collection here is paid
    as the dialog closes, where nobody is waiting for a paint."""
    if gc.isenabled():
        gc.unfreeze()
        gc.collect()
        gc.freeze()


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
