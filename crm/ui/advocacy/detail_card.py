"""The right-hand panel of the Advocacy, Tasks and Moderation pages.

A heading, a coloured badge and a row of buttons stay in place; below them the body
(facts, texts, sections of links) is rebuilt each time an item is shown. Subclasses
implement load(id) -> bool (False: the item is gone) and fill the body.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm.ui.communities.style import card
from crm.ui.people.detail_sections import clear_layout, link_label
from crm.ui.widgets.labels import heading, make_muted, muted, section_title

COLOURS = {
    # advocacy statuses
    "open": "#2563eb",
    "shared": "#7c3aed",
    "acknowledged": "#0891b2",
    "planned": "#d97706",
    "shipped": "#16a34a",
    "declined": "#6b7280",
    # task statuses
    "in progress": "#d97706",
    "blocked": "#b42318",
    "done": "#16a34a",
    "overdue": "#b42318",
    # moderation
    "resolved": "#16a34a",
    "appealed": "#d97706",
    "low": "#6b7280",
    "medium": "#d97706",
    "high": "#dc2626",
    "critical": "#991b1b",
}


@cache
def colour(key: str) -> QColor:
    """One shared QColor per word (the table asks for them per painted cell)."""
    return QColor(COLOURS.get(key, "#6b7280"))


class Badge(QLabel):
    """A rounded pill in the colour of its word."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def set_word(self, word: str, key: str | None = None) -> None:
        c = colour(key or word)
        self.setText(word.capitalize())
        self.setStyleSheet(
            "QLabel { "
            f"color: {c.name()}; background: rgba({c.red()}, {c.green()}, {c.blue()}, 34); "
            f"border: 1px solid rgba({c.red()}, {c.green()}, {c.blue()}, 90); "
            "border-radius: 9px; padding: 1px 10px; font-weight: 600; }"
        )


class DetailCard(QWidget):
    """The placeholder at first; the item view (heading, badge, buttons, body) is built
    when the first item is shown, so a page's first paint does not build, polish and
    lay out widgets nobody sees yet (a person picker with its completer, menus)."""

    person_activated = Signal(int)
    item_activated = Signal(str, int)
    placeholder_text = "Select an item to see its details."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id: int | None = None
        self.built = False
        self.setMinimumWidth(340)
        self.frame = frame = card(self)
        self.stack = QStackedWidget(frame)
        self.placeholder = muted(self.placeholder_text, self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack.addWidget(self.placeholder)
        inside = QVBoxLayout(frame)
        inside.setContentsMargins(1, 1, 1, 1)
        inside.addWidget(self.stack)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(frame)

    def ensure_built(self) -> None:
        """Build the item view once; subclasses add their buttons in build()."""
        if self.built:
            return
        self.built = True
        content = QWidget(self.stack)
        self.name = heading("", content, scale=1.4)
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badge = Badge(content)
        self.subtitle = muted("", content)
        self.subtitle.setWordWrap(True)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(6)
        sub = QHBoxLayout()
        sub.setSpacing(8)
        sub.addWidget(self.badge)
        sub.addWidget(self.subtitle, 1)

        inner = QWidget(content)
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(0, 0, 8, 0)
        self.body.setSpacing(8)
        scroll = QScrollArea(content)
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll = scroll
        # Widgets that stay across items (a person picker being typed into) go here.
        self.fixed = QVBoxLayout()
        self.fixed.setSpacing(6)

        box = QVBoxLayout(content)
        box.setContentsMargins(16, 12, 12, 12)
        box.setSpacing(8)
        box.addWidget(self.name)
        box.addLayout(sub)
        box.addLayout(self.buttons)
        box.addWidget(scroll, 1)
        box.addLayout(self.fixed)
        self.build()
        self.stack.addWidget(content)

    def build(self) -> None:
        """Add buttons to self.buttons and lasting widgets to self.fixed."""

    # ---- what subclasses provide -----------------------------------------------------
    def load(self, item_id: int) -> bool:
        raise NotImplementedError

    # ---- showing -----------------------------------------------------------------------
    def show_item(self, item_id: int | None) -> None:
        if item_id is not None:
            self.ensure_built()
            clear_layout(self.body)
            if self.load(item_id):
                self.item_id = item_id
                self.body.addStretch(1)
                self.stack.setCurrentIndex(1)
                return
        self.show_placeholder(self.placeholder_text)

    def show_placeholder(self, text: str) -> None:
        self.item_id = None
        self.placeholder.setText(text)
        self.stack.setCurrentIndex(0)

    def refresh(self) -> None:
        self.show_item(self.item_id)

    # ---- building the body -------------------------------------------------------------
    def facts(self, rows: list[tuple[str, str]]) -> None:
        """Label/value rows; values are rich text (links open via the page)."""
        holder = QWidget()  # a widget, so clearing the body deletes the form whole
        form = QFormLayout(holder)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(6)
        for label, value in rows:
            form.addRow(make_muted(QLabel(label)), self.rich(value))
        self.body.addWidget(holder)

    def section(self, title: str) -> None:
        self.body.addSpacing(4)
        self.body.addWidget(section_title(title))

    def text(self, value: str, empty: str = "—") -> QLabel:
        label = QLabel(value or empty)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if not value:
            make_muted(label)
        self.body.addWidget(label)
        return label

    def rich(self, value: str) -> QLabel:
        return link_label(value, self.person_activated.emit, None, self.item_activated.emit)

    def lines(self, lines: list[str], empty: str = "") -> None:
        if not lines and empty:
            self.body.addWidget(muted(empty))
        for line in lines:
            self.body.addWidget(self.rich(line))

    def add_row(self, *widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        for w in widgets:
            row.addWidget(w)
        row.addStretch(1)
        self.body.addLayout(row)
        return row


def esc(value: str) -> str:
    return html.escape(value)


def external_link(url: str) -> str:
    if not url:
        return "—"
    shown = url.removeprefix("https://").removeprefix("http://").rstrip("/")
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(shown)}</a>'


def date_text(value: object) -> str:
    return "—" if value is None else f"{value:%d %b %Y}"


Handler = Callable[[int], None]
