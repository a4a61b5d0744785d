"""Bulk actions on the selected people: add or remove tags, set or remove a role, archive.

Tag and role writes on many people run as a task, so selecting 100,000 rows and
tagging them does not freeze the window; archive goes on the undo stack instead
(Ctrl+Z brings them back).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QVBoxLayout, QWidget

from crm.ui.context import UiContext
from crm.ui.undo import archive_people
from crm.ui.widgets.labels import muted
from crm.vocab import ROLES


def people_count(n: int) -> str:
    return "1 person" if n == 1 else f"{n:,} people"


def ask_tags(parent: QWidget, title: str, prompt: str, known: Sequence[str]) -> list[str] | None:
    """A small dialog: comma-separated tags with completion; None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(380)
    from crm.ui.widgets.tag_edit import TagEdit  # with the dialog, not at start-up

    edit = TagEdit(known, dialog)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(muted(prompt))
    layout.addWidget(edit)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return edit.tags() or None


class BulkActions:
    """The actions behind the selection menu; `report` shows a line in the status bar."""

    def __init__(self, ctx: UiContext, parent: QWidget, report: Callable[[str], None]) -> None:
        self.ctx = ctx
        self.parent = parent
        self.report = report

    def menu(self, ids: Sequence[int], menu: QMenu | None = None) -> QMenu:
        menu = menu or QMenu(self.parent)
        ids = list(ids)
        n = len(ids)
        header = menu.addAction(f"{people_count(n)} selected")
        header.setEnabled(False)
        menu.addSeparator()
        menu.addAction("Add tags…", lambda: self.add_tags(ids))
        menu.addAction("Remove tags…", lambda: self.remove_tags(ids))
        roles = menu.addMenu("Set role")
        for role in ROLES:
            roles.addAction(role.capitalize(), lambda r=role: self.set_role(ids, r, True))
        unroles = menu.addMenu("Remove role")
        for role in ROLES:
            unroles.addAction(role.capitalize(), lambda r=role: self.set_role(ids, r, False))
        menu.addSeparator()
        menu.addAction("Export selected…", lambda: self.export(ids))
        menu.addSeparator()
        menu.addAction("Archive", lambda: self.archive(ids))
        for action in menu.actions()[1:]:
            action.setEnabled(n > 0)
        return menu

    def _known_tags(self) -> list[str]:
        return [t.name for t in self.ctx.services.tags.all()]

    def _run(self, work: Callable[[], object], done_text: str) -> None:
        self.ctx.tasks.run(
            lambda _control: work(),
            on_done=lambda _r: self.report(done_text),
            on_error=lambda exc: self.report(f"Failed: {exc}"),
        )

    def add_tags(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        tags = ask_tags(
            self.parent, "Add tags", f"Tags to add to {people_count(len(ids))}:", self._known_tags()
        )
        if tags:
            people = self.ctx.services.people
            self._run(
                lambda: people.add_tags(ids, tags),
                f"Tagged {people_count(len(ids))} with {', '.join(tags)}",
            )

    def remove_tags(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        tags = ask_tags(
            self.parent,
            "Remove tags",
            f"Tags to remove from {people_count(len(ids))}:",
            self._known_tags(),
        )
        if tags:
            people = self.ctx.services.people
            self._run(
                lambda: people.remove_tags(ids, tags),
                f"Removed {', '.join(tags)} from {people_count(len(ids))}",
            )

    def set_role(self, ids: Sequence[int], role: str, on: bool) -> None:
        if not ids:
            return
        people = self.ctx.services.people
        text = (
            f"{people_count(len(ids))} now {role}"
            if on
            else f"Removed the {role} role from {people_count(len(ids))}"
        )
        self._run(lambda: people.set_role(ids, role, on), text)

    def archive(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        self.ctx.undo.push(archive_people(self.ctx.services, ids))
        self.report(f"Archived {people_count(len(ids))} — Ctrl+Z to undo")

    def export(self, ids: Sequence[int]) -> QDialog | None:
        """The export dialog with these people as its selection."""
        if not ids:
            return None
        from crm.ui.io.export_dialog import ExportDialog

        dialog = ExportDialog(self.ctx, self.parent, list(ids))
        dialog.open()
        return dialog
