"""The plain steps of the import wizard: the files, the preview, and the result.

The mapping step (mapping_page.py) and the duplicate decisions (decisions_step.py)
have modules of their own; the wizard (import_wizard.py) moves between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.ui.io.common import first, person_name, plural
from crm.ui.widgets.labels import ERROR_COLOUR, heading, muted, section_title

FORMATS = (("Recognise automatically", "auto"), ("vCard (.vcf)", "vcard"), ("CSV", "csv"))
FILE_FILTER = (
    "Contact files (*.vcf *.vcard *.csv *.txt *.ics);;vCard (*.vcf *.vcard);;CSV (*.csv);;"
    "Calendar replies (*.ics);;All files (*)"
)


def rejected_lines(rejected: Iterable[Any]) -> list[tuple[str, int, str]]:
    """(file, line, reason) from what the service reports: (file, Rejected) or Rejected."""
    out: list[tuple[str, int, str]] = []
    for item in rejected:
        if isinstance(item, tuple) and len(item) == 2:
            file, rej = item
        else:
            file, rej = "", item
        line = int(getattr(rej, "line", 0) or 0)
        reason = str(getattr(rej, "reason", rej))
        out.append((Path(str(file)).name if file else "", line, reason))
    return out


def rejected_text(rejected: Iterable[Any]) -> str:
    return "\n".join(
        f"{file + ', ' if file else ''}line {line}: {reason}"
        for file, line, reason in rejected_lines(rejected)
    )


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[object]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setToolTip(item.text())
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for c in range(table.columnCount() - 1):
        table.setColumnWidth(c, min(table.columnWidth(c), 260))


class FilesStep(QWidget):
    """Which files to read, and how (automatic, vCard, CSV)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)  # the reason a file cannot be imported is long
        self.list.itemSelectionChanged.connect(self._update)
        self.add_button = QPushButton("Add files…")
        self.add_button.clicked.connect(self.browse)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.format = QComboBox()
        for label, key in FORMATS:
            self.format.addItem(label, key)
        self.hint = muted(
            "vCard 2.1, 3.0 and 4.0 (phones, Google, Apple, Outlook, Thunderbird) and CSV "
            "(Google Contacts, Outlook, or any spreadsheet through a column mapping). "
            "Calendar replies (.ics) to invitations update their RSVPs instead. "
            "You can also drop files on the main window."
        )
        self.hint.setWordWrap(True)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        files = QHBoxLayout()
        files.addWidget(self.list, 1)
        files.addLayout(buttons)
        fmt = QHBoxLayout()
        fmt.addWidget(QLabel("Format:"))
        fmt.addWidget(self.format)
        fmt.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("Choose the files", scale=1.15))
        layout.addWidget(self.hint)
        layout.addLayout(files, 1)
        layout.addLayout(fmt)
        self._update()

    def paths(self) -> list[Path]:
        return [
            Path(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
        ]

    def format_key(self) -> str:
        return str(self.format.currentData())

    def add_paths(self, paths: Iterable[str | Path]) -> None:
        have = {str(p) for p in self.paths()}
        for p in paths:
            path = Path(p)
            if str(path) in have:
                continue
            have.add(str(path))
            self.list.addItem(path.name)
            item = self.list.item(self.list.count() - 1)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
        self._update()

    def keep_only(self, paths: Iterable[Path]) -> None:
        """Take every file but these off the list (the calendar files go elsewhere)."""
        keep = {str(p) for p in paths}
        for i in reversed(range(self.list.count())):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) not in keep:
                self.list.takeItem(i)
        self._update()

    def mark_unreadable(self, unreadable: dict[Path, str]) -> None:
        """Flag the files that cannot be imported, with why, in the list."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            path = Path(item.data(Qt.ItemDataRole.UserRole))
            why = unreadable.get(path)
            reason = why.removeprefix(f"{path.name}: ") if why else ""
            item.setText(f"{path.name}  —  cannot be imported: {reason}" if why else path.name)
            item.setToolTip(why or str(path))
            item.setForeground(QColor(ERROR_COLOUR) if why else self.list.palette().text())

    def browse(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import contacts", "", FILE_FILTER)
        self.add_paths(paths)

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
        self.changed.emit()


class PreviewStep(QWidget):
    """The first records as they will be imported, and the records that cannot be."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = muted()
        self.summary.setWordWrap(True)
        self.records = _table(
            ["File", "Line", "Name", "Email", "Phone", "Organisation", "Tags", "Also kept"]
        )
        self.rejected = _table(["File", "Line", "Why it cannot be imported"])
        self.rejected_title = section_title("Cannot be imported")
        lower = QWidget()
        lv = QVBoxLayout(lower)
        lv.setContentsMargins(0, 6, 0, 0)
        lv.addWidget(self.rejected_title)
        lv.addWidget(self.rejected)
        upper = QWidget()
        uv = QVBoxLayout(upper)
        uv.setContentsMargins(0, 0, 0, 0)
        uv.addWidget(section_title("First records"))
        uv.addWidget(self.records)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("Preview", scale=1.15))
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    def set_previews(self, previews: Sequence[Any]) -> None:
        rows: list[list[object]] = []
        rejected: list[tuple[str, Any]] = []
        total = 0
        for pv in previews:
            total += int(pv.total)
            for rec in pv.sample:
                p = rec.person
                extra = [label for label, _v in rec.extra] + list(rec.warnings)
                rows.append(
                    [
                        pv.name,
                        rec.line,
                        person_name(p),
                        first(p.emails, "address"),
                        first(p.phones, "number"),
                        p.organisation,
                        ", ".join(p.tags),
                        ", ".join(extra),
                    ]
                )
            rejected += [(pv.name, r) for r in pv.rejected]
        _fill(self.records, rows)
        _fill(self.rejected, rejected_lines(rejected))
        if len(previews) <= 3:
            formats = ", ".join(f"{pv.name} ({pv.format})" for pv in previews)
        else:
            kinds = ", ".join(sorted({str(pv.format) for pv in previews}))
            formats = f"{len(previews)} files ({kinds})"
        self.summary.setText(
            f"{formats}: {plural(total, 'record')} to import"
            + (f", {plural(len(rejected), 'record')} cannot be imported" if rejected else "")
            + (f". Showing the first {len(rows)}." if rows and len(rows) < total else ".")
        )
        self.rejected_title.setText(f"CANNOT BE IMPORTED ({len(rejected)})")
        self.rejected.setVisible(bool(rejected))


