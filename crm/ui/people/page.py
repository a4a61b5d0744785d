"""The People page: search and filters, the paged table, and the detail panel.

The table's model holds only ids; every refresh (a search keystroke, a filter, a
change on the bus) is one id query, and the selection is put back by id afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from crm.services import Changes
from crm.ui.context import UiContext
from crm.ui.people.bulk import BulkActions, people_count
from crm.ui.people.detail import PersonDetailPanel
from crm.ui.people.table_model import PeopleTableModel
from crm.ui.people.table_view import PeopleTableView
from crm.ui.widgets.icons import icon
from crm.ui.widgets.labels import heading, muted
from crm.vocab import ROLES

if TYPE_CHECKING:  # the dialogs are imported when first opened, not at start-up
    from crm.ui.people.interaction_dialog import InteractionDialog
    from crm.ui.people.person_dialog import PersonDialog

SEARCH_DELAY_MS = 150


class _TagCombo(QComboBox):
    """The tag filter; its list is read when it opens, so new tags always show."""

    def __init__(self, load, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._load = load

    def showPopup(self) -> None:
        self._load()
        super().showPopup()


class PeoplePage(QWidget):
    title = "People"
    message = Signal(str)
    community_activated = Signal(int)  # a community link in the detail: the window opens it
    item_activated = Signal(str, int)  # an event:<id> (…) link in the detail: likewise

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.bulk = BulkActions(ctx, self, self.message.emit)
        self._restoring = False

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search people")
        self.search.setToolTip("Names, emails, organisations, handles, tags, notes (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumWidth(160)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())

        self.role_filter = QComboBox()
        self.role_filter.addItem("All roles", None)
        for role in ROLES:
            self.role_filter.addItem(role.capitalize(), role)
        self.role_filter.currentIndexChanged.connect(self._apply_filters)
        shrink = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        self.tag_filter = _TagCombo(self._load_tags)
        for combo in (self.role_filter, self.tag_filter):
            combo.setSizeAdjustPolicy(shrink)
            combo.setMinimumContentsLength(9)
        self.tag_filter.addItem("All tags", None)  # the rest is read when it opens
        self.tag_filter.currentIndexChanged.connect(self._apply_filters)

        self.new_button = QPushButton(icon("person-add"), "New person")
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(lambda: self.new_person())
        self.log_button = QPushButton(icon("interaction"), "Log interaction")
        self.log_button.clicked.connect(lambda: self.log_interaction())
        self.actions_button = QPushButton("Selection")
        self.actions_button.setToolTip("Bulk actions on the selected people")
        self._actions_menu = QMenu(self)
        self._actions_menu.aboutToShow.connect(
            lambda: self.bulk.menu(self.selected_ids(), self._rebuilt_actions_menu())
        )
        self.actions_button.setMenu(self._actions_menu)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(heading("People", scale=1.35))
        self.count_label = muted()
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.new_button)
        top.addWidget(self.log_button)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.role_filter)
        bar.addWidget(self.tag_filter)
        bar.addStretch(1)
        bar.addWidget(self.actions_button)

        self.model = PeopleTableModel(self.services, self)
        self.table = PeopleTableView(self.model)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.enter_pressed.connect(lambda: self.edit_person())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.empty_label = self.table.empty_label

        self.detail = PersonDetailPanel(ctx)
        self.detail.edit_requested.connect(lambda pid: self.edit_person(pid))
        self.detail.log_requested.connect(lambda pid: self.log_interaction([pid]))
        self.detail.archive_requested.connect(lambda pid: self.bulk.archive([pid]))
        self.detail.restore_requested.connect(self._restore)
        self.detail.person_activated.connect(self.select_person)
        self.detail.community_activated.connect(self.community_activated)
        self.detail.item_activated.connect(self.item_activated)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(16, 14, 8, 12)
        lv.setSpacing(10)
        lv.addLayout(top)
        lv.addLayout(bar)
        lv.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("peopleSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.restore_state()  # before the first query: it may set the sort
        self.model.reload()
        self._update_count()
        ctx.bus.changed.connect(self._on_changed)

    # ---- the page protocol -----------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        self._reload()

    # ---- selection -------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        return self.table.selected_ids()

    def current_id(self) -> int | None:
        return self.table.current_id()

    def select_ids(self, ids: Sequence[int], current: int | None = None) -> None:
        self.table.select_ids(ids, current)

    def select_person(self, person_id: int) -> None:
        """Jump to a person (a referral link): clear filters if they hide them."""
        if self.model.row_of(person_id) < 0 and (
            self.search.text() or self.role_filter.currentIndex() or self.tag_filter.currentIndex()
        ):
            self._restoring = True
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.role_filter.setCurrentIndex(0)
            self.tag_filter.setCurrentIndex(0)
            self._restoring = False
            self.model.set_query(text="", role=None, tag=None)
            self._update_count()
        row = self.model.row_of(person_id)
        if row < 0:
            self.table.clearSelection()
            self.detail.set_person(person_id)
            return
        self.select_ids([person_id], person_id)
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.table.setFocus()

    def _selection_changed(self, *_: object) -> None:
        if self._restoring:
            return
        current = self.current_id()
        if current is None or not self.table.current_is_selected():
            ids = self.selected_ids()
            current = ids[0] if ids else None
        if current != self.detail.person_id:
            self.detail.set_person(current)

    # ---- actions ---------------------------------------------------------------------
    def new_person(self) -> PersonDialog:
        from crm.ui.people.person_dialog import PersonDialog

        dialog = PersonDialog(self.services, self)
        dialog.accepted.connect(lambda: dialog.saved_id and self.select_person(dialog.saved_id))
        dialog.open()
        return dialog

    def add_to_outreach(self, person_id: int):  # type: ignore[no-untyped-def]
        """A new outreach card for this person (the dialog of the Outreach page)."""
        from crm.ui.outreach.dialog import CardDialog

        name = self.services.people.names([person_id]).get(person_id, "")
        dialog = CardDialog(self.services, self, person=(person_id, name))
        dialog.accepted.connect(lambda: self.message.emit("Added to speaker outreach."))
        dialog.open()
        return dialog

    def invite_to_event(self, ids: list[int]):  # type: ignore[no-untyped-def]
        """Invite the selection to an event (crm.ui.events)."""
        from crm.ui.events.invite_people import InviteToEventDialog

        dialog = InviteToEventDialog(self.services, ids, self)
        dialog.accepted.connect(lambda: self.message.emit(dialog.result_.summary()))
        dialog.open()
        return dialog

    def edit_person(self, person_id: int | None = None) -> PersonDialog | None:
        pid = person_id if person_id is not None else self.current_id()
        if pid is None:
            return None
        from crm.ui.people.person_dialog import PersonDialog

        dialog = PersonDialog(self.services, self, self.services.people.get(pid))
        dialog.open()
        return dialog

    def log_interaction(self, ids: Sequence[int] | None = None) -> InteractionDialog:
        ids = list(ids) if ids is not None else self.selected_ids()
        names = self.services.people.names(ids[:50]) if ids else {}
        people = [(i, names[i]) for i in ids[:50] if i in names]
        from crm.ui.people.interaction_dialog import InteractionDialog

        dialog = InteractionDialog(self.services, self, people=people)
        dialog.open()
        return dialog

    def archive_selected(self) -> None:
        self.bulk.archive(self.selected_ids())

    def _restore(self, person_id: int) -> None:
        self.services.people.restore([person_id])
        self.message.emit("Restored from the Trash")
        self.select_person(person_id)

    def _double_clicked(self, index) -> None:  # type: ignore[no-untyped-def]
        pid = self.model.id_at(index.row())
        if pid is not None:
            self.edit_person(pid)

    def _rebuilt_actions_menu(self) -> QMenu:
        self._actions_menu.clear()
        return self._actions_menu

    def _context_menu(self, pos) -> None:  # type: ignore[no-untyped-def]
        ids = self.selected_ids()
        if not ids:
            return
        menu = QMenu(self)
        if len(ids) == 1:
            menu.addAction("Edit…", lambda: self.edit_person(ids[0]))
        menu.addAction("Log interaction…", lambda: self.log_interaction(ids))
        if len(ids) == 1:
            menu.addAction("Add to speaker outreach…", lambda: self.add_to_outreach(ids[0]))
        menu.addAction("Invite to event…", lambda: self.invite_to_event(ids))
        menu.addSeparator()
        self.bulk.menu(ids, menu)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    # ---- filtering and refreshing ----------------------------------------------------
    def _apply_search(self) -> None:
        self._reload(text=self.search.text())

    def _apply_filters(self, *_: object) -> None:
        if not self._restoring:
            self._reload(role=self.role_filter.currentData(), tag=self.tag_filter.currentData())

    def _load_tags(self) -> None:
        current = self.tag_filter.currentData()
        names = [t.name for t in self.services.tags.all()]
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("All tags", None)
        for name in names:
            self.tag_filter.addItem(name, name)
        i = self.tag_filter.findData(current) if current else 0
        self.tag_filter.setCurrentIndex(max(i, 0))
        self.tag_filter.blockSignals(False)
        if current and i < 0:  # the tag filtered by is gone
            self._apply_filters()

    def _reload(self, columns: bool = False, **query: object) -> None:
        ids, current = self.selected_ids(), self.current_id()
        scroll = self.table.verticalScrollBar().value()
        self._restoring = True
        try:
            if columns:
                self._rebuild_columns()
            if query:
                self.model.set_query(**query)
            else:
                self.model.reload()
            self.select_ids(ids, current)
            self.table.verticalScrollBar().setValue(scroll)
        finally:
            self._restoring = False
        self._update_count()
        self._selection_changed()

    def _on_changed(self, change: Changes) -> None:
        if change.touches("people", "tags", "interactions", "fields", "trash", "communities"):
            self._reload(columns=change.touches("fields"))

    def _rebuild_columns(self) -> None:
        state = self.table.horizontalHeader().saveState()
        keys = self.model.column_keys()
        self.model.refresh_columns()
        self.table.columns_changed(keys, state)

    def _update_count(self) -> None:
        n = self.model.rowCount()
        q = self.model.query
        filtered = bool(q.text or q.role or q.tag)
        self.count_label.setText(f"{people_count(n)}{' match' if filtered and n != 1 else ''}")
        if filtered and n == 1:
            self.count_label.setText("1 person matches")
        if n:
            empty = ""
        elif filtered:
            empty = "Nobody matches. Try fewer words or clear the filters."
        else:
            empty = "No people yet. Add the first with New person (Ctrl+N)."
        self.table.set_empty_text(empty)

    # ---- state -----------------------------------------------------------------------
    def save_state(self) -> None:
        s = self.ctx.settings
        s.setValue("people/splitter", self.splitter.saveState())
        detail_state = self.detail.splitter_state()
        if detail_state is not None:
            s.setValue("people/detail_splitter", detail_state)
        self.table.save_header(s, "people/header")

    def restore_state(self) -> None:
        s = self.ctx.settings
        self.splitter.setSizes([700, 420])
        value = s.value("people/splitter")
        if isinstance(value, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(value))
        value = s.value("people/detail_splitter")
        if isinstance(value, QByteArray | bytes):
            self.detail.restore_splitter(QByteArray(value))
        self.table.restore_header(s, "people/header")
