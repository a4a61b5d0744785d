"""The Goals page: goals with a progress bar each, filterable, beside where one stands.

The rows are painted first, from the goals as written; their progress is measured on
tasks (crm/ui/tasks.py), one per group of goals sharing a measurement, and the bars
fill as each group arrives — a metric can take tens of milliseconds at 100,000 people.
Any write that moves a metric (people, interactions, events, feedback …) re-measures
the shown goals; the bars keep their values until the new ones arrive, so nothing
flickers. A page out of sight only notes that it is stale and re-measures when shown.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPaintEvent, QShowEvent
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

from crm.models import utcnow
from crm.models.goals import GOAL_METRICS
from crm.services import Changes, ServiceError
from crm.services.goals import GoalInfo
from crm.services.goals_progress import Progress, measure_key
from crm.ui.communities.selection import selected_rows
from crm.ui.context import UiContext
from crm.ui.goals.detail import GoalDetailPanel
from crm.ui.goals.dialog import GoalDialog
from crm.ui.goals.table_model import PROGRESS_COLUMN, GoalTableModel, ProgressDelegate, metric_text
from crm.ui.tasks import TaskControl, TaskHandle
from crm.ui.undo import CallbackCommand
from crm.ui.widgets.empty_hint import EmptyHint
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
        self._measuring: list[TaskHandle] = []
        self._round = 0  # each measuring round's number; older results never win
        self._applied: dict[int, int] = {}  # goal id → round of the progress shown
        self._stale = True  # measured when first shown
        self._painted = False  # since last shown
        self.heading = heading(self.title, self, scale=1.35)
        self.count = muted("", self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search goals…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.metric_filter = QComboBox(self)
        self.metric_filter.addItem("All metrics", None)
        for m in GOAL_METRICS:
            self.metric_filter.addItem(metric_text(m), m)
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
        self.table.setWordWrap(False)
        # Fits beside the detail at the default window size; Deadline takes the rest.
        for col, width in enumerate((190, 170, 150, 80, 64, 64, 100)):
            self.table.setColumnWidth(col, width)
        self.empty_hint = EmptyHint(self.table)
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
        self.splitter.setSizes([840, 330])
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
        self._select_rows(current)
        self._update_count()
        self.measure()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._painted = False

    def paintEvent(self, event: QPaintEvent) -> None:
        """Measure what went stale out of sight once the rows are painted: tasks
        started sooner compete with the first paint for the GIL and the cores (the
        table calls into Python for every cell)."""
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            if self._stale:
                QTimer.singleShot(0, self._measure_if_stale)

    def _measure_if_stale(self) -> None:
        if self._stale:
            self.measure()

    # ---- progress, measured on tasks ------------------------------------------------
    def measure(self, only_missing: bool = False) -> None:
        """Measure the shown goals on tasks (all of them, or those without progress yet).

        Goals that share a measurement go in one task, in the table's order, so the
        top rows fill first. A round cancels the tasks of the one before it that have
        not started; a result from an older round never replaces a newer one.
        """
        if not self.isVisible():
            self._stale = True
            return
        if not only_missing:
            self._stale = False
            for handle in self._measuring:
                handle.cancel()
            self._measuring = []
            shown = set(self.model.ids)
            for gid in [g for g in self.model.progress if g not in shown]:
                del self.model.progress[gid]  # measured before a change: measure again
        ids = [i for i in self.model.ids if not (only_missing and i in self.model.progress)]
        if not ids:
            return
        self._round += 1
        round_no, goals = self._round, self.ctx.services.goals
        groups: dict[tuple[object, ...], list[GoalInfo]] = {}
        for g in goals.infos(ids):
            groups.setdefault(measure_key(g.metric, g.starts_on, g.deadline), []).append(g)
        now, today = utcnow(), date.today()

        for group in groups.values():

            def work(
                control: TaskControl, group: list[GoalInfo] = group
            ) -> dict[int, Progress] | None:
                if control.cancelled:
                    return None
                return goals.measure(group, now=now, today=today)

            self._measuring.append(
                self.ctx.tasks.run(
                    work,
                    on_done=lambda got, n=round_no: self._measured(n, got),
                    on_error=self._measure_failed,
                )
            )

    def _measured(self, round_no: int, got: dict[int, Progress] | None) -> None:
        if not got:
            return
        fresh = {i: p for i, p in got.items() if self._applied.get(i, 0) <= round_no}
        for gid in fresh:
            self._applied[gid] = round_no
        self.model.set_progress(fresh)
        gid = self.detail.goal_id
        if gid in fresh:
            self.detail.set_progress(fresh[gid])

    def _measure_failed(self, exc: BaseException) -> None:
        # The bars keep what they showed; the next change or F5 measures again.
        self.message.emit(f"Could not measure the goals' progress: {exc}")

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
        self._select_rows(goal_id)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        current = self.detail.goal_id
        self.model.set_filter(
            self.search.text().strip(),
            self.metric_filter.currentData(),
            self.when_filter.currentData(),
        )
        self._select_rows(current)
        self._update_count()
        self.measure(only_missing=True)

    def _update_count(self) -> None:
        total, shown = self.ctx.services.goals.count(), self.model.rowCount()
        self.count.setText(f"{shown:,} of {total:,}" if shown != total else f"{total:,}")
        if not total:
            hint = (
                "No goals yet. Set the first — a metric, a target and a deadline — "
                "with New goal (Ctrl+Shift+N)."
            )
        elif not shown:
            hint = "No goals match. Try fewer words or clear the filters."
        else:
            hint = ""
        self.empty_hint.set_text(hint)

    def selected_id(self) -> int | None:
        rows = selected_rows(self.table)
        return self.model.id_at(rows[0]) if rows else None

    def _select_rows(self, goal_id: int | None) -> None:
        row = self.model.row_of(goal_id) if goal_id is not None else -1
        if row < 0:
            self.table.selectionModel().clearSelection()
            self.detail.show_goal(None)
            return
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0), flags.ClearAndSelect | flags.Rows
        )
        self.detail.show_goal(goal_id, self.model.progress_of(goal_id))

    def _selection_changed(self, *_: object) -> None:
        gid = self.selected_id()
        self.edit_action.setEnabled(gid is not None)
        self.delete_action.setEnabled(gid is not None)
        self.detail.show_goal(gid, self.model.progress_of(gid))

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
        if changes.touches("goals"):
            self.refresh()  # goals added, edited or gone: the ids, then the progress
        elif changes.touches(*MEASURED_AREAS):
            self.measure()  # the same goals; only their progress may have moved