class ResultStep(QWidget):
    """What the import did: numbers, and every rejected record, copyable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.numbers: dict[str, QLabel] = {}
        grid = QGridLayout()
        for col, key in enumerate(("added", "merged", "skipped", "rejected")):
            value = heading("0", scale=1.8)
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setObjectName(f"result_{key}")
            caption = muted(key.capitalize())
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(value, 0, col)
            grid.addWidget(caption, 1, col)
            self.numbers[key] = value
        self.summary = muted()
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Every record was imported.")
        self.copy_button = QPushButton("Copy report")
        self.copy_button.clicked.connect(self.copy)
        copy_row = QHBoxLayout()
        copy_row.addWidget(section_title("Not imported"))
        copy_row.addStretch(1)
        copy_row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("Import finished", scale=1.15))
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addWidget(self.summary)
        layout.addLayout(copy_row)
        layout.addWidget(self.details, 1)

    def set_report(self, report: Any, plan_rejected: Sequence[Any] = ()) -> None:
        reasons = report.rejected if not isinstance(report.rejected, int) else plan_rejected
        rejected = report.rejected if isinstance(report.rejected, int) else len(reasons)
        counts = {
            "added": int(report.added),
            "merged": int(report.merged),
            "skipped": int(report.skipped),
            "rejected": int(rejected),
        }
        for key, n in counts.items():
            self.numbers[key].setText(f"{n:,}")
        self.summary.setText(
            f"{plural(counts['added'], 'person', 'people')} added, "
            f"{plural(counts['merged'], 'person', 'people')} merged into existing ones, "
            f"{counts['skipped']:,} skipped, {counts['rejected']:,} could not be read."
        )
        self.details.setPlainText(rejected_text(reasons))

    def text(self) -> str:
        return self.summary.text() + (
            "\n\n" + self.details.toPlainText() if self.details.toPlainText() else ""
        )

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
