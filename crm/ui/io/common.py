"""What the contact-file dialogs share: a progress strip that runs one task with Cancel,
error messages that name the file, and small formatting helpers.

Every import, export and duplicate search goes through `ctx.tasks`, so the window keeps
painting while it works; `TaskStrip` holds the task's control from the first moment the
task runs (before `tasks.run` returns), so Cancel works even under the test runner that
runs tasks at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from crm.services.people_data import PersonInput
from crm.ui.context import UiContext
from crm.ui.io import heap
from crm.ui.tasks import Cancelled, TaskControl

# Progress crosses threads as a queued signal; more than ~20 a second only costs the
# GUI thread time without showing anything new.
PROGRESS_INTERVAL_S = 0.05


def error_text(exc: BaseException) -> str:
    """A user-facing line for any failure: service messages as they are, others named."""
    text = str(exc).strip()
    if isinstance(exc, Cancelled):
        return "Cancelled; nothing was changed."
    if type(exc).__module__.startswith("crm.services"):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def show_error(parent: QWidget | None, title: str, exc: BaseException | str) -> None:
    text = exc if isinstance(exc, str) else error_text(exc)
    QMessageBox.warning(parent, title, text)


def throttled(control: TaskControl) -> Callable[..., None]:
    """A progress callback for a service: forwards at most every 50 ms, and the end."""
    last = [0.0]

    def report(done: int, total: int, *_: Any) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= PROGRESS_INTERVAL_S:
            last[0] = now
            control.progress(int(done), int(total))

    return report


def person_name(p: PersonInput) -> str:
    name = p.display_name or " ".join(x for x in (p.given_name, p.family_name) if x)
    return name or p.organisation or (p.emails[0].address if p.emails else "") or "(no name)"


def first(values: tuple[Any, ...], attr: str) -> str:
    return str(getattr(values[0], attr)) if values else ""


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def choose_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path or None


def suggested_path(name: str) -> str:
    return str(Path.home() / name)


class TaskStrip(QWidget):
    """A label, a progress bar and Cancel; runs one task at a time through ctx.tasks."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._control: TaskControl | None = None
        self._running = False
        self._cancel_requested = False
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.setMinimumWidth(220)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.hide()

    @property
    def busy(self) -> bool:
        """From run() until the result or error is back (the worker may not have started)."""
        return self._running

    @property
    def cancelled(self) -> bool:
        return self._cancel_requested

    def run(self, text: str, fn: Callable[[TaskControl], Any]) -> None:
        if self._running:
            return
        self._running = True
        self._cancel_requested = False
        self.label.setText(text)
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.cancel_button.setEnabled(True)
        self.show()

        def work(control: TaskControl) -> Any:
            self._control = control
            if self._cancel_requested:  # cancelled before the pool started it
                control.cancel()
            try:
                control.check()
                return fn(control)
            finally:
                heap.task_work_done()

        heap.task_started()  # see heap.py: garbage collections stall the window
        self.ctx.tasks.run(
            work, on_done=self._done, on_error=self._failed, on_progress=self._progress
        )

    def cancel(self) -> None:
        if self._running and not self._cancel_requested:
            self._cancel_requested = True
            if self._control is not None:
                self._control.cancel()
            self.label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.progressed.emit(done, total)

    def _done(self, result: object) -> None:
        heap.task_ended()
        self._running = False
        self._control = None
        self.hide()
        self.finished.emit(result)

    def _failed(self, exc: object) -> None:
        heap.task_ended()
        self._running = False
        self._control = None
        self.hide()
        self.failed.emit(exc)
