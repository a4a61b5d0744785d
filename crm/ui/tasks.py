"""Long work off the GUI thread: one small helper on QThreadPool, with progress and cancel.

    handle = tasks.run(fn, on_done=..., on_error=..., on_progress=...)
    handle.cancel()

`fn` receives a `TaskControl`: it calls `control.progress(done, total)` now and then and
checks `control.cancelled` (or calls `control.check()`, which raises Cancelled). Results
and errors come back on the GUI thread through queued signals. Tests swap in
`ImmediateTaskRunner`, which runs the task at once on the calling thread (Picard's
run_task, napari's thread workers).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    """Raised inside a task by TaskControl.check() once the user cancelled."""


class TaskControl:
    def __init__(self, report: Callable[[int, int], None]) -> None:
        self._event = threading.Event()
        self._report = report

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def progress(self, done: int, total: int) -> None:
        self._report(done, total)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class TaskHandle:
    def __init__(self, signals: _Signals, control: TaskControl) -> None:
        self.signals = signals
        self.control = control

    def cancel(self) -> None:
        self.control.cancel()


class _Runnable(QRunnable):
    def __init__(
        self, fn: Callable[[TaskControl], Any], signals: _Signals, control: TaskControl
    ) -> None:
        super().__init__()
        self.fn, self.signals, self.control = fn, signals, control

    def run(self) -> None:
        try:
            result = self.fn(self.control)
        except BaseException as exc:
            self._tell(self.signals.failed, exc)
        else:
            self._tell(self.signals.done, result)

    @staticmethod
    def _tell(signal: Any, value: object) -> None:
        # The app may have quit while the task ran, and Qt deleted the signals' object:
        # nobody is left to tell, and a traceback on the way out helps no one.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


class TaskRunner:
    """Runs tasks on a QThreadPool; callbacks arrive on the GUI thread."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self.pool = pool or QThreadPool.globalInstance()
        self._live: set[TaskHandle] = set()

    def run(
        self,
        fn: Callable[[TaskControl], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> TaskHandle:
        signals = _Signals()
        control = TaskControl(signals.progress.emit)
        handle = TaskHandle(signals, control)
        self._live.add(handle)

        def finish(_: object = None) -> None:
            self._live.discard(handle)

        if on_done:
            signals.done.connect(on_done)
        if on_error:
            signals.failed.connect(on_error)
        if on_progress:
            signals.progress.connect(on_progress)
        signals.done.connect(finish)
        signals.failed.connect(finish)
        self._start(_Runnable(fn, signals, control))
        return handle

    def _start(self, runnable: _Runnable) -> None:
        self.pool.start(runnable)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)


class ImmediateTaskRunner(TaskRunner):
    """For tests: the task runs to completion inside run(), on the calling thread."""

    def _start(self, runnable: _Runnable) -> None:
        runnable.run()
