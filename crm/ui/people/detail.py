"""The detail panel beside the People table: who this person is, and their timeline.

It reads one PersonDetail from the service per refresh and rebuilds the read-only
sections from it; the editable parts (relationships, custom fields) and the timeline
keep their widgets and models across refreshes.

The panel's content is built on the first selection: at start-up nobody is selected,
and its editors and timeline import the interaction and relationship services (and
with them the ORM models), which the first paint of the People table does not need.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm.services import Changes, NotFound
from crm.services.people_data import PersonDetail
from crm.ui.context import UiContext
from crm.ui.widgets.labels import heading, muted, section_title

if TYPE_CHECKING:
    from crm.ui.people.interaction_dialog import InteractionDialog


def _local_time(zone: str) -> str:
    try:
        from zoneinfo import ZoneInfo  # on the first person shown, not at start-up

        return datetime.now(ZoneInfo(zone)).strftime("%H:%M")
    except Exception:  # an unknown zone in old data must not break the panel
        return ""


class Section(QWidget):
    """A caption and a body layout that set_person refills."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(section_title(title))
        self.body = QVBoxLayout()
        self.body.setSpacing(3)
        layout.addLayout(self.body)

    def set_lines(
        self,
        lines: list[str],
        on_person: Callable[[int], None] | None = None,
        on_community: Callable[[int], None] | None = None,
        on_item: Callable[[str, int], None] | None = None,
    ) -> None:
        """Rich-text lines; the section hides when there are none."""
        from crm.ui.people.detail_sections import clear_layout, link_label

        clear_layout(self.body)
        for line in lines:
            if on_person is not None:
                self.body.addWidget(link_label(line, on_person, on_community, on_item))
            else:
                label = QLabel(line)
                label.setWordWrap(True)
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setOpenExternalLinks(True)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
                self.body.addWidget(label)
        self.setVisible(bool(lines))


