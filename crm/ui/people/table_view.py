"""The People table view: row selection by id, an empty-state message, saved columns.

Selections are read and written as ranges of rows mapped to ids, never as lists of
QModelIndex, so selecting all 100,000 people stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from crm.ui.people.table_model import PeopleTableModel
from crm.ui.widgets.labels import muted

_WIDTHS = {"name": 200, "roles": 150, "organisation": 170, "communities": 170, "tags": 170}


class PeopleTableView(QTableView):
    enter_pressed = Signal()

    def __init__(self, model: PeopleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people = model
        self.setObjectName("peopleTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        vh = self.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 12)
        hh = self.horizontalHeader()
        hh.setHighlightSections(False)
        # The header paints each section asking "is this whole column selected?", which
        # walks every row once everything is selected (Ctrl+A at 100,000 rows: seconds).
        # Columns cannot be selected here (rows only), so give it a selection of its own.
        self._header_selection = QItemSelectionModel(model, self)
        hh.setSelectionModel(self._header_selection)
        hh.setSectionsMovable(True)
        hh.setStretchLastSection(True)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        hh.setSortIndicator(model.sort_column(), Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.enter_pressed)
        self.empty_label = muted("", self.viewport())
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.viewport().installEventFilter(self)
        self.default_widths()

    # ---- selection by id -------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        ids = self.people.ids
        out: list[int] = []
        for r in self.selectionModel().selection():
            out.extend(ids[r.top() : r.bottom() + 1])
        return list(dict.fromkeys(out))

    def current_id(self) -> int | None:
        index = self.selectionModel().currentIndex()
        return self.people.id_at(index.row()) if index.isValid() else None

    def current_is_selected(self) -> bool:
        index = self.selectionModel().currentIndex()
        return index.isValid() and self.selectionModel().isRowSelected(index.row())

    def select_ids(self, ids: Sequence[int], current: int | None = None) -> None:
        """Select these ids (as row ranges) and make `current` the current row."""
        where = {pid: row for row, pid in enumerate(self.people.ids)} if ids else {}
        rows = sorted(where[i] for i in ids if i in where)
        selection = QItemSelection()
        last = self.people.columnCount() - 1
        start = prev = None
        for row in [*rows, None]:
            if row is not None and prev is not None and row == prev + 1:
                prev = row
                continue
            if start is not None and prev is not None:
                selection.select(self.people.index(start, 0), self.people.index(prev, last))
            start = prev = row
        sm = self.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        sm.select(selection, flags.ClearAndSelect | flags.Rows)
        row = where[current] if current in where else (rows[0] if rows else None)
        if row is not None:
            sm.setCurrentIndex(self.people.index(row, 0), flags.NoUpdate)

    # ---- look ------------------------------------------------------------------------
    def set_empty_text(self, text: str) -> None:
        self.empty_label.setText(text)
        self.empty_label.setVisible(bool(text))

    def default_widths(self, keep: int = 0) -> None:
        """Sensible widths for every column from `keep` on (earlier ones are the user's)."""
        hh = self.horizontalHeader()
        for i, column in enumerate(self.people.columns):
            if i >= keep:
                hh.resizeSection(i, _WIDTHS.get(column.sort_key or "", 120))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_label.setGeometry(self.viewport().rect().adjusted(20, 0, -20, 0))
        return super().eventFilter(watched, event)

    # ---- columns, remembered ----------------------------------------------------------
    def columns_changed(self, old_keys: list[str], state: QByteArray) -> None:
        """After custom fields changed: keep the user's layout if the old columns stayed."""
        if self.people.column_keys()[: len(old_keys)] == old_keys:
            self.horizontalHeader().restoreState(state)
            self.default_widths(keep=len(old_keys))
        else:
            self.default_widths()
        order = (
            Qt.SortOrder.DescendingOrder if self.people.descending else Qt.SortOrder.AscendingOrder
        )
        self.horizontalHeader().setSortIndicator(self.people.sort_column(), order)

    def save_header(self, settings: QSettings, key: str) -> None:
        settings.setValue(key, self.horizontalHeader().saveState())
        settings.setValue(f"{key}_keys", ",".join(self.people.column_keys()))

    def restore_header(self, settings: QSettings, key: str) -> None:
        """Restore widths, order and sort, if the columns are still those saved."""
        state = settings.value(key)
        if not isinstance(state, QByteArray | bytes):
            return
        if settings.value(f"{key}_keys") != ",".join(self.people.column_keys()):
            return
        hh = self.horizontalHeader()
        hh.restoreState(QByteArray(state))
        self.people.sort(hh.sortIndicatorSection(), hh.sortIndicatorOrder())
