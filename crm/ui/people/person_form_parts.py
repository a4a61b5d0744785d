"""Repeating parts of the person dialog: emails, phones, handles and the consents grid.

Rows keep their position even when left empty, because the service reports errors by
position ("emails[1]") and the message must land under the row the user typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm.models import CONSENT_KINDS
from crm.services.people_data import ConsentData
from crm.ui.widgets.labels import ErrorLabel


@dataclass(frozen=True)
class RowKind:
    """What one kind of row looks like: placeholder of the main field and the choices."""

    placeholder: str
    choices: tuple[str, ...]
    choice_first: bool  # handles put the network before the handle
    add_text: str


EMAIL = RowKind("name@example.org", ("work", "home", "other"), False, "Add email")
PHONE = RowKind("+44 20 7946 0958", ("mobile", "work", "home"), False, "Add phone")
HANDLE = RowKind(
    "@handle",
    ("x", "mastodon", "bluesky", "linkedin", "github", "discord", "youtube", "slack"),
    True,
    "Add handle",
)


class ContactRow(QWidget):
    def __init__(self, kind: RowKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main = QLineEdit(self)
        self.main.setPlaceholderText(kind.placeholder)
        self.choice = QComboBox(self)
        self.choice.setEditable(True)
        self.choice.addItems(list(kind.choices))
        self.choice.setMinimumContentsLength(9)
        self.remove = QToolButton(self)
        self.remove.setText("✕")
        self.remove.setToolTip("Remove")
        self.error = ErrorLabel(self)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        if kind.choice_first:
            line.addWidget(self.choice)
            line.addWidget(self.main, 1)
        else:
            line.addWidget(self.main, 1)
            line.addWidget(self.choice)
        line.addWidget(self.remove)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(line)
        box.addWidget(self.error)

    def value(self) -> tuple[str, str]:
        return self.main.text(), self.choice.currentText()

    def set_value(self, main: str, choice: str) -> None:
        self.main.setText(main)
        self.choice.setCurrentText(choice)


class ContactRows(QWidget):
    """A growing list of ContactRow; values() keeps blanks so positions match errors."""

    def __init__(self, kind: RowKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.rows: list[ContactRow] = []
        self._list = QVBoxLayout()
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.setSpacing(6)
        add = QPushButton(kind.add_text, self)
        add.setObjectName("linkButton")
        add.clicked.connect(lambda: self.add_row().main.setFocus())
        self.add_button = add
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._list)
        bottom = QHBoxLayout()
        bottom.addWidget(add)
        bottom.addStretch(1)
        layout.addLayout(bottom)

    def add_row(self, main: str = "", choice: str | None = None) -> ContactRow:
        row = ContactRow(self.kind, self)
        row.set_value(main, self.kind.choices[0] if choice is None else choice)
        row.remove.clicked.connect(lambda: self._remove(row))
        self.rows.append(row)
        self._list.addWidget(row)
        return row

    def _remove(self, row: ContactRow) -> None:
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()

    def set_values(self, values: Sequence[tuple[str, str]]) -> None:
        for row in list(self.rows):
            self._remove(row)
        for main, choice in values:
            self.add_row(main, choice)
        if not self.rows:
            self.add_row()

    def values(self) -> list[tuple[str, str]]:
        return [r.value() for r in self.rows]

    def clear_errors(self) -> None:
        for r in self.rows:
            r.error.set_error(None)

    def set_error(self, index: int, message: str) -> bool:
        if 0 <= index < len(self.rows):
            self.rows[index].error.set_error(message)
            return True
        return False


_STATES = ("Not recorded", "Granted", "Withdrawn")


class ConsentEditor(QWidget):
    """Partner sharing, newsletter, photos: granted or withdrawn, when, and how we know."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        for col, title in enumerate(("Consent", "Status", "Recorded on", "Source")):
            label = QLabel(f"<b>{title}</b>")
            grid.addWidget(label, 0, col)
        self.rows: dict[str, tuple[QComboBox, QDateEdit, QLineEdit]] = {}
        for r, kind in enumerate(CONSENT_KINDS, start=1):
            state = QComboBox(self)
            state.addItems(list(_STATES))
            when = QDateEdit(QDate.currentDate(), self)
            when.setCalendarPopup(True)
            when.setDisplayFormat("yyyy-MM-dd")
            source = QLineEdit(self)
            source.setPlaceholderText("e.g. signup form, email of 3 May")
            state.currentIndexChanged.connect(
                lambda i, w=when, s=source: (w.setEnabled(i > 0), s.setEnabled(i > 0))
            )
            when.setEnabled(False)
            source.setEnabled(False)
            grid.addWidget(QLabel(kind.capitalize()), r, 0)
            grid.addWidget(state, r, 1)
            grid.addWidget(when, r, 2)
            grid.addWidget(source, r, 3)
            self.rows[kind] = (state, when, source)
        grid.setColumnStretch(3, 1)
        self.error = ErrorLabel(self)
        grid.addWidget(self.error, len(CONSENT_KINDS) + 1, 0, 1, 4)

    def set_consents(self, consents: Sequence[ConsentData]) -> None:
        for state, when, source in self.rows.values():
            state.setCurrentIndex(0)
            when.setDate(QDate.currentDate())
            source.clear()
        for c in consents:
            if c.kind in self.rows:
                state, when, source = self.rows[c.kind]
                state.setCurrentIndex(1 if c.granted else 2)
                when.setDate(QDate(c.recorded_on))
                source.setText(c.source)

    def consents(self) -> tuple[ConsentData, ...]:
        out = []
        for kind, (state, when, source) in self.rows.items():
            if state.currentIndex() == 0:
                continue
            day: date = when.date().toPython()
            out.append(ConsentData(kind, state.currentIndex() == 1, day, source.text().strip()))
        return tuple(out)
