"""The CSV mapping step: which column of the file goes into which Rapport field.

It opens prefilled with what the import service recognised (Google and Outlook
layouts, or headers it could guess), shows a few sample values per column so the user
can see what a column holds, and saves or loads mappings by name — the lead who
imports the same Meetup export every month maps it once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.services import ServiceError
from crm.services.io.csv_read import TARGET_FIELDS
from crm.ui.context import UiContext
from crm.ui.io.common import plural, show_error
from crm.ui.widgets.labels import heading, muted

# A column with no field of its own is kept in the person's notes, never dropped silently.
UNMAPPED = "extra"
SAMPLES = 3
LAYOUT_NAMES = {"google": "Google Contacts", "outlook": "Outlook", "rapport": "Rapport's own"}


def sample_values(rows: Sequence[Any], index: int, header: str) -> str:
    """The first few non-empty values of one column, whether rows are lists or dicts."""
    seen: list[str] = []
    for row in rows:
        if isinstance(row, Mapping):
            value = row.get(header, "")
        else:
            value = row[index] if index < len(row) else ""
        value = str(value or "").strip()
        if value and value not in seen:
            seen.append(value if len(value) <= 40 else value[:39] + "…")
        if len(seen) >= SAMPLES:
            break
    return "  ·  ".join(seen)


class MappingStep(QWidget):
    """A table of the file's headers, sample values and a field combo for each."""

    edited = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.headers: list[str] = []
        self.user_edited = False
        self._filling = False

        self.title = heading("Match the columns", scale=1.15)
        self.info = muted()
        self.info.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            ["Column in the file", "Sample values", "Rapport field"]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        self.saved = QComboBox()
        self.saved.setMinimumContentsLength(16)
        self.load_button = QPushButton("Load")
        self.load_button.clicked.connect(self.load_selected)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_selected)
        self.save_name = QLineEdit()
        self.save_name.setPlaceholderText("Name, e.g. Meetup members")
        self.save_button = QPushButton("Save mapping")
        self.save_button.clicked.connect(self.save_current)
        self.save_name.returnPressed.connect(self.save_current)
        self.save_name.textChanged.connect(lambda _t: self._update_buttons())

        saved_row = QHBoxLayout()
        saved_row.addWidget(muted("Saved mapping:"))
        saved_row.addWidget(self.saved, 1)
        saved_row.addWidget(self.load_button)
        saved_row.addWidget(self.delete_button)
        saved_row.addSpacing(16)
        saved_row.addWidget(self.save_name, 1)
        saved_row.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(saved_row)

    # ---- filling ---------------------------------------------------------------------
    def set_preview(self, name: str, csv: Any, csv_files: int = 1) -> None:
        """Fill from one file's CsvPreview (headers, sample rows, the guessed mapping)."""
        self.headers = [str(h) for h in csv.headers]
        layout = LAYOUT_NAMES.get(str(csv.layout or ""), str(csv.layout or ""))
        delim = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(
            csv.delimiter, repr(csv.delimiter)
        )
        text = (
            f"{name}: {plural(int(csv.total_rows), 'row')}, {csv.encoding}, {delim}-separated. "
            + (
                f"Recognised as {layout}; check the columns and go on."
                if layout
                else "Layout not recognised: choose a Rapport field for each column to keep."
            )
        )
        if csv_files > 1:
            text += f" The same mapping is used for all {csv_files} CSV files."
        self.info.setText(text)
        self._filling = True
        self.table.setRowCount(len(self.headers))
        for i, header in enumerate(self.headers):
            self.table.setItem(i, 0, QTableWidgetItem(header or f"(column {i + 1})"))
            samples = QTableWidgetItem(sample_values(csv.rows, i, header))
            samples.setForeground(self.palette().placeholderText())
            self.table.setItem(i, 1, samples)
            combo = QComboBox()
            for key, label in TARGET_FIELDS.items():
                combo.addItem(str(label), key)
            combo.currentIndexChanged.connect(self._combo_changed)
            self.table.setCellWidget(i, 2, combo)
        self._filling = False
        self.set_mapping(dict(csv.mapping or {}))
        self.user_edited = False
        self.reload_saved()

    def set_mapping(self, mapping: Mapping[str, str]) -> None:
        self._filling = True
        for i, header in enumerate(self.headers):
            combo = self.combo(i)
            field = mapping.get(header) or UNMAPPED
            if combo.findData(field) < 0:  # e.g. "custom:T-shirt size" in Rapport's layout
                combo.addItem(field.replace("custom:", "Custom field: "), field)
            combo.setCurrentIndex(combo.findData(field))
        self._filling = False

    def combo(self, row: int) -> QComboBox:
        return self.table.cellWidget(row, 2)  # type: ignore[return-value]

    def mapping(self) -> dict[str, str]:
        """header → field for every column ("extra": kept in notes; "ignore": dropped)."""
        return {h: str(self.combo(i).currentData()) for i, h in enumerate(self.headers)}

    def choose(self, header: str, field: str) -> None:
        """Map one column (what a click in the combo does; tests use it)."""
        row = self.headers.index(header)
        combo = self.combo(row)
        combo.setCurrentIndex(combo.findData(field))

    def _combo_changed(self, _i: int) -> None:
        if not self._filling:
            self.user_edited = True
            self.edited.emit()

    # ---- saved mappings --------------------------------------------------------------
    def reload_saved(self) -> None:
        current = self.saved.currentText()
        self.saved.clear()
        try:
            names = list(self.ctx.services.imports.mappings())
        except ServiceError as exc:
            names = []
            show_error(self, "Saved mappings", exc)
        self.saved.addItems(names)
        if current in names:
            self.saved.setCurrentText(current)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.saved.count() > 0
        self.saved.setEnabled(has)
        self.load_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.save_button.setEnabled(bool(self.save_name.text().strip()))

    def load_selected(self) -> None:
        name = self.saved.currentText()
        if not name:
            return
        try:
            columns = self.ctx.services.imports.mapping(name)
        except ServiceError as exc:
            show_error(self, "Load mapping", exc)
            return
        missing = [h for h in columns if h not in self.headers]
        self.set_mapping(columns)
        self.user_edited = True
        self.edited.emit()
        if missing:
            self.info.setText(
                f"Loaded “{name}”. Not in this file: {', '.join(missing[:6])}"
                + ("…" if len(missing) > 6 else "")
            )
        else:
            self.info.setText(f"Loaded the mapping “{name}”.")

    def save_current(self) -> None:
        name = self.save_name.text().strip()
        if not name:
            return
        try:
            self.ctx.services.imports.save_mapping(name, self.mapping())
        except ServiceError as exc:
            show_error(self, "Save mapping", exc)
            return
        self.save_name.clear()
        self.reload_saved()
        self.saved.setCurrentText(name)
        self.info.setText(f"Saved this mapping as “{name}”.")

    def delete_selected(self) -> None:
        name = self.saved.currentText()
        if not name:
            return
        answer = QMessageBox.question(self, "Delete mapping", f"Delete the saved mapping “{name}”?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ctx.services.imports.delete_mapping(name)
        except ServiceError as exc:
            show_error(self, "Delete mapping", exc)
        self.reload_saved()
