"""The Content page: the content calendar as a sortable, filterable table or by week.

The page holds no data: the table model and the week view ask the service, and every
write comes back through the change bus, which triggers refresh().
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm.models.engagement import CONTENT_KINDS, CONTENT_STATUSES
from crm.services import Changes, ServiceError
from crm.services.content import ContentFilter
from crm.ui.communities.selection import selected_rows
from crm.ui.communities.style import SEGMENT_STYLE
from crm.ui.content.detail import ContentDetailPanel
from crm.ui.content.dialog import ContentDialog
from crm.ui.content.table_model import ContentTableModel
from crm.ui.content.weeks import WeekView
from crm.ui.context import UiContext
from crm.ui.undo import CallbackCommand
from crm.ui.widgets.empty_hint import EmptyHint
from crm.ui.widgets.labels import heading, muted

_SETTINGS = "content"
NO_OWNER = "\x00none"


CHANNEL_COLUMN = 5
EMPTY_HINT = (
    "No content yet. Plan the first blog post, newsletter or video with New content (Ctrl+Shift+N)."
)


class ContentPage(QWidget):
    title = "Content"
    LINK_KIND = "content"
    person_activated = Signal(int)
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: ContentDialog | None = None

        self.heading = heading(self.title, self, scale=1.35)
        self.count = muted("", self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search content…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.status = QComboBox(self)
        self.status.addItem("All statuses", None)
        for st in CONTENT_STATUSES:
            self.status.addItem(st.capitalize(), st)
        self.kind = QComboBox(self)
        self.kind.addItem("All kinds", None)
        for k in CONTENT_KINDS:
            self.kind.addItem(k.capitalize(), k)
        self.owner = QComboBox(self)
        self._fill_owners()
        self.table_button = QPushButton("Table", self)
        self.weeks_button = QPushButton("By week", self)
        for i, b in enumerate((self.table_button, self.weeks_button)):
            b.setObjectName("segment")
            # On the two buttons only: a style sheet on the page would send the
            # painting of every child, the table's cells included, through it.
            b.setStyleSheet(SEGMENT_STYLE)
            b.setCheckable(True)
            b.setProperty("first", i == 0)
            b.setProperty("last", i == 1)
            b.clicked.connect(lambda _=False, i=i: self.set_view(i))
        self.table_button.setChecked(True)
        self.new_button = QPushButton("New content", self)
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("New content item (Ctrl+Shift+N)")
        self.new_button.clicked.connect(self.new_item)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.heading)
        bar.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        bar.addStretch(1)
        for w in (self.search, self.status, self.kind, self.owner):
            bar.addWidget(w)
        bar.addSpacing(6)
        seg = QHBoxLayout()
        seg.setSpacing(0)
        seg.addWidget(self.table_button)
        seg.addWidget(self.weeks_button)
        bar.addLayout(seg)
        bar.addWidget(self.new_button)

        self.model = ContentTableModel(ctx.services, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Fits beside the detail at the default window size with Channel hidden (the
        # detail shows it); the header's menu shows or hides any column but the title.
        for col, width in enumerate((200, 80, 96, 90, 90, 90, 120, 110)):
            self.table.setColumnWidth(col, width)
        header.setSectionHidden(CHANNEL_COLUMN, True)
        header.setToolTip("Right-click to choose the columns")
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.empty_hint = EmptyHint(self.table)
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.edit_action = QAction("Edit…", self)
        self.edit_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence("F2")])
        self.edit_action.triggered.connect(self.edit_current)
        self.delete_action = QAction("Delete", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_selected)
        for act in (self.edit_action, self.delete_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(act)
        self.new_action = QAction("New content…", self)
        self.new_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.triggered.connect(self.new_item)
        self.addAction(self.new_action)

        self._weeks: WeekView | None = None  # built when first shown (see weeks)
        self.views = QStackedWidget(self)
        self.views.addWidget(self.table)

        self.detail = ContentDetailPanel(ctx.services, self)
        self.detail.person_activated.connect(self.person_activated)
        self.detail.edit_requested.connect(self._open_dialog)
        self.detail.delete_requested.connect(lambda i: self.delete_items([i]))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.views)
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
        for combo in (self.status, self.kind, self.owner):
            combo.currentIndexChanged.connect(lambda _: self.apply_filter())
        self.restore_state()
        header.setSortIndicator(self.model.sort_column(), self._order())
        self.table.setSortingEnabled(True)
        self.model.reload()
        ctx.bus.changed.connect(self._on_changed)
        self._update_count()
        self._selection_changed()

    @property
    def weeks(self) -> WeekView:
        """The by-week view, built the first time it is asked for: the page opens on
        the table, and its first paint need not pay for six week frames."""
        if self._weeks is None:
            self._weeks = WeekView(self.ctx.services, self)
            self._weeks.item_activated.connect(self._week_item)
            self._weeks.filters = self.filters()
            self.views.addWidget(self._weeks)
            self._update_count()
        return self._weeks

    # ---- the page interface -------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        current = self.detail.item_id
        self._fill_owners()
        self.model.reload()
        if self.views.currentIndex() == 1:
            self.weeks.refresh()
        self._select_rows(current)
        self._update_count()

    def show_item(self, item_id: int) -> None:
        """Show one item in the table (clearing filters that would hide it)."""
        if self.model.row_of(item_id) < 0:
            for combo in (self.status, self.kind, self.owner):
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.apply_filter()
        self.set_view(0)
        self._select_rows(item_id)

    def set_view(self, index: int) -> None:
        if index == 1:
            self.weeks  # noqa: B018 — built on first use
        self.views.setCurrentIndex(index)
        self.table_button.setChecked(index == 0)
        self.weeks_button.setChecked(index == 1)
        if index == 1:
            self.weeks.refresh()

    # ---- filtering ------------------------------------------------------------------
    def _fill_owners(self) -> None:
        chosen = self.owner.currentData() if self.owner.count() else None
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem("All owners", None)
        self.owner.addItem("No owner", NO_OWNER)
        for name in self.ctx.services.content.owners():
            self.owner.addItem(name, name)
        self.owner.setCurrentIndex(max(0, self.owner.findData(chosen)))
        self.owner.blockSignals(False)

    def filters(self) -> ContentFilter:
        owner = self.owner.currentData()
        return ContentFilter(
            self.search.text().strip(),
            self.status.currentData(),
            self.kind.currentData(),
            "" if owner == NO_OWNER else owner,
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        current = self.detail.item_id
        self.model.set_filter(self.filters())
        if self._weeks is not None:
            self._weeks.filters = self.filters()
            if self.views.currentIndex() == 1:
                self._weeks.refresh()
        self._select_rows(current)
        self._update_count()

    def _update_count(self) -> None:
        total, shown = self.ctx.services.content.count(), self.model.rowCount()
        self.count.setText(f"{shown:,} of {total:,}" if shown != total else f"{total:,}")
        if not total:
            hint = EMPTY_HINT
        elif not shown:
            hint = "Nothing matches. Try fewer words or clear the filters."
        else:
            hint = ""
        self.empty_hint.set_text(hint)
        if self._weeks is not None:
            self._weeks.set_hint(EMPTY_HINT if not total else "")

    # ---- selection --------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        return [i for r in selected_rows(self.table) if (i := self.model.id_at(r)) is not None]

    def _select_rows(self, item_id: int | None) -> None:
        row = self.model.row_of(item_id) if item_id is not None else -1
        sm = self.table.selectionModel()
        if row < 0:
            sm.clearSelection()
            self.detail.show_item(item_id if self.views.currentIndex() == 1 else None)
            return
        flags = QItemSelectionModel.SelectionFlag
        index = self.model.index(row, 0)
        sm.setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(index)

    def _selection_changed(self, *_: object) -> None:
        ids = self.selected_ids()
        self.edit_action.setEnabled(len(ids) == 1)
        self.delete_action.setEnabled(bool(ids))
        if len(ids) > 1:
            self.detail.show_item(None, f"{len(ids)} items selected.")
        elif ids:
            self.detail.show_item(ids[0])
        elif self.views.currentIndex() == 0:
            self.detail.show_item(None)

    def _week_item(self, item_id: int) -> None:
        self.detail.show_item(item_id)

    # ---- actions ------------------------------------------------------------------------
    def new_item(self) -> ContentDialog:
        return self._open_dialog(None)

    def edit_current(self) -> ContentDialog | None:
        ids = self.selected_ids()
        return self._open_dialog(ids[0]) if len(ids) == 1 else None

    def _open_dialog(self, item_id: int | None) -> ContentDialog:
        dlg = ContentDialog(self.ctx.services, item_id, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._saved(dlg.item_id, item_id is None))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _saved(self, item_id: int | None, created: bool) -> None:
        if item_id is None:
            return
        if self.views.currentIndex() == 1:
            self.detail.show_item(item_id)
        else:
            self.show_item(item_id)
        if created:
            self.message.emit("Content item created.")

    def set_status(self, ids: list[int], status: str) -> None:
        try:
            self.ctx.services.content.set_status(ids, status)
        except ServiceError as exc:
            QMessageBox.warning(self, "Content", str(exc))

    def confirm(self, text: str) -> bool:
        """Ask before deleting what takes other things with it (tests replace this)."""
        answer = QMessageBox.question(self, "Delete content", text)
        return answer == QMessageBox.StandardButton.Yes

    def delete_selected(self) -> None:
        self.delete_items(self.selected_ids())

    def delete_items(self, ids: list[int]) -> None:
        """Delete (undoable with Ctrl+Z); items in an initiative ask first."""
        if not ids:
            return
        content = self.ctx.services.content
        linked = [(d.title, d.initiatives) for d in map(content.get, ids) if d.initiatives]
        if linked:
            lines = "\n".join(
                f"• {title} — part of {', '.join(t for _i, t in inits)}" for title, inits in linked
            )
            if not self.confirm(f"Delete and take out of their initiatives?\n\n{lines}"):
                return
        gone: list = []

        def do() -> None:
            gone[:] = [content.delete(i) for i in ids]

        def undo() -> None:
            for g in reversed(gone):
                content.restore(g)

        label = "Delete content item" if len(ids) == 1 else f"Delete {len(ids)} content items"
        try:
            self.ctx.undo.push(CallbackCommand(label, do, undo))
        except ServiceError as exc:
            QMessageBox.warning(self, "Content", str(exc))
            return
        self.message.emit(f"{label} — Ctrl+Z brings it back.")

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        menu = QMenu(self)
        if not index.isValid():
            menu.addAction(self.new_action)
            menu.popup(self.table.viewport().mapToGlobal(pos))
            return
        if index.row() not in selected_rows(self.table):
            self.table.selectRow(index.row())
        ids = self.selected_ids()
        menu.addAction(self.edit_action)
        move = menu.addMenu("Move to")
        for st in CONTENT_STATUSES:
            move.addAction(st.capitalize(), lambda st=st: self.set_status(ids, st))
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # ---- reacting to writes ------------------------------------------------------------
    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("content", "people", "trash", "initiatives"):
            self.refresh()

    # ---- remembered layout ---------------------------------------------------------------
    def _order(self) -> Qt.SortOrder:
        o = Qt.SortOrder
        return o.DescendingOrder if self.model.descending else o.AscendingOrder

    def _header_menu(self, pos: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = self.column_menu()
        menu.popup(header.mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        """Show or hide each column but the title (remembered with the header)."""
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for col in range(1, self.model.columnCount()):
            act = menu.addAction(self.model.columns[col].title)
            act.setCheckable(True)
            act.setChecked(not header.isSectionHidden(col))
            act.toggled.connect(lambda on, c=col: header.setSectionHidden(c, not on))
        return menu

    def save_state(self) -> None:
        s = self.ctx.settings
        s.setValue(f"{_SETTINGS}/splitter", self.splitter.saveState())
        s.setValue(f"{_SETTINGS}/header", self.table.horizontalHeader().saveState())

    def restore_state(self) -> None:
        s = self.ctx.settings
        splitter = s.value(f"{_SETTINGS}/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        header = s.value(f"{_SETTINGS}/header")
        if isinstance(header, QByteArray):
            h = self.table.horizontalHeader()
            h.restoreState(header)
            col = h.sortIndicatorSection()
            if 0 <= col < self.model.columnCount() and self.model.columns[col].sort_key:
                self.model.sort_key = self.model.columns[col].sort_key
                self.model.descending = h.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_state()
        super().hideEvent(event)
