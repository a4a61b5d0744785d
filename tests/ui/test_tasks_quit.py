"""A task that ends after its signals' object is gone (the app quit) ends quietly."""

from __future__ import annotations

import shiboken6

from crm.ui.tasks import TaskControl, _Runnable, _Signals


def test_a_task_finishing_after_the_app_quit_raises_nothing() -> None:
    signals = _Signals()
    runnable = _Runnable(lambda _control: 42, signals, TaskControl(lambda _d, _t: None))
    shiboken6.delete(signals)  # what QApplication's teardown does to it
    runnable.run()  # before: RuntimeError: Signal source has been deleted


def test_a_failing_task_after_the_app_quit_raises_nothing() -> None:
    signals = _Signals()

    def boom(_control: TaskControl) -> None:
        raise ValueError("late")

    runnable = _Runnable(boom, signals, TaskControl(lambda _d, _t: None))
    shiboken6.delete(signals)
    runnable.run()
