"""The Agenda and Logistics tabs of an event: small lists with a line to add to them."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm.services import ServiceError, Services
from crm.services.event_plan import AgendaInput, TaskInput
from crm.ui.events.agenda_model import AgendaModel
from crm.ui.events.tasks_model import TasksModel
from crm.ui.widgets.labels import ErrorLabel, muted
from crm.ui.widgets.person_picker import PersonPicker


def _table(parent: QWidget) -> QTableView:
    t = QTableView(parent)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.setShowGrid(False)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(26)
    t.horizontalHeader().setHighlightSections(False)
    t.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return t


def _message(exc: ServiceError) -> str:
    return str(exc).split(": ", 1)[-1] if ": " in str(exc) else str(exc)


def _qdt(moment: datetime) -> QDateTime:
    """A wall time as a QDateTime in UTC: no zone, so the machine's own DST switches
    never shift or refuse a time meant for the event's zone."""
    return QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QTime(moment.hour, moment.minute),
        QTimeZone.utc(),
    )


def _py(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class AgendaTab(QWidget):
    """Slots in time order; pick one to change it, or fill the line below to add one."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.event_id: int | None = None
        self.model = AgendaModel(services, self)
        self.table = _table(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 170)
        self.table.setColumnWidth(2, 160)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._picked())
        self.starts = QDateTimeEdit(self)
        self.ends = QDateTimeEdit(self)
        for e in (self.starts, self.ends):
            e.setTimeZone(QTimeZone.utc())  # wall times in the event's zone: see _qdt
            e.setDisplayFormat("dd MMM HH:mm")
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("Slot title, e.g. Keynote")
        self.speaker = PersonPicker(services, self)
        self.speaker.setPlaceholderText("Speaker (optional)")
        self.add_button = QPushButton("Add slot", self)
        self.add_button.clicked.connect(self.add)
        self.title.returnPressed.connect(self.add)
        self.save_button = QPushButton("Save slot", self)
        self.save_button.clicked.connect(self.save_selected)
        self.remove_button = QPushButton("Remove slot", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.error = ErrorLabel(self)
        line = QHBoxLayout()
        line.addWidget(self.starts)
        line.addWidget(self.ends)
        line.addWidget(self.title, 2)
        line.addWidget(self.speaker, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(muted("Times are in the event's time zone.", self), 1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(line)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._picked()

    def set_event(self, event_id: int | None, starts: datetime | None = None) -> None:
        if event_id != self.event_id and starts is not None:
            self.starts.setDateTime(_qdt(starts))
            self.ends.setDateTime(_qdt(starts + timedelta(minutes=30)))
        self.event_id = event_id
        self.refresh()

    def refresh(self) -> None:
        self.model.load(self.event_id)
        self._picked()

    def _selected(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()].id if rows else None

    def _picked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.save_button.setEnabled(bool(rows))
        self.remove_button.setEnabled(bool(rows))
        if rows:
            a = self.model.rows[rows[0].row()]
            self.starts.setDateTime(_qdt(a.starts_at))
            self.ends.setDateTime(_qdt(a.ends_at))
            self.title.setText(a.title)
            self.speaker.set_person(a.speaker_id, a.speaker)

    def _input(self) -> AgendaInput:
        return AgendaInput(
            _py(self.starts.dateTime()),
            _py(self.ends.dateTime()),
            self.title.text(),
            self.speaker.person_id(),
        )

    def add(self) -> None:
        if self.event_id is None:
            return
        try:
            self.services.event_plan.add_agenda_item(self.event_id, self._input())
        except ServiceError as exc:
            self.error.set_error(_message(exc))
            return
        self.error.set_error(None)
        length = self.starts.dateTime().secsTo(self.ends.dateTime())
        self.starts.setDateTime(self.ends.dateTime())  # the next slot follows on
        self.ends.setDateTime(self.starts.dateTime().addSecs(max(length, 600)))
        self.title.clear()
        self.speaker.set_person(None)
        self.title.setFocus()

    def save_selected(self) -> None:
        if (item := self._selected()) is None:
            return
        try:
            self.services.event_plan.update_agenda_item(item, self._input())
        except ServiceError as exc:
            self.error.set_error(_message(exc))
            return
        self.error.set_error(None)

    def remove_selected(self) -> None:
        if (item := self._selected()) is not None:
            self.services.event_plan.delete_agenda_item(item)


class LogisticsTab(QWidget):
    """The checklist: tick what is done, double-click to edit, a line below to add."""

    message = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.event_id: int | None = None
        self.model = TasksModel(services, self)
        self.model.failed.connect(lambda m: QMessageBox.warning(self, "Logistics", m))
        self.table = _table(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 80)
        self.table.setColumnWidth(2, 120)
        self.table.setColumnWidth(3, 100)
        self.progress = muted("", self)
        self.task = QLineEdit(self)
        self.task.setPlaceholderText("Add a task, e.g. Book the venue")
        self.owner = QLineEdit(self)
        self.owner.setPlaceholderText("Owner")
        self.due = QDateEdit(self)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("dd MMM yyyy")
        self.due.setDate(QDate.currentDate())
        self.add_button = QPushButton("Add task", self)
        self.add_button.clicked.connect(self.add)
        self.task.returnPressed.connect(self.add)
        self.delete_action = QAction("Delete task", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.delete_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.error = ErrorLabel(self)
        line = QHBoxLayout()
        line.addWidget(self.task, 3)
        line.addWidget(self.owner, 1)
        line.addWidget(self.due)
        line.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addLayout(line)
        layout.addWidget(self.error)

    def set_event(self, event_id: int | None, starts: datetime | None = None) -> None:
        if event_id != self.event_id and starts is not None:
            before = starts.date() - timedelta(days=7)
            self.due.setDate(QDate(before.year, before.month, before.day))
        self.event_id = event_id
        self.refresh()

    def refresh(self) -> None:
        self.model.load(self.event_id)
        done = sum(1 for t in self.model.rows if t.done)
        total = len(self.model.rows)
        self.progress.setText(
            f"{done} of {total} done" if total else "No tasks yet: add the first one below."
        )

    def add(self) -> None:
        if self.event_id is None:
            return
        d = self.due.date()
        try:
            self.services.event_plan.add_task(
                self.event_id,
                TaskInput(
                    self.task.text(),
                    self.owner.text(),
                    datetime(d.year(), d.month(), d.day()).date(),
                ),
            )
        except ServiceError as exc:
            self.error.set_error(_message(exc))
            return
        self.error.set_error(None)
        self.task.clear()
        self.task.setFocus()

    def delete_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            t = self.model.rows[rows[0].row()]
            self.services.event_plan.delete_task(t.id)
            self.message.emit(f"Deleted “{t.task}”.")
