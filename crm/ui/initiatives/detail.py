"""The right side of the Initiatives page: one initiative, its links and participants."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm.models.engagement import PARTICIPANT_RESULTS
from crm.services import NotFound, ServiceError, Services
from crm.services.initiatives import InitiativeDetail
from crm.ui.feedback.table_look import fit_columns
from crm.ui.initiatives.table_model import ParticipantTableModel
from crm.ui.people.detail_sections import item_link, link_label
from crm.ui.widgets.empty_hint import EmptyHint
from crm.ui.widgets.labels import ErrorLabel, heading, muted, section_title


class InitiativeDetailPanel(QWidget):
    edit_requested = Signal(int)
    delete_requested = Signal(int)
    add_requested = Signal(int)
    person_activated = Signal(int)
    item_activated = Signal(str, int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.detail: InitiativeDetail | None = None
        self.title = heading("", self, scale=1.2)
        self.title.setWordWrap(True)
        self.meta = muted("", self)
        self.goal = muted("", self)
        self.goal.setWordWrap(True)
        self.description = muted("", self)
        self.description.setWordWrap(True)
        self.links = link_label(
            "", self.person_activated.emit, on_item=lambda k, i: self.item_activated.emit(k, i)
        )
        edit = QPushButton("Edit…", self)
        edit.clicked.connect(lambda: self._emit(self.edit_requested))
        delete = QPushButton("Delete…", self)
        delete.clicked.connect(lambda: self._emit(self.delete_requested))
        self.add_button = QPushButton("Add participants…", self)
        self.add_button.clicked.connect(lambda: self._emit(self.add_requested))
        actions = QHBoxLayout()
        for b in (self.add_button, edit, delete):
            actions.addWidget(b)
        actions.addStretch(1)

        self.participants_title = section_title("Participants", self)
        self.people = ParticipantTableModel(services, self)
        self.participants = QTableView(self)
        self.participants.setModel(self.people)
        self.participants.verticalHeader().hide()
        self.participants.verticalHeader().setDefaultSectionSize(26)
        self.participants.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.participants.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.participants.setAlternatingRowColors(True)
        self.participants.setShowGrid(False)
        self.participants.setWordWrap(False)
        fit_columns(self.participants, {1: "Submitted", 2: "2026-12-31"}, stretch=0)
        self.participants_hint = EmptyHint(self.participants)
        # Winners, then submitted, then joined (the model's default order).
        self.participants.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        self.participants.setSortingEnabled(True)
        self.participants.doubleClicked.connect(self._open_person)
        self.result = QComboBox(self)
        for r in PARTICIPANT_RESULTS:
            self.result.addItem(f"Mark as {r}", r)
        self.set_button = QPushButton("Set", self)
        self.set_button.clicked.connect(self.set_result)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self.remove_selected)
        tools = QHBoxLayout()
        tools.addWidget(self.result)
        tools.addWidget(self.set_button)
        tools.addWidget(self.remove_button)
        tools.addStretch(1)
        self.error = ErrorLabel(self)

        self.empty = muted("Choose an initiative to see it here.", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)  # a long hint wraps instead of widening the panel
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.meta, self.goal, self.description, self.links):
            body.addWidget(w)
        body.addLayout(actions)
        body.addWidget(self.participants_title)
        body.addWidget(self.participants, 1)
        body.addLayout(tools)
        body.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.body, 1)
        self.body.hide()

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        if self.detail is not None:
            signal.emit(self.detail.id)

    def show_initiative(self, initiative_id: int | None) -> None:
        try:
            d = self.services.initiatives.get(initiative_id) if initiative_id else None
        except NotFound:
            d = None
        self.detail = d
        self.error.set_error(None)
        if d is None:
            self.people.show(None)
            self.body.hide()
            self.empty.show()
            return
        self.title.setText(d.title)
        dates = " – ".join(f"{x:%Y-%m-%d}" if x else "…" for x in (d.starts_on, d.ends_on))
        self.meta.setText(
            f"{d.kind.capitalize()} · {dates if d.starts_on or d.ends_on else 'no dates'}"
        )
        self.goal.setText(f"Goal: {d.goal}" if d.goal else "No goal set.")
        self.description.setText(d.description)
        self.description.setVisible(bool(d.description))
        links = [
            f"Event: {item_link('event', e.id, e.title)}"
            + (f" ({e.when:%Y-%m-%d})" if e.when else "")
            for e in d.events
        ]
        links += [f"Content: {item_link('content', c.id, c.title)} · {c.detail}" for c in d.content]
        self.links.setText("<br>".join(links) or "No linked events or content.")
        n, winners = d.participant_count, d.winners
        self.participants_title.setText(
            f"Participants ({n:,}"
            + (f", {winners:,} winner{'s' if winners != 1 else ''})" if winners else ")")
        )
        self.people.show(d.id)
        self.participants_hint.set_text(
            "" if n else "Nobody yet. Add participants… picks people, several at once."
        )
        self.empty.hide()
        self.body.show()

    def selected_people(self) -> list[int]:
        rows = {i.row() for i in self.participants.selectionModel().selectedRows()}
        return [p for r in sorted(rows) if (p := self.people.id_at(r)) is not None]

    def _open_person(self, index) -> None:  # type: ignore[no-untyped-def]
        if (person_id := self.people.id_at(index.row())) is not None:
            self.person_activated.emit(person_id)

    def set_result(self) -> None:
        people = self.selected_people()
        if self.detail is None or not people:
            self.error.set_error("Select participants first.")
            return
        try:
            self.services.initiatives.set_result(self.detail.id, people, self.result.currentData())
        except ServiceError as exc:
            self.error.set_error(str(exc))

    def remove_selected(self) -> None:
        people = self.selected_people()
        if self.detail is None or not people:
            self.error.set_error("Select participants first.")
            return
        self.services.initiatives.remove_participants(self.detail.id, people)
