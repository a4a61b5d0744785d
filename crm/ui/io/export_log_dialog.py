"""The export log: every partner export, when, to whom, how many people, which fields,
which file and its SHA-256 — what a lead shows when asked "what did you share?"."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.services import ServiceError
from crm.ui.context import UiContext
from crm.ui.io.common import show_error
from crm.ui.widgets.labels import heading, muted

COLUMNS = ("When", "Partner", "People", "Fields", "Format", "File", "SHA-256")


def when_text(value: object, utc: bool = True) -> str:
    """A stored timestamp for people: the database keeps UTC, the user reads local time."""
    if isinstance(value, datetime):
        if utc and value.tzinfo is None:
            value = value.replace(tzinfo=UTC).astimezone()
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value or "")


def _fields(value: object) -> str:
    from crm.ui.io.export_dialog import field_label

    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(field_label(str(v)) for v in value)
    return str(value or "")


class ExportLogDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Export log")
        self.resize(900, 420)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.empty = muted("No partner exports yet.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Export log", scale=1.15))
        layout.addWidget(
            muted("Every partner export: who received which fields of how many people.")
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        try:
            entries = self.ctx.services.exports.export_log(limit=500)
        except ServiceError as exc:
            show_error(self, "Export log", exc)
            entries = []
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            sha = str(e.sha256 or "")
            values = (
                when_text(e.when),
                str(e.community or ""),
                f"{int(e.count):,}",
                _fields(e.fields),
                str(e.format or ""),
                Path(str(e.file)).name if e.file else "",
                sha[:16] + "…" if len(sha) > 16 else sha,
            )
            tips = (None, None, None, None, None, str(e.file or ""), sha)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(tips[c] or value)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, min(self.table.columnWidth(3), 280))
        self.table.setVisible(bool(entries))
        self.empty.setVisible(not entries)
