"""The main window's backup actions: File → Back up… (Ctrl+Shift+B) and File → Restore
from backup…, the daily automatic backup after start-up, and reopening the window on
the restored database.

Reopening: a restore writes the backup into the same database file, but pages, their
models and the undo stack hold ids and texts of the data as it was. Rather than ask a
dozen pages to forget everything, the window is rebuilt over freshly opened services
(a new window, shown before the old one closes, so the app does not quit), as a
start-up would build it; the old window's services are closed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu, QMessageBox

from crm.ui.tasks import TaskControl, TaskHandle

if TYPE_CHECKING:
    from crm.ui.backup_dialogs import BackupDialog, RestoreDialog
    from crm.ui.main_window import MainWindow

AUTO_DELAY_MS = 5000  # after the window is up and the pages' idle imports are done


class BackupActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.last_dialog: Any = None
        self.auto_handle: TaskHandle | None = None
        self.auto_running = False
        self.auto_warning: QMessageBox | None = None
        window.installEventFilter(self)

    def add_file_actions(self, menu: QMenu) -> None:
        self.backup_action = self._add(menu, "&Back up…", self.open_backup, "Ctrl+Shift+B")
        self.restore_action = self._add(menu, "&Restore from backup…", self.open_restore)

    def _add(self, menu: QMenu, text: str, slot: Any, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _usable(self) -> bool:
        if self.ctx.services.db.path is None:
            self.window.show_message("Backups need a database file; this database is not one.")
            return False
        return True

    def open_backup(self) -> BackupDialog | None:
        from crm.ui.backup_dialogs import BackupDialog

        if not self._usable():
            return None
        dialog = BackupDialog(self.ctx, self.window)
        dialog.backed_up.connect(lambda r: self.window.show_message(f"Backed up to {r.path}"))
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def open_restore(self) -> RestoreDialog | None:
        from crm.ui.backup_dialogs import RestoreDialog

        if not self._usable():
            return None
        dialog = RestoreDialog(self.ctx, self.window)
        dialog.restored.connect(self.reopen)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    # ---- after a restore ---------------------------------------------------------------
    def reopen(self, result: Any) -> MainWindow:
        """A new window over the restored database; the old one closes."""
        from crm.services import open_services
        from crm.ui.bus import ChangeBus
        from crm.ui.context import UiContext
        from crm.ui.main_window import MainWindow

        old_window, old = self.window, self.ctx
        services = open_services(old.services.db.url, phone_region=old.services.region)
        old_window.save_state()  # the new window opens where this one was
        ctx = UiContext(
            services, ChangeBus(services.changes), QUndoStack(), old.tasks, old.settings
        )
        window = MainWindow(ctx)
        old_window.replaced_by = window  # type: ignore[attr-defined]  # app._run follows it
        window.show()  # before the old one closes, or closing the last window quits
        text = f"Restored {result.source.name}."
        if result.migrated:
            text += " It was brought up to date with this version."
        if result.safety_backup:  # the path would not fit the status bar; the list has it
            text += " The database as it was before is kept with the backups (File → Restore)."
        window.show_message(text)
        if self.last_dialog is not None:
            self.last_dialog.done(0)
        old_window.close()
        old.bus.detach()
        old.services.close()
        old_window.deleteLater()
        return window

    # ---- daily automatic backup --------------------------------------------------------
    def schedule_auto_backup(self, delay_ms: int = AUTO_DELAY_MS) -> None:
        QTimer.singleShot(delay_ms, self, self.auto_backup)

    def auto_backup(self) -> None:
        """Once a day (the service decides), off the GUI thread, silent unless it fails."""
        if self.ctx.services.db.path is None or self.auto_running:
            return
        backups = self.ctx.services.backups

        def work(control: TaskControl) -> Any:
            return backups.auto_backup(cancelled=lambda: control.cancelled)

        self.auto_running = True
        handle = self.ctx.tasks.run(work, on_done=self._auto_done, on_error=self._auto_failed)
        if self.auto_running:  # (a runner that runs tasks at once has finished it already)
            self.auto_handle = handle

    def _auto_done(self, _result: Any) -> None:
        self.auto_running = False
        self.auto_handle = None

    def _auto_failed(self, exc: BaseException) -> None:
        from crm.services.backup import BackupCancelled
        from crm.ui.io.common import error_text

        self.auto_running = False
        self.auto_handle = None
        if isinstance(exc, BackupCancelled):  # the window closed while it ran
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Daily backup failed",
            "Rapport could not make today's automatic backup.",
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setInformativeText(
            f"{error_text(exc)}\n\nYour data is unchanged. File → Back up… tries again."
        )
        box.setModal(False)  # a note, not a question: the window stays usable
        box.show()
        self.auto_warning = box
        self.window.show_message("The daily backup failed; see the message.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        closing = watched is self.window and event.type() == QEvent.Type.Close
        if closing and self.auto_handle is not None:  # quitting: do not hold the exit up
            self.auto_handle.cancel()
        return False