class PersonDetailPanel(QWidget):
    edit_requested = Signal(int)
    archive_requested = Signal(int)
    restore_requested = Signal(int)
    log_requested = Signal(int)
    person_activated = Signal(int)
    community_activated = Signal(int)
    item_activated = Signal(str, int)  # an event:<id> (…) link: the window opens that page

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.detail: PersonDetail | None = None
        self._built = False
        self._splitter_state: QByteArray | None = None  # restored when the content is built
        self.stack = QStackedWidget(self)
        empty = muted("Select a person to see their details.")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        ctx.bus.changed.connect(self._on_changed)

    # ---- building --------------------------------------------------------------------
    def ensure_built(self) -> None:
        """Build the content (sections, editors, timeline) if it is not yet."""
        if not self._built:
            self._built = True
            self.stack.addWidget(self._build_content())
            if self._splitter_state is not None:
                self.splitter.restoreState(self._splitter_state)

    def splitter_state(self) -> QByteArray | None:
        """The timeline splitter's layout to save (the restored one if never built)."""
        return self.splitter.saveState() if self._built else self._splitter_state

    def restore_splitter(self, state: QByteArray) -> None:
        if self._built:
            self.splitter.restoreState(state)
        else:
            self._splitter_state = state

    def _build_content(self) -> QWidget:
        from crm.ui.people.detail_sections import CustomFieldsEditor, RelationshipsEditor
        from crm.ui.people.timeline_model import TimelineModel
        from crm.ui.people.timeline_view import TimelineView
        from crm.ui.widgets.avatar import Avatar
        from crm.ui.widgets.chips import ChipBox

        content = QWidget()
        self.avatar = Avatar(60)
        self.name = heading("", scale=1.45)
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = muted()
        self.subtitle.setWordWrap(True)
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.name)
        names.addWidget(self.subtitle)
        names.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(names, 1)
        self.edit_button = QPushButton("Edit")
        self.edit_button.setObjectName("primary")
        self.log_button = QPushButton("Log interaction")
        self.archive_button = QPushButton("Archive")
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.log_button.clicked.connect(lambda: self._emit(self.log_requested))
        self.archive_button.clicked.connect(self._archive_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.log_button)
        buttons.addWidget(self.archive_button)
        buttons.addStretch(1)
        self.chips = ChipBox()

        header = QVBoxLayout()
        header.setContentsMargins(18, 16, 18, 8)
        header.setSpacing(10)
        header.addLayout(top)
        header.addWidget(self.chips)
        header.addLayout(buttons)

        self.contact = Section("Contact")
        self.place = Section("Location")
        self.about = Section("About")
        self.consents = Section("Consents")
        self.relationships_section = Section("Relationships")
        self.relationships = RelationshipsEditor(self.services)
        self.relationships.person_activated.connect(self.person_activated)
        self.relationships_section.layout().addWidget(self.relationships)
        self.communities = Section("Communities")
        self.referrals = Section("Referral")
        self.custom_section = Section("Custom fields")
        self.custom = CustomFieldsEditor(self.services)
        self.custom_section.layout().addWidget(self.custom)
        self.follow = Section("Follow-up and notes")
        from crm.ui.people.linked import LINKED_SECTIONS

        self.linked_sections = [Section(title) for title, _m, _f in LINKED_SECTIONS]

        body = QWidget()
        body.setObjectName("detailBody")
        sections = QVBoxLayout(body)
        sections.setContentsMargins(18, 8, 18, 18)
        sections.setSpacing(16)
        for s in (
            self.contact,
            self.place,
            self.about,
            self.follow,
            self.consents,
            self.relationships_section,
            self.communities,
            self.referrals,
            self.custom_section,
            *self.linked_sections,
        ):
            sections.addWidget(s)
        sections.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.timeline_model = TimelineModel(self.services, self)
        self.timeline = TimelineView(self.timeline_model)
        self.timeline.edit_requested.connect(self.edit_interaction)
        self.timeline.delete_requested.connect(self.delete_interaction)
        self.timeline_title = section_title("Timeline")
        timeline_box = QWidget()
        tl = QVBoxLayout(timeline_box)
        tl.setContentsMargins(18, 10, 18, 10)
        tl.setSpacing(6)
        tl.addWidget(self.timeline_title)
        tl.addWidget(self.timeline, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("detailSplitter")
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(timeline_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setObjectName("separator")
        layout.addWidget(line)
        layout.addWidget(self.splitter, 1)
        return content

    # ---- showing ---------------------------------------------------------------------
    @property
    def person_id(self) -> int | None:
        return self.detail.id if self.detail else None

    def set_person(self, person_id: int | None) -> None:
        if person_id is None:
            self.detail = None
            if self._built:
                self.timeline_model.set_person(None)
            self.stack.setCurrentIndex(0)
            return
        self.ensure_built()
        same = self.detail is not None and self.detail.id == person_id
        try:
            self.detail = self.services.people.get(person_id)
        except NotFound:
            self.set_person(None)
            return
        self._fill(self.detail)
        if same:
            self.timeline_model.reload()
        else:
            self.timeline.set_person(person_id)
            self.timeline_model.set_person(person_id)
        self._update_timeline_title()
        self.stack.setCurrentIndex(1)

    def _update_timeline_title(self) -> None:
        n = self.timeline_model.total
        self.timeline_title.setText(f"TIMELINE · {n:,}" if n else "TIMELINE · NOTHING LOGGED YET")

    def _fill(self, d: PersonDetail) -> None:
        from crm.ui.people.detail_sections import community_link, person_link

        esc = html.escape
        self.avatar.set_person(d.display_name, d.photo)
        self.name.setText(d.display_name)
        work = " @ ".join(x for x in (d.title, d.organisation) if x)
        bits = [x for x in (d.pronouns, work) if x]
        if d.archived_at:
            bits.append(f"in the Trash since {d.archived_at:%Y-%m-%d}")
        self.subtitle.setText(" · ".join(bits))
        self.subtitle.setVisible(bool(bits))
        self.chips.set_chips([(r, "role") for r in d.roles] + [(f"#{t}", "tag") for t in d.tags])
        self.archive_button.setText("Restore" if d.archived_at else "Archive")

        contact = [
            f'<a href="mailto:{esc(e.address)}">{esc(e.address)}</a>'
            + (f" <span style='color:gray'>{esc(e.label)}</span>" if e.label else "")
            for e in d.emails
        ]
        contact += [
            f'<a href="tel:{esc(p.number)}">{esc(p.number)}</a>'
            + (f" <span style='color:gray'>{esc(p.label)}</span>" if p.label else "")
            for p in d.phones
        ]
        contact += [
            f"<span style='color:gray'>{esc(h.network)}</span> {esc(h.handle)}" for h in d.handles
        ]
        self.contact.set_lines(contact)

        place = ", ".join(x for x in (d.city, d.country) if x)
        lines = [esc(place)] if place else []
        if d.time_zone:
            now = _local_time(d.time_zone)
            lines.append(esc(d.time_zone) + (f" · {now} there now" if now else ""))
        self.place.set_lines(lines)
        self.about.set_lines([esc(d.bio).replace("\n", "<br>")] if d.bio else [])

        follow = []
        if d.next_follow_up:
            follow.append(f"Next follow-up: <b>{d.next_follow_up:%Y-%m-%d}</b>")
        if d.last_interaction:
            follow.append(f"Last interaction: {d.last_interaction:%Y-%m-%d}")
        if d.notes:
            follow.append(esc(d.notes).replace("\n", "<br>"))
        self.follow.set_lines(follow)

        self.consents.set_lines(
            [
                f"{esc(c.kind.capitalize())}: "
                + (
                    "<b style='color:#15803d'>granted</b>"
                    if c.granted
                    else "<b style='color:#b42318'>withdrawn</b>"
                )
                + f" on {c.recorded_on:%Y-%m-%d}"
                + (f" · {esc(c.source)}" if c.source else "")
                for c in d.consents
            ]
        )
        self.relationships.set_person(d)
        self.communities.set_lines(
            [
                f"{community_link(m.community_id, m.community_name)} "
                f"<span style='color:gray'>· {esc(m.role)}"
                + (f" since {m.since:%Y-%m-%d}" if m.since else "")
                + "</span>"
                for m in d.communities
            ],
            on_person=self.person_activated.emit,
            on_community=self.community_activated.emit,
        )
        refs = []
        if d.referred_by:
            refs.append(f"Referred by {person_link(d.referred_by.id, d.referred_by.name)}")
        if d.referrals:
            names = ", ".join(person_link(r.id, r.name) for r in d.referrals)
            refs.append(f"Referred {len(d.referrals)}: {names}")
        self.referrals.set_lines(refs, on_person=self.person_activated.emit)
        defs = self.services.fields.definitions("person")
        self.custom.set_person(d, defs)
        self.custom_section.setVisible(bool(defs))
        self._fill_linked(d.id)

    def _fill_linked(self, person_id: int) -> None:
        """The sections other areas contribute (crm.ui.people.linked)."""
        from crm.ui.people.linked import LINKED_SECTIONS

        for section, (_title, module, function) in zip(
            self.linked_sections, LINKED_SECTIONS, strict=True
        ):
            lines = getattr(importlib.import_module(module), function)(self.services, person_id)
            section.set_lines(
                lines,
                on_person=self.person_activated.emit,
                on_community=self.community_activated.emit,
                on_item=self.item_activated.emit,
            )

    # ---- actions ---------------------------------------------------------------------
    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        if self.detail is not None:
            signal.emit(self.detail.id)

    def _archive_clicked(self) -> None:
        if self.detail is None:
            return
        if self.detail.archived_at:
            self.restore_requested.emit(self.detail.id)
        else:
            self.archive_requested.emit(self.detail.id)

    def edit_interaction(self, interaction_id: int) -> InteractionDialog | None:
        try:
            row = self.services.interactions.get(interaction_id)
        except NotFound:
            return None
        from crm.ui.people.interaction_dialog import InteractionDialog

        dialog = InteractionDialog(self.services, self, interaction=row)
        dialog.open()
        return dialog

    def delete_interaction(self, interaction_id: int) -> None:
        try:
            row = self.services.interactions.get(interaction_id)
        except NotFound:
            return
        answer = QMessageBox.question(
            self,
            "Delete interaction",
            f"Delete “{row.summary}” ({row.occurred_at:%Y-%m-%d}) for everyone in it?\n"
            "This cannot be undone.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.services.interactions.delete(interaction_id)

    def _on_changed(self, change: Changes) -> None:
        """Any write may show here (a name in a link, a membership), so refetch the one
        person shown: one detail read, cheap next to the write that caused it."""
        if self.detail is not None and change.touches(
            "people", "interactions", "fields", "communities", "tags", "trash", "outreach"
        ):
            self.set_person(self.detail.id)
