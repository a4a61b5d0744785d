"""The Goals page: goals with a progress bar each, filterable, beside where one stands.

Progress is measured by the service each time rows are read, so the page always shows
the data as it is; any write (people, interactions, events, feedback …) refreshes it.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm.models.goals import GOAL_METRICS
from crm.services import Changes, ServiceError
from crm.ui.communities.selection import selected_rows
from crm.ui.context import UiContext
from crm.ui.goals.detail import GoalDetailPanel
from crm.ui.goals.dialog import GoalDialog
from crm.ui.goals.table_model import PROGRESS_COLUMN, GoalTableModel, ProgressDelegate
from crm.ui.undo import CallbackCommand
from crm.ui.widgets.labels import heading, muted

WHEN = (
    ("All goals", "all"),
    ("Running now", "current"),
    ("Upcoming", "upcoming"),
    ("Past", "past"),
)
# Writes anywhere that move a metric: the page re-measures when one of these changes.
MEASURED_AREAS = (
    "goals",
    "people",
    "interactions",
    "trash",
    "events",
    "outreach",
    "feedback",
    "advocacy",
)


class GoalsPage(QWidget):
    title = "Goals"
    LINK_KIND = "goal"
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: GoalDialog | None = None
        self.heading = heading(self.title, self, scale=1.35)
        self.count = muted("", self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search goals…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.metric_filter = QComboBox(self)
        self.metric_filter.addItem("All metrics", None)
        for m in GOAL_METRICS:
            self.metric_filter.addItem(m.capitalize(), m)
        self.when_filter = QComboBox(self)
        for text, key in WHEN:
            self.when_filter.addItem(text, key)
        self.new_button = QPushButton("New goal", self)
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("New goal (Ctrl+Shift+N)")
        self.new_button.clicked.connect(self.new_goal)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.heading)
        bar.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        bar.addStretch(1)
        for w in (self.search, self.metric_filter, self.when_filter, self.new_button):
            bar.addWidget(w)

        self.model = GoalTableModel(ctx.services, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(PROGRESS_COLUMN, ProgressDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for col, width in enumerate((230, 200, 170, 85, 75, 75, 110)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.edit_action = QAction("Edit…", self)
        self.edit_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence("F2")])
        self.edit_action.triggered.connect(self.edit_current)
        self.delete_action = QAction("Delete", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_current)
        for act in (self.edit_action, self.delete_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(act)
        self.new_action = QAction("New goal…", self)
        self.new_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.triggered.connect(self.new_goal)
        self.addAction(self.new_action)

        self.detail = GoalDetailPanel(ctx.services, self)
        self.detail.edit_requested.connect(self._open_dialog)
        self.detail.delete_requested.connect(self.delete_goal)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([780, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.metric_filter.currentIndexChanged.connect(lambda _: self.apply_filter())
        self.when_filter.currentIndexChanged.connect(lambda _: self.apply_filter())
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.model.reload()
        ctx.bus.changed.connect(self._on_changed)
        self._update_count()
        self._selection_changed()

    # ---- the page interface ---------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        current = self.detail.goal_id
        self.model.reload()
        self._select(current)
        self._update_count()

    def show_item(self, goal_id: int) -> None:
        if self.model.row_of(goal_id) < 0:
            for w in (self.metric_filter, self.when_filter, self.search):
                w.blockSignals(True)
            self.metric_filter.setCurrentIndex(0)
            self.when_filter.setCurrentIndex(0)
            self.search.clear()
            for w in (self.metric_filter, self.when_filter, self.search):
                w.blockSignals(False)
            self.apply_filter()
        self._select(goal_id)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        current = self.detail.goal_id
        self.model.set_filter(
            self.search.text().strip(),
            self.metric_filter.currentData(),
            self.when_filter.currentData(),
        )
        self._select(current)
        self._update_count()

    def _update_count(self) -> None:
        total, shown = self.ctx.services.goals.count(), self.model.rowCount()
        self.count.setText(f"{shown:,} of {total:,}" if shown != total else f"{total:,}")

    def selected_id(self) -> int | None:
        rows = selected_rows(self.table)
        return self.model.id_at(rows[0]) if rows else None

    def _select(self, goal_id: int | None) -> None:
        row = self.model.row_of(goal_id) if goal_id is not None else -1
        if row < 0:
            self.table.selectionModel().clearSelection()
            self.detail.show_goal(None)
            return
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0), flags.ClearAndSelect | flags.Rows
        )
        self.detail.show_goal(goal_id)

    def _selection_changed(self, *_: object) -> None:
        gid = self.selected_id()
        self.edit_action.setEnabled(gid is not None)
        self.delete_action.setEnabled(gid is not None)
        self.detail.show_goal(gid)

    # ---- actions --------------------------------------------------------------------
    def new_goal(self) -> GoalDialog:
        return self._open_dialog(None)

    def edit_current(self) -> GoalDialog | None:
        gid = self.selected_id()
        return self._open_dialog(gid) if gid is not None else None

    def _open_dialog(self, goal_id: int | None) -> GoalDialog:
        dlg = GoalDialog(self.ctx.services, goal_id, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._saved(dlg.goal_id, goal_id is None))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _saved(self, goal_id: int | None, created: bool) -> None:
        if goal_id is not None:
            self.show_item(goal_id)
            if created:
                self.message.emit("Goal created.")

    def delete_current(self) -> None:
        if (gid := self.selected_id()) is not None:
            self.delete_goal(gid)

    def delete_goal(self, goal_id: int) -> None:
        """Delete a goal; nothing else goes with it, and Ctrl+Z brings it back."""
        goals = self.ctx.services.goals
        gone: list = []

        def do() -> None:
            gone[:] = [goals.delete(goal_id)]

        def undo() -> None:
            goals.restore(gone[0])

        try:
            self.ctx.undo.push(CallbackCommand("Delete goal", do, undo))
        except ServiceError as exc:
            QMessageBox.warning(self, "Goals", str(exc))
            return
        self.message.emit("Goal deleted — Ctrl+Z brings it back.")

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(*MEASURED_AREAS):
            self.refresh()
