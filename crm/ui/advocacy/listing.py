"""What the Advocacy, Tasks and Moderation pages share: a filtered, sorted, paged table of
items beside a detail panel, with search, filter menus, New, Edit and Delete (undoable).

A subclass says which service calls list and read the items (through ListModel), which
filters there are, what the detail panel is, and how to create, edit and delete. The
table holds ids only; rows are fetched a page at a time and sorting runs in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShortcut, QUndoCommand
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

from crm.services import Changes, ServiceError
from crm.ui.communities.selection import reselect_rows, selected_rows
from crm.ui.communities.style import card
from crm.ui.context import UiContext
from crm.ui.paged_model import Column, PagedTableModel
from crm.ui.widgets.labels import heading, muted

SEARCH_DEBOUNCE_MS = 200
NEW_SHORTCUT = "Ctrl+Shift+N"


# Plain ints: data() runs seven times for every painted cell (one per role the
# delegate asks for), and comparing with an enum member costs a Python attribute lookup.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_Cells = tuple[tuple[str, ...], tuple[Any, ...] | None]


class ListModel(PagedTableModel[Any]):
    """Ids from `query(text, filters, sort, descending)`, rows from `fetch(ids)`.

    The texts and colours of a page of rows are worked out once, when the page is
    fetched, so painting a cell is a tuple lookup rather than a formatting call.
    """

    def __init__(
        self,
        columns: Sequence[Column[Any]],
        query: Callable[..., list[int]],
        fetch: Callable[[Sequence[int]], list[Any]],
        parent: Any = None,
        *,
        descending: bool = False,
    ) -> None:
        super().__init__(columns, parent)
        self._query, self._fetch = query, fetch
        self.text = ""
        self.filters: dict[str, Any] = {}
        self.descending = descending
        self.colour: Callable[[Any, int], Any] | None = None  # (row, column) -> QColor
        # page number -> (the cached page it was made from, the cells of its rows)
        self._cells: dict[int, tuple[list[Any], list[_Cells | None]]] = {}

    def query_ids(self) -> list[int]:
        return self._query(
            self.text, self.filters, self.sort_key or "", self.descending
        )  # fmt: skip

    def fetch_rows(self, ids: Sequence[int]) -> list[Any]:
        return self._fetch(ids)

    def set_filter(self, text: str, filters: dict[str, Any]) -> None:
        if (text, filters) == (self.text, self.filters):
            return
        self.text, self.filters = text, dict(filters)
        self.reload()

    def sort_column(self) -> int:
        for i, col in enumerate(self.columns):
            if col.sort_key == self.sort_key:
                return i
        return 0

    def _render(self, row: Any) -> _Cells:
        if row is None:
            return ("",) * len(self.columns), None
        texts = tuple(col.text(row) for col in self.columns)
        paint = self.colour
        return texts, None if paint is None else tuple(
            paint(row, c) for c in range(len(self.columns))
        )

    def _cells_at(self, row: int) -> _Cells:
        page_no, at = divmod(row, self.PAGE)
        page = self._pages.get(page_no)
        made = self._cells.get(page_no)
        if page is None or made is None or made[0] is not page:
            # The base class dropped or refetched the page: its cells are made anew.
            self.row_at(row)
            page = self._pages[page_no]
            made = (page, [None] * len(page))
            if len(self._cells) >= self.CACHE_PAGES:
                self._cells = {k: v for k, v in self._cells.items() if self._pages.get(k) is v[0]}
            self._cells[page_no] = made
        cells = made[1][at]
        if cells is None:  # rendered when first painted: a page holds 100, a screen 25
            cells = made[1][at] = self._render(page[at])
        return cells

    def data(self, index: Any, role: int = _DISPLAY) -> Any:
        if role in (_DISPLAY, _TOOLTIP):
            row = index.row()
            if 0 <= row < len(self._ids):
                return self._cells_at(row)[0][index.column()]
            return None
        if role == _FOREGROUND:
            row = index.row()
            if 0 <= row < len(self._ids):
                colours = self._cells_at(row)[1]
                return None if colours is None else colours[index.column()]
            return None
        if role == _ALIGN:
            if index.isValid() and self.columns[index.column()].align_right:
                return _RIGHT
            return None
        if role == self.IdRole:
            return super().data(index, role)
        return None


class ListPage(QWidget):
    """Toolbar, table and detail panel; subclasses fill in the blanks marked below."""

    title = ""
    noun = "item"  # "note", "task", "case": for counts and messages
    plural = "items"
    areas: tuple[str, ...] = ()  # change areas that refresh the page
    settings_key = ""
    empty_text = ""
    new_text = "New"
    message = Signal(str)
    person_activated = Signal(int)
    item_activated = Signal(str, int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self._restoring = False

        self.heading = heading(self.title, self, scale=1.35)
        self.count = muted("", self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(f"Search {self.plural}…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.filter_boxes: dict[str, QComboBox] = {}
        self.new_button = QPushButton(self.new_text, self)
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(lambda: self.new_item())
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.heading)
        bar.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        bar.addStretch(1)
        self.bar = bar
        for widget in self.toolbar_widgets():
            bar.addWidget(widget)
        bar.addWidget(self.search)
        for key, all_label, choices in self.filters():
            box = QComboBox(self)
            box.addItem(all_label, None)
            for label, value in choices:
                box.addItem(label, value)
            box.currentIndexChanged.connect(lambda _: self.apply_filter())
            self.filter_boxes[key] = box
            bar.addWidget(box)
        bar.addWidget(self.new_button)

        self.model = self.make_model()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row size hints
        rows.setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # The widest text column takes what the others leave, so every shown column
        # fits beside the detail (no sideways scrolling); fixed widths, not sized to
        # contents (that would read and measure rows for the first paint).
        header.setStretchLastSection(False)
        for col, width in enumerate(self.column_widths()):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(self.stretch_column, QHeaderView.ResizeMode.Stretch)
        for col in self.hidden_columns:
            header.setSectionHidden(col, True)
        header.setToolTip("Right-click to choose the columns")
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda pos: self.column_menu().popup(header.mapToGlobal(pos))
        )
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.edit_action = QAction("Edit…", self)
        self.edit_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence("F2")])
        self.edit_action.triggered.connect(self.edit_current)
        self.delete_action = QAction("Delete…", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_selected)
        for act in (self.edit_action, self.delete_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(act)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.new_button.setToolTip(f"{self.new_text} ({NEW_SHORTCUT})")
        new_shortcut = QShortcut(QKeySequence(NEW_SHORTCUT), self)  # only while shown
        new_shortcut.activated.connect(lambda: self.new_item())

        self.table_stack = QStackedWidget(self)
        self.table_stack.addWidget(self.table)
        self._empty: QWidget | None = None  # the empty state, made when first needed

        self.detail = self.make_detail()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes(list(self.splitter_sizes))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.restore_state()
        header.setSortIndicator(
            self.model.sort_column(),
            Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder,
        )
        self.table.setSortingEnabled(True)  # sorts through the model, i.e. in the database
        self.model.set_filter("", self.current_filters())
        if not self.model.loaded:
            self.model.reload()
        ctx.bus.changed.connect(self._on_changed)
        self._update_empty()
        self._selection_changed()

    # ---- what subclasses provide -------------------------------------------------------
    def make_model(self) -> ListModel:
        raise NotImplementedError

    def make_detail(self) -> QWidget:
        """A widget with show_item(id | None) and show_placeholder(text)."""
        raise NotImplementedError

    def filters(self) -> list[tuple[str, str, list[tuple[str, Any]]]]:
        """(key, "All …" label, [(label, value)]) for each filter menu."""
        return []

    def toolbar_widgets(self) -> list[QWidget]:
        return []

    def column_widths(self) -> Sequence[int]:
        return ()

    stretch_column = 0  # the column that takes the width left over
    splitter_sizes = (760, 420)  # table and detail, until the user moves the splitter
    hidden_columns: tuple[int, ...] = ()  # hidden until shown from the header's menu

    def total(self) -> int:
        raise NotImplementedError

    def new_item(self) -> QWidget | None:
        raise NotImplementedError

    def edit_item(self, item_id: int) -> QWidget | None:
        raise NotImplementedError

    def delete_command(self, ids: list[int]) -> QUndoCommand | None:
        """An undoable delete, after asking the user; None when they said no."""
        raise NotImplementedError

    # ---- the page interface the main window uses ------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        selected = self.selected_ids()
        current = self.model.id_at(self.table.currentIndex().row())
        self.model.reload()
        self._select_rows(selected, current)
        self._update_empty()
        self._selection_changed()

    def show_item(self, item_id: int) -> None:
        """Select one item, clearing the search and filters if they hide it."""
        if self.model.row_of(item_id) < 0:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            for box in self.filter_boxes.values():
                box.blockSignals(True)
                box.setCurrentIndex(0)
                box.blockSignals(False)
            self.model.set_filter("", self.current_filters())
        self._select_rows([item_id], item_id)
        self._update_empty()
        self._selection_changed()

    # ---- filtering -------------------------------------------------------------------
    def current_filters(self) -> dict[str, Any]:
        return {k: box.currentData() for k, box in self.filter_boxes.items()}

    def is_filtered(self) -> bool:
        return bool(self.model.text) or any(v for v in self.model.filters.values())

    def apply_filter(self) -> None:
        self._search_timer.stop()
        selected = self.selected_ids()
        self.model.set_filter(self.search.text().strip(), self.current_filters())
        self._select_rows(selected, selected[0] if selected else None)
        self._update_empty()
        self._selection_changed()

    def _update_empty(self) -> None:
        shown = self.model.rowCount()
        if self.is_filtered():
            self.count.setText(f"{shown:,} of {self.total():,}")
        else:  # every item is listed: no need to count them again
            self.count.setText(f"{shown:,}")
        # Nothing to select: no detail panel asking to select something.
        self.detail.setVisible(bool(shown) or self.is_filtered())
        if shown:
            self.table_stack.setCurrentIndex(0)
            return
        self._ensure_empty()
        if self.is_filtered():
            self.empty_title.setText(f"No {self.plural} match.")
            self.empty_label.setText(
                f"None of the {self.total():,} {self.plural} matches this search and these filters."
            )
            self.empty_button.setText("Clear search and filters")
        else:
            title, _, rest = self.empty_text.replace("\n", " ").partition(". ")
            self.empty_title.setText(title + ".")
            self.empty_label.setText(
                f"{rest}\n\nClick {self.new_text} or press {NEW_SHORTCUT} to add the first one."
            )
            self.empty_button.setText(self.new_text)
        self.table_stack.setCurrentIndex(1)

    def _ensure_empty(self) -> None:
        """The card shown instead of an empty table: what the page is for and how to add
        the first item, or (when filters hide everything) a way back to all items."""
        if self._empty is not None:
            return
        self._empty = empty = card(self)
        # A centred column of readable width: the label wraps inside it and keeps the
        # height its lines need (a wrapping label aligned on its own gets clipped).
        column = QWidget(empty)
        column.setMaximumWidth(560)
        self.empty_title = heading("", column, scale=1.15)
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label = muted("", column)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_button = QPushButton(self.new_text, column)
        self.empty_button.setObjectName("primary")
        self.empty_button.clicked.connect(self._empty_clicked)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(12)
        inner.addWidget(self.empty_title)
        inner.addWidget(self.empty_label)
        inner.addSpacing(4)
        inner.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 8)
        row.addStretch(1)
        box = QVBoxLayout(empty)
        box.setContentsMargins(32, 24, 32, 24)
        box.addStretch(1)
        box.addLayout(row)
        box.addStretch(2)
        self.table_stack.addWidget(empty)

    def _empty_clicked(self) -> None:
        if self.is_filtered():
            self.clear_filters()
        else:
            self.new_item()

    def clear_filters(self) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for box in self.filter_boxes.values():
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.apply_filter()

    # ---- selection -------------------------------------------------------------------
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
                if not ids:
                    sm.select(self.model.index(row, 0), flags.ClearAndSelect | flags.Rows)
                self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._restoring = False

    def _selection_changed(self, *_: object) -> None:
        if self._restoring:
            return
        ids = self.selected_ids()
        self.edit_action.setEnabled(len(ids) == 1)
        self.delete_action.setEnabled(bool(ids))
        if len(ids) > 1:
            self.detail.show_placeholder(f"{len(ids)} {self.plural} selected.")  # type: ignore[attr-defined]
        else:
            self.detail.show_item(ids[0] if ids else None)  # type: ignore[attr-defined]

    # ---- actions ---------------------------------------------------------------------
    def edit_current(self) -> QWidget | None:
        ids = self.selected_ids()
        return self.edit_item(ids[0]) if len(ids) == 1 else None

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        try:
            command = self.delete_command(ids)
            if command is None:
                return
            self.ctx.undo.push(command)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        self.message.emit(f"{command.text()} — Ctrl+Z to undo.")

    def ask(self, question: str, detail: str) -> bool:
        box = QMessageBox.question(
            self,
            self.title,
            f"{question}\n\n{detail}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return box == QMessageBox.StandardButton.Yes

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, self.title, message)

    def saved(self, item_id: int | None, created: bool) -> None:
        if item_id is None:
            return
        self.show_item(item_id)
        if created:
            self.message.emit(f"{self.noun.capitalize()} created.")

    def column_menu(self) -> QMenu:
        """Show or hide any column but the stretching one (remembered with the header)."""
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for col, column in enumerate(self.model.columns):
            if col == self.stretch_column:
                continue
            act = menu.addAction(column.title)
            act.setCheckable(True)
            act.setChecked(not header.isSectionHidden(col))
            act.toggled.connect(lambda on, c=col: header.setSectionHidden(c, not on))
        return menu

    # ---- reacting to writes anywhere -------------------------------------------------
    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(*self.areas):
            self.refresh()

    # ---- remembered layout -------------------------------------------------------------
    def save_state(self) -> None:
        """Remember the splitter and columns; unchanged values are not written again
        (each write schedules a settings file sync, on every page switch)."""
        s = self.ctx.settings
        for key, state in (
            ("splitter", self.splitter.saveState()),
            ("header", self.table.horizontalHeader().saveState()),
        ):
            if s.value(f"{self.settings_key}/{key}") != state:
                s.setValue(f"{self.settings_key}/{key}", state)

    def restore_state(self) -> None:
        s = self.ctx.settings
        splitter = s.value(f"{self.settings_key}/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        header = s.value(f"{self.settings_key}/header")
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
