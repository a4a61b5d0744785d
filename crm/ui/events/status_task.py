"""A big invitation status change as a task: off the GUI thread, with progress and Cancel.

Marking a thousand people attended writes a thousand interactions; on the GUI thread
the window would stop painting for that long. The change runs through `ctx.tasks`
behind a window-modal progress dialog (so nothing else is edited meanwhile); Cancel
stops it between batches and the service rolls the whole change back. The dialog
shows only if the change takes longer than SHOW_AFTER_MS: 1,000 invitations take
0.2–0.5 s, and a dialog flashed for that long only costs its first paint (~80 ms on
the GUI thread) without telling the user anything. The task's control is kept from
the moment the task starts (before `tasks.run` returns), so Cancel works under the
test runner that runs tasks at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget

from crm.services import ServiceError
from crm.services.invitations import InvitationResult
from crm.ui.context import UiContext
from crm.ui.tasks import TaskControl

SHOW_AFTER_MS = 700
TASK_THRESHOLD = 200  # invitations; above this a change (or its undo) runs as a task

Work = Callable[[TaskControl], InvitationResult]


class StatusTask(QObject):
    """One write to many invitations (a status change, its undo or redo) as a task;
    `finished` or `failed` ends it. Without `cancellable` the dialog has no Cancel."""

    finished = Signal(object)  # InvitationResult
    failed = Signal(object)  # the exception (crm.services.attendance.Cancelled on Cancel)

    def __init__(
        self, ctx: UiContext, label: str, work: Work, parent: QWidget, *, cancellable: bool = True
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.work = work
        self._control: TaskControl | None = None
        self._cancel_requested = False
        self.dialog = QProgressDialog(label, "", 0, 0, parent)
        # Our own button (or none): "" as the text would still show an empty one.
        self.cancel_button = QPushButton("Cancel", self.dialog) if cancellable else None
        self.dialog.setCancelButton(self.cancel_button)  # type: ignore[arg-type]
        self.dialog.setWindowTitle("Invitations")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.cancellable = cancellable
        if cancellable:  # else Escape closes nothing: the change goes on to its end
            self.dialog.canceled.connect(self.cancel)

    @classmethod
    def set_status(
        cls, ctx: UiContext, ids: Sequence[int], status: str, parent: QWidget
    ) -> StatusTask:
        invitations = ctx.services.invitations

        def work(control: TaskControl) -> InvitationResult:
            return invitations.set_status(
                ids, status, progress=control.progress, cancelled=lambda: control.cancelled
            )

        return cls(ctx, f"Setting {len(ids):,} invitations to “{status}”…", work, parent)

    def start(self) -> None:
        def work(control: TaskControl) -> InvitationResult:
            self._control = control
            if self._cancel_requested:  # Cancel pressed before the pool started it
                control.cancel()
            return self.work(control)

        self.dialog.setValue(0)  # starts the dialog's minimum-duration clock
        self.ctx.tasks.run(
            work, on_done=self._done, on_error=self._failed, on_progress=self._progress
        )

    def cancel(self) -> None:
        if self._cancel_requested:
            return
        self._cancel_requested = True
        if self._control is not None:
            self._control.cancel()
        self.dialog.setLabelText("Cancelling…")
        if self.cancel_button is not None:
            self.cancel_button.setEnabled(False)  # it has been pressed

    def _progress(self, done: int, total: int) -> None:
        if total > 0 and not self._cancel_requested:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _end(self, emit: Callable[[object], None], value: object) -> None:
        # close() would emit canceled(): hide it, quietly, and let it go.
        if self.cancellable:
            self.dialog.canceled.disconnect(self.cancel)
        self.dialog.hide()
        self.dialog.deleteLater()
        self.deleteLater()
        emit(value)

    def _done(self, result: object) -> None:
        self._end(self.finished.emit, result)

    def _failed(self, exc: object) -> None:
        self._end(self.failed.emit, exc)


class StatusCommand(QUndoCommand):
    """A status change already made, on the window's undo stack (Ctrl+Z).

    Undo puts back exactly what the change replaced (InvitationService.undo_status);
    redo makes the change again and keeps what that one replaced. Above
    TASK_THRESHOLD invitations both run as tasks, like the change itself (without
    Cancel: an undo is quick and half of one would be no use). `parent` (the tab)
    holds the progress dialog and any error message.
    """

    def __init__(
        self,
        ctx: UiContext,
        ids: Sequence[int],
        status: str,
        result: InvitationResult,
        parent: QWidget,
    ) -> None:
        n = len(result.before or ())
        super().__init__(f"Set {n:,} invitation{'s' if n != 1 else ''} to “{status}”")
        self.ctx = ctx
        self.ids = list(ids)
        self.status = status
        self.widget = parent
        self.before = result.before
        self._done = True  # pushed after the change was made: the first redo is a no-op

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        invitations = self.ctx.services.invitations
        self._run(
            f"Setting {len(self.ids):,} invitations to “{self.status}” again…",
            lambda _c: invitations.set_status(self.ids, self.status),
            lambda result: setattr(self, "before", result.before),
        )

    def undo(self) -> None:
        before = self.before
        if before is None:
            return
        invitations = self.ctx.services.invitations
        self._run(f"Undoing: {self.text()}…", lambda _c: invitations.undo_status(before), None)

    def _run(
        self, label: str, work: Work, then: Callable[[InvitationResult], object] | None
    ) -> None:
        def failed(exc: object) -> None:
            QMessageBox.warning(self.widget, "Undo", str(exc) or type(exc).__name__)

        if len(self.ids) <= TASK_THRESHOLD:
            try:
                result = work(None)  # type: ignore[arg-type]
            except ServiceError as exc:
                failed(exc)
                return
            if then:
                then(result)
            return
        task = StatusTask(self.ctx, label, work, self.widget, cancellable=False)
        if then:
            task.finished.connect(then)
        task.failed.connect(failed)
        task.start()
