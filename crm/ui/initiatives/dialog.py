"""Create or edit an initiative, and add people to one (several at once)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm.models.engagement import INITIATIVE_KINDS, PARTICIPANT_RESULTS
from crm.services import ServiceError, Services
from crm.services.initiatives import InitiativeInput, LinkedItem
from crm.ui.widgets.labels import ErrorLabel, muted
from crm.ui.widgets.person_picker import PersonPicker

_ID = Qt.ItemDataRole.UserRole + 1


def _date_box(parent: QWidget, value) -> tuple[QCheckBox, QDateEdit]:  # type: ignore[no-untyped-def]
    box = QCheckBox(parent)
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(value) if value else QDate.currentDate())
    box.setChecked(value is not None)
    edit.setEnabled(value is not None)
    box.toggled.connect(edit.setEnabled)
    return box, edit


def _checklist(parent: QWidget, items: list[LinkedItem], chosen: set[int]) -> QListWidget:
    lst = QListWidget(parent)
    lst.setFixedHeight(96)
    for it in items:
        when = f" ({it.when:%Y-%m-%d})" if it.when else ""
        row = QListWidgetItem(f"{it.title}{when} · {it.detail}", lst)
        row.setData(_ID, it.id)
        row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        row.setCheckState(Qt.CheckState.Checked if it.id in chosen else Qt.CheckState.Unchecked)
    return lst


def _checked(lst: QListWidget) -> tuple[int, ...]:
    return tuple(
        lst.item(i).data(_ID)
        for i in range(lst.count())
        if lst.item(i).checkState() == Qt.CheckState.Checked
    )


class InitiativeDialog(QDialog):
    def __init__(
        self, services: Services, initiative_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.initiative_id = initiative_id
        ini = services.initiatives
        old = ini.get(initiative_id).to_input() if initiative_id else InitiativeInput("")
        self.setWindowTitle("Edit initiative" if initiative_id else "New initiative")
        self.setMinimumWidth(520)
        self.title = QLineEdit(old.title, self)
        self.title.setPlaceholderText("e.g. Spring hackathon")
        self.kind = QComboBox(self)
        for k in INITIATIVE_KINDS:
            self.kind.addItem(k.capitalize(), k)
        self.kind.setCurrentIndex(INITIATIVE_KINDS.index(old.kind))
        self.has_start, self.start = _date_box(self, old.starts_on)
        self.has_end, self.end = _date_box(self, old.ends_on)
        self.goal = QLineEdit(old.goal, self)
        self.goal.setPlaceholderText("e.g. 200 project submissions")
        self.description = QPlainTextEdit(old.description, self)
        self.description.setFixedHeight(70)
        events = ini.event_choices()
        content = ini.content_choices()
        self.events = _checklist(self, events, set(old.event_ids))
        self.content = _checklist(self, content, set(old.content_ids))
        self.error = ErrorLabel(self)
        dates = QHBoxLayout()
        for w in (self.has_start, self.start, muted("to", self), self.has_end, self.end):
            dates.addWidget(w)
        dates.addStretch(1)
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Kind", self.kind)
        form.addRow("Dates", dates)
        form.addRow("Goal", self.goal)
        form.addRow("Description", self.description)
        form.addRow("Events", self.events if events else muted("No events yet.", self))
        form.addRow("Content", self.content if content else muted("No content yet.", self))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def value(self) -> InitiativeInput:
        return InitiativeInput(
            self.title.text(),
            self.kind.currentData(),
            self.start.date().toPython() if self.has_start.isChecked() else None,  # type: ignore[arg-type]
            self.end.date().toPython() if self.has_end.isChecked() else None,  # type: ignore[arg-type]
            self.goal.text(),
            self.description.toPlainText(),
            _checked(self.events),
            _checked(self.content),
        )

    def save(self) -> None:
        try:
            if self.initiative_id is None:
                self.initiative_id = self.services.initiatives.create(self.value())
            else:
                self.services.initiatives.update(self.initiative_id, self.value())
        except ServiceError as exc:
            self.error.set_error(str(exc))
            return
        self.accept()


class AddParticipantsDialog(QDialog):
    """Pick several people, choose their result; nothing is written until Add."""

    def __init__(
        self, services: Services, initiative_id: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.initiative_id = initiative_id
        self.added = 0
        self.setWindowTitle(f"Add participants to {title}")
        self.setMinimumWidth(440)
        self.picker = PersonPicker(services, self)
        self.picker.person_chosen.connect(self.add_person)
        self.chosen = QListWidget(self)
        self.chosen.setMinimumHeight(150)
        self.chosen.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        remove = QPushButton("Remove from list", self)
        remove.clicked.connect(
            lambda: [self.chosen.takeItem(self.chosen.row(i)) for i in self.chosen.selectedItems()]
        )
        self.result = QComboBox(self)
        for r in PARTICIPANT_RESULTS:
            self.result.addItem(r.capitalize(), r)
        self.error = ErrorLabel(self)
        form = QFormLayout()
        form.addRow("Person", self.picker)
        form.addRow("", self.chosen)
        form.addRow("", remove)
        form.addRow("Result", self.result)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.add_button = self.buttons.addButton("Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.chosen.model().rowsInserted.connect(self._update)
        self.chosen.model().rowsRemoved.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _update(self, *_: object) -> None:
        n = self.chosen.count()
        self.add_button.setEnabled(n > 0)
        self.add_button.setText(f"Add {n}" if n else "Add")

    def person_ids(self) -> list[int]:
        return [self.chosen.item(i).data(_ID) for i in range(self.chosen.count())]

    def add_person(self, person_id: int, name: str) -> None:
        if person_id not in self.person_ids():
            item = QListWidgetItem(name, self.chosen)
            item.setData(_ID, person_id)
        self.picker.set_person(None)
        self.picker.set_excluded(self.person_ids())

    def save(self) -> None:
        try:
            self.added = self.services.initiatives.add_participants(
                self.initiative_id, self.person_ids(), self.result.currentData()
            )
        except ServiceError as exc:
            self.error.set_error(str(exc))
            return
        self.accept()
