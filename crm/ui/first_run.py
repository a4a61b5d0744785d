"""The first start: no database yet, so offer demo data or an empty start.

Demo generation runs as a task with a progress dialog and a Cancel button; the
generator writes nothing when cancelled, so Cancel simply leaves an empty database.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from crm.services import Services
from crm.ui.tasks import TaskControl, TaskRunner
from crm.ui.widgets.icons import icon
from crm.ui.widgets.labels import heading, muted

DEMO_CONTACTS = 2000


class FirstRunDialog(QDialog):
    """choice is "demo", "empty", or None when the window was closed."""

    def __init__(self, db_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle("Welcome to Rapport")
        self.setWindowIcon(icon("rapport"))
        self.setMinimumWidth(520)
        where = muted(
            f"There is no database at {db_path} yet. How would you like to begin?"
            if db_path
            else "There is no database yet. How would you like to begin?"
        )
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_button = QCommandLinkButton(
            "Open demo data",
            f"{DEMO_CONTACTS:,} sample people with two years of interactions and partner "
            "communities, to look around safely.",
        )
        self.empty_button = QCommandLinkButton(
            "Start empty", "An empty database, ready for your own people."
        )
        self.demo_button.clicked.connect(lambda: self._choose("demo"))
        self.empty_button.clicked.connect(lambda: self._choose("empty"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 22)
        layout.setSpacing(12)
        layout.addWidget(heading("Welcome to Rapport", scale=1.5))
        layout.addWidget(where)
        layout.addSpacing(6)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.empty_button)
        self.demo_button.setFocus()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, db_path: Path | None) -> str | None:
        dialog = cls(db_path)
        dialog.exec()
        return dialog.choice


def fill_with_demo(
    services: Services,
    tasks: TaskRunner,
    parent: QWidget | None = None,
    contacts: int = DEMO_CONTACTS,
) -> tuple[bool, str]:
    """Generate demo data with a progress dialog; (filled, message for the user)."""
    from crm.services.demo import generate  # the generator pulls in Faker: load on demand

    progress = QProgressDialog("Making demo data…", "Cancel", 0, 100, parent)
    progress.setWindowTitle("Rapport")
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setValue(0)
    progress.show()
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def work(control: TaskControl) -> dict[str, int]:
        return generate(
            services.db,
            contacts=contacts,
            seed=1,
            progress=control.progress,
            cancelled=lambda: control.cancelled,
        )

    def on_progress(done: int, total: int) -> None:
        if total > 0:
            progress.setValue(min(100, done * 100 // total))

    def finish(key: str, value: object) -> None:
        outcome[key] = value
        loop.quit()

    handle = tasks.run(
        work,
        on_done=lambda r: finish("done", r),
        on_error=lambda e: finish("error", e),
        on_progress=on_progress,
    )
    progress.canceled.connect(handle.cancel)
    if not outcome:
        loop.exec()
    progress.close()
    progress.deleteLater()
    if "done" in outcome:
        counts = outcome["done"]
        people = counts.get("people", contacts) if isinstance(counts, dict) else contacts
        return True, f"Demo data ready: {people:,} people."
    if handle.control.cancelled:
        return False, "Demo data cancelled; the database is empty."
    return False, f"Could not make demo data: {outcome.get('error')}"
