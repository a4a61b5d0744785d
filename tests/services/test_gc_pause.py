"""Pausing the cyclic GC for bulk work: nested and overlapping pauses end cleanly."""

from __future__ import annotations

import gc
import threading

import pytest

from crm.services.common import gc_paused, pause_gc, resume_gc


def test_collector_back_on_only_after_the_last_pause() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_an_error_inside_still_resumes() -> None:
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("import failed")
    assert gc.isenabled()


def test_overlapping_pauses_on_two_threads() -> None:
    pause_gc()  # e.g. the GUI starts a task
    inside = threading.Event()
    leave = threading.Event()

    def worker() -> None:
        with gc_paused():  # e.g. the import reading a file on the worker
            inside.set()
            leave.wait(5)

    t = threading.Thread(target=worker)
    t.start()
    inside.wait(5)
    resume_gc()  # the task's result arrived first
    assert not gc.isenabled()  # the worker still pauses
    leave.set()
    t.join(5)
    assert gc.isenabled()


def test_stays_off_when_it_was_off_before() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
