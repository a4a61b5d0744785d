"""The Trash page: what was archived, to restore or to delete for good.

Archiving is the undoable, everyday way to remove; deleting for good happens only here,
after a confirmation that says how many, what goes with them, what stays, and that it
cannot be undone. Restoring is undoable (Ctrl+Z archives again). One section per kind
(people, communities, events, outreach cards), all described by crm.ui.trash.sections.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

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
    QButtonGroup,
    QHBoxLayout,
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
from crm.services.trash import Impact
from crm.ui.communities.selection import selected_rows
from crm.ui.communities.style import SEGMENT_STYLE, card
from crm.ui.context import UiContext
from crm.ui.trash.confirm import confirm, consequences, listing
from crm.ui.trash.model import TrashModel
from crm.ui.trash.sections import BY_KEY, SECTIONS, Section
from crm.ui.trash.table import section_table
from crm.ui.undo import DoneCommand
from crm.ui.widgets.labels import heading, muted

SEARCH_DEBOUNCE_MS = 200
# trash/<section>/columns holds each header state ("header" before Archived moved last).
_SETTINGS = "trash"
# Segments between the first and the last share their left border with the one before.
_STYLE = SEGMENT_STYLE + 'QPushButton#segment[middle="true"] { border-left: none; }\n'


class TrashPage(QWidget):
    title = "Trash"
    message = Signal(str)  # for the status bar

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.section = SECTIONS[0].key
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

        # The section switch (segmented buttons, one per kind) and the actions.
        self.buttons: dict[str, QPushButton] = {}
        self.sections = QButtonGroup(self)
        self.sections.setExclusive(True)
        last = len(SECTIONS) - 1
        for i, spec in enumerate(SECTIONS):
            b = QPushButton(spec.title, self)
            b.setCheckable(True)
            b.setObjectName("segment")
            b.setProperty("first" if i == 0 else "last" if i == last else "middle", True)
            b.setToolTip(f"Archived {spec.many}")
            self.sections.addButton(b, i)
            self.buttons[spec.key] = b
        self.buttons[self.section].setChecked(True)
        self.sections.idClicked.connect(lambda i: self.show_section(SECTIONS[i].key))
        self.restore_button = QPushButton("Restore", self)
        self.restore_button.setToolTip(
            "Put the selection back where it was (Ctrl+R; Ctrl+Z undoes)"
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.delete_button = QPushButton("Delete for good…", self)
        self.delete_button.setToolTip("Delete the selection for good, after a question (Shift+Del)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.empty_button = QPushButton("Empty trash…", self)
        self.empty_button.setToolTip("Delete everything in every section for good")
        self.empty_button.clicked.connect(self.empty_trash)
        self.delete_button.setObjectName("danger")
        self.empty_button.setObjectName("danger")
        self.setStyleSheet(_STYLE)
        bar = QHBoxLayout()
        bar.setSpacing(0)
        for b in self.buttons.values():
            bar.addWidget(b)
        bar.addSpacing(12)
        self.hint = muted("Archived items wait here until you restore or delete them.", self)
        bar.addWidget(self.hint)
        bar.addStretch(1)
        for b in (self.restore_button, self.delete_button, self.empty_button):
            bar.addSpacing(6)
            bar.addWidget(b)

        # The models are cheap (ids only, queried when shown: the buttons' counts need
        # them); a section's table is built the first time it is shown (view()).
        self.models: dict[str, TrashModel] = {
            spec.key: TrashModel(ctx.services, spec, self) for spec in SECTIONS
        }
        self.tables: dict[str, QTableView] = {}
        self.stack = QStackedWidget(self)
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
        ctx.bus.changed.connect(self._on_changed)
        # Nothing is queried until the page is first shown: start-up does not wait for it.
        self._stale: set[str] = set(self.models)
        self._update_view()

    # ---- the page interface --------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self, sections: Iterable[str] | None = None) -> None:
        """Reload (all sections, or these) now when visible; otherwise when next shown."""
        self._stale.update(self.models if sections is None else sections)
        if not self.isVisible():
            return
        stale, self._stale = self._stale, set()
        for section in stale:
            keep = self.selected_ids(section)
            self.models[section].reload()
            self._select_rows(section, keep)
        self._update_view()

    def show_section(self, section: str) -> None:
        self.section = section
        self.buttons[section].setChecked(True)
        self._update_view()

    # ---- state ---------------------------------------------------------------------------
    @property
    def spec(self) -> Section:
        return BY_KEY[self.section]

    @property
    def model(self) -> TrashModel:
        return self.models[self.section]

    @property
    def table(self) -> QTableView:
        return self.view(self.section)

    def view(self, section: str) -> QTableView:
        """The section's table, built on first use: building all four up front was most
        of the page's first paint (their layout in the stack, not their SQL)."""
        if (view := self.tables.get(section)) is not None:
            return view
        view = section_table(self.models[section], BY_KEY[section], self)
        state = self.ctx.settings.value(f"{_SETTINGS}/{section}/columns")
        if isinstance(state, QByteArray):
            view.horizontalHeader().restoreState(state)
        view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(lambda pos, v=view: self._context_menu(v, pos))
        self._add_shortcuts(view)
        self.tables[section] = view
        self.stack.addWidget(view)
        return view

    def selected_ids(self, section: str | None = None) -> list[int]:
        section = section or self.section
        view, model = self.tables.get(section), self.models[section]
        if view is None:  # never shown: nothing can be selected in it
            return []
        rows = selected_rows(view)
        return [i for r in rows if (i := model.id_at(r)) is not None]

    def _select_rows(self, section: str, ids: Sequence[int]) -> None:
        if not ids or section not in self.tables:
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
        for spec in SECTIONS:
            n = self.models[spec.key].rowCount()
            self.buttons[spec.key].setText(
                f"{spec.title}  {n:,}" if self.models[spec.key].loaded else spec.title
            )
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.table)
        else:
            what = self.spec.many
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
        """Restore the selection; Ctrl+Z puts it back in the Trash."""
        ids, spec = self.selected_ids(), self.spec
        if not ids:
            return 0
        services = self.ctx.services
        try:
            n = spec.restore(services, ids)
        except ServiceError as exc:
            QMessageBox.warning(self, "Trash", str(exc))
            return 0
        if n:
            self.ctx.undo.push(
                DoneCommand(
                    f"Restore {spec.noun(n)}",
                    lambda: spec.restore(services, ids),
                    lambda: spec.archive(services, ids),
                )
            )
        self.message.emit(f"Restored {spec.noun(n)} (Ctrl+Z to undo).")
        return n

    def delete_selected(self) -> None:
        ids, spec = self.selected_ids(), self.spec
        if not ids or self.busy:
            return
        self._ask_then_purge(
            {spec.key: ids},
            "Delete for good",
            lambda with_: f"Delete {spec.noun(len(ids))} for good{with_}?",
            "Delete for good",
        )

    def empty_trash(self) -> None:
        if self.busy:
            return
        services = self.ctx.services
        doomed = {s.key: s.query_ids(services, "", "archived_at", True) for s in SECTIONS}
        doomed = {k: ids for k, ids in doomed.items() if ids}
        if not doomed:
            return
        what = listing([BY_KEY[k].noun(len(ids)) for k, ids in doomed.items()])
        self._ask_then_purge(
            doomed,
            "Empty trash",
            lambda with_: f"Delete everything in the Trash ({what}) for good{with_}?",
            "Empty trash",
        )

    def _ask_then_purge(
        self,
        doomed: dict[str, list[int]],
        title: str,
        question: Callable[[str], str],
        action: str,
    ) -> None:
        """Count what goes with the items on a task (for hundreds of people or thousands
        of events that takes a good part of a second), then ask, then purge.

        Each kind's count leaves out what another kind's purge takes (a person's
        invitation to a doomed event is said once), so the question adds up.
        """
        services = self.ctx.services
        specs = [s for s in SECTIONS if s.key in doomed and s.impact]

        def count(_control: object) -> list[tuple[Section, Impact]]:
            return [
                (
                    s,
                    s.impact(
                        services, doomed[s.key], {k: v for k, v in doomed.items() if k != s.key}
                    ),
                )  # type: ignore[misc]
                for s in specs
            ]

        def ask(impacts: object) -> None:
            self._set_busy(False)
            with_, kept = consequences(impacts)  # type: ignore[arg-type]
            if confirm(self, title, question(with_), action, kept):
                self._purge(doomed)

        self._set_busy(True)
        self.message.emit("Counting what goes with them…")
        self.ctx.tasks.run(count, on_done=ask, on_error=self._count_failed)

    def _count_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        QMessageBox.warning(self, "Trash", f"Could not count what goes with them: {exc}")

    def _purge(self, doomed: dict[str, list[int]]) -> None:
        """Deleting many rows can take a while: it runs as a task, off the GUI thread.

        Sections go in SECTIONS order: people first, whose purge takes their own
        invitations and cards along, so the later sections count only what is left.
        """
        services = self.ctx.services

        def work(_control: object) -> str:
            done = []
            for spec in SECTIONS:
                if ids := doomed.get(spec.key):
                    done.append(spec.noun(spec.purge(services, ids)))
            return listing(done)

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
        touched = [s.key for s in SECTIONS if changes.touches(*s.areas)]
        if touched:
            self.refresh(touched)

    def save_state(self) -> None:
        """The header state of the tables built (the others' saved state is left as is)."""
        for section, view in self.tables.items():
            self.ctx.settings.setValue(
                f"{_SETTINGS}/{section}/columns", view.horizontalHeader().saveState()
            )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh(())

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_state()
        super().hideEvent(event)
