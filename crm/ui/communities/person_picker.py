"""A line edit that finds people as you type (the search service) and offers them to pick.

Typing is debounced so a fast typist causes one query, not one per key; the completer
shows the service's ranked matches as they are, without filtering them again.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from crm.services import Services

DEBOUNCE_MS = 180
LIMIT = 20
_IdRole = Qt.ItemDataRole.UserRole + 1


class PersonPicker(QLineEdit):
    """Emits person_chosen(id, name) when the user picks a suggestion, then clears itself."""

    person_chosen = Signal(int, str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setPlaceholderText("Type a name, email or organisation…")
        self.setClearButtonEnabled(True)
        self.suggestions = QStandardItemModel(self)
        self._completer = QCompleter(self.suggestions, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setMaxVisibleItems(12)
        self._completer.setWidget(self)
        self._completer.activated[QModelIndex].connect(self._picked)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.update_suggestions)
        self.textEdited.connect(lambda _: self._timer.start())
        self.returnPressed.connect(self._pick_first)

    def update_suggestions(self) -> None:
        ids = self.services.search.person_ids(self.text(), limit=LIMIT)
        names = self.services.people.names(ids)
        self.suggestions.clear()
        for pid in ids:
            if pid not in names:
                continue
            item = QStandardItem(names[pid])
            item.setData(pid, _IdRole)
            item.setEditable(False)
            self.suggestions.appendRow(item)
        if self.suggestions.rowCount() and self.hasFocus():
            self._completer.complete()
        elif not self.suggestions.rowCount():
            self._completer.popup().hide()

    def suggestion_ids(self) -> list[int]:
        return [self.suggestions.item(r).data(_IdRole) for r in range(self.suggestions.rowCount())]

    def pick(self, row: int) -> None:
        item = self.suggestions.item(row)
        if item is not None:
            self._emit(int(item.data(_IdRole)), item.text())

    def _picked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        # The completer hands back an index into its own proxy model; the text and id
        # ride along in its data.
        pid = index.data(_IdRole)
        if pid is not None:
            self._emit(int(pid), str(index.data(Qt.ItemDataRole.DisplayRole)))

    def _pick_first(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.update_suggestions()
        if self.suggestions.rowCount():
            self.pick(0)

    def _emit(self, pid: int, name: str) -> None:
        self.person_chosen.emit(pid, name)
        # Clearing after the completer has written the chosen text into the edit.
        QTimer.singleShot(0, self.clear)
        self.suggestions.clear()
