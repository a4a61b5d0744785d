"""The Events page: upcoming, past or all events (or the archived ones), a month grid,
and the chosen event's detail with its tabs.

The list is a paged model over ids, so 2,000 events and their invitation counts
paint from one page's query. Writes come back through the change bus (refresh()).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import (
    QByteArray,
    QDate,
    QEvent,
    QItemSelectionModel,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QHideEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm.services import Changes, ServiceError
from crm.ui.communities.selection import reselect_rows, selected_rows
from crm.ui.communities.style import SEGMENT_STYLE, card
from crm.ui.context import UiContext
from crm.ui.events.detail import EventDetailPanel
from crm.ui.events.form import NewEventDialog
from crm.ui.events.month_view import MonthView
from crm.ui.events.table_model import EventTableModel
from crm.ui.undo import CallbackCommand
from crm.ui.widgets.labels import heading, muted

SCOPES = (("upcoming", "Upcoming"), ("past", "Past"), ("all", "All"), ("archived", "Archived"))
_SETTINGS = "events"


class EventsPage(QWidget):
    title = "Events"
    LINK_KIND = "event"
    person_activated = Signal(int)
    item_activated = Signal(str, int)
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.dialog: NewEventDialog | None = None
        self._restoring = False

        # ---- toolbar -------------------------------------------------------------------
        self.heading = heading(self.title, self, scale=1.35)
        self.count = muted("", self)
        self.scope_group = QButtonGroup(self)
        scopes = QHBoxLayout()
        scopes.setSpacing(0)
        self.scope_buttons: dict[str, QToolButton] = {}
        for i, (key, label) in enumerate(SCOPES):
            b = QToolButton(self)
            b.setText(label)
            b.setCheckable(True)
            b.setObjectName("segment")
            b.setStyleSheet(SEGMENT_STYLE)
            self.scope_group.addButton(b, i)
            self.scope_buttons[key] = b
            scopes.addWidget(b)
        self.scope_buttons["upcoming"].setChecked(True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search events…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.month_button = QPushButton("Month view", self)
        self.month_button.setCheckable(True)
        self.day_chip = QPushButton("", self)
        self.day_chip.setToolTip("Show every day again")
        self.day_chip.clicked.connect(lambda: self.set_day(None))
        self.day_chip.hide()
        self.new_button = QPushButton("New event", self)
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_event)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.heading)
        bar.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        bar.addStretch(1)
        bar.addLayout(scopes)
        bar.addWidget(self.day_chip)
        bar.addWidget(self.search)
        bar.addWidget(self.month_button)
        bar.addWidget(self.new_button)

        # ---- list ------------------------------------------------------------------------
        self.model = EventTableModel(self.services, self)
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
        # Widths set, never measured from the contents (ResizeToContents reads every row).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for col, width in enumerate((190, 215, 80, 70, 80, 80, 120)):
            self.table.setColumnWidth(col, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.archive_action = QAction("Archive", self)
        self.archive_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.archive_action.triggered.connect(self.archive_selected)
        self.restore_action = QAction("Restore", self)
        self.restore_action.triggered.connect(self.restore_selected)
        self.new_action = QAction("New event…", self)
        self.new_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_action.triggered.connect(self.new_event)
        for act in (self.archive_action,):
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(act)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.new_action)

        self.empty = card(self)
        self.empty_text = muted("", self.empty)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_button = QPushButton("New event", self.empty)
        self.empty_button.clicked.connect(self.new_event)
        empty_box = QVBoxLayout(self.empty)
        empty_box.addStretch(1)
        empty_box.addWidget(self.empty_text)
        empty_box.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_box.addStretch(2)
        self.table_stack = QStackedWidget(self)
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty)

        self.month: MonthView | None = None  # built when first shown
        self.left = QSplitter(Qt.Orientation.Vertical, self)
        self.left.addWidget(self.table_stack)
        self.left.setChildrenCollapsible(False)

        # ---- detail ------------------------------------------------------------------------
        self.detail = EventDetailPanel(ctx, self)
        self.detail.message.connect(self.message)
        self.detail.person_activated.connect(self.person_activated)
        self.detail.archive_requested.connect(self._archive_or_restore)
        self.actions_row = self.detail.actions_row

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([700, 560])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        # ---- behaviour ---------------------------------------------------------------------
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.scope_group.idToggled.connect(lambda _i, on: on and self.apply_filter())
        self.month_button.toggled.connect(self.show_month)
        self.day: date | None = None
        self._save_timer = QTimer(self, singleShot=True, interval=400)
        self._save_timer.timeout.connect(self.save_state)
        self.restore_state()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # sorts in the database, through the model
        header.sortIndicatorChanged.connect(lambda *_: self._save_timer.start())
        header.sectionResized.connect(lambda *_: self._save_timer.start())
        self.splitter.splitterMoved.connect(lambda *_: self._save_timer.start())
        self.model.set_filter(self.scope(), "", None)
        ctx.bus.changed.connect(self._on_changed)
        self._update_empty()
        # The first event's detail fills in right after the list has painted: the list
        # is what the page is opened for, and the detail's form costs as much to paint.
        self._selection_changed()
        self.table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._select_first)
        return False

    def _select_first(self) -> None:
        if not self.selected_ids() and self.model.ids:
            self._select_rows([self.model.ids[0]], self.model.ids[0])
            self._selection_changed()

    # ---- the page interface ---------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        if self.model.loaded and self.model.query_ids() == self.model.ids:
            # The same events in the same order (their invitations or details changed):
            # repainted in place, keeping the selection and the scroll position.
            self.model.invalidate_rows()
        else:
            selected = self.selected_ids()
            current = self.current_event_id()
            self.model.reload()
            self._select_rows(selected, current)
        self._update_empty()
        self._selection_changed()
        if self.month is not None and self.month.isVisible():
            self.month.refresh()

    def current_event_id(self) -> int | None:
        """The event the detail shows (other areas hook buttons into actions_row)."""
        return self.detail.event_id

    def show_item(self, event_id: int) -> None:
        """Show one event, switching scope and clearing filters that would hide it."""
        try:
            e = self.services.events.get(event_id)
        except ServiceError as exc:
            self.message.emit(str(exc))
            return
        if self.model.row_of(event_id) < 0:
            scope = "archived" if e.archived_at else "all"
            self._set_filters(scope, "", None)
        self._select_rows([event_id], event_id)
        self._selection_changed()

    # ---- filtering ---------------------------------------------------------------------------
    def scope(self) -> str:
        return SCOPES[max(self.scope_group.checkedId(), 0)][0]

    def apply_filter(self) -> None:
        self._search_timer.stop()
        selected = self.selected_ids()
        self.model.set_filter(self.scope(), self.search.text().strip(), self.day)
        if not any(self.model.row_of(i) >= 0 for i in selected) and self.model.ids:
            selected = [self.model.ids[0]]  # keep something in the detail
        self._select_rows(selected, selected[0] if selected else None)
        self._update_empty()
        self._selection_changed()

    def set_day(self, day: date | None) -> None:
        self.day = day
        self.day_chip.setText(f"{day:%a %d %b %Y}  ✕" if day else "")
        self.day_chip.setVisible(day is not None)
        if day is not None and self.scope() != "all":
            self.scope_buttons["all"].blockSignals(True)
            self.scope_buttons["all"].setChecked(True)
            self.scope_buttons["all"].blockSignals(False)
        self.apply_filter()

    def _set_filters(self, scope: str, text: str, day: date | None) -> None:
        for b in self.scope_buttons.values():
            b.blockSignals(True)
        self.scope_buttons[scope].setChecked(True)
        for b in self.scope_buttons.values():
            b.blockSignals(False)
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)
        self.day = day
        self.day_chip.setVisible(day is not None)
        self.model.set_filter(scope, text, day)
        self._update_empty()

    def show_month(self, on: bool) -> None:
        if on and self.month is None:
            self.month = MonthView(self.services, self)
            self.month.clicked.connect(lambda q: self.set_day(date(q.year(), q.month(), q.day())))
            self.left.insertWidget(0, self.month)
            self.left.setSizes([380, 320])
        if self.month is not None:
            self.month.setVisible(on)
            if on:
                self.month.refresh()
                current = self.detail.current
                if current is not None:
                    d = current.starts_at.date()
                    self.month.setSelectedDate(QDate(d.year, d.month, d.day))
        self.month_button.setChecked(on)

    def _update_empty(self) -> None:
        shown = self.model.rowCount()
        total = self.services.events.count(archived=self.scope() == "archived")
        filtered = bool(self.model.text or self.model.day) or self.scope() in ("upcoming", "past")
        self.count.setText(f"{shown:,} of {total:,}" if filtered else f"{total:,}")
        if shown:
            self.table_stack.setCurrentIndex(0)
            return
        if self.model.text or self.model.day:
            self.empty_text.setText("No events match.")
            self.empty_button.hide()
        elif self.scope() == "archived":
            self.empty_text.setText("No archived events.")
            self.empty_button.hide()
        elif self.scope() == "upcoming":
            self.empty_text.setText("Nothing planned yet.\nPlan a meetup, webinar or workshop.")
            self.empty_button.show()
        else:
            self.empty_text.setText("No events yet.")
            self.empty_button.show()
        self.table_stack.setCurrentIndex(1)

    # ---- selection ---------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        return [i for r in selected_rows(self.table) if (i := self.model.id_at(r)) is not None]

    def _select_rows(self, ids: Sequence[int], current: int | None) -> None:
        self._restoring = True
        try:
            sm = self.table.selectionModel()
            flags = QItemSelectionModel.SelectionFlag
            reselect_rows(self.table, [self.model.row_of(i) for i in ids])
            if current is not None and (row := self.model.row_of(current)) >= 0:
                sm.setCurrentIndex(self.model.index(row, 0), flags.NoUpdate)
                self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._restoring = False

    def _selection_changed(self) -> None:
        if self._restoring:
            return
        ids = self.selected_ids()
        archived = self.scope() == "archived"
        self.archive_action.setEnabled(bool(ids) and not archived)
        self.restore_action.setEnabled(bool(ids) and archived)
        if len(ids) == 1:
            self.detail.show_event(ids[0])
        elif not ids:
            self.detail.show_event(None)

    # ---- actions ---------------------------------------------------------------------------
    def new_event(self) -> NewEventDialog:
        dlg = NewEventDialog(self.services, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._created(dlg.event_id))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _created(self, event_id: int | None) -> None:
        if event_id is None:
            return
        self.show_item(event_id)
        self.message.emit("Event created. Invite people from its Invitations tab.")

    def archive_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self.scope() != "archived":
            self._archive(ids)

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            n = self.services.events.restore(ids)
            self.message.emit(f"Restored {n:,} event{'s' if n != 1 else ''}.")

    def _archive_or_restore(self, event_id: int) -> None:
        e = self.detail.current
        if e is not None and e.archived_at is not None:
            self.services.events.restore([event_id])
            self.message.emit("Event restored.")
        else:
            self._archive([event_id])

    def _archive(self, ids: list[int]) -> None:
        services = self.services
        label = "Archive event" if len(ids) == 1 else f"Archive {len(ids)} events"
        command = CallbackCommand(
            label, lambda: services.events.archive(ids), lambda: services.events.restore(ids)
        )
        try:
            self.ctx.undo.push(command)
        except ServiceError as exc:
            self.message.emit(str(exc))
            return
        self.message.emit(f"{label}: moved to Archived (Ctrl+Z to undo).")

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and index.row() not in selected_rows(self.table):
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.new_action)
        if self.selected_ids():
            if len(self.selected_ids()) == 1:
                menu.addAction("Invite people…", lambda: self.detail.show_invitations().invite())
            menu.addSeparator()
            menu.addAction(
                self.restore_action if self.scope() == "archived" else self.archive_action
            )
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # ---- reacting to writes anywhere ---------------------------------------------------------
    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("events", "invitations", "trash"):
            self.refresh()
            # With one event selected, refresh() has just shown it again; a second
            # reload of its detail would double the cost (a 1,000-invitation tab).
            if len(self.selected_ids()) != 1:
                self.detail.refresh()
        elif changes.touches("people", "communities"):
            if changes.touches("communities") and self.detail.built:
                self.detail.form.reload_communities()
            self.model.invalidate_rows()
            self.detail.refresh()

    # ---- remembered layout ---------------------------------------------------------------------
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
            self.table.horizontalHeader().restoreState(header)

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_state()
        super().hideEvent(event)
