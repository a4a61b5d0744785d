"""One event: a header with its time and an actions row, and the four tabs.

`actions_row` is a plain QHBoxLayout other areas may add buttons to (the calendar
files add "Export invitations…" and "Email drafts…"); `event_id` is the event shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm.services import NotFound, ServiceError
from crm.services.events import EventDetail
from crm.ui.context import UiContext
from crm.ui.events.form import EventForm
from crm.ui.events.invitations_tab import InvitationsTab
from crm.ui.events.plan_tabs import AgendaTab, LogisticsTab
from crm.ui.events.style import STATUS_COLOURS, span_text
from crm.ui.widgets.labels import heading, muted

DETAILS, INVITATIONS, AGENDA, LOGISTICS = range(4)
TITLES = ("Details", "Invitations", "Agenda", "Logistics")


class EventDetailPanel(QWidget):
    message = Signal(str)
    person_activated = Signal(int)
    archive_requested = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.event_id: int | None = None
        self.current: EventDetail | None = None

        self.placeholder = muted("Choose an event, or make a new one.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The row other areas hook buttons into exists from the start (the main window
        # fills it when the page is built); the body holding it, the form and the tabs
        # is built when the first event is shown, after the page's first paint.
        # It lives on a small widget of its own so that buttons added to it have a
        # parent even while the body is not built.
        self.actions_bar = QWidget(self)
        self.actions_bar.hide()
        self.actions_row = QHBoxLayout(self.actions_bar)
        self.actions_row.setContentsMargins(0, 0, 0, 0)
        self.actions_row.setSpacing(6)
        self._body: QWidget | None = None

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.stack)

    @property
    def built(self) -> bool:
        """Whether the form and tabs exist yet (they are built on the first event)."""
        return self._body is not None

    def _build(self) -> None:
        body = QWidget(self)
        self.title = heading("", body, scale=1.25)
        self.title.setWordWrap(True)
        self.when = QLabel(body)
        self.when.setWordWrap(True)
        self.where = muted("", body)
        self.where.setWordWrap(True)
        self.where.setOpenExternalLinks(True)
        self.where.setTextFormat(Qt.TextFormat.RichText)
        self.status = QLabel(body)
        self.invite_button = QPushButton("Invite…", body)
        self.invite_button.clicked.connect(lambda: self.show_invitations().invite("people"))
        self.archive_button = QPushButton("Archive", body)
        self.archive_button.clicked.connect(
            lambda: self.event_id is not None and self.archive_requested.emit(self.event_id)
        )
        # Buttons other areas added come after ours.
        self.actions_row.insertWidget(0, self.invite_button)
        self.actions_row.insertStretch(1, 1)
        self.actions_row.insertWidget(2, self.archive_button)

        self.form = EventForm(self.services, body)
        self.save_button = QPushButton("Save changes", body)
        self.save_button.setObjectName("primary")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Revert", body)
        self.revert_button.clicked.connect(self.revert)
        self.sequence_note = muted("", body)
        self.sequence_note.setWordWrap(True)
        details = QWidget(body)
        dv = QVBoxLayout(details)
        dv.setContentsMargins(0, 8, 0, 0)
        dv.addWidget(self.form, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sequence_note, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        dv.addLayout(buttons)

        self.tabs = QTabWidget(body)
        self.tabs.addTab(details, "Details")
        # The other tabs are built the first time they are shown (or asked for).
        self._built: dict[int, QWidget] = {}
        for title in TITLES[1:]:
            self.tabs.addTab(QWidget(self.tabs), title)
        # Only the tab in view reads its data; the others when they are shown.
        self._stale: set[int] = set()
        self.tabs.currentChanged.connect(self._load_tab)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        bv = QVBoxLayout(body)
        bv.setContentsMargins(0, 0, 0, 0)
        bv.addLayout(top)
        bv.addWidget(self.when)
        bv.addWidget(self.where)
        bv.addWidget(self.actions_bar)
        self.actions_bar.show()
        bv.addWidget(self.tabs, 1)
        self.stack.addWidget(body)
        self._body = body

    # ---- showing ---------------------------------------------------------------------
    def show_event(self, event_id: int | None) -> None:
        if event_id is None:
            self.event_id, self.current = None, None
            self.stack.setCurrentIndex(0)
            if self.built and INVITATIONS in self._built:
                self.invitations.set_event(None)
            return
        try:
            e = self.services.events.get(event_id)
        except NotFound:
            self.show_event(None)
            return
        if not self.built:
            self._build()
        same = event_id == self.event_id
        self.event_id, self.current = event_id, e
        self._header(e)
        if not same or not self._form_dirty():
            self.form.set_event(e)
        self._stale = {INVITATIONS, AGENDA, LOGISTICS}
        self._load_tab(self.tabs.currentIndex())
        self.archive_button.setText("Restore" if e.archived_at else "Archive")
        self.stack.setCurrentIndex(1)

    def refresh(self) -> None:
        self.show_event(self.event_id)

    # ---- tabs built on first use ---------------------------------------------------------
    @property
    def invitations(self) -> InvitationsTab:
        return self._tab(INVITATIONS)  # type: ignore[return-value]

    @property
    def agenda(self) -> AgendaTab:
        return self._tab(AGENDA)  # type: ignore[return-value]

    @property
    def logistics(self) -> LogisticsTab:
        return self._tab(LOGISTICS)  # type: ignore[return-value]

    def _tab(self, index: int) -> QWidget:
        built = self._built.get(index)
        if built is not None:
            return built
        if index == INVITATIONS:
            tab = InvitationsTab(self.ctx, self.tabs)
            tab.message.connect(self.message)
            tab.person_activated.connect(self.person_activated)
            built = tab
        elif index == AGENDA:
            built = AgendaTab(self.services, self.tabs)
        else:
            logistics = LogisticsTab(self.services, self.tabs)
            logistics.message.connect(self.message)
            built = logistics
        self._built[index] = built
        current = self.tabs.currentIndex()
        placeholder = self.tabs.widget(index)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, built, TITLES[index])
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        placeholder.deleteLater()
        if self.current is not None:
            self._stale.add(index)
            if current == index:
                self._load_tab(index)
        return built

    def _load_tab(self, index: int) -> None:
        if index == DETAILS:
            return
        if index not in self._built:
            self._tab(index)  # loads it when it is the current tab
            return
        if index not in self._stale or self.current is None:
            return
        self._stale.discard(index)
        e = self.current
        if index == INVITATIONS:
            self.invitations.set_event(e.id)
        elif index == AGENDA:
            self.agenda.set_event(e.id, e.starts_at)
        elif index == LOGISTICS:
            self.logistics.set_event(e.id, e.starts_at)

    def show_invitations(self) -> InvitationsTab:
        if not self.built:
            self._build()
        self.tabs.setCurrentIndex(INVITATIONS)
        return self.invitations

    def _header(self, e: EventDetail) -> None:
        self.title.setText(e.title)
        self.when.setText(span_text(e))
        where = []
        if e.location:
            where.append(e.location)
        if e.online_url:
            where.append(f'<a href="{e.online_url}">{e.online_url}</a>')
        if e.community:
            where.append(f"with {e.community}")
        self.where.setText(" · ".join(where) or "No place set yet")
        colour = STATUS_COLOURS.get(e.status, "#6b7280")
        label = e.status.capitalize() + (" · archived" if e.archived_at else "")
        self.status.setText(label)
        self.status.setStyleSheet(
            f"color: {colour}; border: 1px solid {colour}; border-radius: 9px; padding: 1px 8px;"
        )
        self.sequence_note.setText(
            f"Revision {e.sequence}: saving a change of time, place, title, description or "
            "status makes sent invitations out of date (re-send them)."
        )

    def _form_dirty(self) -> bool:
        return self.current is not None and self.form.value() != self.current.to_input()

    # ---- writing ---------------------------------------------------------------------
    def save(self) -> bool:
        if self.event_id is None:
            return False
        try:
            bumped = self.services.events.update(self.event_id, self.form.value())
        except ServiceError as exc:
            self.form.show_errors(exc)
            return False
        self.form.show_errors(None)
        self.current = self.services.events.get(self.event_id)
        self.form.set_event(self.current)
        self.message.emit(
            "Saved. Invitations already sent are now out of date: re-send them."
            if bumped and sum(self.current.counts.values()) - self.current.counts.get("not sent", 0)
            else "Saved."
        )
        return True

    def revert(self) -> None:
        if self.current is not None:
            self.form.set_event(self.current)
