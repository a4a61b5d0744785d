"""Painting one outreach card: person, topic, target event, next step and its date.

Cards are painted, not built from widgets: a column of hundreds scrolls as smoothly as
a list of names. An overdue next step is drawn in red, with a red edge on the card.
Fonts and their metrics are made once per view font, not once per card.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from crm.services.outreach_data import Card
from crm.ui.outreach.column_model import CardRole
from crm.ui.widgets.labels import ERROR_COLOUR

_Index = QModelIndex | QPersistentModelIndex
PAD = 8
GAP = 6  # between cards
LINES = 4
_ALIGN = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_BORDER = QColor(128, 128, 128, 90)
_RED = QColor(ERROR_COLOUR)


def due_text(card: Card) -> str:
    if not card.next_step:
        return "No next step"
    if card.next_step_on is None:
        return card.next_step
    return f"{card.next_step} · {card.next_step_on:%d %b %Y}"


class CardDelegate(QStyledItemDelegate):
    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._fonts_for: str | None = None
        self._fonts: tuple[QFont, QFont, QFontMetrics, QFontMetrics] | None = None

    def _metrics(self, font: QFont) -> tuple[QFont, QFont, QFontMetrics, QFontMetrics]:
        key = font.key()
        if self._fonts is None or key != self._fonts_for:
            bold = QFont(font)
            bold.setBold(True)
            self._fonts = (QFont(font), bold, QFontMetrics(font), QFontMetrics(bold))
            self._fonts_for = key
        return self._fonts

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        line = self._metrics(option.font)[2].height()  # type: ignore[attr-defined]
        return QSize(200, LINES * line + 2 * PAD + 4 + GAP)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        card: Card | None = index.data(CardRole)
        if card is None:
            return
        font, bold, fm, fm_bold = self._metrics(option.font)  # type: ignore[attr-defined]
        palette = QApplication.palette()
        state = option.state  # type: ignore[attr-defined]
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        rect = QRectF(option.rect.adjusted(2, 1, -2, -GAP))  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        fill = palette.color(QPalette.ColorRole.Base)
        if selected:
            fill = QColor(
                (fill.red() * 7 + highlight.red()) // 8,
                (fill.green() * 7 + highlight.green()) // 8,
                (fill.blue() * 7 + highlight.blue()) // 8,
            )
        painter.setBrush(fill)
        painter.setPen(QPen(highlight if selected else _BORDER, 2 if selected and focused else 1))
        painter.drawRoundedRect(rect, 6, 6)
        if card.overdue:  # a red edge on the left, seen at a glance down a column
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_RED)
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 4, rect.height()), 2, 2)

        text = rect.adjusted(PAD + 2, PAD - 2, -PAD, -PAD).toRect()
        line = fm.height()
        ink = palette.color(QPalette.ColorRole.Text)
        faint = QColor(ink)
        faint.setAlphaF(0.62)
        rows = (
            (bold, fm_bold, ink, card.person_name),
            (font, fm, ink, card.topic or "No topic yet"),
            (font, fm, faint, card.event_title or "No target event"),
            (
                font,
                fm,
                _RED if card.overdue else faint,
                due_text(card) + ("  (overdue)" if card.overdue else ""),
            ),
        )
        width = text.width()
        for i, (f, metrics, colour, value) in enumerate(rows):
            painter.setFont(f)
            painter.setPen(colour)
            r = QRect(text.left(), text.top() + i * line, width, line)
            painter.drawText(
                r, _ALIGN, metrics.elidedText(value, Qt.TextElideMode.ElideRight, width)
            )
        painter.restore()
