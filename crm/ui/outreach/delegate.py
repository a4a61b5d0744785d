"""Painting one outreach card: person, topic, target event, next step after its date.

Cards are painted, not built from widgets: a column of hundreds scrolls as smoothly as
a list of names. The topic wraps to two lines (the whole card is in the tooltip); an
overdue next step has its date on a red badge, and the card a red edge. The card's
rounded frame is drawn once per size and state into a pixmap: an antialiased rounded
fill costs ~0.3 ms, a pixmap blit a hundredth of that. Fonts, metrics and colours are
made once per view font and palette, not once per card.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from crm.services.outreach_data import Card
from crm.ui.outreach.column_model import CardRole
from crm.ui.widgets.labels import ERROR_COLOUR

_Index = QModelIndex | QPersistentModelIndex
PAD = 8
GAP = 6  # between cards
LINES = 5  # name, topic (two lines), event, next step
_ELIDE = Qt.TextElideMode.ElideRight
_BORDER = QColor(128, 128, 128, 90)
_RED = QColor(ERROR_COLOUR)
_WHITE = QColor("white")
_CACHE_LIMIT = 4000
# Card frames by size and state, shared by every column (they are all the same width).
_FRAMES: dict[tuple[object, ...], QPixmap] = {}


def due_text(card: Card) -> str:
    """The next step and its date, in words (tooltips, screen readers)."""
    if not card.next_step:
        return "No next step"
    if card.next_step_on is None:
        return card.next_step
    return f"{card.next_step} · {card.next_step_on:%d %b %Y}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def due_badge(day: date | None, today: date | None = None) -> str:
    """The date on the card's badge: '12 Mar', with the year when it is not this one.
    (Month names spelt here: strftime costs ~40 µs a call under PySide's import hook.)"""
    if day is None:
        return ""
    today = today or date.today()
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def wrap_two(text: str, metrics: QFontMetrics, width: int) -> tuple[str, str]:
    """The text on at most two lines of `width`: broken between words, the second line
    elided when the text goes on (a word longer than a line is cut, not lost)."""
    if metrics.horizontalAdvance(text) <= width:
        return text, ""
    words = text.split()
    first = ""
    for i, word in enumerate(words):
        trial = f"{first} {word}" if first else word
        if metrics.horizontalAdvance(trial) > width:
            if not first:  # one long word: cut it over the two lines
                cut = len(word)
                while cut > 1 and metrics.horizontalAdvance(word[:cut]) > width:
                    cut -= 1
                first, rest = word[:cut], " ".join([word[cut:], *words[i + 1 :]])
            else:
                rest = " ".join(words[i:])
            return first, metrics.elidedText(rest, _ELIDE, width)
        first = trial
    return first, ""


class _Look(NamedTuple):
    """What painting needs from the view's font and palette, made once, not per card."""

    font: QFont
    bold: QFont
    fm: QFontMetrics
    fm_bold: QFontMetrics
    line: int
    baseline: int  # from a line's top
    ink: QColor
    faint: QColor
    fill: QColor
    highlight: QColor


class CardDelegate(QStyledItemDelegate):
    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._look_for: tuple[str, int] | None = None
        self._look: _Look | None = None
        self._wraps: dict[tuple[str, int], tuple[str, str]] = {}
        self._today = date.today()

    def _looks(self, font: QFont, palette: QPalette) -> _Look:
        key = (font.key(), palette.cacheKey())
        if self._look is None or key != self._look_for:
            bold = QFont(font)
            bold.setBold(True)
            fm = QFontMetrics(font)
            ink = palette.color(QPalette.ColorRole.Text)
            faint = QColor(ink)
            faint.setAlphaF(0.62)
            self._look = _Look(
                QFont(font),
                bold,
                fm,
                QFontMetrics(bold),
                fm.height(),
                fm.ascent(),
                ink,
                faint,
                palette.color(QPalette.ColorRole.Base),
                palette.color(QPalette.ColorRole.Highlight),
            )
            if self._look_for is None or self._look_for[0] != key[0]:
                self._wraps.clear()
            self._look_for = key
        return self._look

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        look = self._looks(option.font, option.palette)  # type: ignore[attr-defined]
        return QSize(200, LINES * look.line + 2 * PAD + 4 + GAP)

    def _frame(
        self, look: _Look, size: QSize, ratio: float, selected: bool, focused: bool, overdue: bool
    ) -> QPixmap:
        """The card's rounded frame (and its red edge), drawn once per size and state."""
        highlight, fill = look.highlight, look.fill
        key = (size.width(), size.height(), ratio, selected, focused, overdue)
        key += (highlight.rgba(), fill.rgba())
        if (pixmap := _FRAMES.get(key)) is not None:
            return pixmap
        if len(_FRAMES) > 64:  # old sizes from a window being resized
            _FRAMES.clear()
        pixmap = QPixmap(size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            fill = QColor(
                (fill.red() * 7 + highlight.red()) // 8,
                (fill.green() * 7 + highlight.green()) // 8,
                (fill.blue() * 7 + highlight.blue()) // 8,
            )
        pen = 2 if selected and focused else 1
        painter.setBrush(fill)
        painter.setPen(QPen(highlight if selected else _BORDER, pen))
        half = pen / 2
        rect = QRectF(half, half, size.width() - pen, size.height() - pen)
        painter.drawRoundedRect(rect, 6, 6)
        if overdue:  # a red edge on the left, seen at a glance down a column
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_RED)
            painter.drawRoundedRect(QRectF(0, 0, 4, size.height()), 2, 2)
        painter.end()
        _FRAMES[key] = pixmap
        return pixmap

    def _wrapped(self, text: str, metrics: QFontMetrics, width: int) -> tuple[str, str]:
        key = (text, width)
        if (lines := self._wraps.get(key)) is None:
            if len(self._wraps) > _CACHE_LIMIT:
                self._wraps.clear()
            lines = self._wraps[key] = wrap_two(text, metrics, width)
        return lines

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        """Text drawn at points, not in aligned rectangles: half the cost per line."""
        card: Card | None = index.data(CardRole)
        if card is None:
            return
        look = self._looks(option.font, option.palette)  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        rect = option.rect.adjusted(2, 1, -2, -GAP)  # type: ignore[attr-defined]
        ratio = painter.device().devicePixelRatioF()
        painter.save()
        frame = self._frame(look, rect.size(), ratio, selected, focused, card.overdue)
        painter.drawPixmap(rect.topLeft(), frame)

        fm, line = look.fm, look.line
        left = rect.left() + PAD + 2
        top = rect.top() + PAD - 2
        width = rect.width() - 2 * PAD - 2
        y = top + look.baseline  # the first line's baseline

        # Line 1: the person, in full width.
        painter.setFont(look.bold)
        painter.setPen(look.ink)
        painter.drawText(left, y, look.fm_bold.elidedText(card.person_name, _ELIDE, width))

        # Lines 2-3: the topic, wrapped.
        painter.setFont(look.font)
        first, second = self._wrapped(card.topic or "No topic yet", fm, width)
        painter.drawText(left, y + line, first)
        if second:
            painter.drawText(left, y + 2 * line, second)

        # Line 4: the target event, fainter.
        painter.setPen(look.faint)
        event = card.event_title or "No target event"
        painter.drawText(left, y + 3 * line, fm.elidedText(event, _ELIDE, width))

        # Line 5: the next step after its date; an overdue date on a red badge.
        y5, x = y + 4 * line, left
        if not card.next_step:
            painter.drawText(x, y5, "No next step")
            painter.restore()
            return
        badge = due_badge(card.next_step_on, self._today)
        if badge and card.overdue:
            badge_width = fm.horizontalAdvance(badge) + 8
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_RED)
            painter.drawRoundedRect(QRectF(x, top + 4 * line + 1, badge_width, line - 2), 4, 4)
            painter.setPen(_WHITE)
            painter.drawText(x + 4, y5, badge)
            x += badge_width + 5
            painter.setPen(_RED)
        elif badge:
            badge += " · "
            painter.drawText(x, y5, badge)
            x += fm.horizontalAdvance(badge)
        rest = left + width - x
        if rest > fm.averageCharWidth() * 3:
            painter.drawText(x, y5, fm.elidedText(card.next_step, _ELIDE, rest))
        painter.restore()
