"""The right-hand panel of the Communities page: one community's details and members."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm.services import NotFound
from crm.services.communities import CommunityDetail
from crm.ui.communities.members_panel import MembersPanel
from crm.ui.communities.style import StatusBadge, card
from crm.ui.context import UiContext
from crm.ui.widgets.labels import heading, make_muted, muted, section_title


def _value_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _FitScrollArea(QScrollArea):
    """Asks for the height its content needs (up to a cap), so members get the rest."""

    CAP = 340

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        inner = self.widget()
        if inner is not None:
            width = self.viewport().width()
            need = inner.sizeHint().height()
            if inner.hasHeightForWidth() and width > 0:
                need = max(need, inner.heightForWidth(width))
            hint.setHeight(min(need + 2 * self.frameWidth(), self.CAP))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # wrapped text may need more or fewer lines now


def _clear_form(form: QFormLayout) -> None:
    while form.rowCount():
        form.removeRow(0)


class CommunityDetailPanel(QWidget):
    """Shows the community given to show_community(); refresh() re-reads it."""

    person_activated = Signal(int)
    edit_requested = Signal(int)
    failed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: CommunityDetail | None = None
        self.setMinimumWidth(320)

        self.frame = card(self)
        self.stack = QStackedWidget(self.frame)
        self.placeholder = muted("Select a community to see its details and members.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack.addWidget(self.placeholder)

        content = QWidget(self)
        self.stack.addWidget(content)

        # Header: name, kind and status, edit.
        self.name = heading("", content, scale=1.5)
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = muted("", content)
        self.badge = StatusBadge(content)
        self.edit_button = QPushButton("Edit…", content)
        self.edit_button.clicked.connect(self._edit)
        title_row = QHBoxLayout()
        title_row.addWidget(self.name, 1)
        title_row.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        sub_row = QHBoxLayout()
        sub_row.setSpacing(8)
        sub_row.addWidget(self.badge)
        sub_row.addWidget(self.kind)
        sub_row.addStretch(1)

        # Facts, notes and custom fields scroll together above the members.
        info = QWidget(content)
        self.website = QLabel(info)
        self.website.setOpenExternalLinks(True)
        self.website.setTextFormat(Qt.TextFormat.RichText)
        self.website.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.size = _value_label(info)
        self.added = _value_label(info)
        facts = QFormLayout()
        facts.setHorizontalSpacing(16)
        facts.setVerticalSpacing(6)
        facts.addRow(self._label("Website"), self.website)
        facts.addRow(self._label("Size"), self.size)
        facts.addRow(self._label("Added"), self.added)

        self.notes_title = section_title("Notes", info)
        self.notes = _value_label(info)
        self.custom_title = section_title("Custom fields", info)
        self.custom = QFormLayout()
        self.custom.setHorizontalSpacing(16)
        self.custom.setVerticalSpacing(6)

        info_box = QVBoxLayout(info)
        info_box.setContentsMargins(0, 0, 8, 0)
        info_box.setSpacing(8)
        info_box.addLayout(facts)
        info_box.addSpacing(4)
        info_box.addWidget(self.notes_title)
        info_box.addWidget(self.notes)
        info_box.addSpacing(4)
        info_box.addWidget(self.custom_title)
        info_box.addLayout(self.custom)
        info_box.addStretch(1)
        scroll = _FitScrollArea(content)
        scroll.setWidget(info)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.scroll = scroll

        self.members = MembersPanel(ctx, content)
        self.members.person_activated.connect(self.person_activated)
        self.members.failed.connect(self.failed)

        rule = QFrame(content)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)

        box = QVBoxLayout(content)
        box.setContentsMargins(16, 12, 12, 12)
        box.setSpacing(8)
        box.addLayout(title_row)
        box.addLayout(sub_row)
        box.addSpacing(4)
        box.addWidget(scroll)
        box.addWidget(rule)
        box.addWidget(self.members, 1)

        inside = QVBoxLayout(self.frame)
        inside.setContentsMargins(1, 1, 1, 1)
        inside.addWidget(self.stack)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)  # a gutter beside the table
        layout.addWidget(self.frame)

    def _edit(self) -> None:
        if self.detail is not None:
            self.edit_requested.emit(self.detail.id)

    def _label(self, text: str) -> QLabel:
        return make_muted(QLabel(text, self))

    @property
    def community_id(self) -> int | None:
        return self.detail.id if self.detail else None

    def show_community(self, community_id: int | None) -> None:
        if community_id is None:
            self._show(None)
            return
        try:
            self._show(self.ctx.services.communities.get(community_id))
        except NotFound:
            self._show(None)

    def show_placeholder(self, text: str) -> None:
        self._show(None, text)

    def refresh(self) -> None:
        self.show_community(self.community_id)

    def _show(self, d: CommunityDetail | None, placeholder: str = "") -> None:
        self.detail = d
        self.members.set_community(d)
        if d is None:
            self.placeholder.setText(
                placeholder or "Select a community to see its details and members."
            )
            self.stack.setCurrentIndex(0)
            return
        self.name.setText(d.name)
        self.kind.setText(d.kind.capitalize())
        self.badge.set_status(d.status)
        if d.website:
            shown = d.website.removeprefix("https://").removeprefix("http://").rstrip("/")
            self.website.setText(
                f'<a href="{html.escape(d.website, quote=True)}">{html.escape(shown)}</a>'
            )
            self.website.setToolTip(d.website)
        else:
            self.website.setText("—")
            self.website.setToolTip("")
        self.size.setText("—" if d.size is None else f"{d.size:,} people")
        self.added.setText(d.created_at.strftime("%d %b %Y"))
        self.notes.setText(d.notes or "No notes yet.")
        self.notes_title.setVisible(True)
        _clear_form(self.custom)
        for f in d.custom:
            value = _value_label(self)
            value.setText(f.value or "—")
            self.custom.addRow(self._label(f.name), value)
        self.custom_title.setVisible(bool(d.custom))
        self.stack.setCurrentIndex(1)
        self.scroll.widget().adjustSize()
        self.scroll.updateGeometry()
