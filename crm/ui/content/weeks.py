"""The content calendar by week: one row per week, its items on the day that places them.

Six weeks show at a time; Previous / Next (PageUp / PageDown) move by a week and This
week (Home) comes back. The week holding today is tinted. Only the shown weeks are
read from the database (ContentService.weeks), so the view costs the same at any size.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm.services import Services
from crm.services.content import ContentFilter
from crm.services.content_data import WeekEntry
from crm.ui.content.style import STATUS_COLOURS
from crm.ui.widgets.labels import heading, muted

WEEKS = 6
_WHAT = {"due": "due", "scheduled": "scheduled", "published": "published", "planned": "planned"}


def monday_of(d: date) -> date:
    return d - timedelta(days=d.weekday())


def entry_html(e: WeekEntry) -> str:
    dot = STATUS_COLOURS.get(e.status, "#6b7280")
    guest = f" · guest: {html.escape(e.guest_author)}" if e.guest_author else ""
    return (
        f'<span style="color:{dot}">●</span> '
        f'<a href="content:{e.id}">{html.escape(e.title)}</a> '
        f'<span style="color:gray">— {e.kind}, {_WHAT.get(e.what, e.what)} '
        f"{e.day:%a} {e.day.day}{guest}</span>"
    )


class WeekView(QWidget):
    item_activated = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.filters = ContentFilter()
        self.today = date.today()
        self.first = monday_of(self.today) - timedelta(weeks=1)
        self.entries: list[WeekEntry] = []

        self.prev_button = QPushButton("◀ Previous", self)
        self.today_button = QPushButton("This week", self)
        self.next_button = QPushButton("Next ▶", self)
        self.prev_button.setToolTip("A week earlier (Page Up)")
        self.next_button.setToolTip("A week later (Page Down)")
        self.today_button.setToolTip("Back to this week (Home)")
        self.prev_button.clicked.connect(lambda: self.move(-1))
        self.next_button.clicked.connect(lambda: self.move(1))
        self.today_button.clicked.connect(self.go_today)
        self.range_label = heading("", self)
        nav = QHBoxLayout()
        nav.addWidget(self.range_label)
        nav.addStretch(1)
        for b in (self.prev_button, self.today_button, self.next_button):
            nav.addWidget(b)
        for keys, slot in (
            (QKeySequence.StandardKey.MoveToPreviousPage, lambda: self.move(-1)),
            (QKeySequence.StandardKey.MoveToNextPage, lambda: self.move(1)),
            (QKeySequence(Qt.Key.Key_Home), self.go_today),
        ):
            sc = QShortcut(keys, self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

        self.inner = QWidget(self)
        self.grid = QGridLayout(self.inner)
        self.grid.setContentsMargins(0, 0, 8, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        self.week_labels: list[QLabel] = []
        self.item_labels: list[QLabel] = []
        self.frames: list[QFrame] = []
        for i in range(WEEKS):
            frame = QFrame(self.inner)
            frame.setObjectName("week")
            box = QHBoxLayout(frame)
            box.setContentsMargins(10, 8, 10, 8)
            box.setSpacing(16)
            when = QLabel(frame)
            when.setMinimumWidth(150)
            when.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            items = QLabel(frame)
            items.setTextFormat(Qt.TextFormat.RichText)
            items.setWordWrap(True)
            items.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            items.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            items.linkActivated.connect(self._link)
            box.addWidget(when)
            box.addWidget(items, 1)
            self.grid.addWidget(frame, i, 0, 1, 2)
            self.week_labels.append(when)
            self.item_labels.append(items)
            self.frames.append(frame)
        self.grid.setRowStretch(WEEKS, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(self.inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.hint = muted("", self)
        self.hint.setWordWrap(True)
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(nav)
        layout.addWidget(self.hint)
        layout.addWidget(scroll, 1)

    def set_hint(self, text: str) -> None:
        """A line above the weeks (how to add the first item, while there is none)."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    # ---- navigation ----------------------------------------------------------------
    def move(self, weeks: int) -> None:
        self.first += timedelta(weeks=weeks)
        self.refresh()

    def go_today(self) -> None:
        self.today = date.today()
        self.first = monday_of(self.today) - timedelta(weeks=1)
        self.refresh()

    def show_week_of(self, day: date) -> None:
        """Bring the week holding `day` into view (as the second row)."""
        first = monday_of(day) - timedelta(weeks=1)
        if not self.first <= day < self.first + timedelta(weeks=WEEKS):
            self.first = first
        self.refresh()

    def set_filter(self, filters: ContentFilter) -> None:
        self.filters = filters
        self.refresh()

    def week_row(self, day: date) -> int:
        """The row of the week holding day, or -1 when it is not shown."""
        offset = (day - self.first).days
        return offset // 7 if 0 <= offset < 7 * WEEKS else -1

    # ---- painting ------------------------------------------------------------------
    def refresh(self) -> None:
        self.entries = self.services.content.weeks(self.first, WEEKS, self.filters)
        last = self.first + timedelta(days=7 * WEEKS - 1)
        self.range_label.setText(f"{self.first.day} {self.first:%b} – {last.day} {last:%b %Y}")
        by_week: list[list[WeekEntry]] = [[] for _ in range(WEEKS)]
        for e in self.entries:
            by_week[(e.day - self.first).days // 7].append(e)
        this_week = self.week_row(self.today)
        for i in range(WEEKS):
            start = self.first + timedelta(weeks=i)
            end = start + timedelta(days=6)
            iso = start.isocalendar()
            label = f"<b>Week {iso.week}</b><br>{start.day} {start:%b} – {end.day} {end:%b}"
            if i == this_week:
                label += "<br><b>This week</b>"
            self.week_labels[i].setText(label)
            entries = by_week[i]
            self.item_labels[i].setText(
                "<br>".join(entry_html(e) for e in entries)
                if entries
                else '<span style="color:gray">Nothing due or published.</span>'
            )
            tint = (
                "background: rgba(37, 99, 235, 22); border: 1px solid rgba(37, 99, 235, 120);"
                if i == this_week
                else "background: palette(base); border: 1px solid rgba(128, 128, 128, 60);"
            )
            self.frames[i].setStyleSheet(f"QFrame#week {{ {tint} border-radius: 6px; }}")
            self.frames[i].setProperty("current_week", i == this_week)

    def _link(self, href: str) -> None:
        kind, _, rest = href.partition(":")
        if kind == "content" and rest.isdigit():
            self.item_activated.emit(int(rest))
