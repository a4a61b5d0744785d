"""The right-hand panel of the Content page: one item's details, with Edit and Delete."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm.services import NotFound, Services
from crm.services.content_data import ContentDetail
from crm.ui.communities.style import card
from crm.ui.content.style import STATUS_COLOURS, set_pill
from crm.ui.content.table_model import day_text
from crm.ui.widgets.labels import heading, make_muted, muted, section_title


class ContentDetailPanel(QWidget):
    person_activated = Signal(int)
    edit_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.detail: ContentDetail | None = None
        self.setMinimumWidth(300)
        frame = card(self)
        self.stack = QStackedWidget(frame)
        self.placeholder = muted("Select an item to see its details.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack.addWidget(self.placeholder)
        content = QWidget(self)
        self.stack.addWidget(content)

        self.title = heading("", content, scale=1.35)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badge = QLabel(content)
        self.kind = muted("", content)
        self.edit_button = QPushButton("Edit…", content)
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.delete_button = QPushButton("Delete", content)
        self.delete_button.clicked.connect(lambda: self._emit(self.delete_requested))
        # The title and the kind get the panel's whole width; the buttons sit beside
        # the status, which keeps its size (a squeezed pill clips its text).
        self.badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.kind.setWordWrap(True)
        sub = QHBoxLayout()
        sub.setSpacing(8)
        sub.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        sub.addStretch(1)
        sub.addWidget(self.edit_button)
        sub.addWidget(self.delete_button)

        def value() -> QLabel:
            label = QLabel(content)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            return label

        self.owner, self.guest, self.due, self.publish = value(), value(), value(), value()
        self.url, self.initiatives = value(), value()
        self.url.setOpenExternalLinks(True)
        self.guest.linkActivated.connect(self._person_link)
        facts = QFormLayout()
        facts.setHorizontalSpacing(16)
        facts.setVerticalSpacing(6)
        for text, label in (
            ("Owner", self.owner),
            ("Guest author", self.guest),
            ("Due", self.due),
            ("Publish", self.publish),
            ("URL", self.url),
            ("Initiatives", self.initiatives),
        ):
            facts.addRow(make_muted(QLabel(text, content)), label)
        self.notes = QLabel(content)
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QVBoxLayout(content)
        box.setContentsMargins(16, 12, 12, 12)
        box.setSpacing(8)
        box.addWidget(self.title)
        box.addWidget(self.kind)
        box.addLayout(sub)
        box.addSpacing(6)
        box.addLayout(facts)
        box.addSpacing(6)
        box.addWidget(section_title("Notes", content))
        box.addWidget(self.notes)
        box.addStretch(1)
        inside = QVBoxLayout(frame)
        inside.setContentsMargins(1, 1, 1, 1)
        inside.addWidget(self.stack)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(frame)

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        if self.detail is not None:
            signal.emit(self.detail.id)  # type: ignore[attr-defined]

    def _person_link(self, href: str) -> None:
        if href.startswith("person:"):
            self.person_activated.emit(int(href.split(":", 1)[1]))

    @property
    def item_id(self) -> int | None:
        return self.detail.id if self.detail else None

    def show_item(self, item_id: int | None, placeholder: str = "") -> None:
        d = None
        if item_id is not None:
            try:
                d = self.services.content.get(item_id)
            except NotFound:
                d = None
        self.detail = d
        if d is None:
            self.placeholder.setText(placeholder or "Select an item to see its details.")
            self.stack.setCurrentIndex(0)
            return
        self.title.setText(d.title)
        set_pill(self.badge, d.status.capitalize(), STATUS_COLOURS.get(d.status, "#6b7280"))
        self.kind.setText(" · ".join(x for x in (d.kind.capitalize(), d.channel) if x))
        self.owner.setText(html.escape(d.owner) or "—")
        self.guest.setText(
            f'<a href="person:{d.guest_author_id}">{html.escape(d.guest_author)}</a>'
            if d.guest_author_id
            else "—"
        )
        self.due.setText(day_text(d.due_on) or "—")
        self.publish.setText(day_text(d.publish_on) or "—")
        self.url.setText(
            f'<a href="{html.escape(d.url, quote=True)}">{html.escape(d.url)}</a>' if d.url else "—"
        )
        self.initiatives.setText(", ".join(html.escape(t) for _i, t in d.initiatives) or "—")
        self.notes.setText(d.notes or "No notes.")
        self.stack.setCurrentIndex(1)
