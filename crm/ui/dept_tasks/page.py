"""The Tasks page: work handed to other departments, overdue ones in red."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QCheckBox, QPushButton, QWidget

from crm.models import DEPARTMENTS, TASK_STATUSES
from crm.services import NotFound, ServiceError
from crm.services.dept_tasks import TaskRow
from crm.ui.advocacy.detail_card import DetailCard, colour, date_text, esc
from crm.ui.advocacy.dialog import open_dialog
from crm.ui.advocacy.listing import ListModel, ListPage
from crm.ui.advocacy.page import UndoableDelete
from crm.ui.context import UiContext
from crm.ui.dept_tasks.dialog import TaskDialog
from crm.ui.paged_model import Column
from crm.ui.people.detail_sections import item_link


def _due(r: TaskRow) -> str:
    if r.due_on is None:
        return ""
    return f"{r.due_on:%d %b %Y}" + (" · overdue" if r.overdue else "")


def _link(r: TaskRow) -> str:
    if r.note_id is not None:
        return f"Note: {r.note_title}"
    return f"Event: {r.event_title}" if r.event_id is not None else ""


COLUMNS: tuple[Column[TaskRow], ...] = (
    Column("Title", "title", lambda r: r.title),
    Column("Department", "department", lambda r: r.department.capitalize()),
    Column("Owner", "owner", lambda r: r.owner_name),
    Column("Due", "due", _due),
    Column("Status", "status", lambda r: r.status.capitalize()),
    Column("For", "link", _link),
)
DUE_COLUMN, STATUS_COLUMN, FOR_COLUMN = 3, 4, 5


class TaskDetailPanel(DetailCard):
    placeholder_text = "Select a task to see what it is for."
    edit_requested = Signal(int)
    delete_requested = Signal(int)
    failed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status = ""

    def build(self) -> None:
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.done_button = QPushButton("Mark done", self)
        self.done_button.clicked.connect(self.toggle_done)
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.setObjectName("danger")
        self.delete_button.clicked.connect(lambda: self._emit(self.delete_requested))
        self.buttons.addWidget(self.edit_button)
        self.buttons.addWidget(self.done_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.delete_button)

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        if self.item_id is not None:
            signal.emit(self.item_id)

    def load(self, item_id: int) -> bool:
        try:
            d = self.ctx.services.dept_tasks.get(item_id)
        except NotFound:
            return False
        r = d.row
        self.status = r.status
        self.name.setText(r.title)
        self.badge.set_word("overdue" if r.overdue else r.status)
        self.badge.setToolTip(f"Status: {r.status}")
        self.subtitle.setText(
            f"For {r.department}" + (f" · {r.owner_name}" if r.owner_name else "")
        )
        self.done_button.setText("Reopen" if r.status == "done" else "Mark done")
        due = date_text(r.due_on)
        if r.overdue:
            due = f"<span style='color:#b42318'><b>{due} — overdue</b></span>"
        self.facts(
            [
                ("Status", esc(r.status.capitalize())),
                ("Due", due),
                ("Owner", esc(r.owner_name) or "—"),
                (
                    "Advocacy note",
                    item_link("advocacy", r.note_id, r.note_title) if r.note_id else "—",
                ),
                ("Event", item_link("event", r.event_id, r.event_title) if r.event_id else "—"),
                ("Handed over", date_text(d.created_at)),
                ("Done", date_text(d.done_at)),
            ]
        )
        self.section("Details")
        self.text(d.details, "No details.")
        return True

    def toggle_done(self) -> None:
        if self.item_id is None:
            return
        try:
            new = "open" if self.status == "done" else "done"
            self.ctx.services.dept_tasks.set_status(self.item_id, new)
        except ServiceError as exc:
            self.failed.emit(str(exc))


class TasksPage(ListPage):
    title = "Tasks"
    noun = "task"
    plural = "tasks"
    areas = ("tasks", "advocacy", "events")
    settings_key = "dept_tasks"
    empty_text = (
        "No department tasks yet. Hand work to product, marketing, support, engineering "
        "or leadership and keep track of when it is due; an advocacy note's New task… "
        "hands one over with the note linked."
    )
    new_text = "New task"
    LINK_KIND = "task"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)

        def paint(row: TaskRow, col: int) -> Any:
            if col == DUE_COLUMN and row.overdue:
                return colour("overdue")
            return colour(row.status) if col == STATUS_COLUMN else None

        self.model.colour = paint

    def toolbar_widgets(self) -> list[QWidget]:
        self.overdue = QCheckBox("Overdue only", self)
        self.overdue.toggled.connect(lambda _: self.apply_filter())
        return [self.overdue]

    def filters(self) -> list[tuple[str, str, list[tuple[str, Any]]]]:
        return [
            ("status", "All statuses", [(s.capitalize(), s) for s in TASK_STATUSES]),
            ("department", "All departments", [(d.capitalize(), d) for d in DEPARTMENTS]),
        ]

    def current_filters(self) -> dict[str, Any]:
        return {**super().current_filters(), "overdue": self.overdue.isChecked()}

    hidden_columns = (FOR_COLUMN,)  # the detail links the note or event

    def column_widths(self) -> Sequence[int]:
        return (250, 100, 90, 168, 96, 170)

    def make_model(self) -> ListModel:
        def query(text: str, f: dict[str, Any], sort: str, descending: bool) -> list[int]:
            return self.services.dept_tasks.query_ids(
                text,
                status=f.get("status"),
                department=f.get("department"),
                overdue_only=bool(f.get("overdue")),
                sort=sort or "due",
                descending=descending,
            )

        model = ListModel(COLUMNS, query, self.services.dept_tasks.rows, self)
        model.sort_key = "due"
        return model

    def make_detail(self) -> QWidget:
        panel = TaskDetailPanel(self.ctx, self)
        panel.item_activated.connect(self.item_activated)
        panel.edit_requested.connect(self.edit_item)
        panel.delete_requested.connect(lambda tid: self._delete([tid]))
        panel.failed.connect(self.show_error)
        return panel

    def total(self) -> int:
        return self.services.dept_tasks.count()

    def new_item(self) -> QWidget:
        dlg = TaskDialog(self.services, None, self)
        self.dialog = dlg
        return open_dialog(dlg, lambda: self.saved(dlg.task_id, True))

    def edit_item(self, item_id: int) -> QWidget:
        dlg = TaskDialog(self.services, item_id, self)
        self.dialog = dlg
        return open_dialog(dlg, lambda: self.saved(dlg.task_id, False))

    def delete_command(self, ids: list[int]) -> QUndoCommand | None:
        what = (
            f"the task “{self.services.dept_tasks.get(ids[0]).row.title}”"
            if len(ids) == 1
            else f"{len(ids)} tasks"
        )
        if not self.ask(
            f"Delete {what}?", "Notes and events it is linked to stay. Ctrl+Z brings it back."
        ):
            return None
        return UndoableDelete(
            "Delete task" if len(ids) == 1 else f"Delete {len(ids)} tasks",
            lambda: self.services.dept_tasks.delete(ids),
            self.services.dept_tasks.restore,
        )

    def _delete(self, ids: list[int]) -> None:
        self._select_rows(ids, ids[0])
        self.delete_selected()
