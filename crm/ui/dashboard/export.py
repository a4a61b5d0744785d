"""File → Export report…: the PDF report, made on a task with a progress dialog and Cancel.

The charts are counted and the pages drawn off the GUI thread; the file is written
atomically at the very end, so Cancel (or a failure) leaves any old file as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from crm.ui.context import UiContext
from crm.ui.io.common import choose_save_path, show_error, suggested_path
from crm.ui.tasks import Cancelled, TaskControl, TaskHandle


class ReportExport:
    """One export: ask where, then make the PDF with progress; `done(message)` at the end."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget,
        period_key: str,
        done: Callable[[str], None] | None = None,
    ) -> None:
        self.ctx, self.parent, self.period_key = ctx, parent, period_key
        self.done = done
        self.progress: QProgressDialog | None = None
        self.handle: TaskHandle | None = None
        self.path: str | None = None

    def start(self, path: str | None = None) -> bool:
        """Ask for the file (unless given) and start; False when the user backed out."""
        if path is None:
            name = f"community-report-{date.today().isoformat()}.pdf"
            path = choose_save_path(
                self.parent, "Export report", suggested_path(name), "PDF files (*.pdf)"
            )
            if path is None:
                return False
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
        self.path = path
        progress = QProgressDialog("Making the report…", "Cancel", 0, 100, self.parent)
        progress.setWindowTitle("Export report")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setValue(0)
        self.progress = progress
        reports, key = self.ctx.services.reports, self.period_key

        def work(control: TaskControl) -> int:
            def step(done: int, total: int) -> None:
                control.check()  # Cancel stops before the file is written
                control.progress(done, total)

            return reports.write_pdf(path, key, progress=step)

        self.handle = self.ctx.tasks.run(
            work, on_done=self._finished, on_error=self._failed, on_progress=self._progressed
        )
        if self.progress is not None:
            progress.canceled.connect(self.handle.cancel)
        return True

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None and total > 0:
            self.progress.setValue(min(100, done * 100 // total))

    def _close(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _finished(self, pages: int) -> None:
        self._close()
        if self.done is not None:
            self.done(f"Report written: {self.path} ({pages} pages).")

    def _failed(self, exc: BaseException) -> None:
        self._close()
        if isinstance(exc, Cancelled):
            if self.done is not None:
                self.done("Report cancelled; no file was written.")
            return
        show_error(self.parent, "Export report", exc)
