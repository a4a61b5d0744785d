"""heap.thaw: the task's results are collected, and what lives on is frozen again."""

from __future__ import annotations

import gc
import weakref

from crm.ui.io import heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only a collection frees it


def test_thaw_frees_dropped_cycles_and_refreezes_the_rest() -> None:
    assert gc.isenabled()
    heap.task_started()
    try:
        result = _Node()
        gone = weakref.ref(result)
        keeper = _Node()  # lives on, like the app's modules
        heap.task_work_done()  # the task's results go to the permanent generation
    finally:
        heap.task_ended()
    assert gc.get_freeze_count() > 0
    del result
    gc.collect()
    assert gone() is not None  # frozen: no collection sees the dropped cycle yet
    heap.thaw()
    assert gone() is None  # the dialog closed: freed
    assert gc.get_freeze_count() > 0  # what lives on is out of later collections again
    assert keeper.me is keeper
    gc.unfreeze()  # leave the interpreter as the other tests expect it
