"""The Initiatives page: contests, challenges, campaigns, webinar series, ambassador
programmes and promotions beside the chosen one's details and participants."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
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

from crm.models.engagement import INITIATIVE_KINDS
from crm.services import Changes, ServiceError
from crm.services.initiatives import PHASES
from crm.services.undo_rows import DeletedRows
from crm.ui.communities.selection import show_row
from crm.ui.context import UiContext
from crm.ui.feedback.after_paint import AfterFirstPaint
from crm.ui.feedback.table_look import ColumnChooser, fit_columns
from crm.ui.initiatives.detail import InitiativeDetailPanel
from crm.ui.initiatives.dialog import AddParticipantsDialog, InitiativeDialog
from crm.ui.initiatives.table_model import InitiativeTableModel
from crm.ui.undo import CallbackCommand
from crm.ui.widgets.empty_hint import EmptyHint
from crm.ui.widgets.labels import heading, muted

EMPTY_HINT = (
    "No initiatives yet. Start a contest, challenge, campaign, webinar series, "
    "ambassador programme or promotion with New initiative (Ctrl+Shift+N)."
)
EMPTY_DETAIL = (
    "An initiative has dates and a goal, links to its events and content, and the "
    "people taking part with their result. It shows here."
)


class InitiativesPage(QWidget):
    title = "Initiatives"
    LINK_KIND = "initiative"
    person_activated = Signal(int)
    item_activated = Signal(str, int)
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.dialog: QWidget | None = None

        self.heading = heading(self.title, self, scale=1.35)
        self.count = muted("", self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search initiatives…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.kind = QComboBox(self)
        self.kind.addItem("All kinds", None)
        for k in INITIATIVE_KINDS:
            self.kind.addItem(k.capitalize(), k)
        self.phase = QComboBox(self)
        self.phase.addItem("Any time", None)
        for p in PHASES:
            self.phase.addItem(p.capitalize(), p)
        self.new_button = QPushButton("New initiative", self)
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_initiative)
        self.new_button.setToolTip("New initiative (Ctrl+Shift+N)")
        new_shortcut = QAction(self)
        new_shortcut.setShortcut(QKeySequence("Ctrl+Shift+N"))
        new_shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_shortcut.triggered.connect(self.new_initiative)
        self.addAction(new_shortcut)
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        bar.addStretch(1)
        for w in (self.search, self.kind, self.phase, self.new_button):
            bar.addWidget(w)

        self.model = InitiativeTableModel(ctx.services, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # Title | Kind | Starts | Ends | Phase | Participants | Winners | Goal: the title
        # takes what is left; the goal (in the detail too) starts hidden.
        fit_columns(
            self.table,
            {
                1: "Ambassador prog…",
                2: "2026-12-31",
                3: "2026-12-31",
                4: "Upcoming",
                5: "10,000",
                6: "100",
                7: "500 people finishing every day",
            },
            stretch=0,
        )
        self.columns = ColumnChooser(self.table, ctx.settings, "initiatives/hidden_columns", (7,))
        self.empty_hint = EmptyHint(self.table)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        self.edit_action = QAction("Edit…", self)
        self.edit_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence("F2")])
        self.edit_action.triggered.connect(self.edit_current)
        self.delete_action = QAction("Delete…", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_current)
        for act in (self.edit_action, self.delete_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(act)

        self.detail = InitiativeDetailPanel(ctx.services, self)
        self.detail.edit_requested.connect(self.edit_initiative)
        self.detail.delete_requested.connect(self.delete_initiative)
        self.detail.add_requested.connect(self.add_participants)
        self.detail.person_activated.connect(self.person_activated)
        self.detail.item_activated.connect(self.item_activated)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([720, 440])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.kind.currentIndexChanged.connect(lambda _: self.apply_filter())
        self.phase.currentIndexChanged.connect(lambda _: self.apply_filter())
        self.model.reload()
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        ctx.bus.changed.connect(self._on_changed)
        self._update_count()
        # The list paints first; the chosen initiative's detail and participants fill
        # a frame later.
        self._detail_live = AfterFirstPaint(self.table.viewport(), self._selection_changed)
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self._selection_changed()

    # ---- the page interface -------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        current = self.current_id()
        self.model.reload()
        self._select_rows(current)
        self._update_count()

    def show_item(self, initiative_id: int) -> None:
        filtered = self.search.text() or self.kind.currentData() or self.phase.currentData()
        if self.model.row_of(initiative_id) < 0 and filtered:
            for w in (self.search, self.kind, self.phase):
                w.blockSignals(True)
            self.search.clear()
            self.kind.setCurrentIndex(0)
            self.phase.setCurrentIndex(0)
            for w in (self.search, self.kind, self.phase):
                w.blockSignals(False)
            self.model.set_filter("", None, None)
        self._select_rows(initiative_id)

    # ---- table ------------------------------------------------------------------------
    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def _select_rows(self, initiative_id: int | None) -> None:
        self._detail_live.done = True  # a later action: the detail follows at once
        show_row(self.table, self.model.row_of(initiative_id) if initiative_id is not None else -1)
        self._selection_changed()

    def _selection_changed(self) -> None:
        iid = self.current_id()
        self.edit_action.setEnabled(iid is not None)
        self.delete_action.setEnabled(iid is not None)
        if self._detail_live.done:
            self.detail.show_initiative(iid)
        else:
            self.detail.empty.hide()  # blank for the frame before the detail fills

    def apply_filter(self) -> None:
        self._timer.stop()
        current = self.current_id()
        self.model.set_filter(
            self.search.text().strip(), self.kind.currentData(), self.phase.currentData()
        )
        self._select_rows(current)
        self._update_count()

    def _update_count(self) -> None:
        total = self.services.initiatives.count()
        shown = self.model.rowCount()
        filtered = bool(self.model.text or self.model.kind or self.model.phase)
        self.count.setText(f"{shown:,} of {total:,}" if filtered else f"{total:,} initiatives")
        if not total:
            hint = EMPTY_HINT
        elif not shown:
            hint = "No initiative matches. Try fewer words, “All kinds” or “Any time”."
        else:
            hint = ""
        self.empty_hint.set_text(hint)
        self.detail.empty.setText("Choose an initiative to see it here." if total else EMPTY_DETAIL)

    # ---- actions ------------------------------------------------------------------------
    def _open(self, dlg: QWidget, on_accept) -> QWidget:  # type: ignore[no-untyped-def]
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(on_accept)  # type: ignore[attr-defined]
        self.dialog = dlg
        dlg.open()  # type: ignore[attr-defined]
        return dlg

    def new_initiative(self) -> InitiativeDialog:
        dlg = InitiativeDialog(self.services, None, self)
        return self._open(dlg, lambda: self._saved(dlg.initiative_id, "Initiative created."))  # type: ignore[return-value]

    def edit_current(self) -> InitiativeDialog | None:
        iid = self.current_id()
        return self.edit_initiative(iid) if iid is not None else None

    def edit_initiative(self, initiative_id: int) -> InitiativeDialog:
        dlg = InitiativeDialog(self.services, initiative_id, self)
        return self._open(dlg, lambda: self._saved(initiative_id, "Initiative saved."))  # type: ignore[return-value]

    def _saved(self, initiative_id: int | None, text: str) -> None:
        if initiative_id is not None:
            self.show_item(initiative_id)
        self.message.emit(text)

    def add_participants(self, initiative_id: int) -> AddParticipantsDialog:
        title = self.services.initiatives.get(initiative_id).title
        dlg = AddParticipantsDialog(self.services, initiative_id, title, self)
        return self._open(  # type: ignore[return-value]
            dlg, lambda: self.message.emit(f"{dlg.added} participant(s) added.")
        )

    def delete_current(self) -> None:
        if (iid := self.current_id()) is not None:
            self.delete_initiative(iid)

    def delete_initiative(self, initiative_id: int) -> bool:
        """Delete (Ctrl+Z brings it back); asks first when results or links go too."""
        try:
            title = self.services.initiatives.get(initiative_id).title
            people, events, content = self.services.initiatives.impact(initiative_id)
        except ServiceError as exc:
            QMessageBox.warning(self, "Initiatives", str(exc))
            return False
        goes = []
        if people:
            goes.append(f"the results of its {people:,} participant{'s' if people != 1 else ''}")
        if events or content:
            goes.append(f"its links to {events} event(s) and {content} content item(s)")
        if goes:
            text = f"Delete the initiative “{title}” with {' and '.join(goes)}?"
            text += "\nThe people, events and content themselves stay."
            text += "\nCtrl+Z (Edit → Undo) brings it all back."
            answer = QMessageBox.question(self, "Delete initiative", text)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        gone: list[DeletedRows] = []

        def do() -> None:
            gone[:] = [self.services.initiatives.delete(initiative_id)]

        def undo() -> None:
            try:
                self.services.initiatives.restore(gone[0])
            except ServiceError as exc:
                QMessageBox.warning(self, "Undo", str(exc))

        try:
            self.ctx.undo.push(CallbackCommand(f"Delete initiative “{title}”", do, undo))
        except ServiceError as exc:
            QMessageBox.warning(self, "Initiatives", str(exc))
            return False
        self.message.emit(f"Deleted “{title}” — Ctrl+Z brings it back.")
        return True

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("initiatives", "people", "trash", "content", "events"):
            self.refresh()
