"""Painting one outreach card: person, topic, target event, next step and its date.

Cards are painted, not built from widgets: a column of hundreds scrolls as smoothly as
a list of names. An overdue next step is drawn in red.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from crm.services.outreach_data import Card
from crm.ui.outreach.column_model import CardRole
from crm.ui.widgets.labels import ERROR_COLOUR

_Index = QModelIndex | QPersistentModelIndex
PAD = 8
GAP = 6  # between cards
LINES = 4


def due_text(card: Card, today: date | None = None) -> str:
    if not card.next_step:
        return "No next step"
    if card.next_step_on is None:
        return card.next_step
    return f"{card.next_step} · {card.next_step_on:%d %b %Y}"


class CardDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        line = QFontMetrics(option.font).height()  # type: ignore[attr-defined]
        return QSize(200, LINES * line + 2 * PAD + 4 + GAP)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        card: Card | None = index.data(CardRole)
        if card is None:
            return
        opt_rect: QRect = option.rect  # type: ignore[attr-defined]
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        rect = QRectF(opt_rect.adjusted(2, 1, -2, -GAP))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = QColor(palette.color(QPalette.ColorRole.Highlight))
        if not selected:
            border = QColor(128, 128, 128, 90)
        fill = QColor(palette.color(QPalette.ColorRole.Base))
        if selected:
            tint = QColor(palette.color(QPalette.ColorRole.Highlight))
            tint.setAlpha(28)
            painter.setBrush(fill)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(rect, 6, 6)
            fill = tint
        painter.setBrush(fill)
        painter.setPen(QPen(border, 2 if selected and focused else 1))
        painter.drawRoundedRect(rect, 6, 6)
        if card.overdue:  # a red edge on the left, seen at a glance down a column
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(ERROR_COLOUR))
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 4, rect.height()), 2, 2)

        text_rect = rect.adjusted(PAD + 2, PAD - 2, -PAD, -PAD).toRect()
        font = QFont(option.font)  # type: ignore[attr-defined]
        bold = QFont(font)
        bold.setBold(True)
        fm = QFontMetrics(font)
        line = fm.height()
        text_colour = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text_colour)
        muted.setAlphaF(0.62)
        rows = [
            (bold, text_colour, card.person_name),
            (font, text_colour, card.topic or "No topic yet"),
            (font, muted, card.event_title or "No target event"),
            (
                font,
                QColor(ERROR_COLOUR) if card.overdue else muted,
                due_text(card) + ("  (overdue)" if card.overdue else ""),
            ),
        ]
        for i, (f, colour, text) in enumerate(rows):
            painter.setFont(f)
            painter.setPen(colour)
            r = QRect(text_rect.left(), text_rect.top() + i * line, text_rect.width(), line)
            elided = QFontMetrics(f).elidedText(text, Qt.TextElideMode.ElideRight, r.width())
            painter.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()
