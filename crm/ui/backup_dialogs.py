"""File → Back up… and File → Restore from backup…: the two dialogs.

Both run their job through ctx.tasks (a TaskStrip: progress and Cancel), so the window
keeps painting while hundreds of megabytes are copied. The restore dialog lists the
backups beside the database (date, kind, size) or takes any file, says what will
happen before it happens, and reports where the database as it was went.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.services import ServiceError
from crm.ui.context import UiContext
from crm.ui.io.common import TaskStrip, error_text, throttled
from crm.ui.tasks import TaskControl
from crm.ui.widgets.labels import ErrorLabel, heading, muted

DB_FILTER = "Rapport databases (*.sqlite *.db);;All files (*)"
KIND_NAMES = {
    "manual": "Backup",
    "auto": "Daily (automatic)",
    "before-restore": "Before a restore",
    "other": "Other file",
}


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1e6:,.1f} MB"
    return f"{max(size, 1) / 1e3:,.0f} kB"


def _e(value: object) -> str:
    return html.escape(str(value))


class _JobDialog(QDialog):
    """A heading, a body the subclass fills, the task strip, a result line and buttons."""

    def __init__(self, ctx: UiContext, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(620)
        self.strip = TaskStrip(ctx)
        self.result_label = QLabel()
        self.result_label.setObjectName("backupResult")
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.hide()
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(heading(title, scale=1.2))
        layout.addLayout(self.body, 1)
        layout.addWidget(self.strip)
        layout.addWidget(self.result_label)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def reject(self) -> None:
        if self.strip.busy:  # Esc or Close while working: cancel first, close after
            self.strip.cancel()
            return
        super().reject()


class BackupDialog(_JobDialog):
    """Where to, Back up, progress; and the daily automatic backups' setting."""

    backed_up = Signal(object)  # BackupResult

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, "Back up")
        backups = ctx.services.backups
        self.target = QLineEdit(str(backups.default_target()))
        self.target.setObjectName("backupTarget")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(choose)
        intro = muted(
            f"A checked copy of {ctx.services.db.path}, taken while you keep working. "
            "Keep one somewhere else too (another disk, a cloud folder)."
        )
        intro.setWordWrap(True)
        self.keep = QSpinBox()
        self.keep.setObjectName("backupKeep")
        self.keep.setRange(0, 365)
        self.keep.setSpecialValueText("off")
        self.keep.setValue(backups.keep())
        self.keep.setToolTip("Rapport backs up once a day when it starts; 0 turns it off")
        self.keep.valueChanged.connect(self._keep_changed)
        auto = QHBoxLayout()
        auto.addWidget(QLabel("Automatic backups, one a day when Rapport starts; keep the last"))
        auto.addWidget(self.keep)
        auto.addStretch(1)
        self.body.addWidget(intro)
        self.body.addWidget(QLabel("Back up to"))
        self.body.addLayout(row)
        self.body.addLayout(auto)
        self.start_button = QPushButton("Back up")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.strip.finished.connect(self._done)
        self.strip.failed.connect(self._failed)
        self.strip.progressed.connect(self._progressed)
        self._overwrite = False

    def choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Back up to", self.target.text(), DB_FILTER)
        if path:  # the save dialog asked before choosing an existing file
            self.target.setText(path if Path(path).suffix else path + ".sqlite")
            self._overwrite = Path(path).exists()

    def _keep_changed(self, n: int) -> None:
        try:
            self.ctx.services.backups.set_keep(n)
        except ServiceError as exc:
            self.error.set_error(error_text(exc))

    def start(self) -> None:
        if self.strip.busy:
            return
        target = self.target.text().strip()
        if not target:
            self.error.set_error("Name the file to back up to.")
            return
        self.error.set_error(None)
        self.result_label.hide()
        self.start_button.setEnabled(False)
        backups, overwrite = self.ctx.services.backups, self._overwrite

        def work(control: TaskControl) -> Any:
            return backups.backup(
                target,
                overwrite=overwrite,
                progress=throttled(control),
                cancelled=lambda: control.cancelled,
            )

        self.strip.run("Copying…", work)

    def _progressed(self, done: int, total: int) -> None:
        if total and done >= total and not self.strip.cancelled:
            self.strip.label.setText("Checking the copy…")

    def _done(self, result: Any) -> None:
        self.start_button.setEnabled(True)
        self.result_label.setText(
            f"Backed up to <code>{_e(result.path)}</code> ({size_text(result.size)}, "
            f"checked) in {result.seconds:.1f} s."
        )
        self.result_label.show()
        self.target.setText(str(self.ctx.services.backups.default_target()))
        self._overwrite = False
        self.backed_up.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.start_button.setEnabled(True)
        self.error.set_error(error_text(exc))


