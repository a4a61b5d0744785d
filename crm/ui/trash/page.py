"""The Trash page: what was archived, to restore or to delete for good.

Archiving is the undoable, everyday way to remove; deleting for good happens only here,
after a confirmation that says how many and that it cannot be undone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm.services import Changes, ServiceError
from crm.services.people_data import PeopleQuery
from crm.ui.communities.selection import selected_rows
from crm.ui.communities.style import SEGMENT_STYLE, card
from crm.ui.context import UiContext
from crm.ui.trash.model import Section, TrashModel
from crm.ui.widgets.labels import heading, muted

SEARCH_DEBOUNCE_MS = 200
_SETTINGS = "trash"
_NOUNS = {"people": ("person", "people"), "communities": ("community", "communities")}


def noun(section: Section, n: int) -> str:
    one, many = _NOUNS[section]
    return f"{n:,} {one if n == 1 else many}"


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask before something that cannot be undone; Cancel is the default button."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setInformativeText("This cannot be undone.")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText(action)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def _table(model: TrashModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(28)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    view.setColumnWidth(0, 320)
    view.setColumnWidth(1, 180)
    header.setSortIndicator(model.sort_column(), Qt.SortOrder.DescendingOrder)
    view.setSortingEnabled(True)
    return view


class TrashPage(QWidget):
    title = "Trash"
    message = Signal(str)  # for the status bar

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.section: Section = "people"
        self.busy = False

        self.heading = heading(self.title, self, scale=1.35)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search the trash…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.search)

        # Section switch (a segmented pair) and the actions.
        self.people_button = QPushButton(self)
        self.communities_button = QPushButton(self)
        self.sections = QButtonGroup(self)
        self.sections.setExclusive(True)
        for i, b in enumerate((self.people_button, self.communities_button)):
            b.setCheckable(True)
            b.setObjectName("segment")
            b.setProperty("first" if i == 0 else "last", True)
            self.sections.addButton(b, i)
        self.people_button.setChecked(True)
        self.sections.idClicked.connect(
            lambda i: self.show_section("people" if i == 0 else "communities")
        )
        self.restore_button = QPushButton("Restore", self)
        self.restore_button.clicked.connect(self.restore_selected)
        self.delete_button = QPushButton("Delete for good…", self)
        self.delete_button.clicked.connect(self.delete_selected)
        self.empty_button = QPushButton("Empty trash…", self)
        self.empty_button.clicked.connect(self.empty_trash)
        self.delete_button.setObjectName("danger")
        self.empty_button.setObjectName("danger")
        self.setStyleSheet(SEGMENT_STYLE)
        bar = QHBoxLayout()
        bar.setSpacing(0)
        bar.addWidget(self.people_button)
        bar.addWidget(self.communities_button)
        bar.addSpacing(12)
        self.hint = muted("Archived items wait here until you restore or delete them.", self)
        bar.addWidget(self.hint)
        bar.addStretch(1)
        for b in (self.restore_button, self.delete_button, self.empty_button):
            bar.addSpacing(6)
            bar.addWidget(b)

        self.models: dict[Section, TrashModel] = {
            "people": TrashModel(ctx.services, "people", self),
            "communities": TrashModel(ctx.services, "communities", self),
        }
        self.tables: dict[Section, QTableView] = {}
        self.stack = QStackedWidget(self)
        for section, model in self.models.items():
            view = _table(model, self)
            view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self._context_menu(v, pos))
            self._add_shortcuts(view)
            self.tables[section] = view
            self.stack.addWidget(view)
        self.empty = card(self)
        self.empty_text = muted("", self.empty)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QVBoxLayout(self.empty)
        box.addWidget(self.empty_text)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self._restore_state()
        ctx.bus.changed.connect(self._on_changed)
        # Nothing is queried until the page is first shown: start-up does not wait for it.
        self._stale = True
        self._update_view()

    # ---- the page interface --------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        """Reload now when visible; otherwise reload when next shown."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        for section, model in self.models.items():
            keep = self.selected_ids(section)
            model.reload()
            self._select_rows(section, keep)
        self._update_view()

    def show_section(self, section: Section) -> None:
        self.section = section
        (self.people_button if section == "people" else self.communities_button).setChecked(True)
        self._update_view()

    # ---- state ---------------------------------------------------------------------------
    @property
    def model(self) -> TrashModel:
        return self.models[self.section]

    @property
    def table(self) -> QTableView:
        return self.tables[self.section]

    def selected_ids(self, section: Section | None = None) -> list[int]:
        section = section or self.section
        view, model = self.tables[section], self.models[section]
        rows = selected_rows(view)
        return [i for r in rows if (i := model.id_at(r)) is not None]

    def _select_rows(self, section: Section, ids: Sequence[int]) -> None:
        if not ids:
            return
        model, view = self.models[section], self.tables[section]
        where = {item: row for row, item in enumerate(model.ids)}
        selection = QItemSelection()
        last = model.columnCount() - 1
        for item in ids:
            if (row := where.get(item)) is not None:
                selection.select(model.index(row, 0), model.index(row, last))
        view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        for model in self.models.values():
            model.set_text(text)
        self._update_view()

    def _update_view(self) -> None:
        filtered = bool(self.search.text().strip())
        self.people_button.setText(f"People  {self.models['people'].rowCount():,}")
        self.communities_button.setText(f"Communities  {self.models['communities'].rowCount():,}")
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.table)
        else:
            what = _NOUNS[self.section][1]
            self.empty_text.setText(
                f"No archived {what} match this search."
                if filtered
                else f"No archived {what}.\nArchived {what} appear here; Ctrl+Z undoes an archive."
            )
            self.stack.setCurrentWidget(self.empty)
        self._update_actions()

    def _update_actions(self) -> None:
        has = bool(self.selected_ids()) and not self.busy
        self.restore_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        total = sum(m.rowCount() for m in self.models.values())
        self.empty_button.setEnabled(bool(total) and not self.busy and not self.search.text())

    # ---- actions -------------------------------------------------------------------------
    def restore_selected(self) -> int:
        ids = self.selected_ids()
        if not ids:
            return 0
        try:
            if self.section == "people":
                n = self.ctx.services.people.restore(ids)
            else:
                n = self.ctx.services.communities.restore(ids)
        except ServiceError as exc:
            QMessageBox.warning(self, "Trash", str(exc))
            return 0
        self.message.emit(f"Restored {noun(self.section, n)}.")
        return n

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        section = self.section
        if not confirm(
            self,
            "Delete for good",
            f"Delete {noun(section, len(ids))} for good?",
            "Delete for good",
        ):
            return
        self._purge({section: ids})

    def empty_trash(self) -> None:
        people = self.ctx.services.people.query_ids(PeopleQuery(archived=True))
        communities = self.ctx.services.communities.query_ids(archived=True)
        if not people and not communities:
            return
        parts = [noun(s, len(i)) for s, i in (("people", people), ("communities", communities))]
        what = " and ".join(p for p in parts if not p.startswith("0 "))
        if not confirm(
            self, "Empty trash", f"Delete everything in the Trash ({what}) for good?", "Empty trash"
        ):
            return
        self._purge({"people": people, "communities": communities})

    def _purge(self, doomed: dict[Section, list[int]]) -> None:
        """Deleting many rows can take a while: it runs as a task, off the GUI thread."""
        services = self.ctx.services

        def work(_control: object) -> str:
            done = []
            if doomed.get("people"):
                done.append(noun("people", services.people.purge(doomed["people"])))
            if doomed.get("communities"):
                done.append(noun("communities", services.communities.purge(doomed["communities"])))
            return " and ".join(done)

        self._set_busy(True)
        self.ctx.tasks.run(work, on_done=self._purged, on_error=self._purge_failed)

    def _purged(self, what: object) -> None:
        self._set_busy(False)
        self.refresh()
        self.message.emit(f"Deleted {what} for good.")

    def _purge_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.refresh()
        QMessageBox.warning(self, "Trash", f"Could not delete: {exc}")

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_actions()

    def _add_shortcuts(self, view: QTableView) -> None:
        actions: list[tuple[str, QKeySequence, Callable[[], object]]] = [
            ("Restore", QKeySequence("Ctrl+R"), self.restore_selected),
            ("Delete for good…", QKeySequence("Shift+Del"), self.delete_selected),
        ]
        for text, keys, fn in actions:
            act = QAction(text, view)
            act.setShortcut(keys)
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(fn)
            view.addAction(act)

    def _context_menu(self, view: QTableView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        if not index.isValid():
            return
        if index.row() not in selected_rows(view):
            view.selectRow(index.row())
        menu = QMenu(self)
        menu.addActions(view.actions())
        menu.popup(view.viewport().mapToGlobal(pos))

    # ---- reacting to writes anywhere -----------------------------------------------------
    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("people", "communities", "trash"):
            self.refresh()

    def _restore_state(self) -> None:
        for section, view in self.tables.items():
            state = self.ctx.settings.value(f"{_SETTINGS}/{section}/header")
            if isinstance(state, QByteArray):
                view.horizontalHeader().restoreState(state)

    def save_state(self) -> None:
        for section, view in self.tables.items():
            self.ctx.settings.setValue(
                f"{_SETTINGS}/{section}/header", view.horizontalHeader().saveState()
            )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_state()
        super().hideEvent(event)
