"""Create or edit a department task, with a link to an advocacy note or an event.

The note and event pickers search as you type (a small query each, never the whole
table) and offer "none" first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QComboBox, QLineEdit, QVBoxLayout, QWidget

from crm.models import DEPARTMENTS, TASK_STATUSES
from crm.services import Services
from crm.services.dept_tasks import TaskInput
from crm.ui.advocacy.dialog import FormDialog, combo, set_combo, text_box
from crm.ui.communities.dialog import OptionalDateEdit


class SearchCombo(QWidget):
    """A search field over a combo of matches: value() is the chosen id or None."""

    def __init__(
        self,
        find: Callable[[str], list[tuple[int, str]]],
        placeholder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._find = find
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.combo = QComboBox(self)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        box.addWidget(self.search)
        box.addWidget(self.combo)
        self._timer = QTimer(self, singleShot=True, interval=180)
        self._timer.timeout.connect(self.update_choices)
        self.search.textEdited.connect(lambda _: self._timer.start())
        self._kept: tuple[int, str] | None = None
        self.update_choices()

    def update_choices(self) -> None:
        self._timer.stop()
        chosen = self.value()
        label = self.combo.currentText()
        self.combo.clear()
        self.combo.addItem("— none —", None)
        found = self._find(self.search.text().strip())
        if chosen is not None and chosen not in {i for i, _ in found}:
            self.combo.addItem(label, chosen)  # keep the current choice on offer
        for item_id, text in found:
            self.combo.addItem(text, item_id)
        if chosen is not None:
            self.combo.setCurrentIndex(self.combo.findData(chosen))
        elif self.search.text().strip() and len(found) >= 1:
            self.combo.setCurrentIndex(1)

    def value(self) -> int | None:
        data = self.combo.currentData()
        return int(data) if data is not None else None

    def set_value(self, item_id: int | None, text: str) -> None:
        if item_id is None:
            self.combo.setCurrentIndex(0)
            return
        if (i := self.combo.findData(item_id)) < 0:
            self.combo.addItem(text, item_id)
            i = self.combo.count() - 1
        self.combo.setCurrentIndex(i)


class TaskDialog(FormDialog):
    def __init__(
        self,
        services: Services,
        task_id: int | None = None,
        parent: QWidget | None = None,
        *,
        note_id: int | None = None,
    ) -> None:
        super().__init__("New task" if task_id is None else "Edit task", task_id is None, parent)
        self.services = services
        self.task_id = task_id
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("e.g. Estimate SSO support")
        self.department = combo(self, DEPARTMENTS)
        self.owner = QLineEdit(self)
        self.owner.setPlaceholderText("Who in that department owns it")
        self.due = OptionalDateEdit(self)
        self.status = combo(self, TASK_STATUSES)
        self.note = SearchCombo(services.advocacy.choices, "Search advocacy notes…", self)
        self.event = SearchCombo(
            lambda t: [
                (e.id, f"{e.title} — {e.starts_at:%d %b %Y}")
                for e in services.dept_tasks.event_choices(t)
            ],
            "Search events…",
            self,
        )
        self.details = text_box(self, "What is asked, and why…", 70)
        self.add_row("Title", self.title, "title")
        self.add_row("Department", self.department, "department")
        self.add_row("Owner", self.owner, "owner_name")
        self.add_row("Due", self.due, "due_on")
        self.add_row("Status", self.status, "status")
        self.add_row("Advocacy note", self.note, "note_id")
        self.add_row("Event", self.event, "event_id")
        self.add_row("Details", self.details, "details")
        if task_id is not None:
            d = services.dept_tasks.get(task_id)
            r = d.row
            self.title.setText(r.title)
            set_combo(self.department, r.department)
            self.owner.setText(r.owner_name)
            self.due.set_value(r.due_on.isoformat() if r.due_on else "")
            set_combo(self.status, r.status)
            self.note.set_value(r.note_id, r.note_title)
            self.event.set_value(r.event_id, r.event_title)
            self.details.setPlainText(d.details)
        elif note_id is not None:
            note = services.advocacy.get(note_id)
            self.note.set_value(note_id, note.title)
            set_combo(self.department, note.department)
            self.title.setText(f"Follow up: {note.title}"[:300])
            self.due.setDate(QDate.currentDate().addDays(14))
        self.title.setFocus()

    def data(self) -> TaskInput:
        due = self.due.value()
        return TaskInput(
            title=self.title.text(),
            department=str(self.department.currentData()),
            owner_name=self.owner.text(),
            due_on=QDate.fromString(due, "yyyy-MM-dd").toPython() if due else None,  # type: ignore[arg-type]
            status=str(self.status.currentData()),
            note_id=self.note.value(),
            event_id=self.event.value(),
            details=self.details.toPlainText(),
        )

    def save(self) -> None:
        if self.task_id is None:
            self.task_id = self.services.dept_tasks.create(self.data())
        else:
            self.services.dept_tasks.update(self.task_id, self.data())
