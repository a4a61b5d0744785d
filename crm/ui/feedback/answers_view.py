"""The Answers tab of a survey: per choice question each choice's count and share (a
bar, the count, the percentage; the most chosen first), per text question how many
answered and the newest answers. The counting is the service's (FeedbackService.answers,
in SQL); this only lays the summary out."""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from crm.services.feedback_answers import AnswerSummary, QuestionSummary
from crm.ui.people.detail_sections import person_link
from crm.ui.widgets.labels import muted

NO_QUESTIONS = (
    "This survey asks only for a score. Add choice or text questions with Edit… "
    "(one per line; “Question [A | B | C]” is a choice question)."
)
NO_ANSWERS = "No answers yet"
MORE_TEXTS = 20  # text answers added per "show more"


class ShareBar(QWidget):
    """A thin bar filled to `share` (0–1) in the palette's highlight colour."""

    def __init__(self, share: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.share = max(0.0, min(1.0, share))
        self.setFixedHeight(10)
        self.setMinimumWidth(60)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        pal = self.palette()
        track = QColor(pal.color(QPalette.ColorRole.WindowText))
        track.setAlphaF(0.10)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        whole = QRectF(0, 1, self.width(), self.height() - 2)
        painter.drawRoundedRect(whole, 4, 4)
        if self.share > 0:
            painter.setBrush(pal.color(QPalette.ColorRole.Highlight))
            filled = QRectF(whole)
            filled.setWidth(max(whole.height(), whole.width() * self.share))
            painter.drawRoundedRect(filled, 4, 4)
        painter.end()


class AnswersView(QScrollArea):
    person_activated = Signal(int)
    more_requested = Signal()  # show more of the text answers

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary: AnswerSummary | None = None
        self._body: QWidget | None = None
        self.show_summary(None)

    def text(self) -> str:
        """What the tab shows, as plain text (for tests and screen readers' sake)."""
        if self._body is None:
            return ""
        return "\n".join(label.text() for label in self._body.findChildren(QLabel) if label.text())

    def show_summary(self, summary: AnswerSummary | None) -> None:
        self.summary = summary
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 8, 12, 8)
        layout.setSpacing(4)
        if summary is not None and not summary.questions:
            hint = muted(NO_QUESTIONS, body)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        for n, q in enumerate(summary.questions if summary else ()):
            if n:
                layout.addSpacing(14)
            self._question(layout, body, q, summary.responses)  # type: ignore[union-attr]
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(body)
        self._body = body

    def _question(
        self, layout: QVBoxLayout, body: QWidget, q: QuestionSummary, responses: int
    ) -> None:
        title = QLabel(q.text, body)
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        if not q.answered:
            layout.addWidget(muted(NO_ANSWERS, body))
            return
        kind = "choice" if q.kind == "choice" else "text"
        layout.addWidget(
            muted(f"{q.answered:,} of {responses:,} responses answered · {kind}", body)
        )
        if q.kind == "choice":
            self._choices(layout, body, q)
        else:
            self._texts(layout, body, q)

    def _choices(self, layout: QVBoxLayout, body: QWidget, q: QuestionSummary) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(1, 1)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, c in enumerate(q.choices):
            name = QLabel(c.choice, body)
            name.setMaximumWidth(260)
            name.setToolTip(c.choice)
            grid.addWidget(name, row, 0)
            grid.addWidget(ShareBar(c.share, body), row, 1)
            grid.addWidget(QLabel(f"{c.count:,}", body), row, 2, right)
            grid.addWidget(QLabel(c.percent(), body), row, 3, right)
        layout.addLayout(grid)
        notes = []
        if q.other:
            notes.append(f"{q.other:,} named none of the choices")
        if q.several:
            notes.append(f"{q.several:,} chose several, so the shares add up to more than 100 %")
        if notes:
            note = muted("; ".join(notes) + ".", body)
            note.setWordWrap(True)
            layout.addWidget(note)

    def _texts(self, layout: QVBoxLayout, body: QWidget, q: QuestionSummary) -> None:
        for a in q.latest:
            who = person_link(a.person_id, a.person_name) if a.person_id else "anonymous"
            line = QLabel(
                f"<span>“{html.escape(a.text)}”</span> — {who}, {a.responded_at:%Y-%m-%d}", body
            )
            line.setWordWrap(True)
            line.setTextFormat(Qt.TextFormat.RichText)
            line.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            line.linkActivated.connect(self._link)
            layout.addWidget(line)
        if q.answered > len(q.latest):
            more = q.answered - len(q.latest)
            line = muted(
                f'and {more:,} more · <a href="more:">show {min(more, MORE_TEXTS)} more</a>', body
            )
            line.setTextFormat(Qt.TextFormat.RichText)
            line.linkActivated.connect(self._link)
            layout.addWidget(line)

    def _link(self, href: str) -> None:
        kind, _, ident = href.partition(":")
        if kind == "more":
            self.more_requested.emit()
        elif kind == "person" and ident.isdigit():
            self.person_activated.emit(int(ident))
