"""Tags typed as a comma-separated list, completing the word being typed from known tags."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget


class _ListCompleter(QCompleter):
    """Completes only the part after the last comma and keeps what came before it."""

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex) -> str:
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        head = typed.rsplit(",", 1)[0].strip() + ", " if "," in typed else ""
        return f"{head}{index.data()}"


class TagEdit(QLineEdit):
    def __init__(self, known: Iterable[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("tag, another tag")
        self._model = QStringListModel(sorted(set(known), key=str.lower), self)
        completer = _ListCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self.setCompleter(completer)

    def set_known(self, names: Iterable[str]) -> None:
        self._model.setStringList(sorted(set(names), key=str.lower))

    def tags(self) -> list[str]:
        return list(dict.fromkeys(t.strip() for t in self.text().split(",") if t.strip()))

    def set_tags(self, tags: Iterable[str]) -> None:
        self.setText(", ".join(tags))
