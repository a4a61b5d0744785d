"""One advocacy note: its facts, status history, the members behind it and its tasks.

Status moves, adding and removing members, and new tasks happen here; each is one
service call, and the page refreshes from the change bus like any other write.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton, QToolButton, QWidget

from crm.models import ADVOCACY_STATUSES
from crm.services import NotFound, ServiceError
from crm.services.advocacy import NoteDetail
from crm.ui.advocacy.detail_card import DetailCard, date_text, esc, external_link
from crm.ui.context import UiContext
from crm.ui.people.detail_sections import item_link, person_link
from crm.ui.widgets.labels import muted
from crm.ui.widgets.person_picker import PersonPicker

SHOWN_VOICES = 150  # a request with 600 members lists the first ones and says how many more


class NoteDetailPanel(DetailCard):
    placeholder_text = "Select a note to see its history and the members behind it."
    edit_requested = Signal(int)
    delete_requested = Signal(int)
    task_requested = Signal(int)
    failed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.note: NoteDetail | None = None

    def build(self) -> None:
        ctx = self.ctx
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.move_button = QToolButton(self)
        self.move_button.setText("Move to")
        self.move_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.move_menu = QMenu(self.move_button)
        self.move_button.setMenu(self.move_menu)
        self.move_actions: dict[str, QAction] = {}
        for status in ADVOCACY_STATUSES:
            act = self.move_menu.addAction(status.capitalize())
            act.triggered.connect(lambda _=False, s=status: self.move_to(s))
            self.move_actions[status] = act
        self.task_button = QPushButton("New task…", self)
        self.task_button.clicked.connect(lambda: self._emit(self.task_requested))
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.setObjectName("danger")
        self.delete_button.clicked.connect(lambda: self._emit(self.delete_requested))
        for b in (self.edit_button, self.move_button, self.task_button):
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.delete_button)
        self.picker = PersonPicker(ctx.services, self)
        self.picker.setPlaceholderText("Add a member behind this note: type a name…")
        self.picker.person_chosen.connect(lambda pid, _name: self.add_voice(pid))
        self.fixed.addWidget(self.picker)

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        if self.item_id is not None:
            signal.emit(self.item_id)

    def load(self, item_id: int) -> bool:
        try:
            d = self.ctx.services.advocacy.get(item_id)
        except NotFound:
            self.note = None
            return False
        self.note = d
        self.name.setText(d.title)
        self.badge.set_word(d.status)
        self.subtitle.setText(f"{d.kind.capitalize()} · for {d.department}")
        for status, act in self.move_actions.items():
            act.setEnabled(status != d.status)
        self.facts(
            [
                ("Members behind it", f"<b>{len(d.voices):,}</b>"),
                ("Ticket", external_link(d.ticket_url)),
                ("Raised", date_text(d.created_at)),
                ("Last change", date_text(d.updated_at)),
            ]
        )
        self.section("Details")
        self.text(d.details, "No details yet.")
        self.section("Outcome told to members")
        self.text(d.outcome, "Nothing told back yet.")
        self.section("History")
        self.lines([f"{esc(s.status.capitalize())} — {date_text(s.on)}" for s in d.steps])
        self.section(f"Tasks ({len(d.tasks)})")
        self.lines(
            [
                item_link("task", t.id, t.title)
                + f" <span style='color:gray'>· {esc(t.status)}"
                + (f" · due {date_text(t.due_on)}" if t.due_on else "")
                + "</span>"
                for t in d.tasks
            ],
            "No tasks handed to a department yet.",
        )
        self.section(f"Members behind it ({len(d.voices):,})")
        for v in d.voices[:SHOWN_VOICES]:
            remove = QToolButton(self)
            remove.setText("✕")
            remove.setToolTip(f"Remove {v.name} from this note")
            remove.setAutoRaise(True)
            remove.clicked.connect(lambda _=False, pid=v.person_id: self.remove_voice(pid))
            link = person_link(v.person_id, v.name)
            if v.in_trash:
                link += " <span style='color:gray'>(in the Trash)</span>"
            label = self.rich(link)
            label.setWordWrap(False)  # a name on one line, its ✕ right after it
            self.add_row(label, remove)
        if len(d.voices) > SHOWN_VOICES:
            self.body.addWidget(muted(f"… and {len(d.voices) - SHOWN_VOICES:,} more."))
        if not d.voices:
            self.body.addWidget(muted("Nobody yet: add the members who asked for it below."))
        self.picker.set_excluded(v.person_id for v in d.voices)
        return True

    # ---- actions -----------------------------------------------------------------------
    def move_to(self, status: str) -> None:
        if self.item_id is None:
            return
        try:
            self.ctx.services.advocacy.set_status(self.item_id, status)
        except ServiceError as exc:
            self.failed.emit(str(exc))

    def add_voice(self, person_id: int) -> None:
        if self.item_id is None:
            return
        try:
            self.ctx.services.advocacy.add_voices(self.item_id, [person_id])
        except ServiceError as exc:
            self.failed.emit(str(exc))
        self.picker.set_person(None)

    def remove_voice(self, person_id: int) -> None:
        if self.item_id is not None:
            self.ctx.services.advocacy.remove_voices(self.item_id, [person_id])
