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
from PySide6.QtWidgets import QProgressDialog, QWidget

from crm.services.invitations import InvitationResult
from crm.ui.context import UiContext
from crm.ui.tasks import TaskControl

SHOW_AFTER_MS = 700


class StatusTask(QObject):
    """One status change of many invitations; `finished` or `failed` ends it."""

    finished = Signal(object)  # InvitationResult
    failed = Signal(object)  # the exception (crm.services.attendance.Cancelled on Cancel)

    def __init__(self, ctx: UiContext, ids: Sequence[int], status: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ids = list(ids)
        self.status = status
        self._control: TaskControl | None = None
        self._cancel_requested = False
        self.dialog = QProgressDialog(
            f"Setting {len(self.ids):,} invitations to “{status}”…", "Cancel", 0, 0, parent
        )
        self.dialog.setWindowTitle("Invitations")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)

    def start(self) -> None:
        invitations = self.ctx.services.invitations

        def work(control: TaskControl) -> InvitationResult:
            self._control = control
            if self._cancel_requested:  # Cancel pressed before the pool started it
                control.cancel()
            return invitations.set_status(
                self.ids,
                self.status,
                progress=control.progress,
                cancelled=lambda: control.cancelled,
            )

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
        self.dialog.setCancelButtonText("")  # hides the button: it has been pressed

    def _progress(self, done: int, total: int) -> None:
        if total > 0 and not self._cancel_requested:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _end(self, emit: Callable[[object], None], value: object) -> None:
        # close() would emit canceled(): hide it, quietly, and let it go.
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
    redo makes the change again and keeps what that one replaced. Both run on the
    GUI thread: set-based, 1,000 invitations take about 0.2 s.
    """

    def __init__(
        self, ctx: UiContext, ids: Sequence[int], status: str, result: InvitationResult
    ) -> None:
        n = len(result.before or ())
        super().__init__(f"Set {n:,} invitation{'s' if n != 1 else ''} to “{status}”")
        self.ctx = ctx
        self.ids = list(ids)
        self.status = status
        self.before = result.before
        self._done = True  # pushed after the change was made: the first redo is a no-op

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.before = self.ctx.services.invitations.set_status(self.ids, self.status).before

    def undo(self) -> None:
        if self.before is not None:
            self.ctx.services.invitations.undo_status(self.before)