class RestoreDialog(_JobDialog):
    """The backups to choose from (or any file), a confirmation, then the restore."""

    restored = Signal(object)  # RestoreResult

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, "Restore from backup")
        db = ctx.services.db.path
        intro = muted(
            f"Replaces the database {db} with a backup. The database as it is now is "
            "backed up first, so a restore can itself be undone."
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("backupList")
        self.list.setHeaderLabels(["Date", "Kind", "Size", "File"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setColumnWidth(0, 150)
        self.list.setColumnWidth(1, 140)
        self.list.setColumnWidth(2, 80)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.list.itemActivated.connect(lambda *_: self.restore_selected())
        self.empty = muted("No backups yet in the backups folder. Choose a file instead.")
        self.body.addWidget(intro)
        self.body.addWidget(self.list, 1)
        self.body.addWidget(self.empty)
        self.choose_button = QPushButton("Choose file…")
        self.choose_button.clicked.connect(self.choose_file)
        self.restore_button = QPushButton("Restore…")
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore_selected)
        self.buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.strip.finished.connect(self._done)
        self.strip.failed.connect(self._failed)
        self.resize(720, 420)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for b in self.ctx.services.backups.list_backups():
            item = QTreeWidgetItem(
                [
                    b.created.strftime("%Y-%m-%d %H:%M:%S"),
                    KIND_NAMES.get(b.kind, b.kind),
                    size_text(b.size),
                    b.path.name,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, str(b.path))
            item.setToolTip(3, str(b.path))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
        has = self.list.topLevelItemCount() > 0
        self.empty.setVisible(not has)
        if has:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self._selection_changed()

    def selected_path(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(0, Qt.ItemDataRole.UserRole)) if item else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_path() is not None and not self.strip.busy)

    def choose_file(self) -> None:
        folder = str(self.ctx.services.backups.folder())
        path, _ = QFileDialog.getOpenFileName(self, "Restore from", folder, DB_FILTER)
        if path:
            self.restore(Path(path))

    def restore_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.restore(path)

    def confirm(self, path: Path) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Restore from backup",
            f"Replace the database with {path.name}?",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            f"Everything in {self.ctx.services.db.path} is replaced by the backup "
            f"{path}. The database as it is now is backed up first, so this restore can "
            "be undone by restoring that copy. The window then reopens on the restored data."
        )
        ok = box.addButton("Restore", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is ok

    def restore(self, path: Path) -> None:
        """Check the file, ask, then restore it as a task."""
        if self.strip.busy:
            return
        from crm.services.backup import check_backup

        self.error.set_error(None)
        try:
            check_backup(path)  # refuse a wrong file before asking anything
        except Exception as exc:
            self.error.set_error(error_text(exc))
            return
        if not self.confirm(path):
            return
        backups = self.ctx.services.backups
        self.restore_button.setEnabled(False)
        self.choose_button.setEnabled(False)

        def work(control: TaskControl) -> Any:
            return backups.restore(
                path, progress=throttled(control), cancelled=lambda: control.cancelled
            )

        self.strip.run(f"Restoring {path.name}…", work)

    def _done(self, result: Any) -> None:
        self.choose_button.setEnabled(True)
        self.restored.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.choose_button.setEnabled(True)
        self._selection_changed()
        self.error.set_error(error_text(exc))
