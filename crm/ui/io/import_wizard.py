"""The import wizard: files → column mapping (CSV) → preview → duplicates → import → result.

Reading, matching and importing run off the GUI thread through ctx.tasks, on a
"working" step with a progress bar and Cancel; the window keeps painting. The import
itself is all-or-nothing in the service: a cancelled or failed import changes nothing,
and the wizard goes back to the step it came from and says so. A file that is not a
contact file is named in a message with why, flagged in the file list and left out;
the other files go on. The garbage collector is kept from stalling the window while
the tasks run (see heap.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm.services import ServiceError
from crm.ui.context import UiContext
from crm.ui.io import heap
from crm.ui.io.common import TaskStrip, error_text, plural, show_error, throttled
from crm.ui.io.decisions_step import DecisionsStep
from crm.ui.io.import_steps import FilesStep, PreviewStep, ResultStep
from crm.ui.io.mapping_page import MappingStep
from crm.ui.tasks import TaskControl
from crm.ui.widgets.labels import ErrorLabel, heading, muted

STEPS = ("files", "mapping", "preview", "work", "duplicates", "result")
TITLES = {
    "files": "Files",
    "mapping": "Columns",
    "preview": "Preview",
    "duplicates": "Duplicates",
    "result": "Done",
}


class WorkStep(QWidget):
    """What runs now, with its progress and Cancel."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading("", scale=1.15)
        self.strip = TaskStrip(ctx)
        self.strip.label.hide()  # the title says what runs
        self.note = muted("The window stays usable while this runs. Cancel changes nothing.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.strip)
        layout.addWidget(self.note)
        layout.addStretch(2)


class ImportWizard(QDialog):
    imported = Signal(object)  # the ImportReport, once the import is done
    progressed = Signal(int, int)

    def __init__(
        self, ctx: UiContext, parent: QWidget | None = None, paths: Iterable[str | Path] = ()
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.imports = ctx.services.imports
        self.setWindowTitle("Import contacts")
        self.resize(940, 620)
        self.previews: list[Any] = []
        self.usable: list[Path] = []  # the chosen files that could be read
        self.plan: Any = None
        self.report: Any = None
        self._step = "files"
        self._return_to = "files"
        self._close_when_idle = False
        self._plan_box: list[Any] = []
        self._rejected: tuple[Any, ...] = ()
        self.replies_dialog: Any = None  # calendar replies chosen here: their import

        self.files = FilesStep()
        self.mapping = MappingStep(ctx)
        self.preview = PreviewStep()
        self.work = WorkStep(ctx)
        self.decisions = DecisionsStep()
        self.result = ResultStep()
        self.stack = QStackedWidget()
        for w in (self.files, self.mapping, self.preview, self.work, self.decisions, self.result):
            self.stack.addWidget(w)
        self.files.changed.connect(self._update_buttons)
        self.work.strip.finished.connect(self._work_done)
        self.work.strip.failed.connect(self._work_failed)
        self.work.strip.progressed.connect(self.progressed)
        self._on_done: Callable[[Any], None] = lambda _r: None

        self.crumbs = muted()
        self.error = ErrorLabel()
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton("Next")
        self.next_button.setObjectName("primary")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(self.crumbs)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.files.add_paths(paths)
        self._show("files")

    # ---- state -----------------------------------------------------------------------
    @property
    def step(self) -> str:
        return self._step

    @property
    def busy(self) -> bool:
        return self.work.strip.busy

    def _has_csv(self) -> bool:
        return any(pv.csv is not None for pv in self.previews)

    def _show(self, step: str) -> None:
        self._step = step
        self.stack.setCurrentIndex(STEPS.index(step))
        shown = [s for s in TITLES if s != "mapping" or self._has_csv()]
        current = self._return_to if step == "work" else step
        self.crumbs.setText(
            "   ›   ".join(
                f"<b>{n} · {TITLES[s]}</b>" if s == current else f"{n} · {TITLES[s]}"
                for n, s in enumerate(shown, 1)
            )
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        step = self._step
        working = step == "work"
        # While a task runs, its own Cancel (beside the progress bar) is the one button.
        self.back_button.setVisible(step not in ("files", "result") and not working)
        self.next_button.setVisible(step != "result" and not working)
        self.cancel_button.setVisible(not working)
        self.next_button.setEnabled(step != "files" or bool(self.files.paths()))
        self.next_button.setText("Import" if step == "duplicates" else "Next")
        self.cancel_button.setText("Close" if step == "result" else "Cancel")

    # ---- navigation ------------------------------------------------------------------
    def next(self) -> None:
        self.error.set_error(None)
        if self._step == "files":
            if self._route_calendar_files():
                return
            self._read_previews(None)
        elif self._step == "mapping":
            if self.mapping.user_edited:
                self._read_previews(self.mapping.mapping())
            else:
                self._show("preview")
        elif self._step == "preview":
            self._make_plan()
        elif self._step == "duplicates":
            self._apply()

    def back(self) -> None:
        self.error.set_error(None)
        order = {"mapping": "files", "preview": "mapping", "duplicates": "preview"}
        target = order.get(self._step)
        if target == "mapping" and not self._has_csv():
            target = "files"
        if target:
            self._show(target)

    def _route_calendar_files(self) -> bool:
        """Calendar replies (.ics) go to their own import, as dropped ones do, with its
        result dialog; the wizard goes on with the contact files, or closes if none."""
        from crm.ui.io.calendar_actions import import_replies, split_calendar_files

        calendars, rest = split_calendar_files(self.files.paths())
        if not calendars:
            return False
        self.files.keep_only(rest)
        if not rest:
            self.reject()
        parent = self if rest else (self.parentWidget() or self)
        self.replies_dialog = import_replies(self.ctx, parent, calendars)
        return not rest

    def _csv_mapping(self) -> dict[str, str] | None:
        """The user's mapping, when they changed it; else the service recognises each file."""
        return self.mapping.mapping() if self._has_csv() and self.mapping.user_edited else None

    def _run(
        self, title: str, fn: Callable[[TaskControl], Any], done: Callable[[Any], None]
    ) -> None:
        self._return_to = self._step
        self._on_done = done
        self.work.title.setText(title)
        self._show("work")
        self.work.strip.run(title, fn)

    def _work_done(self, result: Any) -> None:
        if self._close_when_idle:  # closed while it ran: the result is not wanted
            if self._on_done == self._applied:  # an import that finished anyway is reported
                self.report = result
                self.imported.emit(result)
            self._show(self._return_to)
            self.done(QDialog.DialogCode.Rejected)
            return
        self._on_done(result)

    def _work_failed(self, exc: BaseException) -> None:
        if self._plan_box:  # the import failed: the plan is still wanted
            self.plan = self._plan_box.pop()
        cancelled = self.work.strip.cancelled or "cancel" in str(exc).lower()
        self._show(self._return_to)
        if self._close_when_idle:
            self.done(QDialog.DialogCode.Rejected)
            return
        if cancelled:
            self.error.set_error("Cancelled; nothing was changed.")
        else:
            self.error.set_error(error_text(exc))
            show_error(self, "Import contacts", exc)

    # ---- the three tasks -------------------------------------------------------------
    def _read_previews(self, mapping: dict[str, str] | None) -> None:
        paths, fmt = self.files.paths(), self.files.format_key()
        imports = self.imports

        def work(control: TaskControl) -> tuple[list[Any], dict[Path, str]]:
            out, unreadable = [], {}
            for i, path in enumerate(paths):
                control.check()
                control.progress(i, len(paths))
                try:
                    out.append((path, imports.preview(path, format=fmt, mapping=mapping)))
                except ServiceError as exc:  # one unusable file does not stop the others
                    unreadable[path] = error_text(exc)
            return out, unreadable

        keep_mapping = mapping is not None
        self._run(
            f"Reading {plural(len(paths), 'file')}…",
            work,
            lambda r: self._previews_read(r, keep_mapping),
        )

    def _previews_read(self, result: tuple[list[Any], dict[Path, str]], keep_mapping: bool) -> None:
        read, unreadable = result
        came_from = self._return_to
        self.files.mark_unreadable(unreadable)
        self.usable = [path for path, _pv in read]
        previews = [pv for _path, pv in read]
        if unreadable:
            text = "\n".join(unreadable.values())
            if not previews:
                self._show(came_from)
                self.error.set_error(text)
                show_error(self, "Import contacts", text)
                return
            show_error(
                self,
                "Import contacts",
                f"{plural(len(unreadable), 'file')} cannot be imported and will be left out:"
                f"\n\n{text}",
            )
        self.previews = previews
        self.preview.set_previews(previews)
        csvs = [pv for pv in previews if pv.csv is not None]
        if came_from == "files" and csvs:
            self.mapping.set_preview(csvs[0].name, csvs[0].csv, len(csvs))
            self._show("mapping")
            return
        self.mapping.user_edited = keep_mapping
        self._show("preview")

    def _make_plan(self) -> None:
        paths, fmt, mapping = list(self.usable), self.files.format_key(), self._csv_mapping()
        imports = self.imports

        def work(control: TaskControl) -> Any:
            return imports.plan(
                paths,
                format=fmt,
                mapping=mapping,
                progress=throttled(control),
                cancelled=lambda: control.cancelled,
            )

        self._run("Looking for people already in Rapport…", work, self._planned)

    def _planned(self, plan: Any) -> None:
        self.plan = plan
        self.decisions.set_plan(plan)
        self._show("duplicates")

    def _apply(self) -> None:
        # The task takes the only reference to the plan, so that once imported it is
        # freed on the worker thread (see heap.release_plan); a failure hands it back.
        box, decisions = [self.plan], dict(self.decisions.decisions)
        default, name_default = self.decisions.default, self.decisions.name_default
        count, self._rejected = len(self.plan.items), self.plan.rejected
        self.plan = None
        imports = self.imports

        def work(control: TaskControl) -> Any:
            report = imports.apply(
                box[0],
                decisions,
                default=default,
                name_default=name_default,
                progress=throttled(control),
                cancelled=lambda: control.cancelled,
            )
            heap.release_plan(box)
            return report

        self._plan_box = box
        self._run(f"Importing {plural(count, 'record')}…", work, self._applied)

    def _applied(self, report: Any) -> None:
        self.report = report
        self._plan_box = []
        self.result.set_report(report, self._rejected)
        self._show("result")
        self.imported.emit(report)

    # ---- closing ---------------------------------------------------------------------
    def cancel_work(self) -> None:
        self.work.strip.cancel()

    def done(self, result: int) -> None:
        """Drop the plan (on a worker, in slices), then let the collector see it all again."""
        super().done(result)
        self.previews = []
        self.decisions.tree.clear()
        if self.busy:
            return
        box, self.plan = [self.plan], None
        self.ctx.tasks.run(
            lambda _control: heap.release_plan(box),
            on_done=lambda _r: heap.thaw(),
            on_error=lambda _e: heap.thaw(),
        )

    def reject(self) -> None:
        """Cancel closes the wizard; while a task runs it cancels the task first."""
        if self.busy:
            self._close_when_idle = True
            self.cancel_work()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
