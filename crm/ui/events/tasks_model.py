"""An event's logistics checklist as a small table: tick Done, edit the task in place.

A checklist has tens of lines, so the model holds them all; every edit goes straight
to the service, and the change bus brings the fresh list back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from crm.services import ServiceError, Services
from crm.services.event_plan import TaskInput, TaskRow

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Done", "Task", "Owner", "Due")
DONE, TASK, OWNER, DUE = range(4)


class TasksModel(QAbstractTableModel):
    failed = Signal(str)

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self.event_id: int | None = None
        self.rows: list[TaskRow] = []

    def load(self, event_id: int | None) -> None:
        self.beginResetModel()
        self.event_id = event_id
        self.rows = self.services.event_plan.tasks(event_id) if event_id is not None else []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        t = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == DONE:
            return Qt.CheckState.Checked if t.done else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == TASK:
                return t.task
            if col == OWNER:
                return t.owner
            if col == DUE:
                return t.due_on.isoformat() if t.due_on else ""
            if col == DONE and role == Qt.ItemDataRole.DisplayRole:
                return f"{t.done_at:%d %b}" if t.done_at else ""
        if role == Qt.ItemDataRole.ToolTipRole and col == DUE and t.due_on:
            late = not t.done and t.due_on < date.today()
            return f"Due {t.due_on:%A %d %B %Y}" + (" — overdue" if late else "")
        if role == Qt.ItemDataRole.FontRole and t.done and col == TASK:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == DONE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return False
        t = self.rows[index.row()]
        try:
            if role == Qt.ItemDataRole.CheckStateRole and index.column() == DONE:
                done = Qt.CheckState(value) == Qt.CheckState.Checked
                self.services.event_plan.set_done(t.id, done)
                return True
            if role != Qt.ItemDataRole.EditRole or index.column() == DONE:
                return False
            task, owner, due = t.task, t.owner, t.due_on
            text = str(value or "").strip()
            if index.column() == TASK:
                task = text
            elif index.column() == OWNER:
                owner = text
            else:
                try:
                    due = date.fromisoformat(text) if text else None
                except ValueError:
                    self.failed.emit(f"“{text}” is not a date (use YYYY-MM-DD).")
                    return False
            self.services.event_plan.update_task(t.id, TaskInput(task, owner, due))
        except ServiceError as exc:
            self.failed.emit(str(exc).split(": ", 1)[-1])
            return False
        return True
