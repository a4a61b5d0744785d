"""The right-hand panel of the Goals page: where one goal stands, and why.

The panel reads the goal as written; its progress comes from the page, which measures
goals on a task (show_goal's progress, then set_progress when a measurement arrives).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
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
from crm.services.goals import GoalInfo
from crm.services.goals_progress import Progress
from crm.ui.communities.style import card
from crm.ui.content.style import set_pill
from crm.ui.goals.table_model import (
    MEASURING,
    STATE_COLOURS,
    day_text,
    metric_text,
    num_text,
    paint_bar,
    screen_text,
)
from crm.ui.widgets.labels import heading, make_muted, muted


class ProgressBar(QWidget):
    """A wide progress bar with the time-used tick (see paint_bar)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress: Progress | None = None
        self.setMinimumHeight(22)

    def sizeHint(self) -> QSize:
        return QSize(200, 22)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_bar(painter, QRect(2, 6, self.width() - 4, 10), self.progress, self.palette())
        painter.end()


class GoalDetailPanel(QWidget):
    edit_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.goal: GoalInfo | None = None
        self.setMinimumWidth(300)
        frame = card(self)
        self.stack = QStackedWidget(frame)
        self.placeholder = muted("Select a goal to see how it is going.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        content = QWidget(self)
        self.stack.addWidget(content)
        self.title = heading("", content, scale=1.35)
        self.title.setWordWrap(True)
        self.edit_button = QPushButton("Edit…", content)
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.delete_button = QPushButton("Delete", content)
        self.delete_button.clicked.connect(lambda: self._emit(self.delete_requested))
        # The title and the metric get the panel's whole width; the buttons sit
        # beside the state, which keeps its size (a squeezed pill clips its text).
        self.badge = QLabel(content)
        self.badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.metric_label = muted("", content)
        self.metric_label.setWordWrap(True)
        sub = QHBoxLayout()
        sub.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        sub.addStretch(1)
        sub.addWidget(self.edit_button)
        sub.addWidget(self.delete_button)
        self.bar = ProgressBar(content)
        self.explanation = QLabel(content)
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legend = muted("The bar: the way from baseline to target. The tick: the time used.")
        self.legend.setWordWrap(True)
        self.baseline, self.target, self.period, self.notes = (QLabel(content) for _ in range(4))
        self.notes.setWordWrap(True)
        facts = QFormLayout()
        facts.setHorizontalSpacing(16)
        for text, label in (
            ("Baseline", self.baseline),
            ("Target", self.target),
            ("Period", self.period),
            ("Notes", self.notes),
        ):
            facts.addRow(make_muted(QLabel(text, content)), label)
        box = QVBoxLayout(content)
        box.setContentsMargins(16, 12, 12, 12)
        box.setSpacing(8)
        box.addWidget(self.title)
        box.addWidget(self.metric_label)
        box.addLayout(sub)
        box.addSpacing(6)
        box.addWidget(self.bar)
        box.addWidget(self.explanation)
        box.addWidget(self.legend)
        box.addSpacing(6)
        box.addLayout(facts)
        box.addStretch(1)
        inside = QVBoxLayout(frame)
        inside.setContentsMargins(1, 1, 1, 1)
        inside.addWidget(self.stack)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(frame)

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        if self.goal is not None:
            signal.emit(self.goal.id)  # type: ignore[attr-defined]

    @property
    def goal_id(self) -> int | None:
        return self.goal.id if self.goal else None

    def show_goal(
        self, goal_id: int | None, progress: Progress | None = None, placeholder: str = ""
    ) -> None:
        g = None
        if goal_id is not None:
            try:
                g = self.services.goals.info(goal_id)
            except NotFound:
                g = None
        self.goal = g
        if g is None:
            self.placeholder.setText(placeholder or "Select a goal to see how it is going.")
            self.stack.setCurrentIndex(0)
            return
        self.title.setText(g.title)
        self.metric_label.setText(metric_text(g.metric))
        self.baseline.setText(num_text(g.baseline))
        self.target.setText(num_text(g.target))
        self.period.setText(f"{day_text(g.starts_on)} – {day_text(g.deadline)}")
        self.notes.setText(g.notes or "—")
        self.set_progress(progress)
        self.stack.setCurrentIndex(1)

    def set_progress(self, p: Progress | None) -> None:
        """The shown goal's progress, or None while it is being measured."""
        if p is None:
            set_pill(self.badge, f"Measuring {MEASURING}", STATE_COLOURS["no data"])
            self.explanation.setText("Measuring the progress …")
        else:
            set_pill(self.badge, p.state.capitalize(), STATE_COLOURS.get(p.state, "#6b7280"))
            self.explanation.setText(screen_text(p.explanation))
        self.bar.progress = p
        self.bar.update()
