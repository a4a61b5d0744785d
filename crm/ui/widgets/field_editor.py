"""One editor per custom-field type (text, number, date, choice), in dialogs and in place.

Every editor reads and writes the raw text the field service validates, so the
service stays the single judge of what a valid number or date is.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLineEdit, QWidget

from crm.services.fields import FieldInfo

_EMPTY_DATE = QDate(1752, 9, 14)  # QDateEdit's minimum shown as blank: "no date"


class FieldEditor(QWidget):
    """value() -> str; set_value(str); committed is emitted when the user is done editing."""

    committed = Signal()

    def __init__(self, info: FieldInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._line: QLineEdit | None = None
        self._combo: QComboBox | None = None
        self._date: QDateEdit | None = None
        if info.type == "choice":
            self._combo = QComboBox(self)
            self._combo.addItem("—", "")
            for choice in info.choices:
                self._combo.addItem(choice, choice)
            self._combo.activated.connect(lambda _i: self.committed.emit())
            layout.addWidget(self._combo)
        elif info.type == "date":
            self._date = QDateEdit(self)
            self._date.setCalendarPopup(True)
            self._date.setDisplayFormat("yyyy-MM-dd")
            self._date.setMinimumDate(_EMPTY_DATE)
            self._date.setSpecialValueText("—")
            self._date.setDate(_EMPTY_DATE)
            self._date.editingFinished.connect(self.committed.emit)
            layout.addWidget(self._date)
        else:
            self._line = QLineEdit(self)
            if info.type == "number":
                self._line.setPlaceholderText("a number")
            self._line.editingFinished.connect(self.committed.emit)
            layout.addWidget(self._line)

    def editor(self) -> QWidget:
        return self._combo or self._date or self._line  # type: ignore[return-value]

    def value(self) -> str:
        if self._combo is not None:
            return str(self._combo.currentData() or self._combo.currentText())
        if self._date is not None:
            day = self._date.date()
            return "" if day == _EMPTY_DATE else day.toString("yyyy-MM-dd")
        assert self._line is not None
        return self._line.text()

    def set_value(self, raw: str) -> None:
        if self._combo is not None:
            i = self._combo.findData(raw)
            if i < 0 and raw:
                self._combo.addItem(raw, raw)
                i = self._combo.count() - 1
            self._combo.setCurrentIndex(max(i, 0))
        elif self._date is not None:
            day = QDate.fromString(raw, "yyyy-MM-dd") if raw else _EMPTY_DATE
            self._date.setDate(day if day.isValid() else _EMPTY_DATE)
        else:
            assert self._line is not None
            self._line.setText(raw)
