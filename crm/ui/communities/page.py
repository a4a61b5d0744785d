"""The Communities page: a searchable, sortable table of communities beside their detail.

The page holds no data of its own: the table model asks the service for ids and rows,
and every write comes back through the change bus, which triggers refresh().
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QHideEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
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

from crm.models.communities import COMMUNITY_KINDS
from crm.services import Changes, ServiceError
from crm.ui.communities.detail import CommunityDetailPanel
from crm.ui.communities.dialog import CommunityDialog
from crm.ui.communities.selection import selected_rows
from crm.ui.communities.style import card
from crm.ui.communities.table_model import CommunityTableModel
from crm.ui.context import UiContext
from crm.ui.undo import archive_communities
from crm.ui.widgets.labels import heading, muted

SEARCH_DEBOUNCE_MS = 200
_SETTINGS = "communities"


class CommunitiesPage(QWidget):
    title = "Communities"
    person_activated = Signal(int)  # a member was opened: jump to that person
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: CommunityDialog | None = None
        self._restoring = False

        # ---- toolbar -------------------------------------------------------------------
        self.heading = heading(self.title, self, scale=1.35)
        self.count = muted("", self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search communities…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.kind = QComboBox(self)
        self.kind.addItem("All kinds", None)
        for k in COMMUNITY_KINDS:
            self.kind.addItem(k.capitalize(), k)
        self.new_button = QPushButton("New community", self)
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_community)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.heading)
        bar.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        bar.addStretch(1)
        bar.addWidget(self.search)
        bar.addWidget(self.kind)
        bar.addWidget(self.new_button)

        # ---- table -----------------------------------------------------------------------
        self.model = CommunityTableModel(ctx.services, self)
        self.model.load_fields()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._default_widths()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.edit_action = QAction("Edit…", self)
        self.edit_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence("F2")])
        self.edit_action.triggered.connect(self.edit_current)
        self.archive_action = QAction("Archive", self)
        self.archive_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.archive_action.triggered.connect(self.archive_selected)
        for act in (self.edit_action, self.archive_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(act)

        self.empty = card(self)
        self.empty_text = muted("", self.empty)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_button = QPushButton("New community", self.empty)
        self.empty_button.clicked.connect(self.new_community)
        empty_box = QVBoxLayout(self.empty)
        empty_box.addStretch(1)
        empty_box.addWidget(self.empty_text)
        empty_box.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_box.addStretch(2)
        self.table_stack = QStackedWidget(self)
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty)

        # ---- detail ----------------------------------------------------------------------
        self.detail = CommunityDetailPanel(ctx, self)
        self.detail.person_activated.connect(self.person_activated)
        self.detail.edit_requested.connect(self.edit_community)
        self.detail.failed.connect(self._show_error)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([640, 420])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        # ---- behaviour -------------------------------------------------------------------
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.kind.currentIndexChanged.connect(lambda _: self.apply_filter())
        self._save_timer = QTimer(self, singleShot=True, interval=400)
        self._save_timer.timeout.connect(self.save_state)
        self.restore_state()
        header.setSortIndicator(self.model.sort_column(), self._order())
        self.table.setSortingEnabled(True)  # sorts through the model, i.e. in the database
        self.model.reload()  # once, in the restored order
        header.sectionResized.connect(lambda *_: self._save_timer.start())
        header.sectionMoved.connect(lambda *_: self._save_timer.start())
        header.sortIndicatorChanged.connect(lambda *_: self._save_timer.start())
        self.splitter.splitterMoved.connect(lambda *_: self._save_timer.start())
        ctx.bus.changed.connect(self._on_changed)
        self._update_empty()
        self._selection_changed()

    # ---- the page interface the main window uses ------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        """Re-read ids and rows, keeping the selection and the current community."""
        selected = self.selected_ids()
        current = self.model.id_at(self.table.currentIndex().row())
        self.model.reload()
        self._select_rows(selected, current)
        self._update_empty()
        self._selection_changed()

    def select_community(self, community_id: int) -> None:
        """Show one community (clearing a filter that would hide it)."""
        if self.model.row_of(community_id) < 0 and (self.search.text() or self.kind.currentData()):
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(0)
            self.kind.blockSignals(False)
            self.model.set_filter("", None)
        self._select_rows([community_id], community_id)
        self._update_empty()
        self._selection_changed()

    # ---- filtering -------------------------------------------------------------------
    def apply_filter(self) -> None:
        self._search_timer.stop()
        selected = self.selected_ids()
        self.model.set_filter(self.search.text().strip(), self.kind.currentData())
        self._select_rows(selected, selected[0] if selected else None)
        self._update_empty()
        self._selection_changed()

    def _update_empty(self) -> None:
        total = self.ctx.services.communities.count()
        shown = self.model.rowCount()
        filtered = bool(self.model.text or self.model.kind)
        if filtered:
            self.count.setText(f"{shown:,} of {total:,}")
        else:
            self.count.setText(f"{total:,}")
        if shown:
            self.table_stack.setCurrentIndex(0)
            return
        if filtered:
            self.empty_text.setText("No communities match this search.")
            self.empty_button.hide()
        else:
            self.empty_text.setText(
                "No communities yet.\nAdd the partner communities, companies, user groups,\n"
                "sponsors and media you work with."
            )
            self.empty_button.show()
        self.table_stack.setCurrentIndex(1)

    # ---- selection -------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = selected_rows(self.table)
        return [i for r in rows if (i := self.model.id_at(r)) is not None]

    def _select_rows(self, ids: Sequence[int], current: int | None) -> None:
        self._restoring = True
        try:
            self._select_rows(ids, current)
        finally:
            self._restoring = False

    def _select_rows(self, ids: Sequence[int], current: int | None) -> None:
        sm = self.table.selectionModel()
        where = {cid: row for row, cid in enumerate(self.model.ids)} if ids else {}
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for cid in ids:
            if (row := where.get(cid)) is not None:
                selection.select(self.model.index(row, 0), self.model.index(row, last))
        flags = QItemSelectionModel.SelectionFlag
        sm.select(selection, flags.ClearAndSelect)
        if current is not None and (row := self.model.row_of(current)) >= 0:
            sm.setCurrentIndex(self.model.index(row, 0), flags.NoUpdate)
            if not ids:
                sm.select(self.model.index(row, 0), flags.ClearAndSelect | flags.Rows)
            self.table.scrollTo(self.model.index(row, 0))

    def _selection_changed(self, *_: object) -> None:
        if self._restoring:
            return
        ids = self.selected_ids()
        self.edit_action.setEnabled(len(ids) == 1)
        self.archive_action.setEnabled(bool(ids))
        if len(ids) > 1:
            self.detail.show_placeholder(f"{len(ids)} communities selected.")
        else:
            self.detail.show_community(ids[0] if ids else None)

    # ---- actions ---------------------------------------------------------------------
    def new_community(self) -> CommunityDialog:
        return self._open_dialog(None)

    def edit_current(self) -> CommunityDialog | None:
        ids = self.selected_ids()
        return self._open_dialog(ids[0]) if len(ids) == 1 else None

    def edit_community(self, community_id: int) -> CommunityDialog:
        return self._open_dialog(community_id)

    def _open_dialog(self, community_id: int | None) -> CommunityDialog:
        """The dialog is window-modal but not blocking; it returns at once."""
        dlg = CommunityDialog(self.ctx.services, community_id, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._saved(dlg.community_id, community_id is None))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _saved(self, community_id: int | None, created: bool) -> None:
        if community_id is None:
            return
        self.select_community(community_id)
        if created:
            self.message.emit("Community created.")

    def archive_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        command = archive_communities(self.ctx.services, ids)
        try:
            self.ctx.undo.push(command)
        except ServiceError as exc:
            self._show_error(str(exc))
            return
        self.message.emit(f"{command.text()} — moved to the Trash (Ctrl+Z to undo).")

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            menu = QMenu(self)
            menu.addAction("New community…", self.new_community)
            menu.popup(self.table.viewport().mapToGlobal(pos))
            return
        if index.row() not in selected_rows(self.table):
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.edit_action)
        add = menu.addAction("Add members…", self.detail.members.add_members)
        add.setEnabled(len(self.selected_ids()) == 1)
        menu.addSeparator()
        menu.addAction(self.archive_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _show_error(self, message: str) -> None:
        QMessageBox.warning(self, "Communities", message)

    # ---- reacting to writes anywhere -------------------------------------------------
    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("fields"):
            self.model.load_fields()
            self._default_widths()
        if changes.touches("communities", "people", "trash", "fields"):
            self.refresh()

    # ---- remembered layout -------------------------------------------------------------
    def _order(self) -> Qt.SortOrder:
        order = Qt.SortOrder
        return order.DescendingOrder if self.model.descending else order.AscendingOrder

    def _default_widths(self) -> None:
        widths = (210, 150, 105, 85, 160, 80, 170)
        for col in range(self.model.columnCount()):
            self.table.setColumnWidth(col, widths[col] if col < len(widths) else 130)

    def save_state(self) -> None:
        s = self.ctx.settings
        s.setValue(f"{_SETTINGS}/splitter", self.splitter.saveState())
        s.setValue(f"{_SETTINGS}/header", self.table.horizontalHeader().saveState())
        s.setValue(f"{_SETTINGS}/columns", self.model.columnCount())

    def restore_state(self) -> None:
        s = self.ctx.settings
        splitter = s.value(f"{_SETTINGS}/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        header = s.value(f"{_SETTINGS}/header")
        # Column state saved with a different set of custom fields would misplace widths.
        if isinstance(header, QByteArray) and str(s.value(f"{_SETTINGS}/columns")) == str(
            self.model.columnCount()
        ):
            h: QHeaderView = self.table.horizontalHeader()
            h.restoreState(header)
            col = h.sortIndicatorSection()
            if 0 <= col < self.model.columnCount() and self.model.columns[col].sort_key:
                self.model.sort_key = self.model.columns[col].sort_key
                self.model.descending = h.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_state()
        super().hideEvent(event)
