"""Choosing people by typing: a line edit whose completions come from the search service.

The completer's model is refilled on each keystroke with the best few FTS matches
(never the whole table), so picking stays instant with 100,000 people.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QToolButton, QVBoxLayout, QWidget

from crm.services import Services
from crm.ui.widgets.chips import FlowLayout

ID_ROLE = Qt.ItemDataRole.UserRole + 1
# The text the completer writes into the line edit: the bare name, not the label.
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
MAX_SUGGESTIONS = 12


class PersonPicker(QLineEdit):
    """Type a name, pick a suggestion. person_id() is None until a person is picked."""

    person_chosen = Signal(int, str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._person: tuple[int, str] | None = None
        self._exclude: set[int] = set()
        self.setPlaceholderText("Type a name…")
        self.setClearButtonEnabled(True)
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setMaxVisibleItems(MAX_SUGGESTIONS)
        self._completer.setCompletionRole(NAME_ROLE)
        self.setCompleter(self._completer)
        self._completer.activated[QModelIndex].connect(self._picked)
        self.textEdited.connect(self._suggest)

    # ---- public --------------------------------------------------------------------
    def person_id(self) -> int | None:
        return self._person[0] if self._person else None

    def set_person(self, person_id: int | None, name: str = "") -> None:
        if person_id is None:
            self._person = None
            self.clear()
            return
        if not name:
            name = self._services.people.names([person_id]).get(person_id, f"#{person_id}")
        self._person = (person_id, name)
        self.setText(name)

    def set_excluded(self, ids: Iterable[int]) -> None:
        self._exclude = set(ids)

    def suggestions(self) -> list[tuple[int, str]]:
        """What the popup offers now (for tests and keyboard users alike)."""
        return [
            (self._model.item(i).data(ID_ROLE), self._model.item(i).text())
            for i in range(self._model.rowCount())
        ]

    def choose(self, person_id: int) -> None:
        """Pick a suggestion by id, as a click in the popup would."""
        for row in range(self._model.rowCount()):
            item = self._model.item(row)
            if item.data(ID_ROLE) == person_id:
                self._picked(self._model.indexFromItem(item))
                return
        raise KeyError(person_id)

    # ---- internals -----------------------------------------------------------------
    def _suggest(self, text: str) -> None:
        self._person = None
        ids = [
            i
            for i in self._services.search.person_ids(text, limit=MAX_SUGGESTIONS + 5)
            if i not in self._exclude
        ][:MAX_SUGGESTIONS]
        rows = self._services.people.rows(ids) if ids else []
        self._model.clear()
        for row in rows:
            label = f"{row.name} — {row.organisation}" if row.organisation else row.name
            item = QStandardItem(label)
            item.setData(row.id, ID_ROLE)
            item.setData(row.name, NAME_ROLE)
            self._model.appendRow(item)
        if rows:
            self._completer.complete()

    def _picked(self, index: QModelIndex) -> None:
        pid = index.data(ID_ROLE)
        if pid is None:
            return
        name = str(index.data(NAME_ROLE) or "")
        self._person = (int(pid), name)
        self.setText(name)
        self.person_chosen.emit(int(pid), name)


class PeoplePicker(QWidget):
    """Several people: a picker, and the chosen ones as removable chips below it."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._chosen: dict[int, str] = {}
        self.picker = PersonPicker(services, self)
        self.picker.setPlaceholderText("Add a person: type a name…")
        self.picker.person_chosen.connect(self._add)
        self._chips = QWidget(self)
        self._flow = FlowLayout(self._chips)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.picker)
        layout.addWidget(self._chips)

    def ids(self) -> list[int]:
        return list(self._chosen)

    def set_people(self, people: Iterable[tuple[int, str]]) -> None:
        self._chosen = dict(people)
        self._rebuild()

    def add_person(self, person_id: int, name: str = "") -> None:
        self._add(person_id, name or self._services.people.names([person_id]).get(person_id, ""))

    def _add(self, person_id: int, name: str) -> None:
        self._chosen[person_id] = name
        self.picker.set_person(None)
        self._rebuild()

    def _remove(self, person_id: int) -> None:
        self._chosen.pop(person_id, None)
        self._rebuild()

    def _rebuild(self) -> None:
        while (item := self._flow.takeAt(0)) is not None:
            if (w := item.widget()) is not None:
                w.deleteLater()
        for pid, name in self._chosen.items():
            button = QToolButton(self._chips)
            button.setText(f"{name}  ✕")
            button.setToolTip(f"Remove {name}")
            button.setObjectName("chipButton")
            button.clicked.connect(lambda _=False, p=pid: self._remove(p))
            self._flow.addWidget(button)
        self.picker.set_excluded(self._chosen)
        self._chips.updateGeometry()
        self.changed.emit()
