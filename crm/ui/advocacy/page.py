"""The Advocacy page: notes members voiced, filterable, with a Top requests ranking."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QPushButton, QWidget

from crm.models import ADVOCACY_KINDS, ADVOCACY_STATUSES, DEPARTMENTS
from crm.services.advocacy import NoteRow
from crm.ui.advocacy.detail import NoteDetailPanel
from crm.ui.advocacy.detail_card import colour
from crm.ui.advocacy.dialog import NoteDialog, open_dialog
from crm.ui.advocacy.listing import ListModel, ListPage
from crm.ui.context import UiContext
from crm.ui.paged_model import Column

COLUMNS: tuple[Column[NoteRow], ...] = (
    Column("Title", "title", lambda r: r.title),
    Column("Members", "voices", lambda r: f"{r.voices:,}", align_right=True),
    Column("Status", "status", lambda r: r.status.capitalize()),
    Column("Department", "department", lambda r: r.department.capitalize()),
    Column("Kind", "kind", lambda r: r.kind.capitalize()),
    Column("Last change", "updated", lambda r: f"{r.updated_at:%d %b %Y}"),
)
STATUS_COLUMN = 2


class UndoableDelete(QUndoCommand):
    """Runs delete() (which returns what it took) and puts it back with restore()."""

    def __init__(self, text: str, delete: Callable[[], Any], restore: Callable[[Any], Any]):
        super().__init__(text)
        self._delete, self._restore = delete, restore
        self._taken: Any = None

    def redo(self) -> None:
        self._taken = self._delete()

    def undo(self) -> None:
        self._restore(self._taken)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


class AdvocacyPage(ListPage):
    title = "Advocacy"
    noun = "note"
    plural = "notes"
    areas = ("advocacy", "people", "trash")
    settings_key = "advocacy"
    empty_text = (
        "No advocacy notes yet. Record what members ask for, struggle with or praise, "
        "and carry it to the department that can act on it."
    )
    new_text = "New note"
    LINK_KIND = "advocacy"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.top_button.toggled.connect(self._top_toggled)
        self.model.colour = lambda row, col: colour(row.status) if col == STATUS_COLUMN else None

    # ---- ListPage ------------------------------------------------------------------------
    def toolbar_widgets(self) -> list[QWidget]:
        self.top_button = QPushButton("Top requests", self)
        self.top_button.setCheckable(True)
        self.top_button.setToolTip(
            "Open notes (not shipped or declined) ranked by the members behind them"
        )
        return [self.top_button]

    def filters(self) -> list[tuple[str, str, list[tuple[str, Any]]]]:
        return [
            ("status", "All statuses", [(s.capitalize(), s) for s in ADVOCACY_STATUSES]),
            ("department", "All departments", [(d.capitalize(), d) for d in DEPARTMENTS]),
            ("kind", "All kinds", [(k.capitalize(), k) for k in ADVOCACY_KINDS]),
        ]

    def column_widths(self) -> Sequence[int]:
        return (300, 86, 118, 104, 88, 104)

    def make_model(self) -> ListModel:
        model = ListModel(COLUMNS, self._query, self.services.advocacy.rows, self)
        model.sort_key, model.descending = "updated", True
        return model

    def _query(self, text: str, filters: dict[str, Any], sort: str, descending: bool) -> list[int]:
        return self.services.advocacy.query_ids(
            text,
            status=filters.get("status"),
            department=filters.get("department"),
            kind=filters.get("kind"),
            open_only=bool(filters.get("top")),
            sort=sort or "updated",
            descending=descending,
        )

    def current_filters(self) -> dict[str, Any]:
        return {**super().current_filters(), "top": self.top_button.isChecked()}

    def make_detail(self) -> QWidget:
        panel = NoteDetailPanel(self.ctx, self)
        panel.person_activated.connect(self.person_activated)
        panel.item_activated.connect(self._open_link)
        panel.edit_requested.connect(self.edit_item)
        panel.delete_requested.connect(lambda nid: self._delete([nid]))
        panel.task_requested.connect(self.new_task)
        panel.failed.connect(self.show_error)
        return panel

    def total(self) -> int:
        return self.services.advocacy.count()

    def new_item(self) -> QWidget:
        dlg = NoteDialog(self.services, None, self)
        self.dialog = dlg
        return open_dialog(dlg, lambda: self.saved(dlg.note_id, True))

    def edit_item(self, item_id: int) -> QWidget:
        dlg = NoteDialog(self.services, item_id, self)
        self.dialog = dlg
        return open_dialog(dlg, lambda: self.saved(dlg.note_id, False))

    def delete_command(self, ids: list[int]) -> QUndoCommand | None:
        voices, steps, tasks = self.services.advocacy.what_goes(ids)
        if len(ids) == 1:
            title = self.services.advocacy.get(ids[0]).title
            question = f"Delete the note “{title}”?"
        else:
            question = f"Delete {len(ids)} notes?"
        goes = [f"The links to {_plural(voices, 'member')} and {_plural(steps, 'history step')} "
                "go with it; the people themselves stay."]  # fmt: skip
        if tasks:
            goes.append(f"{_plural(tasks, 'task')} stay on the Tasks page, without the link.")
        goes.append("Ctrl+Z brings everything back.")
        if not self.ask(question, "\n".join(goes)):
            return None
        label = "Delete note" if len(ids) == 1 else f"Delete {len(ids)} notes"
        return UndoableDelete(
            label,
            lambda: self.services.advocacy.delete(ids),
            self.services.advocacy.restore,
        )

    # ---- this page ---------------------------------------------------------------------
    def _delete(self, ids: list[int]) -> None:
        self._select_rows(ids, ids[0])
        self.delete_selected()

    def _top_toggled(self, on: bool) -> None:
        if on:
            self.model.sort_key, self.model.descending = "voices", True
            self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.apply_filter()

    def new_task(self, note_id: int) -> QWidget:
        from crm.ui.dept_tasks.dialog import TaskDialog

        dlg = TaskDialog(self.services, None, self, note_id=note_id)
        self.dialog = dlg
        return open_dialog(dlg, lambda: self.message.emit("Task created."))

    def _open_link(self, kind: str, item_id: int) -> None:
        if kind == self.LINK_KIND:
            self.show_item(item_id)
        else:
            self.item_activated.emit(kind, item_id)
